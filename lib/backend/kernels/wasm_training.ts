/**
 * Faster `wasm` kernels for the operations of the course CNN's training step
 * that stock TF.js 4.22 runs on slow generic loops or copies for nothing:
 * BatchMatMul with a transposed operand (dense-layer gradients), MaxPoolGrad,
 * Sum over leading axes (bias gradients), Identity, same-dtype Cast, Tile,
 * Multiply / Add / Sub / RealDiv with a broadcast operand, and Mean over
 * leading axes (batch-normalisation moments and gradients). They
 * use the backend's fast kernels (XNNPACK matmul, Transpose) and our own SIMD
 * kernels (lib/backend/kernels/simd/kernels.c via lib/backend/kernels/simd_kernels.ts, with
 * JavaScript fallbacks); cases they do not cover run the stock kernel.
 * Measured by tf.profile on the CIFAR-10 CNN (docs/performance.md): the stock
 * versions took ~135 of ~300 ms per training step at batch 64; MaxPoolGrad
 * alone went from ~13 ms (chained wasm kernels) to ~0.5 ms per step at batch 32.
 * On the case study's ResNet-8 (8/16/32 channels, batch 32) the stock Tile took
 * ~130 of ~240 ms per training step (TF.js's batch-norm gradient tiles
 * `[1, 1, 1, C]` to the activations' shape three times per layer). Next came
 * the batch-norm layers' broadcast Multiply / Sub and their Mean over
 * `[0, 1, 2]`, each a generic per-element loop in the stock kernels (measured
 * before and after in docs/performance.md, "Where a ResNet step goes").
 *
 * Why slow: the wasm BatchMatMul uses XNNPACK only without transposes and
 * otherwise a scalar triple loop (tfjs-backend-wasm/src/cc/batch_mat_mul_impl.cc);
 * MaxPoolGrad is a generic per-pixel loop that, moreover, starts its running
 * maximum at FLT_MIN (the smallest positive float), so a window of negative
 * values sends its gradient to element 0 of the tensor
 * (tfjs-backend-wasm/src/cc/kernels/MaxPoolGrad.cc); Sum transposes the reduced
 * axes innermost before reducing; Identity and Cast copy every value; Tile
 * computes every output element's source index with a division per dimension
 * (tfjs-backend-wasm/src/cc/kernels/Tile.cc).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { KernelScope } from './scope';
import { heapOffset, simdKernels } from './simd_kernels';

const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(__filename);

/** Kernels that {@link registerFastWasmTrainingKernels} replaces on `wasm`. */
export const FAST_WASM_TRAINING_KERNELS = ['BatchMatMul', 'MaxPoolGrad', 'Sum', 'Identity', 'Cast', 'Tile', 'Multiply', 'Add', 'Sub', 'RealDiv', 'Mean'] as const;

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

