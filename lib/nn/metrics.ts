/**
 * Classification metrics: accuracy and the confusion matrix, computed from
 * integer class labels, and accuracy straight from a model's outputs with
 * labels as class indices or one-hot rows (Bishop, "Pattern Recognition and Machine Learning",
 * §1.5; the confusion matrix as in scikit-learn: rows true, columns predicted),
 * and for one class against the rest: precision, recall and the decision
 * threshold that trades one for the other; per-class precision and recall of
 * a multi-class confusion matrix; and the coverage and accuracy of a
 * classifier that answers only above a confidence threshold.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkTensor, shapeText } from '../core/tensors';

/** Class indices: a plain array or a typed array (`Int32Array`, …). */
export type IntArray = ArrayLike<number>;

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
 * @see [Notebook 03 §6 The loop, with metrics](../../notebooks/03-training-pipeline.ipynb#6.-The-loop,-with-metrics)
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
 * @see [Notebook 03 §7 What did it learn?](../../notebooks/03-training-pipeline.ipynb#7.-What-did-it-learn?)
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

/** How {@link accuracyFromOutputs} read the labels. */
export type LabelFormat = 'sparse' | 'one-hot';

/**
 * The label format, chosen from the labels' shape: `[batch]` class indices
 * are 'sparse'; `[batch, numClasses]` rows (the outputs' shape) are 'one-hot'.
 * @param yTrue - the labels: `[batch]` int32 or `[batch, numClasses]` float32.
 * @param yPred - the model's outputs: `[batch, numClasses]` float32.
 * @throws {ArgumentError} when the labels fit neither format.
 * @example
 * ```ts
 * labelFormat(tf.tensor1d([2], 'int32'), tf.zeros([1, 3]));  // 'sparse'
 * labelFormat(tf.tensor2d([[0, 0, 1]]), tf.zeros([1, 3]));   // 'one-hot'
 * ```
 */
export function labelFormat(yTrue: tf.Tensor, yPred: tf.Tensor2D): LabelFormat {
  const fn = 'labelFormat';
  checkTensor(fn, 'yTrue', yTrue);
  checkTensor(fn, 'yPred', yPred, 2, '[batch, numClasses]');
  const [batch, numClasses] = yPred.shape;
  if (yTrue.rank === 1 && yTrue.shape[0] === batch) return 'sparse';
  if (yTrue.rank === 2 && yTrue.shape[0] === batch && yTrue.shape[1] === numClasses) return 'one-hot';
  throw new ArgumentError(
    `${fn}: yTrue is ${shapeText(yTrue.shape)} but yPred is ${shapeText(yPred.shape)}; yTrue must be [batch] class indices ` +
      `([${batch}]) or [batch, numClasses] one-hot rows ([${batch}, ${numClasses}])`,
  );
}

/**
 * Accuracy from a model's outputs: the predicted class of each row is its
 * argmax (probabilities and logits have the same argmax, softmax being
 * increasing); the true class is the label itself for sparse labels, or the
 * argmax of the row for one-hot labels. The format is chosen from the labels'
 * shape by {@link labelFormat} (as Keras's `'accuracy'` picks sparse or
 * categorical accuracy).
 * @param yTrue - the labels: `[batch]` int32 class indices, or `[batch, numClasses]` float32 one-hot rows.
 * @param yPred - the model's outputs: `[batch, numClasses]` float32 probabilities or logits.
 * @returns accuracy in [0, 1]; `NaN` for an empty batch.
 * @throws {ArgumentError} when the labels fit neither format.
 * @example
 * ```ts
 * const outputs = tf.tensor2d([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]);
 * accuracyFromOutputs(tf.tensor1d([1, 0, 0], 'int32'), outputs);          // 0.6667 (2 of 3)
 * accuracyFromOutputs(tf.tensor2d([[0, 1], [1, 0], [1, 0]]), outputs);    // 0.6667 (the same labels, one-hot)
 * ```
 */
export function accuracyFromOutputs(yTrue: tf.Tensor1D | tf.Tensor2D, yPred: tf.Tensor2D): number {
  const format = labelFormat(yTrue, yPred);
  if (yPred.shape[0] === 0) return NaN;
  const [trueClasses, predictedClasses] = tf.tidy(() => [
    format === 'sparse' ? tf.cast(yTrue, 'int32') : tf.argMax(yTrue, 1), // [batch]
    tf.argMax(yPred, 1), // [batch]
  ]);
  try {
    return accuracy(trueClasses.dataSync(), predictedClasses.dataSync());
  } finally {
    tf.dispose([trueClasses, predictedClasses]);
  }
}

/**
 * Accuracy of each class from a confusion matrix: the fraction of the
 * examples of class c that were predicted c (the recall of c), `NaN` for a
 * class with no examples.
 * @param confusion - `[numClasses, numClasses]` counts, rows true class, columns predicted (see {@link confusionMatrix}).
 * @example
 * ```ts
 * perClassAccuracy([[3, 1], [0, 2]]); // [0.75, 1]
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 */
export function perClassAccuracy(confusion: number[][]): number[] {
  return confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c] / total;
  });
}

