import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ArgumentError,
  PROBABILITY_EPSILON,
  binaryCrossentropy,
  binaryCrossentropyBackward,
  categoricalCrossentropy,
  categoricalCrossentropyBackward,
  looksLikeProbabilities,
  meanSquaredError,
  meanSquaredErrorBackward,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyBackward,
} from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => vi.restoreAllMocks());

describe('sparseCategoricalCrossentropy', () => {
  it('is ln 2 for a 50/50 prediction (hand derivation)', () => {
    const v = sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5]])).dataSync()[0];
    expect(v).toBeCloseTo(Math.LN2, 6);
  });
  it('from logits equals TF.js softmaxCrossEntropy on one-hot labels', () => {
    const logits = tf.tensor2d([[2, -1, 0.5], [0, 3, -2]]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const ours = sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }).dataSync()[0];
    const theirs = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), logits).dataSync()[0];
    expect(ours).toBeCloseTo(theirs, 5);
  });
  it('stays finite for huge logits (log-sum-exp)', () => {
    const v = sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[1000, -1000]]), { fromLogits: true }).dataSync()[0];
    expect(v).toBeCloseTo(2000, 0);
  });
  it('gives -ln(1e-7) for a probability of exactly 0, never Infinity', () => {
    const v = sparseCategoricalCrossentropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[0, 1]])).dataSync()[0];
    expect(v).toBeCloseTo(-Math.log(1e-7), 3);
  });
  it('warns when softmax outputs are passed as logits', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    sparseCategoricalCrossentropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[0.7, 0.3]]), { fromLogits: true });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/look like softmax probabilities/);
  });
  it("never refuses a correct call on evidence: 'throw' is gone, genuine logits that look like probabilities only warn", () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[0.7, 0.3]]), { fromLogits: true, onSoftmaxAsLogits: 'throw' as never })).toThrow(
      /options.onSoftmaxAsLogits must be 'warn' or 'ignore', got string "throw" \('throw' was removed/,
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // Genuine logits [0.5, 0.5] (rows sum to 1): the loss is computed, with a warning that says how to silence it.
    const loss = sparseCategoricalCrossentropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[0.5, 0.5]]), { fromLogits: true }).dataSync()[0];
    expect(loss).toBeCloseTo(Math.LN2, 6);
    expect(String(warn.mock.calls[0][0])).toMatch(/If they really are logits, pass onSoftmaxAsLogits: 'ignore'/);
    // Genuine logits whose rows happen to be one-hot: no warning at all.
    warn.mockClear();
    const oneHotLogits = sparseCategoricalCrossentropy(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[1, 0], [0, 1]]), { fromLogits: true }).dataSync()[0];
    expect(oneHotLogits).toBeCloseTo(Math.log(1 + Math.exp(-1)), 5); // −log softmax([1, 0])[0]
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
  it('rejects labels whose length differs from the outputs rows', () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.7, 0.3]]))).toThrow(/yTrue must be \[batch\] class indices with batch = 1/);
  });
});

describe('looksLikeProbabilities', () => {
  it('is true for softmax outputs and false for logits', () => {
    expect(looksLikeProbabilities(tf.softmax(tf.tensor2d([[3, 1, -2]])) as tf.Tensor2D)).toBe(true);
    expect(looksLikeProbabilities(tf.tensor2d([[3, 1, -2]]))).toBe(false);
    expect(looksLikeProbabilities(tf.tensor2d([[0.2, 0.2]]))).toBe(false); // in range but sums to 0.4
  });
});

const value = (t: tf.Tensor) => t.dataSync()[0];
const values = (t: tf.Tensor) => Array.from(t.dataSync());
function expectAllClose(actual: number[], expected: number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a, `entry ${i}`).toBeCloseTo(expected[i], digits));
}

describe('PROBABILITY_EPSILON', () => {
  it('is 1e-7, the clipping of Keras and of TF.js float32 backends', () => {
    expect(PROBABILITY_EPSILON).toBe(1e-7);
    expect(tf.backend().epsilon()).toBe(PROBABILITY_EPSILON);
  });
});

