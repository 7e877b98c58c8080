/**
 * Training the from-scratch MLP of chapter 04 (notebooks/04-mlp-maths.ipynb):
 * minibatch gradient descent with our own backpropagation (mlp.ts) and
 * optimizers (optimizers.ts), no autograd and no `model.fit`. The notebook and
 * the test that checks its stated accuracy (test/train/train_mlp.test.ts) both
 * call {@link trainMlp} with `CHAPTER04_CONFIG` (config.ts); the loop itself is
 * loop.ts, shared with `trainClassifier`. Goodfellow, Bengio &
 * Courville, "Deep Learning" (2016), Algorithm 8.1 (minibatch SGD).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';
import { checkExamples, checkLabels, type LabeledExamples } from '../core/examples';
import type { EpochRecord } from '../core/history';
import { shuffledIndices } from '../core/random';
import { firstNonFinite } from '../core/tensors';
import { gatherMinibatch, minibatchRanges, shuffleSplit } from '../data/minibatch';
import { ACTIVATION_NAMES } from '../nn/activations';
import { confusionMatrix } from '../nn/metrics';
import { createMlp, disposeMlp, mlpLossAndGradients, mlpPredict, type Mlp } from '../nn/mlp';
import { OPTIMIZER_NAMES, createOptimizer } from '../nn/optimizers';
import { CHAPTER04_CONFIG, type MlpTrainConfig } from './config';
import { runTrainingLoop } from './loop';
import type { ProgressMode } from './progress';

/** Options of {@link trainMlp} that are not hyperparameters. */
export interface TrainMlpOptions {
  /** How to show progress (see {@link ProgressMode}). @default 'auto' */
  progress?: ProgressMode;
  /** Called after each epoch with its record. */
  onEpochEnd?: (record: EpochRecord) => void;
  /** Stops training at the next minibatch when aborted; the MLP and history so far are returned, with `stopped` saying where. */
  signal?: AbortSignal;
  /**
   * What each uint8 pixel is multiplied by to make the inputs: 1/255 scales
   * them to [0, 1]; 1 feeds the raw values 0–255 (chapter 03 compares the
   * two). Used for training, validation and the test evaluation.
   * @default 1 / 255
   */
  pixelScale?: number;
}

/** What {@link trainMlp} returns. */
export interface TrainMlpResult {
  /** The trained MLP (dispose it with `disposeMlp` when done). */
  mlp: Mlp;
  /** One record per epoch: training loss and accuracy (means weighted by minibatch size), validation loss and accuracy. */
  history: EpochRecord[];
  /** Evaluation on the test examples, if given. */
  test?: MlpEvaluation;
  /** Wall time of the optimizer steps (without validation and the test evaluation), seconds. */
  seconds: number;
  /** The configuration used. */
  config: MlpTrainConfig;
  /** Set when `options.signal` stopped training early: where it stopped. */
  stopped?: string;
}

/** Result of {@link evaluateMlp}. */
export interface MlpEvaluation {
  /** Mean sparse categorical cross-entropy (natural log). */
  loss: number;
  /** Fraction classified correctly, in [0, 1]. */
  accuracy: number;
  /** `[n]` int32 predicted classes. */
  predictions: Int32Array;
  /** `[numClasses, numClasses]` counts, rows true class, columns predicted. */
  confusion: number[][];
}

function checkConfig(fn: string, config: MlpTrainConfig): MlpTrainConfig {
  if (config === null || typeof config !== 'object') throw new ArgumentError(`${fn}: config must be an object, got ${describe(config)}`);
  if (!Array.isArray(config.hiddenUnits)) throw new ArgumentError(`${fn}: config.hiddenUnits must be an array of layer sizes, got ${describe(config.hiddenUnits)}`);
  config.hiddenUnits.forEach((u, i) => checkInteger(fn, `config.hiddenUnits[${i}]`, u, 1));
  if (!(ACTIVATION_NAMES as readonly unknown[]).includes(config.hiddenActivation)) {
    throw new ArgumentError(`${fn}: config.hiddenActivation must be one of ${ACTIVATION_NAMES.join(', ')}, got ${describe(config.hiddenActivation)}`);
  }
  if (!(OPTIMIZER_NAMES as readonly unknown[]).includes(config.optimizer)) {
    throw new ArgumentError(`${fn}: config.optimizer must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${describe(config.optimizer)}`);
  }
  checkPositive(fn, 'config.learningRate', config.learningRate);
  checkInteger(fn, 'config.epochs', config.epochs, 1);
  checkInteger(fn, 'config.batchSize', config.batchSize, 1);
  checkInteger(fn, 'config.seed', config.seed, 0, 2 ** 32 - 1 - 1000);
  if (typeof config.validationFraction !== 'number' || !(config.validationFraction >= 0 && config.validationFraction < 1)) {
    throw new ArgumentError(`${fn}: config.validationFraction must be a number in [0, 1), got ${describe(config.validationFraction)}`);
  }
  return { ...config, hiddenUnits: [...config.hiddenUnits] };
}

