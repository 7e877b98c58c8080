/**
 * Batch normalisation written out (Ioffe & Szegedy, "Batch Normalization:
 * Accelerating Deep Network Training by Reducing Internal Covariate Shift",
 * ICML 2015, Algorithm 1 for training and §3.1 for inference), with the
 * moving averages and defaults of Keras and TF.js's
 * `tf.layers.batchNormalization` (momentum 0.99, ε = 0.001, population
 * variance), which the tests compare it with.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../core/errors';
import { checkTensor, shapeText } from '../core/tensors';

/**
 * The state of one batch normalisation over C channels: what it learns and what it averages.
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 */
export interface BatchNormState {
  /** `[C]` scale γ (learned). */
  gamma: tf.Tensor1D;
  /** `[C]` shift β (learned). */
  beta: tf.Tensor1D;
  /** `[C]` moving average of the minibatch means (not learned: updated in training mode). */
  movingMean: tf.Tensor1D;
  /** `[C]` moving average of the minibatch variances (not learned: updated in training mode). */
  movingVariance: tf.Tensor1D;
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Training mode: normalise with the minibatch's statistics and update the moving averages; else use the moving averages. */
  training: boolean;
  /** Weight of the old value in a moving-average update: `moving ← momentum · moving + (1 − momentum) · batch`. @default 0.99 */
  momentum?: number;
  /** Added to the variance before the square root, so a constant channel does not divide by 0. @default 0.001 */
  epsilon?: number;
}

/** What {@link batchNorm} returns. The caller disposes the tensors. */
export interface BatchNormResult {
  /** The normalised, scaled and shifted input: same shape as `x`, float32. */
  y: tf.Tensor;
  /** `[C]` the statistics used: the minibatch mean (training) or the moving mean (inference). */
  mean: tf.Tensor1D;
  /** `[C]` the statistics used: the minibatch (population) variance or the moving variance. */
  variance: tf.Tensor1D;
  /** The state after the call: moving averages updated in training mode, new tensors either way. */
  state: BatchNormState;
}

/**
 * Batch normalisation of the last axis (the channels of NHWC images, the
 * features of `[batch, features]` rows):
 *
 * `y = γ · (x − μ) / √(σ² + ε) + β`, per channel, where in **training** mode
 * μ and σ² are the mean and population variance (divided by m, not m − 1) of
 * the channel over the minibatch (every axis but the last: m = batch·height·width
 * values for NHWC), and the moving averages become
 * `momentum · moving + (1 − momentum) · batch statistic`; in **inference**
 * mode μ and σ² are the moving averages and nothing changes, so a
 * prediction does not depend on the other images of its minibatch.
 *
 * @param x - `[batch, ..., C]` float32 (e.g. `[batch, height, width, channels]` NHWC).
 * @param state - γ, β and the moving averages, `[C]` each (not changed).
 * @throws {ArgumentError} when `x` is not a tensor of rank ≥ 2, a state tensor is not `[C]`,
 *   `momentum` is not in [0, 1] or `epsilon` is not ≥ 0.
 * @example
 * ```ts
 * // One channel, minibatch [0, 4]: mean 2, variance 4 (divided by m = 2); with γ = 1, β = 0, ε = 0:
 * const state = { gamma: tf.ones([1]), beta: tf.zeros([1]), movingMean: tf.zeros([1]), movingVariance: tf.ones([1]) } as BatchNormState;
 * const r = batchNorm(tf.tensor2d([[0], [4]]), state, { training: true, epsilon: 0, momentum: 0.9 });
 * Array.from(r.y.dataSync()); // [-1, 1]
 * Array.from(r.state.movingMean.dataSync()); // [0.2] (0.9·0 + 0.1·2)
 * Array.from(r.state.movingVariance.dataSync()); // [1.3] (0.9·1 + 0.1·4)
 * // Inference with the old state (mean 0, variance 1) leaves [0, 4] unchanged:
 * Array.from(batchNorm(tf.tensor2d([[0], [4]]), state, { training: false, epsilon: 0 }).y.dataSync()); // [0, 4]
 * ```
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 */
export function batchNorm(x: tf.Tensor, state: BatchNormState, options: BatchNormOptions): BatchNormResult {
  const fn = 'batchNorm';
  checkTensor(fn, 'x', x);
  if (x.rank < 2) throw new ArgumentError(`${fn}: x must be [batch, ..., C] with rank >= 2, got ${shapeText(x.shape)}`);
  const channels = x.shape[x.rank - 1];
  for (const key of ['gamma', 'beta', 'movingMean', 'movingVariance'] as const) {
    const t = checkTensor(fn, `state.${key}`, state?.[key], 1, '[C]');
    if (t.shape[0] !== channels) throw new ArgumentError(`${fn}: state.${key} must be [${channels}] (one value per channel of x ${shapeText(x.shape)}), got ${shapeText(t.shape)}`);
  }
  if (typeof options?.training !== 'boolean') throw new ArgumentError(`${fn}: options.training must be a boolean, got ${describe(options?.training)}`);
  const momentum = options.momentum ?? 0.99;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new ArgumentError(`${fn}: options.momentum must be a number in [0, 1], got ${describe(momentum)}`);
  const epsilon = options.epsilon ?? 0.001;
  if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon)) throw new ArgumentError(`${fn}: options.epsilon must be a finite number >= 0, got ${describe(epsilon)}`);
  return tf.tidy(() => {
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i); // every axis but the channels
    let mean: tf.Tensor1D;
    let variance: tf.Tensor1D;
    let movingMean: tf.Tensor1D;
    let movingVariance: tf.Tensor1D;
    if (options.training) {
      mean = tf.mean(x, axes) as tf.Tensor1D; // μ_B
      variance = tf.mean(tf.square(tf.sub(x, mean)), axes) as tf.Tensor1D; // σ²_B, divided by m
      movingMean = tf.add(tf.mul(state.movingMean, momentum), tf.mul(mean, 1 - momentum));
      movingVariance = tf.add(tf.mul(state.movingVariance, momentum), tf.mul(variance, 1 - momentum));
    } else {
      mean = tf.clone(state.movingMean);
      variance = tf.clone(state.movingVariance);
      movingMean = tf.clone(state.movingMean);
      movingVariance = tf.clone(state.movingVariance);
    }
    const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))); // zero mean, unit variance per channel
    const y = tf.add(tf.mul(xHat, state.gamma), state.beta);
    return { y, mean, variance, state: { gamma: tf.clone(state.gamma), beta: tf.clone(state.beta), movingMean, movingVariance } };
  });
}
