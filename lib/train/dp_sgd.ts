/**
 * Differentially private SGD (DP-SGD): each example's gradient is clipped to
 * an L2 norm of at most C, the clipped gradients are summed, Gaussian noise of
 * standard deviation σ·C is added, and the sum is divided by the minibatch
 * size. Abadi et al., "Deep Learning with Differential Privacy", CCS 2016,
 * Algorithm 1. No privacy accounting (ε, δ) here: the course states the noise
 * multiplier σ and measures the leak directly (chapter 09).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';
import { checkExamples, checkLabels, type LabeledExamples } from '../core/examples';
import type { EpochRecord } from '../core/history';
import { seededNormal, shuffledIndices } from '../core/random';
import { firstNonFinite } from '../core/tensors';
import { minibatchRanges } from '../data/minibatch';
import { inputImageShape, makeBatch } from './classifier';
import { runTrainingLoop } from './loop';
import type { ProgressMode } from './progress';

/** What {@link clipGradients} returns. */
export interface ClippedGradients {
  /** The gradients scaled by min(1, C / norm): same shapes as the input. The caller disposes them. */
  gradients: tf.Tensor[];
  /** L2 norm of all the input gradients together, as one vector (before clipping). */
  norm: number;
}

/**
 * Clips one example's gradient to an L2 norm of at most `clipNorm`: all its
 * tensors are treated as one vector g and scaled by min(1, C / ‖g‖₂), so the
 * direction stays and only the length shrinks (Abadi et al. 2016, Algorithm
 * 1, "clip gradient"). `clipNorm = Infinity` leaves the gradient unchanged.
 * @param gradients - one tensor per parameter, any shapes, float32.
 * @param clipNorm - C > 0, or `Infinity` (no clipping).
 * @throws {ArgumentError} when `gradients` is empty or not tensors, or `clipNorm` is not > 0.
 * @example
 * ```ts
 * const { gradients, norm } = clipGradients([tf.tensor1d([3]), tf.tensor1d([4])], 1);
 * norm; // 5
 * gradients.map((g) => g.dataSync()[0]); // [0.6, 0.8] (length 1, same direction)
 * clipGradients([tf.tensor1d([0.3, 0.4])], 1).gradients[0].dataSync(); // Float32Array [0.3, 0.4] (shorter than C: unchanged)
 * ```
 * @see [Notebook 09 §2 DP-SGD: clip each example, add noise](../../notebooks/09-summary-and-challenges.ipynb#2.-DP-SGD:-clip-each-example,-add-noise)
 * @see [Notebook 09 §Exercises](../../notebooks/09-summary-and-challenges.ipynb#Exercises)
 */
export function clipGradients(gradients: tf.Tensor[], clipNorm: number): ClippedGradients {
  const fn = 'clipGradients';
  checkGradients(fn, gradients);
  checkClipNorm(fn, clipNorm);
  const norm = Math.sqrt(gradients.reduce((sum, g) => sum + (tf.tidy(() => tf.sum(tf.square(g))).dataSync()[0] as number), 0));
  const scale = Number.isFinite(clipNorm) && norm > clipNorm ? clipNorm / norm : 1;
  return { gradients: gradients.map((g) => (scale === 1 ? g.clone() : tf.mul(g, scale))), norm };
}

/** Options of {@link dpSgdGradient} and {@link trainDpSgd}. */
export interface DpSgdOptions {
  /** C: each example's gradient is clipped to this L2 norm; `Infinity`: no clipping. */
  clipNorm: number;
  /** σ: the noise added to the sum of clipped gradients has standard deviation σ·C; 0: no noise. */
  noiseMultiplier: number;
  /** Standard normal draws for the noise, e.g. `seededNormal(seed)` (reproducible). */
  normal: () => number;
}

/** What {@link dpSgdGradient} returns. */
export interface DpSgdGradient {
  /** One tensor per variable: (Σᵢ clip(gᵢ) + N(0, σ²C²)) / batch. The caller disposes them. */
  gradients: tf.Tensor[];
  /** Mean loss over the minibatch (before the step). */
  loss: number;
  /** `[batch]` L2 norm of each example's gradient before clipping. */
  norms: Float32Array;
}

