/**
 * Chooses the TF.js backend for the course: native TensorFlow (GPU, then CPU)
 * when installed and loadable, else WebAssembly (XNNPACK, SIMD), else plain
 * JavaScript, and says which one runs and why (TF.js platform and environment
 * guide, https://www.tensorflow.org/js/guide/platform_environment).
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ArgumentError, describe } from '../core/errors';
import { registerFastConvGradients } from './kernels/conv2d_grad';
import { registerSegmentSumKernels } from './kernels/segment_sum';
import { registerFastNativeGradients } from './kernels/native_training';
import { registerFastWasmTrainingKernels } from './kernels/wasm_training';
import { WASM_THREADS_ENV_VAR, resolveWasmThreads, useThreadedWasm, wasmThreadsInfo } from './threads/wasm_threads';

export { WASM_THREADS_ENV_VAR } from './threads/wasm_threads';

/** Environment variable that picks the backend when `initBackend` gets no option. */
export const BACKEND_ENV_VAR = 'DL_COURSE_BACKEND';

/**
 * Backends a caller can ask for: `tensorflow` = tfjs-node-gpu or tfjs-node.
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
 */
export const BACKEND_CHOICES = ['tensorflow', 'wasm', 'cpu'] as const;

/** A backend a caller can ask for. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** A candidate that was not used, and why. */
export interface SkippedCandidate {
  /** npm package of the candidate, e.g. `@tensorflow/tfjs-node-gpu`. */
  candidate: string;
  /** `not installed`: not resolvable; `failed to load`: installed but loading or initialising failed; `overridden`: excluded by the option or `DL_COURSE_BACKEND`. */
  why: 'not installed' | 'failed to load' | 'overridden';
  /** Loader message (first lines), or what overrode it. */
  message?: string;
}

/** What {@link initBackend} chose. */
export interface BackendReport {
  /** `tf.getBackend()`: `tensorflow`, `wasm` or `cpu`. */
  backend: string;
  /** npm package that provides it, e.g. `@tensorflow/tfjs-backend-wasm`. */
  package: string;
  /**
   * Whether kernels run on a GPU. For `tensorflow` this is the native
   * binding's own answer (`isUsingGpuDevice`, true only when libtensorflow
   * found a GPU device); `tf.getBackend()` alone says 'tensorflow' either way.
   * `'unknown'` when the binding does not say.
   */
  gpu: boolean | 'unknown';
  /** One sentence: why this backend. */
  reason: string;
  /** Candidates tried before it (or excluded), in order. */
  skipped: SkippedCandidate[];
  /** Versions: `node`, `tfjs`, `tfjs-core`, the backend package, … */
  versions: Record<string, string>;
  /**
   * Threads the kernels run on: for `wasm` the size of XNNPACK's thread pool
   * (1 = the package's single-threaded build), 1 for `cpu`, `'unknown'` for
   * `tensorflow` (libtensorflow sizes its own pools).
   */
  threads: number | 'unknown';
  /** For `wasm`: where the thread count came from, and why the single-threaded build runs if threads were asked for but failed. */
  threadsNote?: string;
  /**
   * For `tensorflow` built by `npm run setup:native` (against a TensorFlow
   * the learner already has, e.g. pip's wheel): which TensorFlow, from where,
   * and the devices it listed when it was set up. Absent otherwise.
   */
  native?: NativeTensorFlow;
}

