/**
 * Fast gradients of a 2-D convolution (Conv2DBackpropFilter and
 * Conv2DBackpropInput) for the `wasm` and `cpu` backends of TF.js, written as
 * the backend's own fast forward Conv2D plus Transpose / Pad / Slice / Reshape /
 * Reverse. Derivation: Dumoulin & Visin 2016, "A guide to convolution
 * arithmetic for deep learning" (arXiv:1603.07285), §4 (transposed
 * convolution as a direct convolution of the zero-inserted, padded output
 * gradient with the flipped kernel); the filter gradient is the correlation of
 * the input with the output gradient, dilated by the stride (ibid. §5.1).
 *
 * Why: stock TF.js 4.22 has no `Conv2DBackpropFilter` on `wasm` (training a
 * CNN fails), a slow naive `Conv2DBackpropInput` on `wasm`, and slow loops for
 * both on `cpu` (~1.4 training images/s on the CIFAR-10 CNN). The forward
 * Conv2D of `wasm` is XNNPACK with SIMD, so expressing both gradients as forward
 * convolutions makes training two orders of magnitude faster.
 *
 * On `wasm`, when our SIMD kernels load (lib/backend/kernels/simd_kernels.ts), both
 * gradients are instead ONE XNNPACK matrix product each, which runs at ~45
 * GFLOP/s on 2 threads where the convolutions above, with their large
 * per-call filters, ran at 5–25: dW = im2col(x)^T · dy (im2col built by
 * kernels.c `im2col_t`), dx = col2im(dy · W^T) (kernels.c `col2im`). The
 * first layer's filter gradient went from ~9 ms to ~2 ms per step at batch 32.
 *
 * Dimension names used below (NHWC, filter HWIO):
 *   x      `[batch, inHeight, inWidth, inChannels]`
 *   filter `[filterHeight, filterWidth, inChannels, outChannels]`
 *   dy     `[batch, outHeight, outWidth, outChannels]`
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { KernelScope } from './scope';
import { heapOffset, simdKernels } from './simd_kernels';

// `require` exists in the compiled CommonJS; under vitest's module runner it may not.
const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(__filename);

/** Backends that {@link registerFastConvGradients} equips. */
export const FAST_CONV_GRAD_BACKENDS = ['wasm', 'cpu'] as const;
/** Kernels that {@link registerFastConvGradients} replaces. */
export const FAST_CONV_GRAD_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

type BackendName = (typeof FAST_CONV_GRAD_BACKENDS)[number];
type GradKernelName = (typeof FAST_CONV_GRAD_KERNELS)[number];
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;
type Shape4 = [number, number, number, number];

/** Stock kernel configs seen before we replaced them, keyed `backend/kernel`. */
const stockKernels = new Map<string, tf.KernelConfig | undefined>();


/**
 * Crops or zero-pads axes 1 and 2 of `x` (`[n, h, w, c]`) so that each gets
 * `before` extra rows at the start and `after` at the end, where negative
 * values remove rows. Returns `x` after any cropping, plus the non-negative
 * padding that remains for the convolution to apply implicitly (XNNPACK pads
 * without copying).
 */
function cropNegative(
  scope: KernelScope,
  x: tf.TensorInfo,
  padH: [number, number],
  padW: [number, number],
): { x: tf.TensorInfo; padH: [number, number]; padW: [number, number] } {
  const cropTop = Math.max(0, -padH[0]);
  const cropBottom = Math.max(0, -padH[1]);
  const cropLeft = Math.max(0, -padW[0]);
  const cropRight = Math.max(0, -padW[1]);
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    const [n, h, w, c] = x.shape;
    x = scope.slice(x, [0, cropTop, cropLeft, 0], [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c]);
  }
  return {
    x,
    padH: [Math.max(0, padH[0]), Math.max(0, padH[1])],
    padW: [Math.max(0, padW[0]), Math.max(0, padW[1])],
  };
}

