/**
 * Loss functions, each with its gradient written right under it: mean squared
 * error, binary cross-entropy, categorical and sparse categorical
 * cross-entropy, from probabilities or from logits, and a check for the
 * classic mistake of passing softmax outputs as logits (Goodfellow, Bengio &
 * Courville, "Deep Learning", §5.5 and §6.2.2; log-sum-exp for stability as in
 * §4.1).
 *
 * Conventions, the same as Keras and TF.js:
 * - every loss is the **mean** over the batch (natural log), a scalar float32;
 * - from probabilities, p is clipped to [{@link PROBABILITY_EPSILON}, 1 − ε]
 *   before the log, so a probability of exactly 0 costs −ln(1e-7) ≈ 16.118 per
 *   example instead of Infinity (and its gradient stays finite); at the upper
 *   end 1 − 1e-7 rounds to 1 − 2⁻²³ in float32, so −ln(1 − p) is capped at
 *   −ln(2⁻²³) ≈ 15.94;
 * - from logits, the log-sum-exp form is used and no clipping is needed:
 *   large logits give large, finite losses;
 * - gradients are given with respect to the **logits** (the pre-activation Z
 *   of the output layer), where softmax/sigmoid and cross-entropy combine into
 *   the simple `(Ŷ − Y) / batch`.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../core/errors';
import { logSoftmax, sigmoid, softmax } from './activations';
import { checkSameShape, checkTensor, shapeText } from '../core/tensors';

/**
 * The clipping constant for probabilities, as Keras's `backend.epsilon()` and
 * TF.js's float32 backend epsilon: probabilities are clipped to [1e-7, 1 − 1e-7].
 */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * Whether every row of `outputs` looks like a probability vector: all values in
 * [0, 1] and each row summing to 1 within `tolerance`.
 * @param outputs - `[batch, numClasses]` float32.
 * @example
 * ```ts
 * looksLikeProbabilities(tf.tensor2d([[0.2, 0.8]])); // true
 * looksLikeProbabilities(tf.tensor2d([[2.0, -1.0]])); // false
 * ```
 */
export function looksLikeProbabilities(outputs: tf.Tensor2D, tolerance = 1e-3): boolean {
  return tf.tidy(() => {
    const inRange = tf.logicalAnd(tf.greaterEqual(outputs, 0), tf.lessEqual(outputs, 1)).all().dataSync()[0] === 1;
    if (!inRange) return false;
    const err = tf.abs(tf.sub(tf.sum(outputs, -1), 1)).max().dataSync()[0];
    return err <= tolerance;
  });
}

/** Whether every value is exactly 0 or 1 (rows that are one-hot: as plausible for logits as for probabilities). */
function allOneHot(outputs: tf.Tensor2D): boolean {
  return tf.tidy(() => tf.logicalOr(tf.equal(outputs, 0), tf.equal(outputs, 1)).all().dataSync()[0] === 1);
}

/** Options of {@link sparseCategoricalCrossentropy} and {@link categoricalCrossentropy}. */
export interface CrossEntropyOptions {
  /** `outputs` are logits (unnormalised scores), not probabilities. @default false */
  fromLogits?: boolean;
  /**
   * What to do when `fromLogits` is true but the outputs look like
   * probabilities (every row in [0, 1], summing to 1, not merely one-hot:
   * softmax would be applied twice): 'warn' (console.warn) or 'ignore'. The
   * values are only evidence (genuine logits can sum to 1), so this check
   * never refuses a call; refusing needs certainty, which only the model can
   * give: `compileClassifier` refuses `fromLogits` when the model's last layer
   * is a softmax. @default 'warn'
   */
  onSoftmaxAsLogits?: 'warn' | 'ignore';
}

