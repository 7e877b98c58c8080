#!/usr/bin/env node
/**
 * The course's main job: train the chapter-05 CNN on CIFAR-10 from a terminal,
 * evaluate it on the test set, and save the model and an HTML report.
 *
 *   npm run cifar10 -- [--data PATH] [--epochs 10] [--batch-size 32] [--json] ...
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend, formatBackendReport } from '../backend/backend';
import { loadCifar10 } from '../data/cifar10';
import { splitExamples } from '../data/minibatch';
import { escapeHtml } from '../core/notebook';
import { mostConfusedPairs, perClassAccuracy } from '../nn/metrics';
import { ArgumentError, StorageError } from '../core/errors';
import { buildCifar10Cnn, compileClassifier } from '../models/cnn';
import { saveModel } from '../models/io';
import { barFigure, confusionMatrixFigure, confusionMatrixTable, historyFigure, tableHtml } from '../plot/charts';
import { imageGrid } from '../plot/images';
import { figureHtml, writeHtmlReport } from '../plot/plotly';
import { quickMode } from '../core/quick';
import { evaluateClassifier, trainClassifier } from '../train/classifier';
import { CHAPTER05_CONFIG, currentConfig } from '../train/config';

const FULL = CHAPTER05_CONFIG.full;
const QUICK = CHAPTER05_CONFIG.quick;
const sizeDefault = (quick: number | undefined) => `default all; ${quick} with COURSE_QUICK=1`;

const USAGE = `Usage: npm run cifar10 -- [options]

Trains the chapter-05 CNN on CIFAR-10, evaluates it on the test set, saves the
model and a report (report.html, report.json) in --out.

Options:
  --data PATH           CIFAR-10 binary archive (.tar.gz) or extracted folder
                        (default: env DL_COURSE_CIFAR10, else download the
                        official archive into the cache, see README)
  --cache-dir DIR       download cache (default: env DL_COURSE_CACHE_DIR,
                        else $XDG_CACHE_HOME/dl-course, else ~/.cache/dl-course)
  --epochs N            passes over the training set (default ${FULL.epochs}; ${QUICK.epochs} with COURSE_QUICK=1)
  --batch-size N        images per minibatch (default ${FULL.batchSize})
  --learning-rate X     Adam's learning rate (default ${FULL.learningRate})
  --train-size N        use the first N training images (${sizeDefault(QUICK.trainSize)})
  --test-size N         use the first N test images (${sizeDefault(QUICK.testSize)})
  --validation-fraction X  fraction of the training images held out for validation,
                        watched each epoch; the test set is used once, at the end
                        (default ${FULL.validationFraction}; 0: no validation set)
  --seed N              seed for initial weights, the split and shuffling (default ${FULL.seed})
  --backend NAME        tensorflow | wasm | cpu (default: best available, env DL_COURSE_BACKEND)
  --out DIR             output folder (default runs/cifar10)
  --json                print one JSON summary as the last stdout line
  -h, --help            this text

Defaults come from CHAPTER05_CONFIG (lib/train/config.ts), as in notebook 05.`;

function intOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > 1e9) {
    throw new ArgumentError(`cifar10: --${name} must be an integer in [${min}, 1000000000], got "${value}"`);
  }
  return n;
}

/** The staging folder being written, removed if the run is interrupted. */
let pendingStage: string | undefined;

// Ctrl-C outside the training loop (which stops at the next minibatch and
// returns; see lib/train/loop.ts): restore the terminal, leave nothing
// half-written, exit with 130 as shells do for SIGINT.
process.on('SIGINT', () => {
  if (pendingStage) fs.rmSync(pendingStage, { recursive: true, force: true });
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h'); // show the cursor a progress bar hid
  process.stderr.write('\ninterrupted\n');
  process.exit(130);
});

/** The path itself if it exists, else its nearest existing ancestor. */
function nearestExisting(p: string): string {
  let dir = p;
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** --out must be a folder we can write, or creatable inside one. */
function checkOutDir(outDir: string): void {
  const existing = nearestExisting(outDir);
  if (!fs.statSync(existing).isDirectory()) {
    throw new ArgumentError(`cifar10: --out ${outDir}: ${existing === outDir ? 'it exists and is not a folder' : `${existing} is a file, not a folder`}`);
  }
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    throw new StorageError(`cifar10: --out ${outDir}: cannot write in ${existing} (permission denied); choose another folder with --out`);
  }
}