/** The TensorFlow behind a native backend that `npm run setup:native` built (its marker file). */
export interface NativeTensorFlow {
  /** TensorFlow's version as its C library reports it (`TF_Version()`), e.g. `2.21.0`. */
  version: string;
  /** Where it came from, e.g. `tensorflow_cpu 2.21.0 of /home/me/.venv/bin/python`. */
  source: string;
  /** Path of the C library the addon links to. */
  library: string;
  /** Whether it is a CUDA build (then the package is `@tensorflow/tfjs-node-gpu`). */
  cuda: boolean;
  /** Devices TensorFlow listed at setup, e.g. `['CPU:0', 'GPU:0']`; `[]` when it could not be asked. */
  devices: string[];
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use; overrides `DL_COURSE_BACKEND`. @default the first that loads of tensorflow, wasm, cpu */
  backend?: BackendChoice;
  /**
   * Threads of the `wasm` backend, 1..8; 1 = the package's single-threaded
   * build. Overrides `DL_COURSE_WASM_THREADS`. @default the available cores, at most 8
   */
  wasmThreads?: number;
}

interface Candidate {
  pkg: string;
  choice: BackendChoice;
  backendName: string;
}

const CANDIDATES: Candidate[] = [
  { pkg: '@tensorflow/tfjs-node-gpu', choice: 'tensorflow', backendName: 'tensorflow' },
  { pkg: '@tensorflow/tfjs-node', choice: 'tensorflow', backendName: 'tensorflow' },
  { pkg: '@tensorflow/tfjs-backend-wasm', choice: 'wasm', backendName: 'wasm' },
  { pkg: '@tensorflow/tfjs-backend-cpu', choice: 'cpu', backendName: 'cpu' },
];

// `require` exists in the compiled CommonJS; under vitest's module runner it may not.
const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(__filename);

let lastReport: BackendReport | undefined;
let lastRequest: string | undefined; // `${request}/${wasmThreads}`

/** First `maxLines` lines of an error's message. */
function firstLines(err: unknown, maxLines = 3): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').filter((l) => l.trim() !== '').slice(0, maxLines).join(' | ');
}

function isNotFound(err: unknown, pkg: string): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(pkg);
}

function resolveRequest(options: InitBackendOptions): { request: BackendChoice | 'auto'; source: string } {
  const fn = 'initBackend';
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  if (options.backend !== undefined) {
    if (!(BACKEND_CHOICES as readonly string[]).includes(options.backend as string)) {
      throw new ArgumentError(`${fn}: options.backend must be one of ${BACKEND_CHOICES.join(', ')}, got ${describe(options.backend)}`);
    }
    return { request: options.backend, source: `options.backend = '${options.backend}'` };
  }
  const env = process.env[BACKEND_ENV_VAR];
  if (env !== undefined && env !== '') {
    if (!(BACKEND_CHOICES as readonly string[]).includes(env)) {
      throw new ArgumentError(
        `${fn}: environment variable ${BACKEND_ENV_VAR} must be one of ${BACKEND_CHOICES.join(', ')} (or unset), got ${describe(env)}`,
      );
    }
    return { request: env as BackendChoice, source: `${BACKEND_ENV_VAR}=${env}` };
  }
  return { request: 'auto', source: 'default order: tfjs-node-gpu, tfjs-node, wasm, cpu' };
}

