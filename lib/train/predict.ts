/**
 * Predictions for new images, without labels: a trained classifier's class
 * probabilities and the top-k classes of each image (top-k as in the ILSVRC
 * top-5 error: Russakovsky et al. (2015), "ImageNet Large Scale Visual
 * Recognition Challenge", §4.1).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { CIFAR10_CLASSES } from '../data/cifar10';
import { readImageFile, type ImageFile, type ReadImageOptions } from '../data/image_files';
import { createCountProgress, type ProgressStream } from '../data/progress';
import { outputActivation } from '../models/cnn';
import { inputImageShape, predictMinibatch } from './classifier';

/** One of the top-k classes of an image. */
export interface ClassScore {
  /** Class index, 0-based. */
  classIndex: number;
  /** The class's name (its index as text when no names were given). */
  className: string;
  /** The model's probability for the class, in [0, 1]. */
  probability: number;
}

/**
 * The `k` largest probabilities of one row, largest first; ties keep the
 * lower class index first (as `tf.topk`).
 * @param probabilities - `[numClasses]` one image's class probabilities.
 * @param k - how many (at most numClasses). @default 3
 * @param classNames - `[numClasses]` names. @default the indices as text
 * @throws {ArgumentError} when probabilities is empty or holds a non-finite
 *   value, k is not an integer in [1, numClasses], or classNames has the wrong length.
 * @example
 * ```ts
 * topK([0.1, 0.6, 0.05, 0.25], 2, ['cat', 'dog', 'frog', 'ship']); // [{ classIndex: 1, className: 'dog', probability: 0.6 }, { classIndex: 3, className: 'ship', probability: 0.25 }]
 * topK([0.2, 0.5, 0.3]).map((s) => s.className); // ['1', '2', '0']
 * ```
 */
export function topK(probabilities: ArrayLike<number>, k = 3, classNames?: readonly string[]): ClassScore[] {
  const fn = 'topK';
  const n = probabilities?.length;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`${fn}: probabilities must be a non-empty array of numbers, got ${describe(probabilities)}`);
  checkInteger(fn, 'k', k, 1, n);
  if (classNames !== undefined && classNames.length !== n) {
    throw new ArgumentError(`${fn}: classNames has ${classNames.length} names but probabilities has ${n} classes`);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  for (const i of order) {
    if (!Number.isFinite(probabilities[i])) throw new ArgumentError(`${fn}: probabilities[${i}] is ${probabilities[i]}; expected finite numbers`);
  }
  order.sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  return order.slice(0, k).map((i) => ({ classIndex: i, className: classNames ? classNames[i] : String(i), probability: probabilities[i] }));
}

/**
 * Class probabilities of a classifier for `n` images, in minibatches (no
 * tensors leak). Pixels are scaled to [0, 1] as in training (`pixel / 255`,
 * `makeBatch`); a model whose last layer is not a softmax is taken to
 * output logits and softmax is applied here.
 * @param pixels - `[n, height, width, channels]` uint8, NHWC, the model's input size.
 * @returns `[n, numClasses]` float32 probabilities, row-major (each row sums to 1).
 * @throws {ArgumentError} when the model's input is not NHWC images, or
 *   `pixels` is not a whole number of its images.
 * @example
 * ```ts
 * const model = buildCifar10Cnn({ seed: 0 });
 * const p = predictProbabilities(model, new Uint8Array(2 * 32 * 32 * 3)); // two black images
 * p.length; // 20
 * p.slice(0, 10).reduce((a, b) => a + b, 0).toFixed(4); // '1.0000' (each row sums to 1)
 * ```
 */
export function predictProbabilities(model: tf.LayersModel, pixels: Uint8Array, batchSize = 64): Float32Array {
  const fn = 'predictProbabilities';
  const hwc = inputImageShape(model);
  checkInteger(fn, 'batchSize', batchSize, 1);
  const per = hwc[0] * hwc[1] * hwc[2];
  if (!(pixels instanceof Uint8Array) || pixels.length % per !== 0) {
    throw new ArgumentError(`${fn}: pixels must be a Uint8Array of n images of [${hwc.join(', ')}] (${per} values each, NHWC), got ${pixels instanceof Uint8Array ? `${pixels.length} values` : describe(pixels)}`);
  }
  const n = pixels.length / per;
  const numClasses = model.outputs[0].shape[1]!;
  const logits = outputActivation(model) !== 'softmax';
  const out = new Float32Array(n * numClasses);
  const data = { n, pixels, labels: new Int32Array(n) };
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  for (let start = 0; start < n; start += batchSize) predictMinibatch(model, data, hwc, identity, start, Math.min(start + batchSize, n), logits, out);
  return out;
}

