/**
 * The dense (fully connected) layer `Z = X·W + b`, its backward pass right
 * under it, and its weight initialisation. Goodfellow, Bengio & Courville,
 * "Deep Learning" (2016), §6.1 and §6.5.4 (back-propagation through a matrix
 * product); Glorot & Bengio (2010) and He et al. (2015) for initialisation.
 *
 * Shapes: `X` `[batch, inFeatures]`, `W` `[inFeatures, outFeatures]`, `b`
 * `[outFeatures]` (added to every row: broadcasting), `Z` `[batch, outFeatures]`.
 * One example is one row of `X`, so `X·W` transforms all examples at once.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { seededNormal, seededRandom } from '../core/random';
import { checkTensor, shapeText } from '../core/tensors';

/** Checks the shapes of X, W and b against each other; errors say which dimension disagrees. */
function checkDenseShapes(fn: string, X: unknown, W: unknown, b?: unknown): void {
  const x = checkTensor(fn, 'X', X);
  const w = checkTensor(fn, 'W', W, 2, '[inFeatures, outFeatures]');
  if (x.rank === 4) {
    throw new ArgumentError(
      `${fn}: X is ${shapeText(x.shape)}, a batch of images; a dense layer takes [batch, inFeatures]. ` +
        `Flatten the images first: flattenImages(X) gives [${x.shape[0]}, ${x.shape.slice(1).reduce((a, c) => a * c, 1)}]`,
    );
  }
  if (x.rank !== 2) {
    throw new ArgumentError(`${fn}: X must be [batch, inFeatures] (rank 2), got shape ${shapeText(x.shape)} (rank ${x.rank})` + (x.rank === 1 ? '; for one example use X.expandDims(0)' : ''));
  }
  if (x.shape[1] !== w.shape[0]) {
    throw new ArgumentError(`${fn}: X is ${shapeText(x.shape)} but W is ${shapeText(w.shape)}: X's columns (${x.shape[1]}) must equal W's rows (${w.shape[0]})`);
  }
  if (b === undefined) return;
  const bb = checkTensor(fn, 'b', b, 1, '[outFeatures]');
  if (bb.shape[0] !== w.shape[1]) {
    throw new ArgumentError(`${fn}: b is ${shapeText(bb.shape)} but W is ${shapeText(w.shape)}: b must have one entry per column of W (${w.shape[1]})`);
  }
}

/**
 * Forward pass of a dense layer: `Z = X·W + b`.
 * @param X - `[batch, inFeatures]` float32 inputs, one example per row.
 * @param W - `[inFeatures, outFeatures]` float32 weights.
 * @param b - `[outFeatures]` float32 biases, added to every row.
 * @returns `Z` `[batch, outFeatures]` float32 (pre-activations). The caller disposes it.
 * @throws {ArgumentError} when an argument is not a tensor, `X` is not rank 2
 *   (rank-4 images: flatten them first), X's columns differ from W's rows, or
 *   b's length differs from W's columns.
 * @example
 * ```ts
 * const X = tf.tensor2d([[1, 2]]);           // [1, 2]
 * const W = tf.tensor2d([[1, 0, 2], [0, 1, 3]]); // [2, 3]
 * const b = tf.tensor1d([10, 20, 30]);          // [3]
 * dense(X, W, b).arraySync(); // [[11, 22, 38]]
 * ```
 * @see [Notebook 04 §1 A dense layer: `Z = XW + b`](../../notebooks/04-mlp-maths.ipynb#1.-A-dense-layer:-Z-=-XW-+-b)
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 */
export function dense(X: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  checkDenseShapes('dense', X, W, b ?? null); // null: a missing b is an error, not "no bias"
  return tf.tidy(() => tf.add(tf.matMul(X, W), b)); // [batch, outFeatures]
}

/** Gradients of the loss with respect to a dense layer's input and parameters. */
export interface DenseGradients {
  /** ∂L/∂X `[batch, inFeatures]` float32: passed on to the layer below. */
  dX: tf.Tensor2D;
  /** ∂L/∂W `[inFeatures, outFeatures]` float32. */
  dW: tf.Tensor2D;
  /** ∂L/∂b `[outFeatures]` float32. */
  db: tf.Tensor1D;
}

