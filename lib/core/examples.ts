/**
 * The one record of n labelled examples used by every data set, trainer and
 * notebook ({@link LabeledExamples}: uint8 pixels, int32 labels), and the one
 * conversion of uint8 pixels to float32 in [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from './errors';

/**
 * n labelled examples: `pixels` `[n, ...exampleShape]` uint8 (row-major; for
 * images `[n, height, width, channels]`, NHWC), `labels` `[n]` int32 class
 * indices in [0, numClasses). CIFAR-10 and Fashion-MNIST load as this record;
 * both training loops take it.
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export interface LabeledExamples {
  /** Number of examples. */
  n: number;
  /** `[n, ...exampleShape]` uint8, row-major, values 0..255. */
  pixels: Uint8Array;
  /** `[n]` int32 class indices. */
  labels: Int32Array;
  /** `[height, width, channels]` of one image (NHWC), when the examples are images; loaders set it. */
  imageShape?: readonly [number, number, number];
}

/**
 * Per-channel mean and standard deviation of images, in the [0, 1] units of
 * `pixel / 255`: what `channelMeanStd` computes from a training set and
 * `buildResNet`'s `normalization` applies as `(x − mean) / std`.
 */
export interface ChannelNormalization {
  /** `[channels]` mean of each channel, in [0, 1]. */
  mean: readonly number[];
  /** `[channels]` standard deviation of each channel, ≥ 0 (`buildResNet` needs > 0). */
  std: readonly number[];
}

/**
 * Checks that `data` is a {@link LabeledExamples} record and returns the
 * number of values per example (`pixels.length / n`, or `perExample` when given).
 * @throws {ArgumentError} naming `fn` and `arg` when a field has the wrong type or length.
 * @example
 * ```ts
 * checkExamples('f', 'data', { n: 2, pixels: new Uint8Array(6), labels: new Int32Array(2) }); // 3
 * ```
 */
export function checkExamples(fn: string, arg: string, data: LabeledExamples, perExample?: number): number {
  if (data == null || typeof data !== 'object' || !(data.pixels instanceof Uint8Array) || !(data.labels instanceof Int32Array) || !Number.isInteger(data.n) || data.n < 0) {
    throw new ArgumentError(`${fn}: ${arg} must be { n, pixels: Uint8Array, labels: Int32Array }, got ${describe(data)}`);
  }
  if (data.labels.length !== data.n) throw new ArgumentError(`${fn}: ${arg}.labels has ${data.labels.length} entries but ${arg}.n = ${data.n}`);
  if (perExample !== undefined) {
    if (data.pixels.length !== data.n * perExample) {
      throw new ArgumentError(`${fn}: ${arg}.pixels has ${data.pixels.length} values but n = ${data.n} examples of ${perExample} values need ${data.n * perExample}`);
    }
    return perExample;
  }
  if (data.n === 0) return 0;
  const per = data.pixels.length / data.n;
  if (!Number.isInteger(per)) throw new ArgumentError(`${fn}: ${arg}.pixels has ${data.pixels.length} values, not a multiple of ${arg}.n = ${data.n}`);
  return per;
}

/**
 * Checks that every label is an integer class index in [0, numClasses), before
 * any training step: a 1-based label, −1 for "unknown" or a label of 10 with
 * 10 classes would otherwise train silently (or spill into the next row of a
 * one-hot target).
 * @param labels - `[n]` class indices.
 * @throws {ArgumentError} naming `fn`, `arg`, the index of the first bad label, its value and the valid range.
 * @example
 * ```ts
 * checkLabels('f', 'train.labels', new Int32Array([0, 2, 1]), 3); // undefined (no error)
 * checkLabels('f', 'train.labels', new Int32Array([1, 3]), 3); // throws ArgumentError: f: train.labels[1] is 3; class indices must be integers in [0, 3) ...
 * ```
 */
export function checkLabels(fn: string, arg: string, labels: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) {
      throw new ArgumentError(
        `${fn}: ${arg}[${i}] is ${y}; class indices must be integers in [0, ${numClasses}) ` +
          `(are the labels 1-based, or is −1 used for "unknown"? Map them to 0…${numClasses - 1} or drop those examples)`,
      );
    }
  }
}

/**
 * Writes `src[from + i] / 255` into `dst[to + i]` for i < count: the one place
 * where uint8 pixels become float32 values in [0, 1] (a float division, never
 * an integer one).
 */
