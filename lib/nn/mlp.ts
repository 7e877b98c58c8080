/**
 * A multilayer perceptron of any depth, trained without autograd: the forward
 * pass keeps each layer's input `X`, pre-activation `Z` and activation `A`, and
 * the backward pass walks the layers in reverse, applying the chain rule with
 * each layer's own backward function (activations.ts, dense.ts). Goodfellow,
 * Bengio & Courville, "Deep Learning" (2016), §6.5 (back-propagation),
 * Algorithms 6.3 and 6.4; Rumelhart, Hinton & Williams (1986).
 *
 * Layer l (1-based) computes `Zₗ = Aₗ₋₁·Wₗ + bₗ` and `Aₗ = σₗ(Zₗ)`, with
 * `A₀ = X` `[batch, layerSizes[0]]`; the last layer has no activation: its
 * `Z` are the logits, and the loss applies softmax (sparse categorical
 * cross-entropy from logits, the stable form).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { sparseCategoricalCrossentropy, sparseCategoricalCrossentropyBackward } from './losses';
import { accuracyFromOutputs } from './metrics';
import { ACTIVATION_NAMES, getActivation, type ActivationName } from './activations';
import { checkTensor, shapeText } from '../core/tensors';
import { dense, denseBackward, initDense, type DenseInit } from './dense';
import type { Gradients, Parameters } from './optimizers';

/** One dense layer of an {@link Mlp}: parameters and activation. */
export interface MlpLayer {
  /** `[inFeatures, outFeatures]` float32. */
  W: tf.Variable<tf.Rank.R2>;
  /** `[outFeatures]` float32. */
  b: tf.Variable<tf.Rank.R1>;
  /** σ of this layer (`linear` for the output layer). */
  activation: ActivationName;
}

/** A multilayer perceptron: layers and the same parameters by name (`W1`, `b1`, `W2`, …) for an optimizer. */
export interface Mlp {
  /** Units per layer, inputs first: `[784, 128, 10]` is 784 inputs, 128 hidden units, 10 outputs. */
  layerSizes: number[];
  /** The dense layers, first to last. */
  layers: MlpLayer[];
  /** `W1`, `b1`, …, `WL`, `bL`: the same variables as `layers`. */
  params: Parameters;
}

/** Options of {@link createMlp}. */
export interface MlpOptions {
  /** Activation of every hidden layer. @default 'relu' */
  hiddenActivation?: ActivationName;
  /** Weight initialisation. @default 'he' for relu, leakyRelu and gelu; 'glorot' for sigmoid and tanh */
  init?: DenseInit;
  /** Seed of the initial weights (layer l uses seed + l). @default 0 */
  seed?: number;
}

/**
 * Creates an MLP with seeded initial weights and zero biases. The last layer
 * is linear (it outputs logits).
 * @param layerSizes - units per layer, inputs first; at least 2 entries, each an integer ≥ 1.
 * @throws {ArgumentError} when `layerSizes` is not such an array, or an option is invalid.
 * @example
 * ```ts
 * const mlp = createMlp([784, 128, 10]);
 * Object.keys(mlp.params); // ['W1', 'b1', 'W2', 'b2']
 * mlpParameterCount(mlp);  // 101770 (784·128 + 128 + 128·10 + 10)
 * ```
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export function createMlp(layerSizes: number[], options: MlpOptions = {}): Mlp {
  const fn = 'createMlp';
  if (!Array.isArray(layerSizes) || layerSizes.length < 2) {
    throw new ArgumentError(`${fn}: layerSizes must be an array of at least 2 sizes (inputs, ..., outputs), got ${describe(layerSizes)}`);
  }
  layerSizes.forEach((s, i) => checkInteger(fn, `layerSizes[${i}]`, s, 1));
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const hiddenActivation = options.hiddenActivation ?? 'relu';
  if (!(ACTIVATION_NAMES as readonly unknown[]).includes(hiddenActivation) || hiddenActivation === 'softmax') {
    throw new ArgumentError(`${fn}: options.hiddenActivation must be one of ${ACTIVATION_NAMES.filter((a) => a !== 'softmax').join(', ')}, got ${describe(hiddenActivation)}`);
  }
  const init = options.init ?? (hiddenActivation === 'sigmoid' || hiddenActivation === 'tanh' ? 'glorot' : 'he');
  const seed = checkInteger(fn, 'options.seed', options.seed ?? 0, 0, 2 ** 32 - 1 - layerSizes.length);
  const layers: MlpLayer[] = [];
  const params: Parameters = {};
  for (let l = 1; l < layerSizes.length; l++) {
    const [inF, outF] = [layerSizes[l - 1], layerSizes[l]];
    const values = initDense(inF, outF, init, seed + l);
    // tf.variable copies its initial value; tidy frees the temporary tensor.
    const W = tf.tidy(() => tf.variable(tf.tensor2d(values.W, [inF, outF])));
    const b = tf.tidy(() => tf.variable(tf.tensor1d(values.b)));
    layers.push({ W, b, activation: l === layerSizes.length - 1 ? 'linear' : hiddenActivation });
    params[`W${l}`] = W;
    params[`b${l}`] = b;
  }
  return { layerSizes: [...layerSizes], layers, params };
}

/**
 * Number of trainable parameters: Σₗ (inₗ·outₗ + outₗ).
 * @example
 * ```ts
 * mlpParameterCount([784, 128, 10]); // 101770
 * ```
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 */
export function mlpParameterCount(mlp: Mlp | number[]): number {
  const sizes = Array.isArray(mlp) ? mlp : mlp?.layerSizes;
  if (!Array.isArray(sizes)) throw new ArgumentError(`mlpParameterCount: expected an Mlp or layer sizes, got ${describe(mlp)}`);
  let count = 0;
  for (let l = 1; l < sizes.length; l++) count += sizes[l - 1] * sizes[l] + sizes[l];
  return count;
}

