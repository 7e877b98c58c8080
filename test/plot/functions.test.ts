import { describe, expect, it } from 'vitest';
import { ArgumentError, curvesFigure, curvesGridFigure, linspace } from '../../lib';

describe('linspace', () => {
  it('gives count evenly spaced values with both ends included, exactly', () => {
    expect(linspace(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linspace(0, 0.3, 4).at(-1)).toBe(0.3); // the last value is stop itself, not 0.30000000000000004
  });
  it('rejects count < 2 and non-finite ends, naming the argument', () => {
    expect(() => linspace(0, 1, 1)).toThrow(/linspace: count must be an integer >= 2, got number 1/);
    expect(() => linspace(0, Infinity, 3)).toThrow(/linspace: stop must be a finite number/);
    expect(() => linspace(0, 1, '3' as unknown as number)).toThrow(ArgumentError);
  });
});

describe('curvesFigure', () => {
  it('draws one line trace per curve, dashed when asked, over the same x', () => {
    const x = linspace(-2, 2, 5);
    const fig = curvesFigure(x, [{ name: 'f', y: x.map((z) => z * z) }, { name: "f'", y: x.map((z) => 2 * z), dashed: true }], 'square', { y: 'value' });
    expect(fig.data).toHaveLength(2);
    expect(fig.data[0]).toMatchObject({ type: 'scatter', mode: 'lines', name: 'f', x, y: [4, 1, 0, 1, 4], line: { dash: 'solid' } });
    expect(fig.data[1]).toMatchObject({ name: "f'", line: { dash: 'dash' } });
    expect(fig.layout).toMatchObject({ title: { text: 'square' }, xaxis: { title: { text: 'z' } }, yaxis: { title: { text: 'value' } } });
  });
  it('accepts typed arrays', () => {
    expect(curvesFigure(new Float32Array([0, 1]), [{ name: 'a', y: new Float32Array([1, 2]) }], 't').data[0].y).toEqual([1, 2]);
  });
  it('rejects a curve whose length differs from x, naming it', () => {
    expect(() => curvesFigure([0, 1, 2], [{ name: 'bad', y: [1, 2] }], 't')).toThrow(/curves\[0\] \(bad\) has 2 y values but x has 3/);
  });
});

describe('curvesGridFigure', () => {
  const x = [-1, 0, 1];
  const panel = (title: string) => ({ title, x, curves: [{ name: 'f(z)', y: [0, 0, 1] }, { name: "f'(z)", y: [0, 1, 1], dashed: true }] });
  it('puts each panel on its own axes, row by row, with its title', () => {
    const fig = curvesGridFigure([panel('A'), panel('B'), panel('C'), panel('D')], 3, 'all');
    expect(fig.layout?.grid).toEqual({ rows: 2, columns: 3, pattern: 'independent' });
    expect(fig.data.map((t) => t.xaxis)).toEqual(['x', 'x', 'x2', 'x2', 'x3', 'x3', 'x4', 'x4']);
    expect((fig.layout?.annotations as Array<{ text: string }>).map((a) => a.text)).toEqual(['<b>A</b>', '<b>B</b>', '<b>C</b>', '<b>D</b>']);
    expect(fig.layout?.title).toEqual({ text: 'all' });
  });
  it('shows each curve name once in the legend', () => {
    const fig = curvesGridFigure([panel('A'), panel('B')], 2);
    expect(fig.data.filter((t) => t.showlegend).map((t) => t.name)).toEqual(['f(z)', "f'(z)"]);
  });
  it('rejects no panels or a bad panel', () => {
    expect(() => curvesGridFigure([])).toThrow(/panels must be a non-empty array/);
    expect(() => curvesGridFigure([{ title: 'x', x, curves: [] }])).toThrow(/panels\[0\].curves must be a non-empty array/);
  });
});
