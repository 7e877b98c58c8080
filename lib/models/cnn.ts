/**
 * The CIFAR-10 tutorial CNN: two 3×3 convolutions with max pooling, then two
 * dense layers (TensorFlow's "Convolutional Neural Network (CNN)" tutorial,
 * tensorflow.org/tutorials/images/cnn), written for TF.js layers in NHWC.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';
import type { LabelFormat } from '../nn/metrics';
import { guardImageInput } from './input_guard';

/** Hyperparameters of {@link buildCifar10Cnn}. */
export interface CnnConfig {
  /** Input height in pixels. @default 32 */
  height?: number;
  /** Input width in pixels. @default 32 */
  width?: number;
  /** Input channels (3 for RGB). @default 3 */
  channels?: number;
  /** Number of classes, the length of the output vector. @default 10 */
  numClasses?: number;
  /** Seed for the weight initializers, for reproducible runs. @default undefined (random) */
  seed?: number;
  /** Filters of the two convolutions. @default [32, 64] */
  filters?: [number, number];
  /** Units of the hidden dense layer. @default 64 */
  denseUnits?: number;
  /**
   * Width multiplier m of the whole network (chapter 07's scaling experiment):
   * filters `[round(32m), round(64m)]` and `round(64m)` dense units, each at
   * least 1. Not together with `filters` or `denseUnits`. @default 1
   */
  widthMultiplier?: number;
  /**
   * Activation of the last layer: 'softmax' (outputs are probabilities;
   * compile with `fromLogits: false`) or 'linear' (outputs are logits;
   * compile with `fromLogits: true`). @default 'softmax'
   */
  outputActivation?: 'softmax' | 'linear';
}

/**
 * Builds the tutorial CNN (167,562 parameters for 32×32×3 input and 10 classes):
 *
 * `[batch, 32, 32, 3]` → Conv2D(32, 3×3, ReLU) → MaxPool 2×2 → Conv2D(64, 3×3,
 * ReLU) → MaxPool 2×2 → Flatten → Dense(64, ReLU) → Dense(10, softmax) →
 * `[batch, 10]` float32 class probabilities (each row sums to 1).
 *
 * The model is not compiled; use {@link compileClassifier}.
 *
 * @throws {ArgumentError} when a size is not a positive integer or the input is
 *   too small for two conv + pool stages (height and width must be ≥ 10).
 * @example
 * ```ts
 * const model = buildCifar10Cnn();
 * model.countParams(); // 167562
 * model.outputs[0].shape; // [null, 10]
 * // Chapter 05's exercises: logits out, or twice the filters (3·3·3·64 + 64 + 3·3·64·128 + 128 + 4608·64 + 64 + 64·10 + 10):
 * outputActivation(buildCifar10Cnn({ outputActivation: 'linear' })); // 'linear'
 * buildCifar10Cnn({ filters: [64, 128] }).countParams(); // 371274
 * // Half the width everywhere: filters [16, 32], 32 dense units (3·3·3·16 + 16 + 3·3·16·32 + 32 + 1152·32 + 32 + 32·10 + 10):
 * buildCifar10Cnn({ widthMultiplier: 0.5 }).countParams(); // 42314
 * buildCifar10Cnn({ widthMultiplier: 2, filters: [8, 8] }); // throws ArgumentError: buildCifar10Cnn: config.widthMultiplier cannot be combined with config.filters or config.denseUnits
 * ```
 * @see [Notebook 01 §2 The small end: the CNN of chapter 05](../../notebooks/01-background.ipynb#2.-The-small-end:-the-CNN-of-chapter-05)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 05 §6 The `from_logits` mistake](../../notebooks/05-cifar10-cnn.ipynb#6.-The-from_logits-mistake)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 07 §2 The experiment: one CNN family, four widths, four training-set sizes](../../notebooks/07-outlook.ipynb#2.-The-experiment:-one-CNN-family,-four-widths,-four-training-set-sizes)
 * @see [Notebook 08 §2 The `from_logits` mistake, measured](../../notebooks/08-tools-and-resources.ipynb#2.-The-from_logits-mistake,-measured)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 */
