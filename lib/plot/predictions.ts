/**
 * An image beside its top-k predicted classes as a horizontal bar chart, in
 * plain HTML (PNG data URIs and sized bars: it shows in every notebook viewer,
 * with or without scripts), with a one-line text form for terminals and logs.
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { escapeHtml, type Showable } from '../core/notebook';
import { imagePng } from './charts';
import { PLOTLY_COLORWAY } from './svg/colors';

/** An image to show: `[height, width, 3]` uint8 RGB. */
export interface CardImage {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `[height, width, 3]` uint8 RGB. */
  rgb: Uint8Array;
  /** Caption under the image. */
  caption: string;
  /** Integer zoom (nearest neighbour), e.g. 3 for a 32×32 model input. @default 1 */
  scale?: number;
}

/** One bar: a class and its probability. */
export interface CardScore {
  /** The class's name. */
  className: string;
  /** Its probability, in [0, 1]. */
  probability: number;
}

/**
 * The images (e.g. the photo and the 32×32 the model sees) beside a bar chart
 * of the top classes, longest bar first, each labelled with its percentage.
 * Text form: `title: cat 71.2% | dog 15.0% | frog 3.1%` (with no scores, the
 * images' captions: the card then just shows images side by side).
 * @param title - shown above (HTML) or first (text), e.g. the file name.
 * @returns a {@link Showable} for `show`.
 * @throws {ArgumentError} when an image's buffer is not `width · height · 3`
 *   bytes, a scale is not an integer in 1–16, or a probability is outside [0, 1].
 * @example
 * ```ts
 * const card = predictionCard('red.png', [{ width: 1, height: 1, rgb: new Uint8Array([255, 0, 0]), caption: 'the file' }], [{ className: 'truck', probability: 0.5 }, { className: 'car', probability: 0.25 }]);
 * card.text; // 'red.png: truck 50.0% | car 25.0%'
 * card.html.includes('data:image/png;base64,'); // true
 * ```
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 * @see [Notebook 06b §3 Shrinking without aliasing](../../notebooks/06b-own-images.ipynb#3.-Shrinking-without-aliasing)
 * @see [Notebook 06b §4 Your images through the model](../../notebooks/06b-own-images.ipynb#4.-Your-images-through-the-model)
 * @see [Notebook 06b §6 Your own images](../../notebooks/06b-own-images.ipynb#6.-Your-own-images)
 */
export function predictionCard(title: string, images: readonly CardImage[], scores: readonly CardScore[]): Showable {
  const fn = 'predictionCard';
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  for (const [i, s] of scores.entries()) {
    if (!(s?.probability >= 0 && s.probability <= 1)) throw new ArgumentError(`${fn}: scores[${i}].probability must be in [0, 1], got ${describe(s?.probability)}`);
  }
  const figures = images
    .map((img, i) => {
      const scale = checkInteger(fn, `images[${i}].scale`, img.scale ?? 1, 1, 16);
      if (!(img.rgb instanceof Uint8Array) || img.rgb.length !== img.width * img.height * 3) {
        throw new ArgumentError(`${fn}: images[${i}] must have rgb a Uint8Array of width · height · 3 = ${img.width * img.height * 3} values, got ${describe(img.rgb)}`);
      }
      const b64 = imagePng(img.rgb, 1, img.height, img.width, 3, 0, scale).toString('base64');
      return (
        `<figure style="margin:0 12px 0 0;text-align:center"><img src="data:image/png;base64,${b64}" width="${img.width * scale}" height="${img.height * scale}" ` +
        `style="image-rendering:pixelated" alt="${escapeHtml(img.caption)}"/><figcaption style="font-size:11px">${escapeHtml(img.caption)}</figcaption></figure>`
      );
    })
    .join('');
  const barWidth = 220; // pixels for probability 1
  const rows = scores
    .map(
      (s, i) =>
        `<tr><td style="text-align:right;padding-right:6px">${escapeHtml(s.className)}</td>` +
        `<td style="text-align:left"><div style="display:inline-block;vertical-align:middle;height:14px;width:${Math.round(s.probability * barWidth)}px;background:${PLOTLY_COLORWAY[i === 0 ? 0 : 7]}"></div> ${pct(s.probability)}</td></tr>`,
    )
    .join('');
  const html =
    `<div style="margin:6px 0"><div style="font-weight:bold">${escapeHtml(title)}</div>` +
    `<div style="display:flex;align-items:center;flex-wrap:wrap">${figures}<table style="border-collapse:collapse">${rows}</table></div></div>`;
  const text = scores.length > 0 ? scores.map((s) => `${s.className} ${pct(s.probability)}`).join(' | ') : images.map((img) => img.caption).join(' | ');
  return { html, text: `${title}: ${text}` };
}
