/**
 * Data augmentation and input statistics for image minibatches: the random
 * crop with padding and horizontal flip of He et al. 2016, §4.2 ("4 pixels
 * are padded on each side, and a 32×32 crop is randomly sampled from the
 * padded image or its horizontal flip"), on uint8 NHWC pixels, seeded; the
 * per-channel mean and standard deviation of a training set; and a subset of
 * classes relabelled 0, 1, … (cats against dogs from CIFAR-10).
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkExamples, type ChannelNormalization, type LabeledExamples } from '../core/examples';
import { seededRandom } from '../core/random';

/** Options of {@link randomCropFlip}. */
export interface CropFlipOptions {
  /** Zero pixels added on each side before a crop of the original size is taken; 0: no crop. @default 4 */
  padding?: number;
  /** Whether each image is mirrored left–right with probability ½. @default true */
  flip?: boolean;
  /** Seed of the random offsets and flips: the same seed gives the same images. */
  seed: number;
}

/**
 * Random crop with zero padding and random horizontal flip of a minibatch
 * (He et al. 2016, §4.2): image k is shifted by (dy, dx), each drawn
 * uniformly from −padding … +padding, the pixels shifted in from outside are
 * 0, and with probability ½ it is mirrored left–right. Output pixel (y, x)
 * is input pixel (y + dy, x' + dx), where x' = width − 1 − x when flipped,
 * else x. Labels do not change: a shifted or mirrored cat is still a cat.
 *
 * Apply it to training minibatches only (`trainClassifier`'s `augment`
 * option), never to validation or test images.
 *
 * @param pixels - `[batch, height, width, channels]` uint8 NHWC.
 * @param shape - `[batch, height, width, channels]`.
 * @returns a new `[batch, height, width, channels]` uint8 array (the input is not changed).
 * @throws {ArgumentError} when `pixels` is not a Uint8Array of `batch·height·width·channels`
 *   values, or `padding` or `seed` is not an integer ≥ 0.
 * @example
 * ```ts
 * // One 1×3 grey image, no padding: only the flip can change it.
 * Array.from(randomCropFlip(new Uint8Array([1, 2, 3]), [1, 1, 3, 1], { padding: 0, flip: false, seed: 0 })); // [1, 2, 3]
 * Array.from(randomCropFlip(new Uint8Array([1, 2, 3]), [1, 1, 3, 1], { padding: 0, flip: true, seed: 0 })); // [3, 2, 1] (seed 0 mirrors this image)
 * randomCropFlip(new Uint8Array(12), [1, 2, 2, 3], { seed: 7 }).length; // 12
 * ```
 * @see [Notebook 04b §4 Data augmentation](../../notebooks/04b-cats-vs-dogs.ipynb#4.-Data-augmentation)
 */
