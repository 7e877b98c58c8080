import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTER05_CONFIG } from '../lib';
import { CIFAR10_ARCHIVE, ROOT, codeCells } from './helpers/notebook';

/** The run's CIFAR-10 archive: the real subset, else a synthetic one of the same shape (test/setup/global.ts). */
const ARCHIVE = CIFAR10_ARCHIVE;

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
  it('trains, evaluates, saves the model and a report, and prints a JSON summary last', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-'));
    const r = run(['--data', ARCHIVE, '--epochs', '1', '--train-size', '300', '--test-size', '200', '--batch-size', '50', '--out', out, '--json']);
    if (r.status !== 0) console.error(r.stderr);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]);
    // 10% of the 300 training images are held out for validation (CHAPTER05_CONFIG.full.validationFraction); the test set is separate.
    expect(summary).toMatchObject({ backend: 'wasm', epochs: 1, trainSize: 270, validationSize: 30, testSize: 200, batchSize: 50, seed: 0, chanceAccuracy: 0.1 });
    expect(summary.history[0].valAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.command).toBe(`npm run cifar10 -- --data ${ARCHIVE} --epochs 1 --train-size 300 --test-size 200 --batch-size 50 --out ${out} --json`);
    expect(summary.perClassAccuracy).toHaveLength(10);
    expect(summary.mostConfused.length).toBeGreaterThan(0);
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.testAccuracy).toBeLessThanOrEqual(1);
    expect(summary.trainImagesPerSecond).toBeGreaterThan(0);
    expect(fs.readdirSync(out).sort()).toEqual(['model', 'report.html', 'report.json']);
    expect(fs.readdirSync(path.join(out, 'model')).sort()).toEqual(['model.json', 'weights.bin']);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(200);
    expect(report.testAccuracy).toBe(summary.testAccuracy);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    for (const heading of ['Accuracy per class (test set)', 'Most confused pairs (test set)', 'Some correct predictions, for contrast', 'To reproduce:', '(guessing: 10.0%)']) expect(html).toContain(heading);
    expect(html).toMatch(/[a-z]+ \d+% \/ [a-z]+</); // a mistake's caption with its probability
  });
  it('COURSE_QUICK=1 uses a small slice and one epoch', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-'));
    const r = run(['--out', out, '--json'], { COURSE_QUICK: '1', DL_COURSE_CIFAR10: ARCHIVE });
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const { epochs, trainSize, testSize, batchSize, learningRate, validationFraction } = CHAPTER05_CONFIG.quick;
    const validationSize = Math.round(trainSize! * validationFraction);
    expect(summary).toMatchObject({ epochs, trainSize: trainSize! - validationSize, validationSize, testSize, batchSize, learningRate, quick: true });
    expect([epochs, trainSize, testSize]).toEqual([1, 1000, 500]);
  });
});

