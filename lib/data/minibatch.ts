/**
 * Minibatches for training: a seeded shuffle-then-split into training and
 * validation indices, minibatch ranges that keep the last partial minibatch,
 * minibatches of flat float32 features in [0, 1], and epoch means weighted
 * by minibatch size. Goodfellow, Bengio & Courville, "Deep Learning" (2016),
 * §8.1.3 (minibatch algorithms: examples drawn in a random order) and §5.3
 * (validation sets).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkExamples, gatherExamples, takeExamples, type LabeledExamples } from '../core/examples';
import { shuffledIndices } from '../core/random';


/** Indices of a training/validation split. */
export interface IndexSplit {
  /** `[n − nValidation]` int32, in shuffled order. */
  train: Int32Array;
  /** `[nValidation]` int32, in shuffled order. */
  validation: Int32Array;
}

/**
 * Shuffles 0..n−1 with a seed, then puts the first ⌊n·validationFraction⌉
 * (rounded) indices in the validation set and the rest in the training set.
 *
 * Unlike TF.js's and Keras's `validationSplit`, which take the **last**
 * fraction of the data as given, unshuffled (so a file sorted by class gives a
 * validation set of one class), this shuffles first.
 * @param n - number of examples.
 * @param validationFraction - in [0, 1).
 * @param seed - seed of the shuffle. @default 0
 * @throws {ArgumentError} when `n` is not an integer ≥ 0, `validationFraction`
 *   is not in [0, 1), or `seed` is not a 32-bit unsigned integer.
 * @example
 * ```ts
 * const { train, validation } = shuffleSplit(10, 0.2, 0);
 * [train.length, validation.length]; // [8, 2]
 * ```
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export function shuffleSplit(n: number, validationFraction: number, seed = 0): IndexSplit {
  const fn = 'shuffleSplit';
  checkInteger(fn, 'n', n, 0);
  if (typeof validationFraction !== 'number' || !(validationFraction >= 0 && validationFraction < 1)) {
    throw new ArgumentError(`${fn}: validationFraction must be a number in [0, 1), got ${describe(validationFraction)}`);
  }
  checkInteger(fn, 'seed', seed, 0, 2 ** 32 - 1);
  const order = shuffledIndices(n, seed);
  const nValidation = Math.round(n * validationFraction);
  return { validation: order.slice(0, nValidation), train: order.slice(nValidation) };
}

/** What {@link splitExamples} returns. */
export interface ExamplesSplit {
  /** The examples to train on. */
  train: LabeledExamples;
  /** The held-out validation examples. */
  validation: LabeledExamples;
}

/**
 * Holds a validation set out of the training examples: a seeded shuffle, then
 * the first ⌊n·validationFraction⌉ examples for validation and the rest for
 * training (see {@link shuffleSplit}). The test set stays untouched until the
 * end; the validation set is what a learner watches epoch by epoch and uses to
 * choose settings.
 * @returns two new records (copies), in shuffled order.
 * @throws {ArgumentError} as {@link shuffleSplit}, or when `data` is malformed.
 * @example
 * ```ts
 * const data = { n: 10, pixels: new Uint8Array(10), labels: new Int32Array(10) };
 * const { train, validation } = splitExamples(data, 0.2, 0);
 * [train.n, validation.n]; // [8, 2]
 * ```
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 */
export function splitExamples(data: LabeledExamples, validationFraction: number, seed = 0): ExamplesSplit {
  checkExamples('splitExamples', 'data', data);
  const split = shuffleSplit(data.n, validationFraction, seed);
  return { train: takeExamples(data, split.train), validation: takeExamples(data, split.validation) };
}