/** Tries one candidate; returns undefined on success, else why it was skipped. */
async function tryCandidate(c: Candidate, versions: Record<string, string>, wasmThreads: number): Promise<SkippedCandidate | undefined> {
  if (c.choice === 'tensorflow') {
    try {
      nodeRequire.resolve(c.pkg);
    } catch (err) {
      return { candidate: c.pkg, why: 'not installed', message: firstLines(err, 1) };
    }
    let mod: { version?: Record<string, string> };
    try {
      // Loading it registers the 'tensorflow' backend and selects it
      // (a side effect of the package's index.js); it fails here when the
      // native addon or libtensorflow (or, for -gpu, CUDA/cuDNN) is missing.
      mod = nodeRequire(c.pkg);
    } catch (err) {
      const why = isNotFound(err, c.pkg) ? 'not installed' : 'failed to load';
      return { candidate: c.pkg, why, message: firstLines(err) };
    }
    if (!(await tf.setBackend('tensorflow'))) {
      return { candidate: c.pkg, why: 'failed to load', message: "tf.setBackend('tensorflow') returned false (TF.js printed the cause above)" };
    }
    registerFastNativeGradients(); // TensorFlow's ReluGrad op instead of TF.js's eight-op formula
    versions[c.pkg.replace('@tensorflow/', '')] = mod.version?.[c.pkg.replace('@tensorflow/', '')] ?? mod.version?.['tfjs-node'] ?? 'unknown';
    const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
    if (binding?.TF_Version) versions['libtensorflow'] = binding.TF_Version;
    return undefined;
  }
  if (c.choice === 'wasm') {
    let mod: { version_wasm?: string };
    try {
      // In Node the .wasm files are found next to the package's bundle
      // (Emscripten's scriptDirectory = __dirname), so no setWasmPaths is needed.
      mod = nodeRequire(c.pkg);
    } catch (err) {
      return { candidate: c.pkg, why: isNotFound(err, c.pkg) ? 'not installed' : 'failed to load', message: firstLines(err) };
    }
    registerFastConvGradients();
    registerSegmentSumKernels();
    registerFastWasmTrainingKernels();
    try {
      // Threaded SIMD build over worker_threads (lib/backend/threads/wasm_threads.ts);
      // falls back to the stock single-threaded build by itself if it cannot start.
      useThreadedWasm(wasmThreads);
      if (!(await tf.setBackend('wasm'))) {
        return { candidate: c.pkg, why: 'failed to load', message: "tf.setBackend('wasm') returned false (TF.js printed the cause above)" };
      }
    } catch (err) {
      return { candidate: c.pkg, why: 'failed to load', message: firstLines(err) };
    }
    versions['tfjs-backend-wasm'] = mod.version_wasm ?? 'unknown';
    return undefined;
  }
  registerFastConvGradients();
  registerSegmentSumKernels();
  if (!(await tf.setBackend('cpu'))) {
    return { candidate: c.pkg, why: 'failed to load', message: "tf.setBackend('cpu') returned false" };
  }
  versions['tfjs-backend-cpu'] = tf.version['tfjs-backend-cpu'] ?? 'unknown';
  return undefined;
}