/** One off-diagonal cell of a confusion matrix. */
export interface ConfusedPair {
  /** The true class. */
  trueClass: number;
  /** The class predicted instead. */
  predictedClass: number;
  /** How many examples of `trueClass` were predicted `predictedClass`. */
  count: number;
}

/**
 * The `k` largest off-diagonal cells of a confusion matrix: which true class
 * is most often taken for which other class (ties in row-major order).
 * @example
 * ```ts
 * mostConfusedPairs([[5, 1, 3], [0, 4, 0], [2, 0, 6]], 2); // [{ trueClass: 0, predictedClass: 2, count: 3 }, { trueClass: 2, predictedClass: 0, count: 2 }]
 * ```
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 */
export function mostConfusedPairs(confusion: number[][], k = 5): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  confusion.forEach((row, t) => row.forEach((count, p) => t !== p && count > 0 && pairs.push({ trueClass: t, predictedClass: p, count })));
  return pairs.sort((a, b) => b.count - a.count).slice(0, k);
}

/**
 * Checks binary labels and predictions: same length, every entry 0 or 1.
 * @returns the counts of true positives, false positives, false negatives and true negatives.
 */
function binaryCounts(fn: string, yTrue: IntArray, yPred: IntArray): { tp: number; fp: number; fn: number; tn: number } {
  checkLabels(fn, yTrue, yPred);
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (t !== 0 && t !== 1) throw new ArgumentError(`${fn}: yTrue[${i}] must be 0 (negative) or 1 (positive), got ${describe(t)}`);
    if (p !== 0 && p !== 1) throw new ArgumentError(`${fn}: yPred[${i}] must be 0 (negative) or 1 (positive), got ${describe(p)}`);
    if (t === 1) p === 1 ? counts.tp++ : counts.fn++;
    else p === 1 ? counts.fp++ : counts.tn++;
  }
  return counts;
}

/** TP / (TP + FP); `NaN` when nothing is predicted positive. */
function precisionOfCounts(c: { tp: number; fp: number }): number {
  return c.tp + c.fp === 0 ? NaN : c.tp / (c.tp + c.fp);
}

/** TP / (TP + FN); `NaN` when there are no positives. */
function recallOfCounts(c: { tp: number; fn: number }): number {
  return c.tp + c.fn === 0 ? NaN : c.tp / (c.tp + c.fn);
}