/**
 * `[start, end)` ranges of consecutive minibatches over `n` examples. The last
 * minibatch holds the remainder when `batchSize` does not divide `n`: it is
 * kept, not dropped (TF.js's and Keras's `fit` do the same), so every example
 * is seen once per epoch.
 * @throws {ArgumentError} when `n` is not an integer ≥ 0 or `batchSize` not ≥ 1.
 * @example
 * ```ts
 * minibatchRanges(10, 4); // [[0, 4], [4, 8], [8, 10]]
 * ```
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export function minibatchRanges(n: number, batchSize: number): Array<[number, number]> {
  checkInteger('minibatchRanges', 'n', n, 0);
  checkInteger('minibatchRanges', 'batchSize', batchSize, 1);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < n; start += batchSize) ranges.push([start, Math.min(start + batchSize, n)]);
  return ranges;
}


/** One minibatch as tensors. */
export interface Minibatch {
  /** `[batch, features]` float32 in [0, 1]. */
  X: tf.Tensor2D;
  /** `[batch]` int32 class indices. */
  y: tf.Tensor1D;
}

/**
 * Builds the minibatch of examples `indices[start..end)`: their pixels as
 * float32 rows in [0, 1] (see {@link pixelsToFloat32}) and their labels.
 * @param data - `pixels` `[n, features]` uint8, `labels` `[n]` int32.
 * @param indices - an order of the examples, e.g. from {@link shuffleSplit}.
 * @param start - first position in `indices`. @default 0
 * @param end - one past the last position. @default indices.length
 * @returns `X` `[end − start, features]` float32 and `y` `[end − start]` int32. The caller disposes them.
 * @throws {ArgumentError} when `data` is malformed, the range is not within `indices`, or an index is outside [0, n).
 * @example
 * ```ts
 * const data = { n: 2, pixels: new Uint8Array([0, 255, 51, 102]), labels: new Int32Array([3, 7]) };
 * const { X, y } = gatherMinibatch(data, [1, 0]);
 * X.arraySync(); // [[0.2, 0.4], [0, 1]]
 * y.arraySync(); // [7, 3]
 * ```
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export function gatherMinibatch(data: LabeledExamples, indices: ArrayLike<number>, start = 0, end: number = indices?.length): Minibatch {
  const fn = 'gatherMinibatch';
  const features = checkExamples(fn, 'data', data);
  if (indices == null || typeof indices.length !== 'number') throw new ArgumentError(`${fn}: indices must be an array of example indices, got ${describe(indices)}`);
  checkInteger(fn, 'start', start, 0, indices.length);
  checkInteger(fn, 'end', end, start, indices.length);
  for (let k = start; k < end; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= data.n) throw new ArgumentError(`${fn}: indices[${k}] must be an integer in [0, ${data.n}), got ${describe(i)}`);
  }
  const { pixels, labels } = gatherExamples(data, features, indices, start, end);
  return { X: tf.tensor2d(pixels, [end - start, features], 'float32'), y: tf.tensor1d(labels, 'int32') };
}

/**
 * The mean over an epoch of per-minibatch means, each weighted by its
 * minibatch's size: Σ meanᵢ·sizeᵢ / Σ sizeᵢ. This equals the mean over all
 * examples; a plain average of the minibatch means would count a last
 * minibatch of 1 example as much as a full one.
 * @param means - `[numBatches]` per-minibatch means.
 * @param sizes - `[numBatches]` minibatch sizes.
 * @returns the weighted mean; `NaN` when there are no examples.
 * @throws {ArgumentError} when the arrays differ in length or a size is not an integer ≥ 0.
 * @example
 * ```ts
 * epochMean([1, 4], [3, 1]); // 1.75 (weighted by size: 7 / 4; the plain mean of the means is 2.5)
 * ```
 */
export function epochMean(means: ArrayLike<number>, sizes: ArrayLike<number>): number {
  const fn = 'epochMean';
  if (means == null || sizes == null || means.length !== sizes.length) {
    throw new ArgumentError(`${fn}: means has ${means?.length} entries but sizes has ${sizes?.length}; give one size per minibatch mean`);
  }
  let sum = 0;
  let count = 0;
  for (let i = 0; i < means.length; i++) {
    checkInteger(fn, `sizes[${i}]`, sizes[i], 0);
    sum += means[i] * sizes[i];
    count += sizes[i];
  }
  return count === 0 ? NaN : sum / count;
}
