/**
 * Optimizers from scratch: plain stochastic gradient descent, SGD with
 * momentum, and Adam. Each updates a set of named parameters (`tf.Variable`s)
 * in place from their gradients, with exactly the update rules of TF.js's
 * `tf.train.sgd`, `tf.train.momentum` and `tf.train.adam` (the tests step both
 * side by side). Sources: Goodfellow, Bengio & Courville, "Deep Learning"
 * (2016), §8.3.1 (SGD), §8.3.2 (momentum), §8.5.3 (Adam); Kingma & Ba (2015),
 * "Adam: A Method for Stochastic Optimization", Algorithm 1.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkPositive, describe } from '../core/errors';
import { checkTensor, shapeText } from '../core/tensors';

/** Named trainable parameters, e.g. `{ W1, b1, W2, b2 }`. */
export type Parameters = Record<string, tf.Variable>;

/** Gradients of the loss, one per parameter name, each of its parameter's shape. */
export type Gradients = Record<string, tf.Tensor>;

/**
 * An optimizer: updates parameters in place from their gradients, one step per minibatch.
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export interface Optimizer {
  /** `sgd`, `momentum` or `adam`. */
  readonly name: string;
  /** Steps taken so far. */
  readonly iterations: number;
  /** One update of every parameter from its gradient (`grads` must hold one per parameter). */
  step(params: Parameters, grads: Gradients): void;
  /** Frees the optimizer's state (momentum, moment estimates). */
  dispose(): void;
}

function checkStep(fn: string, params: Parameters, grads: Gradients): string[] {
  if (params === null || typeof params !== 'object') throw new ArgumentError(`${fn}: params must be an object of tf.Variables, got ${describe(params)}`);
  if (grads === null || typeof grads !== 'object') throw new ArgumentError(`${fn}: grads must be an object of tensors, got ${describe(grads)}`);
  const names = Object.keys(params);
  for (const name of names) {
    const p = checkTensor(fn, `params.${name}`, params[name]);
    if (!(p instanceof tf.Variable)) throw new ArgumentError(`${fn}: params.${name} must be a tf.Variable (updated in place), got a tf.Tensor; wrap it with tf.variable()`);
    if (!(name in grads)) throw new ArgumentError(`${fn}: grads has no entry for parameter '${name}' (grads has: ${Object.keys(grads).join(', ') || 'nothing'})`);
    const g = checkTensor(fn, `grads.${name}`, grads[name]);
    if (g.shape.join() !== p.shape.join()) {
      throw new ArgumentError(`${fn}: grads.${name} is ${shapeText(g.shape)} but params.${name} is ${shapeText(p.shape)}; a gradient has its parameter's shape`);
    }
  }
  return names;
}

function checkFraction(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ArgumentError(`${fn}: ${arg} must be a number in [0, 1), got ${describe(value)}`);
  }
  return value;
}

/** Zero-filled state tensors, one per parameter, created on first use. */
class SlotStore {
  private slots = new Map<string, tf.Variable>();
  get(name: string, like: tf.Tensor): tf.Variable {
    let v = this.slots.get(name);
    if (v === undefined) {
      v = tf.tidy(() => tf.variable(tf.zerosLike(like), false)); // not trainable: optimizer state; tidy frees the zeros it copies
      this.slots.set(name, v);
    }
    return v;
  }
  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}

// ---------------------------------------------------------------- SGD

/**
 * Stochastic gradient descent: θ ← θ − η·g.
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor1d([1]));
 * new SgdOptimizer(0.1).step({ w }, { w: tf.tensor1d([2]) });
 * w.dataSync(); // Float32Array [0.8]  (1 − 0.1·2)
 * ```
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export class SgdOptimizer implements Optimizer {
  readonly name = 'sgd';
  private steps = 0;
  /** Steps taken so far. */
  get iterations(): number {
    return this.steps;
  }
  /**
   * @param learningRate - η, the step size. @default 0.01 (as Keras)
   * @throws {ArgumentError} when `learningRate` is not a finite number > 0.
   */
  constructor(readonly learningRate = 0.01) {
    checkPositive('SgdOptimizer', 'learningRate', learningRate);
  }
  step(params: Parameters, grads: Gradients): void {
    for (const name of checkStep('SgdOptimizer.step', params, grads)) {
      tf.tidy(() => params[name].assign(tf.sub(params[name], tf.mul(grads[name], this.learningRate))));
    }
    this.steps++;
  }
  dispose(): void {}
}

// ---------------------------------------------------------------- momentum

/**
 * SGD with momentum, in TF.js's and PyTorch's form: a velocity v sums past
 * gradients with decay μ, v ← μ·v + g, and θ ← θ − η·v (v starts at 0). The
 * textbook form v ← μ·v − η·g, θ ← θ + v gives the same steps for a constant η.
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor1d([1]));
 * const opt = new MomentumOptimizer(0.1, 0.9);
 * // step 1: v = 1, w = 1 − 0.1·1 = 0.9; step 2: v = 0.9·1 + 1 = 1.9, w = 0.9 − 0.1·1.9 = 0.71
 * opt.step({ w }, { w: tf.tensor1d([1]) });
 * opt.step({ w }, { w: tf.tensor1d([1]) });
 * w.dataSync(); // Float32Array [0.71]
 * ```
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 */
export class MomentumOptimizer implements Optimizer {
  readonly name = 'momentum';
  private steps = 0;
  private velocity = new SlotStore();
  get iterations(): number {
    return this.steps;
  }
  /**
   * @param learningRate - η. @default 0.01
   * @param momentum - μ, the decay of the velocity, in [0, 1). @default 0.9
   * @throws {ArgumentError} when `learningRate` is not > 0 or `momentum` not in [0, 1).
   */
  constructor(readonly learningRate = 0.01, readonly momentum = 0.9) {
    checkPositive('MomentumOptimizer', 'learningRate', learningRate);
    checkFraction('MomentumOptimizer', 'momentum', momentum);
  }
  step(params: Parameters, grads: Gradients): void {
    for (const name of checkStep('MomentumOptimizer.step', params, grads)) {
      const v = this.velocity.get(name, params[name]);
      tf.tidy(() => {
        v.assign(tf.add(tf.mul(v, this.momentum), grads[name])); // v ← μv + g
        params[name].assign(tf.sub(params[name], tf.mul(v, this.learningRate))); // θ ← θ − ηv
      });
    }
    this.steps++;
  }
  dispose(): void {
    this.velocity.dispose();
  }
}

