/**
 * Gradient checking: compare a gradient computed by hand (backpropagation)
 * with central finite differences, (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, entry by
 * entry, by their relative error. Goodfellow, Bengio & Courville, "Deep
 * Learning" (2016), §11.5 ("Debugging strategies": numerical gradient check);
 * the relative-error criterion as in Stanford CS231n's notes on gradient checks.
 *
 * The central difference has error O(h²) (the first-order terms of the Taylor
 * series cancel), against O(h) for the one-sided (f(x + h) − f(x)) / h. But
 * the smaller h, the larger the round-off: f is known to about ε·|f| (ε ≈ 1e-16
 * in float64, 1e-7 in float32), and that error is divided by 2h. The total is
 * smallest near h ≈ ∛(3ε), hence the defaults: h = 1e-5 for plain JavaScript
 * numbers (float64), h = 1e-2 for TF.js tensors (float32), and a looser
 * tolerance for float32.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { seededRandom } from '../core/random';
import { checkTensor, shapeText } from '../core/tensors';

/**
 * Relative error |a − b| / max(|a|, |b|, floor): 0 for equal values, about 1
 * for unrelated ones. `floor` keeps two tiny numbers (both ≈ 0) from looking
 * far apart.
 * @param floor - smallest denominator. @default 1e-8
 * @example
 * ```ts
 * relativeError(1, 1.001); // 0.000999 (about 1e-3)
 * relativeError(0, 1e-12); // 1e-4 (1e-12 / 1e-8)
 * ```
 */
export function relativeError(a: number, b: number, floor = 1e-8): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

function checkStep(fn: string, h: unknown): number {
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0) throw new ArgumentError(`${fn}: options.h must be a finite number > 0, got ${describe(h)}`);
  return h;
}

/**
 * Central finite-difference gradient of a scalar function of a vector:
 * gᵢ = (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, for each entry i (2·n calls of f).
 * @param f - the function; it receives a modified copy of `x` and must not keep it.
 * @param x - `[n]` the point, float64.
 * @param h - the step. @default 1e-5
 * @returns `[n]` float64, the numerical gradient.
 * @throws {ArgumentError} when `f` is not a function, `x` not an array of numbers or `h` not > 0.
 * @example
 * ```ts
 * numericalGradient((x) => x[0] ** 2 + 3 * x[1], [2, 5]); // Float64Array [4.0000000, 3.0000000] (≈ [2·x₀, 3])
 * ```
 */
