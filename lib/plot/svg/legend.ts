/** The legend: which traces get an entry, how the entries wrap into rows under the plot, and how each is drawn. */
import type { LegendItem, SvgContext } from './context';
import { dashArray, markerSvg } from './marks';
import { CHAR_W, esc, num, plain } from './text';
import { modeOf, traceType, type Trace } from './values';

/**
 * The legend entries in rows that fit the figure's width (none when plotly
 * would show no legend: it shows one when more than one trace has a name).
 * @example
 * ```ts
 * legendRowsOf({}, [{ y: [1], name: 'a' }, { y: [2], name: 'b' }], 400).map((row) => row.map((it) => it.label)); // [['a', 'b']]
 * legendRowsOf({}, [{ y: [1], name: 'a' }], 400); // []
 * ```
 */
export function legendRowsOf(layout: Record<string, unknown>, traces: Trace[], W: number): LegendItem[][] {
  const entries = traces.filter((t) => traceType(t) !== 'heatmap' && t.showlegend !== false && typeof t.name === 'string' && t.name !== '');
  const showLegend = layout.showlegend === false ? false : layout.showlegend === true ? entries.length > 0 : entries.length > 1;
  const legendItems = showLegend ? entries.map((t) => ({ t, label: plain(String(t.name)), w: 34 + plain(String(t.name)).length * CHAR_W })) : [];
  const legendRows: LegendItem[][] = [];
  let row: LegendItem[] = [];
  let used = 0;
  for (const item of legendItems) {
    if (row.length && used + item.w > W - 40) {
      legendRows.push(row);
      row = [];
      used = 0;
    }
    row.push(item);
    used += item.w;
  }
  if (row.length) legendRows.push(row);
  return legendRows;
}

/** A legend entry's symbol at (x, y): a bar's swatch, or a line and/or marker in the trace's style. */
function legendSymbol(parts: string[], t: Trace, c: string, x: number, y: number): void {
  if (traceType(t) === 'bar') {
    parts.push(`<rect x="${num(x)}" y="${num(y - 9)}" width="22" height="10" fill="${esc(c)}"/>`);
    return;
  }
  const mode = modeOf(t);
  if (mode.includes('lines')) {
    const line = (t.line ?? {}) as Record<string, unknown>;
    const dash = dashArray(line.dash, 2);
    parts.push(`<line x1="${num(x)}" y1="${num(y - 4)}" x2="${num(x + 24)}" y2="${num(y - 4)}" stroke="${esc(c)}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
  }
  if (mode.includes('markers')) {
    const marker = (t.marker ?? {}) as Record<string, unknown>;
    parts.push(markerSvg(x + 12, y - 4, 7, c, typeof marker.symbol === 'string' ? marker.symbol : 'circle', ''));
  }
}

/**
 * Draws the legend: rows of [symbol, name], centred under the x axes.
 * @example
 * ```ts
 * const t = { type: 'bar', name: 'a' };
 * const ctx = { width: 200, height: 100, colorOf: new Map([[t, '#f00']]), legendRows: [[{ t, label: 'a', w: 40 }]], parts: [] };
 * drawLegend(ctx);
 * ctx.parts; // ['<rect x="80" y="75" width="22" height="10" fill="#f00"/>', '<text x="110" y="84">a</text>']
 * ```
 */
export function drawLegend(ctx: SvgContext): void {
  const { legendRows, parts } = ctx;
  legendRows.forEach((row, r) => {
    const total = row.reduce((s, it) => s + it.w, 0);
    let x = Math.max(8, (ctx.width - total) / 2);
    const y = ctx.height - 22 * (legendRows.length - r) + 6;
    for (const { t, label, w } of row) {
      legendSymbol(parts, t, ctx.colorOf.get(t)!, x, y);
      parts.push(`<text x="${num(x + 30)}" y="${num(y)}">${esc(label)}</text>`);
      x += w;
    }
  });
}
