/**
 * Static SVG rendering of a plotly figure, drawn by this library from the
 * figure's own data: the fallback that shows where plotly.js cannot run
 * (untrusted notebooks, GitHub, nbconvert HTML without scripts, e-mail). It
 * covers what the course draws: scatter traces (lines, markers), bar charts,
 * heatmaps, subplots on a `layout.grid`, linear/log/category axes, titles and
 * a legend. Anything else is named in the image, not drawn.
 *
 * Geometry follows plotly's conventions (plotly.com/javascript/reference):
 * the plot area is the figure minus `layout.margin`; an axis maps its `range`
 * linearly onto its `domain` of the plot area; y grows upwards.
 */
import { PNG } from 'pngjs';
import { ArgumentError, describe } from '../errors';
import { escapeHtml } from '../notebook';
import type { Figure } from './plotly';

/** Options of {@link figureSvg}. */
export interface SvgOptions {
  /** Width in pixels, unless `layout.width` is set. @default 720 */
  width?: number;
  /** Height in pixels, unless `layout.height` is set. @default 360 */
  height?: number;
}

type Trace = Record<string, unknown>;
type AxisLayout = Record<string, unknown>;

/** plotly.js's default trace colours (its `colorway`). */
export const PLOTLY_COLORWAY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A few of plotly.js's named colour scales, copied from plotly.js 2.35 (`src/components/colorscale/scales.js`). */
const COLORSCALES: Record<string, [number, string][]> = {
  Blues: [[0, 'rgb(5,10,172)'], [0.35, 'rgb(40,60,190)'], [0.5, 'rgb(70,100,245)'], [0.6, 'rgb(90,120,245)'], [0.7, 'rgb(106,137,247)'], [1, 'rgb(220,220,220)']],
  Greys: [[0, 'rgb(0,0,0)'], [1, 'rgb(255,255,255)']],
  Reds: [[0, 'rgb(220,220,220)'], [0.2, 'rgb(245,195,157)'], [0.4, 'rgb(245,160,105)'], [1, 'rgb(178,10,28)']],
  RdBu: [[0, 'rgb(5,10,172)'], [0.35, 'rgb(106,137,247)'], [0.5, 'rgb(190,190,190)'], [0.6, 'rgb(220,170,132)'], [0.7, 'rgb(230,145,90)'], [1, 'rgb(178,10,28)']],
  Viridis: [[0, '#440154'], [0.125, '#472d7b'], [0.25, '#3b528b'], [0.375, '#2c728e'], [0.5, '#21918c'], [0.625, '#28ae80'], [0.75, '#5ec962'], [0.875, '#addc30'], [1, '#fde725']],
};

const FONT = "'Open Sans', verdana, arial, sans-serif";
const CHAR_W = 6.6; // average width of a 12 px character, for layout estimates

/** Escapes text for SVG/XML. */
function esc(s: unknown): string {
  return escapeHtml(String(s)); // the same five entities serve XML
}

/**
 * A coordinate for the SVG text: at most 2 decimals, no trailing zeros.
 * @example
 * ```ts
 * num(1.23456); // '1.23'
 * num(2); // '2'
 * ```
 */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function titleOf(t: unknown): string {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return '';
}

/** Strips the small HTML subset plotly allows in titles (`<b>`, `<br>`, …) to plain text. */
function plain(s: string): string {
  return s.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '');
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function arr(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return undefined;
}

// ---------------------------------------------------------------- colours

function parseColor(c: string): [number, number, number] {
  const s = c.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16)];
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^rgba?\(([^)]*)\)$/i.exec(s);
  if (m) {
    const p = m[1].split(',').map((x) => parseFloat(x));
    return [p[0], p[1], p[2]];
  }
  return [128, 128, 128];
}

function rgb(c: [number, number, number]): string {
  return `rgb(${c.map((v) => Math.round(v)).join(',')})`;
}

function scaleOf(trace: Trace): [number, string][] {
  const cs = trace.colorscale;
  let scale: [number, string][] = COLORSCALES.Viridis;
  if (typeof cs === 'string' && COLORSCALES[cs]) scale = COLORSCALES[cs];
  else if (Array.isArray(cs) && cs.every((s) => Array.isArray(s) && s.length === 2)) scale = cs as [number, string][];
  if (trace.reversescale === true) scale = scale.map(([p, c]) => [1 - p, c] as [number, string]).reverse();
  return scale;
}

/** The colour at `t` in [0, 1] of a plotly colour scale (piecewise linear in RGB, as plotly does). */
function colorAt(scale: [number, string][], t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < scale.length; i++) {
    if (u <= scale[i][0] || i === scale.length - 1) {
      const [p0, c0] = scale[i - 1];
      const [p1, c1] = scale[i];
      const f = p1 > p0 ? Math.min(1, Math.max(0, (u - p0) / (p1 - p0))) : 1;
      const a = parseColor(c0);
      const b = parseColor(c1);
      return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
    }
  }
  return parseColor(scale[0][1]);
}