/**
 * Precision of binary predictions: of the examples predicted positive, the
 * fraction that are positive, TP / (TP + FP) (scikit-learn's
 * `precision_score`; Manning, Raghavan & Schütze, "Introduction to
 * Information Retrieval", §8.3).
 * @param yTrue - `[n]` true labels, 1 positive, 0 negative.
 * @param yPred - `[n]` predicted labels, 1 positive, 0 negative.
 * @returns precision in [0, 1]; `NaN` when nothing is predicted positive (0 / 0: undefined).
 * @throws {ArgumentError} when the lengths differ or an entry is not 0 or 1.
 * @example
 * ```ts
 * precision([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]); // 0.6667 (TP 2, FP 1)
 * precision([1, 0], [0, 0]); // NaN (nothing predicted positive)
 * ```
 * @see [Notebook 02 §Exercises](../../notebooks/02-core-concepts.ipynb#Exercises)
 * @see [Notebook 04b §6 Evaluation: ROC and AUC](../../notebooks/04b-cats-vs-dogs.ipynb#6.-Evaluation:-ROC-and-AUC)
 */
export function precision(yTrue: IntArray, yPred: IntArray): number {
  return precisionOfCounts(binaryCounts('precision', yTrue, yPred));
}

/**
 * Recall of binary predictions: of the positive examples, the fraction
 * predicted positive, TP / (TP + FN) (scikit-learn's `recall_score`; also
 * called sensitivity or true positive rate).
 * @param yTrue - `[n]` true labels, 1 positive, 0 negative.
 * @param yPred - `[n]` predicted labels, 1 positive, 0 negative.
 * @returns recall in [0, 1]; `NaN` when there is no positive example (0 / 0: undefined).
 * @throws {ArgumentError} when the lengths differ or an entry is not 0 or 1.
 * @example
 * ```ts
 * recall([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]); // 0.6667 (TP 2, FN 1)
 * ```
 * @see [Notebook 02 §Exercises](../../notebooks/02-core-concepts.ipynb#Exercises)
 * @see [Notebook 04b §6 Evaluation: ROC and AUC](../../notebooks/04b-cats-vs-dogs.ipynb#6.-Evaluation:-ROC-and-AUC)
 */
export function recall(yTrue: IntArray, yPred: IntArray): number {
  return recallOfCounts(binaryCounts('recall', yTrue, yPred));
}

/**
 * Binary decisions from scores: 1 where `score ≥ threshold`, else 0 (the
 * convention of scikit-learn's `precision_recall_curve`).
 * @param scores - `[n]` scores, e.g. the predicted probability of the positive class.
 * @param threshold - the decision threshold, a finite number.
 * @returns `[n]` int32, 1 positive, 0 negative.
 * @throws {ArgumentError} when `scores` is not an array of finite numbers or `threshold` is not finite.
 * @example
 * ```ts
 * Array.from(applyThreshold([0.1, 0.5, 0.9], 0.5)); // [0, 1, 1]
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 02 §Exercises](../../notebooks/02-core-concepts.ipynb#Exercises)
 */
export function applyThreshold(scores: ArrayLike<number>, threshold: number): Int32Array {
  const fn = 'applyThreshold';
  checkScores(fn, scores);
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new ArgumentError(`${fn}: threshold must be a finite number, got ${describe(threshold)}`);
  return Int32Array.from({ length: scores.length }, (_, i) => (scores[i] >= threshold ? 1 : 0));
}

function checkScores(fn: string, scores: ArrayLike<number>, arg = 'scores'): void {
  if (scores == null || typeof scores.length !== 'number') throw new ArgumentError(`${fn}: ${arg} must be an array of numbers, got ${describe(scores)}`);
  for (let i = 0; i < scores.length; i++) {
    if (typeof scores[i] !== 'number' || !Number.isFinite(scores[i])) throw new ArgumentError(`${fn}: ${arg}[${i}] must be a finite number, got ${describe(scores[i])}`);
  }
}

/** Precision and recall at each threshold, from {@link precisionRecallCurve}. */
export interface PrecisionRecallCurve {
  /** `[k]` the thresholds, as given. */
  thresholds: number[];
  /** `[k]` precision at each threshold; `NaN` where nothing is predicted positive. */
  precision: number[];
  /** `[k]` recall at each threshold. */
  recall: number[];
}

