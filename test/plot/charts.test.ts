import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixFigure, confusionMatrixTable, figureHtml, historyFigure, inNotebook, show, tableHtml, writeHtmlReport } from '../../lib';
import { imageGridHtml, imagePng } from '../../lib/plot/charts';

describe('charts', () => {
  it('historyFigure has train and validation traces when validation is recorded', () => {
    const fig = historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3, valLoss: 1.9, valAccuracy: 0.35 }]);
    expect(fig.data.map((d) => d.name)).toEqual(['train', 'train', 'validation', 'validation']);
    expect(fig.data.map((d) => d.yaxis)).toEqual(['y', 'y2', 'y', 'y2']); // loss left, accuracy right
    expect(fig.data.filter((d) => d.showlegend).map((d) => `${d.name} ${(d.line as { color: string }).color}`)).toEqual(['train #1f77b4', 'validation #ff7f0e']);
  });
  it('historyFigure draws a single epoch as labelled markers, several as lines', () => {
    const one = historyFigure([{ epoch: 1, loss: 2.34567, accuracy: 0.3 }]);
    expect(one.data[0]).toMatchObject({ mode: 'markers+text', text: ['2.346'] });
    const two = historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }, { epoch: 2, loss: 1, accuracy: 0.6 }]);
    expect(two.data[0].mode).toBe('lines+markers');
  });
  it('confusionMatrixFigure and the table carry every count', () => {
    const m = [[5, 1], [2, 7]];
    expect(confusionMatrixFigure(m, ['cat', 'dog']).data[0].z).toEqual(m);
    const table = confusionMatrixTable(m, ['cat', 'dog']);
    for (const v of [5, 1, 2, 7]) expect(table).toContain(`>${v}</td>`);
    expect(() => confusionMatrixTable(m, ['cat'])).toThrow(/classNames has 1 names but matrix is 2x2/);
  });
  it('imagePng encodes NHWC pixels that decode back unchanged', () => {
    const pixels = Uint8Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const png = PNG.sync.read(imagePng(pixels, 2, 4, 4, 3, 1));
    expect([png.width, png.height]).toEqual([4, 4]);
    for (let p = 0; p < 16; p++) for (let c = 0; c < 3; c++) expect(png.data[p * 4 + c]).toBe(pixels[48 + p * 3 + c]);
  });
  it('imageGridHtml has one captioned PNG per item and escapes captions', () => {
    const html = imageGridHtml(new Uint8Array(2 * 32 * 32 * 3), [2, 32, 32, 3], [{ index: 0, caption: 'cat' }, { index: 1, caption: '<dog>' }]);
    expect(html.match(/data:image\/png;base64,/g)).toHaveLength(2);
    expect(html).toContain('&lt;dog&gt;');
    expect(() => imageGridHtml(new Uint8Array(10), [2, 32, 32, 3], [{ index: 0, caption: '' }])).toThrow(/pixels has 10 values/);
  });
  it('tableHtml formats numbers with thousands separators', () => {
    expect(tableHtml(['layer', 'params'], [['dense1', 147520]])).toContain('<td>147,520</td>');
  });
  it('writeHtmlReport writes a self-contained page with plotly.js inlined', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-report-')), 'r.html');
    writeHtmlReport(file, 'Run', [{ heading: 'Loss', html: figureHtml(historyFigure([{ epoch: 1, loss: 1, accuracy: 0.5 }])) }]);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.length).toBeGreaterThan(3_000_000); // plotly.min.js is inlined, no CDN
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('Plotly.newPlot');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['r.html']);
  });
  it('show prints the text form outside a notebook', () => {
    expect(inNotebook()).toBe(false);
    const lines: string[] = [];
    const log = console.log;
    console.log = (s: string) => lines.push(s);
    try {
      show({ html: '<b>x</b>', text: 'x' });
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(['x']);
  });
});
