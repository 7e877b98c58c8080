/**
 * The training loop for image classifiers: seeded minibatches built from uint8
 * NHWC pixels, one optimizer step per minibatch (`model.trainOnBatch`),
 * progress in the terminal or a live chart in a notebook, history, evaluation,
 * and a clear stop on a non-finite loss. The standard loop of Goodfellow,
 * Bengio & Courville, "Deep Learning", §8.1.3 (minibatch SGD).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkExamples, checkLabels, gatherExamples, type LabeledExamples } from '../core/examples';
import type { Augmenter } from '../data/augment';
import type { EpochRecord } from '../core/history';
import { shuffledIndices } from '../core/random';
import { firstNonFinite } from '../core/tensors';
import { modelLabelFormat, outputActivation } from '../models/cnn';
import { confusionMatrix, type LabelFormat } from '../nn/metrics';
import { eventLoopPauser, runTrainingLoop } from './loop';
import type { ProgressMode } from './progress';
import type { LearningRateSchedule } from '../nn/schedules';

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  /** Passes over the training set. @default 10 */
  epochs?: number;
  /** Images per minibatch; the last minibatch of an epoch may be smaller. @default 32 */
  batchSize?: number;
  /** Seed of the per-epoch shuffles (epoch e uses seed + e). @default 0 */
  seed?: number;
  /** Evaluated after each epoch (e.g. the test set, as in the TensorFlow tutorial). */
  validation?: LabeledExamples;
  /** How to show progress (see {@link ProgressMode}). @default 'auto' */
  progress?: ProgressMode;
  /** Called after each epoch with its record. */
  onEpochEnd?: (record: EpochRecord) => void;
  /**
   * Stops training at the next minibatch when aborted (e.g. `AbortSignal.timeout(60_000)`,
   * or an `AbortController` whose `abort()` a callback calls); the history so
   * far is returned, with `stopped` saying where.
   */
  signal?: AbortSignal;
  /**
   * Targets the model's loss takes: 'sparse' class indices `[batch]` or
   * 'one-hot' rows `[batch, numClasses]`. @default read from the compiled loss by `modelLabelFormat`
   */
  targets?: LabelFormat;
  /**
   * Data augmentation applied to each training minibatch (uint8 NHWC, before
   * the scaling to [0, 1]), e.g. `cropFlipAugmenter()`; never to
   * `validation`. Minibatch b of epoch e gets the seed
   * `minibatchSeed(seed, e, b)`, so a run is reproducible. @default none
   */
  augment?: Augmenter;
  /**
   * The learning rate for each optimizer step (`step` counts minibatches from
   * 0 over the whole run), e.g. `cosineDecay({ initial: 1e-3, totalSteps })`;
   * set on the model's optimizer before each step and put back to the
   * compiled value when training ends. @default the compiled learning rate, constant
   */
  learningRateSchedule?: LearningRateSchedule;
}

/**
 * The seed {@link trainClassifier} gives its `augment` function for
 * minibatch `step` (0-based) of epoch `epoch` (1-based) of a run with seed
 * `seed`: a 32-bit hash of the three (multiplicative hashing with odd
 * constants, Knuth TAOCP vol. 3 §6.4), so no two minibatches of a run share
 * their random crops.
 * @throws {ArgumentError} when an argument is not an integer ≥ 0.
 * @example
 * ```ts
 * minibatchSeed(0, 1, 0) === minibatchSeed(0, 1, 0); // true
 * minibatchSeed(0, 1, -1); // throws ArgumentError: minibatchSeed: step must be an integer >= 0, got number -1
 * minibatchSeed(0, 1, 0) === minibatchSeed(0, 1, 1); // false
 * ```
 */
