/**
 * Multithreaded WebAssembly backend for TF.js in Node: loads the threaded SIMD
 * build that ships in `@tensorflow/tfjs-backend-wasm`
 * (`wasm-out/tfjs-backend-wasm-threaded-simd.{js,wasm}`, Emscripten pthreads
 * over Node `worker_threads`, XNNPACK's pthreadpool) instead of the package's
 * single-threaded default, without modifying node_modules.
 *
 * Why the package cannot do it itself in Node (tfjs-backend-wasm 4.22,
 * dist/tf-backend-wasm.node.js):
 *  1. the flag `WASM_HAS_MULTITHREAD_SUPPORT` returns false whenever `IS_NODE`
 *     (tensorflow/tfjs#3830);
 *  2. forced on, the Emscripten pthread worker is created from a `blob:` URL
 *     (`URL.createObjectURL`), which Node's `worker_threads` reject with
 *     `ERR_WORKER_PATH`, and the main script is passed to the workers as a Blob;
 *  3. even then XNNPACK would run ONE thread on a 2-core machine: the C++ side
 *     (src/cc/backend.cc) caps the pool at `emscripten_num_logical_cores() / 2`
 *     ("many x86-64 processors have 2 threads per core"), and in Node that
 *     import returns `os.cpus().length`.
 * So {@link useThreadedWasm} registers its own factory for the `wasm` backend:
 * it runs the threaded Emscripten factory with a real worker file (the
 * package's own worker script, which already supports Node's `worker_threads`;
 * written to `<tmp>/dl-course-<uid>/`, a folder only this user can write, and
 * checked byte for byte before each start: a file another user could have
 * written is never run, see `workerFile`), the main script as a file path
 * (`mainScriptUrlOrBlob`), and an `instantiateWasm` hook that answers
 * `emscripten_num_logical_cores` with 2 × the wanted thread count. It then wraps
 * the module exactly as the package does and builds the package's own
 * `BackendWasm`, so every registered wasm kernel (stock and ours) works
 * unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArgumentError, StorageError, describe } from '../../core/errors';

// `require` exists in the compiled CommonJS; under vitest's module runner it may not.
const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(__filename);

/** Environment variable with the number of wasm threads: `1` = the stock single-threaded build; unset or empty = {@link defaultWasmThreads}. */
export const WASM_THREADS_ENV_VAR = 'DL_COURSE_WASM_THREADS';

/** Most threads XNNPACK's pool takes in this build (backend.cc caps it at 8, the Emscripten worker pool size). */
export const MAX_WASM_THREADS = 8;

/** What the `wasm` backend runs on, as set up by {@link useThreadedWasm} or {@link useSingleThreadedWasm}. */
export interface WasmThreadsInfo {
  /** Threads asked for. */
  requested: number;
  /** Threads XNNPACK's pool really has (`get_threads_count`), once the backend is initialised; else undefined. */
  threads?: number;
  /** Which binary: `tfjs-backend-wasm-threaded-simd.wasm` or the package's default (`tfjs-backend-wasm-simd.wasm`). */
  build: 'threaded-simd' | 'stock';
  /** Why the stock build runs although threads were asked for (the error of the threaded start). */
  fallbackReason?: string;
}

/** The Emscripten module of the threaded build, as far as we use it. */
interface EmscriptenModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  PThread?: { unusedWorkers: Array<{ terminate(): unknown; unref(): void }>; runningWorkers: Array<{ unref(): void }> };
  tfjs?: Record<string, unknown>;
}
type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;
interface WasmPackage {
  BackendWasm: new (module: unknown) => tf.KernelBackend & { wasm: EmscriptenModule };
  setThreadsCount(n: number): void;
  version_wasm?: string;
}

let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
let info: WasmThreadsInfo = { requested: 1, build: 'stock' };
let installedThreads: number | undefined; // threads of the factory now registered by us; undefined = stock factory

/**
 * The default thread count: the cores Node may use (`os.availableParallelism()`), at most {@link MAX_WASM_THREADS}.
 * @example
 * ```ts
 * defaultWasmThreads() === Math.min(os.availableParallelism(), MAX_WASM_THREADS); // true (2 on a 2-core machine)
 * ```
 */
export function defaultWasmThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(MAX_WASM_THREADS, cores));
}

/**
 * The thread count to use: `option` when given, else `DL_COURSE_WASM_THREADS`,
 * else {@link defaultWasmThreads}; with the source, for a report.
 * @throws {ArgumentError} when `option` or the variable is not an integer in 1..8.
 * @example
 * ```ts
 * resolveWasmThreads(1); // { threads: 1, source: 'options.wasmThreads = 1' }
 * process.env.DL_COURSE_WASM_THREADS = '2';
 * resolveWasmThreads(); // { threads: 2, source: 'DL_COURSE_WASM_THREADS=2' }
 * ```
 */
