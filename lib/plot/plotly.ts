/**
 * Charts on plotly.js (plotly.com/javascript): figures as plain
 * `{ data, layout }` objects, shown in a tslab notebook, or written into a
 * self-contained HTML report.
 *
 * In a notebook ({@link showFigure}) a figure is ONE output carrying three
 * representations (a MIME bundle, see {@link figureBundle}): the figure itself
 * as `application/vnd.plotly.v1+json`, which JupyterLab, Notebook 7 (with the
 * extension of the `plotly` pip package) and VS Code draw as an interactive
 * chart; a static SVG image of it as `text/html` (no script), which every
 * other viewer shows (JupyterLab without the extension, untrusted notebooks,
 * GitHub, nbconvert HTML); and a one-line `text/plain` summary. No plotly.js
 * goes into the notebook: a saved chapter stays small.
 *
 * An HTML report ({@link writeHtmlReport}, {@link writeFigureHtml}) inlines
 * plotly.js (no CDN) and, per figure ({@link figureHtml}), the same static SVG
 * image plus a small script that swaps it for the interactive chart.
 *
 * The static image is drawn by this library (see `figureSvg`), as an
 * `<img src="data:image/svg+xml;…">`. Long series are downsampled first (see
 * `downsampleFigure`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, describe } from '../core/errors';
import { escapeHtml, inNotebook, show, showBundle, type MimeBundle } from '../core/notebook';
import { downsampleFigure, type DownsampleMethod } from './downsample';
import type { Figure } from './figure';
import { figureSvg, svgDataUri } from './svg';

export type { Figure } from './figure';

let plotlySource: string | undefined;

/**
 * The minified plotly.js bundle (about 4.6 MB of JavaScript), read once.
 * @example
 * ```ts
 * plotlyJs().length > 3_000_000; // true
 * ```
 */
export function plotlyJs(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  return plotlySource;
}

/**
 * A `<script>` element that defines `window.Plotly` (the whole bundle inlined).
 * The bundle is wrapped so that it always sets `window.Plotly`: where a page
 * has RequireJS (classic Notebook 6, nbconvert's HTML export online), the
 * bare bundle would register an anonymous AMD module instead and no chart
 * would draw.
 * @example
 * ```ts
 * plotlyScriptTag().startsWith('<script'); // true
 * ```
 */
export function plotlyScriptTag(): string {
  // '</script' inside the bundle would end the element early.
  const bundle = plotlyJs().replace(/<\/script/gi, '<\\/script');
  return `<script type="text/javascript">(function(define, exports, module){\n${bundle}\n}).call(window);</script>`;
}

let counter = 0;

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /** Inline plotly.js in this HTML. @default false */
  includePlotlyJs?: boolean;
  /** Height in CSS pixels (the static image's too, unless `layout.height` is set). @default 360 */
  height?: number;
  /** Width of the static image in pixels (the interactive chart fills its container). @default 720 */
  width?: number;
  /** Include the static SVG image that shows where scripts do not run. @default true */
  staticImage?: boolean;
  /** Most points per scatter trace; longer ones are downsampled (see `downsampleFigure`). `Infinity`: never. @default 2000 */
  maxPoints?: number;
  /** How lines are downsampled. @default 'minmax' */
  downsample?: DownsampleMethod;
}