// ---------------------------------------------------------------- axes

interface Axis {
  id: string; // 'x', 'x2', 'y', …
  layout: AxisLayout;
  type: 'linear' | 'log' | 'category';
  categories: string[];
  lo: number; // range start, in axis units (log10 for log axes)
  hi: number;
  p0: number; // pixel of `lo`
  p1: number; // pixel of `hi`
}

function axisKey(id: string): string {
  return id[0] === 'x' ? `xaxis${id.slice(1)}` : `yaxis${id.slice(1)}`;
}

/** Pixel position of a data value on an axis (NaN when it has none). */
function toPx(ax: Axis, v: unknown): number {
  let u: number;
  if (ax.type === 'category') u = typeof v === 'number' && !ax.categories.includes(String(v)) ? v : ax.categories.indexOf(String(v));
  else {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (!isNum(n)) return NaN;
    u = ax.type === 'log' ? (n > 0 ? Math.log10(n) : NaN) : n;
  }
  if (u < 0 && ax.type === 'category') return NaN;
  return ax.p0 + ((u - ax.lo) / (ax.hi - ax.lo)) * (ax.p1 - ax.p0);
}

/** "Nice" tick step for a range: 1, 2 or 5 times a power of ten, about `target` ticks. */
function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

function formatTick(v: number, step: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 && step >= 1e5) return `${num(v / 1e6)}M`;
  if (a >= 1e4 && step >= 1e3) return `${num(v / 1e3)}k`;
  const decimals = Math.max(0, Math.min(8, Math.ceil(-Math.log10(step) - 1e-9)));
  return v.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
}

interface Tick {
  px: number;
  label: string;
}

function ticksOf(ax: Axis): Tick[] {
  const L = ax.layout;
  const len = Math.abs(ax.p1 - ax.p0);
  const out: Tick[] = [];
  const lo = Math.min(ax.lo, ax.hi);
  const hi = Math.max(ax.lo, ax.hi);
  const tickvals = arr(L.tickvals);
  if (tickvals) {
    const text = arr(L.ticktext);
    tickvals.forEach((v, i) => {
      const px = toPx(ax, v);
      if (Number.isFinite(px)) out.push({ px, label: text ? String(text[i]) : String(v) });
    });
    return out;
  }
  if (ax.type === 'category') {
    const room = ax.id[0] === 'x' ? 14 : 14;
    const every = Math.max(1, Math.ceil((ax.categories.length * room) / Math.max(1, len)));
    ax.categories.forEach((c, i) => {
      if (i % every === 0) out.push({ px: toPx(ax, c), label: c });
    });
    return out;
  }
  if (ax.type === 'log') {
    for (let e = Math.ceil(lo - 1e-9); e <= hi + 1e-9; e++) {
      const v = Math.pow(10, e);
      out.push({ px: toPx(ax, v), label: e >= 0 && e <= 4 ? String(v) : `1e${e}` });
    }
    return out;
  }
  const dtick = isNum(L.dtick) && L.dtick > 0 ? L.dtick : undefined;
  let step = dtick ?? niceStep(hi - lo, ax.id[0] === 'x' ? len / 90 : len / 45);
  while ((hi - lo) / step > 60) step *= 2; // a tiny dtick on a long axis
  const start = Math.ceil((lo - 1e-9 * step) / step);
  for (let k = start; k * step <= hi + 1e-9 * step; k++) {
    const v = k * step;
    out.push({ px: toPx(ax, v), label: formatTick(Math.abs(v) < step * 1e-9 ? 0 : v, step) });
  }
  return out;
}

// ---------------------------------------------------------------- traces

function traceType(t: Trace): string {
  return typeof t.type === 'string' ? t.type : 'scatter';
}

function xs(t: Trace, n: number): unknown[] {
  return arr(t.x) ?? Array.from({ length: n }, (_, i) => i);
}

/** Values a trace puts on its x (`'x'`) or y (`'y'`) axis, for autorange and axis type. */
function axisValues(t: Trace, dim: 'x' | 'y'): unknown[] {
  const type = traceType(t);
  if (type === 'heatmap') {
    const z = (arr(t.z) ?? []) as unknown[][];
    const n = dim === 'x' ? Math.max(0, ...z.map((r) => (arr(r) ?? []).length)) : z.length;
    return arr(t[dim]) ?? Array.from({ length: n }, (_, i) => i);
  }
  const y = arr(t.y) ?? [];
  const x = arr(t.x);
  if (dim === 'y') return type === 'bar' && t.orientation === 'h' ? x ?? [] : y;
  return type === 'bar' && t.orientation === 'h' ? y : xs(t, y.length);
}

