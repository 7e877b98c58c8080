/**
 * The library as a user installs it: pack the project, install the tarball
 * into a fresh project outside the repository, and run there a TypeScript file
 * (the README's example, type-checked with tsc --strict), a CommonJS file and
 * an ES module that load CIFAR-10 (the run's archive: the real subset, else a
 * synthetic one), build the chapter-05 CNN and run a forward pass.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CIFAR10_ARCHIVE, ROOT } from '../helpers/notebook';

/** The run's CIFAR-10 archive: the real subset, else a synthetic one (test/setup/global.ts). */
const ARCHIVE = CIFAR10_ARCHIVE;
let project = '';
let tarball = '';

function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use the library in your own code'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README has no ```ts block under "Use the library in your own code"');
  return m[1];
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

describe('the packed library, installed in a fresh project', () => {
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-consumer-'));
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', project], ROOT)) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(project, packed[0].filename);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'typescript@5.9.3', '@types/node@20'], project);
  }, 600_000);

  it('ships no tests, notebooks, caches, downloaded data or source maps; ships the course’s own intent data (chapter 06)', () => {
    const files = (JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT)) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files.filter((f) => /^(test|notebooks|runs|course|bench|scripts|\.cache|\.jupyter)\/|\.map$|\.tar\.gz$|\.bin$/.test(f))).toEqual([]);
    expect(files).toContain('dist/lib/index.js');
    expect(files).toContain('dist/lib/index.d.ts');
    expect(files).toContain('data/intents/intents.jsonl');
    expect(files).toContain('data/intents/README.md');
  });

  it('does not pull the course tools into the user project', () => {
    for (const tool of ['tslab', 'vitest', 'typedoc', 'markdownlint-cli']) {
      expect(fs.existsSync(path.join(project, 'node_modules', tool)), tool).toBe(false);
    }
    expect(fs.existsSync(path.join(project, 'node_modules', '@tensorflow', 'tfjs'))).toBe(true); // peer, installed by npm
  });

  it("runs the README's TypeScript example, type-checked with tsc --strict", () => {
    fs.writeFileSync(path.join(project, 'example.ts'), readmeExample());
    const tsc = path.join(project, 'node_modules', '.bin', 'tsc');
    execFileSync(tsc, ['--strict', '--skipLibCheck', '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', '--types', 'node', 'example.ts'], { cwd: project, encoding: 'utf8' });
    const r = spawnSync(process.execPath, ['example.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, DL_COURSE_CIFAR10: ARCHIVE } });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.stdout.trim()).toBe('wasm [ 32, 10 ]');
  });

  it('works from CommonJS and from an ES module', () => {
    const body = (imp: string) => `${imp}
(async () => {
  await dl.initBackend({ backend: 'wasm' });
  const data = await dl.loadCifar10({ source: ${JSON.stringify(ARCHIVE)}, trainSize: 10, testSize: 16 });
  const model = dl.buildCifar10Cnn();
  const y = model.predict(dl.imagesToTensor(data.test));
  console.log(JSON.stringify({ shape: y.shape, params: model.countParams(), classes: data.classNames.length }));
})();
`;
    fs.writeFileSync(path.join(project, 'use.cjs'), body("const dl = require('dl-course');"));
    fs.writeFileSync(path.join(project, 'use.mjs'), body("import * as dl from 'dl-course';"));
    for (const file of ['use.cjs', 'use.mjs']) {
      const r = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ shape: [16, 10], params: 167562, classes: 10 });
    }
  });

  it('exports a curated API: no test or kernel hook from the package root, and no deep import', () => {
    const script = `const dl = require('dl-course');
const hooks = ['stockKernel', 'unregisterFastConvGradients', 'registerFastConvGradients', 'isFastConvGradientRegistered', 'KernelScope', 'heapF32',
  'stockWasmKernel', 'unregisterFastWasmTrainingKernels', 'registerFastWasmTrainingKernels', 'useSingleThreadedWasm', 'useThreadedWasm', 'resolveWasmThreads',
  'num', 'escapeHtml', 'liveOutput', 'checkTensor', 'checkExamples', 'gatherExamples', 'runTrainingLoop', 'createProgressReporter',
  'trainingPipelineChart', 'trainingStepGraphChart', 'showImages', 'showFlowchart', 'flowchartImgHtml', 'usesOneHotLabels'];
let deep = 'importable';
try { require('dl-course/dist/lib/backend/kernels/conv2d_grad'); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ leaked: hooks.filter((h) => h in dl), deep, count: Object.keys(dl).length, has: ['trainClassifier', 'trainMlp', 'LabeledExamples' in dl, 'CHAPTER05_CONFIG'].filter((k) => typeof k === 'string' && k in dl) }));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.leaked).toEqual([]);
    expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(out.has).toEqual(['trainClassifier', 'trainMlp', 'CHAPTER05_CONFIG']);
    const index = fs.readFileSync(path.join(ROOT, 'lib', 'index.ts'), 'utf8');
    expect(index).not.toMatch(/export \*/);
  });

  it('has no side effects on import: no backend is chosen until initBackend', () => {
    const r = spawnSync(process.execPath, ['-e', "require('dl-course'); const tf = require('@tensorflow/tfjs'); console.log(String(tf.engine().backendName ?? 'none'), Object.keys(tf.engine().registry).length)"], { cwd: project, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('none 0'); // no backend instance created
  });

  it('installs from a git URL (prepare compiles it, offline)', () => {
    // Not from a local path: npm links the folder, skipping peer dependencies (README, "Use the library").
    for (const spec of [`git+file://${ROOT}`]) {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-consumer-'));
      fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'consumer2', version: '1.0.0', private: true }));
      npm(['install', '--no-audit', '--no-fund', '--prefer-offline', spec], other);
      const r = spawnSync(process.execPath, ['-e', "const dl = require('dl-course'); console.log(dl.buildCifar10Cnn().countParams())"], { cwd: other, encoding: 'utf8' });
      expect(r.status, `${spec}: ${r.stderr}`).toBe(0);
      expect(r.stdout.trim()).toBe('167562');
    }
  }, 600_000);
});