/**
 * HTML for one figure in an HTML report (see {@link writeHtmlReport}): a
 * `<div class="dlc-figure">` holding a static SVG image of the figure, and a
 * script that replaces the image with the interactive chart
 * (`Plotly.newPlot`) once plotly.js is available. The script waits up to 30 s
 * for plotly.js (the report inlines it; in a notebook, an earlier output from
 * {@link loadPlotly}); without plotly.js, or without scripts, the static image
 * stays. Notebooks show figures with {@link showFigure} instead (no script).
 * @throws {ArgumentError} when `fig` has no `data` array.
 * @example
 * ```ts
 * figureHtml({ data: [{ y: [1, 2] }] }).includes('Plotly.newPlot'); // true
 * ```
 */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  checkFigure('figureHtml', fig);
  const id = `dlc-plot-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const height = options.height ?? 360;
  const shown = downsampleFigure(fig, { maxPoints: options.maxPoints ?? 2000, method: options.downsample ?? 'minmax' });
  const json = JSON.stringify(shown).replace(/</g, '\\u003c');
  const image = options.staticImage === false ? '' : staticImageHtml(shown, options.width ?? 720, height);
  // Draw into a new div and hide the image only once plotly.js is there; put
  // the image back if plotly fails.
  const draw =
    `(function(){var f=${json};var t=0;function go(){var el=document.getElementById('${id}');if(!el)return;` +
    `var img=el.querySelector('.dlc-static');` +
    `if(window.Plotly){var d=document.createElement('div');d.className='dlc-plot';d.style.width='100%';d.style.height='${height}px';el.appendChild(d);if(img)img.style.display='none';` +
    `var back=function(e){d.remove();if(img)img.style.display='';if(window.console)console.error('dl-course: plotly could not draw the chart',e);};` +
    `try{window.Plotly.newPlot(d,f.data,f.layout||{},{responsive:true,displaylogo:false}).then(function(){if(img)img.remove();},back);}catch(e){back(e);}}` +
    `else if(t++<300){setTimeout(go,100);}else{var n=document.createElement('div');n.style.cssText='color:#888;font-size:smaller';n.textContent='(static image: plotly.js is not loaded; run the cell that calls loadPlotly() for an interactive chart)';el.appendChild(n);}}go();})();`;
  return `${options.includePlotlyJs ? plotlyScriptTag() : ''}<div class="dlc-figure" id="${id}" style="width:100%;min-height:${height}px">${image}</div><script type="text/javascript">${draw}</script>`;
}

/** The static image of a figure as an `<img>` with an SVG data URI (or a note, if it cannot be drawn). */
function staticImageHtml(fig: Figure, width: number, height: number): string {
  const title = titleText(fig);
  try {
    const svg = figureSvg(fig, { width, height });
    const layout = (fig.layout ?? {}) as { width?: unknown; height?: unknown };
    const w = typeof layout.width === 'number' ? layout.width : width;
    const h = typeof layout.height === 'number' ? layout.height : height;
    const alt = `${title || 'chart'} (static image of the interactive chart)`;
    return `<img class="dlc-static" src="${svgDataUri(svg)}" width="${w}" height="${h}" alt="${escapeHtml(alt)}" style="max-width:100%;height:auto"/>`;
  } catch (e) {
    return `<div class="dlc-static" style="color:#a00">(no static image of this chart: ${escapeHtml((e as Error).message)})</div>`;
  }
}

function titleText(fig: Figure): string {
  const t = (fig.layout ?? {}).title as unknown;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return '';
}

function checkFigure(fn: string, fig: Figure): void {
  if (fig == null || !Array.isArray(fig.data)) throw new ArgumentError(`${fn}: fig must be an object with a data array, got ${describe(fig)}`);
}

/** The MIME type of a plotly figure (`{ data, layout, config }` as JSON), drawn by plotly's JupyterLab/Notebook 7 extension and by VS Code. */
export const PLOTLY_MIME_TYPE = 'application/vnd.plotly.v1+json';

/** Options of {@link figureBundle}. */
export interface FigureBundleOptions extends Omit<FigureHtmlOptions, 'includePlotlyJs'> {
  /**
   * A status line shown above the chart (e.g. a live chart's epoch and loss):
   * in the static image's HTML as a line of text, in the interactive chart as a
   * second, smaller line of the title, and as the `text/plain` summary when no
   * `text` is given. @default ''
   */
  status?: string;
}

/**
 * A copy of `value` as the notebook stores it: typed arrays become plain
 * arrays, non-finite numbers `null`, and non-integers keep 7 significant
 * digits (float32's precision; a saved `0.30000001192092896` costs 19 bytes,
 * `0.3` three).
 */
function jsonCopy<T>(value: T): T {
  const replacer = (_k: string, v: unknown): unknown => {
    if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(7));
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => replacer('', x));
    return v;
  };
  return JSON.parse(JSON.stringify(value, replacer)) as T;
}

/**
 * One figure as a notebook output in three representations, the MIME bundle
 * that {@link showFigure} sends: the figure as `application/vnd.plotly.v1+json`
 * (`{ data, layout, config }`, downsampled, `layout.height` set to `height`;
 * typed arrays become plain arrays, numbers keep 7 significant digits), its
 * static SVG image as `text/html` (a `<div class="dlc-figure">` with an
 * `<img>`, no script; left out with `staticImage: false`), and `text` as
 * `text/plain` (the status, or the figure's title, when `text` is empty). The
 * frontend shows the richest one it can render. The figure passed in is not
 * changed.
 * @param text - a one-line summary for viewers that show only text. @default ''
 * @throws {ArgumentError} when `fig` has no `data` array.
 * @example
 * ```ts
 * const bundle = figureBundle({ data: [{ y: [1, 2] }], layout: { title: { text: 'A line' } } }, 'a line');
 * Object.keys(bundle); // ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']
 * (bundle['application/vnd.plotly.v1+json'] as Figure).layout; // { title: { text: 'A line' }, height: 360 }
 * (bundle['text/html'] as string).includes('<script'); // false
 * bundle['text/plain']; // 'a line'
 * figureBundle({ data: [{ y: [1, 2] }] })['text/plain']; // 'chart'
 * figureBundle({ data: [{ y: [1, 2] }] }, '', { status: 'epoch 1' })['text/plain']; // 'epoch 1'
 * ```
 */
export function figureBundle(fig: Figure, text = '', options: FigureBundleOptions = {}): MimeBundle {
  checkFigure('figureBundle', fig);
  const height = options.height ?? 360;
  const status = options.status ?? '';
  const shown = jsonCopy(downsampleFigure(fig, { maxPoints: options.maxPoints ?? 2000, method: options.downsample ?? 'minmax' }));
  const layout: Record<string, unknown> = { ...(shown.layout ?? {}) };
  if (typeof layout.height !== 'number') layout.height = height;
  if (status) {
    // A second title line; plotly's titles take a small HTML subset (<br>, <sup>, entities).
    const title = titleText(shown);
    const old = layout.title && typeof layout.title === 'object' ? (layout.title as Record<string, unknown>) : {};
    layout.title = { ...old, text: `${title}${title ? '<br>' : ''}<sup>${escapeHtml(status)}</sup>` }; // the title is plotly text already
    const margin = (layout.margin ?? {}) as Record<string, unknown>;
    if (typeof margin.t === 'number' && margin.t < 80) layout.margin = { ...margin, t: 80 };
  }
  const bundle: MimeBundle = { [PLOTLY_MIME_TYPE]: { data: shown.data, layout, config: { displaylogo: false, responsive: true } } };
  if (options.staticImage !== false) {
    const line = status ? `<div class="dlc-status" style="font-family:monospace">${escapeHtml(status)}</div>` : '';
    bundle['text/html'] = `${line}<div class="dlc-figure" style="width:100%">${staticImageHtml(shown, options.width ?? 720, height)}</div>`;
  }
  bundle['text/plain'] = text || status || titleText(fig) || 'chart';
  return bundle;
}

let loadedInKernel = false;

/**
 * Shows one output that inlines plotly.js (about 4.6 MB in the saved
 * notebook), for HTML from {@link figureHtml} shown with `show()` in a trusted
 * notebook. Not needed, and not called, for {@link showFigure} and
 * `liveFigure`: their outputs carry the figure as plotly's MIME type, drawn by
 * the frontend's own plotly. The course's notebooks do not call it. Does
 * nothing outside a notebook.
 * @example
 * ```ts
 * loadPlotly(); // undefined (outside a notebook: no output)
 * ```
 */
export function loadPlotly(): void {
  if (!inNotebook()) return;
  show({ html: plotlyLoaderHtml(), text: '' });
  loadedInKernel = true;
}

/**
 * The HTML that {@link loadPlotly} shows: plotly.js inlined and a status line
 * that says, where scripts do not run, that the charts are static images.
 * @example
 * ```ts
 * plotlyLoaderHtml().includes('static images'); // true
 * ```
 */
export function plotlyLoaderHtml(): string {
  const id = `dlc-plotly-status-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  return (
    `<div id="${id}" class="dlc-plotly-status" style="color:#888;font-size:smaller">Charts below are static images here: this viewer does not run the notebook's scripts. Run the notebook (or trust it) for interactive charts.</div>` +
    `${plotlyScriptTag()}<script type="text/javascript">(function(){var s=document.getElementById('${id}');if(s&&window.Plotly)s.textContent='plotly.js ${plotlyVersion()} loaded: the charts below are interactive (zoom, pan, hover).';})();</script>`
  );
}