/** Inputs in [0, 1] rescaled to pixel · pixelScale: `X` itself for 1/255, else a new tensor (the caller disposes both). */
function rescale(X: tf.Tensor2D, pixelScale: number): tf.Tensor2D {
  return pixelScale === 1 / 255 ? X : tf.mul(X, pixelScale * 255);
}

function featuresOf(fn: string, arg: string, data: LabeledExamples): number {
  const features = checkExamples(fn, arg, data);
  if (data.n < 1) throw new ArgumentError(`${fn}: ${arg} has no examples (n = 0)`);
  return features;
}

/**
 * Evaluates an MLP on examples in chunks (no tensor leaks).
 * @param data - `pixels` `[n, features]` uint8, `labels` `[n]` int32.
 * @param indices - which examples. @default all, in order
 * @param chunk - examples per forward pass. @default 1000
 * @param pixelScale - what each uint8 pixel is multiplied by (see {@link TrainMlpOptions.pixelScale}). @default 1 / 255
 * @example
 * ```ts
 * const data = { n: 4, pixels: new Uint8Array([0, 255, 255, 0, 10, 250, 240, 20]), labels: new Int32Array([1, 0, 1, 0]) };
 * const ev = evaluateMlp(createMlp([2, 3, 2]), data);
 * ev.predictions.length; // 4
 * ev.confusion.flat().reduce((a, b) => a + b, 0); // 4 (every example counted once)
 * ```
 */
export function evaluateMlp(mlp: Mlp, data: LabeledExamples, indices?: ArrayLike<number>, chunk = 1000, pixelScale = 1 / 255): MlpEvaluation {
  const fn = 'evaluateMlp';
  featuresOf(fn, 'data', data);
  checkInteger(fn, 'chunk', chunk, 1);
  checkPositive(fn, 'pixelScale', pixelScale);
  const order = indices ?? Int32Array.from({ length: data.n }, (_, i) => i);
  const numClasses = mlp.layerSizes[mlp.layerSizes.length - 1];
  const predictions = new Int32Array(order.length);
  const trueLabels = new Int32Array(order.length);
  let lossSum = 0;
  for (const [start, end] of minibatchRanges(order.length, chunk)) {
    const { X, y } = gatherMinibatch(data, order, start, end);
    const [pred, loss] = tf.tidy(() => {
      const logits = mlpPredict(mlp, rescale(X, pixelScale)); // [chunk, numClasses]
      const logP = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(tf.oneHot(y, numClasses), logP)); // Σ log p(yᵢ)
      return [tf.argMax(logits, 1), tf.neg(picked)];
    });
    predictions.set(pred.dataSync() as Int32Array, start);
    trueLabels.set(y.dataSync() as Int32Array, start);
    lossSum += loss.dataSync()[0];
    tf.dispose([X, y, pred, loss]);
  }
  let correct = 0;
  for (let i = 0; i < order.length; i++) if (predictions[i] === trueLabels[i]) correct++;
  return {
    loss: lossSum / order.length,
    accuracy: correct / order.length,
    predictions,
    confusion: confusionMatrix(trueLabels, predictions, numClasses),
  };
}