export function randomCropFlip(pixels: Uint8Array, shape: readonly [number, number, number, number], options: CropFlipOptions): Uint8Array {
  const fn = 'randomCropFlip';
  if (!Array.isArray(shape) || shape.length !== 4) throw new ArgumentError(`${fn}: shape must be [batch, height, width, channels], got ${describe(shape)}`);
  const [batch, height, width, channels] = shape.map((d, i) => checkInteger(fn, `shape[${i}]`, d, i === 0 ? 0 : 1));
  if (!(pixels instanceof Uint8Array) || pixels.length !== batch * height * width * channels) {
    throw new ArgumentError(`${fn}: pixels must be a Uint8Array of ${batch}·${height}·${width}·${channels} = ${batch * height * width * channels} values (NHWC), got ${pixels instanceof Uint8Array ? `${pixels.length} values` : describe(pixels)}`);
  }
  const padding = checkInteger(fn, 'options.padding', options?.padding ?? 4, 0);
  const flip = options?.flip ?? true;
  if (typeof flip !== 'boolean') throw new ArgumentError(`${fn}: options.flip must be a boolean, got ${describe(flip)}`);
  const rand = seededRandom(checkInteger(fn, 'options.seed', options?.seed, 0, 2 ** 32 - 1));
  const out = new Uint8Array(pixels.length); // zeros: what the padding shifts in
  const rowBytes = width * channels;
  const imageBytes = height * rowBytes;
  for (let k = 0; k < batch; k++) {
    // Three draws per image, always, so image k's transform does not depend on the options of the others.
    const dy = Math.floor(rand() * (2 * padding + 1)) - padding;
    const dx = Math.floor(rand() * (2 * padding + 1)) - padding;
    const mirrored = flip && rand() < 0.5;
    const base = k * imageBytes;
    const x0 = Math.max(0, -dx);
    const x1 = Math.min(width, width - dx); // output columns whose source column x + dx is inside
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= height || x1 <= x0) continue;
      const src = base + sy * rowBytes;
      const dst = base + y * rowBytes;
      if (!mirrored) {
        out.set(pixels.subarray(src + (x0 + dx) * channels, src + (x1 + dx) * channels), dst + x0 * channels);
      } else {
        for (let x = x0; x < x1; x++) {
          const from = src + (x + dx) * channels;
          const to = dst + (width - 1 - x) * channels;
          for (let c = 0; c < channels; c++) out[to + c] = pixels[from + c];
        }
      }
    }
  }
  return out;
}

/**
 * What `trainClassifier`'s `augment` option takes: a function from a uint8
 * NHWC minibatch, its shape and a seed to a new minibatch of the same shape.
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export type Augmenter = (pixels: Uint8Array, shape: readonly [number, number, number, number], seed: number) => Uint8Array;

/**
 * The augmenter of He et al. 2016 §4.2 for `trainClassifier`'s `augment`
 * option: {@link randomCropFlip} with these options, seeded per minibatch by
 * the trainer.
 * @throws {ArgumentError} when `padding` is not an integer ≥ 0 or `flip` not a boolean (checked here, not at the first step).
 * @example
 * ```ts
 * const augment = cropFlipAugmenter({ padding: 4 });
 * augment(new Uint8Array(2 * 32 * 32 * 3), [2, 32, 32, 3], 0).length; // 6144
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export function cropFlipAugmenter(options: Omit<CropFlipOptions, 'seed'> = {}): Augmenter {
  randomCropFlip(new Uint8Array(0), [0, 1, 1, 1], { ...options, seed: 0 }); // check the options now, not at the first step
  return (pixels, shape, seed) => randomCropFlip(pixels, shape, { ...options, seed });
}

/**
 * Per-channel mean and (population) standard deviation of a set of images,
 * in the [0, 1] units of `pixel / 255`, for the normalisation
 * `(x − mean) / std` of each channel. Compute it on the **training** images
 * only and apply the same numbers to validation and test images: statistics
 * of the test set would leak it into training.
 * @param data - images: `pixels` `[n, height, width, channels]` uint8 NHWC, `imageShape` set.
 * @returns `mean` and `std`, `[channels]` each.
 * @throws {ArgumentError} when `data.imageShape` is missing or does not match the pixels, or n = 0.
 * @example
 * ```ts
 * // Two 1×1 RGB images: red 0 and 255, green 51 twice, blue 0 and 102.
 * const stats = channelMeanStd({ n: 2, pixels: new Uint8Array([0, 51, 0, 255, 51, 102]), labels: new Int32Array(2), imageShape: [1, 1, 3] });
 * stats.mean; // [0.5, 0.2, 0.2]
 * stats.std; // [0.5, 0, 0.2]
 * ```
 * @see [Notebook 04b §2 Normalising each channel](../../notebooks/04b-cats-vs-dogs.ipynb#2.-Normalising-each-channel)
 */