/** Checks options and warns when the outputs passed as logits look like softmax probabilities. */
function checkSoftmaxAsLogits(fn: string, outputs: tf.Tensor2D, options: CrossEntropyOptions): boolean {
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const fromLogits = options.fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') throw new ArgumentError(`${fn}: options.fromLogits must be a boolean, got ${describe(fromLogits)}`);
  const policy = options.onSoftmaxAsLogits ?? 'warn';
  if (policy !== 'warn' && policy !== 'ignore') {
    throw new ArgumentError(
      `${fn}: options.onSoftmaxAsLogits must be 'warn' or 'ignore', got ${describe(policy)}` +
        (policy === ('throw' as unknown) ? ` ('throw' was removed: values that look like probabilities can be genuine logits; compileClassifier refuses fromLogits after a softmax layer, where it is certain)` : ''),
    );
  }
  if (fromLogits && policy === 'warn' && looksLikeProbabilities(outputs) && !allOneHot(outputs)) {
    console.warn(
      `${fn}: fromLogits is true but every row of yPred is in [0, 1] and sums to 1: these look like softmax probabilities. ` +
        `If they are, treating them as logits applies softmax twice and training stalls (the loss stays near ln(numClasses)): pass fromLogits: false. ` +
        `If they really are logits, pass onSoftmaxAsLogits: 'ignore'.`,
    );
  }
  return fromLogits;
}

function checkOutputs(fn: string, outputs: unknown): tf.Tensor2D {
  const o = checkTensor(fn, 'yPred', outputs, 2, '[batch, numClasses]') as tf.Tensor2D;
  if (o.shape[0] === 0) throw new ArgumentError(`${fn}: yPred is ${shapeText(o.shape)}, an empty batch; a mean over 0 examples is undefined`);
  return o;
}

/** −mean over rows of Σⱼ Yⱼ·log pⱼ, with log p from logits (log-softmax) or clipped probabilities. */
function crossEntropy(oneHot: tf.Tensor2D, outputs: tf.Tensor2D, fromLogits: boolean): tf.Scalar {
  return tf.tidy(() => {
    const logP = fromLogits ? logSoftmax(outputs) : tf.log(tf.clipByValue(outputs, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)); // [batch, numClasses]
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logP), -1))) as tf.Scalar;
  });
}

// ---------------------------------------------------------------- sparse categorical cross-entropy

function checkSparseLabels(fn: string, yTrue: unknown, outputs: tf.Tensor2D): tf.Tensor1D {
  const l = checkTensor(fn, 'yTrue', yTrue);
  if (l.rank !== 1 || l.shape[0] !== outputs.shape[0]) {
    throw new ArgumentError(
      `${fn}: yTrue must be [batch] class indices with batch = ${outputs.shape[0]} (yPred's rows), got shape [${l.shape.join(', ')}]` +
        (l.rank === 2 && l.shape[1] === outputs.shape[1] ? '; these look like one-hot rows: use categoricalCrossentropy' : ''),
    );
  }
  return l as tf.Tensor1D;
}

/**
 * Mean sparse categorical cross-entropy −(1/n) Σᵢ log p(yᵢ | xᵢ), for labels
 * given as class indices.
 *
 * From logits it uses log-softmax (log-sum-exp), stable for large logits. From
 * probabilities it clips to [1e-7, 1 − 1e-7] like Keras and TF.js, so a
 * probability of exactly 0 gives a finite loss (−log 1e-7 ≈ 16.118).
 *
 * @param yTrue - `[batch]` int32 class indices (the labels).
 * @param yPred - `[batch, numClasses]` float32 probabilities or logits (the model's outputs).
 * @returns scalar float32 loss (natural log).
 * @throws {ArgumentError} when shapes disagree, the batch is empty, or (with
 *   `onSoftmaxAsLogits: 'throw'`) when softmax outputs are passed as logits.
 * @example
 * ```ts
 * sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.5, 0.5]])).dataSync()[0]; // 0.6931 (ln 2)
 * ```
 * @see [Notebook 03 §4 The loss](../../notebooks/03-training-pipeline.ipynb#4.-The-loss)
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 * @see [Notebook 05 §6 The `from_logits` mistake](../../notebooks/05-cifar10-cnn.ipynb#6.-The-from_logits-mistake)
 * @see [Notebook 08 §2 The `from_logits` mistake, measured](../../notebooks/08-tools-and-resources.ipynb#2.-The-from_logits-mistake,-measured)
 * @see [Notebook 08 §Exercises](../../notebooks/08-tools-and-resources.ipynb#Exercises)
 */