export function buildCifar10Cnn(config: CnnConfig = {}): tf.LayersModel {
  const fn = 'buildCifar10Cnn';
  const height = checkInteger(fn, 'config.height', config.height ?? 32, 1);
  const width = checkInteger(fn, 'config.width', config.width ?? 32, 1);
  const channels = checkInteger(fn, 'config.channels', config.channels ?? 3, 1);
  const numClasses = checkInteger(fn, 'config.numClasses', config.numClasses ?? 10, 2);
  if (height < 10 || width < 10) {
    throw new ArgumentError(`${fn}: config.height and config.width must be >= 10 for two conv+pool stages, got ${height}x${width}`);
  }
  const seed = config.seed;
  if (seed !== undefined) checkInteger(fn, 'config.seed', seed, 0);
  let scaled: { filters: [number, number]; denseUnits: number } | undefined;
  if (config.widthMultiplier !== undefined) {
    const m = checkPositive(fn, 'config.widthMultiplier', config.widthMultiplier);
    if (config.filters !== undefined || config.denseUnits !== undefined) throw new ArgumentError(`${fn}: config.widthMultiplier cannot be combined with config.filters or config.denseUnits`);
    const times = (units: number) => Math.max(1, Math.round(units * m));
    scaled = { filters: [times(32), times(64)], denseUnits: times(64) };
  }
  const filters = scaled?.filters ?? config.filters ?? [32, 64];
  if (!Array.isArray(filters) || filters.length !== 2) throw new ArgumentError(`${fn}: config.filters must be [conv1, conv2] filter counts, got ${describe(filters)}`);
  filters.forEach((f, i) => checkInteger(fn, `config.filters[${i}]`, f, 1));
  const denseUnits = checkInteger(fn, 'config.denseUnits', scaled?.denseUnits ?? config.denseUnits ?? 64, 1);
  const last = config.outputActivation ?? 'softmax';
  if (last !== 'softmax' && last !== 'linear') throw new ArgumentError(`${fn}: config.outputActivation must be 'softmax' or 'linear', got ${describe(last)}`);
  // Each layer gets its own seed so that layers do not share initial weights.
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + i });

  const model = tf.sequential({ name: 'cifar10_cnn' });
  model.add(tf.layers.conv2d({ inputShape: [height, width, channels], filters: filters[0], kernelSize: 3, activation: 'relu', kernelInitializer: init(1), name: 'conv1' })); // [batch, H-2, W-2, 32]
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' })); // [batch, (H-2)/2, (W-2)/2, 32]
  model.add(tf.layers.conv2d({ filters: filters[1], kernelSize: 3, activation: 'relu', kernelInitializer: init(2), name: 'conv2' })); // [batch, ., ., 64]
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' })); // [batch, 6, 6, 64] for 32×32 input
  model.add(tf.layers.flatten({ name: 'flatten' })); // [batch, 2304]
  model.add(tf.layers.dense({ units: denseUnits, activation: 'relu', kernelInitializer: init(3), name: 'dense1' })); // [batch, 64]
  model.add(tf.layers.dense({ units: numClasses, activation: last, kernelInitializer: init(4), name: last === 'softmax' ? 'probabilities' : 'logits' })); // [batch, numClasses]
  return guardImageInput(model); // a clear error for channels-first images
}

/** Options of {@link compileClassifier}. */
export interface CompileOptions {
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /**
   * Whether the model outputs logits (unnormalised scores) rather than
   * probabilities. The tutorial's `from_logits=True` after a softmax layer is
   * a mistake: softmax would be applied twice. This function refuses it.
   * @default false
   */
  fromLogits?: boolean;
}

/**
 * Compiles a classifier with Adam and sparse categorical cross-entropy
 * (integer labels `[batch]`), tracking accuracy.
 *
 * @throws {ArgumentError} when `fromLogits` is true but the last layer already
 *   applies softmax (the tutorial's mistake: softmax applied twice), or when
 *   `fromLogits` is false but the last layer does not end in softmax (the
 *   outputs would not be probabilities).
 * @example
 * ```ts
 * const model = buildCifar10Cnn();
 * compileClassifier(model, { learningRate: 1e-3 });
 * compileClassifier(model, { fromLogits: true }); // throws ArgumentError: ... softmax ...
 * ```
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 * @see [Notebook 05 §3 Training](../../notebooks/05-cifar10-cnn.ipynb#3.-Training)
 * @see [Notebook 05 §6 The `from_logits` mistake](../../notebooks/05-cifar10-cnn.ipynb#6.-The-from_logits-mistake)
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c §4 The model: the chapter-05 CNN on spectrograms](../../notebooks/06c-voice-assistant.ipynb#4.-The-model:-the-chapter-05-CNN-on-spectrograms)
 * @see [Notebook 08 §2 The `from_logits` mistake, measured](../../notebooks/08-tools-and-resources.ipynb#2.-The-from_logits-mistake,-measured)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export function compileClassifier(model: tf.LayersModel, options: CompileOptions = {}): tf.LayersModel {
  const fn = 'compileClassifier';
  const learningRate = checkPositive(fn, 'options.learningRate', options.learningRate ?? 1e-3);
  const fromLogits = options.fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') {
    throw new ArgumentError(`${fn}: options.fromLogits must be a boolean, got ${describe(fromLogits)}`);
  }
  const lastActivation = outputActivation(model);
  if (fromLogits && lastActivation === 'softmax') {
    throw new ArgumentError(
      `${fn}: options.fromLogits is true but the model's last layer applies softmax, so its outputs are ` +
        `probabilities, not logits; softmax would be applied twice and training would stall. ` +
        `Either pass fromLogits: false, or remove the softmax from the last layer.`,
    );
  }
  if (!fromLogits && lastActivation !== 'softmax') {
    throw new ArgumentError(
      `${fn}: options.fromLogits is false but the model's last layer has activation '${lastActivation}', not softmax; ` +
        `its outputs are logits. Pass fromLogits: true or end the model with a softmax.`,
    );
  }
  // TF.js accepts class-index ("sparse") targets only for its own
  // sparseCategoricalCrossentropy, which takes probabilities. A model that
  // outputs logits therefore trains on one-hot targets: its loss is
  // categoricalCrossentropyFromLogits, which modelLabelFormat reads.
  // Recompiling replaces the optimizer: free the one this function made before.
  const owned = model as unknown as { optimizer_?: tf.Optimizer; isOptimizerOwned?: boolean };
  if (owned.isOptimizerOwned && owned.optimizer_) owned.optimizer_.dispose();
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: fromLogits ? categoricalCrossentropyFromLogits : 'sparseCategoricalCrossentropy',
    metrics: [fromLogits ? oneHotAccuracy : sparseAccuracy],
  });
  // TF.js frees an optimizer with its model only when it created it from a
  // name; this one is ours, so `model.dispose()` must free its moments too
  // (otherwise each rerun of a notebook cell leaks Adam's 2 tensors per weight).
  owned.isOptimizerOwned = true;
  return model;
}

/**
 * The loss {@link compileClassifier} gives a model that outputs logits:
 * softmax cross-entropy of `[batch, numClasses]` float32 one-hot targets and
 * `[batch, numClasses]` float32 logits (`tf.losses.softmaxCrossEntropy`), a
 * scalar mean over the minibatch.
 * @example
 * ```ts
 * categoricalCrossentropyFromLogits(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]])).dataSync()[0]; // 0.6931 (ln 2)
 * ```
 */
