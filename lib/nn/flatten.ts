/**
 * Flattening a batch of images into feature vectors for a dense layer, with
 * the layout check every NHWC layer needs: TF.js (like Keras) stores images as
 * `[batch, height, width, channels]` (NHWC, "channels last"), while PyTorch and
 * the CIFAR-10 files store `[batch, channels, height, width]` (NCHW, "channels
 * first"). Feeding one as the other does not fail by itself: it silently mixes
 * pixels. TF.js layout guide: https://www.tensorflow.org/js/guide/tensors_operations.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../core/errors';
import { checkTensor, shapeText } from '../core/tensors';

/** Channel counts of common images: grey, RGB, RGBA. */
const CHANNEL_COUNTS = [1, 3, 4];

/**
 * Checks that `shape` is a batch of NHWC images `[batch, height, width, channels]`
 * and recognises channels-first (NCHW) input such as `[batch, 3, 32, 32]`.
 *
 * With `expected` `[height, width, channels]`, the shape must match it exactly;
 * without, a shape whose second dimension is a channel count (1, 3, 4) while
 * its last is not is taken for NCHW.
 * @param fn - the calling function, named in the error.
 * @param arg - the argument, named in the error.
 * @param shape - the shape to check.
 * @param expected - `[height, width, channels]` the layer expects, if known.
 * @returns `[batch, height, width, channels]`.
 * @throws {ArgumentError} when the rank is not 4, the input looks channels-first
 *   (the message names NHWC and the transpose that fixes it), or it differs from `expected`.
 * @example
 * ```ts
 * checkNhwc('conv', 'X', [8, 32, 32, 3]); // [8, 32, 32, 3]
 * checkNhwc('conv', 'X', [8, 3, 32, 32]); // throws ArgumentError: looks channels-first (NCHW
 * // The whole message: conv: X is [8, 3, 32, 32], which looks channels-first (NCHW: [batch, channels, height, width]);
 * // this layer expects NHWC [batch, height, width, channels], here [8, 32, 32, 3]. Transpose it: tf.transpose(X, [0, 2, 3, 1])
 * ```
 */
export function checkNhwc(fn: string, arg: string, shape: readonly number[], expected?: readonly [number, number, number]): [number, number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 4) {
    throw new ArgumentError(
      `${fn}: ${arg} must be a batch of images [batch, height, width, channels] (NHWC, rank 4), got shape ${Array.isArray(shape) ? shapeText(shape) : String(shape)}` +
        (Array.isArray(shape) && shape.length === 3 ? '; for one image use expandDims(0)' : ''),
    );
  }
  const [n, d1, d2, d3] = shape;
  const channelsFirst = (): ArgumentError =>
    new ArgumentError(
      `${fn}: ${arg} is ${shapeText(shape)}, which looks channels-first (NCHW: [batch, channels, height, width]); ` +
        `this layer expects NHWC [batch, height, width, channels], here ${shapeText([n, d2, d3, d1])}. ` +
        `Transpose it: tf.transpose(${arg}, [0, 2, 3, 1])`,
    );
  if (expected !== undefined) {
    const [h, w, c] = expected;
    if (d1 === h && d2 === w && d3 === c) return [n, d1, d2, d3];
    if (d1 === c && d2 === h && d3 === w) throw channelsFirst();
    throw new ArgumentError(
      `${fn}: ${arg} is ${shapeText(shape)} but the layer expects NHWC images [batch, ${h}, ${w}, ${c}] ([batch, height, width, channels])`,
    );
  }
  if (CHANNEL_COUNTS.includes(d1) && !CHANNEL_COUNTS.includes(d3)) throw channelsFirst();
  return [n, d1, d2, d3];
}

/**
 * Flattens NHWC images into rows for a dense layer: `[batch, height, width,
 * channels]` → `[batch, height·width·channels]`, each row the image's values
 * in row-major order (row by row, each pixel's channels together).
 * @param images - `[batch, height, width, channels]` float32, NHWC.
 * @param expected - `[height, width, channels]` the model was built for, if known.
 * @returns `[batch, height·width·channels]` float32. The caller disposes it.
 * @throws {ArgumentError} as {@link checkNhwc} (wrong rank, channels-first input, a different image size).
 * @example
 * ```ts
 * flattenImages(tf.zeros([2, 28, 28, 1])).shape; // [2, 784]
 * flattenImages(tf.zeros([2, 3, 32, 32])); // throws ArgumentError: expects NHWC [batch, height, width, channels]
 * ```
 * @see [Notebook 04 §1 A dense layer: `Z = XW + b`](../../notebooks/04-mlp-maths.ipynb#1.-A-dense-layer:-Z-=-XW-+-b)
 */
export function flattenImages(images: tf.Tensor4D, expected?: readonly [number, number, number]): tf.Tensor2D {
  checkTensor('flattenImages', 'images', images);
  const [n, h, w, c] = checkNhwc('flattenImages', 'images', images.shape, expected);
  return tf.reshape(images, [n, h * w * c]); // [batch, height·width·channels]
}
