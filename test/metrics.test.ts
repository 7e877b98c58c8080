import { describe, expect, it } from 'vitest';
import { ArgumentError, accuracy, confusionMatrix } from '../lib';

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
