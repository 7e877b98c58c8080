/**
 * Activation functions `A = σ(Z)`, each with its derivative written right
 * under it, so forward and backward read side by side: sigmoid, tanh, ReLU,
 * leaky ReLU and GELU act elementwise; softmax (and the stable log-softmax)
 * act on each row. Sources: Goodfellow, Bengio & Courville, "Deep Learning"
 * (2016), §6.2.2 (sigmoid and softmax units, the log-sum-exp trick of §4.1) and
 * §6.3 (ReLU and its generalisations); Maas, Hannun & Ng (2013) for leaky ReLU;
 * Hendrycks & Gimpel (2016), "Gaussian Error Linear Units", arXiv:1606.08415.
 *
 * Elementwise activations take `Z` of any shape, float32, and return the same
 * shape; the backward pass of an elementwise activation is
 * `dZ = dA ⊙ σ'(Z)` (chain rule, one entry at a time).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../core/errors';
import { checkSameShape, checkTensor } from '../core/tensors';

// ---------------------------------------------------------------- sigmoid

/**
 * The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), written so that no `exp`
 * overflows: with e = e^(−|z|) ∈ (0, 1], σ(z) = 1/(1 + e) for z ≥ 0 and
 * e/(1 + e) for z < 0 (the same value, rearranged).
 * @param Z - any shape, float32.
 * @returns the same shape, float32, values in [0, 1].
 * @throws {ArgumentError} when `Z` is not a tensor.
 * @example
 * ```ts
 * sigmoid(tf.tensor1d([0, Math.log(3)])).dataSync(); // Float32Array [0.5, 0.75]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function sigmoid<T extends tf.Tensor>(Z: T): T {
  checkTensor('sigmoid', 'Z', Z);
  return tf.tidy(() => {
    const e = tf.exp(tf.neg(tf.abs(Z))); // e^(−|z|) ≤ 1: never overflows
    const onePlusE = tf.add(1, e);
    return tf.where(tf.greaterEqual(Z, 0), tf.div(1, onePlusE), tf.div(e, onePlusE)) as T;
  });
}

/**
 * Derivative of the sigmoid: σ'(z) = σ(z)(1 − σ(z)).
 * @param Z - any shape, float32 (the pre-activation).
 * @returns the same shape, float32, values in [0, 0.25].
 * @example
 * ```ts
 * sigmoidDerivative(tf.tensor1d([0])).dataSync(); // Float32Array [0.25]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §Exercises](../../notebooks/04-mlp-maths.ipynb#Exercises)
 */
export function sigmoidDerivative<T extends tf.Tensor>(Z: T): T {
  checkTensor('sigmoidDerivative', 'Z', Z);
  return tf.tidy(() => {
    const s = sigmoid(Z);
    return tf.mul(s, tf.sub(1, s)) as T;
  });
}

// ---------------------------------------------------------------- tanh

/**
 * The hyperbolic tangent tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), written as
 * sign(z)·(1 − e)/(1 + e) with e = e^(−2|z|), so no `exp` overflows.
 * @param Z - any shape, float32.
 * @returns the same shape, float32, values in [−1, 1].
 * @example
 * ```ts
 * tanh(tf.tensor1d([0, Math.log(2)])).dataSync(); // Float32Array [0, 0.6]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function tanh<T extends tf.Tensor>(Z: T): T {
  checkTensor('tanh', 'Z', Z);
  return tf.tidy(() => {
    const e = tf.exp(tf.mul(-2, tf.abs(Z))); // e^(−2|z|) ≤ 1
    return tf.mul(tf.sign(Z), tf.div(tf.sub(1, e), tf.add(1, e))) as T;
  });
}

/**
 * Derivative of tanh: tanh'(z) = 1 − tanh(z)².
 * @param Z - any shape, float32.
 * @returns the same shape, float32, values in [0, 1].
 * @example
 * ```ts
 * tanhDerivative(tf.tensor1d([0, Math.log(2)])).dataSync(); // Float32Array [1, 0.64]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function tanhDerivative<T extends tf.Tensor>(Z: T): T {
  checkTensor('tanhDerivative', 'Z', Z);
  return tf.tidy(() => tf.sub(1, tf.square(tanh(Z))) as T);
}

// ---------------------------------------------------------------- ReLU

/**
 * The rectified linear unit ReLU(z) = max(0, z).
 * @param Z - any shape, float32.
 * @returns the same shape, float32.
 * @example
 * ```ts
 * relu(tf.tensor1d([-2, 0, 3])).dataSync(); // Float32Array [0, 0, 3]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 */