export function categoricalCrossentropyFromLogits(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.losses.softmaxCrossEntropy(yTrue, yPred);
}

/**
 * The target format a compiled model trains on, read from its loss: class
 * indices `[batch]` ('sparse') for `'sparseCategoricalCrossentropy'`, one-hot
 * rows `[batch, numClasses]` ('one-hot') for `'categoricalCrossentropy'` and
 * {@link categoricalCrossentropyFromLogits}. `trainClassifier` builds its
 * minibatches accordingly unless told otherwise (its `targets` option).
 * @throws {ArgumentError} when the model is not compiled, or its loss is another
 *   function (then pass `targets` to `trainClassifier`).
 * @example
 * ```ts
 * modelLabelFormat(compileClassifier(buildCifar10Cnn())); // 'sparse'
 * ```
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export function modelLabelFormat(model: tf.LayersModel): LabelFormat {
  const fn = 'modelLabelFormat';
  const loss = (model as unknown as { loss?: unknown }).loss;
  if (loss === undefined) throw new ArgumentError(`${fn}: the model is not compiled; call compileClassifier(model) first`);
  if (loss === 'sparseCategoricalCrossentropy') return 'sparse';
  if (loss === 'categoricalCrossentropy' || loss === categoricalCrossentropyFromLogits) return 'one-hot';
  throw new ArgumentError(
    `${fn}: cannot tell the target format from the model's loss ${describe(loss)}; ` +
      `pass options.targets: 'sparse' (class indices [batch]) or 'one-hot' ([batch, numClasses]) to trainClassifier`,
  );
}

// Accuracy with one-hot targets: argmax of the targets vs argmax of the outputs.
function oneHotAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32')));
}

// Accuracy with class-index targets; argmax is the same for logits and probabilities.
function sparseAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), tf.argMax(yPred, -1)), 'float32')));
}

/**
 * Name of the activation of the model's last layer ('linear' when it has none).
 * @example
 * ```ts
 * outputActivation(buildCifar10Cnn()); // 'softmax'
 * outputActivation(tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3 })] })); // 'linear'
 * ```
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 */
export function outputActivation(model: tf.LayersModel): string {
  const last = model.layers[model.layers.length - 1];
  const config = last.getConfig() as { activation?: string };
  if (last.getClassName() === 'Activation' || config.activation !== undefined) return config.activation ?? 'linear';
  if (last.getClassName() === 'Softmax') return 'softmax';
  return 'linear';
}

/** One row of {@link layerSummary}. */
export interface LayerRow {
  /** Layer name, e.g. `conv1`. */
  name: string;
  /** Layer class, e.g. `Conv2D`. */
  type: string;
  /** Output shape with `null` for the batch dimension, e.g. `[null, 30, 30, 32]`. */
  outputShape: (number | null)[];
  /** Trainable and non-trainable parameters of this layer. */
  params: number;
}

/**
 * Parameters per layer, for a table or a bar chart.
 * @example
 * ```ts
 * layerSummary(buildCifar10Cnn())[0]; // { name: 'conv1', type: 'Conv2D', outputShape: [null, 30, 30, 32], params: 896 }
 * ```
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c §4 The model: the chapter-05 CNN on spectrograms](../../notebooks/06c-voice-assistant.ipynb#4.-The-model:-the-chapter-05-CNN-on-spectrograms)
 */
export function layerSummary(model: tf.LayersModel): LayerRow[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: layer.outputShape as (number | null)[],
    params: layer.countParams(),
  }));
}
