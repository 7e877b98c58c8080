/**
 * Decision boundaries of 2-D toy classification problems: the class a model
 * predicts at every point of a grid, as a heatmap under the data points
 * (as in scikit-learn's "Classifier comparison" example).
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import type { Figure } from './figure';
import { PLOTLY_COLORWAY } from './svg';

/** Options of {@link decisionBoundaryFigure}. */
export interface DecisionBoundaryOptions {
  /** Grid points per axis. @default 60 */
  resolution?: number;
  /** Margin around the data, as a fraction of its range. @default 0.1 */
  padding?: number;
  /** Names of the classes, for the legend. */
  classNames?: readonly string[];
  /** Chart title. @default 'Decision boundary' */
  title?: string;
  /** Axis titles. @default ['x₁', 'x₂'] */
  axisTitles?: [string, string];
}

function lighten(hex: string, f: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${c.map((v) => Math.round(v + (255 - v) * f)).join(',')})`;
}

/**
 * A figure of a classifier's decision regions on a 2-D plane, with the data on top.
 * @param predict - gets `[gridPoints, 2]` points (as rows `[x1, x2]`), returns `[gridPoints]` class indices.
 * @param X - `[n, 2]` data points.
 * @param y - `[n]` class index of each point.
 * @example
 * ```ts
 * const fig = decisionBoundaryFigure((p) => p.map(([a]) => (a > 0 ? 1 : 0)), [[-1, 0], [1, 0]], [0, 1], { resolution: 3 });
 * fig.data[0].z; // [[0, 0, 1], [0, 0, 1], [0, 0, 1]]
 * ```
 * @see [Notebook 03 §7 What did it learn?](../../notebooks/03-training-pipeline.ipynb#7.-What-did-it-learn?)
 */
export function decisionBoundaryFigure(
  predict: (points: number[][]) => ArrayLike<number>,
  X: readonly (readonly number[])[],
  y: ArrayLike<number>,
  options: DecisionBoundaryOptions = {},
): Figure {
  const fn = 'decisionBoundaryFigure';
  if (typeof predict !== 'function') throw new ArgumentError(`${fn}: predict must be a function from [gridPoints, 2] points to class indices, got ${describe(predict)}`);
  if (!Array.isArray(X) || X.some((p) => !Array.isArray(p) || p.length !== 2)) throw new ArgumentError(`${fn}: X must be [n, 2] points, got ${describe(X)}`);
  if (X.length === 0) throw new ArgumentError(`${fn}: X has no points`);
  if (y == null || y.length !== X.length) throw new ArgumentError(`${fn}: y has ${y?.length} labels but X has ${X.length} points`);
  const res = checkInteger(fn, 'options.resolution', options.resolution ?? 60, 2, 400);
  const pad = options.padding ?? 0.1;
  const range = (d: 0 | 1): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of X) {
      lo = Math.min(lo, p[d]);
      hi = Math.max(hi, p[d]);
    }
    const span = hi - lo || 1;
    return [lo - pad * span, hi + pad * span];
  };
  const [x0, x1] = range(0);
  const [y0, y1] = range(1);
  const gx = Array.from({ length: res }, (_, i) => x0 + ((x1 - x0) * i) / (res - 1));
  const gy = Array.from({ length: res }, (_, j) => y0 + ((y1 - y0) * j) / (res - 1));
  const points: number[][] = [];
  for (const b of gy) for (const a of gx) points.push([a, b]); // row j: y = gy[j]
  const pred = predict(points);
  if (pred == null || pred.length !== points.length) throw new ArgumentError(`${fn}: predict returned ${pred?.length} values for ${points.length} grid points`);
  let numClasses = 0;
  for (let i = 0; i < y.length; i++) numClasses = Math.max(numClasses, y[i] + 1);
  for (let i = 0; i < pred.length; i++) numClasses = Math.max(numClasses, pred[i] + 1);
  numClasses = Math.max(numClasses, options.classNames?.length ?? 0, 2);
  const z = gy.map((_, j) => gx.map((_, i) => pred[j * res + i]));
  // A stepped colour scale: class k gets a light version of plotly's k-th colour.
  const colorscale: [number, string][] = [];
  for (let k = 0; k < numClasses; k++) {
    const c = lighten(PLOTLY_COLORWAY[k % PLOTLY_COLORWAY.length], 0.7);
    colorscale.push([k / numClasses, c], [(k + 1) / numClasses, c]);
  }
  const data: Record<string, unknown>[] = [
    { type: 'heatmap', x: gx, y: gy, z, zmin: -0.5, zmax: numClasses - 0.5, colorscale, showscale: false, hoverinfo: 'skip', zsmooth: false },
  ];
  for (let k = 0; k < numClasses; k++) {
    const idx = Array.from({ length: X.length }, (_, i) => i).filter((i) => y[i] === k);
    if (!idx.length) continue;
    data.push({
      type: 'scatter',
      mode: 'markers',
      x: idx.map((i) => X[i][0]),
      y: idx.map((i) => X[i][1]),
      name: options.classNames?.[k] ?? `class ${k}`,
      marker: { color: PLOTLY_COLORWAY[k % PLOTLY_COLORWAY.length], size: 6, line: { color: '#fff', width: 0.5 } },
    });
  }
  const [tx, ty] = options.axisTitles ?? ['x₁', 'x₂'];
  return {
    data,
    layout: {
      title: { text: options.title ?? 'Decision boundary' },
      xaxis: { title: { text: tx }, range: [x0, x1] },
      yaxis: { title: { text: ty }, range: [y0, y1] },
      showlegend: true,
    },
  };
}
