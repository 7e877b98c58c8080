/**
 * Data for experiments on data dependence: a seeded random subset of a data
 * set, and a copy with a given fraction of its labels replaced by wrong
 * classes ("symmetric" label noise: each corrupted label becomes one of the
 * other classes with equal probability; Rolnick et al., "Deep Learning is
 * Robust to Massive Label Noise", 2017, §3; Zhang et al., "Understanding deep
 * learning requires rethinking generalization", ICLR 2017).
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkExamples, checkLabels, takeExamples, type LabeledExamples } from '../core/examples';
import { seededRandom, shuffledIndices } from '../core/random';

/**
 * `size` examples drawn without replacement in a seeded random order (a copy).
 * @param data - `pixels` `[n, …]` uint8, `labels` `[n]` int32.
 * @param size - examples to keep, an integer in [0, n].
 * @param seed - seed of the draw, an integer in [0, 2³²).
 * @returns `pixels` `[size, …]` uint8, `labels` `[size]` int32 (the same `imageShape`).
 * @throws {ArgumentError} when `data` is malformed or `size` or `seed` is out of range.
 * @example
 * ```ts
 * const data = { n: 4, pixels: new Uint8Array([10, 20, 30, 40]), labels: new Int32Array([0, 1, 2, 3]) };
 * randomSubset(data, 2, 0).n; // 2
 * Array.from(randomSubset(data, 4, 0).labels).sort(); // [0, 1, 2, 3]
 * ```
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 10: questions, and training efficiency](../../notebooks/10-questions-and-efficiency.ipynb#Chapter-10:-questions,-and-training-efficiency)
 */
export function randomSubset(data: LabeledExamples, size: number, seed: number): LabeledExamples {
  const fn = 'randomSubset';
  checkExamples(fn, 'data', data);
  checkInteger(fn, 'size', size, 0, data.n);
  checkInteger(fn, 'seed', seed, 0, 2 ** 32 - 1);
  return takeExamples(data, shuffledIndices(data.n, seed).subarray(0, size));
}

/** What {@link withLabelNoise} returns. */
export interface NoisyLabels {
  /** The data with corrupted labels: the same `pixels` (shared, not copied), new `labels`. */
  data: LabeledExamples;
  /** `[round(fraction · n)]` int32 indices of the examples whose label was changed, ascending. */
  changed: Int32Array;
}

/**
 * A copy of the labels with exactly `round(fraction · n)` of them, chosen at
 * random, replaced by a different class drawn uniformly from the other
 * `numClasses − 1` classes. Use it on the training set only: the test set
 * keeps its true labels, so test accuracy measures what the noise did.
 * @param data - `pixels` `[n, …]` uint8, `labels` `[n]` int32 in [0, numClasses).
 * @param fraction - fraction of labels to corrupt, in [0, 1].
 * @param numClasses - number of classes, an integer ≥ 2.
 * @param seed - seed of which labels change and to what, an integer in [0, 2³²).
 * @throws {ArgumentError} when `data` is malformed, a label is outside [0, numClasses), or an argument is out of range.
 * @example
 * ```ts
 * const data = { n: 10, pixels: new Uint8Array(10), labels: new Int32Array(10) };
 * const noisy = withLabelNoise(data, 0.3, 10, 0);
 * noisy.changed.length; // 3
 * noisy.data.labels.filter((y) => y !== 0).length; // 3 (every changed label differs from the old one)
 * ```
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 03 §Exercises](../../notebooks/03-training-pipeline.ipynb#Exercises)
 */
export function withLabelNoise(data: LabeledExamples, fraction: number, numClasses: number, seed: number): NoisyLabels {
  const fn = 'withLabelNoise';
  checkExamples(fn, 'data', data);
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) throw new ArgumentError(`${fn}: fraction must be a number in [0, 1], got ${describe(fraction)}`);
  checkInteger(fn, 'numClasses', numClasses, 2);
  checkInteger(fn, 'seed', seed, 0, 2 ** 32 - 1);
  checkLabels(fn, 'data.labels', data.labels, numClasses);
  const count = Math.round(fraction * data.n);
  const changed = shuffledIndices(data.n, seed).slice(0, count).sort();
  const labels = data.labels.slice();
  const rand = seededRandom((seed + 1) >>> 0);
  for (const i of changed) {
    const shift = 1 + Math.floor(rand() * (numClasses - 1)); // 1 … numClasses − 1: never the old class
    labels[i] = (labels[i] + shift) % numClasses;
  }
  const noisy: LabeledExamples = { n: data.n, pixels: data.pixels, labels };
  if (data.imageShape) noisy.imageShape = data.imageShape;
  return { data: noisy, changed };
}
