/**
 * Image grids with labels and predictions, as plain HTML with PNG data URIs:
 * they show in every notebook viewer, with or without scripts. A big batch is
 * shown as an evenly spaced sample, so a 10,000-image array does not become a
 * 100 MB output.
 */
import { ArgumentError, checkInteger, describe } from '../errors';
import { escapeHtml, show, type Showable } from '../notebook';
import { imageGridHtml, type GridItem } from './charts';

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** `[n]` true class of each image. */
  labels?: ArrayLike<number>;
  /** `[n]` predicted class of each image; captions then read "predicted / true", mistakes in red. */
  predictions?: ArrayLike<number>;
  /** Names of the classes; class numbers are shown without them. */
  classNames?: readonly string[];
  /** Which images to show (indices into the batch); default: a sample of `maxImages`. */
  indices?: readonly number[];
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

/**
 * An image grid with captions: class names, or "predicted / true" with
 * mistakes in red. A header says how many of the batch are shown.
 * @param pixels - `[n, height, width, channels]` uint8 NHWC (channels 1 or 3).
 * @param shape - `[n, height, width, channels]`.
 * @example
 * ```ts
 * imageGrid(new Uint8Array(100 * 8 * 8), [100, 8, 8, 1], { maxImages: 10 }).text; // 'image grid: 10 of 100 images'
 * ```
 */
export function imageGrid(pixels: Uint8Array, shape: [number, number, number, number], options: ImageGridOptions = {}): Showable {
  const fn = 'imageGrid';
  if (!Array.isArray(shape) || shape.length !== 4) throw new ArgumentError(`${fn}: shape must be [n, height, width, channels], got ${describe(shape)}`);
  const [n] = shape;
  const maxImages = checkInteger(fn, 'options.maxImages', options.maxImages ?? 40, 1);
  for (const key of ['labels', 'predictions'] as const) {
    const a = options[key];
    if (a != null && a.length !== n) throw new ArgumentError(`${fn}: options.${key} has ${a.length} entries but the batch has ${n} images`);
  }
  const indices = options.indices ? [...options.indices] : sampleIndices(n, maxImages);
  indices.forEach((i, k) => checkInteger(fn, `options.indices[${k}]`, i, 0, n - 1));
  const name = (c: number) => options.classNames?.[c] ?? String(c);
  const items: GridItem[] = indices.map((i) => {
    const label = options.labels?.[i];
    const pred = options.predictions?.[i];
    if (pred !== undefined && label !== undefined) {
      const wrong = pred !== label;
      return { index: i, caption: `${name(pred)} / ${name(label)}`, color: wrong ? '#c00' : '#070' };
    }
    if (pred !== undefined) return { index: i, caption: name(pred) };
    return { index: i, caption: label !== undefined ? name(label) : `#${i}` };
  });
  const sampled = !options.indices && n > maxImages;
  const what = `${indices.length.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} images`;
  const note = [
    sampled ? `${what} (an evenly spaced sample)` : what,
    options.predictions && options.labels ? 'caption: predicted / true, mistakes in red' : '',
  ].filter(Boolean);
  const html = `<div style="font-size:smaller;color:#666">${escapeHtml(note.join('; '))}</div>${imageGridHtml(pixels, shape, items, options.columns ?? 10, options.scale ?? 3)}`;
  return { html, text: `image grid: ${what}` };
}

/**
 * Shows an {@link imageGrid} in the notebook (prints its one-line summary outside one).
 * @example
 * ```ts
 * showImages(new Uint8Array(100 * 8 * 8), [100, 8, 8, 1], { labels: new Array(100).fill(0), classNames: ['zero'] }); // undefined (outside a notebook it prints: image grid: 40 of 100 images)
 * ```
 */
export function showImages(pixels: Uint8Array, shape: [number, number, number, number], options: ImageGridOptions = {}): void {
  show(imageGrid(pixels, shape, options));
}
