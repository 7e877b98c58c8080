/**
 * Training the from-scratch MLP of chapter 04 (notebooks/04-mlp-maths.ipynb):
 * minibatch gradient descent with our own backpropagation (mlp.ts) and
 * optimizers (optimizers.ts), no autograd and no `model.fit`. The notebook and
 * the test that checks its stated accuracy (test/mlp/train_mlp.test.ts) both
 * call {@link trainMlp} with {@link CHAPTER04_MLP_CONFIG}. Goodfellow, Bengio &
 * Courville, "Deep Learning" (2016), Algorithm 8.1 (minibatch SGD).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteLossError, checkInteger, checkPositive, describe } from '../errors';
import { confusionMatrix } from '../metrics';
import { escapeHtml, inNotebook, liveOutput } from '../notebook';
import { historyFigure, type EpochRecord } from '../plot/charts';
import { figureHtml, loadPlotly, plotlyLoaded } from '../plot/plotly';
import { shuffledIndices } from '../random';
import { ACTIVATION_NAMES, type ActivationName } from './activations';
import { createMlp, disposeMlp, mlpLossAndGradients, mlpPredict, type Mlp } from './mlp';
import { epochMean, gatherMinibatch, minibatchRanges, shuffleSplit, type FlatExamples } from './minibatch';
import { OPTIMIZER_NAMES, createOptimizer, type OptimizerName } from './optimizers';

/** Hyperparameters of {@link trainMlp}, with units. */
export interface MlpTrainConfig {
  /** Units of each hidden layer, e.g. `[128]` for one hidden layer of 128 units. */
  hiddenUnits: number[];
  /** Activation of the hidden layers. */
  hiddenActivation: ActivationName;
  /** `sgd`, `momentum` (μ = 0.9) or `adam` (β₁ = 0.9, β₂ = 0.999, ε = 1e-7). */
  optimizer: OptimizerName;
  /** Step size η of the optimizer. */
  learningRate: number;
  /** Passes over the training examples. */
  epochs: number;
  /** Examples per minibatch (the last one of an epoch may be smaller). */
  batchSize: number;
  /** Fraction of the training examples held out for validation (shuffled first), in [0, 1). */
  validationFraction: number;
  /** Seed of the initial weights, the validation split and each epoch's shuffle. */
  seed: number;
}

/**
 * The chapter-04 configuration: a two-layer MLP 784 → 128 (ReLU) → 10 trained
 * with Adam (η = 10⁻³) on minibatches of 64 for 5 epochs, 10% of the training
 * set held out for validation. On the full Fashion-MNIST it reaches a test
 * accuracy ≥ 0.85 (checked by test/mlp/train_mlp.test.ts).
 * @see [Notebook 04: the maths of an MLP](../../notebooks/04-mlp-maths.ipynb)
 */
export const CHAPTER04_MLP_CONFIG: Readonly<MlpTrainConfig> = Object.freeze({
  hiddenUnits: [128],
  hiddenActivation: 'relu',
  optimizer: 'adam',
  learningRate: 1e-3,
  epochs: 5,
  batchSize: 64,
  validationFraction: 0.1,
  seed: 0,
});

/** Options of {@link trainMlp} that are not hyperparameters. */
export interface TrainMlpOptions {
  /**
   * 'notebook': a live loss/accuracy chart updated in place; 'lines': one line
   * per epoch on stderr; 'none'; 'auto': notebook in a tslab kernel, else lines. @default 'auto'
   */
  progress?: 'auto' | 'notebook' | 'lines' | 'none';
  /** Called after each epoch with its record. */
  onEpochEnd?: (record: EpochRecord) => void;
}