function scalePixels(src: Uint8Array, from: number, dst: Float32Array, to: number, count: number): void {
  for (let i = 0; i < count; i++) dst[to + i] = src[from + i] / 255;
}

/**
 * Pixels 0..255 as float32 in [0, 1]: `pixel / 255` in floating point. In
 * languages with integer division (Python 2's `/`, C) dividing a byte by 255
 * gives 0 for every pixel but pure white; in TypeScript `/` is always a float
 * division, and the result is stored as float32.
 * @param pixels - `[n]` uint8.
 * @returns `[n]` float32 in [0, 1].
 * @throws {ArgumentError} when `pixels` is not a Uint8Array.
 * @example
 * ```ts
 * pixelsToFloat32(new Uint8Array([0, 51, 255])); // Float32Array [0, 0.2, 1]
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 */
export function pixelsToFloat32(pixels: Uint8Array): Float32Array {
  if (!(pixels instanceof Uint8Array)) throw new ArgumentError(`pixelsToFloat32: pixels must be a Uint8Array, got ${describe(pixels)}`);
  const out = new Float32Array(pixels.length);
  scalePixels(pixels, 0, out, 0, pixels.length);
  return out;
}

/** What {@link gatherExamples} returns. */
export interface GatheredExamples {
  /** `[count, perExample]` float32 in [0, 1] (a view of `out` when one was given). */
  pixels: Float32Array;
  /** `[count]` int32 class indices. */
  labels: Int32Array;
}

/**
 * The examples `indices[start..end)`: their pixels as float32 in [0, 1] and
 * their labels, in that order. No checks (callers check once per run).
 * @param out - a buffer of at least `(end − start) · perExample` values to reuse. @default a new one
 * @example
 * ```ts
 * const data = { n: 2, pixels: new Uint8Array([0, 255, 51, 102]), labels: new Int32Array([3, 7]) };
 * const g = gatherExamples(data, 2, [1, 0], 0, 2);
 * Array.from(g.pixels); // [0.2, 0.4, 0, 1]
 * Array.from(g.labels); // [7, 3]
 * ```
 */
export function gatherExamples(data: LabeledExamples, perExample: number, indices: ArrayLike<number>, start: number, end: number, out?: Float32Array): GatheredExamples {
  const size = end - start;
  const pixels = out ? out.subarray(0, size * perExample) : new Float32Array(size * perExample);
  const labels = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    const i = indices[start + k];
    scalePixels(data.pixels, i * perExample, pixels, k * perExample, perExample);
    labels[k] = data.labels[i];
  }
  return { pixels, labels };
}

/** Checks 0 ≤ start ≤ end ≤ data.n; returns [start, end] and the values per example. */
function checkRange(fn: string, data: LabeledExamples, start: unknown, end: unknown): [number, number, number] {
  const per = checkExamples(fn, 'data', data);
  const s = checkInteger(fn, 'start', start, 0, data.n);
  const e = checkInteger(fn, 'end', end, s, data.n);
  return [s, e, per];
}

/**
 * Examples [start, end) as a new record whose arrays are views sharing memory
 * with `data` (no copy; `.slice()` them to copy).
 * @returns `pixels` `[end-start, ...exampleShape]` uint8, `labels` `[end-start]` int32.
 * @throws {ArgumentError} when start or end is not an integer with 0 ≤ start ≤ end ≤ n.
 * @example
 * ```ts
 * const data = { n: 200, pixels: new Uint8Array(200 * 3072), labels: new Int32Array(200), imageShape: [32, 32, 3] as const };
 * const first = sliceExamples(data, 0, 100);
 * first.n;             // 100
 * first.pixels.length; // 307200 (100 * 32 * 32 * 3)
 * ```
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
 */
export function sliceExamples(data: LabeledExamples, start: number, end: number): LabeledExamples {
  const [s, e, per] = checkRange('sliceExamples', data, start, end);
  const part: LabeledExamples = { n: e - s, pixels: data.pixels.subarray(s * per, e * per), labels: data.labels.subarray(s, e) };
  if (data.imageShape) part.imageShape = data.imageShape;
  return part;
}

