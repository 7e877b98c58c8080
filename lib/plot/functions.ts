/**
 * Plots of functions of one variable as plotly figures: several curves on
 * shared axes (an activation and its derivative), or a grid of such panels
 * (all activations at once), and evenly spaced sample points to draw them at.
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import type { Figure } from './figure';

/**
 * `count` evenly spaced numbers from `start` to `stop`, both included (as NumPy's `linspace`).
 * @throws {ArgumentError} when `count` is not an integer ≥ 2 or an end is not finite.
 * @example
 * ```ts
 * linspace(-1, 1, 5); // [-1, -0.5, 0, 0.5, 1]
 * ```
 * @see [Notebook 00 §2 How a tslab notebook works](../../notebooks/00-getting-started.ipynb#2.-How-a-tslab-notebook-works)
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 * @see [Notebook 08 §2 The `from_logits` mistake, measured](../../notebooks/08-tools-and-resources.ipynb#2.-The-from_logits-mistake,-measured)
 */
export function linspace(start: number, stop: number, count: number): number[] {
  const fn = 'linspace';
  if (typeof start !== 'number' || !Number.isFinite(start)) throw new ArgumentError(`${fn}: start must be a finite number, got ${describe(start)}`);
  if (typeof stop !== 'number' || !Number.isFinite(stop)) throw new ArgumentError(`${fn}: stop must be a finite number, got ${describe(stop)}`);
  checkInteger(fn, 'count', count, 2);
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : start + i * step));
}

/**
 * One curve: y values at the panel's x values.
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 */
export interface Curve {
  /** Legend entry, e.g. `"σ(z)"` or `"σ'(z)"`. */
  name: string;
  /** One value per x. */
  y: ArrayLike<number>;
  /** Dashed line (e.g. for derivatives). @default false */
  dashed?: boolean;
}

/** One panel of {@link curvesGridFigure}. */
export interface CurvePanel {
  /** Title above the panel. */
  title: string;
  /** `[points]` x values. */
  x: ArrayLike<number>;
  /** The curves drawn in this panel. */
  curves: Curve[];
}