/**
 * Precision and recall of the decisions `score ≥ threshold`, for each
 * threshold: raising the threshold predicts fewer positives, so recall never
 * rises and precision usually does (the trade-off a classifier's user
 * chooses from).
 * @param yTrue - `[n]` true labels, 1 positive, 0 negative.
 * @param scores - `[n]` scores of the positive class (a probability or any score where higher means "more positive").
 * @param thresholds - `[k]` thresholds, finite numbers.
 * @throws {ArgumentError} when the lengths differ, a label is not 0 or 1, or a score or threshold is not finite.
 * @example
 * ```ts
 * const curve = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.3, 0.5]);
 * curve.precision; // [0.6667, 1]
 * curve.recall; // [1, 0.5]
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 02 §Exercises](../../notebooks/02-core-concepts.ipynb#Exercises)
 */
export function precisionRecallCurve(yTrue: IntArray, scores: ArrayLike<number>, thresholds: ArrayLike<number>): PrecisionRecallCurve {
  const fn = 'precisionRecallCurve';
  checkScores(fn, scores);
  if (thresholds == null || typeof thresholds.length !== 'number') throw new ArgumentError(`${fn}: thresholds must be an array of numbers, got ${describe(thresholds)}`);
  if (yTrue == null || typeof yTrue.length !== 'number') throw new ArgumentError(`${fn}: yTrue must be an array of 0/1 labels, got ${describe(yTrue)}`);
  if (yTrue.length !== scores.length) throw new ArgumentError(`${fn}: yTrue has ${yTrue.length} labels but scores has ${scores.length}; they must have the same length`);
  const out: PrecisionRecallCurve = { thresholds: Array.from(thresholds), precision: [], recall: [] };
  for (const t of out.thresholds) {
    const c = binaryCounts(fn, yTrue, applyThreshold(scores, t));
    out.precision.push(precisionOfCounts(c));
    out.recall.push(recallOfCounts(c));
  }
  return out;
}

/**
 * F1 score of binary predictions: the harmonic mean of precision and recall,
 * 2·P·R / (P + R) = 2·TP / (2·TP + FP + FN) (scikit-learn's `f1_score`; van
 * Rijsbergen, "Information Retrieval", 1979, ch. 7, F with β = 1). It uses
 * {@link precision} and {@link recall}.
 * @param yTrue - `[n]` true labels, 1 positive, 0 negative.
 * @param yPred - `[n]` predicted labels, 1 positive, 0 negative.
 * @returns F1 in [0, 1]; 0 when precision and recall are both 0; `NaN` when
 *   either is undefined (nothing predicted positive, or no positive example).
 * @throws {ArgumentError} when the lengths differ or an entry is not 0 or 1.
 * @example
 * ```ts
 * f1Score([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]); // 0.6667 (P = R = 2/3)
 * f1Score([1, 1, 1, 0], [1, 0, 0, 0]); // 0.5 (P 1, R 1/3)
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export function f1Score(yTrue: IntArray, yPred: IntArray): number {
  const p = precision(yTrue, yPred);
  const r = recall(yTrue, yPred);
  if (Number.isNaN(p) || Number.isNaN(r)) return NaN;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** The ROC curve of {@link rocCurve}: one point per distinct score, and (0, 0) first. */
export interface RocCurve {
  /** `[k + 1]` false positive rate FP / (FP + TN) of the decisions `score ≥ threshold`, from 0 up to 1. */
  fpr: number[];
  /** `[k + 1]` true positive rate (recall) TP / (TP + FN) at the same thresholds, from 0 up to 1. */
  tpr: number[];
  /** `[k + 1]` the thresholds, descending: `Infinity` (nothing positive), then the k distinct scores. */
  thresholds: number[];
}

function checkBinaryScores(fn: string, yTrue: IntArray, scores: ArrayLike<number>): { positives: number; negatives: number } {
  checkScores(fn, scores);
  if (yTrue == null || yTrue.length !== scores.length) {
    throw new ArgumentError(`${fn}: yTrue has ${yTrue?.length} labels but scores has ${scores.length}; they must have the same length`);
  }
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== 0 && yTrue[i] !== 1) throw new ArgumentError(`${fn}: yTrue[${i}] must be 0 (negative) or 1 (positive), got ${describe(yTrue[i])}`);
    positives += yTrue[i];
  }
  const negatives = yTrue.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new ArgumentError(`${fn}: yTrue must hold both classes (the rates divide by the number of positives and of negatives), got ${positives} positive and ${negatives} negative`);
  }
  return { positives, negatives };
}