/** Throws an Error naming the kernel and the unsupported attribute, or returns false when on cpu the stock kernel should run. */
function checkSupported(kernel: GradKernelName, backendName: string, attrs: tf.NamedAttrMap): boolean {
  const dilations = (attrs as { dilations?: number | number[] }).dilations;
  if (dilations !== undefined && !(Array.isArray(dilations) ? dilations : [dilations]).every((d) => d === 1)) {
    // Neither stock kernel honours `dilations` (they hard-code 1), so falling
    // back would return a wrong gradient: refuse on every backend.
    throw new Error(
      `${kernel} (dl-course fast kernel, backend '${backendName}'): attribute dilations=${JSON.stringify(dilations)} ` +
        `is not supported; only dilation 1 is (TF.js computes no conv gradients for dilation > 1)`,
    );
  }
  const dataFormat = (attrs as { dataFormat?: string }).dataFormat ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    if (backendName === 'cpu') return false;
    throw new Error(
      `${kernel} (dl-course fast kernel, backend '${backendName}'): attribute dataFormat='${dataFormat}' ` +
        `is not supported; use 'NHWC' (channels last)`,
    );
  }
  return true;
}

function runStock(kernel: GradKernelName, backendName: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const stock = stockKernels.get(`${backendName}/${kernel}`);
  if (stock === undefined) {
    throw new Error(`${kernel} (dl-course fast kernel, backend '${backendName}'): no stock kernel to fall back to`);
  }
  return stock.kernelFunc(args) as tf.TensorInfo;
}

/**
 * Filter gradient
 * dW[di, dj, ci, co] = Σ_{b,i,j} x[b, i·sh + di − padTop, j·sw + dj − padLeft, ci] · dy[b, i, j, co]
 * as ONE forward convolution: input x transposed to `[inChannels, inHeight,
 * inWidth, batch]` (the conv's batch is inChannels, its channels are the
 * images), filter dy transposed to `[outHeight, outWidth, batch, outChannels]`,
 * dilation = the original stride, stride 1, padding (padTop, whatever makes the
 * output exactly filterHeight rows). Result `[inChannels, filterHeight,
 * filterWidth, outChannels]` → transposed to the filter layout.
 */
