/**
 * Spectrograms as pictures: a grid of heatmaps, time across and frequency
 * bands up, one panel per sound (plotly.js `heatmap` traces on a subplot grid).
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import type { Figure } from './figure';

/** One panel of {@link spectrogramsFigure}: `values[t * numBands + b]` is band b of frame t. */
export interface SpectrogramPanel {
  /** Shown above the panel, e.g. the word. */
  title: string;
  /** `[numFrames, numBands]` row-major, e.g. dB. */
  values: ArrayLike<number>;
  /** Frames (time steps). */
  numFrames: number;
  /** Bands (e.g. mel bands). */
  numBands: number;
}

/** Axis labels and colour range of {@link spectrogramsFigure}. */
export interface SpectrogramsFigureOptions {
  /** Panels per row. @default 4 */
  columns?: number;
  /** Figure title. @default '' */
  title?: string;
  /** Seconds from one frame to the next (the hop), to label time in seconds. @default 1 (frames) */
  frameSeconds?: number;
  /** Lower end of the colour range (the same for every panel, so panels compare). @default each panel's own */
  zmin?: number;
  /** Upper end of the colour range. @default each panel's own */
  zmax?: number;
  /** Title of the colour bar, e.g. 'dB'. @default '' */
  unit?: string;
  /** Title of the y axes. @default 'band' */
  bandTitle?: string;
  /** Decimals kept of each value (a saved notebook stores every number of the figure). @default 1 */
  decimals?: number;
}

/**
 * A grid of spectrograms: panel i is a heatmap with time (frames, or seconds
 * given `frameSeconds`) across and bands up; one colour scale for all.
 * @throws {ArgumentError} when `panels` is empty or a panel's values are not `numFrames · numBands` long.
 * @example
 * ```ts
 * const fig = spectrogramsFigure([{ title: 'yes', values: [0, 1, 2, 3, 4, 5.06], numFrames: 3, numBands: 2 }], { unit: 'dB' });
 * fig.data[0].z; // [[0, 2, 4], [1, 3, 5.1]] (one row per band, one decimal kept)
 * ```
 * @see [Notebook 06c §3 The mel scale and the log-mel spectrogram](../../notebooks/06c-voice-assistant.ipynb#3.-The-mel-scale-and-the-log-mel-spectrogram)
 */
export function spectrogramsFigure(panels: SpectrogramPanel[], options: SpectrogramsFigureOptions = {}): Figure {
  const fn = 'spectrogramsFigure';
  if (!Array.isArray(panels) || panels.length === 0) throw new ArgumentError(`${fn}: panels must be a non-empty array, got ${describe(panels)}`);
  const columns = Math.min(checkInteger(fn, 'options.columns', options.columns ?? 4, 1), panels.length);
  const rows = Math.ceil(panels.length / columns);
  const dt = options.frameSeconds ?? 1;
  const scale = 10 ** checkInteger(fn, 'options.decimals', options.decimals ?? 1, 0, 6);
  const layout: Record<string, unknown> = {
    grid: { rows, columns, pattern: 'independent' },
    annotations: [] as Record<string, unknown>[],
    margin: { t: options.title ? 70 : 40, b: 40 },
    height: 220 * rows + 60,
  };
  if (options.title) layout.title = { text: options.title };
  const data = panels.map((p, i) => {
    checkInteger(fn, `panels[${i}].numFrames`, p.numFrames, 1);
    checkInteger(fn, `panels[${i}].numBands`, p.numBands, 1);
    if (p.values == null || p.values.length !== p.numFrames * p.numBands) {
      throw new ArgumentError(`${fn}: panels[${i}].values must have numFrames · numBands = ${p.numFrames * p.numBands} values, got ${describe(p.values?.length)}`);
    }
    const suffix = i === 0 ? '' : String(i + 1);
    layout[`xaxis${suffix}`] = { title: { text: dt === 1 ? 'frame' : 'time (s)' } };
    layout[`yaxis${suffix}`] = { title: { text: options.bandTitle ?? 'band' } };
    (layout.annotations as Record<string, unknown>[]).push({ text: `<b>${p.title.replace(/[<>&]/g, '')}</b>`, showarrow: false, xref: `x${suffix} domain`, yref: `y${suffix} domain`, x: 0.5, y: 1.15, xanchor: 'center' });
    // z[b][t]: plotly draws rows bottom-up, so band 0 (low frequencies) is at the bottom.
    const z = Array.from({ length: p.numBands }, (_, b) => Array.from({ length: p.numFrames }, (_, t) => Math.round(p.values[t * p.numBands + b] * scale) / scale));
    return {
      type: 'heatmap',
      z,
      x: Array.from({ length: p.numFrames }, (_, t) => Math.round(t * dt * 1000) / 1000),
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      colorscale: 'Viridis',
      zmin: options.zmin,
      zmax: options.zmax,
      showscale: i === 0,
      colorbar: { title: { text: options.unit ?? '' } },
      hovertemplate: `${dt === 1 ? 'frame' : 't'} %{x}, band %{y}: %{z:.1f}<extra></extra>`,
    } as Record<string, unknown>;
  });
  return { data, layout };
}