export function relu<T extends tf.Tensor>(Z: T): T {
  checkTensor('relu', 'Z', Z);
  return tf.tidy(() => tf.maximum(Z, 0) as T);
}

/**
 * Derivative of ReLU: 1 where z > 0, else 0. ReLU has no derivative at 0; like
 * TF.js and PyTorch we use 0 there.
 * @param Z - any shape, float32.
 * @returns the same shape, float32, values 0 or 1.
 * @example
 * ```ts
 * reluDerivative(tf.tensor1d([-2, 0, 3])).dataSync(); // Float32Array [0, 0, 1]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 */
export function reluDerivative<T extends tf.Tensor>(Z: T): T {
  checkTensor('reluDerivative', 'Z', Z);
  return tf.tidy(() => tf.cast(tf.greater(Z, 0), 'float32') as T);
}

// ---------------------------------------------------------------- leaky ReLU

/** Slope of leaky ReLU for z < 0, as in Maas et al. (2013) and PyTorch (TF.js's `tf.leakyRelu` defaults to 0.2). */
export const LEAKY_RELU_ALPHA = 0.01;

function checkAlpha(fn: string, alpha: unknown): number {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0 || alpha >= 1) {
    throw new ArgumentError(`${fn}: alpha must be a number in [0, 1), got ${describe(alpha)}`);
  }
  return alpha;
}

/**
 * Leaky ReLU: z for z > 0, α·z otherwise.
 * @param Z - any shape, float32.
 * @param alpha - slope for z ≤ 0. @default {@link LEAKY_RELU_ALPHA} (0.01)
 * @returns the same shape, float32.
 * @throws {ArgumentError} when `alpha` is not in [0, 1).
 * @example
 * ```ts
 * leakyRelu(tf.tensor1d([-2, 3]), 0.1).dataSync(); // Float32Array [-0.2, 3]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function leakyRelu<T extends tf.Tensor>(Z: T, alpha = LEAKY_RELU_ALPHA): T {
  checkTensor('leakyRelu', 'Z', Z);
  const a = checkAlpha('leakyRelu', alpha);
  return tf.tidy(() => tf.where(tf.greater(Z, 0), Z, tf.mul(Z, a)) as T);
}

/**
 * Derivative of leaky ReLU: 1 where z > 0, else α (α at 0, as TF.js's gradient).
 * @param Z - any shape, float32.
 * @param alpha - slope for z ≤ 0. @default {@link LEAKY_RELU_ALPHA} (0.01)
 * @returns the same shape, float32, values 1 or α.
 * @example
 * ```ts
 * leakyReluDerivative(tf.tensor1d([-2, 3]), 0.1).dataSync(); // Float32Array [0.1, 1]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function leakyReluDerivative<T extends tf.Tensor>(Z: T, alpha = LEAKY_RELU_ALPHA): T {
  checkTensor('leakyReluDerivative', 'Z', Z);
  const a = checkAlpha('leakyReluDerivative', alpha);
  return tf.tidy(() => tf.where(tf.greater(Z, 0), tf.onesLike(Z), tf.fill(Z.shape, a)) as T);
}

// ---------------------------------------------------------------- GELU

/**
 * The Gaussian error linear unit, exact form: GELU(z) = z·Φ(z) with Φ the
 * standard normal CDF, Φ(z) = ½(1 + erf(z/√2)) (Hendrycks & Gimpel 2016; GPT-2
 * and BERT use the tanh approximation, which differs by < 1e-3).
 * @param Z - any shape, float32.
 * @returns the same shape, float32.
 * @example
 * ```ts
 * gelu(tf.tensor1d([0, 1])).dataSync(); // Float32Array [0, 0.84134]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function gelu<T extends tf.Tensor>(Z: T): T {
  checkTensor('gelu', 'Z', Z);
  return tf.tidy(() => tf.mul(Z, normalCdf(Z)) as T);
}

/**
 * Derivative of GELU: GELU'(z) = Φ(z) + z·φ(z), with φ(z) = e^(−z²/2)/√(2π)
 * the standard normal density (product rule on z·Φ(z)).
 * @param Z - any shape, float32.
 * @returns the same shape, float32.
 * @example
 * ```ts
 * geluDerivative(tf.tensor1d([0, 1])).dataSync(); // Float32Array [0.5, 1.08332]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function geluDerivative<T extends tf.Tensor>(Z: T): T {
  checkTensor('geluDerivative', 'Z', Z);
  return tf.tidy(() => {
    const density = tf.mul(1 / Math.sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(Z)))); // φ(z)
    return tf.add(normalCdf(Z), tf.mul(Z, density)) as T;
  });
}

/** Φ(z) = ½(1 + erf(z/√2)). */
function normalCdf(Z: tf.Tensor): tf.Tensor {
  return tf.mul(0.5, tf.add(1, tf.erf(tf.mul(Z, Math.SQRT1_2))));
}

