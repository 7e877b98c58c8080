import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureHtml, historyFigure, loadPlotly, showFigure, writeFigureHtml, type Figure } from '../../lib';
import { plotlyLoaderHtml, plotlyScriptTag } from '../../lib/plot/plotly';

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

describe('plotly.js inlining', () => {
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
  it('does nothing outside a notebook', () => {
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => lines.push(a);
    try {
      loadPlotly();
      showFigure({ data: [{ y: [1, 2] }] }, 'a line');
    } finally {
      console.log = log;
    }
    expect(lines).toEqual([['a line']]);
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
