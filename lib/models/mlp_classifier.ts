/**
 * The course's MLP as a TF.js Layers model: flatten the images, Dense layers
 * with ReLU, a Dense output of logits. The same network as chapter 04's
 * from-scratch MLP (lib/nn/mlp.ts), in the form that `trainClassifier`,
 * `forwardFlops`, DP-SGD and the data-parallel workers take.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';

/** Options of {@link buildMlpClassifier}. */
export interface MlpClassifierConfig {
  /** `[height, width, channels]` of one input image (NHWC). */
  inputShape: [number, number, number];
  /** Units of each hidden layer, e.g. `[128]`. */
  hiddenUnits: number[];
  /** Output units (classes). @default 10 */
  numClasses?: number;
  /** Seed of the Glorot-uniform initial weights (layer k uses seed + k). @default 0 */
  seed?: number;
}

/**
 * Builds the MLP `[batch, h, w, c]` → flatten → (Dense + ReLU) × hidden layers →
 * Dense → `[batch, numClasses]` float32 logits (no softmax: compile it with
 * `compileClassifier(model, { fromLogits: true })`, or train it with
 * `trainDpSgd`). Biases start at 0.
 * @throws {ArgumentError} when a shape entry, a unit count or the seed is not a positive integer (seed ≥ 0).
 * @example
 * ```ts
 * const model = buildMlpClassifier({ inputShape: [28, 28, 1], hiddenUnits: [128] });
 * model.countParams(); // 101770 (784·128 + 128 + 128·10 + 10)
 * model.outputs[0].shape; // [null, 10]
 * ```
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 09 §2 DP-SGD: clip each example, add noise](../../notebooks/09-summary-and-challenges.ipynb#2.-DP-SGD:-clip-each-example,-add-noise)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 * @see [Notebook 10 §2 Data-parallel training, for real](../../notebooks/10-questions-and-efficiency.ipynb#2.-Data-parallel-training,-for-real)
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export function buildMlpClassifier(config: MlpClassifierConfig): tf.LayersModel {
  const fn = 'buildMlpClassifier';
  if (config == null || !Array.isArray(config.inputShape) || config.inputShape.length !== 3) {
    throw new ArgumentError(`${fn}: config.inputShape must be [height, width, channels], got ${describe(config?.inputShape)}`);
  }
  config.inputShape.forEach((d, i) => checkInteger(fn, `config.inputShape[${i}]`, d, 1));
  if (!Array.isArray(config.hiddenUnits)) throw new ArgumentError(`${fn}: config.hiddenUnits must be an array of unit counts, got ${describe(config.hiddenUnits)}`);
  config.hiddenUnits.forEach((u, i) => checkInteger(fn, `config.hiddenUnits[${i}]`, u, 1));
  const numClasses = checkInteger(fn, 'config.numClasses', config.numClasses ?? 10, 2);
  const seed = checkInteger(fn, 'config.seed', config.seed ?? 0, 0, 2 ** 31 - 1 - config.hiddenUnits.length);
  const layers: tf.layers.Layer[] = [tf.layers.flatten({ inputShape: config.inputShape })];
  config.hiddenUnits.forEach((units, k) => layers.push(tf.layers.dense({ units: units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + k }) })));
  layers.push(tf.layers.dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + config.hiddenUnits.length }) }));
  return tf.sequential({ name: 'mlp_classifier', layers: layers });
}
