/** Text placed on the figure: its annotations, its title, and a note naming the traces not drawn. */
import { toPx, type Axis } from './axes';
import type { PlotArea, SvgContext } from './context';
import { esc, num, plain } from './text';
import { arr, isNum } from './values';

/** The pixel of an annotation's x or y, in paper, axis-domain (`'x2 domain'`) or data (`'x2'`) coordinates (NaN for an unknown axis). */
function place(a: Record<string, unknown>, dim: 'x' | 'y', v: number, plot: PlotArea, axes: Map<string, Axis>): number {
  const ref = typeof a[`${dim}ref`] === 'string' ? (a[`${dim}ref`] as string) : 'paper';
  const lo = dim === 'x' ? plot.x0 : plot.y1;
  const hi = dim === 'x' ? plot.x1 : plot.y0;
  if (ref === 'paper') return lo + v * (hi - lo);
  const ax = axes.get(ref.replace(/ domain$/, ''));
  if (!ax) return NaN;
  if (ref.endsWith(' domain')) {
    const [d0, d1] = dim === 'x' ? [Math.min(ax.p0, ax.p1), Math.max(ax.p0, ax.p1)] : [Math.max(ax.p0, ax.p1), Math.min(ax.p0, ax.p1)];
    return d0 + v * (d1 - d0);
  }
  return toPx(ax, v);
}

/**
 * Draws `layout.annotations` (e.g. panel titles) with text and numeric x, y.
 * @example
 * ```ts
 * const ctx = { layout: { annotations: [{ text: '<b>A</b>', x: 0.5, y: 1 }] }, plot: { x0: 0, x1: 100, y0: 10, y1: 60 }, axes: new Map(), parts: [] };
 * drawAnnotations(ctx);
 * ctx.parts; // ['<text x="50" y="14" text-anchor="middle" font-weight="bold">A</text>']
 * ```
 */
export function drawAnnotations(ctx: SvgContext): void {
  for (const a of (arr(ctx.layout.annotations) ?? []) as Record<string, unknown>[]) {
    if (!a || typeof a.text !== 'string' || !isNum(a.x) || !isNum(a.y)) continue;
    const px = place(a, 'x', a.x, ctx.plot, ctx.axes);
    const py = place(a, 'y', a.y, ctx.plot, ctx.axes);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    const anchor = a.xanchor === 'left' ? 'start' : a.xanchor === 'right' ? 'end' : 'middle';
    const bold = /<b>/i.test(a.text) ? ' font-weight="bold"' : '';
    ctx.parts.push(`<text x="${num(px)}" y="${num(py + 4)}" text-anchor="${anchor}"${bold}>${esc(plain(a.text))}</text>`);
  }
}

/**
 * Draws the figure's title above the plot, and a note in the plot naming the trace types `skipped` (not drawn).
 * @example
 * ```ts
 * const ctx = { width: 300, title: 'Loss', plot: { x0: 0, x1: 300, y0: 50, y1: 200 }, parts: [] };
 * drawTitle(ctx, []);
 * ctx.parts; // ['<text x="150" y="30" text-anchor="middle" font-size="17">Loss</text>']
 * ```
 */
export function drawTitle(ctx: SvgContext, skipped: string[]): void {
  const { plot, parts } = ctx;
  if (ctx.title) parts.push(`<text x="${num(ctx.width / 2)}" y="${num(Math.min(30, plot.y0 - 14))}" text-anchor="middle" font-size="17">${esc(ctx.title)}</text>`);
  if (skipped.length) {
    parts.push(`<text x="${num((plot.x0 + plot.x1) / 2)}" y="${num((plot.y0 + plot.y1) / 2)}" text-anchor="middle" fill="#a00">${esc(`not drawn in this static image: ${[...new Set(skipped)].join(', ')} trace(s)`)}</text>`);
  }
}
