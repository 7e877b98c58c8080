/**
 * Downsampling of long series for charts, so that a line of 50,000 points
 * stays responsive in a notebook and small in the saved file:
 *
 * - **min/max per bucket** (the default): split the points into equal-count
 *   buckets and keep each bucket's lowest and highest point, in order. Every
 *   spike and dip survives, in particular the global extremes; the drawn line
 *   has the same envelope as the full one (as in time-series databases' "M4").
 * - **LTTB**, Largest-Triangle-Three-Buckets (S. Steinarsson, "Downsampling
 *   Time Series for Visual Representation", MSc thesis, University of Iceland,
 *   2013, ch. 4.2): one point per bucket, the one forming the largest triangle
 *   with the point kept before it and the mean of the next bucket. Keeps the
 *   shape with fewer points, but may drop an extreme.
 *
 * Marker-only scatter traces (point clouds) are thinned to every k-th point.
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import type { Figure } from './figure';

/** How to downsample a line: see the module comment. */
export type DownsampleMethod = 'minmax' | 'lttb';

function checkSeries(fn: string, x: ArrayLike<number> | null, y: ArrayLike<number>): void {
  if (y == null || typeof y.length !== 'number') throw new ArgumentError(`${fn}: y must be an array of numbers, got ${describe(y)}`);
  if (x != null && x.length !== y.length) throw new ArgumentError(`${fn}: x has ${x.length} values but y has ${y.length}; they must have the same length`);
}

/**
 * Indices kept by min/max downsampling: the first and last point, and in each
 * of `buckets` equal-count buckets the lowest and the highest point, in index
 * order. Non-finite values (NaN, null: gaps in a line) are never a bucket's min
 * or max, but a bucket that holds one keeps its first one, so gaps survive.
 * @param y - `[n]` values.
 * @param buckets - number of buckets; at most `2 * buckets + 2` indices come back.
 * @returns sorted indices into `y`; all of them when `n <= 2 * buckets + 2`.
 * @example
 * ```ts
 * minMaxIndices([0, 5, 1, 2, -3, 0, 4, 1], 2); // [0, 1, 4, 6, 7]
 * ```
 */
export function minMaxIndices(y: ArrayLike<number | null>, buckets: number): number[] {
  const fn = 'minMaxIndices';
  checkSeries(fn, null, y as ArrayLike<number>);
  checkInteger(fn, 'buckets', buckets, 1);
  const n = y.length;
  if (n <= 2 * buckets + 2) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (let i = start; i < end; i++) {
      const v = y[i];
      if (v == null || !Number.isFinite(v)) {
        if (gap < 0) gap = i;
        continue;
      }
      if (lo < 0 || v < (y[lo] as number)) lo = i;
      if (hi < 0 || v > (y[hi] as number)) hi = i;
    }
    for (const i of [lo, hi, gap]) if (i >= 0) keep.add(i);
  }
  return [...keep].sort((a, b) => a - b);
}

/**
 * Indices kept by Largest-Triangle-Three-Buckets (Steinarsson 2013): the first
 * and last point and one point per bucket in between. Non-finite points are
 * skipped.
 * @param x - `[n]` x values (increasing), or `null` for 0, 1, 2, …
 * @param y - `[n]` values.
 * @param threshold - number of points to keep (>= 3).
 * @returns sorted indices; all finite points when there are at most `threshold`.
 * @example
 * ```ts
 * lttbIndices(null, [0, 1, 0, 9, 0, 1, 0], 3); // [0, 3, 6]
 * ```
 */
export function lttbIndices(x: ArrayLike<number> | null, y: ArrayLike<number | null>, threshold: number): number[] {
  const fn = 'lttbIndices';
  checkSeries(fn, x, y as ArrayLike<number>);
  checkInteger(fn, 'threshold', threshold, 3);
  const idx: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v != null && Number.isFinite(v) && (x == null || Number.isFinite(x[i]))) idx.push(i);
  }
  const n = idx.length;
  if (n <= threshold) return idx;
  const X = (k: number) => (x == null ? idx[k] : x[idx[k]]);
  const Y = (k: number) => y[idx[k]] as number;
  const out = [idx[0]];
  const every = (n - 2) / (threshold - 2); // bucket size, in points
  let a = 0; // position (in idx) of the point kept last
  for (let b = 0; b < threshold - 2; b++) {
    // The next bucket's mean is the triangle's third corner.
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let mx = 0;
    let my = 0;
    for (let k = nextStart; k < nextEnd; k++) {
      mx += X(k);
      my += Y(k);
    }
    const count = Math.max(1, nextEnd - nextStart);
    mx /= count;
    my /= count;
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let k = start; k < end; k++) {
      const area = Math.abs((X(a) - mx) * (Y(k) - Y(a)) - (X(a) - X(k)) * (my - Y(a)));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    out.push(idx[best]);
    a = best;
  }
  out.push(idx[n - 1]);
  return out;
}

/** A downsampled series (see {@link downsample}). */
export interface Downsampled {
  /** x of the kept points. */
  x: number[];
  /** y of the kept points (null where the series has a gap). */
  y: (number | null)[];
  /** Indices of the kept points in the original series, increasing. */
  indices: number[];
}