/** Heatmap cell edges along one dimension, from cell centres (or 0…n-1). */
function heatEdges(centres: number[]): number[] {
  if (centres.length === 1) return [centres[0] - 0.5, centres[0] + 0.5];
  const e = [centres[0] - (centres[1] - centres[0]) / 2];
  for (let i = 0; i < centres.length - 1; i++) e.push((centres[i] + centres[i + 1]) / 2);
  e.push(centres[centres.length - 1] + (centres[centres.length - 1] - centres[centres.length - 2]) / 2);
  return e;
}

function dashArray(dash: unknown, width: number): string {
  const w = Math.max(1, width);
  switch (dash) {
    case 'dash':
      return `${3 * w},${3 * w}`;
    case 'dot':
      return `${w},${w}`;
    case 'dashdot':
      return `${3 * w},${w},${w},${w}`;
    case 'longdash':
      return `${5 * w},${3 * w}`;
    default:
      return typeof dash === 'string' && /^[\d.,\spx]+$/.test(dash) ? dash.replace(/px/g, '') : '';
  }
}

// ---------------------------------------------------------------- the figure

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
  const layout = (fig.layout ?? {}) as Record<string, unknown>;
  const W = isNum(layout.width) ? layout.width : (options.width ?? 720);
  const H = isNum(layout.height) ? layout.height : (options.height ?? 360);
  const traces = fig.data.filter((t) => t && typeof t === 'object' && t.visible !== false && t.visible !== 'legendonly');
  const title = plain(titleOf(layout.title));

  // Trace colours: explicit, else plotly's colorway in trace order.
  const colorway = (arr(layout.colorway) as string[] | undefined) ?? PLOTLY_COLORWAY;
  const colorOf = new Map<Trace, string>();
  fig.data.forEach((t, i) => {
    const line = t.line as { color?: unknown } | undefined;
    const marker = t.marker as { color?: unknown } | undefined;
    const c = typeof line?.color === 'string' ? line.color : typeof marker?.color === 'string' ? marker.color : colorway[i % colorway.length];
    colorOf.set(t, c);
  });

  // Legend entries (plotly shows a legend when more than one trace has one).
  const entries = traces.filter((t) => traceType(t) !== 'heatmap' && t.showlegend !== false && typeof t.name === 'string' && t.name !== '');
  const showLegend = layout.showlegend === false ? false : layout.showlegend === true ? entries.length > 0 : entries.length > 1;
  const legendItems = showLegend ? entries.map((t) => ({ t, label: plain(String(t.name)), w: 34 + plain(String(t.name)).length * CHAR_W })) : [];
  const legendRows: (typeof legendItems)[] = [];
  {
    let row: typeof legendItems = [];
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
  }

  // Axes used by the traces.
  const axisIds = { x: new Set<string>(), y: new Set<string>() };
  for (const t of traces) {
    axisIds.x.add(typeof t.xaxis === 'string' ? t.xaxis : 'x');
    axisIds.y.add(typeof t.yaxis === 'string' ? t.yaxis : 'y');
  }
  if (!axisIds.x.size) axisIds.x.add('x');
  if (!axisIds.y.size) axisIds.y.add('y');

  const anyRotated = [...axisIds.x].some((id) => {
    const cats = traces.filter((t) => (t.xaxis ?? 'x') === id).flatMap((t) => axisValues(t, 'x')).filter((v) => typeof v === 'string') as string[];
    return cats.length > 0 && Math.max(...cats.map((c) => c.length)) * CHAR_W > (W - 120) / Math.max(1, new Set(cats).size);
  });
  const margin = (layout.margin ?? {}) as Record<string, unknown>;
  const ml = isNum(margin.l) ? margin.l : 70;
  const mr = isNum(margin.r) ? margin.r : 30;
  const mt = isNum(margin.t) ? margin.t : title ? 50 : 20;
  const mb = (isNum(margin.b) ? margin.b : anyRotated ? 90 : 50) + 22 * legendRows.length; // the legend goes below, as plotly's automargin would
  const plotX0 = ml;
  const plotX1 = W - mr;
  const plotY0 = mt; // top
  const plotY1 = H - mb; // bottom

  // Domains: explicit, else from layout.grid (row-major, top row first), else whole plot.
  const grid = (layout.grid ?? {}) as Record<string, unknown>;
  const rows = isNum(grid.rows) ? grid.rows : 1;
  const cols = isNum(grid.columns) ? grid.columns : 1;
  const xgap = isNum(grid.xgap) ? grid.xgap : 0.3;
  const ygap = isNum(grid.ygap) ? grid.ygap : 0.4; // room for panel titles above the rows below
  const gridDomain = (id: string): [number, number] => {
    const k = Math.max(1, parseInt(id.slice(1) || '1', 10)) - 1;
    if (id[0] === 'x') {
      const cw = 1 / (cols + (cols - 1) * xgap);
      const c = k % cols;
      return [c * cw * (1 + xgap), c * cw * (1 + xgap) + cw];
    }
    const ch = 1 / (rows + (rows - 1) * ygap);
    const r = Math.floor(k / cols) % rows;
    return [1 - (r * ch * (1 + ygap) + ch), 1 - r * ch * (1 + ygap)];
  };

  const axes = new Map<string, Axis>();
  for (const dim of ['x', 'y'] as const) {
    for (const id of axisIds[dim]) {
      const L = (layout[axisKey(id)] ?? {}) as AxisLayout;
      const on = traces.filter((t) => (typeof t[`${dim}axis`] === 'string' ? t[`${dim}axis`] : dim) === id);
      const values = on.flatMap((t) => axisValues(t, dim));
      const type: Axis['type'] =
        L.type === 'log' || L.type === 'category' || L.type === 'linear'
          ? L.type
          : values.some((v) => typeof v === 'string' && !(v.trim() !== '' && Number.isFinite(Number(v))))
            ? 'category'
            : 'linear';
      const categories: string[] = [];
      if (type === 'category') {
        for (const v of values) if (v != null && !categories.includes(String(v))) categories.push(String(v));
      }
      let lo: number;
      let hi: number;
      const range = arr(L.range);
      if (range && isNum(range[0]) && isNum(range[1])) {
        [lo, hi] = [range[0], range[1]];
      } else if (type === 'category') {
        [lo, hi] = [-0.5, Math.max(0, categories.length - 1) + 0.5];
      } else {
        const nums: number[] = [];
        let pad = 0;
        for (const t of on) {
          const tt = traceType(t);
          const vals = axisValues(t, dim).map((v) => (typeof v === 'string' ? Number(v) : v)).filter(isNum);
          if (tt === 'heatmap') nums.push(...heatEdges(vals));
          else nums.push(...vals);
          const valueDim = tt === 'bar' ? (t.orientation === 'h' ? 'x' : 'y') : undefined;
          if (tt === 'bar' && dim === valueDim) nums.push(0);
          if (tt === 'bar' && dim !== valueDim) nums.push(...heatEdges([...new Set(vals)].sort((a, b) => a - b)));
          const mode = typeof t.mode === 'string' ? t.mode : (arr(t.y)?.length ?? 0) < 20 ? 'lines+markers' : 'lines';
          if (tt === 'bar' && dim === valueDim) pad = Math.max(pad, t.text != null ? 0.12 : 0.05); // room for the value labels
          else if (tt === 'scatter' || tt === 'scattergl') pad = Math.max(pad, mode.includes('markers') || dim === 'y' ? 0.05 : 0);
        }
        const logNums = type === 'log' ? nums.filter((v) => v > 0).map(Math.log10) : nums;
        lo = logNums.length ? Math.min(...logNums) : 0;
        hi = logNums.length ? Math.max(...logNums) : 1;
        if (hi === lo) {
          const d = lo === 0 ? 1 : Math.abs(lo) * 0.5;
          lo -= d;
          hi += d;
        } else {
          const span = hi - lo;
          const barOnly = on.every((t) => traceType(t) === 'bar');
          if (!(barOnly && lo === 0)) lo -= pad * span;
          hi += pad * span;
        }
      }
      const reversed = L.autorange === 'reversed';
      const domain = arr(L.domain);
      const [d0, d1] = domain && isNum(domain[0]) && isNum(domain[1]) ? [domain[0], domain[1]] : rows * cols > 1 ? gridDomain(id) : [0, 1];
      let p0: number;
      let p1: number;
      if (dim === 'x') [p0, p1] = [plotX0 + d0 * (plotX1 - plotX0), plotX0 + d1 * (plotX1 - plotX0)];
      else [p0, p1] = [plotY1 - d0 * (plotY1 - plotY0), plotY1 - d1 * (plotY1 - plotY0)];
      if (reversed) [p0, p1] = [p1, p0];
      axes.set(id, { id, layout: L, type, categories, lo, hi, p0, p1 });
    }
  }

  const parts: string[] = [];
  const clipIds = new Map<string, string>();
  const defs: string[] = [];
  const pairs = new Map<string, [Axis, Axis]>();
  for (const t of traces) {
    const xa = axes.get(typeof t.xaxis === 'string' ? t.xaxis : 'x')!;
    const ya = axes.get(typeof t.yaxis === 'string' ? t.yaxis : 'y')!;
    pairs.set(`${xa.id}${ya.id}`, [xa, ya]);
  }
  if (!pairs.size) pairs.set('xy', [axes.get('x')!, axes.get('y')!]);

  // Plot areas, grid lines, axes, ticks and axis titles.
  const drawnAxes = new Set<string>();
  for (const [key, [xa, ya]] of pairs) {
    const x0 = Math.min(xa.p0, xa.p1);
    const x1 = Math.max(xa.p0, xa.p1);
    const y0 = Math.min(ya.p0, ya.p1);
    const y1 = Math.max(ya.p0, ya.p1);
    const clip = `c${clipIds.size}`;
    clipIds.set(key, clip);
    defs.push(`<clipPath id="${clip}"><rect x="${num(x0)}" y="${num(y0)}" width="${num(x1 - x0)}" height="${num(y1 - y0)}"/></clipPath>`);
    const xt = ticksOf(xa);
    const yt = ticksOf(ya);
    const showGrid = (a: Axis) => a.layout.showgrid !== false && a.type !== 'category';
    if (showGrid(xa)) for (const t of xt) parts.push(`<line x1="${num(t.px)}" y1="${num(y0)}" x2="${num(t.px)}" y2="${num(y1)}" stroke="#eee"/>`);
    if (showGrid(ya)) for (const t of yt) parts.push(`<line x1="${num(x0)}" y1="${num(t.px)}" x2="${num(x1)}" y2="${num(t.px)}" stroke="#eee"/>`);
    if (!drawnAxes.has(xa.id)) {
      drawnAxes.add(xa.id);
      parts.push(`<line x1="${num(x0)}" y1="${num(y1)}" x2="${num(x1)}" y2="${num(y1)}" stroke="#444"/>`);
      const rotate = xa.type === 'category' && xt.length > 0 && Math.max(...xt.map((t) => t.label.length)) * CHAR_W > (x1 - x0) / xt.length;
      for (const t of xt) {
        parts.push(`<line x1="${num(t.px)}" y1="${num(y1)}" x2="${num(t.px)}" y2="${num(y1 + 5)}" stroke="#444"/>`);
        parts.push(
          rotate
            ? `<text x="${num(t.px)}" y="${num(y1 + 14)}" text-anchor="end" transform="rotate(-40 ${num(t.px)} ${num(y1 + 14)})">${esc(t.label)}</text>`
            : `<text x="${num(t.px)}" y="${num(y1 + 18)}" text-anchor="middle">${esc(t.label)}</text>`,
        );
      }
      const xTitle = plain(titleOf(xa.layout.title));
      const below = rotate ? 14 + Math.min(12, Math.max(...xt.map((t) => t.label.length))) * CHAR_W * 0.65 + 16 : 38;
      if (xTitle) parts.push(`<text x="${num((x0 + x1) / 2)}" y="${num(y1 + below)}" text-anchor="middle" font-size="13">${esc(xTitle)}</text>`);
    }
    if (!drawnAxes.has(ya.id)) {
      drawnAxes.add(ya.id);
      parts.push(`<line x1="${num(x0)}" y1="${num(y0)}" x2="${num(x0)}" y2="${num(y1)}" stroke="#444"/>`);
      let widest = 0;
      for (const t of yt) {
        parts.push(`<line x1="${num(x0 - 5)}" y1="${num(t.px)}" x2="${num(x0)}" y2="${num(t.px)}" stroke="#444"/>`);
        parts.push(`<text x="${num(x0 - 8)}" y="${num(t.px + 4)}" text-anchor="end">${esc(t.label)}</text>`);
        widest = Math.max(widest, t.label.length * CHAR_W);
      }
      const yTitle = plain(titleOf(ya.layout.title));
      if (yTitle) {
        const x = Math.max(12, x0 - 8 - widest - 10);
        parts.push(`<text x="${num(x)}" y="${num((y0 + y1) / 2)}" text-anchor="middle" font-size="13" transform="rotate(-90 ${num(x)} ${num((y0 + y1) / 2)})">${esc(yTitle)}</text>`);
      }
    }
  }

  // Zero lines, as plotly draws them on linear axes that span 0.
  for (const [, [xa, ya]] of pairs) {
    const x0 = Math.min(xa.p0, xa.p1);
    const x1 = Math.max(xa.p0, xa.p1);
    const y0 = Math.min(ya.p0, ya.p1);
    const y1 = Math.max(ya.p0, ya.p1);
    const spans = (a: Axis) => a.type === 'linear' && a.layout.zeroline !== false && Math.min(a.lo, a.hi) < 0 && Math.max(a.lo, a.hi) > 0;
    if (spans(xa)) parts.push(`<line x1="${num(toPx(xa, 0))}" y1="${num(y0)}" x2="${num(toPx(xa, 0))}" y2="${num(y1)}" stroke="#444" stroke-width="1"/>`);
    if (spans(ya)) parts.push(`<line x1="${num(x0)}" y1="${num(toPx(ya, 0))}" x2="${num(x1)}" y2="${num(toPx(ya, 0))}" stroke="#444" stroke-width="1"/>`);
  }

  // Traces, clipped to their plot area; bars of one subplot are grouped.
  const barCount = new Map<string, number>();
  const barSeen = new Map<string, number>();
  for (const t of traces) if (traceType(t) === 'bar') barCount.set(`${t.xaxis ?? 'x'}${t.yaxis ?? 'y'}`, (barCount.get(`${t.xaxis ?? 'x'}${t.yaxis ?? 'y'}`) ?? 0) + 1);
  const skipped: string[] = [];
  for (const t of traces) {
    const xa = axes.get(typeof t.xaxis === 'string' ? t.xaxis : 'x')!;
    const ya = axes.get(typeof t.yaxis === 'string' ? t.yaxis : 'y')!;
    const key = `${xa.id}${ya.id}`;
    const g: string[] = [];
    const type = traceType(t);
    const color = colorOf.get(t)!;
    const opacity = isNum(t.opacity) ? t.opacity : 1;
    if (type === 'scatter' || type === 'scattergl') {
      const y = arr(t.y) ?? [];
      const x = xs(t, y.length);
      const mode = typeof t.mode === 'string' ? t.mode : y.length < 20 ? 'lines+markers' : 'lines';
      const pts = y.map((v, i) => [toPx(xa, x[i]), toPx(ya, v)] as const);
      const line = (t.line ?? {}) as Record<string, unknown>;
      const width = isNum(line.width) ? line.width : 2;
      if (mode.includes('lines')) {
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
      if (mode.includes('markers')) {
        const marker = (t.marker ?? {}) as Record<string, unknown>;
        const colors = arr(marker.color);
        const sizes = arr(marker.size);
        const numericColors = colors && colors.every((c) => typeof c === 'number');
        const cmin = numericColors ? Math.min(...(colors as number[])) : 0;
        const cmax = numericColors ? Math.max(...(colors as number[])) : 1;
        const integerColors = numericColors && (colors as number[]).every((c) => Number.isInteger(c) && c >= 0);
        pts.forEach(([px, py], i) => {
          if (!Number.isFinite(px) || !Number.isFinite(py)) return;
          let c = color;
          if (colors) {
            const v = colors[i];
            if (typeof v === 'string') c = v;
            else if (typeof v === 'number')
              c = integerColors && !marker.colorscale ? colorway[v % colorway.length] : rgb(colorAt(scaleOf(marker), cmax > cmin ? (v - cmin) / (cmax - cmin) : 0.5));
          }
          const s = sizes && isNum(sizes[i]) ? (sizes[i] as number) : isNum(marker.size) ? marker.size : 6;
          const outline = (marker.line ?? {}) as Record<string, unknown>;
          const stroke = typeof outline.color === 'string' ? ` stroke="${esc(outline.color)}" stroke-width="${num(isNum(outline.width) ? outline.width : 1)}"` : '';
          const symbols = arr(marker.symbol);
          g.push(markerSvg(px, py, s, c, String(symbols ? symbols[i] : (marker.symbol ?? 'circle')), stroke));
        });
      }
    } else if (type === 'bar') {
      const horizontal = t.orientation === 'h';
      const vals = (arr(horizontal ? t.x : t.y) ?? []) as unknown[];
      const cats = horizontal ? (arr(t.y) ?? vals.map((_, i) => i)) : xs(t, vals.length);
      const catAxis = horizontal ? ya : xa;
      const valAxis = horizontal ? xa : ya;
      const n = barCount.get(key) ?? 1;
      const k = barSeen.get(key) ?? 0;
      barSeen.set(key, k + 1);
      // Slot width in category units: 1 on category axes, the smallest gap on numeric ones.
      const numericCats = cats.filter(isNum).sort((a, b) => a - b);
      let slot = 1;
      if (catAxis.type !== 'category' && numericCats.length > 1) slot = Math.min(...numericCats.slice(1).map((v, i) => v - numericCats[i]).filter((d) => d > 0));
      const unitPx = Math.abs((slot * (catAxis.p1 - catAxis.p0)) / (catAxis.hi - catAxis.lo));
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
    } else if (type === 'heatmap') {
      g.push(heatmapSvg(t, xa, ya));
    } else {
      skipped.push(type);
      continue;
    }
    parts.push(`<g clip-path="url(#${clipIds.get(key)})"${opacity < 1 ? ` opacity="${num(opacity)}"` : ''}>${g.join('')}</g>`);
  }

  // Text annotations (e.g. panel titles), positioned in paper, axis-domain or data coordinates.
  for (const a of (arr(layout.annotations) ?? []) as Record<string, unknown>[]) {
    if (!a || typeof a.text !== 'string' || !isNum(a.x) || !isNum(a.y)) continue;
    const place = (dim: 'x' | 'y', v: number): number => {
      const ref = typeof a[`${dim}ref`] === 'string' ? (a[`${dim}ref`] as string) : 'paper';
      const lo = dim === 'x' ? plotX0 : plotY1;
      const hi = dim === 'x' ? plotX1 : plotY0;
      if (ref === 'paper') return lo + v * (hi - lo);
      const ax = axes.get(ref.replace(/ domain$/, ''));
      if (!ax) return NaN;
      if (ref.endsWith(' domain')) {
        const [d0, d1] = dim === 'x' ? [Math.min(ax.p0, ax.p1), Math.max(ax.p0, ax.p1)] : [Math.max(ax.p0, ax.p1), Math.min(ax.p0, ax.p1)];
        return d0 + v * (d1 - d0);
      }
      return toPx(ax, v);
    };
    const px = place('x', a.x);
    const py = place('y', a.y);
    if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
    const anchor = a.xanchor === 'left' ? 'start' : a.xanchor === 'right' ? 'end' : 'middle';
    const bold = /<b>/i.test(a.text) ? ' font-weight="bold"' : '';
    parts.push(`<text x="${num(px)}" y="${num(py + 4)}" text-anchor="${anchor}"${bold}>${esc(plain(a.text))}</text>`);
  }

  if (title) parts.push(`<text x="${num(W / 2)}" y="${num(Math.min(30, mt - 14))}" text-anchor="middle" font-size="17">${esc(title)}</text>`);
  if (skipped.length) {
    parts.push(`<text x="${num((plotX0 + plotX1) / 2)}" y="${num((plotY0 + plotY1) / 2)}" text-anchor="middle" fill="#a00">${esc(`not drawn in this static image: ${[...new Set(skipped)].join(', ')} trace(s)`)}</text>`);
  }

  // Legend: rows of [symbol, name] under the x axes.
  legendRows.forEach((row, r) => {
    const total = row.reduce((s, it) => s + it.w, 0);
    let x = Math.max(8, (W - total) / 2);
    const y = H - 22 * (legendRows.length - r) + 6;
    for (const { t, label, w } of row) {
      const c = colorOf.get(t)!;
      const type = traceType(t);
      const mode = typeof t.mode === 'string' ? t.mode : (arr(t.y)?.length ?? 0) < 20 ? 'lines+markers' : 'lines';
      if (type === 'bar') parts.push(`<rect x="${num(x)}" y="${num(y - 9)}" width="22" height="10" fill="${esc(c)}"/>`);
      else {
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
      parts.push(`<text x="${num(x + 30)}" y="${num(y)}">${esc(label)}</text>`);
      x += w;
    }
  });

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${num(W)}" height="${num(H)}" viewBox="0 0 ${num(W)} ${num(H)}" font-family="${esc(FONT)}" font-size="12" fill="#444">` +
    `<title>${esc(title || 'chart')}</title><defs>${defs.join('')}</defs>` +
    `<rect width="${num(W)}" height="${num(H)}" fill="#fff"/>${parts.join('')}</svg>`
  );
}

