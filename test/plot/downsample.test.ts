import { describe, expect, it } from 'vitest';
import { ArgumentError, downsample, downsampleFigure, seededNormal, type Figure } from '../../lib';
import { lttbIndices, minMaxIndices } from '../../lib/plot/downsample';

/** A noisy decaying series of n points with spikes up at `ups` and down at `downs`. */
function series(n: number, ups: number[], downs: number[]): number[] {
  const normal = seededNormal(3);
  const y = Array.from({ length: n }, (_, i) => 2 * Math.exp(-i / (n / 5)) + 0.1 * normal());
  for (const i of ups) y[i] = 10;
  for (const i of downs) y[i] = -10;
  return y;
}

describe('minMaxIndices', () => {
  it('keeps the first and last point and each bucket\'s lowest and highest, as worked out by hand', () => {
    // Buckets [0, 4) and [4, 8): values 0 5 1 2 → min at 0, max at 1; values -3 0 4 1 → min at 4, max at 6.
    expect(minMaxIndices([0, 5, 1, 2, -3, 0, 4, 1], 2)).toEqual([0, 1, 4, 6, 7]);
  });
  it('keeps every spike of a 50,000-point series, including the global extremes', () => {
    const ups = [123, 20_000, 49_998];
    const downs = [7, 31_416];
    const y = series(50_000, ups, downs);
    const kept = minMaxIndices(y, 999);
    expect(kept.length).toBeLessThanOrEqual(2000);
    expect(kept).toEqual(expect.arrayContaining([0, 49_999, ...ups, ...downs]));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(Math.max(...kept.map((i) => y[i]))).toBe(10);
    expect(Math.min(...kept.map((i) => y[i]))).toBe(-10);
  });
  it('keeps a gap (null or NaN) in a bucket so the drawn line still breaks there', () => {
    const y: (number | null)[] = Array.from({ length: 100 }, (_, i) => i);
    y[50] = null;
    y[80] = Number.NaN;
    const kept = minMaxIndices(y, 10);
    expect(kept).toContain(50);
    expect(kept).toContain(80);
  });
  it('returns every index of a short series', () => {
    expect(minMaxIndices([3, 1, 2], 1)).toEqual([0, 1, 2]);
    expect(minMaxIndices([], 5)).toEqual([]);
  });
  it('names the bad argument', () => {
    expect(() => minMaxIndices([1, 2], 0)).toThrow(ArgumentError);
    expect(() => minMaxIndices([1, 2], 0)).toThrow(/minMaxIndices: buckets must be an integer >= 1, got number 0/);
  });
});

describe('lttbIndices', () => {
  it('picks the point of the largest triangle, as worked out by hand', () => {
    // threshold 3: one bucket (indices 1…5) between the fixed ends; the triangle with (0, 0) and the
    // next bucket's mean (6, 0) has area 3·|y|, largest at the peak y = 9 (index 3).
    expect(lttbIndices(null, [0, 1, 0, 9, 0, 1, 0], 3)).toEqual([0, 3, 6]);
  });
  it('keeps exactly `threshold` points, the ends and the isolated spikes', () => {
    const y = series(50_000, [20_000], [31_416]);
    const kept = lttbIndices(null, y, 2000);
    expect(kept).toHaveLength(2000);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(49_999);
    expect(kept).toContain(20_000);
    expect(kept).toContain(31_416);
  });
  it('uses the x values for the triangle areas and skips non-finite points', () => {
    expect(lttbIndices([0, 1, 2, 3, 4], [0, Number.NaN, 5, null as unknown as number, 0], 3)).toEqual([0, 2, 4]);
  });
  it('checks that x and y have the same length', () => {
    expect(() => lttbIndices([1, 2], [1, 2, 3], 3)).toThrow(/lttbIndices: x has 2 values but y has 3/);
    expect(() => lttbIndices(null, [1, 2, 3], 2)).toThrow(/threshold must be an integer >= 3, got number 2/);
  });
});

describe('downsample', () => {
  it('returns x and y of the kept points, with x = index when x is null', () => {
    const r = downsample(null, Array.from({ length: 50_000 }, (_, i) => Math.sin(i / 500)), 1000);
    expect(r.x.length).toBeLessThanOrEqual(1000);
    expect(r.x.length).toBeGreaterThan(900);
    expect(r.x).toEqual(r.indices);
    expect(Math.max(...(r.y as number[]))).toBeCloseTo(1, 4);
  });
  it('rejects an unknown method', () => {
    expect(() => downsample(null, [1, 2, 3, 4, 5], 4, 'every-other' as 'lttb')).toThrow(/method must be 'minmax' or 'lttb', got string "every-other"/);
  });
});

describe('downsampleFigure', () => {
  const big = Array.from({ length: 50_000 }, (_, i) => Math.cos(i / 900));
  it('shortens long lines, keeps per-point arrays aligned and says so in the name', () => {
    const fig: Figure = { data: [{ y: big, name: 'loss', text: big.map((_, i) => `step ${i}`), marker: { color: big.map((_, i) => i) } }, { y: [1, 2, 3], name: 'short' }] };
    const out = downsampleFigure(fig);
    const t = out.data[0];
    const x = t.x as number[];
    expect(x.length).toBeLessThanOrEqual(2000);
    expect(t.y).toEqual(x.map((i) => big[i]));
    expect(t.text).toEqual(x.map((i) => `step ${i}`));
    expect((t.marker as { color: number[] }).color).toEqual(x);
    expect(t.name).toBe(`loss (${x.length.toLocaleString('en-US')} of 50,000 points)`);
    expect(out.data[1]).toBe(fig.data[1]); // untouched
    expect(fig.data[0].y).toBe(big); // the input is not modified
  });
  it('thins marker-only traces to every k-th point and leaves short figures as they are', () => {
    const out = downsampleFigure({ data: [{ mode: 'markers', x: big.map((_, i) => i), y: big }] }, { maxPoints: 1000 });
    expect(out.data[0].x).toEqual(Array.from({ length: 1000 }, (_, k) => k * 50));
    const small: Figure = { data: [{ y: [1, 2] }] };
    expect(downsampleFigure(small)).toBe(small);
    expect(downsampleFigure({ data: [{ y: big }] }, { maxPoints: Infinity }).data[0].y).toBe(big);
  });
  it('leaves heatmaps, bars and category x values alone', () => {
    const cats = big.map((_, i) => `c${i}`);
    const fig: Figure = { data: [{ type: 'bar', y: big }, { x: cats, y: big }] };
    expect(downsampleFigure(fig)).toBe(fig);
  });
});
