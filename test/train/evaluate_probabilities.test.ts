// Tests for evaluateProbabilities (lib/train/classifier.ts): hand computations, and bad input.
import { describe, expect, it } from 'vitest';
import { evaluateProbabilities } from '../../lib';

describe('evaluateProbabilities', () => {
  it('computes accuracy, predictions, confidence, loss and the confusion matrix by hand', () => {
    // 3 classes, 4 images; true classes 2, 0, 1, 2.
    const p = Float32Array.from([0.1, 0.2, 0.7, 0.5, 0.25, 0.25, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1]);
    const ev = evaluateProbabilities([2, 0, 1, 2], p, 3);
    expect(Array.from(ev.predictions)).toEqual([2, 0, 2, 0]);
    expect(Array.from(ev.confidence)).toEqual([0.7, 0.5, 0.4, 0.6].map(Math.fround));
    expect(ev.accuracy).toBe(0.5);
    expect(ev.loss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.5) + Math.log(0.3) + Math.log(0.1)) / 4, 6);
    expect(ev.confusion).toEqual([[1, 0, 0], [0, 0, 1], [1, 0, 1]]);
    expect(ev.probabilities).toBe(p);
  });

  it('breaks ties towards the lower class index and clips a zero probability in the loss at 1e-7', () => {
    const ev = evaluateProbabilities([1], Float32Array.from([1, 0]), 2);
    expect(Array.from(ev.predictions)).toEqual([0]);
    expect(ev.loss).toBeCloseTo(-Math.log(1e-7), 6);
    expect(Array.from(evaluateProbabilities([0], Float32Array.from([0.5, 0.5]), 2).predictions)).toEqual([0]);
  });

  it('rejects bad input, naming the function and the argument', () => {
    expect(() => evaluateProbabilities([], new Float32Array(0), 2)).toThrow(/evaluateProbabilities: yTrue must be a non-empty array/);
    expect(() => evaluateProbabilities([0, 2], new Float32Array(4), 2)).toThrow(/evaluateProbabilities: yTrue\[1\] is 2; class indices must be integers in \[0, 2\)/);
    expect(() => evaluateProbabilities([0, 1], new Float32Array(3), 2)).toThrow(/probabilities must be a Float32Array of n · numClasses = 4 values/);
    expect(() => evaluateProbabilities([0, 1], [0.5, 0.5, 0.5, 0.5] as never, 2)).toThrow(/probabilities must be a Float32Array/);
    expect(() => evaluateProbabilities([0], Float32Array.from([NaN, 1]), 2)).toThrow(/probabilities must lie in \[0, 1\], got NaN at index 0 \(row 0\)/);
    expect(() => evaluateProbabilities([0], Float32Array.from([1]), 1)).toThrow(/evaluateProbabilities: .*numClasses/);
  });
});