function checkPanel(fn: string, panel: CurvePanel, where: string): void {
  if (panel == null || panel.x == null || typeof panel.x.length !== 'number') throw new ArgumentError(`${fn}: ${where}.x must be an array of numbers, got ${describe(panel?.x)}`);
  if (!Array.isArray(panel.curves) || panel.curves.length === 0) throw new ArgumentError(`${fn}: ${where}.curves must be a non-empty array of curves, got ${describe(panel.curves)}`);
  panel.curves.forEach((c, i) => {
    if (c == null || c.y == null || c.y.length !== panel.x.length) {
      throw new ArgumentError(`${fn}: ${where}.curves[${i}] (${c?.name}) has ${c?.y?.length} y values but x has ${panel.x.length}; give one y per x`);
    }
  });
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function traces(panel: CurvePanel, axis: number, showLegend: boolean): Record<string, unknown>[] {
  const suffix = axis === 1 ? '' : String(axis);
  return panel.curves.map((c, i) => ({
    type: 'scatter',
    mode: 'lines',
    x: Array.from(panel.x),
    y: Array.from(c.y),
    name: c.name,
    legendgroup: c.name,
    showlegend: showLegend,
    xaxis: `x${suffix}`,
    yaxis: `y${suffix}`,
    line: { color: COLORS[i % COLORS.length], dash: c.dashed ? 'dash' : 'solid' },
  }));
}

/**
 * Several curves of one variable on shared axes.
 * @param x - `[points]` x values, e.g. from {@link linspace}.
 * @param curves - the curves, each with one y per x.
 * @param title - figure title.
 * @param axisTitles - `{ x, y }` axis titles. @default { x: 'z', y: '' }
 * @throws {ArgumentError} when a curve's length differs from x's.
 * @example
 * ```ts
 * const x = linspace(-4, 4, 81);
 * curvesFigure(x, [{ name: 'z²', y: x.map((z) => z * z) }], 'a parabola').data.length; // 1
 * ```
 * @see [Notebook 00 §2 How a tslab notebook works](../../notebooks/00-getting-started.ipynb#2.-How-a-tslab-notebook-works)
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 * @see [Notebook 06 §6 "I'm not sure": a confidence threshold](../../notebooks/06-customer-service.ipynb#6.-%22I'm-not-sure%22:-a-confidence-threshold)
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 * @see [Notebook 06c §2 From sound to picture: frames, windows, FFT](../../notebooks/06c-voice-assistant.ipynb#2.-From-sound-to-picture:-frames,-windows,-FFT)
 * @see [Notebook 06c §3 The mel scale and the log-mel spectrogram](../../notebooks/06c-voice-assistant.ipynb#3.-The-mel-scale-and-the-log-mel-spectrogram)
 * @see [Notebook 08 §2 The `from_logits` mistake, measured](../../notebooks/08-tools-and-resources.ipynb#2.-The-from_logits-mistake,-measured)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 */
export function curvesFigure(x: ArrayLike<number>, curves: Curve[], title: string, axisTitles: { x?: string; y?: string } = {}): Figure {
  const panel = { title, x, curves };
  checkPanel('curvesFigure', panel, 'arguments');
  return {
    data: traces(panel, 1, true),
    layout: {
      title: { text: title },
      xaxis: { title: { text: axisTitles.x ?? 'z' }, zeroline: true },
      yaxis: { title: { text: axisTitles.y ?? '' }, zeroline: true },
      margin: { t: 50, b: 50 },
    },
  };
}

/**
 * A grid of panels, each with its own curves, e.g. every activation with its
 * derivative. Curves with the same name share one legend entry.
 * @param panels - the panels, filled row by row.
 * @param columns - panels per row. @default 3
 * @param title - figure title. @default ''
 * @throws {ArgumentError} when `panels` is empty, a curve's length differs from its x, or `columns` is not ≥ 1.
 * @example
 * ```ts
 * const x = linspace(-3, 3, 61);
 * const fig = curvesGridFigure([
 *   { title: 'ReLU', x, curves: [{ name: 'f(z)', y: x.map((z) => Math.max(0, z)) }] },
 *   { title: 'identity', x, curves: [{ name: 'f(z)', y: x }] },
 * ], 2);
 * fig.data.length; // 2
 * ```
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 */
export function curvesGridFigure(panels: CurvePanel[], columns = 3, title = ''): Figure {
  const fn = 'curvesGridFigure';
  if (!Array.isArray(panels) || panels.length === 0) throw new ArgumentError(`${fn}: panels must be a non-empty array, got ${describe(panels)}`);
  checkInteger(fn, 'columns', columns, 1);
  panels.forEach((p, i) => checkPanel(fn, p, `panels[${i}]`));
  const cols = Math.min(columns, panels.length);
  const rows = Math.ceil(panels.length / cols);
  const seen = new Set<string>();
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    grid: { rows, columns: cols, pattern: 'independent' },
    annotations: [] as Record<string, unknown>[],
    margin: { t: title ? 70 : 40, b: 40 },
  };
  if (title) layout.title = { text: title };
  panels.forEach((panel, i) => {
    const axis = i + 1;
    for (const t of traces(panel, axis, false)) {
      const name = t.name as string;
      t.showlegend = !seen.has(name);
      seen.add(name);
      data.push(t);
    }
    const suffix = axis === 1 ? '' : String(axis);
    layout[`xaxis${suffix}`] = { zeroline: true };
    layout[`yaxis${suffix}`] = { zeroline: true };
    (layout.annotations as Record<string, unknown>[]).push({
      text: `<b>${panel.title.replace(/[<>&]/g, '')}</b>`,
      showarrow: false,
      xref: `x${suffix} domain`,
      yref: `y${suffix} domain`,
      x: 0.5,
      y: 1.12,
      xanchor: 'center',
    });
  });
  return { data, layout };
}