export function numericalGradient(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-5): Float64Array {
  const fn = 'numericalGradient';
  if (typeof f !== 'function') throw new ArgumentError(`${fn}: f must be a function, got ${describe(f)}`);
  if (x == null || typeof x.length !== 'number') throw new ArgumentError(`${fn}: x must be an array of numbers, got ${describe(x)}`);
  checkStep(fn, h);
  const point = Float64Array.from(x);
  const grad = new Float64Array(point.length);
  for (let i = 0; i < point.length; i++) {
    const xi = point[i];
    point[i] = xi + h;
    const plus = f(point);
    point[i] = xi - h;
    const minus = f(point);
    point[i] = xi;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/** Options of {@link gradientCheck}. */
export interface GradientCheckOptions {
  /** Finite-difference step. @default 1e-5 */
  h?: number;
  /** Largest relative error that passes. @default 1e-6 */
  tolerance?: number;
  /** Smallest denominator of the relative error (see {@link relativeError}). @default 1e-8 */
  floor?: number;
}

/** What {@link gradientCheck} found. */
export interface GradientCheckResult {
  /** `[n]` the gradient given (by backpropagation, or a formula). */
  analytic: Float64Array;
  /** `[n]` central finite differences. */
  numerical: Float64Array;
  /** `[n]` relative error of each entry. */
  relativeErrors: Float64Array;
  /** The largest relative error (0 for n = 0). */
  maxRelativeError: number;
  /** Entry with the largest relative error (−1 for n = 0). */
  worstIndex: number;
  /** `maxRelativeError <= tolerance`. */
  passed: boolean;
  /** The tolerance used. */
  tolerance: number;
}

/**
 * Checks a gradient against central finite differences, entry by entry.
 *
 * Rule of thumb in float64 with h = 1e-5 (CS231n): a relative error below 1e-7
 * is right, around 1e-4 suspicious (unless f has kinks, such as ReLU at 0),
 * above 1e-2 a bug.
 * @param f - the scalar function.
 * @param analytic - `[n]` the gradient of f at x to check.
 * @param x - `[n]` the point.
 * @returns analytic and numerical gradients, relative errors, the worst entry and whether it passed.
 * @throws {ArgumentError} when `analytic` and `x` differ in length, or an option is invalid.
 * @example
 * ```ts
 * const f = (x: Float64Array) => Math.sin(x[0]) * x[1];
 * gradientCheck(f, [Math.cos(1) * 2, Math.sin(1)], [1, 2]).passed;  // true (max relative error ~1e-10)
 * gradientCheck(f, [Math.sin(1) * 2, Math.sin(1)], [1, 2]).passed;  // false (sin's derivative taken as sin)
 * ```
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 */
export function gradientCheck(f: (x: Float64Array) => number, analytic: ArrayLike<number>, x: ArrayLike<number>, options: GradientCheckOptions = {}): GradientCheckResult {
  const fn = 'gradientCheck';
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  if (analytic == null || x == null || analytic.length !== x.length) {
    throw new ArgumentError(`${fn}: analytic has ${analytic?.length} entries but x has ${x?.length}; the gradient has one entry per entry of x`);
  }
  const h = checkStep(fn, options.h ?? 1e-5);
  const tolerance = options.tolerance ?? 1e-6;
  const floor = options.floor ?? 1e-8;
  const numerical = numericalGradient(f, x, h);
  return compare(Float64Array.from(analytic), numerical, tolerance, floor);
}

function compare(analytic: Float64Array, numerical: Float64Array, tolerance: number, floor: number): GradientCheckResult {
  const relativeErrors = new Float64Array(analytic.length);
  let maxRelativeError = 0;
  let worstIndex = analytic.length > 0 ? 0 : -1;
  for (let i = 0; i < analytic.length; i++) {
    const e = relativeError(analytic[i], numerical[i], floor);
    relativeErrors[i] = e;
    if (e > maxRelativeError || Number.isNaN(e)) {
      maxRelativeError = e;
      worstIndex = i;
    }
  }
  return { analytic, numerical, relativeErrors, maxRelativeError, worstIndex, passed: maxRelativeError <= tolerance, tolerance };
}

/** Options of {@link gradientCheckTensors}. */
export interface TensorGradientCheckOptions {
  /** Finite-difference step; float32 needs a larger one than float64 (≈ ∛(3ε), see the module's comment). @default 1e-2 */
  h?: number;
  /** Largest relative error that passes; float32 cannot do better than ~1e-4. @default 1e-2 */
  tolerance?: number;
  /**
   * Smallest denominator of the relative error: gradient entries below it are
   * compared absolutely. Raise it for losses of large magnitude: float32
   * round-off makes a true 0 come out as about 1e-7·|f| / h. @default 1e-4
   */
  floor?: number;
  /** Check only this many entries, drawn at random (seeded), instead of all. @default all */
  entries?: number;
  /** Seed of the entries drawn. @default 0 */
  seed?: number;
}

/** Where a checked entry lives among the inputs of {@link gradientCheckTensors}. */
export interface EntryLocation {
  /** Position of the tensor in `inputs`. */
  tensor: number;
  /** Flat (row-major) index of the entry inside that tensor. */
  index: number;
}

/** What {@link gradientCheckTensors} found: {@link GradientCheckResult} plus where each checked entry lives. */
export interface TensorGradientCheckResult extends GradientCheckResult {
  /** For each checked entry, its tensor and index. */
  where: EntryLocation[];
}

/**
 * {@link gradientCheck} for a scalar function of TF.js tensors, such as a
 * network's loss as a function of its weights: each checked entry of each
 * input is moved by ±h, f is evaluated (in float32), and the central
 * difference is compared with the given gradient's entry.
 * @param f - the loss, from the inputs (in the same order); returns a scalar tensor.
 * @param inputs - the tensors to differentiate with respect to (not modified).
 * @param analytic - their gradients, one per input and of the same shape.
 * @returns the comparison, with `where` locating each checked entry.
 * @throws {ArgumentError} when the lists differ in length, a gradient's shape differs from its input's, or an option is invalid.
 * @example
 * ```ts
 * const x = tf.tensor1d([1, 2]);
 * const f = ([t]: tf.Tensor[]) => tf.sum(tf.square(t)) as tf.Scalar;
 * gradientCheckTensors(f, [x], [tf.tensor1d([2, 4])]).passed; // true (∂/∂x Σx² = 2x)
 * ```
 * @see [Notebook 04 §5 The gradient check](../../notebooks/04-mlp-maths.ipynb#5.-The-gradient-check)
 */
export function gradientCheckTensors(
  f: (inputs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  analytic: tf.Tensor[],
  options: TensorGradientCheckOptions = {},
): TensorGradientCheckResult {
  const fn = 'gradientCheckTensors';
  if (typeof f !== 'function') throw new ArgumentError(`${fn}: f must be a function, got ${describe(f)}`);
  if (!Array.isArray(inputs) || !Array.isArray(analytic) || inputs.length !== analytic.length) {
    throw new ArgumentError(`${fn}: inputs and analytic must be arrays of tensors of the same length, got ${describe(inputs)} and ${describe(analytic)}`);
  }
  inputs.forEach((t, i) => {
    checkTensor(fn, `inputs[${i}]`, t);
    checkTensor(fn, `analytic[${i}]`, analytic[i]);
    if (t.shape.join() !== analytic[i].shape.join()) {
      throw new ArgumentError(`${fn}: analytic[${i}] is ${shapeText(analytic[i].shape)} but inputs[${i}] is ${shapeText(t.shape)}; a gradient has its input's shape`);
    }
  });
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const h = checkStep(fn, options.h ?? 1e-2);
  const tolerance = options.tolerance ?? 1e-2;
  const floor = options.floor ?? 1e-4;

  const values = inputs.map((t) => Float32Array.from(t.dataSync()));
  const grads = analytic.map((t) => t.dataSync());
  let where: EntryLocation[] = [];
  values.forEach((v, t) => {
    for (let index = 0; index < v.length; index++) where.push({ tensor: t, index });
  });
  if (options.entries !== undefined) {
    checkInteger(fn, 'options.entries', options.entries, 1);
    const rand = seededRandom(checkInteger(fn, 'options.seed', options.seed ?? 0, 0, 2 ** 32 - 1));
    for (let i = where.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1)); // Fisher–Yates, then keep the first `entries`
      [where[i], where[j]] = [where[j], where[i]];
    }
    where = where.slice(0, options.entries);
  }

  const evaluate = (): number =>
    tf.tidy(() => {
      const ts = values.map((v, i) => tf.tensor(v, inputs[i].shape, 'float32'));
      return f(ts).dataSync()[0];
    });
  const numerical = new Float64Array(where.length);
  const given = new Float64Array(where.length);
  where.forEach(({ tensor, index }, k) => {
    const v = values[tensor];
    const original = v[index];
    v[index] = original + h;
    const plus = evaluate();
    v[index] = original - h;
    const minus = evaluate();
    v[index] = original;
    // (x + h) − (x − h) in float32 is not exactly 2h: divide by the real step.
    numerical[k] = (plus - minus) / (Math.fround(original + h) - Math.fround(original - h));
    given[k] = grads[tensor][index];
  });
  return { ...compare(given, numerical, tolerance, floor), where };
}
