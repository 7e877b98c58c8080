/**
 * A live chart: one notebook output that is redrawn in place (tslab's
 * `newDisplay()`, Jupyter's `update_display_data`), e.g. loss and accuracy
 * while a model trains. The saved notebook keeps the last drawing, with its
 * static image for viewers that run no scripts.
 */
import { checkInteger } from '../core/errors';
import { escapeHtml, inNotebook, liveOutput } from '../core/notebook';
import type { Figure } from './figure';
import { figureHtml, loadPlotly, plotlyLoaded, type FigureHtmlOptions } from './plotly';

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
 * Creates a chart that updates in place in a notebook (plotly.js is loaded
 * first if needed). Outside a notebook it draws nothing and prints the status
 * lines only with `printText`.
 * @example
 * ```ts
 * const chart = liveFigure({ height: 320, minIntervalMs: 1000 });
 * chart.update(historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }]), 'epoch 1'); // true
 * chart.update(historyFigure([{ epoch: 2, loss: 1, accuracy: 0.6 }]), 'epoch 2'); // false (less than 1 s after the last drawing)
 * chart.update(historyFigure([{ epoch: 2, loss: 1, accuracy: 0.6 }]), 'epoch 2', true); // true (forced, e.g. for the last epoch)
 * ```
 * @see [Notebook 02 §6 The loop, with metrics](../../notebooks/02-training-pipeline.ipynb#6.-The-loop,-with-metrics)
 */
export function liveFigure(options: LiveFigureOptions = {}): LiveFigure {
  const { minIntervalMs = 1000, printText = false, ...html } = options;
  checkInteger('liveFigure', 'options.minIntervalMs', minIntervalMs, 0);
  if (inNotebook() && !plotlyLoaded()) loadPlotly();
  const out = liveOutput(printText);
  let last = -Infinity;
  return {
    update(fig: Figure, status = '', force = false): boolean {
      const now = Date.now();
      if (!force && now - last < minIntervalMs) return false;
      last = now;
      const line = status ? `<div style="font-family:monospace">${escapeHtml(status)}</div>` : '';
      out.update({ html: `${line}${figureHtml(fig, html)}`, text: status });
      return true;
    },
  };
}