/**
 * The DP-SGD gradient of one minibatch (Abadi et al. 2016, Algorithm 1): one
 * backward pass per example (TF.js has no vectorising map, so a loop of
 * minibatches of 1), each gradient clipped with {@link clipGradients},
 * summed, plus Gaussian noise N(0, σ²C²) on every entry, divided by the
 * minibatch size. With σ = 0 and C = ∞ it is the ordinary minibatch gradient
 * of the mean loss.
 * @param loss - the mean loss of a minibatch: `(x [k, ...], y [k, ...]) → scalar`.
 * @param variables - the trainable variables to differentiate.
 * @param x - `[batch, ...features]` float32 inputs.
 * @param y - `[batch, ...]` targets, as `loss` takes them.
 * @throws {ArgumentError} on an empty minibatch, mismatched batch sizes or bad options.
 * @example
 * ```ts
 * // Loss w·x per example: each example's gradient is its x.
 * const w = tf.variable(tf.tensor1d([0, 0]));
 * const loss = (x: tf.Tensor, _y: tf.Tensor) => tf.mean(tf.sum(tf.mul(x, w), 1)) as tf.Scalar;
 * const x = tf.tensor2d([[3, 4], [0.3, 0.4]]); // norms 5 and 0.5
 * const r = dpSgdGradient(loss, [w], x, tf.zeros([2]), { clipNorm: 1, noiseMultiplier: 0, normal: seededNormal(0) });
 * // Clipped to (0.6, 0.8) and (0.3, 0.4), averaged:
 * r.gradients[0].dataSync(); // Float32Array [0.45, 0.6]
 * Array.from(r.norms); // [5, 0.5]
 * ```
 */
export function dpSgdGradient(loss: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar, variables: tf.Variable[], x: tf.Tensor, y: tf.Tensor, options: DpSgdOptions): DpSgdGradient {
  const fn = 'dpSgdGradient';
  checkDpOptions(fn, options);
  const batch = checkMinibatch(fn, x, y);
  if (!Array.isArray(variables) || variables.length === 0) throw new ArgumentError(`${fn}: variables must be a non-empty array of tf.Variable, got ${describe(variables)}`);
  const sums = variables.map((v) => tf.zeros(v.shape));
  const norms = new Float32Array(batch);
  let lossSum = 0;
  for (let i = 0; i < batch; i++) {
    tf.tidy(() => {
      const xi = tf.slice(x, [i], [1]); // [1, ...features]
      const yi = tf.slice(y, [i], [1]); // [1, ...]
      const { value, grads } = tf.variableGrads(() => loss(xi, yi), variables);
      lossSum += value.dataSync()[0];
      const { gradients, norm } = clipGradients(variables.map((v) => grads[v.name]), options.clipNorm);
      norms[i] = norm;
      for (let k = 0; k < sums.length; k++) {
        const old = sums[k];
        sums[k] = tf.keep(tf.add(old, gradients[k]));
        old.dispose();
      }
    });
  }
  return { gradients: noisyMean(sums, batch, options), loss: lossSum / batch, norms };
}

/** A Dense layer as {@link denseDpSgdGradient} reads it. */
interface DenseParts {
  kernel: tf.Variable;
  bias?: tf.Variable;
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

/** The model's layers as Flatten/Dense steps, or a reason why it is not such a model. */
function denseParts(model: tf.LayersModel): DenseParts[] | string {
  const parts: DenseParts[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'Flatten' || kind === 'InputLayer') continue;
    if (kind !== 'Dense') return `layer ${layer.name} is a ${kind}; only Flatten and Dense layers are supported`;
    const l = layer as unknown as { kernel: { val: tf.Variable }; bias?: { val: tf.Variable }; useBias: boolean; activation: { apply(x: tf.Tensor): tf.Tensor } };
    if (!l.kernel.val.trainable) return `layer ${layer.name} is not trainable`;
    parts.push({ kernel: l.kernel.val, bias: l.useBias ? l.bias!.val : undefined, activation: l.activation });
  }
  return parts.length > 0 ? parts : 'the model has no Dense layer';
}