export function sparseCategoricalCrossentropy(yTrue: tf.Tensor1D, yPred: tf.Tensor2D, options: CrossEntropyOptions = {}): tf.Scalar {
  const fn = 'sparseCategoricalCrossentropy';
  checkTensor(fn, 'yPred', yPred);
  if ((yPred as tf.Tensor).rank !== 2) {
    throw new ArgumentError(`${fn}: yPred must be [batch, numClasses], got shape [${(yPred as tf.Tensor).shape.join(', ')}]`);
  }
  checkSparseLabels(fn, yTrue, yPred as tf.Tensor2D);
  checkOutputs(fn, yPred);
  const fromLogits = checkSoftmaxAsLogits(fn, yPred, options);
  return tf.tidy(() => crossEntropy(tf.oneHot(tf.cast(yTrue, 'int32'), yPred.shape[1]) as tf.Tensor2D, yPred, fromLogits));
}

/**
 * Gradient of {@link sparseCategoricalCrossentropy} from logits with respect
 * to the logits: ∂L/∂Z = (softmax(Z) − onehot(y)) / batch. Softmax and
 * cross-entropy together have this simple gradient (the softmax Jacobian and
 * the 1/p of the log cancel), which is one reason to compute the loss from logits.
 * @param yTrue - `[batch]` int32 class indices (the labels).
 * @param logits - `[batch, numClasses]` float32.
 * @returns `[batch, numClasses]` float32. The caller disposes it.
 * @throws {ArgumentError} when shapes disagree or the batch is empty.
 * @example
 * ```ts
 * sparseCategoricalCrossentropyBackward(tf.tensor1d([0], 'int32'), tf.tensor2d([[0, 0]])).arraySync(); // [[-0.5, 0.5]]
 * ```
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 */
export function sparseCategoricalCrossentropyBackward(yTrue: tf.Tensor1D, logits: tf.Tensor2D): tf.Tensor2D {
  const fn = 'sparseCategoricalCrossentropyBackward';
  const z = checkOutputs(fn, logits);
  checkSparseLabels(fn, yTrue, z);
  return tf.tidy(() => tf.div(tf.sub(softmax(z), tf.oneHot(tf.cast(yTrue, 'int32'), z.shape[1])), z.shape[0]) as tf.Tensor2D);
}

// ---------------------------------------------------------------- categorical cross-entropy

function checkOneHot(fn: string, yTrue: unknown, outputs: tf.Tensor2D): tf.Tensor2D {
  const y = checkTensor(fn, 'yTrue', yTrue) as tf.Tensor2D;
  if (y.rank !== 2 || y.shape[0] !== outputs.shape[0] || y.shape[1] !== outputs.shape[1]) {
    throw new ArgumentError(
      `${fn}: yTrue is ${shapeText(y.shape)} but yPred is ${shapeText(outputs.shape)}; one-hot labels must have yPred's shape [batch, numClasses]` +
        (y.rank === 1 ? '; for class indices use sparseCategoricalCrossentropy' : ''),
    );
  }
  return y;
}