/**
 * One marker: plotly's circle (default), square, diamond, x, cross and
 * triangle-up/down, filled, or outlined with an '-open' suffix.
 */
function markerSvg(px: number, py: number, size: number, color: string, symbol: string, stroke: string): string {
  const open = symbol.endsWith('-open');
  const name = symbol.replace(/-open$/, '');
  const r = size / 2;
  const paint = open ? `fill="none" stroke="${esc(color)}" stroke-width="1.5"` : `fill="${esc(color)}"${stroke}`;
  const poly = (pts: [number, number][]) => `<polygon points="${pts.map(([a, b]) => `${num(px + a)},${num(py + b)}`).join(' ')}" ${paint}/>`;
  switch (name) {
    case 'square':
      return `<rect x="${num(px - r)}" y="${num(py - r)}" width="${num(size)}" height="${num(size)}" ${paint}/>`;
    case 'diamond':
      return poly([[0, -r * 1.3], [r * 1.3, 0], [0, r * 1.3], [-r * 1.3, 0]]);
    case 'triangle-up':
      return poly([[0, -r * 1.2], [r * 1.2, r * 0.9], [-r * 1.2, r * 0.9]]);
    case 'triangle-down':
      return poly([[0, r * 1.2], [r * 1.2, -r * 0.9], [-r * 1.2, -r * 0.9]]);
    case 'x':
    case 'cross': {
      const d = name === 'x' ? r * 0.9 : r * 1.2;
      const segs = name === 'x' ? [[-d, -d, d, d], [-d, d, d, -d]] : [[-d, 0, d, 0], [0, -d, 0, d]];
      return segs.map(([a, b, c2, d2]) => `<line x1="${num(px + a)}" y1="${num(py + b)}" x2="${num(px + c2)}" y2="${num(py + d2)}" stroke="${esc(color)}" stroke-width="${num(Math.max(1.5, size / 4))}"/>`).join('');
    }
    default:
      return `<circle cx="${num(px)}" cy="${num(py)}" r="${num(r)}" ${paint}/>`;
  }
}

