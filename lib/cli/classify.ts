#!/usr/bin/env node
/**
 * Classifies your own PNG and JPEG files (or every image in a folder) with a
 * saved CIFAR-10 model, from a terminal: each file's top classes with their
 * probabilities.
 *
 *   npm run classify -- FILE|FOLDER ... [--model DIR] [--top 3] [--json]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../backend/backend';
import { ArgumentError, DataFormatError } from '../core/errors';
import { IMAGE_LIMITS, listImageFiles } from '../data/image_files';
import { loadModel } from '../models/io';
import { classifyImageFiles } from '../train/predict';

const DEFAULT_MODEL = path.join('runs', 'cifar10', 'model');

const USAGE = `Usage: npm run classify -- [options] FILE|FOLDER ...

Classifies PNG and JPEG files (any size, colour or grey, with or without
transparency) with a saved CIFAR-10 model, and prints each file's top classes.
A FOLDER means every .png, .jpg and .jpeg file in it (not in sub-folders).
Each image is cut to its centred square, transparency is laid on white, and it
is shrunk to the model's 32×32 with area averaging.

Options:
  --model DIR     the saved model folder (model.json + weights.bin), as
                  npm run cifar10 or notebook 05 writes it (default ${DEFAULT_MODEL};
                  notebook 05 saves to notebooks/runs/05-cifar10-cnn)
  --top N         classes to print per image (default 3)
  --stretch       squash the whole image to a square instead of cutting the centre
  --backend NAME  tensorflow | wasm | cpu (default: best available, env DL_COURSE_BACKEND)
  --json          print one JSON array as the last stdout line
  -h, --help      this text

Files larger than ${IMAGE_LIMITS.maxSide.toLocaleString('en-US')} pixels a side or ${IMAGE_LIMITS.maxPixels / 1e6} megapixels are refused
before decoding. A file that cannot be read is reported and the others are
still classified; the exit code is then 1.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      top: { type: 'string' },
      stretch: { type: 'boolean', default: false },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new ArgumentError('classify: give at least one image file or folder, e.g. npm run classify -- cat.jpg photos/');
  let top = 3;
  if (values.top !== undefined) {
    top = Number(values.top);
    if (!/^\s*\d+\s*$/.test(values.top) || top < 1 || top > 1000) throw new ArgumentError(`classify: --top must be an integer ≥ 1, got "${values.top}"`);
  }
  const backendName = values.backend as 'tensorflow' | 'wasm' | 'cpu' | undefined;
  if (backendName !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(backendName)) {
    throw new ArgumentError(`classify: --backend must be one of tensorflow, wasm, cpu, got "${backendName}"`);
  }
  // Paths are relative to where the user stands: npm run starts scripts in the
  // package root and says where it was called from in INIT_CWD. Working there
  // lets every message name a file as the user wrote it.
  if (process.env.npm_lifecycle_event && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const modelDir = path.resolve(values.model ?? DEFAULT_MODEL);
  if (!fs.existsSync(path.join(modelDir, 'model.json'))) {
    throw new ArgumentError(
      `classify: no saved model in ${modelDir} (no model.json there). Train one with npm run cifar10 ` +
        `(a quick one: COURSE_QUICK=1 npm run cifar10), or pass --model DIR, e.g. --model notebooks/runs/05-cifar10-cnn after notebook 05`,
    );
  }
  // Files and folders, in the order given; a folder is expanded to its image files.
  const files: string[] = [];
  for (const p of positionals) {
    if (fs.statSync(p, { throwIfNoEntry: false })?.isDirectory()) {
      const inside = listImageFiles(p);
      if (inside.length === 0) console.error(`classify: folder ${p} has no .png, .jpg or .jpeg files`);
      files.push(...inside);
    } else {
      files.push(p);
    }
  }
  await initBackend(backendName ? { backend: backendName } : {});
  const model = await loadModel(modelDir);
  const results = classifyImageFiles(model, files, {
    k: Math.min(top, model.outputs[0].shape[1]!),
    read: { fit: values.stretch ? 'stretch' : 'crop' },
    progress: files.length > 1 ? process.stderr : false,
    label: positionals.length === 1 ? positionals[0] : `${files.length} files`,
  });
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  for (const r of results) {
    if (r.error) console.error(`error: ${r.error}`);
    else if (!values.json) console.log(`${r.file}: ${r.top!.map((s) => `${s.className} ${pct(s.probability)}`).join(', ')}`);
  }
  const failed = results.filter((r) => r.error).length;
  if (failed > 0) console.error(`${failed} of ${results.length} file${results.length === 1 ? '' : 's'} could not be classified`);
  if (values.json) console.log(JSON.stringify(results.map((r) => (r.error ? { file: r.file, error: r.error } : { file: r.file, top: r.top }))));
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error;
    const known = e instanceof ArgumentError || e instanceof DataFormatError || (e as NodeJS.ErrnoException)?.code?.startsWith?.('ERR_PARSE_ARGS');
    console.error(known ? `error: ${e.message}\n\nRun with --help for the options.` : e?.stack ?? String(err));
    process.exit(known ? 2 : 1);
  },
);
