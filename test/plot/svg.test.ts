import { describe, expect, it } from 'vitest';
import { barFigure, confusionMatrixFigure, figureSvg, historyFigure, type Figure } from '../../lib';
import { svgDataUri } from '../../lib/plot/svg';

// A 300×200 figure with 50 px margins: the plot area is x 50…250, y 50…150 (y grows downwards in SVG).
const box = { width: 300, height: 200, margin: { l: 50, r: 50, t: 50, b: 50 } };

const attr = (el: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(el)?.[1];
const elements = (svg: string, tag: string): string[] => Array.from(svg.match(new RegExp(`<${tag}\\b[^>]*>`, 'g')) ?? []);

describe('figureSvg', () => {
  it('maps a line onto the plot area as computed by hand', () => {
    // x range [0, 2] over 200 px: 100 px per unit; y range [0, 4] over 100 px: 25 px per unit, upwards from y = 150.
    const svg = figureSvg({ data: [{ x: [0, 1, 2], y: [0, 2, 4], mode: 'lines' }], layout: { ...box, xaxis: { range: [0, 2] }, yaxis: { range: [0, 4] } } });
    const lines = elements(svg, 'polyline');
    expect(lines).toHaveLength(1);
    expect(attr(lines[0], 'points')).toBe('50,150 150,100 250,50');
    expect(attr(lines[0], 'stroke')).toBe('#1f77b4'); // plotly's first colour
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* width="300" height="200"/);
  });

  it('draws ticks at 1-2-5 steps with their labels', () => {
    const svg = figureSvg({ data: [{ x: [0, 1, 2], y: [0, 2, 4], mode: 'lines' }], layout: { ...box, xaxis: { range: [0, 2], dtick: 1 }, yaxis: { range: [0, 4], dtick: 2 } } });
    const texts = [...svg.matchAll(/<text x="([^"]*)" y="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((m) => [Number(m[1]), Number(m[2]), m[3]]);
    // x tick labels under the axis (y = 150 + 18), y tick labels left of it (x = 50 - 8), 4 px below the tick for centring.
    expect(texts).toEqual(expect.arrayContaining([[50, 168, '0'], [150, 168, '1'], [250, 168, '2'], [42, 154, '0'], [42, 104, '2'], [42, 54, '4']]));
  });

  it('breaks a line at null and NaN values and draws markers for short traces', () => {
    const svg = figureSvg({ data: [{ x: [0, 1, 2, 3, 4], y: [1, 2, null, 3, Number.NaN] }], layout: { ...box, xaxis: { range: [0, 4] }, yaxis: { range: [0, 4] } } });
    // Default mode for fewer than 20 points is lines+markers: runs [0, 1] and [3] (a single point is no line).
    expect(elements(svg, 'polyline').map((l) => attr(l, 'points'))).toEqual(['50,125 100,100']);
    expect(elements(svg, 'circle').map((c) => [attr(c, 'cx'), attr(c, 'cy')])).toEqual([['50', '125'], ['100', '100'], ['200', '75']]);
  });

  it('places bars on a category axis as computed by hand', () => {
    // Two categories over 200 px: range [-0.5, 1.5], 100 px each; bars are 80 % of that, centred.
    const fig = barFigure(['a', 'b'], [1, 2], 'two bars');
    (fig.layout as Record<string, unknown>).width = 300;
    Object.assign(fig.layout!, { height: 200, margin: box.margin, yaxis: { range: [0, 4] } });
    const rects = elements(figureSvg(fig), 'rect').filter((r) => attr(r, 'fill') === '#1f77b4');
    expect(rects.map((r) => ['x', 'y', 'width', 'height'].map((k) => Number(attr(r, k))))).toEqual([
      [60, 125, 80, 25],
      [160, 100, 80, 50],
    ]);
    expect(figureSvg(fig)).toContain('>two bars</text>');
  });

  it('colours heatmap cells with the colour scale and labels them', () => {
    // Greys runs black (0) to white (1); z = 1…4 maps to 0, 1/3, 2/3, 1.
    const fig: Figure = {
      data: [{ type: 'heatmap', z: [[1, 2], [3, 4]], x: ['p', 'q'], y: ['r', 's'], colorscale: 'Greys', texttemplate: '%{z}' }],
      layout: { ...box },
    };
    const svg = figureSvg(fig);
    const cells = elements(svg, 'rect').filter((r) => attr(r, 'fill')?.startsWith('rgb('));
    expect(cells.map((r) => [Number(attr(r, 'x')), Number(attr(r, 'y')), attr(r, 'fill')])).toEqual([
      [50, 100, 'rgb(0,0,0)'], // z[0][0]: x 'p', y 'r' (bottom row)
      [150, 100, 'rgb(85,85,85)'],
      [50, 50, 'rgb(170,170,170)'],
      [150, 50, 'rgb(255,255,255)'],
    ]);
    expect(svg).toMatch(/fill="#fff">1<\/text>/); // light text on the dark cell
    expect(svg).toMatch(/fill="#222">4<\/text>/);
  });

  it('draws a confusion matrix with the true classes top to bottom and every count', () => {
    const svg = figureSvg(confusionMatrixFigure([[5, 1], [2, 7]], ['cat', 'dog']));
    for (const v of [5, 1, 2, 7]) expect(svg).toMatch(new RegExp(`>${v}</text>`));
    const label = (s: string) => Number(new RegExp(`y="([^"]*)" text-anchor="end">${s}</text>`).exec(svg)![1]); // y-axis tick labels
    expect(label('cat')).toBeLessThan(label('dog')); // autorange: 'reversed' on y
    expect(svg).toContain('>true class</text>');
  });

  it('draws two subplots of a history figure with a legend of two entries (train, validation)', () => {
    const svg = figureSvg(historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3, valLoss: 1.9, valAccuracy: 0.35 }, { epoch: 2, loss: 1.5, accuracy: 0.5, valLoss: 1.6, valAccuracy: 0.45 }]));
    expect(elements(svg, 'clipPath')).toHaveLength(2);
    expect(elements(svg, 'polyline')).toHaveLength(4);
    for (const t of ['train', 'validation', 'cross-entropy loss', 'accuracy', 'Training history']) expect(svg).toContain(`>${t}</text>`);
    expect(svg.match(/>train<\/text>/g)).toHaveLength(1); // one legend entry per set
    const xs = elements(svg, 'polyline').map((l) => Number(attr(l, 'points')!.split(',')[0]));
    expect(xs[1]).toBeGreaterThan(xs[0] + 100); // the accuracy panel is to the right of the loss panel
  });

  it('draws marker symbols, zero lines and panel titles (annotations) where plotly would', () => {
    const svg = figureSvg({
      data: [{ x: [-1, 1], y: [-1, 1], mode: 'markers', marker: { symbol: 'x', size: 8 } }],
      layout: { ...box, xaxis: { range: [-2, 2] }, yaxis: { range: [-2, 2] }, annotations: [{ text: '<b>panel</b>', xref: 'x domain', yref: 'y domain', x: 0.5, y: 1.1, showarrow: false }] },
    });
    // An x marker is two crossing strokes at (100, 125) and (200, 75).
    expect(elements(svg, 'line').filter((l) => attr(l, 'stroke') === '#1f77b4')).toHaveLength(4);
    // Zero lines through x = 0 (px 150) and y = 0 (px 100).
    expect(svg).toContain('<line x1="150" y1="50" x2="150" y2="150" stroke="#444" stroke-width="1"/>');
    expect(svg).toContain('<line x1="50" y1="100" x2="250" y2="100" stroke="#444" stroke-width="1"/>');
    // The annotation sits at the middle of the x domain, 10 % of the plot height above its top (y 50 - 10), bold.
    expect(svg).toContain('<text x="150" y="44" text-anchor="middle" font-weight="bold">panel</text>');
  });

  it('names trace types it cannot draw instead of failing, and escapes text', () => {
    const svg = figureSvg({ data: [{ type: 'pie', values: [1, 2] }, { y: [1, 2], name: '<b>a & b</b>' }], layout: { title: { text: 'x < y' }, showlegend: true } });
    expect(svg).toContain('not drawn in this static image: pie trace(s)');
    expect(svg).toContain('>a &amp; b</text>'); // plotly's HTML tags dropped, & escaped
    expect(svg).toContain('>x &lt; y</text>');
  });

  it('rejects a figure without a data array', () => {
    expect(() => figureSvg({} as Figure)).toThrow(/figureSvg: fig must be an object with a data array, got object/);
  });
});

describe('svgDataUri', () => {
  it('base64-encodes the SVG as UTF-8', () => {
    const uri = svgDataUri('<svg xmlns="http://www.w3.org/2000/svg"><text>∂L/∂θ</text></svg>');
    expect(uri.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(Buffer.from(uri.split(',')[1], 'base64').toString('utf8')).toContain('∂L/∂θ');
  });
});
