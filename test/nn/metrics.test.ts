import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, accuracy, accuracyFromOutputs, confusionMatrix, labelFormat } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('accuracy', () => {
  it('is the fraction of equal labels (hand count: 3 of 4)', () => {
    expect(accuracy([0, 1, 2, 2], [0, 1, 1, 2])).toBe(0.75);
  });
  it('accepts typed arrays', () => {
    expect(accuracy(new Int32Array([1, 1]), new Int32Array([1, 0]))).toBe(0.5);
  });
  it('rejects arrays of different lengths, naming both', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/yTrue has 2 labels but yPred has 1/);
    expect(() => accuracy([0, 1], [0])).toThrow(ArgumentError);
  });
});

describe('confusionMatrix', () => {
  it('counts true class by row and predicted class by column', () => {
    expect(confusionMatrix([0, 1, 1], [0, 0, 1], 2)).toEqual([[1, 0], [1, 1]]);
  });
  it('sums to the number of examples and its trace is the number correct', () => {
    const yTrue = [0, 1, 2, 2, 1, 0, 2];
    const yPred = [0, 2, 2, 1, 1, 0, 2];
    const m = confusionMatrix(yTrue, yPred, 3);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(7);
    expect(m[0][0] + m[1][1] + m[2][2]).toBe(Math.round(accuracy(yTrue, yPred) * 7));
  });
  it('rejects a label outside [0, numClasses)', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/yTrue\[1\] must be an integer in \[0, 3\), got number 3/);
    expect(() => confusionMatrix([0, 1], [0, -1], 3)).toThrow(/yPred\[1\]/);
  });
  it('rejects numClasses that is not a positive integer', () => {
    expect(() => confusionMatrix([0], [0], 0)).toThrow(/numClasses/);
    expect(() => confusionMatrix([0], [0], 2.5)).toThrow(/numClasses/);
  });
});

describe('labelFormat', () => {
  it('reads [batch] labels as sparse class indices and [batch, numClasses] as one-hot rows', () => {
    const outputs = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(labelFormat(tf.tensor1d([0, 2], 'int32'), outputs)).toBe('sparse');
    expect(labelFormat(tf.tensor2d([[1, 0, 0], [0, 0, 1]]), outputs)).toBe('one-hot');
  });
  it('rejects labels that fit neither format, saying both shapes it accepts', () => {
    expect(() => labelFormat(tf.tensor1d([0, 2, 1]), tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(
      'labelFormat: yTrue is [3] but yPred is [2, 3]; yTrue must be [batch] class indices ([2]) or [batch, numClasses] one-hot rows ([2, 3])',
    );
  });
});

describe('accuracyFromOutputs', () => {
  // argmax per row: 1, 0, 1, 2 (hand count)
  const outputs = tf.tensor2d([[0.1, 0.9, 0], [0.8, 0.15, 0.05], [0.3, 0.6, 0.1], [0, 0.2, 0.8]]);
  const sparse = tf.tensor1d([1, 0, 0, 2], 'int32'); // 3 of 4 right
  const oneHot = tf.oneHot(sparse, 3) as tf.Tensor2D;
  it('gives the same accuracy (3 of 4) for sparse and one-hot labels', () => {
    expect(accuracyFromOutputs(sparse, outputs)).toBe(0.75);
    expect(accuracyFromOutputs(oneHot, outputs)).toBe(0.75);
  });
  it('gives the same accuracy for logits and for their softmax', () => {
    const logits = tf.tensor2d([[3, -1, 0], [0, 2, 1], [5, 4, 3]]);
    const labels = tf.tensor1d([0, 2, 0], 'int32');
    expect(accuracyFromOutputs(labels, logits)).toBe(accuracyFromOutputs(labels, tf.softmax(logits) as tf.Tensor2D));
    expect(accuracyFromOutputs(labels, logits)).toBeCloseTo(2 / 3, 12);
  });
  it('accepts float32 class indices (as TF.js sparse losses take them)', () => {
    expect(accuracyFromOutputs(tf.tensor1d([1, 0, 0, 2], 'float32'), outputs)).toBe(0.75);
  });
  it('is NaN for an empty batch and leaks no tensors', () => {
    expect(accuracyFromOutputs(tf.tensor1d([], 'int32'), tf.zeros([0, 3]) as tf.Tensor2D)).toBeNaN();
    const before = tf.memory().numTensors;
    accuracyFromOutputs(oneHot, outputs);
    expect(tf.memory().numTensors).toBe(before);
  });
});
