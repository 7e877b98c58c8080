/**
 * Charts on plotly.js (plotly.com/javascript): figures as plain
 * `{ data, layout }` objects, shown in a tslab notebook as HTML with plotly.js
 * inlined (no CDN), or written into a self-contained HTML report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, describe } from '../errors';
import { escapeHtml, inNotebook, show } from '../notebook';

/** A plotly figure: traces and layout, as plotly.js's `newPlot` takes them. */
export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
}

let plotlySource: string | undefined;

/** The minified plotly.js bundle (about 4.6 MB of JavaScript), read once. */
export function plotlyJs(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'), 'utf8');
  return plotlySource;
}

/** A `<script>` element that defines `window.Plotly` (the whole bundle inlined). */
export function plotlyScriptTag(): string {
  // '</script' inside the bundle would end the element early.
  return `<script type="text/javascript">${plotlyJs().replace(/<\/script/gi, '<\\/script')}</script>`;
}

let counter = 0;

/**
 * HTML for one figure: a `<div>` and a script that draws it with `Plotly.newPlot`
 * once plotly.js is available (it waits up to 30 s for an earlier output that
 * inlines plotly.js, see {@link loadPlotly}).
 * @param options.includePlotlyJs - inline plotly.js in this HTML. @default false
 * @param options.height - height in CSS pixels. @default 360
 * @example
 * ```ts
 * figureHtml({ data: [{ y: [1, 2] }] }).includes('Plotly.newPlot'); // true
 * ```
 */
export function figureHtml(fig: Figure, options: { includePlotlyJs?: boolean; height?: number } = {}): string {
  checkFigure('figureHtml', fig);
  const id = `dlc-plot-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const height = options.height ?? 360;
  const json = JSON.stringify(fig).replace(/</g, '\\u003c');
  const draw =
    `(function(){var f=${json};var t=0;function go(){if(window.Plotly){window.Plotly.newPlot('${id}',f.data,f.layout||{},{responsive:true,displaylogo:false});}` +
    `else if(t++<300){setTimeout(go,100);}else{document.getElementById('${id}').textContent='plotly.js is not loaded: run the cell that calls loadPlotly()';}}go();})();`;
  return `${options.includePlotlyJs ? plotlyScriptTag() : ''}<div id="${id}" style="width:100%;height:${height}px"></div><script type="text/javascript">${draw}</script>`;
}

function checkFigure(fn: string, fig: Figure): void {
  if (fig == null || !Array.isArray(fig.data)) throw new ArgumentError(`${fn}: fig must be an object with a data array, got ${describe(fig)}`);
}

let loadedInKernel = false;

/**
 * Makes plotly.js available to every later chart of the notebook by showing
 * one output that inlines it (about 4.6 MB in the saved notebook). Call it once,
 * near the top; {@link showFigure} calls it by itself when needed. Does
 * nothing outside a notebook.
 * @example
 * ```ts
 * loadPlotly(); // outside a notebook: no output
 * ```
 */
export function loadPlotly(): void {
  if (!inNotebook()) return;
  show({ html: `${plotlyScriptTag()}<div style="color:#888;font-size:smaller">plotly.js ${plotlyVersion()} loaded</div>`, text: '' });
  loadedInKernel = true;
}

/** Whether plotly.js was already sent to this kernel's notebook. */
export function plotlyLoaded(): boolean {
  return loadedInKernel;
}

function plotlyVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('plotly.js-dist-min/package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Shows a figure in the notebook; outside a notebook prints `text` (a short
 * summary) if given.
 * @example
 * ```ts
 * showFigure({ data: [{ y: [1, 2] }] }, 'a line'); // prints "a line" outside a notebook
 * ```
 */
export function showFigure(fig: Figure, text = '', options: { height?: number } = {}): void {
  checkFigure('showFigure', fig);
  if (inNotebook() && !loadedInKernel) loadPlotly();
  show({ html: figureHtml(fig, options), text });
}

/** One section of an HTML report. */
export interface ReportSection {
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
 * writeHtmlReport('/tmp/r.html', 'Run', [{ heading: 'Loss', html: figureHtml(fig) }]); // '/tmp/r.html'
 * ```
 */
export function writeHtmlReport(file: string, title: string, sections: ReportSection[]): string {
  const body = sections.map((s) => `<h2>${escapeHtml(s.heading)}</h2>\n${s.html}`).join('\n');
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
