import { describe, expect, it } from 'vitest';
import { ArgumentError, randomSubset, withLabelNoise } from '../../lib';

const data = (n: number, numClasses = 10) => ({
  n,
  pixels: Uint8Array.from({ length: n * 2 }, (_, i) => i % 256),
  labels: Int32Array.from({ length: n }, (_, i) => i % numClasses),
});

describe('randomSubset', () => {
  it('keeps size distinct examples, each with its own pixels and label', () => {
    const d = data(50);
    const s = randomSubset(d, 20, 3);
    expect(s.n).toBe(20);
    expect(s.pixels.length).toBe(40);
    const firstPixels = new Set<number>();
    for (let k = 0; k < s.n; k++) {
      const i = s.pixels[2 * k] / 2; // example i has pixels 2i, 2i + 1
      expect(s.labels[k]).toBe(d.labels[i]);
      firstPixels.add(i);
    }
    expect(firstPixels.size).toBe(20); // drawn without replacement
  });
  it('is repeatable with a seed and differs between seeds', () => {
    const d = data(100);
    expect(randomSubset(d, 10, 1).pixels).toEqual(randomSubset(d, 10, 1).pixels);
    expect(randomSubset(d, 10, 1).pixels).not.toEqual(randomSubset(d, 10, 2).pixels);
  });
  it('rejects a size above n, naming the argument', () => {
    expect(() => randomSubset(data(5), 6, 0)).toThrow(/randomSubset: size must be an integer in \[0, 5\], got number 6/);
    expect(() => randomSubset(data(5), 6, 0)).toThrow(ArgumentError);
  });
});

describe('withLabelNoise', () => {
  it('changes exactly round(fraction · n) labels, each to a different class, and no other', () => {
    const d = data(1000);
    const { data: noisy, changed } = withLabelNoise(d, 0.25, 10, 7);
    expect(changed.length).toBe(250);
    const changedSet = new Set(changed);
    let differ = 0;
    for (let i = 0; i < d.n; i++) {
      if (noisy.labels[i] !== d.labels[i]) differ++;
      expect(noisy.labels[i] !== d.labels[i]).toBe(changedSet.has(i));
      expect(noisy.labels[i]).toBeGreaterThanOrEqual(0);
      expect(noisy.labels[i]).toBeLessThan(10);
    }
    expect(differ).toBe(250);
  });
  it('draws the new class roughly uniformly from the other classes (chi-square-free check: each of 9 within ±40% of 1/9)', () => {
    const d = { n: 9000, pixels: new Uint8Array(9000), labels: new Int32Array(9000) }; // all class 0
    const { data: noisy } = withLabelNoise(d, 1, 10, 1);
    const counts = new Array(10).fill(0);
    for (const y of noisy.labels) counts[y]++;
    expect(counts[0]).toBe(0);
    for (let c = 1; c < 10; c++) expect(Math.abs(counts[c] - 1000)).toBeLessThan(400);
  });
  it('leaves the input untouched and shares its pixels', () => {
    const d = data(20);
    const before = d.labels.slice();
    const { data: noisy } = withLabelNoise(d, 0.5, 10, 0);
    expect(d.labels).toEqual(before);
    expect(noisy.pixels).toBe(d.pixels);
  });
  it('fraction 0 changes nothing; fraction 1 changes every label', () => {
    const d = data(30);
    expect(withLabelNoise(d, 0, 10, 0).changed.length).toBe(0);
    expect(withLabelNoise(d, 1, 10, 0).data.labels.every((y, i) => y !== d.labels[i])).toBe(true);
  });
  it('rejects a fraction outside [0, 1] and labels outside [0, numClasses)', () => {
    expect(() => withLabelNoise(data(4), 1.5, 10, 0)).toThrow(/withLabelNoise: fraction must be a number in \[0, 1\], got number 1.5/);
    expect(() => withLabelNoise(data(4, 10), 0.5, 3, 0)).toThrow(/withLabelNoise: data.labels/);
  });
});
