/** The plotly figure type, in a module of its own so that the plot modules share it without importing each other. */

/**
 * A plotly figure: traces and layout, as plotly.js's `newPlot` takes them.
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 */
export interface Figure {
  /** The traces (plotly.com/javascript/reference): `{ type: 'scatter', x, y, name, … }`, `{ type: 'bar', … }`, `{ type: 'heatmap', z, … }`. */
  data: Record<string, unknown>[];
  /** Title, axes, grid of subplots, margins, … (plotly.com/javascript/reference/layout). */
  layout?: Record<string, unknown>;
}
