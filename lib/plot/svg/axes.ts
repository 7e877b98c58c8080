/** An axis of the figure: its type, range and pixel span, the pixel of a data value on it, and its ticks. */
import { num } from './text';
import { arr, isNum, type AxisLayout, type Trace } from './values';

/** An axis laid out on the figure (see `buildAxes`). */
export interface Axis {
  /** `'x'`, `'x2'`, `'y'`, … */
  id: string;
  /** Its `layout.xaxis…` / `layout.yaxis…` object. */
  layout: AxisLayout;
  /** How values map to positions. */
  type: 'linear' | 'log' | 'category';
  /** The category names, in order, on a category axis. */
  categories: string[];
  /** Range start, in axis units (log10 for log axes). */
  lo: number;
  /** Range end, in axis units. */
  hi: number;
  /** Pixel of `lo`. */
  p0: number;
  /** Pixel of `hi`. */
  p1: number;
}

/** A tick: its pixel position and label. */
export interface Tick {
  /** Pixel position along the axis. */
  px: number;
  /** Label text. */
  label: string;
}

/**
 * The layout key of an axis id.
 * @example
 * ```ts
 * axisKey('y2'); // 'yaxis2'
 * ```
 */
export function axisKey(id: string): string {
  return id[0] === 'x' ? `xaxis${id.slice(1)}` : `yaxis${id.slice(1)}`;
}

/**
 * The x and y axes a trace is drawn on.
 * @example
 * ```ts
 * const axes = new Map([['x', 'X'], ['y', 'Y'], ['y2', 'Y2']]);
 * traceAxes(axes, { yaxis: 'y2' }); // ['X', 'Y2']
 * ```
 */
export function traceAxes(axes: Map<string, Axis>, t: Trace): [Axis, Axis] {
  return [axes.get(typeof t.xaxis === 'string' ? t.xaxis : 'x')!, axes.get(typeof t.yaxis === 'string' ? t.yaxis : 'y')!];
}

/**
 * Pixel position of a data value on an axis (NaN when it has none).
 * @example
 * ```ts
 * const ax = { id: 'x', layout: {}, type: 'linear', categories: [], lo: 0, hi: 10, p0: 100, p1: 200 };
 * toPx(ax, 5); // 150
 * toPx(ax, 'a'); // NaN
 * ```
 */
export function toPx(ax: Axis, v: unknown): number {
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

/**
 * "Nice" tick step for a range: 1, 2 or 5 times a power of ten, about `target` ticks.
 * @example
 * ```ts
 * niceStep(10, 4); // 2
 * ```
 */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

/**
 * A tick label: as many decimals as the step needs, thousands as `k` and millions as `M`.
 * @example
 * ```ts
 * formatTick(25000, 5000); // '25k'
 * formatTick(0.25, 0.05); // '0.25'
 * ```
 */
export function formatTick(v: number, step: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 && step >= 1e5) return `${num(v / 1e6)}M`;
  if (a >= 1e4 && step >= 1e3) return `${num(v / 1e3)}k`;
  const decimals = Math.max(0, Math.min(8, Math.ceil(-Math.log10(step) - 1e-9)));
  return v.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
}

/**
 * An axis's ticks: `tickvals` (with `ticktext`) if set, else every category
 * that fits, powers of ten on a log axis, or nice steps (or `dtick`).
 * @example
 * ```ts
 * const ax = { id: 'x', layout: {}, type: 'linear', categories: [], lo: 0, hi: 10, p0: 0, p1: 200 };
 * ticksOf(ax).map((t) => t.label); // ['0', '5', '10']
 * ```
 */
export function ticksOf(ax: Axis): Tick[] {
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
