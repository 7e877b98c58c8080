import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureHtml, historyFigure, loadPlotly, showFigure, writeFigureHtml, type Figure } from '../../lib';
import { PLOTLY_MIME_TYPE, figureBundle, plotlyLoaded, plotlyLoaderHtml, plotlyScriptTag } from '../../lib/plot/plotly';

function staticSvg(html: string): string {
  const m = /<img class="dlc-static" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html);
  expect(m, 'a static <img> with an SVG data URI').not.toBeNull();
  return Buffer.from(m![1], 'base64').toString('utf8');
}

describe('figureHtml', () => {
  it('holds one static SVG image of the figure inside the div that the script draws into', () => {
    const html = figureHtml(historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }], 'My run'));
    expect(html.match(/class="dlc-figure"/g)).toHaveLength(1);
    const svg = staticSvg(html);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('>My run</text>');
    expect(html).toMatch(/alt="My run \(static image of the interactive chart\)"/);
    expect(html).toContain('Plotly.newPlot');
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing from a CDN
    const id = /<div class="dlc-figure" id="([^"]+)"/.exec(html)![1];
    expect(html).toContain(`getElementById('${id}')`);
  });
  it('downsamples a 50,000-point line in both the chart data and the static image', () => {
    const y = Array.from({ length: 50_000 }, (_, i) => Math.sin(i / 100));
    const html = figureHtml({ data: [{ y, mode: 'lines' }] });
    expect(html.length).toBeLessThan(150_000);
    const json = JSON.parse(/var f=(\{.*?\});var t=0/.exec(html)![1]) as Figure;
    expect((json.data[0].y as number[]).length).toBeLessThanOrEqual(2000);
    expect(staticSvg(html).match(/,/g)!.length).toBeLessThan(2100);
  });
  it('can leave out the static image or keep every point', () => {
    expect(figureHtml({ data: [{ y: [1, 2] }] }, { staticImage: false })).not.toContain('<img');
    const y = Array.from({ length: 3000 }, (_, i) => i);
    const json = JSON.parse(/var f=(\{.*?\});var t=0/.exec(figureHtml({ data: [{ y }] }, { maxPoints: Infinity, staticImage: false }))![1]) as Figure;
    expect(json.data[0].y).toHaveLength(3000);
  });
  it('escapes "<" in the figure data so a label cannot end the script', () => {
    const html = figureHtml({ data: [{ y: [1], name: '</script><b>x' }] });
    expect(html).not.toContain('</script><b>');
  });
  it('rejects a figure without data', () => {
    expect(() => figureHtml({} as Figure)).toThrow(/figureHtml: fig must be an object with a data array/);
  });
});