/**
 * The same DP-SGD gradient as {@link dpSgdGradient}, for a model of Flatten
 * and Dense layers that outputs logits (loss: softmax cross-entropy), with
 * one forward and one backward pass for the whole minibatch instead of one
 * per example. A Dense layer's per-example gradients are outer products,
 * ∂Lᵢ/∂W = aᵢ δᵢᵀ and ∂Lᵢ/∂b = δᵢ (aᵢ: the layer's input, δᵢ: the loss's
 * gradient at its output z = aW + b), so each example's squared norm is
 * Σ_layers ‖aᵢ‖²‖δᵢ‖² + ‖δᵢ‖² and the sum of the clipped gradients is
 * Aᵀ(s ⊙ Δ) with sᵢ = min(1, C / normᵢ) (Goodfellow, "Efficient Per-Example
 * Gradient Computations", arXiv:1510.01799, 2015; Lee & Kifer, PETS 2021).
 * The δᵢ come from one `tf.grads` of the summed loss with respect to a zero
 * tensor added to each z. The noise is drawn in the same order as
 * {@link dpSgdGradient}'s, so both give the same result for the same `normal`.
 * @param model - a `tf.LayersModel` of Flatten and Dense layers; input `[batch, ...]`, output `[batch, numClasses]` logits.
 * @param x - `[batch, ...inputShape]` float32 inputs.
 * @param y - `[batch, numClasses]` float32 one-hot targets.
 * @returns the gradients in the order of `model.trainableWeights`.
 * @throws {ArgumentError} when the model has another kind of layer, or on bad input or options.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, kernelInitializer: 'zeros' })] });
 * const r = denseDpSgdGradient(model, tf.tensor2d([[3, 4]]), tf.tensor2d([[1, 0]]), { clipNorm: Infinity, noiseMultiplier: 0, normal: seededNormal(0) });
 * // x ⊗ (softmax(0) − y) = (3, 4) ⊗ (−½, ½):
 * r.gradients[0].arraySync(); // [[-1.5, 1.5], [-2, 2]]
 * r.norms[0]; // 3.6056 (the square root of 25 · 0.5 + 0.5 = 13)
 * ```
 * @see [Notebook 09 §2 DP-SGD: clip each example, add noise](../../notebooks/09-summary-and-challenges.ipynb#2.-DP-SGD:-clip-each-example,-add-noise)
 */
export function denseDpSgdGradient(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: DpSgdOptions): DpSgdGradient {
  const fn = 'denseDpSgdGradient';
  checkDpOptions(fn, options);
  const parts = denseParts(model);
  if (typeof parts === 'string') throw new ArgumentError(`${fn}: ${parts}; use dpSgdGradient (one backward pass per example) for other models`);
  const batch = checkMinibatch(fn, x, y);
  const C = options.clipNorm;
  const inputs: tf.Tensor2D[] = []; // each Dense layer's input a, [batch, inUnits]
  const { sums, norms, loss } = tf.tidy(() => {
    const input = tf.reshape(x, [batch, -1]); // [batch, features]
    const forward = (...probes: tf.Tensor[]) => {
      let a = input as tf.Tensor2D;
      inputs.length = 0;
      parts.forEach((p, l) => {
        inputs.push(tf.keep(a)); // outlives the gradient's scope; disposed below
        let z = tf.matMul(a, p.kernel); // [batch, units]
        if (p.bias) z = tf.add(z, p.bias);
        a = p.activation.apply(tf.add(z, probes[l])) as tf.Tensor2D;
      });
      return tf.losses.softmaxCrossEntropy(y, a, undefined, undefined, tf.Reduction.SUM) as tf.Scalar;
    };
    const probes = parts.map((p) => tf.zeros([batch, p.kernel.shape[1]!]));
    const { value, grads } = tf.valueAndGrads(forward)(probes); // grads[l] = Δ_l, [batch, units]: row i is δᵢ of layer l
    // Squared norm of each example's whole gradient: Σ_l ‖aᵢ‖²‖δᵢ‖² (+ ‖δᵢ‖² for the bias).
    let squared = tf.zeros([batch]);
    parts.forEach((p, l) => {
      const deltaSq = tf.sum(tf.square(grads[l]), 1); // [batch]
      squared = tf.add(squared, tf.mul(tf.sum(tf.square(inputs[l]), 1), deltaSq));
      if (p.bias) squared = tf.add(squared, deltaSq);
    });
    const normT = tf.sqrt(squared); // [batch]
    const scale = Number.isFinite(C) ? tf.minimum(1, tf.div(C, tf.maximum(normT, 1e-30))) : tf.onesLike(normT); // [batch]
    const out: tf.Tensor[] = [];
    parts.forEach((p, l) => {
      const scaled = tf.mul(grads[l], tf.expandDims(scale, 1)); // [batch, units]: s ⊙ Δ
      out.push(tf.matMul(inputs[l], scaled, true, false)); // [inUnits, units] = Aᵀ(s ⊙ Δ)
      if (p.bias) out.push(tf.sum(scaled, 0)); // [units]
    });
    return { sums: out, norms: normT.dataSync() as Float32Array, loss: value.dataSync()[0] / batch };
  });
  tf.dispose(inputs);
  // Order of model.trainableWeights: kernel, bias of each layer in turn.
  return { gradients: noisyMean(sums, batch, options), loss, norms: Float32Array.from(norms) };
}