/**
 * The receiver operating characteristic (ROC) curve: for each threshold,
 * the false positive rate against the true positive rate of the decisions
 * `score ≥ threshold` (Fawcett, "An introduction to ROC analysis", Pattern
 * Recognition Letters 27, 2006, Algorithm 1; scikit-learn's `roc_curve` with
 * `drop_intermediate=False`). Thresholds are the distinct scores, highest
 * first, so tied scores move the curve diagonally.
 * @param yTrue - `[n]` true labels, 1 positive, 0 negative; both must occur.
 * @param scores - `[n]` scores of the positive class (higher: more positive), finite.
 * @throws {ArgumentError} when the lengths differ, a label is not 0 or 1, a
 *   score is not finite, or only one class occurs.
 * @example
 * ```ts
 * const roc = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * roc.fpr; // [0, 0, 0.5, 0.5, 1]
 * roc.tpr; // [0, 0.5, 0.5, 1, 1]
 * roc.thresholds.slice(1); // [0.8, 0.4, 0.35, 0.1]
 * roc.thresholds[0] === Infinity; // true (first point: nothing predicted positive)
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 */
export function rocCurve(yTrue: IntArray, scores: ArrayLike<number>): RocCurve {
  const { positives, negatives } = checkBinaryScores('rocCurve', yTrue, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (yTrue[i] === 1) tp++;
    else fp++;
    // Emit a point after the last example of each distinct score.
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) {
      curve.fpr.push(fp / negatives);
      curve.tpr.push(tp / positives);
      curve.thresholds.push(scores[i]);
    }
  }
  return curve;
}

/**
 * Area under the ROC curve (AUC), by the trapezoidal rule over the points of
 * {@link rocCurve}. It equals the probability that a random positive example
 * scores higher than a random negative one, ties counting ½: the
 * Mann–Whitney U statistic divided by (positives · negatives) (Hanley &
 * McNeil, Radiology 143, 1982). 0.5 is guessing, 1 a perfect ranking.
 * @param yTrue - `[n]` true labels, 1 positive, 0 negative; both must occur.
 * @param scores - `[n]` scores of the positive class, finite.
 * @returns AUC in [0, 1].
 * @throws {ArgumentError} as {@link rocCurve}.
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75 (3 of the 4 positive–negative pairs ranked right)
 * rocAuc([0, 1], [0.5, 0.5]); // 0.5 (a tie counts ½)
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 04b §Exercises](../../notebooks/04b-cats-vs-dogs.ipynb#Exercises)
 */
export function rocAuc(yTrue: IntArray, scores: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(yTrue, scores);
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return area;
}

/** Precision and recall of each class, from {@link perClassPrecisionRecall}. */
export interface PerClassPrecisionRecall {
  /** `[numClasses]` of the examples predicted c, the fraction that are c; `NaN` when nothing is predicted c. */
  precision: number[];
  /** `[numClasses]` of the examples of class c, the fraction predicted c; `NaN` for a class with no examples. */
  recall: number[];
  /** `[numClasses]` examples of each class (the row sums: scikit-learn's "support"). */
  support: number[];
}

