import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SUBSET } from './helpers/notebook';

const CLI = path.join(ROOT, 'dist', 'lib', 'cli', 'cifar10.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, COURSE_QUICK: '', ...env }, timeout: 600_000 });
}

describe('npm run cifar10 (the main job)', () => {
  it.each([
    [['--epochs', '0'], /--epochs must be an integer in \[1, 1000000000\], got "0"/],
    [['--epochs', 'ten'], /--epochs must be an integer in \[1, 1000000000\], got "ten"/],
    [['--epochs', '99999999999999999999'], /--epochs must be an integer in \[1, 1000000000\]/],
    [['--batch-size', '2.5'], /--batch-size must be an integer in \[1, 1000000000\], got "2.5"/],
    [['--out', __filename], /--out .* exists and is not a folder/],
    [['--backend', 'tensorflow'], /--backend tensorflow could not be used: .*not installed.*npm install @tensorflow\/tfjs-node/],
    [['--learning-rate=-1'], /--learning-rate must be a number > 0, got "-1"/],
    [['--learning-rate', 'fast'], /--learning-rate must be a number > 0, got "fast"/],
    [['--backend', 'gpu'], /--backend must be one of tensorflow, wasm, cpu, got "gpu"/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('rejects %j with exit code 2 and a message naming the option', (args, message) => {
    const r = run(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });
  it('reports a missing --data path clearly', () => {
    const r = run(['--data', '/nonexistent/cifar.tar.gz']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/cifar.tar.gz/);
  });
  it.skipIf(!fs.existsSync(SUBSET))('trains, evaluates, saves the model and a report, and prints a JSON summary last', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-'));
    const r = run(['--data', SUBSET, '--epochs', '1', '--train-size', '300', '--test-size', '200', '--batch-size', '50', '--out', out, '--json']);
    if (r.status !== 0) console.error(r.stderr);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]);
    expect(summary).toMatchObject({ backend: 'wasm', epochs: 1, trainSize: 300, testSize: 200, batchSize: 50 });
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.testAccuracy).toBeLessThanOrEqual(1);
    expect(summary.trainImagesPerSecond).toBeGreaterThan(0);
    expect(fs.readdirSync(out).sort()).toEqual(['model', 'report.html', 'report.json']);
    expect(fs.readdirSync(path.join(out, 'model')).sort()).toEqual(['model.json', 'weights.bin']);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(200);
    expect(report.testAccuracy).toBe(summary.testAccuracy);
  });
  it.skipIf(!fs.existsSync(SUBSET))('COURSE_QUICK=1 uses a small slice and one epoch', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-'));
    const r = run(['--out', out, '--json'], { COURSE_QUICK: '1', DL_COURSE_CIFAR10: SUBSET });
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ epochs: 1, trainSize: 1000, testSize: 500, quick: true });
  });
});