/** Options of {@link trainDpSgd}. */
export interface TrainDpSgdOptions {
  /** Passes over the training examples. */
  epochs: number;
  /** Examples per minibatch (the last one of an epoch may be smaller). */
  batchSize: number;
  /** Step size η of plain SGD. */
  learningRate: number;
  /** C (see {@link DpSgdOptions}); `Infinity` with σ = 0 is plain SGD. */
  clipNorm: number;
  /** σ (see {@link DpSgdOptions}). */
  noiseMultiplier: number;
  /** Seed of the shuffles and of the noise. @default 0 */
  seed?: number;
  /** How to report progress. @default 'auto' */
  progress?: ProgressMode;
  /** Called after each epoch with its record. */
  onEpochEnd?: (record: EpochRecord) => void;
}

/** What {@link trainDpSgd} returns. */
export interface TrainDpSgdResult {
  /** One record per epoch (training loss and accuracy, means over minibatches). */
  history: EpochRecord[];
  /** Wall time of the steps, seconds. */
  seconds: number;
  /** Fraction of the per-example gradients that clipping shortened, over the whole run. */
  clippedFraction: number;
}

/**
 * Trains a classifier that outputs logits with DP-SGD ({@link dpSgdGradient},
 * or {@link denseDpSgdGradient} for a model of Flatten and Dense layers, and
 * a plain SGD step θ ← θ − η·g̃) on images, one seeded shuffle per epoch.
 * Loss: softmax cross-entropy of the logits. The model need not be compiled.
 * @param model - `tf.LayersModel` with input `[batch, height, width, channels]` and output `[batch, numClasses]` logits.
 * @param train - images `[n, height, width, channels]` uint8 and labels `[n]` int32 (see `LabeledExamples`).
 * @throws {ArgumentError} on bad data or options.
 * @throws {NonFiniteLossError} when the loss becomes NaN or infinite.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 2, 1] }), tf.layers.dense({ units: 2, kernelInitializer: 'zeros' })] });
 * const data = { n: 4, pixels: new Uint8Array([255, 0, 0, 255, 255, 0, 0, 255]), labels: new Int32Array([0, 1, 0, 1]) };
 * const r = await trainDpSgd(model, data, { epochs: 20, batchSize: 4, learningRate: 1, clipNorm: 1, noiseMultiplier: 0, progress: 'none' });
 * r.history[19].accuracy; // 1
 * r.clippedFraction; // 0 (every per-example gradient is shorter than 1 here)
 * ```
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 */
export async function trainDpSgd(model: tf.LayersModel, train: LabeledExamples, options: TrainDpSgdOptions): Promise<TrainDpSgdResult> {
  const fn = 'trainDpSgd';
  const hwc = inputImageShape(model);
  checkExamples(fn, 'train', train, hwc[0] * hwc[1] * hwc[2]);
  const numClasses = model.outputs[0].shape[1]!;
  checkLabels(fn, 'train.labels', train.labels, numClasses);
  checkInteger(fn, 'options.epochs', options?.epochs, 1);
  checkInteger(fn, 'options.batchSize', options.batchSize, 1);
  checkPositive(fn, 'options.learningRate', options.learningRate);
  const seed = checkInteger(fn, 'options.seed', options.seed ?? 0, 0, 2 ** 32 - 1);
  const normal = seededNormal(seed);
  checkDpOptions(fn, { clipNorm: options.clipNorm, noiseMultiplier: options.noiseMultiplier, normal: normal });
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const loss = (x: tf.Tensor, y: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  // Flatten and Dense layers only: the one-pass per-example gradients; otherwise one backward pass per example.
  const fast = typeof denseParts(model) !== 'string';
  const ranges = minibatchRanges(train.n, options.batchSize);
  let order: Int32Array = new Int32Array(0);
  let clipped = 0;
  let seen = 0;
  const result = await runTrainingLoop({
    fn: fn,
    epochs: options.epochs,
    steps: ranges.length,
    progress: options.progress ?? 'auto',
    title: `DP-SGD, σ = ${options.noiseMultiplier}, C = ${options.clipNorm}`,
    onEpochEnd: options.onEpochEnd,
    beginEpoch: (epoch) => {
      order = shuffledIndices(train.n, (seed + epoch) >>> 0);
    },
    step: (_epoch, step) => {
      const [start, end] = ranges[step];
      const { X, y } = makeBatch(train, hwc, order, start, end, 'one-hot', numClasses);
      try {
        const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(X) as tf.Tensor, 1), tf.argMax(y, 1)), 'float32')).dataSync()[0]);
        const dp = { clipNorm: options.clipNorm, noiseMultiplier: options.noiseMultiplier, normal: normal };
        const g = fast ? denseDpSgdGradient(model, X, y, dp) : dpSgdGradient(loss, variables, X, y, dp);
        if (Number.isFinite(g.loss)) {
          variables.forEach((v, k) => {
            const next = tf.tidy(() => tf.sub(v, tf.mul(g.gradients[k], options.learningRate)));
            v.assign(next);
            next.dispose(); // assign shares its data; this handle would otherwise keep every step's weights alive
          });
        }
        tf.dispose(g.gradients);
        for (const n of g.norms) if (n > options.clipNorm) clipped++;
        seen += g.norms.length;
        return { loss: g.loss, accuracy: accuracy, size: end - start };
      } finally {
        tf.dispose([X, y]);
      }
    },
    nonFiniteParameter: () => firstNonFinite(model.trainableWeights.map((w) => [w.name, w.read()] as [string, tf.Tensor])),
    validate: () => undefined,
  });
  return { history: result.history, seconds: result.trainSeconds, clippedFraction: seen === 0 ? 0 : clipped / seen };
}