/** A heatmap as rectangles (with cell labels), or as one embedded PNG when it has many cells. */
function heatmapSvg(t: Trace, xa: Axis, ya: Axis): string {
  const z = ((arr(t.z) ?? []) as unknown[]).map((r) => (arr(r) ?? []) as unknown[]);
  const ny = z.length;
  const nx = Math.max(0, ...z.map((r) => r.length));
  if (!nx || !ny) return '';
  const flat = z.flat().filter(isNum);
  const zmin = isNum(t.zmin) ? t.zmin : Math.min(...flat);
  const zmax = isNum(t.zmax) ? t.zmax : Math.max(...flat);
  const scale = scaleOf(t);
  const colorOfZ = (v: unknown) => (isNum(v) ? colorAt(scale, zmax > zmin ? (v - zmin) / (zmax - zmin) : 0.5) : null);
  const xv = arr(t.x) ?? Array.from({ length: nx }, (_, i) => i);
  const yv = arr(t.y) ?? Array.from({ length: ny }, (_, i) => i);
  // Cell edges in pixels: categories are ±0.5 around their index; numbers use midpoints.
  const edgesPx = (ax: Axis, v: unknown[], n: number): number[] => {
    if (ax.type === 'category') {
      const idx = v.slice(0, n).map((c) => ax.categories.indexOf(String(c)));
      return [...idx.map((i) => i - 0.5), idx[idx.length - 1] + 0.5].map((u) => ax.p0 + ((u - ax.lo) / (ax.hi - ax.lo)) * (ax.p1 - ax.p0));
    }
    const centres = v.slice(0, n).map(Number);
    return heatEdges(centres).map((e) => toPx(ax, e));
  };
  const ex = edgesPx(xa, xv, nx);
  const ey = edgesPx(ya, yv, ny);
  const out: string[] = [];
  if (nx * ny > 900) {
    // One pixel per cell, scaled up; the image's rows run from the top of the plot down.
    const png = new PNG({ width: nx, height: ny });
    const flipY = ey[0] < ey[ny];
    const flipX = ex[0] > ex[nx];
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const c = colorOfZ(z[j][i]);
        const row = flipY ? j : ny - 1 - j;
        const col = flipX ? nx - 1 - i : i;
        const o = (row * nx + col) * 4;
        png.data[o] = c ? c[0] : 0;
        png.data[o + 1] = c ? c[1] : 0;
        png.data[o + 2] = c ? c[2] : 0;
        png.data[o + 3] = c ? 255 : 0;
      }
    }
    const href = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
    const x = Math.min(ex[0], ex[nx]);
    const y = Math.min(ey[0], ey[ny]);
    out.push(
      `<image x="${num(x)}" y="${num(y)}" width="${num(Math.abs(ex[nx] - ex[0]))}" height="${num(Math.abs(ey[ny] - ey[0]))}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${href}" xlink:href="${href}"/>`,
    );
    return out.join('');
  }
  const text = (arr(t.text) ?? []) as unknown[];
  const template = typeof t.texttemplate === 'string' ? t.texttemplate : '';
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < z[j].length; i++) {
      const c = colorOfZ(z[j][i]);
      if (!c) continue;
      const x = Math.min(ex[i], ex[i + 1]);
      const y = Math.min(ey[j], ey[j + 1]);
      const w = Math.abs(ex[i + 1] - ex[i]);
      const h = Math.abs(ey[j + 1] - ey[j]);
      out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w + 0.3)}" height="${num(h + 0.3)}" fill="${rgb(c)}"/>`);
      if (template && nx * ny <= 625) {
        const rowText = (arr(text[j]) ?? []) as unknown[];
        const label = template.replace(/%\{text\}/g, String(rowText[i] ?? '')).replace(/%\{z[^}]*\}/g, String(z[j][i])).replace(/%\{x\}/g, String(xv[i])).replace(/%\{y\}/g, String(yv[j]));
        const lum = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
        out.push(`<text x="${num(x + w / 2)}" y="${num(y + h / 2 + 4)}" text-anchor="middle" font-size="${h < 16 ? 9 : 11}" fill="${lum < 0.55 ? '#fff' : '#222'}">${esc(plain(label))}</text>`);
      }
    }
  }
  return out.join('');
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