export function minibatchSeed(seed: number, epoch: number, step: number): number {
  checkInteger('minibatchSeed', 'seed', seed, 0);
  checkInteger('minibatchSeed', 'epoch', epoch, 0);
  checkInteger('minibatchSeed', 'step', step, 0);
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ epoch, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ step, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/** What {@link trainClassifier} returns. */
export interface TrainResult {
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** Wall time of the optimizer steps (excludes validation), in seconds. */
  trainSeconds: number;
  /** Training throughput, images/s (images seen / trainSeconds). */
  imagesPerSecond: number;
  /** Set when `options.signal` stopped training early: where it stopped. */
  stopped?: string;
}

/**
 * Image size `[height, width, channels]` the model expects.
 * @throws {ArgumentError} when the model's input is not `[batch, height, width, channels]`.
 * @example
 * ```ts
 * inputImageShape(buildCifar10Cnn()); // [32, 32, 3]
 * ```
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 */
export function inputImageShape(model: tf.LayersModel): [number, number, number] {
  const shape = model.inputs[0].shape;
  if (shape.length !== 4 || shape.slice(1).some((d) => d == null)) {
    throw new ArgumentError(`inputImageShape: the model's input must be [batch, height, width, channels] (NHWC), got [${shape.join(', ')}]`);
  }
  return [shape[1]!, shape[2]!, shape[3]!];
}

function checkImages(fn: string, arg: string, data: LabeledExamples, hwc: [number, number, number]): void {
  checkExamples(fn, arg, data);
  const shape = data.imageShape;
  if (shape && shape.join() !== hwc.join()) {
    const channelsFirst = shape.length === 3 && shape[0] === hwc[2] && shape[1] === hwc[0] && shape[2] === hwc[1];
    throw new ArgumentError(
      `${fn}: ${arg}.imageShape is [${shape.join(', ')}] but the model takes images of [${hwc.join(', ')}] (height, width, channels: NHWC)` +
        (channelsFirst ? `; these look channels-first (NCHW): transpose them to NHWC, e.g. tf.transpose(images, [0, 2, 3, 1])` : ''),
    );
  }
  const per = hwc[0] * hwc[1] * hwc[2];
  if (data.pixels.length !== data.n * per) {
    throw new ArgumentError(
      `${fn}: ${arg}.pixels has ${data.pixels.length} values but n = ${data.n} images of [${hwc.join(', ')}] (NHWC, as the model's input) need ${data.n * per}`,
    );
  }
}

/** One minibatch of inputs and targets, as {@link makeBatch} builds it. */
export interface ImageMinibatch {
  /** Images `[batch, height, width, channels]` float32 in [0, 1]. */
  X: tf.Tensor4D;
  /**
   * Targets: `[batch]` float32 class indices ('sparse'; TF.js's sparse
   * cross-entropy takes float labels and floors them), or `[batch, numClasses]`
   * float32 one-hot rows ('one-hot').
   */
  y: tf.Tensor1D | tf.Tensor2D;
}

/**
 * Builds one minibatch: images `indices[start..end)` as float32 in [0, 1]
 * (pixel / 255) and their targets.
 * @param targets - 'sparse' class indices or 'one-hot' rows of `numClasses`. @default 'sparse'
 * @param out - a buffer of at least `(end − start) · height · width · channels`
 *   values to reuse (only for the wasm backend, which copies values into its heap;
 *   `cpu` and tfjs-node keep the array as the tensor's storage). @default a new one
 * @returns `X` `[end-start, height, width, channels]` float32; `y` `[end-start]`
 *   float32 or `[end-start, numClasses]` float32. The caller disposes them.
 * @example
 * ```ts
 * const { X, y } = makeBatch({ n: 1, pixels: new Uint8Array([255, 0, 51]), labels: new Int32Array([2]) }, [1, 1, 3], [0], 0, 1);
 * X.dataSync(); // Float32Array [1, 0, 0.2]
 * makeBatch({ n: 1, pixels: new Uint8Array(3), labels: new Int32Array([2]) }, [1, 1, 3], [0], 0, 1, 'one-hot', 3).y.arraySync(); // [[0, 0, 1]]
 * ```
 * @see [Notebook 09 §2 DP-SGD: clip each example, add noise](../../notebooks/09-summary-and-challenges.ipynb#2.-DP-SGD:-clip-each-example,-add-noise)
 * @see [Notebook 10 §2 Data-parallel training, for real](../../notebooks/10-questions-and-efficiency.ipynb#2.-Data-parallel-training,-for-real)
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export function makeBatch(
  data: LabeledExamples,
  hwc: [number, number, number],
  indices: ArrayLike<number>,
  start: number,
  end: number,
  targets: LabelFormat = 'sparse',
  numClasses = 0,
  out?: Float32Array,
): ImageMinibatch {
  const size = end - start;
  const { pixels, labels } = gatherExamples(data, hwc[0] * hwc[1] * hwc[2], indices, start, end, out);
  const X = tf.tensor4d(pixels, [size, hwc[0], hwc[1], hwc[2]]);
  if (targets === 'sparse') return { X, y: tf.tensor1d(Float32Array.from(labels), 'float32') };
  const oneHot = new Float32Array(size * numClasses); // [size, numClasses]
  for (let k = 0; k < size; k++) oneHot[k * numClasses + labels[k]] = 1;
  return { X, y: tf.tensor2d(oneHot, [size, numClasses]) };
}

/** Images `order[start..end)` of `train` as a uint8 minibatch, passed through `augment`. */
function augmentedMinibatch(
  fn: string,
  train: LabeledExamples,
  hwc: [number, number, number],
  order: Int32Array,
  start: number,
  end: number,
  augment: Augmenter,
  seed: number,
): LabeledExamples {
  const per = hwc[0] * hwc[1] * hwc[2];
  const size = end - start;
  const pixels = new Uint8Array(size * per);
  const labels = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    const i = order[start + k];
    pixels.set(train.pixels.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = train.labels[i];
  }
  const out = augment(pixels, [size, hwc[0], hwc[1], hwc[2]], seed);
  if (!(out instanceof Uint8Array) || out.length !== pixels.length) {
    throw new ArgumentError(`${fn}: options.augment must return a Uint8Array of ${pixels.length} values (the minibatch [${size}, ${hwc.join(', ')}]), got ${out instanceof Uint8Array ? `${out.length} values` : describe(out)}`);
  }
  return { n: size, pixels: out, labels };
}

/**
 * A clear error for a minibatch that does not fit in memory (the wasm
 * backend's heap is at most 4 GiB; its kernels then fail with "memory access
 * out of bounds" or an abort), or undefined for other errors.
 */
function outOfMemory(fn: string, err: unknown, batchSize: number): ArgumentError | undefined {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (!/memory access out of bounds|out of memory|Aborted\(OOM\)|Cannot enlarge memory|WebAssembly\.Memory|Array buffer allocation failed/i.test(message)) return undefined;
  return new ArgumentError(
    `${fn}: a minibatch of ${batchSize} images does not fit in the ${tf.getBackend()} backend's memory (${message.split('\n')[0]}); ` +
      `pass a smaller options.batchSize (--batch-size in npm run cifar10), e.g. ${Math.max(1, 2 ** Math.floor(Math.log2(batchSize / 8)))}. ` +
      `In a notebook, restart the kernel if later cells fail: the backend's memory may be left broken.`,
  );
}

/**
 * Name of the first model weight holding NaN or ±Infinity, or undefined when all are finite.
 * @example
 * ```ts
 * const model = buildCifar10Cnn();
 * nonFiniteWeight(model); // undefined
 * model.layers[6].setWeights([model.layers[6].getWeights()[0], tf.fill([10], NaN)]);
 * nonFiniteWeight(model)?.startsWith('probabilities/bias'); // true (TF.js may suffix the name, e.g. _1)
 * ```
 */
export function nonFiniteWeight(model: tf.LayersModel): string | undefined {
  return firstNonFinite(model.weights.map((w): [string, tf.Tensor] => [w.name, w.read()]));
}

/**
 * Class probabilities of images `indices[start..end)` of `data`, one
 * minibatch through `model` (pixels / 255, as {@link makeBatch}; softmax
 * applied when `logits`), written into `out` from row `start` on. No tensor
 * outlives the call. The step of `predictProbabilities` (lib/train/predict.ts);
 * {@link evaluateClassifier} and the feature classifiers use `predictInMinibatches`.
 * @param out - `[n, numClasses]` float32, row-major.
 */
export function predictMinibatch(
  model: tf.LayersModel,
  data: LabeledExamples,
  hwc: [number, number, number],
  indices: ArrayLike<number>,
  start: number,
  end: number,
  logits: boolean,
  out: Float32Array,
): void {
  const { X, y } = makeBatch(data, hwc, indices, start, end);
  const p = tf.tidy(() => {
    const outputs = model.predict(X) as tf.Tensor2D; // [batch, numClasses]
    return logits ? tf.softmax(outputs) : outputs;
  });
  out.set(p.dataSync() as Float32Array, start * p.shape[1]);
  tf.dispose([X, y, p]);
}

/**
 * Result of {@link evaluateClassifier}.
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export interface Evaluation {
  /** Mean sparse categorical cross-entropy (natural log). */
  loss: number;
  /** Fraction of correct predictions, in [0, 1]. */
  accuracy: number;
  /** `[n]` predicted class indices (argmax of the outputs). */
  predictions: Int32Array;
  /** `[n, numClasses]` float32 class probabilities, row-major. */
  probabilities: Float32Array;
  /** `[n]` float32 probability of each predicted class (the model's confidence), in [0, 1]. */
  confidence: Float32Array;
  /** `[numClasses, numClasses]` counts, rows true class, columns predicted. */
  confusion: number[][];
}