describe('sparseCategoricalCrossentropy (more)', () => {
  it('rejects an empty batch instead of returning NaN', () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor1d([], 'int32'), tf.zeros([0, 3]) as tf.Tensor2D)).toThrow(/an empty batch/);
  });
  it('suggests categoricalCrossentropy for one-hot labels', () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor2d([[0, 1]]) as unknown as tf.Tensor1D, tf.tensor2d([[0.5, 0.5]]))).toThrow(/one-hot rows: use categoricalCrossentropy/);
  });
  it('has the gradient (softmax − onehot)/batch w.r.t. the logits, equal to tf.grad of the loss', () => {
    const labels = tf.tensor1d([0, 2, 1], 'int32');
    const logits = tf.tensor2d([[2, -1, 0.5], [0, 3, -2], [1, 1, 1]]);
    const reference = tf.grad((z: tf.Tensor) => sparseCategoricalCrossentropy(labels, z as tf.Tensor2D, { fromLogits: true }))(logits);
    expectAllClose(values(sparseCategoricalCrossentropyBackward(labels, logits)), values(reference), 6);
  });
});

describe('categoricalCrossentropy', () => {
  const oneHot = tf.tensor2d([[1, 0, 0], [0, 0, 1]]);
  const logits = tf.tensor2d([[2, -1, 0.5], [0, 3, -2]]);
  it('from logits equals TF.js tf.losses.softmaxCrossEntropy', () => {
    expect(value(categoricalCrossentropy(oneHot, logits, { fromLogits: true }))).toBeCloseTo(value(tf.losses.softmaxCrossEntropy(oneHot, logits)), 5);
  });
  it('from probabilities is −mean log p(true class): ln 4 for p = 1/4 (hand computation)', () => {
    expect(value(categoricalCrossentropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.75, 0.25]])))).toBeCloseTo(Math.log(4), 6);
  });
  it('equals the sparse form for the same labels', () => {
    const p = tf.softmax(logits) as tf.Tensor2D;
    expect(value(categoricalCrossentropy(oneHot, p))).toBeCloseTo(value(sparseCategoricalCrossentropy(tf.tensor1d([0, 2], 'int32'), p)), 6);
  });
  it('stays finite for logits of ±1000 (log-sum-exp), where the naive −log(softmax) is Infinity', () => {
    const big = tf.tensor2d([[1000, -1000]]);
    const y = tf.tensor2d([[0, 1]]);
    expect(value(categoricalCrossentropy(y, big, { fromLogits: true }))).toBe(2000);
    expect(value(tf.neg(tf.sum(tf.mul(y, tf.log(tf.softmax(big))))))).toBe(Infinity);
  });
  it('gives −ln(1e-7) ≈ 16.118 for a probability of exactly 0, never Infinity or NaN', () => {
    const v = value(categoricalCrossentropy(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]])));
    expect(v).toBeCloseTo(-Math.log(1e-7), 3);
    expect(value(categoricalCrossentropy(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]])))).toBeCloseTo(-Math.log(1 - 1e-7), 6);
  });
  it('warns when softmax outputs are passed as logits', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    categoricalCrossentropy(oneHot, tf.softmax(logits) as tf.Tensor2D, { fromLogits: true });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^categoricalCrossentropy: fromLogits is true but .* look like softmax probabilities/);
  });
  it('does not warn for real logits', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    categoricalCrossentropy(oneHot, logits, { fromLogits: true });
    expect(warn).not.toHaveBeenCalled();
  });
  it('has the gradient (softmax − Y)/batch w.r.t. the logits, equal to tf.grad', () => {
    const reference = tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(oneHot, z))(logits);
    expectAllClose(values(categoricalCrossentropyBackward(oneHot, logits)), values(reference), 6);
  });
  it('rejects labels whose shape differs from the outputs, suggesting the sparse form for indices', () => {
    expect(() => categoricalCrossentropy(tf.tensor1d([0, 2]) as unknown as tf.Tensor2D, logits)).toThrow(/yTrue is \[2\] but yPred is \[2, 3\].*use sparseCategoricalCrossentropy/);
  });
});

