import { describe, expect, it } from 'vitest';
import { ArgumentError, spectrogramsFigure } from '../../lib';

describe('spectrogramsFigure', () => {
  it('draws each panel as a heatmap, bands as rows (low at the bottom), time in seconds', () => {
    const fig = spectrogramsFigure(
      [
        { title: 'yes', values: [0, 1, 2, 3, 4, 5], numFrames: 3, numBands: 2 },
        { title: 'no', values: [9, 9, 9, 9], numFrames: 2, numBands: 2 },
      ],
      { frameSeconds: 0.02, zmin: -50, zmax: 30, unit: 'dB' },
    );
    expect(fig.data.map((d) => [d.type, d.xaxis, d.yaxis, d.showscale])).toEqual([
      ['heatmap', 'x', 'y', true],
      ['heatmap', 'x2', 'y2', false],
    ]);
    expect(fig.data[0].z).toEqual([[0, 2, 4], [1, 3, 5]]);
    expect(fig.data[0].x).toEqual([0, 0.02, 0.04]);
    expect([fig.data[1].zmin, fig.data[1].zmax]).toEqual([-50, 30]); // one colour range for all panels
    expect((fig.layout!.annotations as { text: string }[]).map((a) => a.text)).toEqual(['<b>yes</b>', '<b>no</b>']);
    expect(fig.layout!.grid).toEqual({ rows: 1, columns: 2, pattern: 'independent' });
  });
  it('keeps the decimals asked for (a saved notebook stores every number)', () => {
    const panel = { title: 'x', values: [-23.4567, 1.25], numFrames: 1, numBands: 2 };
    expect(spectrogramsFigure([panel]).data[0].z).toEqual([[-23.5], [1.3]]);
    expect(spectrogramsFigure([panel], { decimals: 0 }).data[0].z).toEqual([[-23], [1]]);
    expect(() => spectrogramsFigure([panel], { decimals: -1 })).toThrow(/options.decimals must be an integer in \[0, 6\]/);
  });
  it('rejects no panels and values of the wrong length', () => {
    expect(() => spectrogramsFigure([])).toThrow(ArgumentError);
    expect(() => spectrogramsFigure([{ title: 'x', values: [1, 2, 3], numFrames: 2, numBands: 2 }])).toThrow(/spectrogramsFigure: panels\[0\].values must have numFrames · numBands = 4 values, got number 3/);
  });
});
