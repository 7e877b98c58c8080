/**
 * A live chart: one notebook output that is redrawn in place (Jupyter's
 * `update_display_data`, see `liveBundle`), e.g. loss and accuracy while a
 * model trains. Each drawing is the MIME bundle of `figureBundle`: the
 * interactive plotly figure where the frontend draws it, its static image
 * everywhere else. The saved notebook keeps only the last drawing.
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { liveBundle } from '../core/notebook';
import type { Figure } from './figure';
import { PLOTLY_MIME_TYPE, figureBundle, type FigureHtmlOptions } from './plotly';

/** A chart that is redrawn in place; see {@link liveFigure}. */
export interface LiveFigure {
  /**
   * Redraws the chart with `fig` and a status line above it. Calls closer than
   * `minIntervalMs` apart are skipped unless `force` is true (use it for the last one).
   * @returns whether it was drawn.
   */
  update(fig: Figure, status?: string, force?: boolean): boolean;
}

/** Options of {@link liveFigure}. */
export interface LiveFigureOptions extends Omit<FigureHtmlOptions, 'includePlotlyJs'> {
  /** Least time between two redraws, in milliseconds. @default 1000 */
  minIntervalMs?: number;
  /** Outside a notebook, print each drawn update's status line. @default false */
  printText?: boolean;
}

/**
 * Creates a chart that updates in place in a notebook: one output, replaced
 * at each drawn update. Outside a notebook it draws nothing and prints the
 * status lines only with `printText`.
 *
 * JupyterLab and Notebook 7 reuse an output's renderer when an update has the
 * same preferred MIME type, and plotly's renderer ignores a new figure once it
 * has drawn one. So each drawing after the first is sent twice: first without
 * the plotly figure (the static image: the renderer is replaced), then with it
 * (a fresh plotly renderer draws the new figure).
 * @throws {ArgumentError} when `options.minIntervalMs` is not an integer >= 0;
 *   from `update`, when `fig` has no `data` array.
 * @example
 * ```ts
 * const chart = liveFigure({ height: 320, minIntervalMs: 1000 });
 * chart.update(historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }]), 'epoch 1'); // true
 * chart.update(historyFigure([{ epoch: 2, loss: 1, accuracy: 0.6 }]), 'epoch 2'); // false (less than 1 s after the last drawing)
 * chart.update(historyFigure([{ epoch: 2, loss: 1, accuracy: 0.6 }]), 'epoch 2', true); // true (forced, e.g. for the last epoch)
 * ```
 * @see [Notebook 03 §6 The loop, with metrics](../../notebooks/03-training-pipeline.ipynb#6.-The-loop,-with-metrics)
 */
export function liveFigure(options: LiveFigureOptions = {}): LiveFigure {
  const { minIntervalMs = 1000, printText = false, ...figureOptions } = options;
  checkInteger('liveFigure', 'options.minIntervalMs', minIntervalMs, 0);
  const out = liveBundle(printText);
  let last = -Infinity;
  let drawn = false;
  return {
    update(fig: Figure, status = '', force = false): boolean {
      const now = Date.now();
      if (!force && now - last < minIntervalMs) return false;
      last = now;
      if (fig == null || !Array.isArray(fig.data)) throw new ArgumentError(`liveFigure: update's fig must be an object with a data array, got ${describe(fig)}`);
      if (!out.displayId) {
        out.update({ 'text/plain': status }); // outside a notebook: printed only with printText, and only if not empty
        return true;
      }
      const bundle = figureBundle(fig, status, { ...figureOptions, status });
      if (drawn && bundle['text/html'] !== undefined) {
        const staticOnly = { ...bundle };
        delete staticOnly[PLOTLY_MIME_TYPE];
        out.update(staticOnly);
      }
      out.update(bundle);
      drawn = true;
      return true;
    },
  };
}