/**
 * Selects and initialises the TF.js backend, in this order unless told
 * otherwise: `@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node` (backend
 * `tensorflow`, when installed and loadable), `@tensorflow/tfjs-backend-wasm`
 * (`wasm`), plain JavaScript (`cpu`). For `wasm` and `cpu` it registers the
 * course's fast convolution gradients (lib/backend/kernels/conv2d_grad.ts), without
 * which `wasm` cannot train a CNN and `cpu` trains it at ~1 image/s, and for
 * `wasm` also faster BatchMatMul / MaxPoolGrad / Sum / broadcast element-wise
 * kernels (lib/backend/kernels/wasm_training.ts); for `tensorflow` it registers
 * TensorFlow's ReluGrad as the ReLU gradient (lib/backend/kernels/native_training.ts);
 * for `cpu` and `wasm`, a one-pass UnsortedSegmentSum, the gradient of an embedding
 * layer (lib/backend/kernels/segment_sum.ts: missing on `wasm`, very slow on `cpu`).
 *
 * `options.backend`, else the environment variable `DL_COURSE_BACKEND`
 * (`tensorflow` | `wasm` | `cpu`; empty = unset), restricts the choice to that
 * backend. `wasm` runs multithreaded (the package's threaded SIMD build over
 * worker_threads, lib/backend/threads/wasm_threads.ts) on `options.wasmThreads`, else
 * `DL_COURSE_WASM_THREADS`, else all available cores (at most 8); 1 selects the
 * package's stock single-threaded build. If the threaded build cannot start,
 * the single-threaded one runs and the report's `threadsNote` says why. Idempotent: a second call with the same request returns the same
 * report without reloading anything; a different request switches backends.
 * Nothing is silenced: TF.js's own warnings (e.g. the "looks like you are
 * running TensorFlow.js in Node.js" banner, printed by the `cpu` backend on
 * first use) still go to stderr.
 *
 * Not run at import time: call and await it before creating tensors.
 *
 * @returns the report, also available from {@link backendReport}.
 * @throws {ArgumentError} when `options.backend` or `DL_COURSE_BACKEND` is not
 *   one of `tensorflow`, `wasm`, `cpu` (the message names which, and the allowed values),
 *   or `options.wasmThreads` / `DL_COURSE_WASM_THREADS` is not an integer in 1..8.
 * @throws {Error} when the requested backend cannot be loaded (the message
 *   lists each candidate and its loader message).
 * @example
 * ```ts
 * // initBackend() picks the best available; here wasm is asked for by name:
 * const report = await initBackend({ backend: 'wasm' });
 * report.backend; // 'wasm'
 * report.skipped.map((s) => s.candidate); // ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']
 * report.skipped.map((s) => s.why); // ['overridden', 'overridden']
 * // Without tfjs-node installed, initBackend() reports them as 'not installed'.
 * await initBackend({ backend: 'gpu' as never }); // throws ArgumentError: options.backend must be one of tensorflow, wasm, cpu
 * ```
 * @see [Notebook 00 §1 Is everything installed?](../../notebooks/00-getting-started.ipynb#1.-Is-everything-installed?)
 * @see [Notebook 01: what a large model is, by the numbers](../../notebooks/01-background.ipynb#Chapter-01:-what-a-large-model-is,-by-the-numbers)
 * @see [Notebook 02: core concepts — talent, technology, market](../../notebooks/02-core-concepts.ipynb#Chapter-02:-core-concepts-—-talent,-technology,-market)
 * @see [Notebook 03: the training pipeline](../../notebooks/03-training-pipeline.ipynb#Chapter-03:-the-training-pipeline)
 * @see [Notebook 04: the maths of an MLP](../../notebooks/04-mlp-maths.ipynb#Chapter-04:-the-maths-of-an-MLP)
 * @see [Notebook 04b: cats against dogs with a small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#Chapter-04b:-cats-against-dogs-with-a-small-ResNet)
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb#Chapter-05:-a-CNN-for-CIFAR-10)
 * @see [Notebook 06: a customer-service intent classifier](../../notebooks/06-customer-service.ipynb#Chapter-06:-a-customer-service-intent-classifier)
 * @see [Notebook 06b: recognising your own images](../../notebooks/06b-own-images.ipynb#Chapter-06b:-recognising-your-own-images)
 * @see [Notebook 06c: a spoken-keyword voice assistant](../../notebooks/06c-voice-assistant.ipynb#Chapter-06c:-a-spoken-keyword-voice-assistant)
 * @see [Notebook 07: outlook: why models grow](../../notebooks/07-outlook.ipynb#Chapter-07:-outlook:-why-models-grow)
 * @see [Notebook 08: tools and resources, corrected](../../notebooks/08-tools-and-resources.ipynb#Chapter-08:-tools-and-resources,-corrected)
 * @see [Notebook 09: summary and challenges, privacy and compute measured](../../notebooks/09-summary-and-challenges.ipynb#Chapter-09:-summary-and-challenges,-privacy-and-compute-measured)
 * @see [Notebook 10: questions, and training efficiency](../../notebooks/10-questions-and-efficiency.ipynb#Chapter-10:-questions,-and-training-efficiency)
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const { request, source } = resolveRequest(options);
  let wasm: { threads: number; source: string };
  try {
    wasm = resolveWasmThreads(options.wasmThreads);
  } catch (err) {
    throw new ArgumentError((err as Error).message.replace(/^resolveWasmThreads/, 'initBackend'));
  }
  const key = `${request}/${wasm.threads}`;
  if (lastReport !== undefined && lastRequest === key && tf.getBackend() === lastReport.backend) {
    return lastReport;
  }

  const versions: Record<string, string> = { node: process.versions.node, tfjs: tf.version.tfjs, 'tfjs-core': tf.version['tfjs-core'] };
  const skipped: SkippedCandidate[] = [];
  for (const c of CANDIDATES) {
    if (request !== 'auto' && c.choice !== request) {
      skipped.push({ candidate: c.pkg, why: 'overridden', message: source });
      continue;
    }
    const skip = await tryCandidate(c, versions, wasm.threads);
    if (skip !== undefined) {
      skipped.push(skip);
      continue;
    }
    const gpu = gpuInUse(c);
    const backend = tf.getBackend();
    const reason =
      request === 'auto'
        ? `${c.pkg} is the first candidate that loaded (${source})`
        : `requested by ${source}`;
    const gpuNote =
      c.pkg === '@tensorflow/tfjs-node-gpu' && gpu === false ? '; note: tfjs-node-gpu loaded but TensorFlow found no GPU device, so it runs on the CPU' : '';
    let threads: number | 'unknown' = c.choice === 'tensorflow' ? 'unknown' : 1;
    let threadsNote: string | undefined;
    if (c.choice === 'wasm') {
      const t = wasmThreadsInfo();
      threads = t.threads ?? 1;
      threadsNote =
        t.fallbackReason !== undefined
          ? `${wasm.source}; the threaded build failed (${t.fallbackReason}), so the single-threaded build runs`
          : `${wasm.source}${t.build === 'threaded-simd' ? ' (tfjs-backend-wasm-threaded-simd.wasm over worker_threads)' : ' (tfjs-backend-wasm-simd.wasm)'}`;
    }
    const native = c.choice === 'tensorflow' ? readNativeMarker(c.pkg) : undefined;
    lastReport = {
      backend,
      package: c.pkg === '@tensorflow/tfjs-backend-cpu' ? '@tensorflow/tfjs (cpu backend)' : c.pkg,
      gpu,
      reason: reason + gpuNote,
      skipped,
      versions,
      threads,
      ...(threadsNote !== undefined ? { threadsNote } : {}),
      ...(native !== undefined ? { native } : {}),
    };
    lastRequest = key;
    return lastReport;
  }
  const details = skipped.filter((s) => s.why !== 'overridden').map((s) => `${s.candidate}: ${s.why}${s.message ? ` (${s.message})` : ''}`);
  throw new Error(`initBackend: backend '${request}' (${source}) could not be loaded: ${details.join('; ')}`);
}

/** The marker `npm run setup:native` (scripts/setup-native.cjs) writes into the package it built, or undefined. */
function readNativeMarker(pkg: string): NativeTensorFlow | undefined {
  try {
    const dir = path.dirname(path.dirname(nodeRequire.resolve(pkg)));
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'dl-course-native.json'), 'utf8')) as {
      tensorflow: { version: string; source: string; library: string; cuda: boolean };
      devices?: string[];
    };
    return { ...m.tensorflow, devices: m.devices ?? [] };
  } catch {
    return undefined; // installed by npm the usual way (its own libtensorflow 2.9.1), or no marker
  }
}

