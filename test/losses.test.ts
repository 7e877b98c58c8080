import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArgumentError, looksLikeProbabilities, sparseCategoricalCrossentropy } from '../lib';

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
  it('throws instead of warning with onSoftmaxAsLogits: throw', () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor1d([0], 'int32'), tf.tensor2d([[0.7, 0.3]]), { fromLogits: true, onSoftmaxAsLogits: 'throw' })).toThrow(ArgumentError);
  });
  it('rejects labels whose length differs from the outputs rows', () => {
    expect(() => sparseCategoricalCrossentropy(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.7, 0.3]]))).toThrow(/labels must be \[batch\] with batch = 1/);
  });
});

describe('looksLikeProbabilities', () => {
  it('is true for softmax outputs and false for logits', () => {
    expect(looksLikeProbabilities(tf.softmax(tf.tensor2d([[3, 1, -2]])) as tf.Tensor2D)).toBe(true);
    expect(looksLikeProbabilities(tf.tensor2d([[3, 1, -2]]))).toBe(false);
    expect(looksLikeProbabilities(tf.tensor2d([[0.2, 0.2]]))).toBe(false); // in range but sums to 0.4
  });
});
