/**
 * `npm run classify` (lib/cli/classify.ts, built in dist/): files and folders
 * of images the test makes, bad files reported by name, a progress report for
 * a folder, JSON output, and the argument errors.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCifar10Cnn, saveModel } from '../../lib';
import { makeTmpDir } from '../data/helpers';
import { ROOT } from '../helpers/notebook';

const CLI = path.join(ROOT, 'dist', 'lib', 'cli', 'classify.js');
let work: string;

/** Runs the CLI in `work` (relative paths as a user types them). */
function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, COURSE_QUICK: '', npm_lifecycle_event: '' }, timeout: 120_000 });
}

beforeAll(async () => {
  work = makeTmpDir();
  await saveModel(buildCifar10Cnn({ seed: 0 }), path.join(work, 'model')); // untrained: the test checks the plumbing, not accuracy
  const pics = path.join(work, 'pics');
  fs.mkdirSync(pics);
  const rgba = Buffer.alloc(50 * 30 * 4);
  for (let i = 0; i < 50 * 30; i++) rgba.set([(i * 5) % 256, 90, 160, i % 3 === 0 ? 0 : 255], 4 * i);
  const png = new PNG({ width: 50, height: 30 });
  png.data = rgba;
  fs.writeFileSync(path.join(pics, 'a.png'), PNG.sync.write(png));
  fs.writeFileSync(path.join(pics, 'b.jpg'), jpeg.encode({ data: rgba, width: 50, height: 30 }, 90).data);
  fs.writeFileSync(path.join(pics, 'c.png'), 'not an image at all');
  fs.writeFileSync(path.join(pics, 'd.jpeg'), Buffer.alloc(0));
}, 60_000);

describe('npm run classify', () => {
  it('prints each file’s top 3 classes and exits 0', () => {
    const r = run(['--model', 'model', 'pics/a.png', 'pics/b.jpg']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^pics\/a\.png: [a-z]+ \d+\.\d%, [a-z]+ \d+\.\d%, [a-z]+ \d+\.\d%$/);
    expect(lines[1]).toMatch(/^pics\/b\.jpg: /);
  });

  it('classifies a folder with a progress report, names each bad file, and exits 1', () => {
    const r = run(['--model', 'model', 'pics', '--json', '--top', '2']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/classify pics: 100% \(4 of 4 images, /);
    expect(r.stderr).toContain('error: readImageFile: "pics/c.png" is not a PNG or JPEG image');
    expect(r.stderr).toContain('error: readImageFile: "pics/d.jpeg" is empty (0 bytes)');
    expect(r.stderr).toContain('2 of 4 files could not be classified');
    const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { file: string; top?: { className: string; probability: number }[]; error?: string }[];
    expect(json.map((j) => j.file)).toEqual(['pics/a.png', 'pics/b.jpg', 'pics/c.png', 'pics/d.jpeg']);
    expect(json[0].top).toHaveLength(2);
    expect(json[0].top![0].probability).toBeGreaterThanOrEqual(json[0].top![1].probability);
    expect(json[2].error).toMatch(/"pics\/c\.png"/);
  });

  it.each([
    [[], /give at least one image file or folder/],
    [['pics/a.png'], /no saved model in .*runs\/cifar10\/model.*npm run cifar10/],
    [['--model', 'model', '--top', '0', 'pics/a.png'], /--top must be an integer ≥ 1, got "0"/],
    [['--model', 'model', '--backend', 'gpu', 'pics/a.png'], /--backend must be one of tensorflow, wasm, cpu, got "gpu"/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('rejects %j with exit code 2 and a clear message', (args, message) => {
    const r = run(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('prints its help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run classify -- [options] FILE|FOLDER');
  });
});