function gpuInUse(c: Candidate): boolean | 'unknown' {
  if (c.choice !== 'tensorflow') return false;
  // NodeJSKernelBackend (tfjs-node ≥ 1.x, checked in 4.22.0) sets
  // isUsingGpuDevice from its binding: true only if libtensorflow listed a GPU device.
  const flag = (tf.backend() as unknown as { isUsingGpuDevice?: unknown }).isUsingGpuDevice;
  return typeof flag === 'boolean' ? flag : 'unknown';
}

/**
 * The report of the last successful {@link initBackend}, or `undefined` before it.
 * @example
 * ```ts
 * await initBackend({ backend: 'wasm' });
 * backendReport()?.backend; // 'wasm'
 * backendReport()?.gpu; // false
 * ```
 */
export function backendReport(): BackendReport | undefined {
  return lastReport;
}

/**
 * The report as a few lines for people (a log, a notebook cell).
 * @example
 * ```ts
 * const text = formatBackendReport(await initBackend({ backend: 'wasm' }));
 * text.split('\n')[0].startsWith('TF.js backend: wasm (@tensorflow/tfjs-backend-wasm), GPU: no'); // true
 * // Then: why, threads, skipped candidates and versions, one line each, e.g.
 * //  skipped: @tensorflow/tfjs-node-gpu (not installed), @tensorflow/tfjs-node (not installed)
 * ```
 * @see [Notebook 00 §1 Is everything installed?](../../notebooks/00-getting-started.ipynb#1.-Is-everything-installed?)
 * @see [Notebook 01: what a large model is, by the numbers](../../notebooks/01-background.ipynb#Chapter-01:-what-a-large-model-is,-by-the-numbers)
 * @see [Notebook 02: core concepts — talent, technology, market](../../notebooks/02-core-concepts.ipynb#Chapter-02:-core-concepts-—-talent,-technology,-market)
 * @see [Notebook 03: the training pipeline](../../notebooks/03-training-pipeline.ipynb#Chapter-03:-the-training-pipeline)
 * @see [Notebook 04: the maths of an MLP](../../notebooks/04-mlp-maths.ipynb#Chapter-04:-the-maths-of-an-MLP)
 * @see [Notebook 04b: cats against dogs with a small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#Chapter-04b:-cats-against-dogs-with-a-small-ResNet)
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb#Chapter-05:-a-CNN-for-CIFAR-10)
 * @see [Notebook 06: a customer-service intent classifier](../../notebooks/06-customer-service.ipynb#Chapter-06:-a-customer-service-intent-classifier)
 * @see [Notebook 06b: recognising your own images](../../notebooks/06b-own-images.ipynb#Chapter-06b:-recognising-your-own-images)
 * @see [Notebook 06c: a spoken-keyword voice assistant](../../notebooks/06c-voice-assistant.ipynb#Chapter-06c:-a-spoken-keyword-voice-assistant)
 * @see [Notebook 07: outlook: why models grow](../../notebooks/07-outlook.ipynb#Chapter-07:-outlook:-why-models-grow)
 * @see [Notebook 08: tools and resources, corrected](../../notebooks/08-tools-and-resources.ipynb#Chapter-08:-tools-and-resources,-corrected)
 * @see [Notebook 09: summary and challenges, privacy and compute measured](../../notebooks/09-summary-and-challenges.ipynb#Chapter-09:-summary-and-challenges,-privacy-and-compute-measured)
 * @see [Notebook 10: questions, and training efficiency](../../notebooks/10-questions-and-efficiency.ipynb#Chapter-10:-questions,-and-training-efficiency)
 */
export function formatBackendReport(r: BackendReport): string {
  const gpu = r.gpu === 'unknown' ? 'unknown' : r.gpu ? 'yes' : 'no';
  const lines = [`TF.js backend: ${r.backend} (${r.package}), GPU: ${gpu}, threads: ${r.threads}`, `  why: ${r.reason}`];
  if (r.threadsNote !== undefined) lines.push(`  threads: ${r.threadsNote}`);
  if (r.native !== undefined) {
    const n = r.native;
    lines.push(`  native: TensorFlow ${n.version} (${n.cuda ? 'CUDA' : 'CPU'} build) from ${n.source}; devices: ${n.devices.length > 0 ? n.devices.join(', ') : 'not listed'}`);
  }
  if (r.skipped.length > 0) {
    lines.push(`  skipped: ${r.skipped.map((s) => `${s.candidate} (${s.why}${s.message && s.why === 'failed to load' ? `: ${s.message}` : ''})`).join(', ')}`);
  }
  lines.push(`  versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}