/**
 * Precision and recall of each class against the rest, read from a
 * confusion matrix: for class c, TP is the diagonal entry, FP the rest of
 * column c, FN the rest of row c (scikit-learn's `classification_report`;
 * Manning, Raghavan & Schütze, "Introduction to Information Retrieval",
 * §13.6). Recall of c is {@link perClassAccuracy}'s entry for c.
 * @param confusion - `[numClasses, numClasses]` counts, rows true class, columns predicted (see {@link confusionMatrix}).
 * @throws {ArgumentError} when `confusion` is not a square matrix of counts (integers ≥ 0).
 * @example
 * ```ts
 * const r = perClassPrecisionRecall([[3, 1], [2, 4]]);
 * r.precision; // [0.6, 0.8] (3 of 5 predicted 0, 4 of 5 predicted 1)
 * r.recall; // [0.75, 0.6667]
 * r.support; // [4, 6]
 * ```
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 */
export function perClassPrecisionRecall(confusion: number[][]): PerClassPrecisionRecall {
  const fn = 'perClassPrecisionRecall';
  if (!Array.isArray(confusion) || confusion.length === 0) throw new ArgumentError(`${fn}: confusion must be a non-empty square array of counts, got ${describe(confusion)}`);
  const k = confusion.length;
  confusion.forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== k) throw new ArgumentError(`${fn}: confusion must be square [${k}, ${k}], but row ${t} is ${describe(row)}`);
    row.forEach((v, p) => {
      if (!Number.isInteger(v) || v < 0) throw new ArgumentError(`${fn}: confusion[${t}][${p}] must be a count (an integer >= 0), got ${describe(v)}`);
    });
  });
  const out: PerClassPrecisionRecall = { precision: [], recall: [], support: [] };
  for (let c = 0; c < k; c++) {
    const tp = confusion[c][c];
    const rowSum = confusion[c].reduce((a, b) => a + b, 0);
    const colSum = confusion.reduce((s, row) => s + row[c], 0);
    out.precision.push(precisionOfCounts({ tp, fp: colSum - tp }));
    out.recall.push(recallOfCounts({ tp, fn: rowSum - tp }));
    out.support.push(rowSum);
  }
  return out;
}

/** Coverage and accuracy of a classifier that answers only when confident, at each threshold ({@link coverageAccuracyCurve}). */
export interface CoverageAccuracyCurve {
  /** `[k]` the confidence thresholds, ascending. */
  thresholds: number[];
  /** `[k]` fraction of the examples answered (confidence ≥ threshold), in [0, 1]. */
  coverage: number[];
  /** `[k]` accuracy on the answered examples; `NaN` where none is answered. */
  accuracy: number[];
}

function checkSelective(fn: string, yTrue: IntArray, yPred: IntArray, confidence: ArrayLike<number>): void {
  checkLabels(fn, yTrue, yPred);
  checkScores(fn, confidence, 'confidence');
  if (confidence.length !== yTrue.length) throw new ArgumentError(`${fn}: confidence has ${confidence.length} values but yTrue has ${yTrue.length}; they must have the same length`);
}

/**
 * Selective classification: the classifier answers an example only when its
 * confidence (e.g. the largest softmax probability) is at least a threshold
 * and says "I'm not sure" otherwise. For each threshold: the coverage (the
 * fraction answered) and the accuracy of the answers (the risk–coverage
 * curve of Geifman & El-Yaniv, "Selective Classification for Deep Neural
 * Networks", NeurIPS 2017, with accuracy = 1 − risk). The thresholds are 0
 * (answer everything) and each distinct confidence, ascending.
 * @param yTrue - `[n]` true class indices.
 * @param yPred - `[n]` predicted class indices.
 * @param confidence - `[n]` the confidence of each prediction, finite.
 * @throws {ArgumentError} when the lengths differ or a confidence is not finite.
 * @example
 * ```ts
 * const curve = coverageAccuracyCurve([0, 1, 2, 0], [0, 1, 0, 1], [0.9, 0.8, 0.6, 0.5]);
 * curve.thresholds; // [0, 0.5, 0.6, 0.8, 0.9]
 * curve.coverage; // [1, 1, 0.75, 0.5, 0.25]
 * curve.accuracy; // [0.5, 0.5, 0.6667, 1, 1]
 * ```
 * @see [Notebook 06 §6 "I'm not sure": a confidence threshold](../../notebooks/06-customer-service.ipynb#6.-%22I'm-not-sure%22:-a-confidence-threshold)
 * @see [Notebook 06 §Exercises](../../notebooks/06-customer-service.ipynb#Exercises)
 */
