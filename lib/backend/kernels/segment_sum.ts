/**
 * UnsortedSegmentSum for the `cpu` and `wasm` backends: the gradient of a
 * gather, hence of every embedding layer (`tf.layers.embedding`). Stock TF.js
 * 4.22 has no such kernel on `wasm` (training an embedding fails with "Kernel
 * 'UnsortedSegmentSum' not registered for backend 'wasm'"), and on `cpu` it
 * runs four tensor ops per segment (tfjs-backend-cpu/src/kernels/
 * UnsortedSegmentSum.ts): one minibatch of a 700-word vocabulary took ~1 s.
 * Ours is one pass over the rows: `out[segmentIds[i]] += x[i]`
 * (tf.math.unsorted_segment_sum; ids outside [0, numSegments) are dropped,
 * as TensorFlow does).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';

const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(__filename);

/** What the kernel needs of a backend: `cpu` and `wasm` both have these. */
interface ReadWriteBackend {
  readSync(dataId: tf.DataId): ArrayLike<number>;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values?: tf.TypedArray): tf.TensorInfo;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
}

/**
 * x `[n, ...inner]`, segmentIds `[n]` int32 → `[numSegments, ...inner]` of
 * x's dtype: row s is the sum of the rows i of x with `segmentIds[i] = s`.
 */
const unsortedSegmentSum: tf.KernelFunc = (args) => {
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const backend = args.backend as unknown as ReadWriteBackend;
  if (segmentIds.shape.length !== 1 || x.shape[0] !== segmentIds.shape[0]) {
    throw new Error(`UnsortedSegmentSum (dl-course kernel): segmentIds must be [n] with n = x.shape[0] = ${x.shape[0]}, got [${segmentIds.shape.join(', ')}]`);
  }
  const n = segmentIds.shape[0];
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const xs = backend.readSync(x.dataId);
  const ids = backend.readSync(segmentIds.dataId);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner); // [numSegments, inner]
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) out[to + k] += xs[from + k];
  }
  const shape = [numSegments, ...x.shape.slice(1)];
  if (typeof backend.makeTensorInfo === 'function') return backend.makeTensorInfo(shape, x.dtype, out);
  return backend.makeOutput!(shape, x.dtype, undefined, out);
};

/** The backends {@link registerSegmentSumKernels} equips. */
export const SEGMENT_SUM_BACKENDS = ['cpu', 'wasm'] as const;

/**
 * Registers the one-pass UnsortedSegmentSum on `cpu` (replacing the stock
 * kernel) and on `wasm` (which has none), when that backend's package
 * loads. Idempotent. `initBackend` calls it.
 * @example
 * ```ts
 * registerSegmentSumKernels();
 * await tf.setBackend('cpu');
 * tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([1, 0, 1], 'int32'), 2).arraySync(); // [[3, 4], [6, 8]]
 * ```
 */
export function registerSegmentSumKernels(): void {
  for (const backendName of SEGMENT_SUM_BACKENDS) {
    try {
      nodeRequire(backendName === 'cpu' ? '@tensorflow/tfjs-backend-cpu' : '@tensorflow/tfjs-backend-wasm'); // stock kernels first, so ours replace them
    } catch {
      continue; // the package is not there: nothing to equip
    }
    const current = tf.getKernel('UnsortedSegmentSum', backendName);
    if (current?.kernelFunc === unsortedSegmentSum) continue;
    if (current !== undefined) tf.unregisterKernel('UnsortedSegmentSum', backendName);
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: unsortedSegmentSum });
  }
}
