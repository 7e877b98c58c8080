/**
 * Faster `wasm` kernels for the three backward-pass operations of the course
 * CNN that stock TF.js 4.22 runs on slow generic loops: BatchMatMul with a
 * transposed operand (dense-layer gradients), MaxPoolGrad, and Sum over leading
 * axes (bias gradients). Each is rewritten with the backend's fast kernels
 * (XNNPACK matmul, Transpose, Step/Sub/Multiply, MaxPool); cases they do not cover
 * run the stock kernel. Measured by tf.profile on the CIFAR-10 CNN, batch 64
 * (bench/bench.ts): these took ~135 of ~300 ms per training step.
 *
 * Why slow: the wasm BatchMatMul uses XNNPACK only without transposes and
 * otherwise a scalar triple loop (tfjs-backend-wasm/src/cc/batch_mat_mul_impl.cc);
 * MaxPoolGrad is a generic per-pixel loop that, moreover, starts its running
 * maximum at FLT_MIN (the smallest positive float), so a window of negative
 * values sends its gradient to element 0 of the tensor
 * (tfjs-backend-wasm/src/cc/kernels/MaxPoolGrad.cc); Sum transposes the reduced
 * axes innermost before reducing.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { KernelScope } from './conv2d_grad';

const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(__filename);

/** Kernels that {@link registerFastWasmTrainingKernels} replaces on `wasm`. */
export const FAST_WASM_TRAINING_KERNELS = ['BatchMatMul', 'MaxPoolGrad', 'Sum'] as const;

const stock = new Map<string, tf.KernelConfig>();

function stockOf(name: string): tf.KernelConfig {
  const config = stock.get(name);
  if (config === undefined) throw new Error(`${name} (dl-course wasm kernel): the stock wasm kernel was not found`);
  return config;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * BatchMatMul: when a or b is transposed and there is a single matrix each
 * (`[1, m, k]`-like), transpose it explicitly (Transpose kernel) so that the
 * stock kernel takes its XNNPACK path; otherwise run the stock kernel.
 * a `[..., m, k]` (or `[..., k, m]` transposed), b `[..., k, n]` (or `[..., n, k]`) → `[..., m, n]` float32.
 */
const batchMatMul: tf.KernelFunc = (args) => {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
  const plain = stockOf('BatchMatMul');
  const single = size(a.shape.slice(0, -2)) === 1 && size(b.shape.slice(0, -2)) === 1;
  if ((!attrs.transposeA && !attrs.transposeB) || !single || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return plain.kernelFunc(args);
  }
  const scope = new KernelScope(args.backend as tf.KernelBackend, 'wasm');
  try {
    const swapLast = (t: tf.TensorInfo) => {
      const r = t.shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      return scope.transpose(t, perm); // [..., cols, rows]
    };
    const a2 = attrs.transposeA ? swapLast(a) : a;
    const b2 = attrs.transposeB ? swapLast(b) : b;
    return scope.keep(scope.runConfig(plain, { a: a2, b: b2 }, { transposeA: false, transposeB: false }));
  } finally {
    scope.disposeAll();
  }
};

/**
 * MaxPoolGrad for non-overlapping windows (stride = window, no padding, NHWC),
 * which covers `tf.layers.maxPooling2d` with default strides: the gradient goes
 * to the FIRST maximum of each window in row-major order (as the `cpu` backend
 * and TensorFlow do). dy `[batch, outHeight, outWidth, channels]`, input
 * `[batch, inHeight, inWidth, channels]`, output (the pooled values, shaped as dy)
 * → dx shaped as input, float32. Rows/columns beyond the last full window get 0.
 *
 * Only XNNPACK-fast elementwise ops with broadcasting, one MaxPool, and
 * reshapes (wasm's comparisons, casts and rank-6 slices are 5–500× slower):
 *   notMax = step(y − x)                        1 where x is below its window's max
 *   s      = (1 − notMax) · (K − k)             K = ph·pw, k = slot index in the window
 *   m      = maxPool(s)                         K − (slot of the first maximum)
 *   dx     = (1 − step(m − s)) · dy             1 only at the first maximum
 * (step(v) = 1 for v > 0, else 0; y − x ≥ 0 and m − s ≥ 0 are exact zeros only at equality.)
 */
const maxPoolGrad: tf.KernelFunc = (args) => {
  const { dy, input, output } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo; output: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const { batchSize: b, inHeight: H, inWidth: W, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: ph, filterWidth: pw } = info;
  const p = info.padInfo;
  const fast =
    info.strideHeight === ph && info.strideWidth === pw && p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0 &&
    oh * ph <= H && ow * pw <= W && input.dtype === 'float32' && b * oh * ow * c > 0 &&
    dy.shape.join() === [b, oh, ow, c].join() && output.shape.join() === dy.shape.join();
  if (!fast) return stockOf('MaxPoolGrad').kernelFunc(args);

  const scope = new KernelScope(args.backend as tf.KernelBackend, 'wasm');
  try {
    const K = ph * pw;
    let x = input;
    if (oh * ph !== H || ow * pw !== W) x = scope.slice(x, [0, 0, 0, 0], [b, oh * ph, ow * pw, c]); // [b, oh·ph, ow·pw, c]
    const x6 = scope.reshape(x, [b, oh, ph, ow, pw, c]); // [batch, outHeight, ph, outWidth, pw, channels]
    const y6 = scope.reshape(output, [b, oh, 1, ow, 1, c]); // window maxima, broadcast over the window
    const dy6 = scope.reshape(dy, [b, oh, 1, ow, 1, c]);
    const one = scope.run('Fill', {}, { shape: [], value: 1, dtype: 'float32' });
    const slotWeight = scope.constant(Float32Array.from({ length: K }, (_, k) => K - k), [1, 1, ph, 1, pw, 1]); // K − k for slot k = i·pw + j
    const notMax = scope.run('Step', { x: scope.run('Sub', { a: y6, b: x6 }, {}) }, { alpha: 0 }); // [b, oh, ph, ow, pw, c]
    const isMax = scope.run('Sub', { a: one, b: notMax }, {});
    const s6 = scope.run('Multiply', { a: isMax, b: slotWeight }, {}); // K − k at maxima, 0 elsewhere
    const s4 = scope.reshape(s6, [b, oh * ph, ow * pw, c]);
    const m = scope.run('MaxPool', { x: s4 }, { filterSize: [ph, pw], strides: [ph, pw], pad: 'valid' }); // [b, oh, ow, c]
    const m6 = scope.reshape(m, [b, oh, 1, ow, 1, c]);
    const notFirst = scope.run('Step', { x: scope.run('Sub', { a: m6, b: s6 }, {}) }, { alpha: 0 });
    const first = scope.run('Sub', { a: one, b: notFirst }, {}); // 1 at the first maximum of each window
    const dx6 = scope.run('Multiply', { a: first, b: dy6 }, {}); // [b, oh, ph, ow, pw, c]
    let dx = scope.reshape(dx6, [b, oh * ph, ow * pw, c]);
    if (oh * ph !== H || ow * pw !== W) dx = scope.pad(dx, [[0, 0], [0, H - oh * ph], [0, W - ow * pw], [0, 0]]); // [b, H, W, c]
    return scope.keep(dx);
  } finally {
    scope.disposeAll();
  }
};

/**
 * Sum over the leading axes `[0, …, k−1]` of a float32 tensor: reshaped to the
 * matrix `[N, C]` (N = product of the reduced sizes) so that the stock kernel's
 * internal transpose is a fast 2-D one instead of a generic rank-r one; any
 * other reduction runs the stock kernel unchanged. x `[d0, …, d(r−1)]` →
 * `[dk, …]` (or with size-1 reduced axes when keepDims).
 */
const sum: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.SumAttrs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
  const k = axes.length;
  const leading = k > 0 && k < rank && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== 'float32' || (k === 1 && rank === 2)) return stockOf('Sum').kernelFunc(args);
  const rest = x.shape.slice(k);
  const scope = new KernelScope(args.backend as tf.KernelBackend, 'wasm');
  try {
    const x2 = scope.reshape(x, [size(x.shape.slice(0, k)), size(rest)]); // [N, C]
    const s = scope.runConfig(stockOf('Sum'), { x: x2 }, { axis: [0], keepDims: false }); // [C]
    s.shape = attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest; // same data, final shape
    return scope.keep(s);
  } finally {
    scope.disposeAll();
  }
};