/**
 * Images [start, end) as a float32 tensor scaled to [0, 1] (pixel / 255).
 * @param data - images with `imageShape` set (as the loaders set it).
 * @param start - first image. @default 0
 * @param end - one past the last image. @default data.n
 * @returns `[end-start, height, width, channels]` float32 (NHWC). The caller disposes it.
 * @throws {ArgumentError} when `data.imageShape` is missing, or start/end are not integers with 0 ≤ start ≤ end ≤ n.
 * @example
 * ```ts
 * const data = { n: 64, pixels: new Uint8Array(64 * 3072), labels: new Int32Array(64), imageShape: [32, 32, 3] as const };
 * const X = imagesToTensor(data, 0, 32);
 * X.shape; // [32, 32, 32, 3]
 * X.dtype; // 'float32'
 * X.dispose();
 * ```
 */
export function imagesToTensor(data: LabeledExamples, start = 0, end: number = data?.n): tf.Tensor4D {
  const fn = 'imagesToTensor';
  const [s, e, per] = checkRange(fn, data, start, end);
  const hwc = data.imageShape;
  if (!hwc || hwc[0] * hwc[1] * hwc[2] !== per) {
    throw new ArgumentError(`${fn}: data.imageShape must be [height, width, channels] with ${per} values per image, got ${describe(hwc)}`);
  }
  const identity = Int32Array.from({ length: e - s }, (_, k) => s + k);
  return tf.tensor4d(gatherExamples(data, per, identity, 0, e - s).pixels, [e - s, hwc[0], hwc[1], hwc[2]], 'float32');
}

/**
 * Labels [start, end) as an int32 tensor.
 * @param start - first example. @default 0
 * @param end - one past the last example. @default data.n
 * @returns `[end-start]` int32 class indices. The caller disposes it.
 * @throws {ArgumentError} when start or end is not an integer with 0 ≤ start ≤ end ≤ n.
 * @example
 * ```ts
 * const data = { n: 3, pixels: new Uint8Array(3), labels: new Int32Array([4, 0, 9]) };
 * const y = labelsToTensor(data, 1, 3);
 * y.dtype; // 'int32'
 * Array.from(y.dataSync()); // [0, 9]
 * y.dispose();
 * ```
 */
export function labelsToTensor(data: LabeledExamples, start = 0, end: number = data?.n): tf.Tensor1D {
  const [s, e] = checkRange('labelsToTensor', data, start, end);
  return tf.tensor1d(data.labels.slice(s, e), 'int32');
}

/**
 * The first `size` examples as a copy (so the rest can be freed), for the
 * loaders' `trainSize` / `testSize` options.
 * @throws {ArgumentError} naming `fn` and `arg` when `size` exceeds `data.n`.
 * @example
 * ```ts
 * const data = { n: 3, pixels: new Uint8Array([1, 2, 3]), labels: new Int32Array([0, 1, 2]) };
 * Array.from(firstExamples('load', 'trainSize', data, 2, 'train').labels); // [0, 1]
 * ```
 */
export function firstExamples(fn: string, arg: string, data: LabeledExamples, size: number, which: string): LabeledExamples {
  if (size > data.n) throw new ArgumentError(`${fn}: ${arg} must be <= ${data.n} (examples in the ${which} split), got ${describe(size)}`);
  const view = sliceExamples(data, 0, size);
  return { ...view, pixels: view.pixels.slice(), labels: view.labels.slice() };
}

/**
 * The examples at `indices`, in that order, as a new record (a copy).
 * @throws {ArgumentError} when an index is not an integer in [0, n).
 * @example
 * ```ts
 * const data = { n: 3, pixels: new Uint8Array([10, 20, 30]), labels: new Int32Array([0, 1, 2]) };
 * Array.from(takeExamples(data, [2, 0]).pixels); // [30, 10]
 * ```
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 */
export function takeExamples(data: LabeledExamples, indices: ArrayLike<number>): LabeledExamples {
  const fn = 'takeExamples';
  const per = checkExamples(fn, 'data', data);
  const pixels = new Uint8Array(indices.length * per);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= data.n) throw new ArgumentError(`${fn}: indices[${k}] must be an integer in [0, ${data.n}), got ${describe(i)}`);
    pixels.set(data.pixels.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = data.labels[i];
  }
  const out: LabeledExamples = { n: indices.length, pixels, labels };
  if (data.imageShape) out.imageShape = data.imageShape;
  return out;
}
