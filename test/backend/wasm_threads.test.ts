// Tests for lib/backend/threads/wasm_threads.ts: the multithreaded wasm backend (threaded SIMD build over
// worker_threads) starts, really uses its threads, computes what the single-threaded build computes,
// falls back when it cannot start, lets Node exit, and never runs a worker file another user could have
// written (shared machines: JupyterHub, lab servers).
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randoms, relErr } from '../helpers/numeric';
import { ArgumentError } from '../../lib/core/errors';
import { registerFastConvGradients } from '../../lib/backend/kernels/conv2d_grad';
import { registerFastWasmTrainingKernels } from '../../lib/backend/kernels/wasm_training';
import { buildCifar10Cnn, compileClassifier } from '../../lib/models/cnn';
import {
  MAX_WASM_THREADS,
  WASM_THREADS_ENV_VAR,
  defaultWasmThreads,
  resolveWasmThreads,
  useSingleThreadedWasm,
  useThreadedWasm,
  wasmThreadsInfo,
} from '../../lib/backend/threads/wasm_threads';

const ROOT = path.resolve(__dirname, '..', '..');

let savedEnv: string | undefined;
beforeAll(() => {
  savedEnv = process.env[WASM_THREADS_ENV_VAR];
  registerFastConvGradients();
  registerFastWasmTrainingKernels();
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env[WASM_THREADS_ENV_VAR];
  else process.env[WASM_THREADS_ENV_VAR] = savedEnv;
});
afterAll(() => useSingleThreadedWasm());

describe('resolveWasmThreads', () => {
  it('defaults to the available cores, at most 8', () => {
    delete process.env[WASM_THREADS_ENV_VAR];
    const r = resolveWasmThreads();
    expect(r.threads).toBe(defaultWasmThreads());
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(r.threads).toBeLessThanOrEqual(MAX_WASM_THREADS);
    expect(r.source).toMatch(/^default/);
  });

  it('reads DL_COURSE_WASM_THREADS, and the option overrides it', () => {
    process.env[WASM_THREADS_ENV_VAR] = '1';
    expect(resolveWasmThreads()).toEqual({ threads: 1, source: 'DL_COURSE_WASM_THREADS=1' });
    expect(resolveWasmThreads(2)).toEqual({ threads: 2, source: 'options.wasmThreads = 2' });
    process.env[WASM_THREADS_ENV_VAR] = '';
    expect(resolveWasmThreads().threads).toBe(defaultWasmThreads());
  });

  it.each(['0', '9', 'two', '1.5', '-1'])('DL_COURSE_WASM_THREADS=%j throws ArgumentError naming the variable and the range', (value) => {
    process.env[WASM_THREADS_ENV_VAR] = value;
    expect(() => resolveWasmThreads()).toThrow(ArgumentError);
    expect(() => resolveWasmThreads()).toThrow(/DL_COURSE_WASM_THREADS must be an integer in 1\.\.8/);
  });

  it.each([0, 9, 1.5, '2', null])('options.wasmThreads = %j throws ArgumentError naming options.wasmThreads', (value) => {
    expect(() => resolveWasmThreads(value as never)).toThrow(/options\.wasmThreads must be an integer in 1\.\.8/);
  });
});