const ours: Record<(typeof FAST_WASM_TRAINING_KERNELS)[number], tf.KernelFunc> = { BatchMatMul: batchMatMul, MaxPoolGrad: maxPoolGrad, Sum: sum };

/**
 * Replaces the `wasm` kernels BatchMatMul, MaxPoolGrad and Sum by the faster
 * versions above (same results up to float32 rounding; MaxPoolGrad also fixes
 * the stock kernel's negative-window bug). The stock configs are kept and used
 * for every case the fast paths do not cover. Idempotent. `initBackend`
 * (lib/backend.ts) calls it.
 *
 * @throws {Error} when `@tensorflow/tfjs-backend-wasm` cannot be loaded.
 * @example
 * ```ts
 * registerFastWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * tf.matMul(tf.ones([3, 2]), tf.ones([3, 4]), true, false).shape; // [2, 4], via XNNPACK
 * ```
 */
export function registerFastWasmTrainingKernels(): void {
  nodeRequire('@tensorflow/tfjs-backend-wasm'); // registers the stock wasm kernels first
  for (const name of FAST_WASM_TRAINING_KERNELS) {
    const current = tf.getKernel(name, 'wasm');
    if (current?.kernelFunc === ours[name]) continue;
    if (current === undefined) throw new Error(`registerFastWasmTrainingKernels: stock wasm kernel '${name}' is not registered`);
    stock.set(name, current);
    tf.unregisterKernel(name, 'wasm');
    // Keep the stock setupFunc: it binds the wasm function that the stock kernelFunc calls.
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: ours[name], setupFunc: current.setupFunc, disposeFunc: current.disposeFunc });
  }
}

/**
 * Puts the stock `wasm` kernels back. For tests and comparisons.
 * @example
 * ```ts
 * unregisterFastWasmTrainingKernels();
 * tf.getKernel('Sum', 'wasm') === stockWasmKernel('Sum'); // true
 * ```
 */
export function unregisterFastWasmTrainingKernels(): void {
  for (const name of FAST_WASM_TRAINING_KERNELS) {
    const s = stock.get(name);
    if (s !== undefined && tf.getKernel(name, 'wasm')?.kernelFunc === ours[name]) {
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(s);
    }
  }
}

/**
 * The stock `wasm` kernel config replaced by {@link registerFastWasmTrainingKernels},
 * or `undefined` before it ran.
 * @example
 * ```ts
 * registerFastWasmTrainingKernels();
 * stockWasmKernel('MaxPoolGrad')?.backendName; // 'wasm'
 * ```
 */
export function stockWasmKernel(name: string): tf.KernelConfig | undefined {
  return stock.get(name);
}