/** The wasm backend as far as the JavaScript kernels here use it. */
interface WasmBackendLike extends tf.KernelBackend {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * A float32 view of a tensor's bytes in the wasm heap, taken from the memory
 * object itself (`Module.wasmMemory` in the threaded build, the module's
 * exported `memory` in the single-threaded one): after the heap grows, the
 * module's own `HEAPU8` view can be stale until the module next touches it.
 */
function heapF32(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  const b = backend as WasmBackendLike;
  const data = b.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('heapF32 (dl-course wasm kernel): the tensor is not in the wasm backend');
  const buffer = (b.wasm.wasmMemory ?? b.wasm.asm?.memory)?.buffer ?? b.wasm.HEAPU8.buffer;
  return new Float32Array(buffer, data.memoryOffset, size(info.shape));
}

/**
 * MaxPoolGrad, NHWC, float32, any window, stride and padding: each output
 * position's gradient goes to the FIRST maximum of its window in row-major
 * order (as the `cpu` backend and TensorFlow do), summed where windows
 * overlap; padded positions never win. One pass over x in JavaScript on the
 * wasm heap (the stock kernel is a slower per-pixel loop that, moreover,
 * starts its maximum at FLT_MIN, so windows of negative values send their
 * gradient to element 0; an earlier version here chained ~12 wasm kernels and
 * took ~13 ms per step of the course CNN at batch 32).
 * dy `[batch, outHeight, outWidth, channels]`, input `[batch, inHeight, inWidth,
 * channels]` → dx shaped as input. The pooled `output` is not needed.
 */
const maxPoolGrad: tf.KernelFunc = (args) => {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) return stockOf('MaxPoolGrad').kernelFunc(args);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } = info;
  const { strideHeight: SH, strideWidth: SW } = info;
  if (dy.shape.join() !== [B, OH, OW, C].join()) {
    throw new Error(`MaxPoolGrad (dl-course wasm kernel): dy has shape [${dy.shape}] but the pooling's output shape is [${[B, OH, OW, C]}]`);
  }
  const backend = args.backend as WasmBackendLike;
  const out = backend.makeOutput(input.shape, 'float32');
  const x = heapF32(backend, input); // [B, H, W, C]
  const g = heapF32(backend, dy); // [B, OH, OW, C]
  const dx = heapF32(backend, out); // [B, H, W, C]
  const { top, left } = info.padInfo;
  if (FH === 2 && FW === 2 && SH === 2 && SW === 2 && top === 0 && left === 0 && 2 * OH <= H && 2 * OW <= W) {
    if (2 * OH !== H || 2 * OW !== W) dx.fill(0); // the last row / column lies outside every window
    const simd = simdKernels(backend);
    if (simd !== null) simd.max_pool_grad_2x2(heapOffset(backend, input), heapOffset(backend, dy), heapOffset(backend, out), B, H, W, C, OH, OW);
    else maxPoolGrad2x2(x, g, dx, B, H, W, C, OH, OW);
    return out;
  }
  dx.fill(0);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < B; b++) {
    for (let oi = 0; oi < OH; oi++) {
      const r0 = oi * SH - top;
      const hStart = Math.max(0, r0);
      const hEnd = Math.min(H, r0 + FH);
      for (let oj = 0; oj < OW; oj++) {
        const c0 = oj * SW - left;
        const wStart = Math.max(0, c0);
        const wEnd = Math.min(W, c0 + FW);
        best.fill(-Infinity);
        where.fill(-1);
        for (let h = hStart; h < hEnd; h++) {
          for (let w = wStart; w < wEnd; w++) {
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * OH + oi) * OW + oj) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) dx[where[c]] += g[gBase + c];
      }
    }
  }
  return out;
};

/**
 * The common case of {@link maxPoolGrad} (`tf.layers.maxPooling2d` with pool 2,
 * stride 2, valid), unrolled: ~40% faster than the general loop, as V8 turns the
 * selects into conditional moves instead of mispredicted branches. Row-major
 * first maximum: ties go to the top row, then the left column. Rows and
 * columns outside every window keep the zero that `dx` already holds.
 */
function maxPoolGrad2x2(x: Float32Array, g: Float32Array, dx: Float32Array, B: number, H: number, W: number, C: number, OH: number, OW: number): void {
  for (let b = 0; b < B; b++) {
    for (let oi = 0; oi < OH; oi++) {
      for (let oj = 0; oj < OW; oj++) {
        const p00 = ((b * H + 2 * oi) * W + 2 * oj) * C; // top-left pixel of the window
        const p01 = p00 + C;
        const p10 = p00 + W * C;
        const p11 = p10 + C;
        const gBase = ((b * OH + oi) * OW + oj) * C;
        for (let c = 0; c < C; c++) {
          const a0 = x[p00 + c];
          const a1 = x[p01 + c];
          const a2 = x[p10 + c];
          const a3 = x[p11 + c];
          const topRight = a1 > a0; // strict: a tie keeps the earlier element
          const topMax = topRight ? a1 : a0;
          const bottomRight = a3 > a2;
          const bottomMax = bottomRight ? a3 : a2;
          const bottom = bottomMax > topMax;
          const gv = g[gBase + c];
          dx[p00 + c] = !bottom && !topRight ? gv : 0;
          dx[p01 + c] = !bottom && topRight ? gv : 0;
          dx[p10 + c] = bottom && !bottomRight ? gv : 0;
          dx[p11 + c] = bottom && bottomRight ? gv : 0;
        }
      }
    }
  }
}

/**
 * Identity without a copy: the output shares the input's buffer (reference
 * counted, as Reshape already does on wasm and Identity on cpu). Tensors are
 * immutable, so sharing is safe; the stock kernel copies every value (~50
 * copies, ~3–4 ms, per training step of the course CNN: optimizer and layers
 * clone variables).
 */