describe('figureBundle (what showFigure sends to a notebook)', () => {
  const fig = historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }, { epoch: 2, loss: 1.5, accuracy: 0.5 }], 'My run');
  it('holds the figure as plotly JSON, its static SVG image as HTML without scripts, and a text summary', () => {
    const b = figureBundle(fig, 'two epochs');
    expect(Object.keys(b)).toEqual([PLOTLY_MIME_TYPE, 'text/html', 'text/plain']);
    const plotly = b[PLOTLY_MIME_TYPE] as Figure & { config: Record<string, unknown> };
    expect(plotly.data).toEqual(fig.data);
    expect(plotly.layout).toEqual({ ...fig.layout, height: 360 });
    expect(plotly.config).toEqual({ displaylogo: false, responsive: true });
    const html = b['text/html'] as string;
    expect(html.match(/class="dlc-figure"/g)).toHaveLength(1);
    expect(staticSvg(html)).toContain('>My run</text>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('Plotly');
    expect(b['text/plain']).toBe('two epochs');
  });
  it('is small: no plotly.js in it', () => {
    expect(JSON.stringify(figureBundle(fig)).length).toBeLessThan(30_000);
  });
  it("keeps the figure's own height and sets it on the static image", () => {
    const b = figureBundle({ data: [{ y: [1, 2] }], layout: { height: 250 } }, '', { height: 500 });
    expect((b[PLOTLY_MIME_TYPE] as Figure).layout!.height).toBe(250);
    expect(b['text/html']).toMatch(/<img [^>]*height="250"/);
    expect((figureBundle({ data: [{ y: [1, 2] }] }, '', { height: 500 })[PLOTLY_MIME_TYPE] as Figure).layout!.height).toBe(500);
  });
  it('falls back to the title, then "chart", for the text summary', () => {
    expect(figureBundle(fig)['text/plain']).toBe('My run');
    expect(figureBundle({ data: [{ y: [1] }] })['text/plain']).toBe('chart');
  });
  it('carries a status line: above the static image, as a second title line in the plotly figure (with room for it)', () => {
    const b = figureBundle(fig, '', { status: 'epoch 2/9 | loss <1.5> & falling' });
    expect(b['text/plain']).toBe('epoch 2/9 | loss <1.5> & falling');
    expect(b['text/html']).toMatch(/^<div class="dlc-status"[^>]*>epoch 2\/9 \| loss &lt;1\.5&gt; &amp; falling<\/div><div class="dlc-figure"/);
    const layout = (b[PLOTLY_MIME_TYPE] as Figure).layout!;
    expect(layout.title).toEqual({ text: 'My run<br><sup>epoch 2/9 | loss &lt;1.5&gt; &amp; falling</sup>' });
    expect((layout.margin as { t: number }).t).toBe(80);
    expect(fig.layout!.title).toEqual({ text: 'My run' }); // the caller's figure is not changed
  });
  it('sends typed arrays as plain arrays and downsamples long lines in both representations', () => {
    const y = Float32Array.from({ length: 50_000 }, (_, i) => Math.sin(i / 100));
    const b = figureBundle({ data: [{ y, mode: 'lines' }, { y: new Float32Array([0.5, 0.25]) }] });
    const data = (b[PLOTLY_MIME_TYPE] as Figure).data;
    expect(Array.isArray(data[0].y)).toBe(true);
    expect((data[0].y as number[]).length).toBeLessThanOrEqual(2000);
    expect(data[1].y).toEqual([0.5, 0.25]);
    expect(staticSvg(b['text/html'] as string).match(/,/g)!.length).toBeLessThan(2100);
    expect(JSON.stringify(b).length).toBeLessThan(150_000);
  });
  it('can leave out the static image', () => {
    expect(Object.keys(figureBundle(fig, '', { staticImage: false }))).toEqual([PLOTLY_MIME_TYPE, 'text/plain']);
  });
  it('rejects a figure without data', () => {
    expect(() => figureBundle({} as Figure)).toThrow(/figureBundle: fig must be an object with a data array/);
    expect(() => showFigure({ data: 'y' } as unknown as Figure)).toThrow(/showFigure: fig must be an object with a data array/);
  });
});

describe('plotly.js inlining (HTML reports; loadPlotly on request)', () => {
  it('wraps the bundle so it sets window.Plotly even where an AMD loader (RequireJS) is present', () => {
    const tag = plotlyScriptTag();
    expect(tag.startsWith('<script type="text/javascript">(function(define, exports, module){\n')).toBe(true);
    expect(tag.endsWith('\n}).call(window);</script>')).toBe(true);
    expect(tag.slice(30, -9)).not.toMatch(/<\/script/i);
  });
  it('shows a status line that says the charts are static until the script replaces it', () => {
    const html = plotlyLoaderHtml();
    expect(html).toMatch(/class="dlc-plotly-status"[^>]*>Charts below are static images here/);
    expect(html).toMatch(/plotly\.js \d+\.\d+\.\d+ loaded: the charts below are interactive/);
  });
  it('does nothing outside a notebook: showFigure prints its text only', () => {
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => lines.push(a);
    try {
      loadPlotly();
      showFigure({ data: [{ y: [1, 2] }] }, 'a line');
      showFigure({ data: [{ y: [1, 2] }] }); // no text: nothing printed
    } finally {
      console.log = log;
    }
    expect(lines).toEqual([['a line']]);
    expect(plotlyLoaded()).toBe(false);
  });
});

describe('writeFigureHtml', () => {
  it('writes one self-contained page with the chart and its static image', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-fig-')), 'loss.html');
    expect(writeFigureHtml(file, historyFigure([{ epoch: 1, loss: 1, accuracy: 0.5 }], 'Loss'))).toBe(file);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('<title>Loss</title>');
    expect(html).toContain('(function(define, exports, module){');
    expect(html.match(/class="dlc-figure"/g)).toHaveLength(1);
    expect(html).not.toContain('<h2>');
  });
});