function conv2dBackpropFilterVia(backendName: BackendName): tf.KernelFunc {
  return (args) => {
    const kernel = 'Conv2DBackpropFilter';
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (!checkSupported(kernel, backendName, args.attrs ?? {})) return runStock(kernel, backendName, args);
    const x = args.inputs.x as tf.TensorInfo;
    const dy = args.inputs.dy as tf.TensorInfo;
    const filterShape = attrs.filterShape as Shape4;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4, filterShape, attrs.strides, 1, attrs.pad as Pad, attrs.dimRoundingMode as Rounding, false, 'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, outChannels, strideHeight, strideWidth } = info;
    const [, outHeight, outWidth] = dy.shape;
    checkDyShape(kernel, dy.shape, [batchSize, info.outHeight, info.outWidth, outChannels]);

    const scope = new KernelScope(args.backend as tf.KernelBackend, backendName);
    try {
      if (batchSize * outHeight * outWidth === 0) {
        return scope.keep(scope.run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' }));
      }
      const simd = backendName === 'wasm' && x.dtype === 'float32' && dy.dtype === 'float32' ? simdKernels(scope.backend) : null;
      if (simd !== null) {
        // dW = P^T · dy as ONE matrix product on XNNPACK (multithreaded), with
        // P^T the transposed im2col of x built by our SIMD kernel; dy is the
        // right operand as it is, and the product comes out in the filter layout.
        const K = batchSize * outHeight * outWidth; // the summed dimension: every output pixel of every image
        const rows = filterHeight * filterWidth * inChannels;
        const xc = scope.transpose(x, [3, 0, 1, 2]); // [inChannels, batch, inHeight, inWidth]: rows of im2col become contiguous runs
        const pt = scope.empty([1, rows, K]); // [1, filterHeight·filterWidth·inChannels, K], filled by im2col_t
        simd.im2col_t(
          heapOffset(scope.backend, xc), heapOffset(scope.backend, pt), inChannels, batchSize, inHeight, inWidth,
          filterHeight, filterWidth, strideHeight, strideWidth, info.padInfo.top, info.padInfo.left, outHeight, outWidth,
        );
        const dy3 = scope.reshape(dy, [1, K, outChannels]); // [1, K, outChannels]
        const dW = scope.run('BatchMatMul', { a: pt, b: dy3 }, { transposeA: false, transposeB: false }); // [1, rows, outChannels]
        return scope.keep(scope.reshape(dW, filterShape)); // [filterHeight, filterWidth, inChannels, outChannels]
      }
      const xT = scope.transpose(x, [3, 1, 2, 0]); // [inChannels, inHeight, inWidth, batch]
      const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [outHeight, outWidth, batch, outChannels]
      // Rows the dilated dy "filter" spans: filterHeight outputs need
      // filterHeight + (outHeight−1)·strideHeight input rows, starting padTop above x.
      const padTop = info.padInfo.top;
      const padLeft = info.padInfo.left;
      const padBottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - padTop;
      const padRight = filterWidth + (outWidth - 1) * strideWidth - inWidth - padLeft;
      const c = cropNegative(scope, xT, [padTop, padBottom], [padLeft, padRight]);
      const dW = scope.conv2d(c.x, dyT, c.padH, c.padW, [strideHeight, strideWidth]); // [inChannels, filterHeight, filterWidth, outChannels]
      return scope.keep(scope.transpose(dW, [1, 2, 0, 3])); // [filterHeight, filterWidth, inChannels, outChannels]
    } finally {
      scope.disposeAll();
    }
  };
}

/**
 * Input gradient: dx[b, y, x, ci] = Σ dy[b, i, j, co] · W[y + padTop − i·sh, x + padLeft − j·sw, ci, co]
 * as ONE forward convolution of dy dilated by the stride (sh−1 zero rows after
 * each row, sw−1 zero columns after each column), padded by
 * (filterHeight − 1 − padTop) above and whatever makes the output exactly
 * inHeight rows below (cropped where negative), with the filter reversed
 * spatially and its in/out channels swapped, `[filterHeight, filterWidth,
 * outChannels, inChannels]`.
 */
function conv2dBackpropInputVia(backendName: BackendName): tf.KernelFunc {
  return (args) => {
    const kernel = 'Conv2DBackpropInput';
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (!checkSupported(kernel, backendName, args.attrs ?? {})) return runStock(kernel, backendName, args);
    const dy = args.inputs.dy as tf.TensorInfo;
    const filter = args.inputs.filter as tf.TensorInfo;
    const inputShape = attrs.inputShape as Shape4;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as Shape4, attrs.strides, 1, attrs.pad as Pad, attrs.dimRoundingMode as Rounding, false, 'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, outChannels, strideHeight, strideWidth } = info;
    const [, outHeight, outWidth] = dy.shape;
    checkDyShape(kernel, dy.shape, [batchSize, info.outHeight, info.outWidth, outChannels]);

    const scope = new KernelScope(args.backend as tf.KernelBackend, backendName);
    try {
      if (batchSize * outHeight * outWidth * outChannels === 0) {
        return scope.keep(scope.run('Fill', {}, { shape: inputShape, value: 0, dtype: 'float32' }));
      }
      const simd = backendName === 'wasm' && dy.dtype === 'float32' && filter.dtype === 'float32' ? simdKernels(scope.backend) : null;
      if (simd !== null) {
        // dx = col2im(dy · W^T): ONE matrix product on XNNPACK (multithreaded)
        // gives every output pixel's contribution to its window, then our SIMD
        // kernel adds the windows back onto the input (any stride and padding).
        const rowLen = filterHeight * filterWidth * inChannels;
        const K = batchSize * outHeight * outWidth;
        const dy3 = scope.reshape(dy, [1, K, outChannels]); // [1, K, outChannels]
        const w2 = scope.reshape(filter, [rowLen, outChannels]); // [filterHeight·filterWidth·inChannels, outChannels]
        const wT = scope.reshape(scope.transpose(w2, [1, 0]), [1, outChannels, rowLen]); // [1, outChannels, rowLen]
        const cols = scope.run('BatchMatMul', { a: dy3, b: wT }, { transposeA: false, transposeB: false }); // [1, K, rowLen]
        const dx = scope.empty(inputShape); // [batch, inHeight, inWidth, inChannels], written by col2im
        simd.col2im(
          heapOffset(scope.backend, cols), heapOffset(scope.backend, dx), batchSize, inHeight, inWidth, inChannels,
          filterHeight, filterWidth, strideHeight, strideWidth, info.padInfo.top, info.padInfo.left, outHeight, outWidth,
        );
        return scope.keep(dx);
      }
      let dyD = dy; // dilated dy: [batch, outHeight·strideHeight, outWidth·strideWidth, outChannels]
      if (strideHeight > 1 || strideWidth > 1) {
        const r = scope.reshape(dy, [batchSize, outHeight, 1, outWidth, 1, outChannels]); // [batch, outHeight, 1, outWidth, 1, outChannels]
        const p = scope.pad(r, [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]]); // [batch, outHeight, sh, outWidth, sw, outChannels]
        dyD = scope.reshape(p, [batchSize, outHeight * strideHeight, outWidth * strideWidth, outChannels]);
      }
      const padTop = filterHeight - 1 - info.padInfo.top;
      const padLeft = filterWidth - 1 - info.padInfo.left;
      // A valid correlation with a filterHeight-row kernel turns inHeight + filterHeight − 1 rows into inHeight.
      const padBottom = inHeight + filterHeight - 1 - padTop - outHeight * strideHeight;
      const padRight = inWidth + filterWidth - 1 - padLeft - outWidth * strideWidth;
      const c = cropNegative(scope, dyD, [padTop, padBottom], [padLeft, padRight]);
      const wT = scope.transpose(filter, [0, 1, 3, 2]); // [filterHeight, filterWidth, outChannels, inChannels]
      const wFlip = scope.reverse(wT, [0, 1]); // same shape, rows and columns reversed
      const dx = scope.conv2d(c.x, wFlip, c.padH, c.padW, [1, 1]); // [batch, inHeight, inWidth, inChannels]
      if (dx.shape[1] !== inHeight || dx.shape[2] !== inWidth || dx.shape[3] !== inChannels) {
        throw new Error(`${kernel} (dl-course fast kernel): internal shape error, got [${dx.shape}] for input [${inputShape}]`);
      }
      return scope.keep(dx);
    } finally {
      scope.disposeAll();
    }
  };
}