/**
 * Evaluates a classifier on labelled images in minibatches (no tensors leak).
 * Outputs are treated as probabilities when the last layer is a softmax, else
 * as logits (softmax applied here).
 * @example
 * ```ts
 * // A model that always predicts class 0 (softmax of zero logits except class 0):
 * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
 * model.layers[1].setWeights([tf.zeros([1, 2]), tf.tensor1d([1, 0])]);
 * const data = { n: 4, pixels: new Uint8Array(4), labels: new Int32Array([0, 0, 1, 0]) };
 * const ev = await evaluateClassifier(model, data);
 * ev.accuracy; // 0.75 (three of four labels are 0)
 * Array.from(ev.predictions); // [0, 0, 0, 0]
 * ev.confusion; // [[3, 0], [1, 0]]
 * // Loss: −ln σ(1) for the three images of class 0, −ln σ(−1) for the other, averaged:
 * ev.loss; // 0.5633
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 * @see [Notebook 05 §5 Save and load](../../notebooks/05-cifar10-cnn.ipynb#5.-Save-and-load)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 */
export async function evaluateClassifier(model: tf.LayersModel, data: LabeledExamples, batchSize = 256): Promise<Evaluation> {
  const fn = 'evaluateClassifier';
  const hwc = inputImageShape(model);
  checkImages(fn, 'data', data, hwc);
  checkInteger(fn, 'batchSize', batchSize, 1);
  if (data.n === 0) throw new ArgumentError(`${fn}: data has no images (n = 0)`);
  const numClasses = model.outputs[0].shape[1]!;
  checkLabels(fn, 'data.labels', data.labels, numClasses);
  const identity = Int32Array.from({ length: data.n }, (_, i) => i);
  const probabilities = await predictInMinibatches(model, data.n, batchSize, (start, end) => {
    const { X, y } = makeBatch(data, hwc, identity, start, end);
    y.dispose();
    return X;
  });
  return evaluationFromProbabilities(fn, probabilities, data.labels, numClasses);
}