/**
 * Mean categorical cross-entropy −(1/n) Σᵢ Σⱼ Yᵢⱼ log pᵢⱼ, for one-hot (or any
 * probability-vector) labels. Same stability and clipping as
 * {@link sparseCategoricalCrossentropy}; softmax outputs passed with
 * `fromLogits: true` are detected and warned about.
 * @param yTrue - `[batch, numClasses]` float32, each row one-hot (or a distribution).
 * @param yPred - `[batch, numClasses]` float32 probabilities or logits.
 * @returns scalar float32 loss (natural log).
 * @throws {ArgumentError} when shapes disagree, the batch is empty, or (with
 *   `onSoftmaxAsLogits: 'throw'`) softmax outputs are passed as logits.
 * @example
 * ```ts
 * categoricalCrossentropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.75, 0.25]])).dataSync()[0]; // 1.3863 (ln 4)
 * categoricalCrossentropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[1000, 0]]), { fromLogits: true }).dataSync()[0]; // 1000
 * ```
 * @see [Notebook 04 §3 Losses, and why the stable forms matter](../../notebooks/04-mlp-maths.ipynb#3.-Losses,-and-why-the-stable-forms-matter)
 */
export function categoricalCrossentropy(yTrue: tf.Tensor2D, yPred: tf.Tensor2D, options: CrossEntropyOptions = {}): tf.Scalar {
  const fn = 'categoricalCrossentropy';
  const o = checkOutputs(fn, yPred);
  const y = checkOneHot(fn, yTrue, o);
  const fromLogits = checkSoftmaxAsLogits(fn, o, options);
  return crossEntropy(y, o, fromLogits);
}

/**
 * Gradient of {@link categoricalCrossentropy} from logits with respect to the
 * logits: ∂L/∂Z = (softmax(Z) − Y) / batch.
 * @param yTrue - `[batch, numClasses]` float32 one-hot rows.
 * @param logits - `[batch, numClasses]` float32.
 * @returns `[batch, numClasses]` float32. The caller disposes it.
 * @throws {ArgumentError} when shapes disagree or the batch is empty.
 * @example
 * ```ts
 * categoricalCrossentropyBackward(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0, 0], [0, 0]])).arraySync(); // [[-0.25, 0.25], [0.25, -0.25]]
 * ```
 */