/**
 * Trains a fresh MLP `[features, ...hiddenUnits, numClasses]` on flat examples
 * with our own backpropagation and optimizer: each epoch shuffles the training
 * indices (seed + epoch), runs one step per minibatch (the last, partial one
 * included), and evaluates on the held-out validation examples. Finally it
 * evaluates on `test` if given.
 * @param train - `pixels` `[n, features]` uint8, `labels` `[n]` int32 in [0, numClasses).
 * @param test - evaluated once after training.
 * @param config - hyperparameters. @default `CHAPTER04_CONFIG.full`
 * @param numClasses - output units. @default 10
 * @throws {ArgumentError} when the data or the configuration is invalid.
 * @throws {NonFiniteLossError} when a minibatch's loss becomes NaN or infinite.
 * @example
 * ```ts
 * // Chapter 04: const result = await trainMlp(data.train, data.test, CHAPTER04_CONFIG.full), test accuracy ≥ 0.85.
 * // A tiny problem: the class is 1 when the first pixel is bright.
 * const data = { n: 4, pixels: new Uint8Array([0, 255, 255, 0, 10, 250, 240, 20]), labels: new Int32Array([0, 1, 0, 1]) };
 * const config = { ...CHAPTER04_CONFIG.full, hiddenUnits: [8], learningRate: 0.05, epochs: 30, batchSize: 4, validationFraction: 0 };
 * const result = await trainMlp(data, data, config, { progress: 'none' }, 2);
 * result.history.length; // 30
 * result.test?.accuracy; // 1
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 */
export async function trainMlp(
  train: LabeledExamples,
  test?: LabeledExamples,
  config: MlpTrainConfig = CHAPTER04_CONFIG.full,
  options: TrainMlpOptions = {},
  numClasses = 10,
): Promise<TrainMlpResult> {
  const fn = 'trainMlp';
  const cfg = checkConfig(fn, config);
  const features = featuresOf(fn, 'train', train);
  if (test !== undefined && featuresOf(fn, 'test', test) !== features) {
    throw new ArgumentError(`${fn}: test has ${test.pixels.length / test.n} features per example but train has ${features}`);
  }
  checkInteger(fn, 'numClasses', numClasses, 2);
  const pixelScale = checkPositive(fn, 'options.pixelScale', options.pixelScale ?? 1 / 255);
  checkLabels(fn, 'train.labels', train.labels, numClasses);
  if (test !== undefined) checkLabels(fn, 'test.labels', test.labels, numClasses);

  const split = shuffleSplit(train.n, cfg.validationFraction, cfg.seed);
  if (split.train.length === 0) throw new ArgumentError(`${fn}: no training examples left after holding out ${cfg.validationFraction} of ${train.n} for validation`);
  const mlp = createMlp([features, ...cfg.hiddenUnits, numClasses], { hiddenActivation: cfg.hiddenActivation, seed: cfg.seed });
  const optimizer = createOptimizer(cfg.optimizer, cfg.learningRate);
  const ranges = minibatchRanges(split.train.length, cfg.batchSize);
  let order: Int32Array = new Int32Array(0);
  let loop: Awaited<ReturnType<typeof runTrainingLoop>>;
  try {
    loop = await runTrainingLoop({
      fn,
      epochs: cfg.epochs,
      steps: ranges.length,
      progress: options.progress ?? 'auto',
      title: 'Training the MLP (live)',
      signal: options.signal,
      onEpochEnd: options.onEpochEnd,
      beginEpoch: (epoch) => {
        // Shuffle the training indices again each epoch (the positions in `split.train` are permuted).
        const perm = shuffledIndices(split.train.length, (cfg.seed + epoch) >>> 0);
        order = Int32Array.from(perm, (p) => split.train[p]);
      },
      step: (_epoch, b) => {
        const [start, end] = ranges[b];
        const { X: X01, y } = gatherMinibatch(train, order, start, end); // X01 [batch, features] float32 in [0, 1]
        const X = rescale(X01, pixelScale); // [batch, features] float32, pixel · pixelScale
        try {
          const { loss, accuracy, grads } = mlpLossAndGradients(mlp, X, y);
          if (Number.isFinite(loss)) optimizer.step(mlp.params, grads);
          tf.dispose(Object.values(grads));
          return { loss, accuracy, size: end - start };
        } finally {
          tf.dispose([X01, X, y]);
        }
      },
      nonFiniteParameter: () => firstNonFinite(Object.entries(mlp.params)),
      validate: () => (split.validation.length > 0 ? evaluateMlp(mlp, train, split.validation, 1000, pixelScale) : undefined),
    });
  } catch (err) {
    disposeMlp(mlp);
    throw err;
  } finally {
    optimizer.dispose();
  }
  const result: TrainMlpResult = { mlp, history: loop.history, seconds: loop.trainSeconds, config: cfg };
  if (loop.stopped !== undefined) result.stopped = loop.stopped;
  if (test !== undefined) result.test = evaluateMlp(mlp, test, undefined, 1000, pixelScale);
  return result;
}

