/** Lays out a figure's axes: each axis's type, categories, range (set or autorange) and pixel span on its domain. */
// Geometry follows plotly's conventions (plotly.com/javascript/reference):
// the plot area is the figure minus `layout.margin`; an axis maps its `range`
// linearly onto its `domain` of the plot area; y grows upwards.
import { axisKey, type Axis } from './axes';
import type { PlotArea } from './context';
import { arr, axisValues, heatEdges, isNum, modeOf, traceType, type AxisLayout, type Trace } from './values';

/** The axis ids the traces use, by dimension. */
export interface AxisIds {
  /** `'x'`, `'x2'`, … */
  x: Set<string>;
  /** `'y'`, `'y2'`, … */
  y: Set<string>;
}

/** `layout.grid`: rows, columns and the gaps between cells (as fractions of a cell). */
interface Grid {
  rows: number;
  cols: number;
  xgap: number;
  ygap: number;
}

/**
 * The axis ids the traces use (`x` and `y` when none).
 * @example
 * ```ts
 * [...axisIdsOf([{ y: [1] }, { y: [2], xaxis: 'x2', yaxis: 'y2' }]).x]; // ['x', 'x2']
 * ```
 */
export function axisIdsOf(traces: Trace[]): AxisIds {
  const axisIds = { x: new Set<string>(), y: new Set<string>() };
  for (const t of traces) {
    axisIds.x.add(typeof t.xaxis === 'string' ? t.xaxis : 'x');
    axisIds.y.add(typeof t.yaxis === 'string' ? t.yaxis : 'y');
  }
  if (!axisIds.x.size) axisIds.x.add('x');
  if (!axisIds.y.size) axisIds.y.add('y');
  return axisIds;
}

/**
 * An axis's type: as its layout sets it, else `'category'` when a value is a non-numeric string, else `'linear'`.
 * @example
 * ```ts
 * axisType({}, [1, 'a']); // 'category'
 * axisType({ type: 'log' }, [1, 10]); // 'log'
 * ```
 */
export function axisType(L: AxisLayout, values: unknown[]): Axis['type'] {
  return L.type === 'log' || L.type === 'category' || L.type === 'linear'
    ? L.type
    : values.some((v) => typeof v === 'string' && !(v.trim() !== '' && Number.isFinite(Number(v))))
      ? 'category'
      : 'linear';
}

/**
 * The categories of a category axis: its values as strings, in order of first appearance.
 * @example
 * ```ts
 * categoriesOf(['b', 'a', 'b', null, 3]); // ['b', 'a', '3']
 * ```
 */
export function categoriesOf(values: unknown[]): string[] {
  const categories: string[] = [];
  for (const v of values) if (v != null && !categories.includes(String(v))) categories.push(String(v));
  return categories;
}

/**
 * The autorange of a numeric axis from the traces on it: their values (bars
 * from 0, heatmap cells and bar slots to their edges), padded as plotly pads.
 * @example
 * ```ts
 * autorange([{ type: 'bar', x: ['a', 'b'], y: [1, 3] }], 'y', 'linear'); // [0, 3.15]
 * ```
 */
export function autorange(on: Trace[], dim: 'x' | 'y', type: Axis['type']): [number, number] {
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
    const mode = modeOf(t);
    if (tt === 'bar' && dim === valueDim) pad = Math.max(pad, t.text != null ? 0.12 : 0.05); // room for the value labels
    else if (tt === 'scatter' || tt === 'scattergl') pad = Math.max(pad, mode.includes('markers') || dim === 'y' ? 0.05 : 0);
  }
  const logNums = type === 'log' ? nums.filter((v) => v > 0).map(Math.log10) : nums;
  let lo = logNums.length ? Math.min(...logNums) : 0;
  let hi = logNums.length ? Math.max(...logNums) : 1;
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
  return [lo, hi];
}