export function coverageAccuracyCurve(yTrue: IntArray, yPred: IntArray, confidence: ArrayLike<number>): CoverageAccuracyCurve {
  const fn = 'coverageAccuracyCurve';
  checkSelective(fn, yTrue, yPred, confidence);
  const n = yTrue.length;
  const thresholds = [...new Set([0, ...Array.from(confidence)])].sort((a, b) => a - b);
  const curve: CoverageAccuracyCurve = { thresholds, coverage: [], accuracy: [] };
  for (const t of thresholds) {
    let answered = 0;
    let correct = 0;
    for (let i = 0; i < n; i++) {
      if (confidence[i] < t) continue;
      answered++;
      if (yTrue[i] === yPred[i]) correct++;
    }
    curve.coverage.push(n === 0 ? NaN : answered / n);
    curve.accuracy.push(answered === 0 ? NaN : correct / answered);
  }
  return curve;
}

/** The threshold {@link chooseConfidenceThreshold} picked, with the coverage and accuracy it gives on the examples it was chosen on. */
export interface ConfidenceThreshold {
  /** Answer when confidence ≥ this; below it, "I'm not sure". */
  threshold: number;
  /** Fraction of the examples answered at this threshold. */
  coverage: number;
  /** Accuracy of the answered examples at this threshold. */
  accuracy: number;
  /** Whether the target accuracy was reached; when not, the threshold of the highest accuracy is returned. */
  reached: boolean;
}

/**
 * The lowest confidence threshold whose answers are at least
 * `targetAccuracy` correct, on held-out (validation) examples: the most
 * messages answered subject to "when it answers, it is right at least this
 * often". The lowest such threshold maximises coverage, since coverage never
 * rises with the threshold. When no threshold reaches the target, the one
 * with the highest accuracy (the lowest of those, for the most coverage) is
 * returned with `reached: false`.
 * @param yTrue - `[n]` true class indices, n ≥ 1.
 * @param yPred - `[n]` predicted class indices.
 * @param confidence - `[n]` the confidence of each prediction.
 * @param targetAccuracy - in (0, 1].
 * @throws {ArgumentError} as {@link coverageAccuracyCurve}, when there are no examples, or when `targetAccuracy` is not in (0, 1].
 * @example
 * ```ts
 * chooseConfidenceThreshold([0, 1, 2, 0], [0, 1, 0, 1], [0.9, 0.8, 0.6, 0.5], 0.9); // { threshold: 0.8, coverage: 0.5, accuracy: 1, reached: true }
 * ```
 * @see [Notebook 06 §6 "I'm not sure": a confidence threshold](../../notebooks/06-customer-service.ipynb#6.-%22I'm-not-sure%22:-a-confidence-threshold)
 */
export function chooseConfidenceThreshold(yTrue: IntArray, yPred: IntArray, confidence: ArrayLike<number>, targetAccuracy: number): ConfidenceThreshold {
  const fn = 'chooseConfidenceThreshold';
  if (typeof targetAccuracy !== 'number' || !(targetAccuracy > 0 && targetAccuracy <= 1)) throw new ArgumentError(`${fn}: targetAccuracy must be a number in (0, 1], got ${describe(targetAccuracy)}`);
  checkSelective(fn, yTrue, yPred, confidence);
  if (yTrue.length === 0) throw new ArgumentError(`${fn}: there are no examples to choose the threshold on (n = 0)`);
  const curve = coverageAccuracyCurve(yTrue, yPred, confidence);
  const at = (k: number, reached: boolean): ConfidenceThreshold => ({ threshold: curve.thresholds[k], coverage: curve.coverage[k], accuracy: curve.accuracy[k], reached });
  const k = curve.accuracy.findIndex((a) => a >= targetAccuracy);
  if (k >= 0) return at(k, true);
  let best = 0;
  for (let j = 1; j < curve.accuracy.length; j++) if (curve.accuracy[j] > curve.accuracy[best]) best = j;
  return at(best, false);
}
