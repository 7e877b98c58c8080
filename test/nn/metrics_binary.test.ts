import { describe, expect, it } from 'vitest';
import { ArgumentError, f1Score, precision, recall, rocAuc, rocCurve, seededRandom } from '../../lib';

/** AUC as the Mann–Whitney statistic: the fraction of (positive, negative) pairs ranked right, ties ½. */
function mannWhitneyAuc(yTrue: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  yTrue.forEach((t, i) => {
    if (t !== 1) return;
    yTrue.forEach((u, j) => {
      if (u !== 0) return;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('f1Score', () => {
  it('is 2TP / (2TP + FP + FN), the harmonic mean of precision and recall (by hand)', () => {
    const yTrue = [1, 1, 1, 0, 0, 1, 0, 1];
    const yPred = [1, 0, 1, 1, 0, 1, 0, 0]; // TP 3, FP 1, FN 2
    expect(f1Score(yTrue, yPred)).toBeCloseTo(6 / 9, 12);
    const p = precision(yTrue, yPred);
    const r = recall(yTrue, yPred);
    expect(f1Score(yTrue, yPred)).toBeCloseTo((2 * p * r) / (p + r), 12);
  });
  it('is 0 with no true positive, NaN when precision is undefined', () => {
    expect(f1Score([1, 0], [0, 1])).toBe(0);
    expect(f1Score([1, 0], [0, 0])).toBeNaN();
  });
  it('rejects labels that are not 0 or 1', () => {
    expect(() => f1Score([2], [1])).toThrow(/precision: yTrue\[0\] must be 0 \(negative\) or 1 \(positive\), got number 2/);
  });
});

describe('rocCurve and rocAuc', () => {
  it('give the hand-computed points and area of a small example with a tie', () => {
    // Scores descending: 0.9 (+), 0.7 (−), 0.7 (+), 0.4 (−), 0.2 (+); 3 positives, 2 negatives.
    const yTrue = [1, 0, 1, 0, 1];
    const scores = [0.9, 0.7, 0.7, 0.4, 0.2];
    const roc = rocCurve(yTrue, scores);
    expect(roc.thresholds).toEqual([Infinity, 0.9, 0.7, 0.4, 0.2]);
    expect(roc.tpr).toEqual([0, 1 / 3, 2 / 3, 2 / 3, 1]);
    expect(roc.fpr).toEqual([0, 0, 0.5, 1, 1]);
    // Trapezoids: 0 + 0.5·(1/3 + 2/3)/2 + 0.5·(2/3 + 2/3)/2 + 0 = 0.25 + 1/3 = 7/12.
    expect(rocAuc(yTrue, scores)).toBeCloseTo(7 / 12, 12);
    // Pairs: (0.9 vs 0.7, 0.4) 2 wins; (0.7 vs 0.7) ½, (0.7 vs 0.4) 1; (0.2 vs both) 0: 3.5 of 6 = 7/12.
    expect(mannWhitneyAuc(yTrue, scores)).toBeCloseTo(7 / 12, 12);
  });

  it('AUC equals the Mann–Whitney statistic on random scores with ties (an independent computation)', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + trial;
      const yTrue = Array.from({ length: n }, (_, i) => (i < 3 ? i % 2 : rand() < 0.4 ? 1 : 0));
      const scores = Array.from({ length: n }, () => Math.round(rand() * 10) / 10); // many ties
      expect(rocAuc(yTrue, scores)).toBeCloseTo(mannWhitneyAuc(yTrue, scores), 12);
    }
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, and its points match precision/recall’s counts', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
    const yTrue = [1, 0, 1, 1, 0, 0, 1];
    const scores = [0.8, 0.6, 0.55, 0.3, 0.3, 0.1, 0.9];
    const roc = rocCurve(yTrue, scores);
    roc.thresholds.slice(1).forEach((t, k) => {
      const yPred = scores.map((s) => (s >= t ? 1 : 0));
      expect(roc.tpr[k + 1]).toBeCloseTo(recall(yTrue, yPred), 12);
    });
  });

  it('rejects one-class labels, bad scores and length mismatches', () => {
    expect(() => rocCurve([1, 1], [0.2, 0.3])).toThrow(ArgumentError);
    expect(() => rocCurve([1, 1], [0.2, 0.3])).toThrow(/rocCurve: yTrue must hold both classes .* got 2 positive and 0 negative/);
    expect(() => rocAuc([0, 1], [0.2, NaN])).toThrow(/rocAuc|rocCurve: scores\[1\] must be a finite number, got number NaN/);
    expect(() => rocCurve([0, 1, 1], [0.2, 0.3])).toThrow(/yTrue has 3 labels but scores has 2/);
  });
});