// ---------------------------------------------------------------- Adam

/** Hyperparameters of {@link AdamOptimizer}. */
export interface AdamOptions {
  /** η, the step size. @default 0.001 */
  learningRate?: number;
  /** β₁, decay of the first-moment (mean) estimate. @default 0.9 */
  beta1?: number;
  /** β₂, decay of the second-moment (uncentred variance) estimate. @default 0.999 */
  beta2?: number;
  /**
   * ε, added to √v̂ (outside the square root, after bias correction). @default 1e-7
   * (TF.js's and Keras's default; the paper and PyTorch use 1e-8)
   */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1), the update TF.js's `tf.train.adam` makes:
 * ```
 * t ← t + 1
 * m ← β₁·m + (1 − β₁)·g           first moment (mean of g)
 * v ← β₂·v + (1 − β₂)·g²          second moment (mean of g²)
 * m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)     bias correction (m and v start at 0)
 * θ ← θ − η · m̂ / (√v̂ + ε)
 * ```
 * **The ε convention**: ε is added to √v̂, after bias correction, as in the
 * paper, TF.js and PyTorch. TensorFlow's Python `tf.keras.optimizers.Adam`
 * instead adds an "ε̂" to √v without bias correction; the two differ when
 * gradients are as small as ε. On the first step m̂ = g and v̂ = g², so every
 * parameter moves by η·g / (|g| + ε): by almost exactly η whatever the
 * gradient's size, unless |g| is near ε (g = 1e-7 moves it by η/2).
 * @example
 * ```ts
 * const w = tf.variable(tf.tensor1d([1]));
 * new AdamOptimizer({ learningRate: 0.1 }).step({ w }, { w: tf.tensor1d([0.001]) });
 * w.dataSync(); // Float32Array [0.90001] (1 − 0.1 · 0.001 / 0.0010001)
 * ```
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04 §Exercises](../../notebooks/04-mlp-maths.ipynb#Exercises)
 */
export class AdamOptimizer implements Optimizer {
  readonly name = 'adam';
  /** η, the step size. */
  readonly learningRate: number;
  /** β₁, decay of the first-moment estimate m. */
  readonly beta1: number;
  /** β₂, decay of the second-moment estimate v. */
  readonly beta2: number;
  /** ε, added to √v̂. */
  readonly epsilon: number;
  private steps = 0;
  private m = new SlotStore();
  private v = new SlotStore();
  get iterations(): number {
    return this.steps;
  }
  /** @throws {ArgumentError} when η or ε is not > 0, or β₁, β₂ not in [0, 1). */
  constructor(options: AdamOptions = {}) {
    const fn = 'AdamOptimizer';
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
    this.learningRate = checkPositive(fn, 'options.learningRate', options.learningRate ?? 0.001);
    this.beta1 = checkFraction(fn, 'options.beta1', options.beta1 ?? 0.9);
    this.beta2 = checkFraction(fn, 'options.beta2', options.beta2 ?? 0.999);
    this.epsilon = checkPositive(fn, 'options.epsilon', options.epsilon ?? 1e-7);
  }
  step(params: Parameters, grads: Gradients): void {
    const names = checkStep('AdamOptimizer.step', params, grads);
    const t = this.steps + 1;
    const correction1 = 1 - this.beta1 ** t; // 1 − β₁ᵗ
    const correction2 = 1 - this.beta2 ** t; // 1 − β₂ᵗ
    for (const name of names) {
      const m = this.m.get(name, params[name]);
      const v = this.v.get(name, params[name]);
      const g = grads[name];
      tf.tidy(() => {
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const mHat = tf.div(m, correction1);
        const vHat = tf.div(v, correction2);
        params[name].assign(tf.sub(params[name], tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), this.learningRate)));
      });
    }
    this.steps = t;
  }
  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

/** Names of the optimizers {@link createOptimizer} builds. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'adam'] as const;

/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * An optimizer by name, with its learning rate (other hyperparameters at their defaults).
 * @throws {ArgumentError} when `name` is unknown or `learningRate` is not > 0.
 * @example
 * ```ts
 * createOptimizer('adam', 1e-3).name; // 'adam'
 * ```
 */
export function createOptimizer(name: OptimizerName, learningRate: number): Optimizer {
  if (name === 'sgd') return new SgdOptimizer(learningRate);
  if (name === 'momentum') return new MomentumOptimizer(learningRate);
  if (name === 'adam') return new AdamOptimizer({ learningRate });
  throw new ArgumentError(`createOptimizer: name must be one of ${OPTIMIZER_NAMES.join(', ')}, got ${describe(name)}`);
}
