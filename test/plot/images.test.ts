import { describe, expect, it } from 'vitest';
import { imageGrid, sampleIndices } from '../../lib';

describe('sampleIndices', () => {
  it('spreads k indices evenly over n', () => {
    expect(sampleIndices(10, 4)).toEqual([0, 2, 5, 7]);
    expect(sampleIndices(3, 5)).toEqual([0, 1, 2]);
    expect(() => sampleIndices(10, 0)).toThrow(/sampleIndices: k must be an integer >= 1, got number 0/);
  });
});

describe('imageGrid', () => {
  const n = 10_000;
  const pixels = new Uint8Array(n * 4 * 4 * 3);
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  it('shows an evenly spaced sample of a big batch and says so', () => {
    const g = imageGrid(pixels, [n, 4, 4, 3], { labels, classNames: ['cat', 'dog', 'ship'] });
    expect(g.html.match(/data:image\/png;base64,/g)).toHaveLength(40);
    expect(g.html).toContain('40 of 10,000 images (an evenly spaced sample)');
    expect(g.text).toBe('image grid: 40 of 10,000 images');
    // Image 250 (the second of the sample) has label 250 % 3 = 1.
    expect(g.html.match(/<figcaption[^>]*>([^<]*)</g)!.slice(0, 2).map((c) => c.replace(/.*>/, '').replace('<', ''))).toEqual(['cat', 'dog']);
  });
  it('captions predictions as "predicted / true" with mistakes in red', () => {
    const g = imageGrid(pixels.subarray(0, 2 * 48), [2, 4, 4, 3], { labels: [0, 1], predictions: [0, 2], classNames: ['cat', 'dog', 'ship'] });
    expect(g.html).toContain('color:#070">cat / cat<');
    expect(g.html).toContain('color:#c00">ship / dog<');
    expect(g.html).toContain('caption: predicted / true, mistakes in red');
  });
  it('checks the labels and the chosen indices against the batch', () => {
    expect(() => imageGrid(pixels, [n, 4, 4, 3], { labels: [1, 2] })).toThrow(/imageGrid: options.labels has 2 entries but the batch has 10000 images/);
    expect(() => imageGrid(pixels, [n, 4, 4, 3], { indices: [n] })).toThrow(/options.indices\[0\] must be an integer in \[0, 9999\], got number 10000/);
  });
});
