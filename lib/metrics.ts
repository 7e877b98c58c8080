/**
 * Classification metrics: accuracy and the confusion matrix, computed from
 * integer class labels (Bishop, "Pattern Recognition and Machine Learning",
 * §1.5; the confusion matrix as in scikit-learn: rows true, columns predicted).
 */
import { ArgumentError, checkInteger, describe } from './errors';

type IntArray = ArrayLike<number>;

function checkLabels(fn: string, yTrue: IntArray, yPred: IntArray): void {
  if (yTrue == null || typeof yTrue.length !== 'number') throw new ArgumentError(`${fn}: yTrue must be an array of class indices, got ${describe(yTrue)}`);
  if (yPred == null || typeof yPred.length !== 'number') throw new ArgumentError(`${fn}: yPred must be an array of class indices, got ${describe(yPred)}`);
  if (yTrue.length !== yPred.length) {
    throw new ArgumentError(`${fn}: yTrue has ${yTrue.length} labels but yPred has ${yPred.length}; they must have the same length`);
  }
}

/**
 * Fraction of predictions equal to the true label.
 *
 * @param yTrue - `[n]` int32 true class indices.
 * @param yPred - `[n]` int32 predicted class indices.
 * @returns accuracy in [0, 1]; `NaN` for n = 0.
 * @throws {ArgumentError} when the lengths differ.
 * @example
 * ```ts
 * accuracy([0, 1, 2, 2], [0, 1, 1, 2]); // 0.75
 * ```
 */
export function accuracy(yTrue: IntArray, yPred: IntArray): number {
  checkLabels('accuracy', yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * Confusion matrix: entry `[t][p]` counts examples of true class `t`
 * predicted as class `p`.
 *
 * @param yTrue - `[n]` int32 true class indices in [0, numClasses).
 * @param yPred - `[n]` int32 predicted class indices in [0, numClasses).
 * @param numClasses - number of classes.
 * @returns `[numClasses, numClasses]` counts (rows: true class, columns: predicted class).
 * @throws {ArgumentError} when lengths differ or a label is outside [0, numClasses).
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1], [0, 0, 1], 2); // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(yTrue: IntArray, yPred: IntArray, numClasses: number): number[][] {
  const fn = 'confusionMatrix';
  checkLabels(fn, yTrue, yPred);
  checkInteger(fn, 'numClasses', numClasses, 1);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!Number.isInteger(t) || t < 0 || t >= numClasses) throw new ArgumentError(`${fn}: yTrue[${i}] must be an integer in [0, ${numClasses}), got ${describe(t)}`);
    if (!Number.isInteger(p) || p < 0 || p >= numClasses) throw new ArgumentError(`${fn}: yPred[${i}] must be an integer in [0, ${numClasses}), got ${describe(p)}`);
    m[t][p]++;
  }
  return m;
}
