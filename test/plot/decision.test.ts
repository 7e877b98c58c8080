import { describe, expect, it } from 'vitest';
import { decisionBoundaryFigure, figureSvg } from '../../lib';

describe('decisionBoundaryFigure', () => {
  it('predicts on a grid padded around the data, one heatmap row per y', () => {
    const seen: number[][] = [];
    const fig = decisionBoundaryFigure(
      (p) => {
        seen.push(...p);
        return p.map(([a]) => (a > 0 ? 1 : 0));
      },
      [[-1, 0], [1, 2]],
      [0, 1],
      { resolution: 3, padding: 0.5 },
    );
    // x in [-1, 1] padded by half its range: [-2, 2]; y in [0, 2]: [-1, 3].
    expect(seen).toEqual([[-2, -1], [0, -1], [2, -1], [-2, 1], [0, 1], [2, 1], [-2, 3], [0, 3], [2, 3]]);
    const heat = fig.data[0];
    expect(heat.x).toEqual([-2, 0, 2]);
    expect(heat.y).toEqual([-1, 1, 3]);
    expect(heat.z).toEqual([[0, 0, 1], [0, 0, 1], [0, 0, 1]]);
    expect(fig.data.slice(1).map((t) => [t.name, t.x, t.y])).toEqual([['class 0', [-1], [0]], ['class 1', [1], [2]]]);
  });
  it('draws as a static image with the regions as one embedded PNG', () => {
    const X = Array.from({ length: 50 }, (_, i) => [Math.cos(i), Math.sin(i)]);
    const y = X.map(([a, b]) => (a + b > 0 ? 1 : 0));
    const svg = figureSvg(decisionBoundaryFigure((p) => p.map(([a, b]) => (a + b > 0 ? 1 : 0)), X, y, { classNames: ['neg', 'pos'] }));
    expect(svg.match(/<image /g)).toHaveLength(1);
    expect(svg).toMatch(/<image [^>]* href="data:image\/png;base64,/);
    expect(svg.match(/<circle /g)!.length).toBeGreaterThanOrEqual(50);
    expect(svg).toContain('>pos</text>');
  });
  it('checks its arguments', () => {
    expect(() => decisionBoundaryFigure((p) => p.map(() => 0), [[1, 2, 3]], [0])).toThrow(/X must be \[n, 2\] points/);
    expect(() => decisionBoundaryFigure((p) => p.map(() => 0), [[1, 2]], [0, 1])).toThrow(/y has 2 labels but X has 1 points/);
    expect(() => decisionBoundaryFigure(() => [0], [[1, 2]], [0], { resolution: 3 })).toThrow(/predict returned 1 values for 9 grid points/);
  });
});
