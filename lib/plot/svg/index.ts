/** Static SVG rendering of a plotly figure, drawn by this library from the figure's own data (the renderer's public entry points). */
// The fallback that shows where plotly.js cannot run (untrusted notebooks,
// GitHub, nbconvert HTML without scripts, e-mail). It covers what the course
// draws: scatter traces (lines, markers), bar charts, heatmaps, subplots on a
// `layout.grid`, linear/log/category axes, titles and a legend. Anything else
// is named in the image, not drawn. Each step lives in a module of its own:
// layout (size, margins, axes), frame (grid, axes, ticks), traces, heatmap,
// annotations (annotations, title), legend.
import { ArgumentError, describe } from '../../core/errors';
import type { Figure } from '../figure';
import { drawAnnotations, drawTitle } from './annotations';
import type { SvgContext } from './context';
import { drawFrames, drawZeroLines } from './frame';
import { createContext } from './layout';
import { drawLegend } from './legend';
import { FONT, esc, num } from './text';
import { drawTraces } from './traces';

export { PLOTLY_COLORWAY } from './colors';

/** Options of {@link figureSvg}. */
export interface SvgOptions {
  /** Width in pixels, unless `layout.width` is set. @default 720 */
  width?: number;
  /** Height in pixels, unless `layout.height` is set. @default 360 */
  height?: number;
}

/** The SVG document of a drawn figure: its root element, title, clip paths, white background and drawing. */
function svgDocument({ width: W, height: H, title, defs, parts }: SvgContext): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${num(W)}" height="${num(H)}" viewBox="0 0 ${num(W)} ${num(H)}" font-family="${esc(FONT)}" font-size="12" fill="#444">` +
    `<title>${esc(title || 'chart')}</title><defs>${defs.join('')}</defs>` +
    `<rect width="${num(W)}" height="${num(H)}" fill="#fff"/>${parts.join('')}</svg>`
  );
}

/**
 * Renders a plotly figure as a standalone SVG document (no scripts, no
 * external resources; fonts fall back to the viewer's sans-serif).
 * @param fig - `{ data, layout }` as for `Plotly.newPlot`.
 * @example
 * ```ts
 * const svg = figureSvg({ data: [{ x: [0, 1, 2], y: [0, 2, 4], mode: 'lines' }],
 *   layout: { width: 300, height: 200, margin: { l: 50, r: 50, t: 50, b: 50 },
 *     xaxis: { range: [0, 2] }, yaxis: { range: [0, 4] } } });
 * /points="([^"]*)"/.exec(svg)![1]; // '50,150 150,100 250,50'
 * ```
 */
export function figureSvg(fig: Figure, options: SvgOptions = {}): string {
  if (fig == null || !Array.isArray(fig.data)) throw new ArgumentError(`figureSvg: fig must be an object with a data array, got ${describe(fig)}`);
  const ctx = createContext(fig, options);
  drawFrames(ctx);
  drawZeroLines(ctx);
  const skipped = drawTraces(ctx);
  drawAnnotations(ctx);
  drawTitle(ctx, skipped);
  drawLegend(ctx);
  return svgDocument(ctx);
}

/**
 * An SVG document as a `data:` URI, for an `<img src>` that shows in every
 * HTML viewer, including those that strip inline SVG or scripts.
 * @example
 * ```ts
 * svgDataUri('<svg xmlns="http://www.w3.org/2000/svg"/>').startsWith('data:image/svg+xml;base64,'); // true
 * ```
 */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