/** An axis's range in axis units: its `range` if set, the categories ±0.5, else {@link autorange}. */
function axisRange(L: AxisLayout, type: Axis['type'], categories: string[], on: Trace[], dim: 'x' | 'y'): [number, number] {
  const range = arr(L.range);
  if (range && isNum(range[0]) && isNum(range[1])) return [range[0], range[1]];
  if (type === 'category') return [-0.5, Math.max(0, categories.length - 1) + 0.5];
  return autorange(on, dim, type);
}

function gridOf(layout: Record<string, unknown>): Grid {
  const grid = (layout.grid ?? {}) as Record<string, unknown>;
  return {
    rows: isNum(grid.rows) ? grid.rows : 1,
    cols: isNum(grid.columns) ? grid.columns : 1,
    xgap: isNum(grid.xgap) ? grid.xgap : 0.3,
    ygap: isNum(grid.ygap) ? grid.ygap : 0.4, // room for panel titles above the rows below
  };
}

/** An axis's domain on `layout.grid` (row-major, top row first): axis k is in cell k. */
function gridDomain({ rows, cols, xgap, ygap }: Grid, id: string): [number, number] {
  const k = Math.max(1, parseInt(id.slice(1) || '1', 10)) - 1;
  if (id[0] === 'x') {
    const cw = 1 / (cols + (cols - 1) * xgap);
    const c = k % cols;
    return [c * cw * (1 + xgap), c * cw * (1 + xgap) + cw];
  }
  const ch = 1 / (rows + (rows - 1) * ygap);
  const r = Math.floor(k / cols) % rows;
  return [1 - (r * ch * (1 + ygap) + ch), 1 - r * ch * (1 + ygap)];
}

/** One axis: type and range from the traces on it, pixels from its domain (explicit, else from the grid, else the whole plot). */
function layoutAxis(layout: Record<string, unknown>, traces: Trace[], dim: 'x' | 'y', id: string, plot: PlotArea, grid: Grid): Axis {
  const L = (layout[axisKey(id)] ?? {}) as AxisLayout;
  const on = traces.filter((t) => (typeof t[`${dim}axis`] === 'string' ? t[`${dim}axis`] : dim) === id);
  const values = on.flatMap((t) => axisValues(t, dim));
  const type = axisType(L, values);
  const categories = type === 'category' ? categoriesOf(values) : [];
  const [lo, hi] = axisRange(L, type, categories, on, dim);
  const domain = arr(L.domain);
  const [d0, d1] = domain && isNum(domain[0]) && isNum(domain[1]) ? [domain[0], domain[1]] : grid.rows * grid.cols > 1 ? gridDomain(grid, id) : [0, 1];
  let p0: number;
  let p1: number;
  if (dim === 'x') [p0, p1] = [plot.x0 + d0 * (plot.x1 - plot.x0), plot.x0 + d1 * (plot.x1 - plot.x0)];
  else [p0, p1] = [plot.y1 - d0 * (plot.y1 - plot.y0), plot.y1 - d1 * (plot.y1 - plot.y0)];
  if (L.autorange === 'reversed') [p0, p1] = [p1, p0];
  return { id, layout: L, type, categories, lo, hi, p0, p1 };
}

/**
 * Every axis of the figure, by id, laid out on the plot area.
 * @example
 * ```ts
 * const axes = buildAxes({}, [{ x: [0, 10], y: [0, 1], mode: 'lines' }], { x: new Set(['x']), y: new Set(['y']) }, { x0: 0, x1: 100, y0: 0, y1: 50 });
 * axes.get('x'); // { type: 'linear', lo: 0, hi: 10, p0: 0, p1: 100 }
 * ```
 */
export function buildAxes(layout: Record<string, unknown>, traces: Trace[], axisIds: AxisIds, plot: PlotArea): Map<string, Axis> {
  const grid = gridOf(layout);
  const axes = new Map<string, Axis>();
  for (const dim of ['x', 'y'] as const) {
    for (const id of axisIds[dim]) axes.set(id, layoutAxis(layout, traces, dim, id, plot, grid));
  }
  return axes;
}
