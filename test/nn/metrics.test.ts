import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, accuracy, accuracyFromOutputs, applyThreshold, confusionMatrix, labelFormat, precision, precisionRecallCurve, recall } from '../../lib';

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

describe('precision and recall (one class against the rest)', () => {
  // Hand count: yTrue 1 1 0 0 1 0, yPred 1 0 1 0 1 1 → TP 2 (0, 4), FP 2 (2, 5), FN 1 (1), TN 1 (3).
  const yTrue = [1, 1, 0, 0, 1, 0];
  const yPred = [1, 0, 1, 0, 1, 1];
  it('precision is TP / (TP + FP) by a hand count (2 / 4)', () => {
    expect(precision(yTrue, yPred)).toBe(0.5);
  });
  it('recall is TP / (TP + FN) by a hand count (2 / 3)', () => {
    expect(recall(yTrue, yPred)).toBeCloseTo(2 / 3, 12);
  });
  it('agree with the confusion matrix of the same labels (row 1, column 1 over its column and its row)', () => {
    const m = confusionMatrix(yTrue, yPred, 2);
    expect(precision(yTrue, yPred)).toBe(m[1][1] / (m[0][1] + m[1][1]));
    expect(recall(yTrue, yPred)).toBe(m[1][1] / (m[1][0] + m[1][1]));
  });
  it('are NaN when undefined (0 / 0): no predicted positive, no positive example', () => {
    expect(precision([1, 0], [0, 0])).toBeNaN();
    expect(recall([0, 0], [1, 0])).toBeNaN();
  });
  it('reject labels other than 0 and 1 and different lengths, naming the argument', () => {
    expect(() => precision([2, 0], [1, 0])).toThrow(/precision: yTrue\[0\] must be 0 \(negative\) or 1 \(positive\), got number 2/);
    expect(() => recall([1, 0], [1, 0.5])).toThrow(/recall: yPred\[1\]/);
    expect(() => recall([1, 0], [1])).toThrow(ArgumentError);
  });
});

describe('applyThreshold', () => {
  it('predicts positive where score >= threshold (the threshold itself counts)', () => {
    expect(Array.from(applyThreshold([0.2, 0.5, 0.7], 0.5))).toEqual([0, 1, 1]);
  });
  it('rejects a non-finite score or threshold', () => {
    expect(() => applyThreshold([0.1, NaN], 0.5)).toThrow(/applyThreshold: scores\[1\] must be a finite number, got number NaN/);
    expect(() => applyThreshold([0.1], Infinity)).toThrow(/threshold must be a finite number/);
  });
});

describe('precisionRecallCurve', () => {
  const yTrue = [0, 0, 1, 1, 1, 0, 1, 0];
  const scores = [0.1, 0.4, 0.35, 0.8, 0.9, 0.6, 0.55, 0.2];
  it('matches a hand computation at each threshold', () => {
    // t = 0.3: predicted 1 at scores .4 .35 .8 .9 .6 .55 → TP 4, FP 2 → P 4/6, R 4/4.
    // t = 0.5: .8 .9 .6 .55 → TP 3, FP 1 → P 3/4, R 3/4. t = 0.85: .9 → P 1, R 1/4. t = 0.95: none → P NaN, R 0.
    const c = precisionRecallCurve(yTrue, scores, [0.3, 0.5, 0.85, 0.95]);
    expect(c.thresholds).toEqual([0.3, 0.5, 0.85, 0.95]);
    expect(c.precision.slice(0, 3)).toEqual([4 / 6, 3 / 4, 1]);
    expect(c.precision[3]).toBeNaN();
    expect(c.recall).toEqual([1, 3 / 4, 1 / 4, 0]);
  });
  it('equals precision and recall of applyThreshold at every threshold, and recall never rises with the threshold', () => {
    const thresholds = [0, 0.15, 0.37, 0.5, 0.58, 0.7, 1];
    const c = precisionRecallCurve(yTrue, scores, thresholds);
    thresholds.forEach((t, i) => {
      const yPred = applyThreshold(scores, t);
      expect(c.recall[i]).toBe(recall(yTrue, yPred));
      if (Number.isNaN(c.precision[i])) expect(precision(yTrue, yPred)).toBeNaN();
      else expect(c.precision[i]).toBe(precision(yTrue, yPred));
    });
    for (let i = 1; i < c.recall.length; i++) expect(c.recall[i]).toBeLessThanOrEqual(c.recall[i - 1]);
  });
  it('rejects labels and scores of different lengths', () => {
    expect(() => precisionRecallCurve([0, 1], [0.5], [0.5])).toThrow(/precisionRecallCurve: yTrue has 2 labels but scores has 1/);
    expect(() => precisionRecallCurve(null as never, [0.5], [0.5])).toThrow(/precisionRecallCurve: yTrue must be an array of 0\/1 labels, got null/);
    expect(() => precisionRecallCurve([1], [0.5], 0.5 as never)).toThrow(/precisionRecallCurve: thresholds must be an array of numbers, got number 0.5/);
  });
});
