/**
 * Training and evaluating a classifier whose input is one row of numbers per
 * example: float32 features (bag of words, TF-IDF) or int32 token ids (an
 * embedding model). The same loop as the image trainer (lib/train/loop.ts:
 * seeded shuffles, minibatch steps, validation each epoch), without the
 * pixel handling. Goodfellow, Bengio & Courville, "Deep Learning", §8.1.3.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkLabels } from '../core/examples';
import { shuffledIndices } from '../core/random';
import { evaluationFromProbabilities, nonFiniteWeight, predictInMinibatches, type Evaluation, type TrainResult } from './classifier';
import { runTrainingLoop } from './loop';
import type { ProgressMode } from './progress';

/**
 * n labelled rows of numbers: `features` `[n, width]` row-major, float32
 * (feature values) or int32 (token ids, for an embedding layer); `labels`
 * `[n]` int32 class indices.
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 */
export interface FeatureExamples {
  /** Number of examples. */
  n: number;
  /** `[n, width]` float32 features or int32 token ids, row-major. */
  features: Float32Array | Int32Array;
  /** `[n]` int32 class indices. */
  labels: Int32Array;
}

/** Options of {@link trainFeatureClassifier}. */
export interface FeatureTrainOptions {
  /** Passes over the training set. @default 10 */
  epochs?: number;
  /** Examples per minibatch; the last minibatch of an epoch may be smaller. @default 32 */
  batchSize?: number;
  /** Seed of the per-epoch shuffles (epoch e uses seed + e). @default 0 */
  seed?: number;
  /** Evaluated after each epoch. */
  validation?: FeatureExamples;
  /** How to show progress (see {@link ProgressMode}). @default 'auto' */
  progress?: ProgressMode;
  /** Title of the live chart. @default 'Training (live)' */
  title?: string;
}

/** `width` of the model's input `[batch, width]`. */
function inputWidth(fn: string, model: tf.LayersModel): number {
  const shape = model.inputs[0].shape;
  if (shape.length !== 2 || shape[1] == null) throw new ArgumentError(`${fn}: the model's input must be [batch, width] (one row of numbers per example), got [${shape.join(', ')}]`);
  return shape[1];
}

function checkFeatures(fn: string, arg: string, data: FeatureExamples, width: number, numClasses: number): void {
  if (data == null || typeof data !== 'object' || !(data.features instanceof Float32Array || data.features instanceof Int32Array) || !(data.labels instanceof Int32Array)) {
    throw new ArgumentError(`${fn}: ${arg} must be { n, features: Float32Array | Int32Array, labels: Int32Array }, got ${describe(data)}`);
  }
  checkInteger(fn, `${arg}.n`, data.n, 0);
  if (data.labels.length !== data.n) throw new ArgumentError(`${fn}: ${arg}.labels has ${data.labels.length} entries but ${arg}.n = ${data.n}`);
  if (data.features.length !== data.n * width) {
    throw new ArgumentError(`${fn}: ${arg}.features has ${data.features.length} values but n = ${data.n} rows of the model's input width ${width} need ${data.n * width}`);
  }
  checkLabels(fn, `${arg}.labels`, data.labels, numClasses);
}

/** Rows `indices[start..end)` as a `[end − start, width]` tensor of the features' dtype, and their labels as float32 `[end − start]`. */
function featureBatch(data: FeatureExamples, width: number, indices: ArrayLike<number>, start: number, end: number): { X: tf.Tensor2D; y: tf.Tensor1D } {
  const size = end - start;
  const int = data.features instanceof Int32Array;
  const rows = int ? new Int32Array(size * width) : new Float32Array(size * width); // [size, width]
  const labels = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    const i = indices[start + k];
    rows.set(data.features.subarray(i * width, (i + 1) * width), k * width);
    labels[k] = data.labels[i];
  }
  return { X: tf.tensor2d(rows, [size, width], int ? 'int32' : 'float32'), y: tf.tensor1d(labels, 'float32') };
}

/**
 * Class probabilities, predictions, confidence, loss, accuracy and
 * confusion matrix of a classifier on feature rows (no tensors leak).
 * Outputs are treated as probabilities when the last layer is a softmax,
 * else as logits.
 * @param model - input `[batch, width]`, output `[batch, numClasses]`.
 * @throws {ArgumentError} when `data` does not fit the model's input or a label is out of range.
 * @example
 * ```ts
 * const model = buildSoftmaxRegression({ inputDim: 2, numClasses: 2 });
 * model.layers[0].setWeights([tf.tensor2d([[10, 0], [0, 10]]), tf.zeros([2])]);
 * const ev = await evaluateFeatureClassifier(model, { n: 2, features: new Float32Array([1, 0, 0, 1]), labels: new Int32Array([0, 0]) });
 * Array.from(ev.predictions); // [0, 1]
 * ev.accuracy; // 0.5
 * ```
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06 §6 "I'm not sure": a confidence threshold](../../notebooks/06-customer-service.ipynb#6.-%22I'm-not-sure%22:-a-confidence-threshold)
 */