describe('useThreadedWasm', () => {
  it('starts the threaded SIMD build with 2 threads that XNNPACK really uses', async () => {
    useThreadedWasm(2);
    await tf.setBackend('wasm');
    expect(wasmThreadsInfo()).toEqual({ requested: 2, threads: 2, build: 'threaded-simd' });
    // One pthread worker runs for the pool (the main thread is the other); the 7 idle ones were freed.
    const pthreads = (tf.backend() as unknown as { wasm: { PThread: { runningWorkers: unknown[]; unusedWorkers: unknown[] } } }).wasm.PThread;
    expect(pthreads.runningWorkers.length).toBe(1);
    expect(pthreads.unusedWorkers.length).toBe(0);
  });

  it('useSingleThreadedWasm puts the stock build back', async () => {
    useSingleThreadedWasm();
    await tf.setBackend('wasm');
    expect(wasmThreadsInfo()).toEqual({ requested: 1, threads: 1, build: 'stock' });
    expect('PThread' in (tf.backend() as unknown as { wasm: object }).wasm).toBe(false);
  });

  it('one training step of the course CNN gives the same weights on 2 threads as on the single-threaded build', async () => {
    const x = randoms(8 * 32 * 32 * 3, 3); // [batch, height, width, channels] in [0, 1)
    const labels = Float32Array.from({ length: 8 }, (_, i) => i % 10);
    async function step(): Promise<Float32Array[]> {
      const model = compileClassifier(buildCifar10Cnn({ seed: 7 }));
      const xs = tf.tensor4d(x, [8, 32, 32, 3]);
      const ys = tf.tensor1d(labels, 'float32');
      await model.trainOnBatch(xs, ys);
      await model.trainOnBatch(xs, ys);
      const weights = await Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
      tf.dispose([xs, ys]);
      model.dispose();
      return weights;
    }
    useSingleThreadedWasm();
    await tf.setBackend('wasm');
    const single = await step();
    useThreadedWasm(2);
    await tf.setBackend('wasm');
    expect(wasmThreadsInfo().threads).toBe(2);
    const threaded = await step();
    expect(threaded.length).toBe(single.length);
    threaded.forEach((w, i) => expect(relErr(w, single[i]), `weight ${i}`).toBeLessThanOrEqual(1e-4));
  });

  it('falls back to the single-threaded build, saying why, when the worker file cannot be written', async () => {
    useSingleThreadedWasm();
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = '/dev/null/not-a-folder'; // os.tmpdir() now points below a file
    try {
      useThreadedWasm(2);
      await tf.setBackend('wasm');
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    const info = wasmThreadsInfo();
    expect(info).toMatchObject({ requested: 2, threads: 1, build: 'stock' });
    expect(info.fallbackReason).toMatch(/ENOTDIR|not-a-folder/);
    expect(info.fallbackReason).toMatch(/cannot create the private folder .*not-a-folder/);
    const y = tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(await y.data())).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    useSingleThreadedWasm();
  });

  it('throws ArgumentError for 0 threads', () => {
    expect(() => useThreadedWasm(0)).toThrow(ArgumentError);
  });
});