/** (Σ clipped + N(0, σ²C²)) / batch for each summed gradient, disposing the sums; the noise is drawn variable by variable, in order. */
function noisyMean(sums: tf.Tensor[], batch: number, options: DpSgdOptions): tf.Tensor[] {
  const std = options.noiseMultiplier * (Number.isFinite(options.clipNorm) ? options.clipNorm : 0);
  return sums.map((sum) => {
    const mean = tf.tidy(() => tf.div(std === 0 ? sum : tf.add(sum, gaussianNoise(sum.shape, std, options.normal)), batch));
    sum.dispose();
    return mean;
  });
}

/** The minibatch size of x and y; throws unless both are tensors with the same number (≥ 1) of examples. */
function checkMinibatch(fn: string, x: unknown, y: unknown): number {
  if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor)) throw new ArgumentError(`${fn}: x and y must be tensors, got ${describe(x)} and ${describe(y)}`);
  const batch = x.shape[0];
  if (!batch) throw new ArgumentError(`${fn}: x must hold at least one example, got shape [${x.shape.join(', ')}]`);
  if (y.shape[0] !== batch) throw new ArgumentError(`${fn}: x has ${batch} examples but y has ${y.shape[0]}; they must match`);
  return batch;
}

/** `[shape]` float32 draws of N(0, std²) from `normal` (a plain loop: several times faster than `Float32Array.from` with a callback). */
function gaussianNoise(shape: number[], std: number, normal: () => number): tf.Tensor {
  const noise = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < noise.length; i++) noise[i] = std * normal();
  return tf.tensor(noise, shape);
}

function checkGradients(fn: string, gradients: unknown): void {
  if (!Array.isArray(gradients) || gradients.length === 0 || !gradients.every((g) => g instanceof tf.Tensor)) {
    throw new ArgumentError(`${fn}: gradients must be a non-empty array of tensors, got ${describe(gradients)}`);
  }
}

function checkClipNorm(fn: string, clipNorm: unknown): void {
  if (typeof clipNorm !== 'number' || Number.isNaN(clipNorm) || clipNorm <= 0) {
    throw new ArgumentError(`${fn}: clipNorm must be a number > 0 (or Infinity for no clipping), got ${describe(clipNorm)}`);
  }
}

function checkDpOptions(fn: string, options: DpSgdOptions): void {
  if (options == null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be { clipNorm, noiseMultiplier, normal }, got ${describe(options)}`);
  checkClipNorm(fn, options.clipNorm);
  const sigma = options.noiseMultiplier;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) throw new ArgumentError(`${fn}: noiseMultiplier must be a finite number >= 0, got ${describe(sigma)}`);
  if (sigma > 0 && !Number.isFinite(options.clipNorm)) throw new ArgumentError(`${fn}: noiseMultiplier ${sigma} needs a finite clipNorm (the noise's standard deviation is σ·C), got Infinity`);
  if (typeof options.normal !== 'function') throw new ArgumentError(`${fn}: normal must be a function returning standard normal draws (e.g. seededNormal(0)), got ${describe(options.normal)}`);
}