function checkDyShape(kernel: string, got: number[], expected: number[]): void {
  if (got.length !== 4 || got.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernel} (dl-course fast kernel): dy has shape [${got}] but the convolution's output shape is [${expected}]`);
  }
}

const fastKernelFuncs = new Map<string, tf.KernelFunc>();
for (const backendName of FAST_CONV_GRAD_BACKENDS) {
  fastKernelFuncs.set(`${backendName}/Conv2DBackpropFilter`, conv2dBackpropFilterVia(backendName));
  fastKernelFuncs.set(`${backendName}/Conv2DBackpropInput`, conv2dBackpropInputVia(backendName));
}

/**
 * Registers the fast `Conv2DBackpropFilter` and `Conv2DBackpropInput` kernels
 * for the `wasm` and `cpu` backends, replacing the stock ones (kept, see
 * {@link stockKernel}). Idempotent; affects every later gradient of
 * `tf.conv2d` / `tf.layers.conv2d` on those backends, whether or not the
 * backend is already initialised. `initBackend` (lib/backend/backend.ts) calls it.
 *
 * Kernel contract (as TF.js's own):
 * - `Conv2DBackpropFilter`: inputs x `[batch, inHeight, inWidth, inChannels]`
 *   float32 and dy `[batch, outHeight, outWidth, outChannels]` float32 →
 *   dW `[filterHeight, filterWidth, inChannels, outChannels]` float32.
 * - `Conv2DBackpropInput`: inputs dy (as above) and filter `[filterHeight,
 *   filterWidth, inChannels, outChannels]` float32 → dx `[batch, inHeight,
 *   inWidth, inChannels]` float32.
 *
 * Supported: NHWC; padding 'valid', 'same', a number or explicit
 * `[[0,0],[top,bottom],[left,right],[0,0]]`; any strides (equal or not); any
 * filter size; dilation 1. With `dataFormat: 'NCHW'` the `cpu` kernels fall
 * back to the stock kernel and the `wasm` kernels throw.
 *
 * Source: Dumoulin & Visin 2016, "A guide to convolution arithmetic for deep
 * learning", arXiv:1603.07285, §4–5.
 *
 * Side effect: loads `@tensorflow/tfjs-backend-wasm` (when installed), which
 * registers the `wasm` backend (priority 2, initialised only on use).
 *
 * @throws nothing itself. The registered kernels throw an {Error} when a
 *   gradient is computed on `wasm` with `dataFormat: 'NCHW'`, or on any
 *   backend with a `dilations` attribute other than 1 (the stock kernels would
 *   silently ignore it); the message names the kernel and the attribute.
 * @example
 * ```ts
 * registerFastConvGradients();
 * await tf.setBackend('wasm');
 * const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
 * const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
 * const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').sum())([x, w]);
 * dx.shape; // [2, 8, 8, 3]
 * dw.shape; // [3, 3, 3, 4]
 * ```
 */