describe('a Node program on the threaded backend', () => {
  const built = path.join(ROOT, 'dist', 'lib', 'backend', 'backend.js');
  it('exits by itself after its last line (compiled dist/lib/backend/backend.js; npm test builds it first)', () => {
    expect(fs.existsSync(built), `${built}: run npm run build`).toBe(true);
    const script = `
      const { initBackend } = require(${JSON.stringify(built)});
      const tf = require('@tensorflow/tfjs');
      initBackend({ wasmThreads: 2 }).then((r) => {
        tf.conv2d(tf.ones([2, 8, 8, 3]), tf.ones([3, 3, 3, 4]), 1, 'valid').dataSync();
        console.log('threads', r.threads);
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined(); // a timeout would set ETIMEDOUT here
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('threads 2');
  });
});

describe('the worker file on a shared machine', () => {
  // Each case starts the threaded backend in a child process whose TMPDIR is a
  // test-private folder, from the current source (transpiled here, so no
  // build is needed), and reports which files its pthread workers ran.
  const uid = process.geteuid?.();
  const posix = uid !== undefined;
  const root = uid === 0; // planting files owned by another user needs chown
  const OTHER = 65534; // nobody
  const req = createRequire(__filename);
  const { wasmWorkerContents } = req('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  const script = Buffer.from(wasmWorkerContents.replace(/\n/g, '\\n'));
  const scriptSha = createHash('sha256').update(script).digest('hex');
  const NAME = `tfjs-backend-wasm-threaded-simd.worker.${scriptSha.slice(0, 16)}.cjs`;
  const OLD_FOLDER = 'dl-course-wasm-threads'; // the shared folder of earlier versions
  const PRIVATE = `dl-course-${uid}`;

  let work = '';
  let lib = '';
  let cases = 0;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-wasm-threads-test-'));
    fs.chmodSync(work, 0o755); // the "other user" of the tests must reach the case folders
    for (const rel of ['lib/backend/threads/wasm_threads.ts', 'lib/core/errors.ts']) {
      const js = ts.transpileModule(fs.readFileSync(path.join(ROOT, rel), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      const out = path.join(work, 'src', rel.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, js);
    }
    lib = path.join(work, 'src', 'lib', 'backend', 'threads', 'wasm_threads.js');
  });
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** A fresh shared temp folder (mode 1777, like /tmp) and a marker path for one case. */
  function newCase(): { tmp: string; marker: string } {
    const dir = path.join(work, `case-${++cases}`);
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(tmp, 0o1777);
    return { tmp, marker: path.join(dir, 'MARKER') };
  }

  /** A script that writes `marker` when it runs, at `file`, owned by `owner` (root only) with `mode`. */
  function plant(file: string, marker: string, owner?: number, mode = 0o644): void {
    fs.writeFileSync(file, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran as uid ' + process.getuid());\n`);
    fs.chmodSync(file, mode);
    if (owner !== undefined) fs.chownSync(file, owner, owner);
  }

  /** A folder owned by `owner` (root only) with `mode`. */
  function folder(dir: string, mode: number, owner?: number): string {
    fs.mkdirSync(dir);
    fs.chmodSync(dir, mode);
    if (owner !== undefined) fs.chownSync(dir, owner, owner);
    return dir;
  }

  interface RanFile {
    file: string;
    mode: number;
    uid: number;
    isFile: boolean;
    ino: number;
    sha256: string;
    dirMode: number;
    dirUid: number;
    dirIsFolder: boolean;
  }
  /** Starts the threaded backend (2 threads) in a child process with TMPDIR = `tmp`; returns what it reports. */
  function start(tmp: string): { info: { requested: number; threads?: number; build: string }; values: number[]; ran: RanFile[]; stderr: string } {
    const child = `
      const fs = require('fs'), path = require('path'), crypto = require('crypto');
      const wt = require('worker_threads');
      const ran = new Set();
      const Base = wt.Worker; // Emscripten takes worker_threads.Worker when the module starts
      wt.Worker = class extends Base { constructor(file, opts) { ran.add(String(file)); super(file, opts); } };
      const tf = require('@tensorflow/tfjs');
      const { useThreadedWasm, wasmThreadsInfo } = require(${JSON.stringify(lib)});
      useThreadedWasm(2);
      (async () => {
        await tf.setBackend('wasm');
        const y = tf.conv2d(tf.ones([1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), 1, 'valid');
        const values = Array.from(await y.data());
        const files = [...ran].map((file) => {
          const f = fs.lstatSync(file), d = fs.lstatSync(path.dirname(file));
          return { file, mode: f.mode & 0o7777, uid: f.uid, isFile: f.isFile(), ino: f.ino,
            sha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
            dirMode: d.mode & 0o7777, dirUid: d.uid, dirIsFolder: d.isDirectory() };
        });
        console.log(JSON.stringify({ info: wasmThreadsInfo(), values, ran: files }));
      })();`;
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, NODE_PATH: path.join(ROOT, 'node_modules') };
    delete env[WASM_THREADS_ENV_VAR];
    const r = spawnSync(process.execPath, ['-e', child], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.error, r.stderr).toBeUndefined(); // a timeout (a worker that never answers) would set ETIMEDOUT here
    expect(r.status, r.stderr).toBe(0);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    return { ...JSON.parse(last), stderr: r.stderr };
  }

  /** The backend ran on 2 threads from exactly one worker file: ours, private, with the package's script. */
  function expectPrivateWorker(r: ReturnType<typeof start>): RanFile {
    expect(r.info).toEqual({ requested: 2, threads: 2, build: 'threaded-simd' });
    expect(r.values).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(r.ran.length).toBe(1);
    const f = r.ran[0];
    expect(path.basename(f.file)).toBe(NAME);
    expect(f).toMatchObject({ isFile: true, mode: 0o600, uid, sha256: scriptSha, dirIsFolder: true, dirMode: 0o700, dirUid: uid });
    return f;
  }

  it('the planted script of these tests does write its marker when run', () => {
    const { tmp, marker } = newCase();
    const file = path.join(tmp, 'evil.cjs');
    plant(file, marker);
    expect(spawnSync(process.execPath, [file]).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
  });

  it.skipIf(!posix)('creates <tmp>/dl-course-<uid> with mode 0700 and the worker file with mode 0600, both owned by the user, and reuses the file', () => {
    const { tmp } = newCase();
    const f = expectPrivateWorker(start(tmp));
    expect(f.file).toBe(path.join(tmp, PRIVATE, NAME));
    expect(fs.readdirSync(path.join(tmp, PRIVATE))).toEqual([NAME]); // no temporary file left
    expect(fs.existsSync(path.join(tmp, OLD_FOLDER))).toBe(false);
    const again = expectPrivateWorker(start(tmp));
    expect(again.file).toBe(f.file);
    expect(again.ino).toBe(f.ino); // checked and run, not rewritten
  });

  it.skipIf(!root)('another user created <tmp>/dl-course-<uid> (mode 0777) and planted the worker file there and at the old path: none runs', () => {
    const { tmp, marker } = newCase();
    plant(path.join(folder(path.join(tmp, PRIVATE), 0o777, OTHER), NAME), marker, OTHER);
    plant(path.join(folder(path.join(tmp, OLD_FOLDER), 0o777, OTHER), NAME), marker, OTHER);
    const r = start(tmp);
    expect(fs.existsSync(marker)).toBe(false);
    const f = expectPrivateWorker(r);
    // A new private folder of the process (mkdtemp), removed when it exits; the other user's is left alone.
    expect(path.dirname(f.file)).toMatch(new RegExp(`^${tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/dl-course-${uid}-\\w{6}$`));
    expect(fs.existsSync(path.dirname(f.file))).toBe(false);
    expect(r.stderr).toContain(`not using ${path.join(tmp, PRIVATE)} for the wasm worker script (it belongs to uid ${OTHER}`);
    expect(fs.readFileSync(path.join(tmp, PRIVATE, NAME), 'utf8')).toContain('MARKER');
    expect(fs.lstatSync(path.join(tmp, PRIVATE, NAME)).uid).toBe(OTHER);
  });

  it.skipIf(!root)('another user made <tmp>/dl-course-<uid> a symbolic link to a folder of theirs with the worker file: it is not followed', () => {
    const { tmp, marker } = newCase();
    const theirs = folder(path.join(tmp, 'theirs'), 0o777, OTHER);
    plant(path.join(theirs, NAME), marker, OTHER);
    fs.symlinkSync(theirs, path.join(tmp, PRIVATE));
    fs.lchownSync(path.join(tmp, PRIVATE), OTHER, OTHER);
    const r = start(tmp);
    expect(fs.existsSync(marker)).toBe(false);
    expect(path.dirname(expectPrivateWorker(r).file)).not.toBe(path.join(tmp, PRIVATE));
    expect(r.stderr).toContain('(it is a symbolic link)');
    expect(fs.readdirSync(theirs)).toEqual([NAME]);
  });

  it.skipIf(!posix)('<tmp>/dl-course-<uid> as a symbolic link to a private folder of the user is not used either (lstat, not stat)', () => {
    const { tmp, marker } = newCase();
    const elsewhere = folder(path.join(tmp, 'elsewhere'), 0o700);
    plant(path.join(elsewhere, NAME), marker, undefined, 0o600);
    fs.symlinkSync(elsewhere, path.join(tmp, PRIVATE));
    const r = start(tmp);
    expect(fs.existsSync(marker)).toBe(false);
    expect(path.dirname(expectPrivateWorker(r).file)).not.toBe(path.join(tmp, PRIVATE));
    expect(fs.readdirSync(elsewhere)).toEqual([NAME]); // nothing written through the link
    expect(fs.readFileSync(path.join(elsewhere, NAME), 'utf8')).toContain('MARKER');
  });

  it.skipIf(!posix)('a <tmp>/dl-course-<uid> of the user open to others (mode 0777) is not used', () => {
    const { tmp, marker } = newCase();
    plant(path.join(folder(path.join(tmp, PRIVATE), 0o777), NAME), marker, undefined, 0o600);
    const r = start(tmp);
    expect(fs.existsSync(marker)).toBe(false);
    expect(path.dirname(expectPrivateWorker(r).file)).not.toBe(path.join(tmp, PRIVATE));
    expect(r.stderr).toContain('its mode is 0777');
  });

  const replaced: Array<[string, boolean, (file: string, marker: string) => void]> = [
    ['a file owned by another user', true, (file, marker) => plant(file, marker, OTHER)],
    ['a file of the user with other content', false, (file, marker) => plant(file, marker, undefined, 0o600)],
    ['a file of the user with the right content but writable by others (0666)', false, (file) => {
      fs.writeFileSync(file, script);
      fs.chmodSync(file, 0o666);
    }],
    ['a symbolic link to a file of the user', false, (file, marker) => {
      plant(`${file}.target`, marker, undefined, 0o600);
      fs.symlinkSync(`${file}.target`, file);
    }],
    ['a folder', false, (file) => fs.mkdirSync(file)],
  ];
  it.skipIf(!posix).each(replaced)('in the private folder, %s at the worker file name is replaced, never run', (_what, needsRoot, make) => {
    if (needsRoot && !root) return;
    const { tmp, marker } = newCase();
    const file = path.join(folder(path.join(tmp, PRIVATE), 0o700), NAME);
    make(file, marker);
    const r = start(tmp);
    expect(fs.existsSync(marker)).toBe(false);
    expect(expectPrivateWorker(r).file).toBe(file); // now a regular 0600 file of the user with the package's script
  });
});