/** What {@link trainMlp} returns. */
export interface TrainMlpResult {
  /** The trained MLP (dispose it with `disposeMlp` when done). */
  mlp: Mlp;
  /** One record per epoch: training loss and accuracy (means weighted by minibatch size), validation loss and accuracy. */
  history: EpochRecord[];
  /** Evaluation on the test examples, if given. */
  test?: MlpEvaluation;
  /** Wall time of training (without the test evaluation), seconds. */
  seconds: number;
  /** The configuration used. */
  config: MlpTrainConfig;
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

function featuresOf(fn: string, arg: string, data: FlatExamples): number {
  if (data == null || !(data.pixels instanceof Uint8Array) || !(data.labels instanceof Int32Array) || !Number.isInteger(data.n) || data.n < 1) {
    throw new ArgumentError(`${fn}: ${arg} must be { n ≥ 1, pixels: Uint8Array, labels: Int32Array }, got ${describe(data)}`);
  }
  const features = data.pixels.length / data.n;
  if (!Number.isInteger(features) || data.labels.length !== data.n) {
    throw new ArgumentError(`${fn}: ${arg} has n = ${data.n}, ${data.pixels.length} pixel values and ${data.labels.length} labels; expected n·features pixels and n labels`);
  }
  return features;
}

/**
 * Evaluates an MLP on examples in chunks (no tensor leaks).
 * @param data - `pixels` `[n, features]` uint8, `labels` `[n]` int32.
 * @param indices - which examples. @default all, in order
 * @param chunk - examples per forward pass. @default 1000
 * @example
 * ```ts
 * const data = { n: 4, pixels: new Uint8Array([0, 255, 255, 0, 10, 250, 240, 20]), labels: new Int32Array([1, 0, 1, 0]) };
 * const ev = evaluateMlp(createMlp([2, 3, 2]), data);
 * ev.predictions.length; // 4
 * ev.confusion.flat().reduce((a, b) => a + b, 0); // 4 (every example counted once)
 * ```
 */
export function evaluateMlp(mlp: Mlp, data: FlatExamples, indices?: ArrayLike<number>, chunk = 1000): MlpEvaluation {
  const fn = 'evaluateMlp';
  featuresOf(fn, 'data', data);
  checkInteger(fn, 'chunk', chunk, 1);
  const order = indices ?? Int32Array.from({ length: data.n }, (_, i) => i);
  const numClasses = mlp.layerSizes[mlp.layerSizes.length - 1];
  const predictions = new Int32Array(order.length);
  const trueLabels = new Int32Array(order.length);
  let lossSum = 0;
  for (const [start, end] of minibatchRanges(order.length, chunk)) {
    const { X, y } = gatherMinibatch(data, order, start, end);
    const [pred, loss] = tf.tidy(() => {
      const logits = mlpPredict(mlp, X); // [chunk, numClasses]
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
 * @param config - hyperparameters. @default {@link CHAPTER04_MLP_CONFIG}
 * @param numClasses - output units. @default 10
 * @throws {ArgumentError} when the data or the configuration is invalid.
 * @throws {NonFiniteLossError} when a minibatch's loss becomes NaN or infinite.
 * @example
 * ```ts
 * // Chapter 04: const result = await trainMlp(data.train, data.test, CHAPTER04_MLP_CONFIG), test accuracy ≥ 0.85.
 * // A tiny problem: the class is 1 when the first pixel is bright.
 * const data = { n: 4, pixels: new Uint8Array([0, 255, 255, 0, 10, 250, 240, 20]), labels: new Int32Array([0, 1, 0, 1]) };
 * const config = { ...CHAPTER04_MLP_CONFIG, hiddenUnits: [8], learningRate: 0.05, epochs: 30, batchSize: 4, validationFraction: 0 };
 * const result = await trainMlp(data, data, config, { progress: 'none' }, 2);
 * result.history.length; // 30
 * result.test?.accuracy; // 1
 * ```
 * @see [Notebook 04: the maths of an MLP](../../notebooks/04-mlp-maths.ipynb)
 */
export async function trainMlp(
  train: FlatExamples,
  test?: FlatExamples,
  config: MlpTrainConfig = CHAPTER04_MLP_CONFIG,
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
  const progress = options.progress ?? 'auto';
  if (!['auto', 'notebook', 'lines', 'none'].includes(progress)) throw new ArgumentError(`${fn}: options.progress must be 'auto', 'notebook', 'lines' or 'none', got ${describe(progress)}`);
  const mode = progress === 'auto' ? (inNotebook() ? 'notebook' : 'lines') : progress;

  const split = shuffleSplit(train.n, cfg.validationFraction, cfg.seed);
  if (split.train.length === 0) throw new ArgumentError(`${fn}: no training examples left after holding out ${cfg.validationFraction} of ${train.n} for validation`);
  const mlp = createMlp([features, ...cfg.hiddenUnits, numClasses], { hiddenActivation: cfg.hiddenActivation, seed: cfg.seed });
  const optimizer = createOptimizer(cfg.optimizer, cfg.learningRate);
  const history: EpochRecord[] = [];
  if (mode === 'notebook' && !plotlyLoaded()) loadPlotly();
  const live = mode === 'notebook' ? liveOutput() : undefined;
  const t0 = performance.now();
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      // Shuffle the training indices again each epoch (the positions in `split.train` are permuted).
      const perm = shuffledIndices(split.train.length, (cfg.seed + epoch) >>> 0);
      const order = Int32Array.from(perm, (p) => split.train[p]);
      const ranges = minibatchRanges(order.length, cfg.batchSize);
      const losses: number[] = [];
      const accuracies: number[] = [];
      const sizes: number[] = [];
      for (const [start, end] of ranges) {
        const { X, y } = gatherMinibatch(train, order, start, end); // X [batch, features] float32 in [0, 1]
        try {
          const { loss, accuracy, grads } = mlpLossAndGradients(mlp, X, y);
          if (!Number.isFinite(loss)) {
            tf.dispose(Object.values(grads));
            throw new NonFiniteLossError(`${fn}: the loss became ${loss} at epoch ${epoch}, examples ${start}..${end - 1} of the shuffled order; lower config.learningRate`);
          }
          optimizer.step(mlp.params, grads);
          tf.dispose(Object.values(grads));
          losses.push(loss);
          accuracies.push(accuracy);
          sizes.push(end - start);
        } finally {
          tf.dispose([X, y]);
        }
      }
      const record: EpochRecord = { epoch, loss: epochMean(losses, sizes), accuracy: epochMean(accuracies, sizes) };
      if (split.validation.length > 0) {
        const val = evaluateMlp(mlp, train, split.validation);
        record.valLoss = val.loss;
        record.valAccuracy = val.accuracy;
      }
      history.push(record);
      const seconds = (performance.now() - t0) / 1000;
      const line =
        `epoch ${epoch}/${cfg.epochs}: loss ${record.loss.toFixed(4)}, accuracy ${record.accuracy.toFixed(4)}` +
        (record.valLoss !== undefined ? `, validation loss ${record.valLoss.toFixed(4)}, validation accuracy ${record.valAccuracy!.toFixed(4)}` : '') +
        ` (${seconds.toFixed(1)} s)`;
      if (mode === 'lines') console.error(`${fn}: ${line}`);
      live?.update({ html: `<div style="font-family:monospace">${escapeHtml(line)}</div>${figureHtml(historyFigure(history, 'Training the MLP (live)'), { height: 320 })}`, text: line });
      options.onEpochEnd?.(record);
      await new Promise((resolve) => setImmediate(resolve)); // let a notebook's display messages go out
    }
  } catch (err) {
    disposeMlp(mlp);
    throw err;
  } finally {
    optimizer.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const result: TrainMlpResult = { mlp, history, seconds, config: cfg };
  if (test !== undefined) result.test = evaluateMlp(mlp, test);
  return result;
}
