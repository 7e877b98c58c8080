import { describe, expect, it } from 'vitest';
import { seededRandom, shuffledIndices } from '../lib';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const sa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(sa);
    expect([c(), c(), c()]).not.toEqual(sa);
  });
  it('stays in [0, 1) with a mean near 1/2 over 10,000 draws', () => {
    const r = seededRandom(7);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = r();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });
  it('rejects a seed that is not a 32-bit unsigned integer', () => {
    expect(() => seededRandom(-1)).toThrow(/seed/);
    expect(() => seededRandom(1.5)).toThrow(/seed/);
  });
});

describe('shuffledIndices', () => {
  it('is a permutation of 0..n-1', () => {
    const p = Array.from(shuffledIndices(100, 3)).sort((x, y) => x - y);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  it('is reproducible for a seed and changes with the seed', () => {
    expect(Array.from(shuffledIndices(20, 5))).toEqual(Array.from(shuffledIndices(20, 5)));
    expect(Array.from(shuffledIndices(20, 5))).not.toEqual(Array.from(shuffledIndices(20, 6)));
  });
  it('handles n = 0 and n = 1', () => {
    expect(shuffledIndices(0, 1).length).toBe(0);
    expect(Array.from(shuffledIndices(1, 1))).toEqual([0]);
  });
});