/** Moves the outputs in `stage` (a folder beside or inside `outDir`) into `outDir`, replacing what was there. */
function publish(stage: string, outDir: string): void {
  if (!fs.existsSync(outDir)) {
    fs.mkdirSync(path.dirname(outDir), { recursive: true });
    fs.renameSync(stage, outDir); // one step: the folder appears complete
    fs.chmodSync(outDir, 0o777 & ~process.umask()); // mkdtemp made it private
    return;
  }
  for (const name of fs.readdirSync(stage)) {
    fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
    fs.renameSync(path.join(stage, name), path.join(outDir, name));
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      'cache-dir': { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      'validation-fraction': { type: 'string' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = quickMode();
  const config = currentConfig(CHAPTER05_CONFIG);
  const epochs = intOption('epochs', values.epochs, 1) ?? config.epochs;
  const batchSize = intOption('batch-size', values['batch-size'], 1) ?? config.batchSize;
  const trainSize = intOption('train-size', values['train-size'], 1) ?? config.trainSize;
  const testSize = intOption('test-size', values['test-size'], 1) ?? config.testSize;
  const seed = intOption('seed', values.seed, 0) ?? config.seed;
  let learningRate = config.learningRate;
  if (values['learning-rate'] !== undefined) {
    learningRate = Number(values['learning-rate']);
    if (!Number.isFinite(learningRate) || learningRate <= 0 || values['learning-rate'].trim() === '') {
      throw new ArgumentError(`cifar10: --learning-rate must be a number > 0, got "${values['learning-rate']}"`);
    }
  }
  let validationFraction = config.validationFraction;
  if (values['validation-fraction'] !== undefined) {
    validationFraction = Number(values['validation-fraction']);
    if (!(validationFraction >= 0 && validationFraction < 1) || values['validation-fraction'].trim() === '') {
      throw new ArgumentError(`cifar10: --validation-fraction must be a number in [0, 1), got "${values['validation-fraction']}"`);
    }
  }
  const backendName = values.backend as 'tensorflow' | 'wasm' | 'cpu' | undefined;
  if (backendName !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(backendName)) {
    throw new ArgumentError(`cifar10: --backend must be one of tensorflow, wasm, cpu, got "${backendName}"`);
  }
  // Relative paths are relative to where the user stands: `npm run` starts
  // scripts in the package root and says where it was called from in INIT_CWD.
  const base = process.env.npm_lifecycle_event && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(base, p));
  const outDir = resolve(values.out ?? path.join('runs', 'cifar10'))!;
  checkOutDir(outDir); // before the long work, not after it; nothing is created until the results exist

  let report: Awaited<ReturnType<typeof initBackend>>;
  try {
    report = await initBackend(backendName ? { backend: backendName } : {});
  } catch (err) {
    if (!backendName || (err as Error).name === 'ArgumentError') throw err;
    const hint = backendName === 'tensorflow' ? ' Install it with: npm install @tensorflow/tfjs-node@4.22.0 --allow-scripts=@tensorflow/tfjs-node (see README, Backends).' : '';
    throw new ArgumentError(`cifar10: --backend ${backendName} could not be used: ${(err as Error).message.split('\n')[0]}${hint}`);
  }
  console.error(formatBackendReport(report));
  if (quick) console.error('COURSE_QUICK=1: quick mode (small slice, 1 epoch unless given)');

  let data: Awaited<ReturnType<typeof loadCifar10>>;
  try {
    data = await loadCifar10({ source: resolve(values.data), cacheDir: resolve(values['cache-dir']), trainSize, testSize });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'DownloadError') e.message += '\nNo network? Give a local copy of the archive with --data PATH or DL_COURSE_CIFAR10=PATH.';
    throw e;
  }
  const { train, validation } = splitExamples(data.train, validationFraction, seed);
  const test = data.test;
  console.error(`data: ${train.n} training, ${validation.n} validation (held out of the training images) and ${test.n} test images from ${data.source}`);

  const model = compileClassifier(buildCifar10Cnn({ seed }), { learningRate });
  console.error(`model: ${model.countParams().toLocaleString('en-US')} parameters; training ${epochs} epoch${epochs === 1 ? '' : 's'}, minibatch ${batchSize}, Adam lr ${learningRate}`);
  const result = await trainClassifier(model, train, { epochs, batchSize, seed, validation: validation.n > 0 ? validation : undefined });
  if (result.stopped !== undefined) {
    console.error(`Nothing was written to ${outDir}.`); // the reporter printed where training stopped
    return 130; // the shell's code for a run ended by Ctrl-C (128 + SIGINT)
  }
  const ev = await evaluateClassifier(model, test);
  const chance = 1 / data.classNames.length;
  console.error(`test accuracy ${ev.accuracy.toFixed(4)} (chance ${chance.toFixed(2)}), test loss ${ev.loss.toFixed(4)}; training ${result.trainSeconds.toFixed(1)} s, ${Math.round(result.imagesPerSecond)} images/s`);
  const command = ['npm run cifar10 --', ...argv].join(' ');

  // Every output goes into a staging folder first, then moves into --out: a
  // run that fails or is stopped leaves no half-written report or model.
  const stage = fs.mkdtempSync(path.join(nearestExisting(outDir), '.cifar10-partial-'));
  pendingStage = stage;
  const modelDir = path.join(outDir, 'model');
  const summary = {
    backend: report.backend,
    epochs,
    batchSize,
    learningRate,
    seed,
    validationFraction,
    trainSize: train.n,
    validationSize: validation.n,
    testSize: test.n,
    chanceAccuracy: chance,
    testAccuracy: ev.accuracy,
    testLoss: ev.loss,
    trainImagesPerSecond: result.imagesPerSecond,
    trainSeconds: result.trainSeconds,
    history: result.history,
    perClassAccuracy: perClassAccuracy(ev.confusion),
    mostConfused: mostConfusedPairs(ev.confusion, 5),
    confusionMatrix: ev.confusion,
    classNames: data.classNames,
    data: data.source,
    model: path.join(outDir, 'model'),
    report: path.join(outDir, 'report.html'),
    tfjsVersion: tf.version.tfjs,
    quick,
    command,
  };
  try {
    await saveModel(model, path.join(stage, 'model'));
    fs.writeFileSync(path.join(stage, 'report.json'), JSON.stringify(summary, null, 2) + '\n');
    const names = data.classNames;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    writeHtmlReport(path.join(stage, 'report.html'), `CIFAR-10 CNN: test accuracy ${pct(ev.accuracy)} (chance ${pct(chance)})`, [
      {
        heading: 'Run',
        html:
          `<p>Test accuracy <b>${pct(ev.accuracy)}</b> (guessing: ${pct(chance)}), test loss ${ev.loss.toFixed(3)} (guessing: ln ${names.length} = ${Math.log(names.length).toFixed(3)}). ` +
          `${train.n} training, ${validation.n} validation and ${test.n} test images from <code>${escapeHtml(data.source)}</code>; ${epochs} epoch${epochs === 1 ? '' : 's'}, minibatch ${batchSize}, Adam learning rate ${learningRate}, seed ${seed}; ` +
          `backend <code>${report.backend}</code>, ${Math.round(result.imagesPerSecond)} training images/s (${result.trainSeconds.toFixed(1)} s).</p>` +
          `<p>To reproduce: <code>${escapeHtml(command)}</code></p>`,
      },
      { heading: 'Loss and accuracy per epoch (training and validation)', html: figureHtml(historyFigure(result.history)) },
      { heading: 'Accuracy per class (test set)', html: figureHtml(barFigure([...names], summary.perClassAccuracy, 'Accuracy per class (test set)', 'accuracy')) },
      {
        heading: 'Most confused pairs (test set)',
        html: tableHtml(['true class', 'predicted as', 'images'], summary.mostConfused.map((p) => [names[p.trueClass], names[p.predictedClass], p.count])),
      },
      { heading: 'Confusion matrix (test set)', html: figureHtml(confusionMatrixFigure(ev.confusion, names), { height: 520 }) + confusionMatrixTable(ev.confusion, names) },
      { heading: 'Some mistakes (predicted, with its probability / true)', html: imageGrid(test, { predictions: ev.predictions, confidence: ev.confidence, classNames: names, onlyMistakes: true, maxImages: 30 }).html },
      { heading: 'Some correct predictions, for contrast', html: imageGrid(test, { predictions: ev.predictions, confidence: ev.confidence, classNames: names, onlyCorrect: true, maxImages: 10 }).html },
    ]);
    publish(stage, outDir);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
    pendingStage = undefined;
  }
  console.error(`saved model to ${modelDir}, report to ${summary.report}`);
  if (values.json) {
    const { history, confusionMatrix, classNames, ...rest } = summary;
    void confusionMatrix;
    void classNames;
    console.log(JSON.stringify({ ...rest, history }));
  }
  return 0;
}


main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error;
    const known = ['ArgumentError', 'DataFormatError', 'DownloadError', 'NonFiniteLossError', 'StorageError'].includes(e?.name) || (e as NodeJS.ErrnoException)?.code?.startsWith?.('ERR_PARSE_ARGS');
    console.error(known ? `error: ${e.message}\n\nRun with --help for the options.` : e?.stack ?? String(err));
    process.exit(known ? 2 : 1);
  },
);