export function registerFastConvGradients(): void {
  // Loading the wasm package registers the 'wasm' backend (priority 2, not yet
  // initialised) and its kernels, so that ours replace the stock ones instead of
  // being replaced by them later. Done here, not at import time, so that
  // importing this module changes nothing.
  let backends: readonly string[] = FAST_CONV_GRAD_BACKENDS;
  try {
    nodeRequire('@tensorflow/tfjs-backend-wasm');
  } catch {
    backends = ['cpu']; // no wasm package (or it cannot load): nothing to equip there
  }
  for (const backendName of backends) {
    for (const kernelName of FAST_CONV_GRAD_KERNELS) {
      const key = `${backendName}/${kernelName}`;
      const ours = fastKernelFuncs.get(key)!;
      const current = tf.getKernel(kernelName, backendName);
      if (current?.kernelFunc === ours) continue;
      if (current !== undefined || !stockKernels.has(key)) stockKernels.set(key, current);
      if (current !== undefined) tf.unregisterKernel(kernelName, backendName);
      // Keep a stock setupFunc (wasm binds its C function there), so that the
      // stock kernel stays callable for comparisons and fallbacks.
      tf.registerKernel({ kernelName, backendName, kernelFunc: ours, setupFunc: stockKernels.get(key)?.setupFunc });
    }
  }
}

/**
 * Puts the stock kernels back (those seen by the first
 * {@link registerFastConvGradients}); `wasm` then again lacks
 * `Conv2DBackpropFilter`. For tests and comparisons.
 * @example
 * ```ts
 * unregisterFastConvGradients();
 * isFastConvGradientRegistered('wasm', 'Conv2DBackpropInput'); // false
 * ```
 */
export function unregisterFastConvGradients(): void {
  for (const [key, stock] of stockKernels) {
    const [backendName, kernelName] = key.split('/');
    if (tf.getKernel(kernelName, backendName)?.kernelFunc === fastKernelFuncs.get(key)) {
      tf.unregisterKernel(kernelName, backendName);
      if (stock !== undefined) tf.registerKernel(stock);
    }
  }
}

/**
 * Whether our fast kernel is the one now registered for `kernelName` on `backendName`.
 * @example
 * ```ts
 * registerFastConvGradients();
 * isFastConvGradientRegistered('wasm', 'Conv2DBackpropFilter'); // true
 * ```
 */
export function isFastConvGradientRegistered(backendName: string, kernelName: string): boolean {
  const ours = fastKernelFuncs.get(`${backendName}/${kernelName}`);
  return ours !== undefined && tf.getKernel(kernelName, backendName)?.kernelFunc === ours;
}

/**
 * The stock TF.js kernel config that {@link registerFastConvGradients}
 * replaced, or `undefined` when there was none (e.g. `Conv2DBackpropFilter` on
 * `wasm`) or registration has not happened yet. Call its `kernelFunc` with the
 * same `{inputs, backend, attrs}` as ours to compare results.
 * @example
 * ```ts
 * registerFastConvGradients();
 * stockKernel('Conv2DBackpropFilter', 'cpu')?.backendName; // 'cpu'
 * stockKernel('Conv2DBackpropFilter', 'wasm'); // undefined
 * ```
 */
export function stockKernel(kernelName: string, backendName = 'cpu'): tf.KernelConfig | undefined {
  return stockKernels.get(`${backendName}/${kernelName}`);
}