export async function evaluateFeatureClassifier(model: tf.LayersModel, data: FeatureExamples, batchSize = 256): Promise<Evaluation> {
  const fn = 'evaluateFeatureClassifier';
  const width = inputWidth(fn, model);
  const numClasses = model.outputs[0].shape[1]!;
  checkFeatures(fn, 'data', data, width, numClasses);
  checkInteger(fn, 'batchSize', batchSize, 1);
  if (data.n === 0) throw new ArgumentError(`${fn}: data has no examples (n = 0)`);
  const identity = Int32Array.from({ length: data.n }, (_, i) => i);
  const probabilities = await predictInMinibatches(model, data.n, batchSize, (start, end) => {
    const { X, y } = featureBatch(data, width, identity, start, end);
    y.dispose();
    return X;
  });
  return evaluationFromProbabilities(fn, probabilities, data.labels, numClasses);
}

/**
 * Trains a compiled classifier (see `compileClassifier`, sparse targets) on
 * feature rows with minibatch gradient descent: each epoch shuffles the
 * training set (seeded), runs one optimizer step per minibatch
 * (`model.trainOnBatch`), and evaluates on `options.validation`.
 * @param model - a compiled model with input `[batch, width]` and a softmax output `[batch, numClasses]`.
 * @param train - `features` `[n, width]` (float32, or int32 token ids), `labels` `[n]` int32.
 * @throws {ArgumentError} on bad options, an uncompiled model, or data that does not fit the model.
 * @throws {NonFiniteLossError} when a minibatch's loss is NaN or infinite.
 * @example
 * ```ts
 * // Two well-separated classes on one feature.
 * const train = { n: 4, features: new Float32Array([-2, -1, 1, 2]), labels: new Int32Array([0, 0, 1, 1]) };
 * const model = compileClassifier(buildSoftmaxRegression({ inputDim: 1, numClasses: 2 }), { learningRate: 0.1 });
 * const { history } = await trainFeatureClassifier(model, train, { epochs: 30, batchSize: 4, progress: 'none' });
 * history[29].loss < history[0].loss; // true
 * (await evaluateFeatureClassifier(model, train)).accuracy; // 1
 * ```
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 */
export async function trainFeatureClassifier(model: tf.LayersModel, train: FeatureExamples, options: FeatureTrainOptions = {}): Promise<TrainResult> {
  const fn = 'trainFeatureClassifier';
  const epochs = checkInteger(fn, 'options.epochs', options.epochs ?? 10, 1);
  const batchSize = checkInteger(fn, 'options.batchSize', options.batchSize ?? 32, 1);
  const seed = checkInteger(fn, 'options.seed', options.seed ?? 0, 0);
  if (!model.optimizer) throw new ArgumentError(`${fn}: the model is not compiled; call compileClassifier(model) first`);
  const width = inputWidth(fn, model);
  const numClasses = model.outputs[0].shape[1]!;
  checkFeatures(fn, 'train', train, width, numClasses);
  if (train.n === 0) throw new ArgumentError(`${fn}: train has no examples (n = 0)`);
  const validation = options.validation;
  if (validation) checkFeatures(fn, 'options.validation', validation, width, numClasses);
  let order: Int32Array = new Int32Array(0);
  const result = await runTrainingLoop({
    fn,
    epochs,
    steps: Math.ceil(train.n / batchSize),
    progress: options.progress ?? 'auto',
    title: options.title ?? 'Training (live)',
    beginEpoch: (epoch) => {
      order = shuffledIndices(train.n, (seed + epoch) >>> 0);
    },
    step: async (_epoch, b) => {
      const start = b * batchSize;
      const end = Math.min(start + batchSize, train.n);
      const { X, y } = featureBatch(train, width, order, start, end);
      try {
        const values = await model.trainOnBatch(X, y);
        const [loss, accuracy] = Array.isArray(values) ? values : [values, NaN];
        return { loss, accuracy, size: end - start };
      } finally {
        tf.dispose([X, y]);
      }
    },
    nonFiniteParameter: () => nonFiniteWeight(model),
    validate: async () => (validation && validation.n > 0 ? evaluateFeatureClassifier(model, validation) : undefined),
  });
  const out: TrainResult = { history: result.history, trainSeconds: result.trainSeconds, imagesPerSecond: result.examplesPerSecond };
  if (result.stopped !== undefined) out.stopped = result.stopped;
  return out;
}
