/** The drawing context that the steps of `figureSvg` share: the figure's geometry, its axes, and the SVG drawn so far. */
import type { Axis } from './axes';
import type { Trace } from './values';

/** The plot area in pixels: the figure minus its margins (`y0` is the top, `y1` the bottom). */
export interface PlotArea {
  /** Left edge. */
  x0: number;
  /** Right edge. */
  x1: number;
  /** Top edge. */
  y0: number;
  /** Bottom edge. */
  y1: number;
}

/** One legend entry. */
export interface LegendItem {
  /** Its trace. */
  t: Trace;
  /** The trace's name, as plain text. */
  label: string;
  /** Width in pixels, symbol and gap included. */
  w: number;
}

/** A figure being drawn (made by `createContext`). */
export interface SvgContext {
  /** `fig.layout` (`{}` when none). */
  layout: Record<string, unknown>;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** The visible traces. */
  traces: Trace[];
  /** The figure's title, as plain text ('' when none). */
  title: string;
  /** Trace colours in order, for traces and integer marker colours. */
  colorway: string[];
  /** The colour of each trace. */
  colorOf: Map<Trace, string>;
  /** Legend entries, in rows under the plot. */
  legendRows: LegendItem[][];
  /** The plot area. */
  plot: PlotArea;
  /** The axes, by id (`'x'`, `'y2'`, …). */
  axes: Map<string, Axis>;
  /** The subplots, by x and y axis ids (`'xy'`, `'x2y2'`, …). */
  pairs: Map<string, [Axis, Axis]>;
  /** The clip path id of each subplot. */
  clipIds: Map<string, string>;
  /** The SVG `<defs>` drawn so far. */
  defs: string[];
  /** The SVG elements drawn so far, in drawing order. */
  parts: string[];
}