// ---------------------------------------------------------------- softmax

function checkRows(fn: string, arg: string, Z: unknown): tf.Tensor2D {
  const t = checkTensor(fn, arg, Z);
  if (t.rank !== 2) {
    throw new ArgumentError(
      `${fn}: ${arg} must be [batch, numClasses] (rank 2; softmax acts on each row), got shape [${t.shape.join(', ')}]` +
        (t.rank === 1 ? '; for one example use Z.expandDims(0)' : ''),
    );
  }
  return t as tf.Tensor2D;
}

/**
 * Softmax of each row: softmax(z)ⱼ = e^(zⱼ) / Σₖ e^(zₖ), computed as
 * e^(zⱼ − m) / Σₖ e^(zₖ − m) with m = maxₖ zₖ: the same value (the factor
 * e^(−m) cancels), but every exponent is ≤ 0, so nothing overflows even for
 * logits like 1000.
 * @param Z - `[batch, numClasses]` float32 logits.
 * @returns `[batch, numClasses]` float32, each row positive and summing to 1.
 * @throws {ArgumentError} when `Z` is not a rank-2 tensor.
 * @example
 * ```ts
 * softmax(tf.tensor2d([[1000, 1000], [0, Math.log(3)]])).arraySync(); // [[0.5, 0.5], [0.25, 0.75]]
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §3 Losses, and why the stable forms matter](../../notebooks/04-mlp-maths.ipynb#3.-Losses,-and-why-the-stable-forms-matter)
 */
export function softmax(Z: tf.Tensor2D): tf.Tensor2D {
  checkRows('softmax', 'Z', Z);
  return tf.tidy(() => {
    const shifted = tf.sub(Z, tf.max(Z, 1, true)); // [batch, numClasses], every entry ≤ 0
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, 1, true)) as tf.Tensor2D;
  });
}

/**
 * Backward pass of the row-wise softmax: from `dA` = ∂L/∂A and the forward
 * output `A`, returns ∂L/∂Z = A ⊙ (dA − Σⱼ dAⱼ·Aⱼ) (row by row). Softmax mixes a
 * row's entries, so its derivative is the Jacobian ∂Aᵢ/∂Zⱼ = Aᵢ(δᵢⱼ − Aⱼ) and
 * not an elementwise σ'; this is that Jacobian times `dA`, without building it.
 * @param dA - `[batch, numClasses]` float32, gradient of the loss w.r.t. the softmax output.
 * @param A - `[batch, numClasses]` float32, the softmax output of the forward pass.
 * @returns `[batch, numClasses]` float32, gradient w.r.t. the logits `Z`.
 * @throws {ArgumentError} when `dA` and `A` are not rank 2 or differ in shape.
 * @example
 * ```ts
 * softmaxBackward(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]])).arraySync(); // [[0.25, -0.25]]
 * ```
 */