/**
 * Backward pass of a dense layer: from `dZ` = ∂L/∂Z and the forward pass's `X`
 * and `W`, by the chain rule on `Z = X·W + b`:
 * - `dW = Xᵀ·dZ`: weight (i, j) touched every example's Z[:, j] through X[:, i];
 * - `db = Σ_batch dZ`: the bias was added to every row, so its gradient sums them;
 * - `dX = dZ·Wᵀ`: what the layer below receives.
 * @param dZ - `[batch, outFeatures]` float32, ∂L/∂Z.
 * @param X - `[batch, inFeatures]` float32, the forward input.
 * @param W - `[inFeatures, outFeatures]` float32, the forward weights.
 * @returns `dX` `[batch, inFeatures]`, `dW` `[inFeatures, outFeatures]`, `db` `[outFeatures]`, float32. The caller disposes them.
 * @throws {ArgumentError} when the shapes do not fit together (as in {@link dense}, and dZ's shape must be `[batch, outFeatures]`).
 * @example
 * ```ts
 * const { dX, dW, db } = denseBackward(tf.tensor2d([[1, -1]]), tf.tensor2d([[2, 3]]), tf.tensor2d([[1, 0], [0, 1]]));
 * dW.arraySync(); // [[2, -2], [3, -3]]
 * db.arraySync(); // [1, -1]
 * dX.arraySync(); // [[1, -1]]
 * ```
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 */
export function denseBackward(dZ: tf.Tensor2D, X: tf.Tensor2D, W: tf.Tensor2D): DenseGradients {
  const fn = 'denseBackward';
  checkTensor(fn, 'dZ', dZ, 2, '[batch, outFeatures]');
  checkDenseShapes(fn, X, W);
  if (dZ.shape[0] !== X.shape[0] || dZ.shape[1] !== W.shape[1]) {
    throw new ArgumentError(`${fn}: dZ is ${shapeText(dZ.shape)} but must be [batch, outFeatures] = [${X.shape[0]}, ${W.shape[1]}] (X is ${shapeText(X.shape)}, W is ${shapeText(W.shape)})`);
  }
  return tf.tidy(() => ({
    dX: tf.matMul(dZ, W, false, true) as tf.Tensor2D, // [batch, inFeatures] = [batch, out]·[out, in]
    dW: tf.matMul(X, dZ, true, false) as tf.Tensor2D, // [inFeatures, outFeatures] = [in, batch]·[batch, out]
    db: tf.sum(dZ, 0) as tf.Tensor1D, // [outFeatures]
  }));
}

/** How to draw a dense layer's initial weights. */
export type DenseInit = 'he' | 'glorot';

/** Initial parameters of one dense layer. */
export interface DenseInitialValues {
  /** `[inFeatures, outFeatures]` float32, row-major. */
  W: Float32Array;
  /** `[outFeatures]` float32, zeros. */
  b: Float32Array;
}

/**
 * Seeded initial weights of a dense layer; biases start at 0.
 * - `'he'` (He et al. 2015, for ReLU-like activations): normal with standard
 *   deviation √(2 / inFeatures), so the variance of activations stays about
 *   the same from layer to layer;
 * - `'glorot'` (Glorot & Bengio 2010, for sigmoid and tanh): uniform in ±√(6 / (inFeatures + outFeatures)).
 * @param inFeatures - rows of W.
 * @param outFeatures - columns of W.
 * @param init - `'he'` or `'glorot'`. @default 'he'
 * @param seed - seed of the random numbers. @default 0
 * @returns `W` `[inFeatures, outFeatures]` and `b` `[outFeatures]`, float32 arrays (row-major).
 * @throws {ArgumentError} when a size is not an integer ≥ 1, `init` is unknown, or `seed` is not a 32-bit unsigned integer.
 * @example
 * ```ts
 * const { W, b } = initDense(784, 128, 'he', 0);
 * W.length; // 100352 (784 * 128)
 * b.every((v) => v === 0); // true
 * ```
 */
export function initDense(inFeatures: number, outFeatures: number, init: DenseInit = 'he', seed = 0): DenseInitialValues {
  const fn = 'initDense';
  checkInteger(fn, 'inFeatures', inFeatures, 1);
  checkInteger(fn, 'outFeatures', outFeatures, 1);
  checkInteger(fn, 'seed', seed, 0, 2 ** 32 - 1);
  const W = new Float32Array(inFeatures * outFeatures);
  if (init === 'he') {
    const normal = seededNormal(seed);
    const std = Math.sqrt(2 / inFeatures);
    for (let i = 0; i < W.length; i++) W[i] = std * normal();
  } else if (init === 'glorot') {
    const rand = seededRandom(seed);
    const limit = Math.sqrt(6 / (inFeatures + outFeatures));
    for (let i = 0; i < W.length; i++) W[i] = limit * (2 * rand() - 1);
  } else {
    throw new ArgumentError(`${fn}: init must be 'he' or 'glorot', got ${describe(init)}`);
  }
  return { W, b: new Float32Array(outFeatures) };
}
