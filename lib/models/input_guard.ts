/**
 * A clear error where images enter a course model: the model's own
 * `predict`, `predictOnBatch`, `evaluate`, `fit` and `trainOnBatch` check
 * that image tensors are NHWC `[batch, height, width, channels]` as the model
 * expects, and name the transpose that fixes channels-first (NCHW) input,
 * instead of TF.js's generic shape message.
 */
import * as tf from '@tensorflow/tfjs';
import { checkNhwc } from '../nn/flatten';

const GUARDED = ['predict', 'predictOnBatch', 'evaluate', 'fit', 'trainOnBatch'] as const;

/** Checks `x` (a tensor, or the first of an array) with {@link checkNhwc}; other inputs (datasets) are left to TF.js. */
function checkNhwcInput(fn: string, x: unknown, hwc: readonly [number, number, number]): void {
  const t = Array.isArray(x) ? x[0] : x;
  if (t instanceof tf.Tensor) checkNhwc(fn, 'x', t.shape, hwc);
}

/**
 * Makes the model's own methods check image input with `checkNhwc`
 * when its input is `[batch, height, width, channels]`; other models are
 * returned unchanged. `buildCifar10Cnn` and `loadModel` call it.
 * @returns the same model.
 * @example
 * ```ts
 * const model = guardImageInput(buildCifar10Cnn());
 * model.predict(tf.zeros([1, 3, 32, 32])); // throws ArgumentError: cifar10_cnn.predict: x is [1, 3, 32, 32], which looks channels-first (NCHW
 * ```
 */
export function guardImageInput<M extends tf.LayersModel>(model: M): M {
  const shape = model.inputs[0]?.shape;
  if (!shape || shape.length !== 4 || shape.slice(1).some((d) => d == null)) return model;
  const hwc: [number, number, number] = [shape[1]!, shape[2]!, shape[3]!];
  const target = model as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of GUARDED) {
    const original = target[name];
    if (typeof original !== 'function' || (original as { nhwcGuard?: boolean }).nhwcGuard) continue;
    const returnsPromise = name === 'fit' || name === 'trainOnBatch';
    const guarded = function (this: unknown, x: unknown, ...rest: unknown[]) {
      try {
        checkNhwcInput(`${model.name}.${name}`, x, hwc);
      } catch (err) {
        if (returnsPromise) return Promise.reject(err); // as the method itself would fail
        throw err;
      }
      return original.call(this, x, ...rest);
    };
    (guarded as { nhwcGuard?: boolean }).nhwcGuard = true;
    target[name] = guarded;
  }
  return model;
}