/**
 * Downsamples one series to about `maxPoints` points.
 * @param x - `[n]` x values, or `null` for 0, 1, 2, … (the result then has explicit x).
 * @param y - `[n]` values.
 * @param maxPoints - at most this many points come back (>= 4). @default 2000
 * @param method - 'minmax' or 'lttb'. @default 'minmax'
 * @example
 * ```ts
 * downsample(null, Array.from({ length: 50000 }, (_, i) => Math.sin(i / 500)), 1000).y.length; // 998 (at most 1000: the first and last points are also bucket extremes here)
 * ```
 * @see [Notebook 03 §8 Long runs: minibatch losses and downsampling](../../notebooks/03-training-pipeline.ipynb#8.-Long-runs:-minibatch-losses-and-downsampling)
 */
export function downsample(
  x: ArrayLike<number> | null,
  y: ArrayLike<number | null>,
  maxPoints = 2000,
  method: DownsampleMethod = 'minmax',
): Downsampled {
  const fn = 'downsample';
  checkSeries(fn, x, y as ArrayLike<number>);
  checkInteger(fn, 'maxPoints', maxPoints, 4);
  if (method !== 'minmax' && method !== 'lttb') throw new ArgumentError(`${fn}: method must be 'minmax' or 'lttb', got ${describe(method)}`);
  const indices = method === 'lttb' ? lttbIndices(x, y, maxPoints) : minMaxIndices(y, Math.floor((maxPoints - 2) / 2));
  return { x: indices.map((i) => (x == null ? i : x[i])), y: indices.map((i) => y[i]), indices };
}

/** Options of {@link downsampleFigure}. */
export interface DownsampleOptions {
  /** Most points per trace; longer traces are downsampled. `Infinity` turns it off. @default 2000 */
  maxPoints?: number;
  /** Method for lines. @default 'minmax' */
  method?: DownsampleMethod;
}

const PER_POINT_KEYS = ['text', 'hovertext', 'customdata'] as const;

/**
 * A copy of the figure whose long scatter traces are downsampled: lines with
 * {@link downsample}, marker-only traces to every k-th point. Per-point arrays
 * (`text`, `marker.color`, `marker.size`, …) follow the kept points. Each
 * shortened trace's name says so ("loss (2,000 of 50,000 points)") unless
 * `meta.keepName` is set. Other traces and the layout are shared, not copied.
 * @example
 * ```ts
 * const fig = { data: [{ y: Array.from({ length: 50000 }, Math.random) }] };
 * (downsampleFigure(fig).data[0].y as number[]).length <= 2000; // true
 * ```
 */
export function downsampleFigure(fig: Figure, options: DownsampleOptions = {}): Figure {
  const maxPoints = options.maxPoints ?? 2000;
  if (maxPoints === Infinity) return fig;
  checkInteger('downsampleFigure', 'options.maxPoints', maxPoints, 4);
  let changed = false;
  const data = fig.data.map((trace) => {
    const type = (trace.type as string | undefined) ?? 'scatter';
    const y = trace.y as ArrayLike<number | null> | undefined;
    if ((type !== 'scatter' && type !== 'scattergl') || !y || typeof y.length !== 'number' || y.length <= maxPoints) return trace;
    const x = (trace.x as ArrayLike<number> | undefined) ?? null;
    if (x != null && Array.from({ length: Math.min(x.length, 16) }, (_, i) => x[i]).some((v) => typeof v !== 'number')) return trace; // dates, categories: left alone
    const mode = (trace.mode as string | undefined) ?? 'lines';
    let indices: number[];
    if (mode.includes('lines')) indices = downsample(x, y, maxPoints, options.method ?? 'minmax').indices;
    else {
      const step = Math.ceil(y.length / maxPoints);
      indices = Array.from({ length: Math.ceil(y.length / step) }, (_, k) => k * step);
    }
    changed = true;
    const pick = <T>(a: ArrayLike<T>) => indices.map((i) => a[i]);
    const out: Record<string, unknown> = { ...trace, x: x == null ? indices : pick(x), y: pick(y) };
    for (const k of PER_POINT_KEYS) {
      const v = trace[k];
      if (Array.isArray(v) && v.length === y.length) out[k] = pick(v);
    }
    const marker = trace.marker as Record<string, unknown> | undefined;
    if (marker) {
      const m: Record<string, unknown> = { ...marker };
      for (const k of ['color', 'size', 'symbol', 'opacity']) if (Array.isArray(m[k]) && (m[k] as unknown[]).length === y.length) m[k] = pick(m[k] as unknown[]);
      out.marker = m;
    }
    const meta = trace.meta as { keepName?: boolean } | undefined;
    if (typeof trace.name === 'string' && !meta?.keepName) {
      out.name = `${trace.name} (${indices.length.toLocaleString('en-US')} of ${y.length.toLocaleString('en-US')} points)`;
    }
    return out;
  });
  return changed ? { ...fig, data } : fig;
}
