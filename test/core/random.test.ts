import { describe, expect, it } from 'vitest';
import { seededNormal, seededRandom, shuffledIndices } from '../../lib';

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

describe('seededNormal', () => {
  it('applies Box–Muller to the uniforms of seededRandom: sqrt(−2 ln u₁)·cos(2πu₂), then ·sin(2πu₂)', () => {
    const rand = seededRandom(11);
    const u1 = 1 - rand();
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    const normal = seededNormal(11);
    expect(normal()).toBe(r * Math.cos(2 * Math.PI * u2));
    expect(normal()).toBe(r * Math.sin(2 * Math.PI * u2));
  });
  it('has mean 0, variance 1 and 95% of draws within ±1.96 over 20,000 draws', () => {
    const normal = seededNormal(3);
    const xs = Array.from({ length: 20_000 }, () => normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(xs.filter((x) => Math.abs(x) < 1.96).length / xs.length - 0.95)).toBeLessThan(0.01);
    expect(xs.every(Number.isFinite)).toBe(true);
  });
  it('is reproducible for a seed and rejects a bad seed, naming it', () => {
    const a = seededNormal(5);
    const b = seededNormal(5);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(() => seededNormal(-1)).toThrow(/seededNormal: seed must be an integer in \[0, 4294967295\]/);
  });
});