export function resolveWasmThreads(option?: number): {
  /** Threads to use, 1..{@link MAX_WASM_THREADS}. */
  threads: number;
  /** Where the number came from, e.g. `DL_COURSE_WASM_THREADS=2`. */
  source: string;
} {
  const fn = 'resolveWasmThreads';
  const valid = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_WASM_THREADS;
  if (option !== undefined) {
    if (!valid(option)) throw new ArgumentError(`${fn}: options.wasmThreads must be an integer in 1..${MAX_WASM_THREADS}, got ${describe(option)}`);
    return { threads: option, source: `options.wasmThreads = ${option}` };
  }
  const env = process.env[WASM_THREADS_ENV_VAR];
  if (env !== undefined && env.trim() !== '') {
    const v = /^\s*\d+\s*$/.test(env) ? Number(env) : NaN;
    if (!valid(v)) {
      throw new ArgumentError(
        `${fn}: environment variable ${WASM_THREADS_ENV_VAR} must be an integer in 1..${MAX_WASM_THREADS} (1 = single-threaded) or unset, got ${describe(env)}`,
      );
    }
    return { threads: v, source: `${WASM_THREADS_ENV_VAR}=${env.trim()}` };
  }
  return { threads: defaultWasmThreads(), source: `default: ${defaultWasmThreads()} = available cores (at most ${MAX_WASM_THREADS})` };
}