/**
 * Class probabilities of n examples, minibatch by minibatch (no tensors
 * leak; the event loop runs between minibatches, so an interrupt or a
 * display message gets through). Outputs are treated as probabilities when
 * the model's last layer is a softmax, else as logits (softmax applied here).
 * @param model - output `[batch, numClasses]`.
 * @param n - number of examples.
 * @param batchSize - examples per minibatch.
 * @param inputs - builds the model's input for examples `[start, end)`; this function disposes it.
 * @returns `[n, numClasses]` float32, row-major.
 */
export async function predictInMinibatches(model: tf.LayersModel, n: number, batchSize: number, inputs: (start: number, end: number) => tf.Tensor): Promise<Float32Array> {
  const numClasses = model.outputs[0].shape[1]!;
  const logits = outputActivation(model) !== 'softmax';
  const probabilities = new Float32Array(n * numClasses); // [n, numClasses]
  const pause = eventLoopPauser();
  for (let start = 0; start < n; start += batchSize) {
    await pause(); // let an interrupt or a display message through
    const end = Math.min(start + batchSize, n);
    const X = inputs(start, end);
    const p = tf.tidy(() => {
      const out = model.predict(X) as tf.Tensor2D; // [batch, numClasses]
      return logits ? tf.softmax(out) : out;
    });
    probabilities.set(p.dataSync() as Float32Array, start * numClasses);
    tf.dispose([X, p]);
  }
  return probabilities;
}