/** Options of {@link classifyImageFiles}. */
export interface ClassifyFilesOptions {
  /** Classes to report per image. @default 3 */
  k?: number;
  /** Names of the model's classes. @default CIFAR10_CLASSES for a 10-class model, else the indices */
  classNames?: readonly string[];
  /** How each file becomes the model's input (fit, background, limits); `size` comes from the model. */
  read?: Omit<ReadImageOptions, 'size'>;
  /** Keep each file's {@link ImageFile} (input and preview) in the result, e.g. to show it. @default false */
  keepImages?: boolean;
  /** A progress bar or lines while reading files, on this stream; false: none. @default false */
  progress?: ProgressStream | false;
  /** Name in the progress lines, e.g. the folder. @default 'images' */
  label?: string;
}

/** One file's result in {@link classifyImageFiles}: its top classes, or why it could not be read. */
export interface FileClassification {
  /** The path as given. */
  file: string;
  /** The top-k classes, largest probability first (absent when the file could not be read). */
  top?: ClassScore[];
  /** The error message, naming the file (absent when it was classified). */
  error?: string;
  /** The decoded file (only with `keepImages`). */
  image?: ImageFile;
}

/**
 * Classifies image files with a trained model: each file is read with
 * {@link readImageFile} at the model's input size (centre square, area
 * averaging, transparency onto white), then all readable ones go through the
 * model in minibatches ({@link predictProbabilities}). A file that cannot be
 * read (missing, not an image, truncated, too large) does not stop the others:
 * its result carries the error message, which names it.
 * @param files - paths of PNG or JPEG files (see {@link listImageFiles} for a folder).
 * @returns one result per file, in the order given.
 * @throws {ArgumentError} when the model does not take square RGB images
 *   (`[batch, size, size, 3]`), or classNames does not match its outputs.
 * @example
 * ```ts
 * const { PNG } = require('pngjs');
 * const png = new PNG({ width: 8, height: 8 }); png.data.fill(200);
 * fs.writeFileSync('light.png', PNG.sync.write(png));
 * fs.writeFileSync('notes.png', 'not an image');
 * const results = classifyImageFiles(buildCifar10Cnn({ seed: 0 }), ['light.png', 'notes.png']);
 * results[0].top!.length; // 3
 * results[1].error; // 'readImageFile: "notes.png" is not a PNG or JPEG image (12 bytes starting "not an i"); expected a PNG or JPEG file'
 * ```
 * @see [Notebook 06b §4 Your images through the model](../../notebooks/06b-own-images.ipynb#4.-Your-images-through-the-model)
 * @see [Notebook 06b §5 A folder of images, and files that are not images](../../notebooks/06b-own-images.ipynb#5.-A-folder-of-images,-and-files-that-are-not-images)
 * @see [Notebook 06b §6 Your own images](../../notebooks/06b-own-images.ipynb#6.-Your-own-images)
 */
export function classifyImageFiles(model: tf.LayersModel, files: readonly string[], options: ClassifyFilesOptions = {}): FileClassification[] {
  const fn = 'classifyImageFiles';
  const [height, width, channels] = inputImageShape(model);
  if (height !== width || channels !== 3) {
    throw new ArgumentError(`${fn}: the model must take square RGB images [batch, size, size, 3], but takes [batch, ${height}, ${width}, ${channels}]`);
  }
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) throw new ArgumentError(`${fn}: files must be an array of paths, got ${describe(files)}`);
  const numClasses = model.outputs[0].shape[1]!;
  const classNames = options.classNames ?? (numClasses === CIFAR10_CLASSES.length ? CIFAR10_CLASSES : undefined);
  if (classNames !== undefined && classNames.length !== numClasses) {
    throw new ArgumentError(`${fn}: options.classNames has ${classNames.length} names but the model has ${numClasses} outputs`);
  }
  const k = checkInteger(fn, 'options.k', options.k ?? Math.min(3, numClasses), 1, numClasses);
  const progress = options.progress ? createCountProgress({ verb: 'classify', label: options.label ?? 'images', total: files.length, unit: 'images', stream: options.progress }) : undefined;
  const results: FileClassification[] = [];
  const read: { result: FileClassification; input: Uint8Array }[] = [];
  files.forEach((file, i) => {
    const result: FileClassification = { file };
    try {
      const image = readImageFile(file, { ...options.read, size: height });
      read.push({ result, input: image.input.rgb });
      if (options.keepImages) result.image = image;
    } catch (e) {
      if ((e as Error).name !== 'DataFormatError' && (e as Error).name !== 'ArgumentError') throw e; // a bug or a full disk, not a bad file
      result.error = (e as Error).message;
    }
    results.push(result);
    progress?.update(i + 1);
  });
  progress?.finish();
  const per = height * width * 3;
  const pixels = new Uint8Array(read.length * per); // [n, size, size, 3]
  read.forEach((r, i) => pixels.set(r.input, i * per));
  const probabilities = read.length > 0 ? predictProbabilities(model, pixels) : new Float32Array(0);
  read.forEach((r, i) => {
    r.result.top = topK(probabilities.subarray(i * numClasses, (i + 1) * numClasses), k, classNames);
  });
  return results;
}
