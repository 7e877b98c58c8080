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
 * package's own worker script, written once to the temp folder; it already
 * supports Node's `worker_threads`), the main script as a file path
 * (`mainScriptUrlOrBlob`), and an `instantiateWasm` hook that answers
 * `emscripten_num_logical_cores` with 2 × the wanted thread count. It then wraps
 * the module exactly as the package does and builds the package's own
 * `BackendWasm`, so every registered wasm kernel (stock and ours) works
 * unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArgumentError, describe } from '../../core/errors';

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
 * Writes the package's pthread worker script to a real file (once per content,
 * atomically, so that concurrent processes never see half a file) and returns
 * its path. The package keeps it only as a string for a `blob:` URL.
 */
function workerFile(dir: string): string {
  const { wasmWorkerContents } = nodeRequire(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The string comes from a template literal, which turned the script's "\n"
  // escapes into real newlines inside string literals (the package escapes them
  // back for its Blob the same way).
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const folder = path.join(os.tmpdir(), 'dl-course-wasm-threads');
  const file = path.join(folder, `tfjs-backend-wasm-threaded-simd.worker.${hash}.cjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(folder, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script);
    fs.renameSync(tmp, file);
  }
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
