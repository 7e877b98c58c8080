/** Sets a figure up for drawing: its size, visible traces, colours, legend rows, margins, plot area, axes and subplots. */
import type { Figure } from '../figure';
import { traceAxes, type Axis } from './axes';
import { axisIdsOf, buildAxes, type AxisIds } from './axis_layout';
import { colorwayOf, traceColors } from './colors';
import type { PlotArea, SvgContext } from './context';
import { legendRowsOf } from './legend';
import { CHAR_W, plain, titleOf } from './text';
import { axisValues, isNum, type Trace } from './values';

/** Whether some x axis has category labels too long to fit side by side (they are then drawn rotated, below). */
function rotatedLabels(traces: Trace[], xIds: Set<string>, W: number): boolean {
  return [...xIds].some((id) => {
    const cats = traces.filter((t) => (t.xaxis ?? 'x') === id).flatMap((t) => axisValues(t, 'x')).filter((v) => typeof v === 'string') as string[];
    return cats.length > 0 && Math.max(...cats.map((c) => c.length)) * CHAR_W > (W - 120) / Math.max(1, new Set(cats).size);
  });
}

/**
 * The plot area: the figure minus `layout.margin`, whose defaults leave room
 * for the title, rotated category labels and the legend rows below.
 * @example
 * ```ts
 * plotArea({}, [], { x: new Set(['x']), y: new Set(['y']) }, { W: 400, H: 300, title: 'T', legendRows: 1 }); // { x0: 70, x1: 370, y0: 50, y1: 228 }
 * ```
 */
export function plotArea(layout: Record<string, unknown>, traces: Trace[], axisIds: AxisIds, fig: { W: number; H: number; title: string; legendRows: number }): PlotArea {
  const anyRotated = rotatedLabels(traces, axisIds.x, fig.W);
  const margin = (layout.margin ?? {}) as Record<string, unknown>;
  const ml = isNum(margin.l) ? margin.l : 70;
  const mr = isNum(margin.r) ? margin.r : 30;
  const mt = isNum(margin.t) ? margin.t : fig.title ? 50 : 20;
  const mb = (isNum(margin.b) ? margin.b : anyRotated ? 90 : 50) + 22 * fig.legendRows; // the legend goes below, as plotly's automargin would
  return { x0: ml, x1: fig.W - mr, y0: mt, y1: fig.H - mb };
}

/** The subplots the traces are drawn on, by x and y axis ids (`'xy'` when there are no traces). */
function subplotPairs(traces: Trace[], axes: Map<string, Axis>): Map<string, [Axis, Axis]> {
  const pairs = new Map<string, [Axis, Axis]>();
  for (const t of traces) {
    const [xa, ya] = traceAxes(axes, t);
    pairs.set(`${xa.id}${ya.id}`, [xa, ya]);
  }
  if (!pairs.size) pairs.set('xy', [axes.get('x')!, axes.get('y')!]);
  return pairs;
}

/**
 * The drawing context of a figure, with nothing drawn yet: size (`layout.width`,
 * `layout.height`, else the options' or 720 × 360), visible traces, colours,
 * legend rows, plot area, axes and subplots.
 * @example
 * ```ts
 * const ctx = createContext({ data: [{ y: [1, 2] }] }, { width: 400, height: 300 });
 * ctx.plot; // { x0: 70, x1: 370, y0: 20, y1: 250 }
 * [...ctx.pairs.keys()]; // ['xy']
 * ```
 */
export function createContext(fig: Figure, options: { width?: number; height?: number }): SvgContext {
  const layout = (fig.layout ?? {}) as Record<string, unknown>;
  const width = isNum(layout.width) ? layout.width : (options.width ?? 720);
  const height = isNum(layout.height) ? layout.height : (options.height ?? 360);
  const traces = fig.data.filter((t) => t && typeof t === 'object' && t.visible !== false && t.visible !== 'legendonly');
  const title = plain(titleOf(layout.title));
  const colorway = colorwayOf(layout);
  const colorOf = traceColors(fig.data, colorway);
  const legendRows = legendRowsOf(layout, traces, width);
  const axisIds = axisIdsOf(traces);
  const plot = plotArea(layout, traces, axisIds, { W: width, H: height, title, legendRows: legendRows.length });
  const axes = buildAxes(layout, traces, axisIds, plot);
  const pairs = subplotPairs(traces, axes);
  return { layout, width, height, traces, title, colorway, colorOf, legendRows, plot, axes, pairs, clipIds: new Map(), defs: [], parts: [] };
}
