/**
 * A scatter chart of named points, one colour per group, each point labelled
 * with its name, on linear or logarithmic axes (plotly's `markers+text` mode):
 * e.g. model sizes by year, sizes spanning seven orders of magnitude.
 */
import { ArgumentError, describe } from '../core/errors';
import type { Figure } from './figure';

/** One point of {@link labelledScatterFigure}. */
export interface LabelledPoint {
  /** Shown beside the point. */
  label: string;
  /** Position on the x axis. */
  x: number;
  /** Position on the y axis (> 0 on a log axis). */
  y: number;
  /** Points of one group share a colour and a legend entry. @default '' (one group) */
  group?: string;
  /** Extra text shown on hover, e.g. the source of a published figure. */
  hover?: string;
  /** Where the label goes, to keep labels of close points apart. @default 'top' */
  labelPosition?: 'top' | 'bottom' | 'left' | 'right';
}

/** Options of {@link labelledScatterFigure}. */
export interface LabelledScatterOptions {
  /** x-axis title. @default '' */
  xTitle?: string;
  /** y-axis title. @default '' */
  yTitle?: string;
  /** Logarithmic y axis (each grid step a factor of 10). @default false */
  logY?: boolean;
  /** Logarithmic x axis. @default false */
  logX?: boolean;
}

/** plotly's `textposition` of each label position. */
const LABEL_POSITIONS = { top: 'top center', bottom: 'bottom center', left: 'middle left', right: 'middle right' } as const;

/**
 * Named points as a plotly scatter figure, one trace per group (in order of
 * first appearance), each point labelled above itself (or where its
 * `labelPosition` says).
 * @param points - the points (at least one).
 * @param title - figure title.
 * @param options - axis titles and log axes.
 * @returns the figure, for `showFigure`.
 * @throws {ArgumentError} when `points` is empty, a coordinate is not finite, a point is ≤ 0 on a log axis (it names the point), or a `labelPosition` is unknown.
 * @example
 * ```ts
 * const fig = labelledScatterFigure([{ label: 'a', x: 1, y: 10, group: 'g' }, { label: 'b', x: 2, y: 1000, group: 'h' }], 'sizes', { logY: true });
 * fig.data.length; // 2
 * fig.layout.yaxis.type; // 'log'
 * labelledScatterFigure([{ label: 'z', x: 1, y: 0 }], 'sizes', { logY: true }); // throws ArgumentError: labelledScatterFigure: points[0] (z) has y = 0; a log axis needs y > 0
 * ```
 * @see [Notebook 01 §6 Model sizes over time](../../notebooks/01-background.ipynb#6.-Model-sizes-over-time)
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 * @see [Notebook 09 §3 Privacy against accuracy](../../notebooks/09-summary-and-challenges.ipynb#3.-Privacy-against-accuracy)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 * @see [Notebook 10 §4 Batch size against throughput and accuracy](../../notebooks/10-questions-and-efficiency.ipynb#4.-Batch-size-against-throughput-and-accuracy)
 */
export function labelledScatterFigure(points: readonly LabelledPoint[], title: string, options: LabelledScatterOptions = {}): Figure {
  const fn = 'labelledScatterFigure';
  if (!Array.isArray(points) || points.length === 0) throw new ArgumentError(`${fn}: points must be a non-empty array of { label, x, y }, got ${describe(points)}`);
  points.forEach((p, i) => {
    if (p?.labelPosition !== undefined && !Object.prototype.hasOwnProperty.call(LABEL_POSITIONS, p.labelPosition)) {
      throw new ArgumentError(`${fn}: points[${i}].labelPosition must be one of ${Object.keys(LABEL_POSITIONS).join(', ')}, got ${describe(p.labelPosition)}`);
    }
    for (const dim of ['x', 'y'] as const) {
      if (typeof p?.[dim] !== 'number' || !Number.isFinite(p[dim])) throw new ArgumentError(`${fn}: points[${i}].${dim} must be a finite number, got ${describe(p?.[dim])}`);
      const log = dim === 'x' ? options.logX : options.logY;
      if (log && p[dim] <= 0) throw new ArgumentError(`${fn}: points[${i}] (${p.label}) has ${dim} = ${p[dim]}; a log axis needs ${dim} > 0`);
    }
  });
  const checked: readonly LabelledPoint[] = points; // (Array.isArray above narrowed `points` to any[])
  const groups = [...new Set(checked.map((p) => p.group ?? ''))];
  const data = groups.map((group) => {
    const mine = checked.filter((p) => (p.group ?? '') === group);
    return {
      type: 'scatter',
      mode: 'markers+text',
      name: group,
      showlegend: groups.length > 1,
      x: mine.map((p) => p.x),
      y: mine.map((p) => p.y),
      text: mine.map((p) => p.label),
      textposition: mine.map((p) => LABEL_POSITIONS[p.labelPosition ?? 'top']),
      hovertext: mine.map((p) => (p.hover ? `${p.label}: ${p.hover}` : p.label)),
      hoverinfo: 'x+y+text',
      marker: { size: 9 },
    };
  });
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: options.xTitle ?? '' }, type: options.logX ? 'log' : 'linear' },
      yaxis: { title: { text: options.yTitle ?? '' }, type: options.logY ? 'log' : 'linear' },
      margin: { t: 50, b: 50 },
    },
  };
}
