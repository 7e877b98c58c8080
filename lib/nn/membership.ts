/**
 * Membership inference by a loss threshold: guess "this example was in the
 * training set" when the model's loss on it is low. Yeom, Giacomelli,
 * Fredrikson & Jha, "Privacy Risk in Machine Learning: Analyzing the
 * Connection to Overfitting", CSF 2018, §3 (the attack's advantage is
 * TPR − FPR, and it grows with the generalisation gap).
 */
import { ArgumentError, describe } from '../core/errors';
import { rocAuc, rocCurve, type IntArray } from './metrics';

/**
 * Cross-entropy of each example: −ln p(true class), with probabilities
 * clipped to [1e-7, 1 − 1e-7] as Keras and TF.js do.
 * @param yTrue - `[n]` class indices in [0, numClasses).
 * @param probabilities - `[n, numClasses]` row-major class probabilities (e.g. `Evaluation.probabilities`).
 * @returns `[n]` float64 losses (natural log), ≥ 0.
 * @throws {ArgumentError} when the lengths do not fit or a label is out of range.
 * @example
 * ```ts
 * Array.from(exampleLosses([0, 1], [0.5, 0.5, 0.9, 0.1]), (l) => +l.toFixed(4)); // [0.6931, 2.3026] (ln 2, ln 10)
 * ```
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 */
export function exampleLosses(yTrue: IntArray, probabilities: ArrayLike<number>): Float64Array {
  const fn = 'exampleLosses';
  if (yTrue == null || probabilities == null || yTrue.length === 0 || probabilities.length % yTrue.length !== 0) {
    throw new ArgumentError(`${fn}: probabilities must hold n · numClasses values for the n = ${yTrue?.length} labels, got ${probabilities?.length}`);
  }
  const numClasses = probabilities.length / yTrue.length;
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const c = yTrue[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new ArgumentError(`${fn}: yTrue[${i}] must be a class index in [0, ${numClasses}), got ${describe(c)}`);
    out[i] = -Math.log(Math.min(Math.max(probabilities[i * numClasses + c], 1e-7), 1 - 1e-7));
  }
  return out;
}

/**
 * What {@link membershipAttack} measures.
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 */
export interface MembershipAttack {
  /** Best TPR − FPR over all loss thresholds, in [0, 1]: 0 is guessing, 1 tells members from non-members perfectly. */
  advantage: number;
  /** The loss threshold of that best guess: "member" when loss ≤ threshold. */
  threshold: number;
  /** True positive rate at it: fraction of the members called members. */
  tpr: number;
  /** False positive rate at it: fraction of the non-members called members. */
  fpr: number;
  /** Area under the ROC curve of the score −loss (0.5: guessing). */
  auc: number;
  /** Accuracy of the best guess on a balanced set: (1 + advantage) / 2. */
  balancedAccuracy: number;
}

/**
 * The loss-threshold membership inference attack of Yeom et al. (2018, §3):
 * score each example by −loss, and over every threshold find the largest
 * TPR − FPR (members are the positives). Use as many members as non-members
 * so that the balanced accuracy reads as a rate of correct guesses.
 * @param memberLosses - `[m]` losses of examples that were in the training set.
 * @param nonMemberLosses - `[k]` losses of examples that were not (held out).
 * @throws {ArgumentError} when either is empty or holds a non-finite loss.
 * @example
 * ```ts
 * const a = membershipAttack([0.1, 0.2, 1.5], [0.5, 1.2, 2.0]);
 * a.advantage; // 0.6667 (threshold 0.2: TPR 2/3, FPR 0)
 * a.threshold; // 0.2
 * a.auc; // 0.7778 (7 of the 9 member–non-member pairs ranked right)
 * ```
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 09 §Exercises](../../notebooks/09-summary-and-challenges.ipynb#Exercises)
 */
export function membershipAttack(memberLosses: ArrayLike<number>, nonMemberLosses: ArrayLike<number>): MembershipAttack {
  const fn = 'membershipAttack';
  for (const [name, losses] of [['memberLosses', memberLosses], ['nonMemberLosses', nonMemberLosses]] as const) {
    if (losses == null || losses.length === 0) throw new ArgumentError(`${fn}: ${name} must hold at least one loss, got ${describe(losses)}`);
    for (let i = 0; i < losses.length; i++) {
      if (!Number.isFinite(losses[i])) throw new ArgumentError(`${fn}: ${name}[${i}] must be a finite loss, got ${describe(losses[i])}`);
    }
  }
  const yTrue = new Int32Array(memberLosses.length + nonMemberLosses.length);
  yTrue.fill(1, 0, memberLosses.length);
  const scores = Float64Array.from([...Array.from(memberLosses), ...Array.from(nonMemberLosses)], (l) => -l);
  const roc = rocCurve(yTrue, scores);
  let best = 0;
  for (let k = 1; k < roc.fpr.length; k++) if (roc.tpr[k] - roc.fpr[k] > roc.tpr[best] - roc.fpr[best] + 1e-12) best = k; // ties: the first (lowest) threshold
  const advantage = roc.tpr[best] - roc.fpr[best];
  return { advantage: advantage, threshold: -roc.thresholds[best], tpr: roc.tpr[best], fpr: roc.fpr[best], auc: rocAuc(yTrue, scores), balancedAccuracy: (1 + advantage) / 2 };
}