const identity: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return stockOf('Identity').kernelFunc(args);
  (args.backend as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** The reduction axes sorted, when they are the leading axes `[0, …, k−1]` with 0 < k < rank; else undefined. */
function leadingAxes(x: tf.TensorInfo, axis: number | number[]): number[] | undefined {
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  return axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i) ? axes : undefined;
}

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
  const axes = leadingAxes(x, attrs.axis);
  if (axes === undefined || x.dtype !== 'float32') return stockOf('Sum').kernelFunc(args);
  const k = axes.length;
  const rest = x.shape.slice(k);
  const simd = simdKernels(args.backend as tf.KernelBackend);
  if (simd !== null && size(x.shape) > 0) {
    // One pass with SIMD, float64 between blocks (kernels.c sum_rows).
    const backend = args.backend as WasmBackendLike;
    const n = size(x.shape.slice(0, k));
    const c = size(rest);
    const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
    const acc = backend.makeOutput([2 * c], 'float32'); // c float64 accumulators
    try {
      simd.sum_rows(heapOffset(backend, x), heapOffset(backend, out), heapOffset(backend, acc), n, c);
    } finally {
      backend.disposeData(acc.dataId);
    }
    return out;
  }
  if (k === 1 && x.shape.length === 2) return stockOf('Sum').kernelFunc(args);
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

/**
 * Cast to the dtype the tensor already has (e.g. `cast(step(y), 'float32')` in
 * the ReLU gradient) without a copy, like {@link identity}; real conversions
 * run the stock kernel.
 */
const cast: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (x.dtype !== dtype || x.dtype === 'string') return stockOf('Cast').kernelFunc(args);
  (args.backend as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Tile: the output repeats the input `reps[d]` times along each dimension d.
 * Instead of an index computation per output element, it copies each
 * innermost row once and then doubles the filled block with `copyWithin`
 * (a memory copy) until the repetitions of that dimension are complete,
 * outward dimension by dimension. Bit-exact (values are copied, never
 * converted). x `[d0, …, d(r−1)]` float32 or int32, `reps` r non-negative
 * integers → `[d0·reps[0], …]`, same dtype; other dtypes run the stock kernel.
 */
const tile: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { reps } = args.attrs as unknown as tf.TileAttrs;
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || reps.length !== x.shape.length) return stockOf('Tile').kernelFunc(args);
  const backend = args.backend as WasmBackendLike;
  const inShape = x.shape;
  const outShape = inShape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (size(outShape) === 0) return out;
  const src = new Int32Array(heapF32(backend, x).buffer, heapOffset(backend, x), size(inShape)); // 4-byte words, copied bit for bit
  const dst = new Int32Array(heapF32(backend, out).buffer, heapOffset(backend, out), size(outShape));
  const rank = inShape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const inStride = new Array<number>(rank);
  const outStride = new Array<number>(rank);
  inStride[rank - 1] = 1;
  outStride[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = inStride[d + 1] * inShape[d + 1];
    outStride[d] = outStride[d + 1] * outShape[d + 1];
  }
  /** Fills `dst[start, start + block·times)` with `times` copies of `dst[start, start + block)`. */
  const repeat = (start: number, block: number, times: number) => {
    const total = block * times;
    for (let filled = block; filled < total; ) {
      const n = Math.min(filled, total - filled);
      dst.copyWithin(start + filled, start, start + n);
      filled += n;
    }
  };
  const fill = (d: number, inOffset: number, outOffset: number): void => {
    if (d === rank - 1) {
      dst.set(src.subarray(inOffset, inOffset + inShape[d]), outOffset);
    } else {
      for (let i = 0; i < inShape[d]; i++) fill(d + 1, inOffset + i * inStride[d], outOffset + i * outStride[d]);
    }
    repeat(outOffset, inShape[d] * outStride[d], reps[d]);
  };
  fill(0, 0, 0);
  return out;
};

/**
 * The element-wise binary kernels Multiply, Add, Sub and RealDiv when an
 * operand must be broadcast and is not a single value (e.g. the batch-norm
 * gradient's `[N, H, W, C] × [C]` and `[1, 1, 1, C] × [N, H, W, C]`): that
 * operand is first tiled to the output's shape with {@link tile} (memory
 * copies), then the stock kernel runs on two same-shape operands, which it
 * hands to XNNPACK (threaded, SIMD). The stock kernel's own broadcast is a
 * generic per-element loop, ~10–20× slower (tfjs-backend-wasm/src/cc/binary.cc).
 * Same-shape and scalar operands, and other dtypes, run the stock kernel
 * unchanged. a, b float32 of broadcast-compatible shapes → float32 of the
 * broadcast shape (NumPy rules); bit-identical to the stock kernel's result,
 * as the same float32 operation is applied to the same pairs.
 */