export function categoricalCrossentropyBackward(yTrue: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor2D {
  const fn = 'categoricalCrossentropyBackward';
  const z = checkOutputs(fn, logits);
  const y = checkOneHot(fn, yTrue, z);
  return tf.tidy(() => tf.div(tf.sub(softmax(z), y), z.shape[0]) as tf.Tensor2D);
}

// ---------------------------------------------------------------- binary cross-entropy

function checkBinary(fn: string, y: unknown, yArg: string, outputs: unknown, outputsArg: string): [tf.Tensor, tf.Tensor] {
  const yy = checkTensor(fn, yArg, y);
  const o = checkTensor(fn, outputsArg, outputs);
  checkSameShape(fn, yArg, yy, outputsArg, o);
  if (o.size === 0) throw new ArgumentError(`${fn}: ${outputsArg} is ${shapeText(o.shape)}, empty; a mean over 0 values is undefined`);
  return [yy, o];
}

/** Options of {@link binaryCrossentropy}. */
export interface BinaryCrossEntropyOptions {
  /** `outputs` are logits z (any real), not probabilities σ(z). @default false */
  fromLogits?: boolean;
}

/**
 * Mean binary cross-entropy −mean(y·log p + (1 − y)·log(1 − p)) over all
 * entries, for labels y ∈ {0, 1} (or in [0, 1]).
 *
 * From logits z it uses the stable form max(z, 0) − z·y + log(1 + e^(−|z|))
 * (equal to the formula with p = σ(z), but never takes the log of 0 nor
 * overflows `exp`); from probabilities it clips p to [1e-7, 1 − 1e-7].
 * Whether sigmoid outputs were passed as logits cannot be told reliably (small
 * logits also lie in [0, 1]), so that is not checked.
 * @param yTrue - any shape, float32 labels in [0, 1], e.g. `[batch]` or `[batch, 1]`.
 * @param yPred - the same shape, float32 probabilities or logits.
 * @returns scalar float32 loss (natural log).
 * @throws {ArgumentError} when shapes differ or the tensors are empty.
 * @example
 * ```ts
 * binaryCrossentropy(tf.tensor1d([1]), tf.tensor1d([0.5])).dataSync()[0]; // 0.6931 (ln 2)
 * binaryCrossentropy(tf.tensor1d([0]), tf.tensor1d([1000]), { fromLogits: true }).dataSync()[0]; // 1000
 * ```
 * @see [Notebook 04 §3 Losses, and why the stable forms matter](../../notebooks/04-mlp-maths.ipynb#3.-Losses,-and-why-the-stable-forms-matter)
 */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, options: BinaryCrossEntropyOptions = {}): tf.Scalar {
  const fn = 'binaryCrossentropy';
  const [yy, o] = checkBinary(fn, yTrue, 'yTrue', yPred, 'yPred');
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const fromLogits = options.fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') throw new ArgumentError(`${fn}: options.fromLogits must be a boolean, got ${describe(fromLogits)}`);
  return tf.tidy(() => {
    if (fromLogits) {
      // max(z, 0) − z·y + log(1 + e^(−|z|)): the exponent is ≤ 0, so nothing overflows.
      const perEntry = tf.add(tf.sub(tf.relu(o), tf.mul(o, yy)), tf.log1p(tf.exp(tf.neg(tf.abs(o)))));
      return tf.mean(perEntry) as tf.Scalar;
    }
    const p = tf.clipByValue(o, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
    const perEntry = tf.add(tf.mul(yy, tf.log(p)), tf.mul(tf.sub(1, yy), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(perEntry)) as tf.Scalar;
  });
}

/**
 * Gradient of {@link binaryCrossentropy} from logits with respect to the
 * logits: ∂L/∂z = (σ(z) − y) / N, N the number of entries.
 * @param yTrue - any shape, float32 labels in [0, 1].
 * @param logits - the same shape, float32.
 * @returns the same shape, float32. The caller disposes it.
 * @throws {ArgumentError} when shapes differ or the tensors are empty.
 * @example
 * ```ts
 * binaryCrossentropyBackward(tf.tensor1d([1, 0]), tf.tensor1d([0, 0])).arraySync(); // [-0.25, 0.25]
 * ```
 */
export function binaryCrossentropyBackward(yTrue: tf.Tensor, logits: tf.Tensor): tf.Tensor {
  const [yy, z] = checkBinary('binaryCrossentropyBackward', yTrue, 'yTrue', logits, 'logits');
  return tf.tidy(() => tf.div(tf.sub(sigmoid(z), yy), z.size));
}

// ---------------------------------------------------------------- mean squared error

/**
 * Mean squared error mean((Ŷ − Y)²) over all entries (for regression).
 * @param yTrue - any shape, float32 targets.
 * @param yPred - the same shape, float32 predictions.
 * @returns scalar float32.
 * @throws {ArgumentError} when shapes differ or the tensors are empty.
 * @example
 * ```ts
 * meanSquaredError(tf.tensor1d([1, 2]), tf.tensor1d([1, 4])).dataSync()[0]; // 2 (the mean of 0² and 2²)
 * ```
 */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  const [yy, p] = checkBinary('meanSquaredError', yTrue, 'yTrue', yPred, 'yPred');
  return tf.tidy(() => tf.mean(tf.squaredDifference(p, yy)) as tf.Scalar);
}

/**
 * Gradient of {@link meanSquaredError} with respect to the predictions:
 * ∂L/∂Ŷ = 2(Ŷ − Y) / N, N the number of entries.
 * @param yTrue - any shape, float32 targets.
 * @param yPred - the same shape, float32 predictions.
 * @returns the same shape, float32. The caller disposes it.
 * @throws {ArgumentError} when shapes differ or the tensors are empty.
 * @example
 * ```ts
 * meanSquaredErrorBackward(tf.tensor1d([1, 2]), tf.tensor1d([1, 4])).arraySync(); // [0, 2]
 * ```
 */
export function meanSquaredErrorBackward(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [yy, p] = checkBinary('meanSquaredErrorBackward', yTrue, 'yTrue', yPred, 'yPred');
  return tf.tidy(() => tf.mul(tf.sub(p, yy), 2 / p.size));
}