/**
 * The {@link Evaluation} of class probabilities that were computed elsewhere:
 * e.g. the mean of several models' probabilities (an ensemble), or a model's
 * outputs saved earlier. Predictions are the argmax (ties to the lower class
 * index), the loss is the mean cross-entropy −ln p(true class) with
 * probabilities clipped to [1e-7, 1 − 1e-7] as Keras and TF.js clip them.
 *
 * @param yTrue - `[n]` true class indices in [0, numClasses).
 * @param probabilities - `[n, numClasses]` float32 class probabilities, row-major (each row sums to 1).
 * @param numClasses - classes per row, an integer ≥ 2.
 * @throws {ArgumentError} when numClasses is not an integer ≥ 2, yTrue is empty or holds a label
 *   outside [0, numClasses), or probabilities does not hold n · numClasses finite numbers in [0, 1].
 * @example
 * ```ts
 * const ev = evaluateProbabilities([0, 1, 1], Float32Array.from([0.8, 0.2, 0.3, 0.7, 0.6, 0.4]), 2);
 * ev.accuracy; // 0.6667 (the third image is wrong)
 * Array.from(ev.predictions); // [0, 1, 0]
 * ev.confusion; // [[1, 0], [1, 1]]
 * // Loss: the mean of −ln 0.8, −ln 0.7 and −ln 0.4 (the probabilities of the true classes):
 * ev.loss; // 0.4987
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export function evaluateProbabilities(yTrue: ArrayLike<number>, probabilities: Float32Array, numClasses: number): Evaluation {
  const fn = 'evaluateProbabilities';
  checkInteger(fn, 'numClasses', numClasses, 2);
  if (yTrue === null || typeof yTrue !== 'object' || typeof yTrue.length !== 'number' || yTrue.length === 0) {
    throw new ArgumentError(`${fn}: yTrue must be a non-empty array of class indices, got ${describe(yTrue)}`);
  }
  checkLabels(fn, 'yTrue', yTrue, numClasses);
  if (!(probabilities instanceof Float32Array) || probabilities.length !== yTrue.length * numClasses) {
    throw new ArgumentError(`${fn}: probabilities must be a Float32Array of n · numClasses = ${yTrue.length * numClasses} values ([n, numClasses] row-major), got ${describe(probabilities)}`);
  }
  const bad = probabilities.findIndex((p) => !(p >= 0 && p <= 1));
  if (bad >= 0) throw new ArgumentError(`${fn}: probabilities must lie in [0, 1], got ${probabilities[bad]} at index ${bad} (row ${Math.floor(bad / numClasses)})`);
  return evaluationFromProbabilities(fn, probabilities, Int32Array.from(yTrue), numClasses); // labels checked: integers
}

/**
 * The {@link Evaluation} of class probabilities against true labels: argmax
 * predictions, their confidence, accuracy, the mean cross-entropy (with the
 * probabilities clipped to [1e-7, 1 − 1e-7], as Keras and TF.js do) and the
 * confusion matrix. Every evaluator of a classifier ends here.
 * @param fn - the calling function's name, for messages.
 * @param probabilities - `[n, numClasses]` float32, row-major, each row summing to 1.
 * @param labels - `[n]` int32 true class indices.
 * @throws {ArgumentError} when the lengths do not match or a label is out of range.
 * @example
 * ```ts
 * const ev = evaluationFromProbabilities('f', new Float32Array([0.9, 0.1, 0.4, 0.6]), new Int32Array([0, 0]), 2);
 * Array.from(ev.predictions); // [0, 1]
 * ev.accuracy; // 0.5
 * // Loss: the mean of −ln 0.9 and −ln 0.4.
 * ev.loss; // 0.5108
 * ```
 */
