/** The traces, each drawn in its subplot's clip path: scatter lines, markers and text labels, grouped bars, and heatmaps. */
import { toPx, traceAxes, type Axis } from './axes';
import { colorAt, rgb, scaleOf } from './colors';
import type { SvgContext } from './context';
import { heatmapSvg } from './heatmap';
import { dashArray, markerSvg } from './marks';
import { esc, num } from './text';
import { arr, isNum, modeOf, traceType, xs, type Trace } from './values';

type Point = readonly [number, number];

/** A scatter trace's line, as polylines broken where a point has no position. */
function scatterLines(g: string[], t: Trace, pts: Point[], color: string): void {
  const line = (t.line ?? {}) as Record<string, unknown>;
  const width = isNum(line.width) ? line.width : 2;
  const dash = dashArray(line.dash, width);
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) g.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${esc(color)}" stroke-width="${num(width)}"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"/>`);
    run = [];
  };
  for (const [px, py] of pts) {
    if (Number.isFinite(px) && Number.isFinite(py)) run.push(`${num(px)},${num(py)}`);
    else flush();
  }
  flush();
}

/** The colour of each marker: the trace's, or `marker.color` per point (a colour, a colorway index, or a value on the colour scale). */
function markerColors(marker: Record<string, unknown>, color: string, colorway: string[]): (i: number) => string {
  const colors = arr(marker.color);
  const numericColors = colors && colors.every((c) => typeof c === 'number');
  const cmin = numericColors ? Math.min(...(colors as number[])) : 0;
  const cmax = numericColors ? Math.max(...(colors as number[])) : 1;
  const integerColors = numericColors && (colors as number[]).every((c) => Number.isInteger(c) && c >= 0);
  return (i) => {
    let c = color;
    if (colors) {
      const v = colors[i];
      if (typeof v === 'string') c = v;
      else if (typeof v === 'number')
        c = integerColors && !marker.colorscale ? colorway[v % colorway.length] : rgb(colorAt(scaleOf(marker), cmax > cmin ? (v - cmin) / (cmax - cmin) : 0.5));
    }
    return c;
  };
}

/** A scatter trace's markers, with per-point colour, size and symbol. */
function scatterMarkers(g: string[], t: Trace, pts: Point[], color: string, colorway: string[]): void {
  const marker = (t.marker ?? {}) as Record<string, unknown>;
  const colorAtPoint = markerColors(marker, color, colorway);
  const sizes = arr(marker.size);
  pts.forEach(([px, py], i) => {
    if (!Number.isFinite(px) || !Number.isFinite(py)) return;
    const c = colorAtPoint(i);
    const s = sizes && isNum(sizes[i]) ? (sizes[i] as number) : isNum(marker.size) ? marker.size : 6;
    const outline = (marker.line ?? {}) as Record<string, unknown>;
    const stroke = typeof outline.color === 'string' ? ` stroke="${esc(outline.color)}" stroke-width="${num(isNum(outline.width) ? outline.width : 1)}"` : '';
    const symbols = arr(marker.symbol);
    g.push(markerSvg(px, py, s, c, String(symbols ? symbols[i] : (marker.symbol ?? 'circle')), stroke));
  });
}

/** A scatter trace's text labels (mode `text`): `text[i]` beside point i where `textposition` (one for all, or one per point) says: top, bottom, left, right or centred. */
function scatterText(g: string[], t: Trace, pts: Point[]): void {
  const text = arr(t.text);
  if (!text) return;
  const positions = arr(t.textposition);
  pts.forEach(([px, py], i) => {
    if (!Number.isFinite(px) || !Number.isFinite(py) || text[i] == null) return;
    const p = positions ? positions[i] : t.textposition;
    const position = typeof p === 'string' ? p : 'middle center';
    const [dx, dy, anchor] = position.includes('left') ? [-8, 4, 'end'] : position.includes('right') ? [8, 4, 'start'] : position.includes('bottom') ? [0, 18, 'middle'] : position.includes('top') ? [0, -8, 'middle'] : [0, 4, 'middle'];
    g.push(`<text x="${num(px + dx)}" y="${num(py + dy)}" text-anchor="${anchor}" font-size="11">${esc(text[i])}</text>`);
  });
}

/** A scatter trace: its lines, markers and text labels, as its mode says. */
function scatterSvg(g: string[], t: Trace, xa: Axis, ya: Axis, color: string, colorway: string[]): void {
  const y = arr(t.y) ?? [];
  const x = xs(t, y.length);
  const mode = modeOf(t);
  const pts = y.map((v, i) => [toPx(xa, x[i]), toPx(ya, v)] as const);
  if (mode.includes('lines')) scatterLines(g, t, pts, color);
  if (mode.includes('markers')) scatterMarkers(g, t, pts, color, colorway);
  if (mode.includes('text')) scatterText(g, t, pts);
}

/** The slot of one category in category units: 1 on category axes, the smallest gap on numeric ones. */
function barSlot(cats: unknown[], catAxis: Axis): number {
  const numericCats = cats.filter(isNum).sort((a, b) => a - b);
  let slot = 1;
  if (catAxis.type !== 'category' && numericCats.length > 1) slot = Math.min(...numericCats.slice(1).map((v, i) => v - numericCats[i]).filter((d) => d > 0));
  return slot;
}

/** A bar trace, the k-th of n bar traces in its subplot (their bars side by side), with its value labels. */
function barSvg(g: string[], t: Trace, xa: Axis, ya: Axis, color: string, n: number, k: number): void {
  const horizontal = t.orientation === 'h';
  const vals = (arr(horizontal ? t.x : t.y) ?? []) as unknown[];
  const cats = horizontal ? (arr(t.y) ?? vals.map((_, i) => i)) : xs(t, vals.length);
  const catAxis = horizontal ? ya : xa;
  const valAxis = horizontal ? xa : ya;
  const unitPx = Math.abs((barSlot(cats, catAxis) * (catAxis.p1 - catAxis.p0)) / (catAxis.hi - catAxis.lo));
  const groupW = unitPx * 0.8;
  const barW = groupW / n;
  const marker = (t.marker ?? {}) as Record<string, unknown>;
  const colors = arr(marker.color);
  const text = arr(t.text);
  const zero = toPx(valAxis, valAxis.type === 'log' ? Math.pow(10, valAxis.lo) : 0);
  vals.forEach((v, i) => {
    const c = toPx(catAxis, cats[i]);
    const e = toPx(valAxis, v);
    if (!Number.isFinite(c) || !Number.isFinite(e)) return;
    const start = c - groupW / 2 + k * barW;
    const fill = colors && typeof colors[i] === 'string' ? (colors[i] as string) : color;
    if (horizontal) g.push(`<rect x="${num(Math.min(zero, e))}" y="${num(start)}" width="${num(Math.abs(e - zero))}" height="${num(barW)}" fill="${esc(fill)}"/>`);
    else g.push(`<rect x="${num(start)}" y="${num(Math.min(zero, e))}" width="${num(barW)}" height="${num(Math.abs(e - zero))}" fill="${esc(fill)}"/>`);
    if (text && text[i] != null && t.textposition !== 'none') {
      const label = esc(text[i]);
      if (horizontal) g.push(`<text x="${num(e + 4)}" y="${num(start + barW / 2 + 4)}" font-size="11">${label}</text>`);
      else g.push(`<text x="${num(start + barW / 2)}" y="${num(Math.min(zero, e) - 4)}" text-anchor="middle" font-size="11">${label}</text>`);
    }
  });
}

/** How many bar traces each subplot holds, for grouping. */
function barCounts(traces: Trace[]): Map<string, number> {
  const barCount = new Map<string, number>();
  for (const t of traces) if (traceType(t) === 'bar') barCount.set(`${t.xaxis ?? 'x'}${t.yaxis ?? 'y'}`, (barCount.get(`${t.xaxis ?? 'x'}${t.yaxis ?? 'y'}`) ?? 0) + 1);
  return barCount;
}

/**
 * Draws the traces, each clipped to its plot area; bars of one subplot are
 * grouped. Returns the types of the traces it cannot draw.
 * @example
 * ```ts
 * const ax = (id, p0, p1) => ({ id, layout: {}, type: 'linear', categories: [], lo: 0, hi: 2, p0, p1 });
 * const t = { y: [0, 1, 2], mode: 'lines' };
 * const ctx = { traces: [t, { type: 'pie' }], axes: new Map([['x', ax('x', 0, 200)], ['y', ax('y', 100, 0)]]), colorOf: new Map([[t, '#f00']]), colorway: [], clipIds: new Map([['xy', 'c0']]), parts: [] };
 * drawTraces(ctx); // ['pie']
 * ctx.parts; // ['<g clip-path="url(#c0)"><polyline points="0,100 100,50 200,0" fill="none" stroke="#f00" stroke-width="2" stroke-linejoin="round"/></g>']
 * ```
 */
export function drawTraces(ctx: SvgContext): string[] {
  const barCount = barCounts(ctx.traces);
  const barSeen = new Map<string, number>();
  const skipped: string[] = [];
  for (const t of ctx.traces) {
    const [xa, ya] = traceAxes(ctx.axes, t);
    const key = `${xa.id}${ya.id}`;
    const g: string[] = [];
    const type = traceType(t);
    const color = ctx.colorOf.get(t)!;
    const opacity = isNum(t.opacity) ? t.opacity : 1;
    if (type === 'scatter' || type === 'scattergl') scatterSvg(g, t, xa, ya, color, ctx.colorway);
    else if (type === 'bar') {
      const k = barSeen.get(key) ?? 0;
      barSeen.set(key, k + 1);
      barSvg(g, t, xa, ya, color, barCount.get(key) ?? 1, k);
    } else if (type === 'heatmap') g.push(heatmapSvg(t, xa, ya));
    else {
      skipped.push(type);
      continue;
    }
    ctx.parts.push(`<g clip-path="url(#${ctx.clipIds.get(key)})"${opacity < 1 ? ` opacity="${num(opacity)}"` : ''}>${g.join('')}</g>`);
  }
  return skipped;
}