describe('binaryCrossentropy', () => {
  const y = tf.tensor1d([1, 0, 1, 0]);
  const z = tf.tensor1d([2, -1, -0.5, 3]);
  it('is ln 2 for p = 1/2 (hand computation)', () => {
    expect(value(binaryCrossentropy(tf.tensor1d([1]), tf.tensor1d([0.5])))).toBeCloseTo(Math.LN2, 6);
  });
  it('from logits equals TF.js tf.losses.sigmoidCrossEntropy and the probability form at σ(z)', () => {
    const ours = value(binaryCrossentropy(y, z, { fromLogits: true }));
    expect(ours).toBeCloseTo(value(tf.losses.sigmoidCrossEntropy(y, z)), 5);
    expect(ours).toBeCloseTo(value(binaryCrossentropy(y, tf.sigmoid(z))), 5);
  });
  it('stays finite for logits of ±1000, where the naive −log(1 − σ(z)) is Infinity', () => {
    expect(values(tf.neg(tf.log(tf.sub(1, tf.sigmoid(tf.tensor1d([1000]))))))).toEqual([Infinity]);
    expect(value(binaryCrossentropy(tf.tensor1d([0]), tf.tensor1d([1000]), { fromLogits: true }))).toBe(1000);
    expect(value(binaryCrossentropy(tf.tensor1d([1]), tf.tensor1d([-1000]), { fromLogits: true }))).toBe(1000);
    expect(value(binaryCrossentropy(tf.tensor1d([1]), tf.tensor1d([1000]), { fromLogits: true }))).toBe(0);
  });
  it('gives −ln(1e-7) for a probability of exactly 0 (or 1 with label 0), never Infinity or NaN', () => {
    expect(value(binaryCrossentropy(tf.tensor1d([1]), tf.tensor1d([0])))).toBeCloseTo(-Math.log(1e-7), 3);
    // 1 − 1e-7 is not a float32: it rounds to 1 − 2⁻²³ ≈ 1 − 1.19e-7, so this side is capped at −ln(1.19e-7) ≈ 15.94
    expect(Math.fround(1 - 1e-7)).toBe(1 - 2 ** -23);
    expect(value(binaryCrossentropy(tf.tensor1d([0]), tf.tensor1d([1])))).toBeCloseTo(-Math.log(2 ** -23), 3);
  });
  it('has the gradient (σ(z) − y)/N w.r.t. the logits, equal to tf.grad', () => {
    const reference = tf.grad((t: tf.Tensor) => tf.losses.sigmoidCrossEntropy(y, t))(z);
    expectAllClose(values(binaryCrossentropyBackward(y, z)), values(reference), 6);
  });
  it('rejects labels and outputs of different shapes, and empty tensors', () => {
    expect(() => binaryCrossentropy(tf.zeros([4, 1]), z)).toThrow('binaryCrossentropy: yTrue is [4, 1] but yPred is [4]; they must have the same shape');
    expect(() => binaryCrossentropy(tf.zeros([0]), tf.zeros([0]))).toThrow(/empty/);
  });
});

describe('meanSquaredError', () => {
  it('is the mean of squared differences: (0² + 2²)/2 = 2, as tf.losses.meanSquaredError', () => {
    expect(value(meanSquaredError(tf.tensor1d([1, 2]), tf.tensor1d([1, 4])))).toBe(2);
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[0.5, 2], [5, 3]]);
    expect(value(meanSquaredError(a, b))).toBeCloseTo(value(tf.losses.meanSquaredError(a, b)), 6);
  });
  it('has the gradient 2(Ŷ − Y)/N, equal to tf.grad', () => {
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[0.5, 2], [5, 3]]);
    const reference = tf.grad((t: tf.Tensor) => tf.losses.meanSquaredError(a, t))(b);
    expectAllClose(values(meanSquaredErrorBackward(a, b)), values(reference), 6);
  });
});
