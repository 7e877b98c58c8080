/**
 * Argument checks for tensors, shared by the from-scratch MLP modules: each
 * error names the function and the argument, then what was expected and what
 * came (shape and dtype), as lib/core/errors.ts asks.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from './errors';

/** `[4, 3]` for a shape array. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Whether `value` is a TF.js tensor (duck-typed, so a second copy of TF.js also passes). */
export function isTensor(value: unknown): value is tf.Tensor {
  return value instanceof tf.Tensor || (value != null && typeof value === 'object' && Array.isArray((value as tf.Tensor).shape) && typeof (value as tf.Tensor).dataSync === 'function');
}

/**
 * Checks that `value` is a tensor, of rank `rank` when given; returns it.
 * `dims` names the dimensions for the message, e.g. `'[batch, inFeatures]'`.
 */
export function checkTensor(fn: string, arg: string, value: unknown, rank?: number, dims?: string): tf.Tensor {
  if (!isTensor(value)) {
    throw new ArgumentError(`${fn}: ${arg} must be a tf.Tensor${dims ? ` ${dims}` : ''}, got ${describe(value)}`);
  }
  if (value.isDisposed) throw new ArgumentError(`${fn}: ${arg} is a disposed tensor (shape ${shapeText(value.shape)})`);
  if (rank !== undefined && value.rank !== rank) {
    throw new ArgumentError(`${fn}: ${arg} must be ${dims ?? `rank ${rank}`} (rank ${rank}), got shape ${shapeText(value.shape)} (rank ${value.rank})`);
  }
  return value;
}

/** Checks that `a` and `b` have the same shape. */
export function checkSameShape(fn: string, argA: string, a: tf.Tensor, argB: string, b: tf.Tensor): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ArgumentError(`${fn}: ${argA} is ${shapeText(a.shape)} but ${argB} is ${shapeText(b.shape)}; they must have the same shape`);
  }
}

/**
 * Name of the first tensor holding NaN or ±Infinity, or undefined when all
 * are finite: the parameter check both training loops run after each epoch.
 * @param named - `[name, tensor]` pairs, e.g. `Object.entries(mlp.params)`.
 * @example
 * ```ts
 * firstNonFinite([['W', tf.ones([2])], ['b', tf.tensor1d([0, NaN])]]); // 'b'
 * ```
 */
export function firstNonFinite(named: Iterable<[string, tf.Tensor]>): string | undefined {
  for (const [name, t] of named) {
    if (!tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1)) return name;
  }
  return undefined;
}