export function evaluationFromProbabilities(fn: string, probabilities: Float32Array, labels: Int32Array, numClasses: number): Evaluation {
  const n = labels.length;
  if (probabilities.length !== n * numClasses) throw new ArgumentError(`${fn}: ${probabilities.length} probabilities for ${n} labels of ${numClasses} classes; expected ${n * numClasses}`);
  checkLabels(fn, 'labels', labels, numClasses);
  const predictions = new Int32Array(n);
  const confidence = new Float32Array(n);
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    predictions[i] = best;
    confidence[i] = probabilities[i * numClasses + best];
    if (best === labels[i]) correct++;
    // Same clipping as Keras/TF.js: probabilities in [1e-7, 1 - 1e-7].
    lossSum -= Math.log(Math.min(Math.max(probabilities[i * numClasses + labels[i]], 1e-7), 1 - 1e-7));
  }
  return {
    loss: lossSum / n,
    accuracy: correct / n,
    predictions,
    probabilities,
    confidence,
    confusion: confusionMatrix(labels, predictions, numClasses),
  };
}

/**
 * Trains a compiled classifier (see `compileClassifier`) with minibatch
 * gradient descent: each epoch shuffles the training set (seeded), runs one
 * optimizer step per minibatch, and evaluates on `options.validation`.
 * Epoch loss and accuracy are means over minibatches weighted by their size,
 * so the last partial minibatch counts for what it holds.
 *
 * @param model - a compiled `tf.LayersModel` with input `[batch, height, width, channels]`.
 * @param train - training images (`pixels` `[n, height, width, channels]` uint8 NHWC, `labels` `[n]` int32).
 * @throws {ArgumentError} on bad options or data whose size does not match the model's input.
 * @throws {NonFiniteLossError} when a minibatch's loss is NaN or infinite (the
 *   message names the epoch and minibatch), or a weight is after an epoch;
 *   no tensors are left behind.
 * @example
 * ```ts
 * const data = await loadCifar10({ trainSize: 256, testSize: 128 }); // DL_COURSE_CIFAR10 or the download
 * const model = compileClassifier(buildCifar10Cnn({ seed: 0 }));
 * const { history, imagesPerSecond } = await trainClassifier(model, data.train, { epochs: 2, batchSize: 32, validation: data.test, progress: 'none' });
 * history.length; // 2
 * history[1].loss < history[0].loss; // true (it learns)
 * imagesPerSecond > 0; // true
 * ```
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 * @see [Notebook 05 §3 Training](../../notebooks/05-cifar10-cnn.ipynb#3.-Training)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 */
export async function trainClassifier(model: tf.LayersModel, train: LabeledExamples, options: TrainOptions = {}): Promise<TrainResult> {
  const fn = 'trainClassifier';
  const epochs = checkInteger(fn, 'options.epochs', options.epochs ?? 10, 1);
  const batchSize = checkInteger(fn, 'options.batchSize', options.batchSize ?? 32, 1);
  const seed = checkInteger(fn, 'options.seed', options.seed ?? 0, 0);
  if (!model.optimizer) throw new ArgumentError(`${fn}: the model is not compiled; call compileClassifier(model) first`);
  const targets = options.targets ?? modelLabelFormat(model);
  if (targets !== 'sparse' && targets !== 'one-hot') throw new ArgumentError(`${fn}: options.targets must be 'sparse' or 'one-hot', got ${describe(targets)}`);
  const hwc = inputImageShape(model);
  const numClasses = model.outputs[0].shape[1]!;
  checkImages(fn, 'train', train, hwc);
  if (train.n === 0) throw new ArgumentError(`${fn}: train has no images (n = 0)`);
  checkLabels(fn, 'train.labels', train.labels, numClasses);
  const validation = options.validation;
  if (validation) {
    checkImages(fn, 'options.validation', validation, hwc);
    checkLabels(fn, 'options.validation.labels', validation.labels, numClasses);
  }

  // One minibatch buffer for the whole run on wasm, which copies tensor
  // values into its heap (cpu and tfjs-node keep the array itself).
  const buffer = tf.getBackend() === 'wasm' ? new Float32Array(Math.min(batchSize, train.n) * hwc[0] * hwc[1] * hwc[2]) : undefined;
  let order: Int32Array = new Int32Array(0);
  const augment = options.augment;
  if (augment !== undefined && typeof augment !== 'function') throw new ArgumentError(`${fn}: options.augment must be a function (pixels, shape, seed) => pixels, e.g. cropFlipAugmenter(), got ${describe(augment)}`);
  const schedule = options.learningRateSchedule;
  if (schedule !== undefined && typeof schedule !== 'function') throw new ArgumentError(`${fn}: options.learningRateSchedule must be a function step => learning rate, e.g. cosineDecay({ initial: 1e-3, totalSteps: 100 }), got ${describe(schedule)}`);
  // Adam, RMSprop… read the field at each step; SGD and momentum keep it as a tensor, set by setLearningRate.
  const optimizer = model.optimizer as unknown as { learningRate?: unknown; setLearningRate?: (rate: number) => void };
  const setRate = (rate: number) => (typeof optimizer.setLearningRate === 'function' ? optimizer.setLearningRate(rate) : (optimizer.learningRate = rate));
  const compiledRate = optimizer.learningRate;
  if (schedule !== undefined && typeof compiledRate !== 'number') {
    throw new ArgumentError(`${fn}: options.learningRateSchedule needs an optimizer with a numeric learningRate (tf.train.sgd, momentum, adam, rmsprop...), got ${model.optimizer.getClassName()}`);
  }
  const stepsPerEpoch = Math.ceil(train.n / batchSize);
  const identity = augment ? Int32Array.from({ length: Math.min(batchSize, train.n) }, (_, i) => i) : new Int32Array(0);
  const result = await runTrainingLoop({
    fn,
    epochs,
    steps: stepsPerEpoch,
    progress: options.progress ?? 'auto',
    title: 'Training (live)',
    signal: options.signal,
    onEpochEnd: options.onEpochEnd,
    beginEpoch: (epoch) => {
      order = shuffledIndices(train.n, (seed + epoch) >>> 0);
    },
    step: async (epoch, b) => {
      const start = b * batchSize;
      const end = Math.min(start + batchSize, train.n);
      const { X, y } = augment
        ? makeBatch(augmentedMinibatch(fn, train, hwc, order, start, end, augment, minibatchSeed(seed, epoch, b)), hwc, identity, 0, end - start, targets, numClasses, buffer)
        : makeBatch(train, hwc, order, start, end, targets, numClasses, buffer);
      try {
        if (schedule !== undefined) {
          const step = (epoch - 1) * stepsPerEpoch + b;
          const rate = schedule(step);
          if (typeof rate !== 'number' || !(rate >= 0) || !Number.isFinite(rate)) {
            throw new ArgumentError(`${fn}: options.learningRateSchedule(${step}) must return a finite number >= 0, got ${describe(rate)}`);
          }
          setRate(rate);
        }
        const values = await model.trainOnBatch(X, y);
        const [loss, accuracy] = Array.isArray(values) ? values : [values, NaN];
        return { loss, accuracy, size: end - start };
      } catch (err) {
        throw outOfMemory(fn, err, batchSize) ?? err;
      } finally {
        tf.dispose([X, y]);
      }
    },
    nonFiniteParameter: () => nonFiniteWeight(model),
    validate: async () => (validation && validation.n > 0 ? evaluateClassifier(model, validation) : undefined),
  }).finally(() => {
    if (schedule !== undefined) setRate(compiledRate as number);
  });
  const out: TrainResult = { history: result.history, trainSeconds: result.trainSeconds, imagesPerSecond: result.examplesPerSecond };
  if (result.stopped !== undefined) out.stopped = result.stopped;
  return out;
}