describe('stopping and failing leave nothing behind', () => {
  const args = (out: string) => ['--data', ARCHIVE, '--train-size', '2000', '--test-size', '100', '--epochs', '5', '--out', out];
  it('Ctrl-C during training stops at the next minibatch, exits 130 and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-int-'));
    const out = path.join(dir, 'deep', 'run');
    const child = spawn(process.execPath, [CLI, ...args(out)], { cwd: ROOT, env: { ...process.env, COURSE_QUICK: '' } });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/epoch 1\/5 \|/.test(stderr)) child.kill('SIGINT');
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/trainClassifier: training interrupted after epoch 1, step \d+ of epoch 2/);
    expect(stderr).toContain(`Nothing was written to ${out}`);
    expect(fs.readdirSync(dir)).toEqual([]); // no --out folder, no staging folder
  });
  it('in a terminal, Ctrl-C shows the cursor again that the progress bar hid and ends the line', async () => {
    const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
    expect(haveScript, "util-linux's script(1), which gives the child a terminal").toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-tty-'));
    const command = [process.execPath, CLI, ...args(path.join(dir, 'run'))].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, COURSE_QUICK: '' } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      if (/epoch 1\/5 \|/.test(output) && !child.killed) spawnSync('pkill', ['-INT', '-f', `${CLI} --data`]);
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const hide = output.lastIndexOf('\x1b[?25l');
    expect(hide).toBeGreaterThan(-1); // the bar hid the cursor…
    expect(output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(hide); // …and it is shown again
    expect(output).toMatch(/training interrupted after epoch 1/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('a minibatch too large for the wasm heap gets a clear error suggesting a smaller --batch-size, not an abort', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-oom-'));
    const r = run(['--data', ARCHIVE, '--train-size', '10000', '--test-size', '100', '--epochs', '1', '--batch-size', '10000', '--backend', 'wasm', '--out', path.join(dir, 'run')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/trainClassifier: a minibatch of 10000 images does not fit in the wasm backend's memory .*pass a smaller options.batchSize \(--batch-size in npm run cifar10\), e\.g\. 1024/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('a run that fails leaves no --out folder behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-cli-fail-'));
    const r = run(['--data', path.join(dir, 'missing.tar.gz'), '--out', path.join(dir, 'run')]);
    expect(r.status).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
  it('npm run cifar10 from a subfolder resolves --data and --out against that subfolder (INIT_CWD)', () => {
    const sub = fs.mkdtempSync(path.join(ROOT, 'runs', 'subfolder-'));
    try {
      fs.copyFileSync(ARCHIVE, path.join(sub, 'local.tar.gz'));
      const r = spawnSync('npm', ['run', '--silent', 'cifar10', '--', '--data', 'local.tar.gz', '--train-size', '64', '--test-size', '32', '--epochs', '1', '--out', 'myrun', '--json'], {
        cwd: sub,
        encoding: 'utf8',
        env: { ...process.env, COURSE_QUICK: '' },
        timeout: 300_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readdirSync(path.join(sub, 'myrun')).sort()).toEqual(['model', 'report.html', 'report.json']);
      expect(JSON.parse(r.stdout.trim().split('\n').pop()!).data).toBe(path.join(sub, 'local.tar.gz'));
    } finally {
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });
});

describe("chapter 05's hyperparameters live in one place (CHAPTER05_CONFIG)", () => {
  it('the --help text states the config defaults', () => {
    const help = run(['--help']).stdout;
    const { full, quick } = CHAPTER05_CONFIG;
    expect(help).toContain(`--epochs N            passes over the training set (default ${full.epochs}; ${quick.epochs} with COURSE_QUICK=1)`);
    expect(help).toContain(`(default ${full.batchSize})`);
    expect(help).toContain(`(default ${full.learningRate})`);
    expect(help).toContain(`(default all; ${quick.trainSize} with COURSE_QUICK=1)`);
  });
  it('changing the default epochs there changes the help text (a patched copy of the build)', () => {
    // Copy dist/lib into a folder inside the repository (so node_modules resolve), change epochs: 10 -> 7.
    const copy = fs.mkdtempSync(path.join(ROOT, 'runs', 'config-copy-'));
    try {
      fs.cpSync(path.join(ROOT, 'dist', 'lib'), path.join(copy, 'lib'), { recursive: true });
      const configJs = path.join(copy, 'lib', 'train', 'config.js');
      const src = fs.readFileSync(configJs, 'utf8');
      expect(src).toMatch(/epochs: 10, batchSize: 32/);
      fs.writeFileSync(configJs, src.replace(/epochs: 10, batchSize: 32/, 'epochs: 7, batchSize: 32'));
      const r = spawnSync(process.execPath, [path.join(copy, 'lib', 'cli', 'cifar10.js'), '--help'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stdout).toContain('(default 7; 1 with COURSE_QUICK=1)');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
  it('notebook 05 reads every hyperparameter from the config, and its prose states the same values', () => {
    const nb = path.join(ROOT, 'notebooks', '05-cifar10-cnn.ipynb');
    const code = codeCells(nb).join('\n');
    expect(code).toContain('const config = dl.currentConfig(dl.CHAPTER05_CONFIG);');
    for (const key of ['epochs', 'batchSize', 'seed']) expect(code).toContain(`${key}: config.${key}`);
    expect(code).toContain('{ learningRate: config.learningRate }');
    expect(code).toContain('dl.loadCifar10({ trainSize: config.trainSize, testSize: config.testSize })');
    expect(code).not.toMatch(/\b(epochs|batchSize|trainSize|testSize|learningRate):\s*(dl\.quick\(|\d)/); // no literal in the code
    const markdown = (JSON.parse(fs.readFileSync(nb, 'utf8')) as { cells: { cell_type: string; source: string[] }[] }).cells
      .filter((c) => c.cell_type === 'markdown')
      .map((c) => c.source.join(''))
      .join('\n');
    const { full } = CHAPTER05_CONFIG;
    expect(markdown).toMatch(new RegExp(`minibatches of\\s+${full.batchSize} images, for ${full.epochs} epochs`));
  });
});
