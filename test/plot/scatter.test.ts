/** lib/plot/scatter.ts and its static SVG: named points by group, on log axes, with their labels. */
import { describe, expect, it } from 'vitest';
import { ArgumentError, figureSvg, labelledScatterFigure } from '../../lib';

const points = [
  { label: 'LeNet-5', x: 1998, y: 6e4, group: 'vision', hover: 'LeCun et al. 1998' },
  { label: 'GPT-3', x: 2020, y: 1.75e11, group: 'language' },
  { label: 'AlexNet', x: 2012, y: 6e7, group: 'vision' },
];

describe('labelledScatterFigure', () => {
  it('makes one labelled markers+text trace per group, in order of first appearance', () => {
    const fig = labelledScatterFigure(points, 'Model sizes', { xTitle: 'year', yTitle: 'parameters', logY: true });
    expect(fig.data.map((t) => t.name)).toEqual(['vision', 'language']);
    expect(fig.data[0]).toMatchObject({ type: 'scatter', mode: 'markers+text', x: [1998, 2012], y: [6e4, 6e7], text: ['LeNet-5', 'AlexNet'] });
    expect(fig.data[0].hovertext).toEqual(['LeNet-5: LeCun et al. 1998', 'AlexNet']);
    expect(fig.layout).toMatchObject({ yaxis: { type: 'log', title: { text: 'parameters' } }, xaxis: { type: 'linear', title: { text: 'year' } } });
  });
  it('puts each label where its labelPosition says, in plotly and in the static SVG', () => {
    const fig = labelledScatterFigure([{ label: 'up', x: 0, y: 1 }, { label: 'down', x: 1, y: 1, labelPosition: 'bottom' }, { label: 'east', x: 2, y: 1, labelPosition: 'right' }, { label: 'west', x: 3, y: 1, labelPosition: 'left' }], 't');
    expect(fig.data[0].textposition).toEqual(['top center', 'bottom center', 'middle right', 'middle left']);
    const svg = figureSvg(fig);
    const circles = [...svg.matchAll(/<circle cx="([^"]*)" cy="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const label = (name: string) => new RegExp(`<text x="([^"]*)" y="([^"]*)" text-anchor="(\\w+)" font-size="11">${name}</text>`).exec(svg)!.slice(1).map((v, i) => (i < 2 ? Number(v) : v));
    expect(label('up')).toEqual([circles[0][0], circles[0][1] - 8, 'middle']);
    expect(label('down')).toEqual([circles[1][0], circles[1][1] + 18, 'middle']);
    expect(label('east')).toEqual([circles[2][0] + 8, circles[2][1] + 4, 'start']);
    expect(label('west')).toEqual([circles[3][0] - 8, circles[3][1] + 4, 'end']);
  });
  it('hides the legend for a single group', () => {
    expect(labelledScatterFigure([{ label: 'a', x: 0, y: 1 }], 't').data[0].showlegend).toBe(false);
  });
  it.each([
    [[], 'labelledScatterFigure: points must be a non-empty array'],
    [[{ label: 'a', x: NaN, y: 1 }], 'labelledScatterFigure: points[0].x must be a finite number, got number NaN'],
    [[{ label: 'a', x: 1, y: 1 }, { label: 'b', x: 1, y: -2 }], 'labelledScatterFigure: points[1] (b) has y = -2; a log axis needs y > 0'],
    [[{ label: 'a', x: 1, y: 1, labelPosition: 'above' as 'top' }], 'labelledScatterFigure: points[0].labelPosition must be one of top, bottom, left, right, got string "above"'],
  ])('rejects %j', (bad, says) => {
    expect(() => labelledScatterFigure(bad, 't', { logY: true })).toThrow(ArgumentError);
    expect(() => labelledScatterFigure(bad, 't', { logY: true })).toThrow(says);
  });
  it('the static SVG draws every label 8 px above its marker, markers ordered as on the log axis', () => {
    const fig = labelledScatterFigure(points, 'Model sizes', { logY: true });
    Object.assign(fig.layout!, { width: 400, height: 300, margin: { l: 50, r: 50, t: 50, b: 50 }, xaxis: { range: [1990, 2030] } });
    const svg = figureSvg(fig);
    const labels = [...svg.matchAll(/<text x="([^"]*)" y="([^"]*)" text-anchor="middle" font-size="11">([^<]*)<\/text>/g)].map((m) => [m[3], Number(m[1]), Number(m[2])] as const);
    const circles = [...svg.matchAll(/<circle cx="([^"]*)" cy="([^"]*)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(labels.map((l) => l[0]).sort()).toEqual(['AlexNet', 'GPT-3', 'LeNet-5']);
    for (const [label, x, y] of labels) expect(circles, label).toContainEqual([x, y + 8]);
    const yOf = (label: string) => labels.find((l) => l[0] === label)![2];
    // Equal ratios are equal distances on a log axis: 6e4 → 6e7 is 3 decades, 6e7 → 1.75e11 is log10(1.75e11 / 6e7) decades.
    const perDecade = (yOf('LeNet-5') - yOf('AlexNet')) / 3;
    expect((yOf('AlexNet') - yOf('GPT-3')) / perDecade).toBeCloseTo(Math.log10(1.75e11 / 6e7), 1);
    // x is linear in the year: 50 px + (year − 1990)·300/40 on a 300 px wide plot area.
    expect(labels.find((l) => l[0] === 'AlexNet')![1]).toBeCloseTo(50 + ((2012 - 1990) * 300) / 40, 0);
  });
});