function wasmPackage(): { pkg: WasmPackage; dir: string } {
  const pkg = nodeRequire('@tensorflow/tfjs-backend-wasm') as WasmPackage;
  const dir = path.join(path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  return { pkg, dir };
}

/**
 * The package's pthread worker script, as the file content to run: it is kept
 * only as a string for a `blob:` URL.
 */
function workerScript(dir: string): { script: Buffer; name: string } {
  const { wasmWorkerContents } = nodeRequire(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The string comes from a template literal, which turned the script's "\n"
  // escapes into real newlines inside string literals (the package escapes them
  // back for its Blob the same way).
  const script = Buffer.from(wasmWorkerContents.replace(/\n/g, '\\n'), 'utf8');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  return { script, name: `tfjs-backend-wasm-threaded-simd.worker.${hash}.cjs` };
}

/** The effective uid on POSIX; undefined on Windows (no uids). */
function ownUid(): number | undefined {
  return typeof process.geteuid === 'function' ? process.geteuid() : undefined;
}

/** Why `folder` is not a private folder of ours (a real folder, not a link, owned by `uid`, mode 0700 at most); undefined when it is. */
function notPrivate(folder: string, uid: number | undefined): string | undefined {
  const st = fs.lstatSync(folder); // lstat: a symbolic link is itself rejected, never followed
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isDirectory()) return 'it is not a folder';
  if (uid === undefined) return undefined; // Windows: no owner or mode bits to check; the file content is checked
  if (st.uid !== uid) return `it belongs to uid ${st.uid}, not to you (uid ${uid})`;
  if ((st.mode & 0o077) !== 0) return `its mode is 0${(st.mode & 0o777).toString(8)}, open to other users (expected 0700)`;
  return undefined;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Private folders made with mkdtemp by this process, per temp folder; removed at exit. */
const fallbackFolders = new Map<string, string>();

/**
 * A folder for the worker file that no other user can write:
 * `<tmp>/dl-course-<uid>` (mode 0700), created if missing. If that path is
 * anything else (another user's folder, a symbolic link, open to others), it is
 * left alone and a fresh private `fs.mkdtempSync` folder of this process is used
 * instead (removed at exit), with a warning on stderr. On Windows (no uids),
 * `<tmp>/dl-course` in the per-user temp folder.
 * @throws {StorageError} when no such folder can be created.
 */
function privateFolder(): string {
  const base = os.tmpdir();
  const uid = ownUid();
  const folder = path.join(base, uid === undefined ? 'dl-course' : `dl-course-${uid}`);
  const fail = (what: string, err: unknown) =>
    new StorageError(
      `useThreadedWasm: cannot ${what} for the wasm worker script: ${errText(err)}; ` +
        'set TMPDIR (TEMP on Windows) to a folder you can write, or DL_COURSE_WASM_THREADS=1 for the single-threaded build',
    );
  try {
    fs.mkdirSync(base, { recursive: true, mode: 0o700 }); // only when the temp folder itself is missing
    fs.mkdirSync(folder, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(`create the private folder ${folder}`, err);
  }
  let why: string | undefined;
  try {
    why = notPrivate(folder, uid);
  } catch (err) {
    throw fail(`inspect the private folder ${folder}`, err);
  }
  if (why === undefined) return folder;
  let own = fallbackFolders.get(base);
  if (own === undefined || notPrivate(own, uid) !== undefined) {
    try {
      own = fs.mkdtempSync(path.join(base, `dl-course-${uid ?? 'user'}-`)); // mode 0700, a new random name
    } catch (err) {
      throw fail(`create a private folder in ${base}`, err);
    }
    const created = own;
    fallbackFolders.set(base, created);
    process.once('exit', () => fs.rmSync(created, { recursive: true, force: true }));
    process.stderr.write(
      `dl-course: not using ${folder} for the wasm worker script (${why}); using ${created} instead. ` +
        'If that folder is yours, remove it; otherwise tell an administrator that another user created it.\n',
    );
    const still = notPrivate(created, uid);
    if (still !== undefined) throw fail(`use the new folder ${created}`, new Error(still));
  }
  return own;
}

/** Why `file` must not be run: not a regular file of ours, writable by others, or not exactly `script`; undefined when it may run. */
function notTheWorker(file: string, script: Buffer, uid: number | undefined): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  if (!st.isFile()) return 'not a regular file';
  if (uid !== undefined && st.uid !== uid) return `owned by uid ${st.uid}`;
  if (uid !== undefined && (st.mode & 0o022) !== 0) return 'writable by other users';
  if (st.size !== script.length) return 'different content';
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const again = fs.fstatSync(fd);
    if (again.ino !== st.ino || again.dev !== st.dev) return 'replaced while checked';
    return fs.readFileSync(fd).equals(script) ? undefined : 'different content';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes the package's pthread worker script to a real file that only this
 * user can write, and returns its path: `<private folder>/…worker.<hash>.cjs`
 * (see `privateFolder`), mode 0600. An existing file is run only when it
 * is a regular file owned by this user, not writable by others, with exactly
 * the expected bytes; anything else is replaced, never run. The file is
 * written under a new temporary name (exclusive create) and renamed, so
 * concurrent processes never see half a file.
 * @throws {StorageError} when it cannot be written or checked.
 */
function workerFile(dir: string): string {
  const { script, name } = workerScript(dir);
  const folder = privateFolder();
  const uid = ownUid();
  const file = path.join(folder, name);
  let why: string | undefined;
  try {
    if (notTheWorker(file, script, uid) === undefined) return file;
    // rename cannot replace a folder; this one is in our private folder, so it is ours to remove.
    if (fs.lstatSync(file, { throwIfNoEntry: false })?.isDirectory()) fs.rmSync(file, { recursive: true, force: true });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const fd = fs.openSync(tmp, 'wx', 0o600); // O_EXCL: never follows a link planted at that name
      try {
        fs.writeFileSync(fd, script);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, file); // replaces a wrong file (or a link) without following it
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    why = notTheWorker(file, script, uid);
  } catch (err) {
    throw new StorageError(`useThreadedWasm: cannot write the wasm worker script ${file}: ${errText(err)}`);
  }
  if (why !== undefined) throw new StorageError(`useThreadedWasm: the wasm worker script ${file} just written does not check out (${why}); not running it`);
  return file;
}

/** Starts the threaded build with `threads` threads; rejects with the reason when it cannot. */
async function threadedBackend(threads: number): Promise<tf.KernelBackend> {
  if (typeof SharedArrayBuffer !== 'function') throw new Error('SharedArrayBuffer is not available in this Node');
  const { pkg, dir } = wasmPackage();
  const mainScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const binary = path.join(dir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const worker = workerFile(dir);
  const factory = nodeRequire(mainScript) as EmscriptenFactory;
  let startError: unknown;
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const before = events.map((e) => new Set<unknown>(process.listeners(e as 'uncaughtException')));
  const module = await factory({
    // Workers are `new Worker(locateFile('…worker.js'))`: a real file, not a blob: URL.
    locateFile: (p: string, prefix: string) => (p.endsWith('.worker.js') ? worker : prefix + p),
    // Each worker evaluates this script (importScripts = fs.readFileSync + eval) to get the factory.
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm: (imports: Record<string, Record<string, unknown>>, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) => {
      // backend.cc sizes the pool as min(wanted, logical cores / 2, 8): answer 2 × wanted.
      const env = { ...imports.env, emscripten_num_logical_cores: () => 2 * threads };
      WebAssembly.instantiate(fs.readFileSync(binary), { ...imports, env, wasi_snapshot_preview1: env }).then(
        (r) => receive(r.instance, r.module),
        (err: unknown) => {
          startError = err;
        },
      );
      return {}; // asynchronous instantiation
    },
    onAbort: (what: unknown) => {
      startError = what;
    },
  }).catch((err: unknown) => {
    throw new Error(`the threaded wasm module failed to start: ${String((err as Error)?.message ?? err ?? startError)}`);
  });
  // Emscripten's Node glue adds process listeners that rethrow every uncaught
  // error, which makes Node print the throwing source line: here a 100 kB line
  // of minified code. Remove them; Node's default handling is the same minus
  // that line (exit status 1 instead of 7).
  events.forEach((e, i) => {
    for (const l of process.listeners(e as 'uncaughtException')) if (!before[i].has(l)) process.removeListener(e as 'uncaughtException', l);
  });
  // The same bridge as the package's init() (tf-backend-wasm.node.js).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  pkg.setThreadsCount(threads); // read by the BackendWasm constructor (initWithThreadsCount)
  const backend = new pkg.BackendWasm(module);
  // Emscripten pre-spawns 8 workers; the pool has taken threads − 1 of them.
  // Free the idle ones (~5 MB each); a later pthread would spawn a new one.
  const pthreads = module.PThread;
  for (const w of pthreads?.unusedWorkers.splice(0) ?? []) {
    w.unref(); // a worker still loading holds a reference that terminate() alone would keep
    void w.terminate();
  }
  // The pool's threads run (wait) for the life of the backend, and Emscripten
  // refs a worker while its pthread runs: unref them, or Node would never exit
  // after the program's last line. They compute only while the main thread
  // waits for them inside a kernel, so nothing is cut short.
  for (const w of pthreads?.runningWorkers ?? []) w.unref();
  return backend;
}

/**
 * Makes the `wasm` backend run on `threads` threads (the threaded SIMD build)
 * from its next initialisation on; with `threads` = 1, the package's stock
 * single-threaded build. If the threaded build fails to start (no
 * SharedArrayBuffer, temp folder not writable, worker error), the backend falls
 * back to the stock build and {@link wasmThreadsInfo} says why; a warning goes
 * to stderr. Replaces the backend factory registered by the package (kernels
 * are registered per backend name and stay); an initialised `wasm` backend is
 * disposed, so call it before creating tensors. `initBackend` calls it.
 *
 * @throws {ArgumentError} when `threads` is not an integer in 1..8.
 * @example
 * ```ts
 * useThreadedWasm(2);
 * await tf.setBackend('wasm');
 * wasmThreadsInfo(); // { requested: 2, threads: 2, build: 'threaded-simd' }
 * ```
 */
export function useThreadedWasm(threads: number): void {
  resolveWasmThreads(threads); // argument check
  if (threads === 1) return useSingleThreadedWasm();
  if (installedThreads === threads) return;
  captureStockFactory();
  const stock = stockFactory!;
  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  info = { requested: threads, build: 'threaded-simd' };
  tf.registerBackend(
    'wasm',
    async () => {
      try {
        const backend = await threadedBackend(threads);
        info = { requested: threads, build: 'threaded-simd', threads: Number((backend as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm.tfjs.getThreadsCount()) };
        return backend;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        process.stderr.write(`dl-course: the multithreaded wasm backend failed to start (${why}); using the single-threaded build\n`);
        const backend = await stock();
        info = { requested: threads, build: 'stock', threads: 1, fallbackReason: why };
        return backend;
      }
    },
    2, // the package's WASM_PRIORITY
  );
  installedThreads = threads;
}

/**
 * Puts the package's own (single-threaded SIMD) `wasm` backend factory back; an
 * initialised `wasm` backend is disposed.
 * @example
 * ```ts
 * useSingleThreadedWasm();
 * await tf.setBackend('wasm');
 * wasmThreadsInfo(); // { requested: 1, threads: 1, build: 'stock' }
 * ```
 */
export function useSingleThreadedWasm(): void {
  if (installedThreads !== undefined) {
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', stockFactory!, 2);
    installedThreads = undefined;
  }
  info = { requested: 1, build: 'stock' };
}

function captureStockFactory(): void {
  if (stockFactory !== undefined) return;
  wasmPackage(); // loading the package registers its factory
  const f = tf.findBackendFactory('wasm');
  if (f == null) throw new Error('useThreadedWasm: @tensorflow/tfjs-backend-wasm did not register a wasm backend');
  stockFactory = f;
}

/**
 * How the `wasm` backend is set up (threads asked for and, once initialised, really used).
 * @example
 * ```ts
 * // What initBackend() does on a machine with 2 or more cores:
 * useThreadedWasm(2);
 * await tf.setBackend('wasm');
 * wasmThreadsInfo().build; // 'threaded-simd'
 * ```
 */
export function wasmThreadsInfo(): WasmThreadsInfo {
  if (info.build === 'stock' && info.threads === undefined && tf.findBackend('wasm') != null) return { ...info, threads: 1 };
  return { ...info };
}
