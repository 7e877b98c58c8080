import { describe, expect, it } from 'vitest';
import { ArgumentError, chooseConfidenceThreshold, confusionMatrix, coverageAccuracyCurve, perClassAccuracy, perClassPrecisionRecall, precision, recall } from '../../lib';

describe('perClassPrecisionRecall', () => {
  it('reads TP from the diagonal, FP from the column, FN from the row (hand example)', () => {
    const r = perClassPrecisionRecall([[3, 1], [2, 4]]);
    expect(r.precision).toEqual([3 / 5, 4 / 5]);
    expect(r.recall).toEqual([3 / 4, 4 / 6]);
    expect(r.support).toEqual([4, 6]);
  });
  it('equals one-against-the-rest binary precision and recall, and perClassAccuracy for recall', () => {
    const yTrue = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0];
    const yPred = [0, 2, 2, 1, 1, 0, 2, 0, 1, 2];
    const r = perClassPrecisionRecall(confusionMatrix(yTrue, yPred, 3));
    for (let c = 0; c < 3; c++) {
      const t = yTrue.map((y) => (y === c ? 1 : 0));
      const p = yPred.map((y) => (y === c ? 1 : 0));
      expect(r.precision[c]).toBeCloseTo(precision(t, p), 12);
      expect(r.recall[c]).toBeCloseTo(recall(t, p), 12);
    }
    expect(r.recall).toEqual(perClassAccuracy(confusionMatrix(yTrue, yPred, 3)));
  });
  it('is NaN where a class is never predicted (precision) or never occurs (recall)', () => {
    const r = perClassPrecisionRecall([[2, 0], [0, 0]]);
    expect(r.precision[1]).toBeNaN();
    expect(r.recall[1]).toBeNaN();
  });
  it('rejects a matrix that is not square or holds non-counts', () => {
    expect(() => perClassPrecisionRecall([[1, 2]])).toThrow(/must be square \[1, 1\]/);
    expect(() => perClassPrecisionRecall([])).toThrow(ArgumentError);
    expect(() => perClassPrecisionRecall([[1, -1], [0, 2]])).toThrow(/confusion\[0\]\[1\] must be a count/);
  });
});

describe('coverageAccuracyCurve and chooseConfidenceThreshold', () => {
  const yTrue = [0, 1, 2, 0];
  const yPred = [0, 1, 0, 1];
  const conf = [0.9, 0.8, 0.6, 0.5];
  it('gives coverage and accuracy of the answers at 0 and each distinct confidence (hand count)', () => {
    const c = coverageAccuracyCurve(yTrue, yPred, conf);
    expect(c.thresholds).toEqual([0, 0.5, 0.6, 0.8, 0.9]);
    expect(c.coverage).toEqual([1, 1, 0.75, 0.5, 0.25]);
    expect(c.accuracy).toEqual([0.5, 0.5, 2 / 3, 1, 1]);
  });
  it('coverage never rises with the threshold', () => {
    const c = coverageAccuracyCurve([0, 1, 1, 0, 2, 2], [0, 1, 0, 0, 2, 1], [0.3, 0.3, 0.7, 0.1, 0.99, 0.5]);
    for (let k = 1; k < c.coverage.length; k++) expect(c.coverage[k]).toBeLessThanOrEqual(c.coverage[k - 1]);
  });
  it('chooses the lowest threshold reaching the target, else the most accurate one', () => {
    expect(chooseConfidenceThreshold(yTrue, yPred, conf, 0.9)).toEqual({ threshold: 0.8, coverage: 0.5, accuracy: 1, reached: true });
    expect(chooseConfidenceThreshold(yTrue, yPred, conf, 0.6)).toEqual({ threshold: 0.6, coverage: 0.75, accuracy: 2 / 3, reached: true });
    expect(chooseConfidenceThreshold(yTrue, yPred, conf, 0.5).threshold).toBe(0);
    expect(chooseConfidenceThreshold([0, 1], [1, 0], [0.9, 0.8], 0.9)).toEqual({ threshold: 0, coverage: 1, accuracy: 0, reached: false });
  });
  it('rejects bad input, naming the argument', () => {
    expect(() => chooseConfidenceThreshold(yTrue, yPred, conf, 0)).toThrow(/targetAccuracy must be a number in \(0, 1\], got number 0/);
    expect(() => chooseConfidenceThreshold(yTrue, yPred, conf, 1.5)).toThrow(ArgumentError);
    expect(() => chooseConfidenceThreshold([], [], [], 0.9)).toThrow(/no examples/);
    expect(() => coverageAccuracyCurve(yTrue, yPred, [0.9, 0.8])).toThrow(/confidence has 2 values but yTrue has 4/);
    expect(() => coverageAccuracyCurve(yTrue, yPred, [0.9, NaN, 0.6, 0.5])).toThrow(/coverageAccuracyCurve: confidence\[1\] must be a finite number/);
  });
});