/**
 * Frees an MLP's variables (its weights and biases).
 * @example
 * ```ts
 * const mlp = createMlp([4, 3, 2], { seed: 1 });
 * const before = tf.memory().numTensors;
 * disposeMlp(mlp);
 * before - tf.memory().numTensors; // 4 (two weights, two biases)
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export function disposeMlp(mlp: Mlp): void {
  for (const layer of mlp.layers) tf.dispose([layer.W, layer.b]);
}

/** What the forward pass keeps for the backward pass, per layer. */
export interface LayerCache {
  /** The layer's input Aₗ₋₁ `[batch, inFeatures]`. */
  X: tf.Tensor2D;
  /** Zₗ = X·Wₗ + bₗ `[batch, outFeatures]`. */
  Z: tf.Tensor2D;
  /** Aₗ = σₗ(Zₗ) `[batch, outFeatures]`. */
  A: tf.Tensor2D;
}

/** Result of {@link mlpForward}. */
export interface MlpForward {
  /** The last layer's output `[batch, outputs]` float32 (logits). */
  output: tf.Tensor2D;
  /** One entry per layer, first to last. */
  caches: LayerCache[];
}

function checkInput(fn: string, mlp: Mlp, X: unknown): tf.Tensor2D {
  if (mlp == null || !Array.isArray(mlp.layers)) throw new ArgumentError(`${fn}: mlp must be an Mlp from createMlp, got ${describe(mlp)}`);
  const x = checkTensor(fn, 'X', X);
  if (x.rank !== 2 || x.shape[1] !== mlp.layerSizes[0]) {
    throw new ArgumentError(
      `${fn}: X is ${shapeText(x.shape)} but the MLP takes [batch, ${mlp.layerSizes[0]}] (its first layer has ${mlp.layerSizes[0]} inputs)` +
        (x.rank === 4 ? '; flatten NHWC images with flattenImages first' : ''),
    );
  }
  return x as tf.Tensor2D;
}

/**
 * Forward pass, keeping what the backward pass needs. Inside `tf.tidy`, or
 * dispose `output` and every cached tensor yourself (the first cache's `X` is
 * your input, not a copy).
 * @param X - `[batch, layerSizes[0]]` float32.
 * @returns `output` `[batch, layerSizes[L]]` float32 logits and the per-layer caches.
 * @throws {ArgumentError} when `X` is not `[batch, layerSizes[0]]`.
 * @example
 * ```ts
 * const { output, caches } = mlpForward(createMlp([4, 3, 2]), tf.ones([5, 4]));
 * output.shape;  // [5, 2]
 * caches.length; // 2
 * ```
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 */
export function mlpForward(mlp: Mlp, X: tf.Tensor2D): MlpForward {
  let A = checkInput('mlpForward', mlp, X);
  const caches: LayerCache[] = [];
  for (const layer of mlp.layers) {
    const Z = dense(A, layer.W, layer.b); // [batch, outFeatures]
    const out = getActivation(layer.activation).forward(Z); // [batch, outFeatures]
    caches.push({ X: A, Z, A: out });
    A = out;
  }
  return { output: A, caches };
}

/**
 * Backward pass: from ∂L/∂output, the gradients of every parameter, layer by
 * layer from the last: dZₗ = σₗ's backward of dAₗ, then (dAₗ₋₁, dWₗ, dbₗ) from
 * the dense layer's backward. Call inside `tf.tidy` together with the forward pass.
 * @param caches - from {@link mlpForward}.
 * @param dOutput - `[batch, outputs]` float32, ∂L/∂output.
 * @returns `W1`, `b1`, …: one gradient per parameter, of its shape.
 * @throws {ArgumentError} when the caches do not match the MLP or dOutput's shape is not the output's.
 * @example
 * ```ts
 * const mlp = createMlp([4, 3, 2]);
 * const X = tf.ones([5, 4]);
 * const y = tf.tensor1d([0, 1, 1, 0, 1], 'int32');
 * const grads = tf.tidy(() => {
 *   const { output, caches } = mlpForward(mlp, X);
 *   return mlpBackward(mlp, caches, sparseCategoricalCrossentropyBackward(y, output));
 * });
 * grads.W1.shape; // [4, 3]
 * grads.b2.shape; // [2]
 * ```
 */