export function softmaxBackward(dA: tf.Tensor2D, A: tf.Tensor2D): tf.Tensor2D {
  checkRows('softmaxBackward', 'dA', dA);
  checkRows('softmaxBackward', 'A', A);
  checkSameShape('softmaxBackward', 'dA', dA, 'A', A);
  return tf.tidy(() => tf.mul(A, tf.sub(dA, tf.sum(tf.mul(dA, A), 1, true))) as tf.Tensor2D);
}

/**
 * Log of the row-wise softmax, stable: log softmax(z)ⱼ = zⱼ − m − log Σₖ e^(zₖ − m)
 * with m = maxₖ zₖ (the log-sum-exp trick). Taking `log(softmax(z))` instead
 * gives −Infinity as soon as a probability underflows to 0.
 * @param Z - `[batch, numClasses]` float32 logits.
 * @returns `[batch, numClasses]` float32, every entry ≤ 0.
 * @throws {ArgumentError} when `Z` is not a rank-2 tensor.
 * @example
 * ```ts
 * logSoftmax(tf.tensor2d([[0, -1000]])).arraySync(); // [[0, -1000]]
 * ```
 * @see [Notebook 04 §Exercises](../../notebooks/04-mlp-maths.ipynb#Exercises)
 */
export function logSoftmax(Z: tf.Tensor2D): tf.Tensor2D {
  checkRows('logSoftmax', 'Z', Z);
  return tf.tidy(() => {
    const shifted = tf.sub(Z, tf.max(Z, 1, true)); // [batch, numClasses], ≤ 0
    return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true))) as tf.Tensor2D;
  });
}

// ---------------------------------------------------------------- by name

/** Names of the activations an MLP layer can use (`linear`: none, A = Z). */
export const ACTIVATION_NAMES = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'gelu', 'softmax', 'linear'] as const;

/** One of {@link ACTIVATION_NAMES}. */
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** An activation's forward and backward pass, for layers that pick it by name. */
export interface Activation {
  /** Its name in {@link ACTIVATION_NAMES}. */
  name: ActivationName;
  /** A = σ(Z). */
  forward(Z: tf.Tensor2D): tf.Tensor2D;
  /** dZ = ∂L/∂Z from dA = ∂L/∂A, the forward input `Z` and output `A`. */
  backward(dA: tf.Tensor2D, Z: tf.Tensor2D, A: tf.Tensor2D): tf.Tensor2D;
}

/** Backward of an elementwise activation: dZ = dA ⊙ σ'(Z). */
function elementwise(name: ActivationName, forward: (Z: tf.Tensor2D) => tf.Tensor2D, derivative: (Z: tf.Tensor2D) => tf.Tensor2D): Activation {
  return { name, forward, backward: (dA, Z) => tf.tidy(() => tf.mul(dA, derivative(Z)) as tf.Tensor2D) };
}

const REGISTRY: Record<ActivationName, Activation> = {
  sigmoid: elementwise('sigmoid', sigmoid, sigmoidDerivative),
  tanh: elementwise('tanh', tanh, tanhDerivative),
  relu: elementwise('relu', relu, reluDerivative),
  leakyRelu: elementwise('leakyRelu', (Z) => leakyRelu(Z), (Z) => leakyReluDerivative(Z)),
  gelu: elementwise('gelu', gelu, geluDerivative),
  softmax: { name: 'softmax', forward: softmax, backward: (dA, _Z, A) => softmaxBackward(dA, A) },
  linear: { name: 'linear', forward: (Z) => tf.clone(Z), backward: (dA) => tf.clone(dA) },
};

/**
 * The activation called `name`, with its forward and backward pass.
 * @throws {ArgumentError} when `name` is not one of {@link ACTIVATION_NAMES}.
 * @example
 * ```ts
 * getActivation('relu').forward(tf.tensor2d([[-1, 2]])).arraySync(); // [[0, 2]]
 * ```
 */
export function getActivation(name: ActivationName): Activation {
  if (!(ACTIVATION_NAMES as readonly unknown[]).includes(name)) {
    throw new ArgumentError(`getActivation: name must be one of ${ACTIVATION_NAMES.join(', ')}, got ${describe(name)}`);
  }
  return REGISTRY[name];
}