/**
 * Whether plotly.js was already sent to this kernel's notebook.
 * @example
 * ```ts
 * plotlyLoaded(); // false (outside a notebook nothing is sent)
 * ```
 */
export function plotlyLoaded(): boolean {
  return loadedInKernel;
}

function plotlyVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('plotly.js-dist-min/package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Shows a figure in the notebook as one output (the MIME bundle of
 * `figureBundle` in lib/plot/plotly.ts): an interactive chart where the
 * frontend draws plotly's MIME type (JupyterLab or Notebook 7 with
 * `pip install plotly`, VS Code), its static image everywhere else. Nothing
 * else is sent: no plotly.js, no script. Outside a notebook prints `text` (a
 * short summary) if given.
 * @param text - a one-line summary: printed outside a notebook, `text/plain` in it. @default ''
 * @throws {ArgumentError} when `fig` has no `data` array.
 * @example
 * ```ts
 * showFigure({ data: [{ y: [1, 2] }] }, 'a line'); // undefined (outside a notebook it prints: a line)
 * ```
 * @see [Notebook 00 §2 How a tslab notebook works](../../notebooks/00-getting-started.ipynb#2.-How-a-tslab-notebook-works)
 * @see [Notebook 01 §6 Model sizes over time](../../notebooks/01-background.ipynb#6.-Model-sizes-over-time)
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 03 §1 The data](../../notebooks/03-training-pipeline.ipynb#1.-The-data)
 * @see [Notebook 03 §2 Minibatches](../../notebooks/03-training-pipeline.ipynb#2.-Minibatches)
 * @see [Notebook 03 §3 The forward pass](../../notebooks/03-training-pipeline.ipynb#3.-The-forward-pass)
 * @see [Notebook 03 §7 What did it learn?](../../notebooks/03-training-pipeline.ipynb#7.-What-did-it-learn?)
 * @see [Notebook 03 §8 Long runs: minibatch losses and downsampling](../../notebooks/03-training-pipeline.ipynb#8.-Long-runs:-minibatch-losses-and-downsampling)
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 * @see [Notebook 06 §2 Tokens and a vocabulary](../../notebooks/06-customer-service.ipynb#2.-Tokens-and-a-vocabulary)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06 §6 "I'm not sure": a confidence threshold](../../notebooks/06-customer-service.ipynb#6.-%22I'm-not-sure%22:-a-confidence-threshold)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 * @see [Notebook 06c §2 From sound to picture: frames, windows, FFT](../../notebooks/06c-voice-assistant.ipynb#2.-From-sound-to-picture:-frames,-windows,-FFT)
 * @see [Notebook 06c §3 The mel scale and the log-mel spectrogram](../../notebooks/06c-voice-assistant.ipynb#3.-The-mel-scale-and-the-log-mel-spectrogram)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 * @see [Notebook 08 §2 The `from_logits` mistake, measured](../../notebooks/08-tools-and-resources.ipynb#2.-The-from_logits-mistake,-measured)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 09 §3 Privacy against accuracy](../../notebooks/09-summary-and-challenges.ipynb#3.-Privacy-against-accuracy)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 * @see [Notebook 10 §2 Data-parallel training, for real](../../notebooks/10-questions-and-efficiency.ipynb#2.-Data-parallel-training,-for-real)
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 * @see [Notebook 10 §4 Batch size against throughput and accuracy](../../notebooks/10-questions-and-efficiency.ipynb#4.-Batch-size-against-throughput-and-accuracy)
 */
export function showFigure(fig: Figure, text = '', options: Omit<FigureHtmlOptions, 'includePlotlyJs'> = {}): void {
  checkFigure('showFigure', fig);
  if (inNotebook()) showBundle(figureBundle(fig, text, options));
  else if (text) console.log(text);
}

/** One section of an HTML report. */
export interface ReportSection {
  /** The section's `<h2>` heading; empty for none. */
  heading: string;
  /** Trusted HTML (figures from {@link figureHtml}, tables, images). */
  html: string;
}

/**
 * Writes a self-contained HTML report (plotly.js inlined, no network needed to
 * view it). Written to a temporary file and renamed, so a reader never sees a
 * half-written report.
 * @returns the path written.
 * @example
 * ```ts
 * const file = path.join(os.tmpdir(), 'dlc-report-example.html');
 * writeHtmlReport(file, 'Run', [{ heading: 'Loss', html: figureHtml({ data: [{ y: [3, 2, 1] }] }) }]) === file; // true
 * ```
 */
export function writeHtmlReport(file: string, title: string, sections: ReportSection[]): string {
  const body = sections.map((s) => `${s.heading ? `<h2>${escapeHtml(s.heading)}</h2>\n` : ''}${s.html}`).join('\n');
  const html =
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style>` +
    `${plotlyScriptTag()}</head><body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, html);
  fs.renameSync(tmp, file);
  return file;
}

/**
 * Writes one figure as a self-contained HTML page (plotly.js inlined, static
 * image for viewers without scripts).
 * @returns the path written.
 * @example
 * ```ts
 * const file = path.join(os.tmpdir(), 'dlc-loss-example.html');
 * writeFigureHtml(file, historyFigure([{ epoch: 1, loss: 2.1, accuracy: 0.3 }])) === file; // true
 * ```
 */
export function writeFigureHtml(file: string, fig: Figure, options: Omit<FigureHtmlOptions, 'includePlotlyJs'> & { title?: string } = {}): string {
  checkFigure('writeFigureHtml', fig);
  const title = options.title ?? (titleText(fig) || 'Chart');
  return writeHtmlReport(file, title, [{ heading: '', html: figureHtml(fig, options) }]);
}