function broadcastBinary(name: string): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const plain = stockOf(name);
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return plain.kernelFunc(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = size(outShape);
    const needs = (t: tf.TensorInfo) => size(t.shape) !== n || t.shape.length !== outShape.length;
    const expand = (t: tf.TensorInfo) => needs(t) && size(t.shape) > 1;
    // Tiling needs a second full-size buffer: for very large tensors (over 2^24 values, 64 MiB) the
    // stock kernel runs, so that a minibatch too large for the heap fails as before (a clear error).
    if (n === 0 || n > 1 << 24 || (!expand(a) && !expand(b)) || (needs(a) && !expand(a)) || (needs(b) && !expand(b))) return plain.kernelFunc(args);
    const scope = new KernelScope(args.backend as tf.KernelBackend, 'wasm');
    try {
      const full = (t: tf.TensorInfo) => {
        if (!needs(t)) return t;
        const rankShape = [...Array<number>(outShape.length - t.shape.length).fill(1), ...t.shape]; // leading 1s
        const t2 = rankShape.length === t.shape.length ? t : scope.reshape(t, rankShape);
        return scope.runConfig(TILE_CONFIG, { x: t2 }, { reps: outShape.map((d, i) => d / rankShape[i]) });
      };
      return scope.keep(scope.runConfig(plain, { a: full(a), b: full(b) }, {}));
    } finally {
      scope.disposeAll();
    }
  };
}

/**
 * Mean over the leading axes `[0, …, k−1]` of a float32 tensor (batch
 * normalisation's moments over `[0, 1, 2]`): {@link sum}'s one-pass sum, then
 * the `C` results scaled by 1/N in place; other reductions run the stock
 * kernel (which, like Sum's, transposes the reduced axes innermost first).
 * x `[d0, …, d(r−1)]` → `[dk, …]` (size-1 reduced axes kept when keepDims).
 */
const mean: tf.KernelFunc = (args) => {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.MeanAttrs;
  const axes = leadingAxes(x, attrs.axis);
  const count = axes === undefined ? 0 : size(x.shape.slice(0, axes.length));
  if (axes === undefined || x.dtype !== 'float32' || count === 0) return stockOf('Mean').kernelFunc(args);
  const out = sum({ ...args, attrs: { axis: axes, keepDims: attrs.keepDims } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
  const v = heapF32(args.backend as tf.KernelBackend, out);
  for (let i = 0; i < v.length; i++) v[i] /= count;
  return out;
};

/** {@link tile} as a kernel config, for the kernels here that call it directly. */
const TILE_CONFIG: tf.KernelConfig = { kernelName: 'Tile', backendName: 'wasm', kernelFunc: (args) => tile(args) };

const ours: Record<(typeof FAST_WASM_TRAINING_KERNELS)[number], tf.KernelFunc> = {
  BatchMatMul: batchMatMul,
  MaxPoolGrad: maxPoolGrad,
  Sum: sum,
  Identity: identity,
  Cast: cast,
  Tile: tile,
  Multiply: broadcastBinary('Multiply'),
  Add: broadcastBinary('Add'),
  Sub: broadcastBinary('Sub'),
  RealDiv: broadcastBinary('RealDiv'),
  Mean: mean,
};

/**
 * Replaces the `wasm` kernels BatchMatMul, MaxPoolGrad, Sum, Identity, Cast,
 * Tile, Multiply, Add, Sub, RealDiv and Mean by the faster
 * versions above (same results up to float32 rounding; MaxPoolGrad also fixes
 * the stock kernel's negative-window bug). The stock configs are kept and used
 * for every case the fast paths do not cover. Idempotent. `initBackend`
 * (lib/backend/backend.ts) calls it.
 *
 * @throws {Error} when `@tensorflow/tfjs-backend-wasm` cannot be loaded.
 * @example
 * ```ts
 * registerFastWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * tf.matMul(tf.ones([3, 2]), tf.ones([3, 4]), true, false).arraySync(); // [[3, 3, 3, 3], [3, 3, 3, 3]]
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