export function channelMeanStd(data: LabeledExamples): ChannelNormalization {
  const fn = 'channelMeanStd';
  const per = checkExamples(fn, 'data', data);
  const hwc = data.imageShape;
  if (data.n === 0) throw new ArgumentError(`${fn}: data has no images (n = 0)`);
  if (!hwc || hwc[0] * hwc[1] * hwc[2] !== per) throw new ArgumentError(`${fn}: data.imageShape must be [height, width, channels] with ${per} values per image, got ${describe(hwc)}`);
  const channels = hwc[2];
  // Two passes (mean, then squared deviations) in pixel units: exact for small sets, no cancellation for large ones.
  const sum = new Float64Array(channels);
  const p = data.pixels;
  for (let i = 0; i < p.length; i += channels) for (let c = 0; c < channels; c++) sum[c] += p[i + c];
  const count = p.length / channels;
  const mean255 = Array.from(sum, (s) => s / count);
  const squares = new Float64Array(channels);
  for (let i = 0; i < p.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const d = p[i + c] - mean255[c];
      squares[c] += d * d;
    }
  }
  const mean = mean255.map((m) => m / 255);
  const std = Array.from(squares, (s) => Math.sqrt(s / count) / 255);
  return { mean, std };
}

/**
 * The examples of some classes, relabelled by their position in `classes`:
 * the examples of `classes[0]` get label 0, those of `classes[1]` label 1,
 * and so on; the others are dropped. Order is kept. With CIFAR-10 and
 * `[3, 5]` this is the cats-against-dogs task (cat 0, dog 1).
 * @param data - labelled examples (`pixels` `[n, ...]` uint8, `labels` `[n]` int32).
 * @param classes - `[k]` distinct class indices of `data` to keep.
 * @param maxPerClass - keep at most the first `maxPerClass` examples of each class. @default all
 * @returns a new record (a copy) with labels in 0 … k − 1.
 * @throws {ArgumentError} when `classes` is empty or repeats a class, or `maxPerClass` is not an integer ≥ 1.
 * @example
 * ```ts
 * const data = { n: 5, pixels: new Uint8Array([10, 30, 50, 31, 51]), labels: new Int32Array([1, 3, 5, 3, 5]) };
 * const catsDogs = selectClasses(data, [3, 5]);
 * Array.from(catsDogs.labels); // [0, 1, 0, 1]
 * Array.from(catsDogs.pixels); // [30, 50, 31, 51]
 * selectClasses(data, [3, 5], 1).n; // 2
 * ```
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 */
export function selectClasses(data: LabeledExamples, classes: readonly number[], maxPerClass?: number): LabeledExamples {
  const fn = 'selectClasses';
  const per = checkExamples(fn, 'data', data);
  if (!Array.isArray(classes) || classes.length === 0) throw new ArgumentError(`${fn}: classes must be a non-empty array of class indices, got ${describe(classes)}`);
  classes.forEach((c, i) => checkInteger(fn, `classes[${i}]`, c, 0));
  if (new Set(classes).size !== classes.length) throw new ArgumentError(`${fn}: classes must be distinct, got ${describe(classes)}`);
  const cap = maxPerClass === undefined ? Infinity : checkInteger(fn, 'maxPerClass', maxPerClass, 1);
  const position = new Map(classes.map((c, i) => [c, i]));
  const taken = new Array<number>(classes.length).fill(0);
  const keep: number[] = [];
  for (let i = 0; i < data.n; i++) {
    const k = position.get(data.labels[i]);
    if (k !== undefined && taken[k] < cap) {
      taken[k]++;
      keep.push(i);
    }
  }
  const pixels = new Uint8Array(keep.length * per);
  const labels = new Int32Array(keep.length);
  keep.forEach((i, j) => {
    pixels.set(data.pixels.subarray(i * per, (i + 1) * per), j * per);
    labels[j] = position.get(data.labels[i])!;
  });
  const out: LabeledExamples = { n: keep.length, pixels, labels };
  if (data.imageShape) out.imageShape = data.imageShape;
  return out;
}
