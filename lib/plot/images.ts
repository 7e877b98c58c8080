/**
 * Image grids with labels and predictions, as plain HTML with PNG data URIs:
 * they show in every notebook viewer, with or without scripts. A big batch is
 * shown as an evenly spaced sample, so a 10,000-image array does not become a
 * 100 MB output.
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { checkExamples, type LabeledExamples } from '../core/examples';
import { escapeHtml, type Showable } from '../core/notebook';
import { imageGridHtml, type GridItem } from './charts';

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** `[n]` predicted class of each image; captions then read "predicted / true", mistakes in red. */
  predictions?: ArrayLike<number>;
  /** `[n]` probability of each image's predicted class, in [0, 1]; captions then show it, e.g. "ship 87% / cat". */
  confidence?: ArrayLike<number>;
  /** Names of the classes; class numbers are shown without them. */
  classNames?: readonly string[];
  /** Show only correct predictions: the first `maxImages` of them (for contrast with the mistakes). Needs `predictions`. @default false */
  onlyCorrect?: boolean;
  /** Which images to show (indices into the batch); default: a sample of `maxImages`. */
  indices?: readonly number[];
  /** Show only mistakes (prediction ≠ label): the first `maxImages` of them. Needs `predictions`. @default false */
  onlyMistakes?: boolean;
  /** Most images shown; a bigger batch is sampled evenly. @default 40 */
  maxImages?: number;
  /** Images per row. @default 10 */
  columns?: number;
  /** Integer zoom of each image (nearest neighbour). @default 3 */
  scale?: number;
}

/**
 * Indices of an evenly spaced sample: `floor(i * n / k)` for i = 0…k-1, or all
 * of 0…n-1 when `n <= k`. Deterministic, so reruns show the same images.
 * @example
 * ```ts
 * sampleIndices(10, 4); // [0, 2, 5, 7]
 * ```
 */
export function sampleIndices(n: number, k: number): number[] {
  checkInteger('sampleIndices', 'n', n, 0);
  checkInteger('sampleIndices', 'k', k, 1);
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

/** Which images to show: the given indices, the first mistakes, or an even sample. */
function chooseIndices(fn: string, images: LabeledExamples, options: ImageGridOptions, maxImages: number): number[] {
  if (options.indices) return [...options.indices];
  if (!options.onlyMistakes && !options.onlyCorrect) return sampleIndices(images.n, maxImages);
  const which = options.onlyMistakes ? 'onlyMistakes' : 'onlyCorrect';
  if (!options.predictions) throw new ArgumentError(`${fn}: options.${which} needs options.predictions`);
  const chosen: number[] = [];
  for (let i = 0; i < images.n && chosen.length < maxImages; i++) if ((options.predictions[i] !== images.labels[i]) === (which === 'onlyMistakes')) chosen.push(i);
  return chosen;
}

/**
 * An image grid with captions: class names, or "predicted / true" with
 * mistakes in red. A header says how many of the batch are shown.
 * @param images - labelled images: `pixels` `[n, height, width, channels]` uint8 NHWC
 *   (channels 1 or 3), `labels` `[n]` int32, `imageShape` set (as the loaders set it).
 * @throws {ArgumentError} when `images.imageShape` is missing, `predictions` has
 *   the wrong length, or an index is outside the batch.
 * @example
 * ```ts
 * const images = { n: 100, pixels: new Uint8Array(100 * 8 * 8), labels: new Int32Array(100), imageShape: [8, 8, 1] as const };
 * imageGrid(images, { maxImages: 10 }).text; // 'image grid: 10 of 100 images'
 * imageGrid(images, { predictions: new Int32Array(100).fill(1), onlyMistakes: true, maxImages: 5 }).text; // 'image grid: 5 of 100 images'
 * imageGrid(images, { predictions: new Int32Array(100), confidence: new Float32Array(100).fill(0.87), onlyCorrect: true, maxImages: 1 }).html.includes('0 87% / 0'); // true
 * ```
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 * @see [Notebook 04b §4 Data augmentation](../../notebooks/04b-cats-vs-dogs.ipynb#4.-Data-augmentation)
 * @see [Notebook 04b §6 Evaluation: ROC and AUC](../../notebooks/04b-cats-vs-dogs.ipynb#6.-Evaluation:-ROC-and-AUC)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 */
export function imageGrid(images: LabeledExamples, options: ImageGridOptions = {}): Showable {
  const fn = 'imageGrid';
  checkExamples(fn, 'images', images);
  const hwc = images.imageShape;
  if (!hwc) throw new ArgumentError(`${fn}: images.imageShape must be [height, width, channels], got ${describe(hwc)}`);
  const n = images.n;
  const maxImages = checkInteger(fn, 'options.maxImages', options.maxImages ?? 40, 1);
  for (const key of ['predictions', 'confidence'] as const) {
    const a = options[key];
    if (a != null && a.length !== n) throw new ArgumentError(`${fn}: options.${key} has ${a.length} entries but the batch has ${n} images`);
  }
  const indices = chooseIndices(fn, images, options, maxImages);
  indices.forEach((i, k) => checkInteger(fn, `options.indices[${k}]`, i, 0, n - 1));
  const name = (c: number) => options.classNames?.[c] ?? String(c);
  const items: GridItem[] = indices.map((i) => {
    const label = images.labels[i];
    const pred = options.predictions?.[i];
    if (pred === undefined) return { index: i, caption: name(label) };
    const p = options.confidence?.[i];
    const conf = p === undefined ? '' : ` ${Math.round(p * 100)}%`;
    return { index: i, caption: `${name(pred)}${conf} / ${name(label)}`, color: pred !== label ? '#c00' : '#070' };
  });
  const sampled = !options.indices && !options.onlyMistakes && !options.onlyCorrect && n > maxImages;
  const what = `${indices.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} images`;
  const note = [
    sampled ? `${what} (an evenly spaced sample)` : options.onlyMistakes ? `${what}: the first mistakes` : options.onlyCorrect ? `${what}: the first correct predictions` : what,
    options.predictions ? `caption: predicted${options.confidence ? ' (its probability)' : ''} / true, mistakes in red` : '',
  ].filter(Boolean);
  const html = `<div style="font-size:smaller;color:#666">${escapeHtml(note.join('; '))}</div>${imageGridHtml(images.pixels, [n, hwc[0], hwc[1], hwc[2]], items, options.columns ?? 10, options.scale ?? 3)}`;
  return { html, text: `image grid: ${what}` };
}
