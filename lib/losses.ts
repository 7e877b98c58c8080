/**
 * Sparse categorical cross-entropy, from probabilities or from logits, and a
 * check for the classic mistake of passing softmax outputs as logits
 * (Goodfellow, Bengio & Courville, "Deep Learning", §6.2.2.3; log-sum-exp for
 * stability as in §4.1).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from './errors';

/**
 * Whether every row of `outputs` looks like a probability vector: all values in
 * [0, 1] and each row summing to 1 within `tolerance`.
 * @param outputs - `[batch, numClasses]` float32.
 * @example
 * ```ts
 * looksLikeProbabilities(tf.tensor2d([[0.2, 0.8]])); // true
 * looksLikeProbabilities(tf.tensor2d([[2.0, -1.0]])); // false
 * ```
 */
export function looksLikeProbabilities(outputs: tf.Tensor2D, tolerance = 1e-3): boolean {
  return tf.tidy(() => {
    const inRange = tf.logicalAnd(tf.greaterEqual(outputs, 0), tf.lessEqual(outputs, 1)).all().dataSync()[0] === 1;
    if (!inRange) return false;
    const err = tf.abs(tf.sub(tf.sum(outputs, -1), 1)).max().dataSync()[0];
    return err <= tolerance;
  });
}

/** Options of {@link sparseCategoricalCrossentropy}. */
export interface CrossEntropyOptions {
  /** `outputs` are logits (unnormalised scores), not probabilities. @default false */
  fromLogits?: boolean;
  /**
   * What to do when `fromLogits` is true but the outputs look like
   * probabilities (softmax applied twice): 'warn' (console.warn), 'throw', or
   * 'ignore'. @default 'warn'
   */
  onSoftmaxAsLogits?: 'warn' | 'throw' | 'ignore';
}

/**
 * Mean sparse categorical cross-entropy −(1/n) Σᵢ log p(yᵢ | xᵢ).
 *
 * From logits it uses log-softmax (log-sum-exp), stable for large logits. From
 * probabilities it clips to [1e-7, 1 − 1e-7] like Keras and TF.js, so a
 * probability of exactly 0 gives a finite loss (−log 1e-7 ≈ 16.118).
 *
 * @param labels - `[batch]` int32 class indices.
 * @param outputs - `[batch, numClasses]` float32 probabilities or logits.
 * @returns scalar float32 loss (natural log).
 * @throws {ArgumentError} when shapes disagree, or (with `onSoftmaxAsLogits: 'throw'`)
 *   when softmax outputs are passed as logits.
 * @example
 * ```ts
 * sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5]])).dataSync()[0]; // 0.6931 (ln 2)
 * ```
 */
export function sparseCategoricalCrossentropy(labels: tf.Tensor1D, outputs: tf.Tensor2D, options: CrossEntropyOptions = {}): tf.Scalar {
  const fn = 'sparseCategoricalCrossentropy';
  if (outputs.rank !== 2) throw new ArgumentError(`${fn}: outputs must be [batch, numClasses], got shape [${outputs.shape.join(', ')}]`);
  if (labels.rank !== 1 || labels.shape[0] !== outputs.shape[0]) {
    throw new ArgumentError(`${fn}: labels must be [batch] with batch = ${outputs.shape[0]} (outputs' rows), got shape [${labels.shape.join(', ')}]`);
  }
  const fromLogits = options.fromLogits ?? false;
  const policy = options.onSoftmaxAsLogits ?? 'warn';
  if (!['warn', 'throw', 'ignore'].includes(policy)) throw new ArgumentError(`${fn}: options.onSoftmaxAsLogits must be 'warn', 'throw' or 'ignore', got ${describe(policy)}`);
  if (fromLogits && policy !== 'ignore' && looksLikeProbabilities(outputs)) {
    const msg =
      `${fn}: fromLogits is true but every row of outputs is in [0, 1] and sums to 1: these look like softmax probabilities. ` +
      `Treating them as logits applies softmax twice and training stalls (the loss stays near ln(numClasses)). Pass fromLogits: false.`;
    if (policy === 'throw') throw new ArgumentError(msg);
    console.warn(msg);
  }
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), outputs.shape[1]); // [batch, numClasses]
    const logP = fromLogits ? tf.logSoftmax(outputs) : tf.log(tf.clipByValue(outputs, 1e-7, 1 - 1e-7)); // [batch, numClasses]
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logP), -1))) as tf.Scalar;
  });
}