export function mlpBackward(mlp: Mlp, caches: LayerCache[], dOutput: tf.Tensor2D): Gradients {
  const fn = 'mlpBackward';
  if (mlp == null || !Array.isArray(mlp.layers)) throw new ArgumentError(`${fn}: mlp must be an Mlp from createMlp, got ${describe(mlp)}`);
  if (!Array.isArray(caches) || caches.length !== mlp.layers.length) {
    throw new ArgumentError(`${fn}: caches must have one entry per layer (${mlp.layers.length}), got ${describe(caches)}; pass mlpForward(...).caches`);
  }
  const last = caches[caches.length - 1].A;
  checkTensor(fn, 'dOutput', dOutput);
  if (dOutput.shape.join() !== last.shape.join()) throw new ArgumentError(`${fn}: dOutput is ${shapeText(dOutput.shape)} but the output is ${shapeText(last.shape)}; they must have the same shape`);
  const grads: Gradients = {};
  let dA: tf.Tensor2D = dOutput;
  for (let l = mlp.layers.length; l >= 1; l--) {
    const layer = mlp.layers[l - 1];
    const { X, Z, A } = caches[l - 1];
    const dZ = getActivation(layer.activation).backward(dA, Z, A); // [batch, outFeatures]
    const { dX, dW, db } = denseBackward(dZ, X, layer.W);
    grads[`W${l}`] = dW; // [inFeatures, outFeatures]
    grads[`b${l}`] = db; // [outFeatures]
    dA = dX; // [batch, inFeatures]: ∂L/∂Aₗ₋₁, for the layer below
  }
  return grads;
}

/** Result of {@link mlpLossAndGradients}. */
export interface LossAndGradients {
  /** Mean sparse categorical cross-entropy of the minibatch. */
  loss: number;
  /** Fraction of the minibatch classified correctly (argmax of the logits). */
  accuracy: number;
  /** One gradient per parameter. The caller disposes them. */
  grads: Gradients;
}

/**
 * Loss, accuracy and gradients of one minibatch: forward pass, sparse
 * categorical cross-entropy from the logits, ∂L/∂logits = (softmax − onehot)/batch,
 * backward pass. No tensor leaks except the returned gradients.
 * @param X - `[batch, layerSizes[0]]` float32.
 * @param labels - `[batch]` int32 class indices.
 * @throws {ArgumentError} when shapes do not fit.
 * @example
 * ```ts
 * const { loss, grads } = mlpLossAndGradients(createMlp([4, 8, 3]), tf.zeros([16, 4]), tf.tensor1d(new Int32Array(16), 'int32'));
 * loss;            // 1.0986 (ln 3: zero inputs give equal logits, so p = 1/3 for each class)
 * grads.W2.shape;  // [8, 3]
 * ```
 * @see [Notebook 04 §4 Backpropagation, step by step](../../notebooks/04-mlp-maths.ipynb#4.-Backpropagation,-step-by-step)
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export function mlpLossAndGradients(mlp: Mlp, X: tf.Tensor2D, labels: tf.Tensor1D): LossAndGradients {
  let loss = NaN;
  let accuracy = NaN;
  const grads = tf.tidy(() => {
    const { output, caches } = mlpForward(mlp, X);
    const lossT = sparseCategoricalCrossentropy(labels, output, { fromLogits: true, onSoftmaxAsLogits: 'ignore' });
    loss = lossT.dataSync()[0];
    accuracy = accuracyFromOutputs(labels, output); // argmax of the logits against the labels
    return mlpBackward(mlp, caches, sparseCategoricalCrossentropyBackward(labels, output));
  });
  return { loss, accuracy, grads };
}

/**
 * The MLP's logits for `X`, without caches (for evaluation).
 * @param X - `[batch, layerSizes[0]]` float32.
 * @returns `[batch, outputs]` float32 logits. The caller disposes it.
 * @example
 * ```ts
 * mlpPredict(createMlp([4, 3, 2]), tf.ones([5, 4])).shape; // [5, 2]
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 */
export function mlpPredict(mlp: Mlp, X: tf.Tensor2D): tf.Tensor2D {
  checkInput('mlpPredict', mlp, X);
  return tf.tidy(() => mlpForward(mlp, X).output);
}
