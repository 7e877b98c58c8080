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
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const images = { n, pixels, labels, imageShape: [4, 4, 3] as const };
  it('shows an evenly spaced sample of a big batch and says so', () => {
    const g = imageGrid(images, { classNames: ['cat', 'dog', 'ship'] });
    expect(g.html.match(/data:image\/png;base64,/g)).toHaveLength(40);
    expect(g.html).toContain('40 of 10,000 images (an evenly spaced sample)');
    expect(g.text).toBe('image grid: 40 of 10,000 images');
    // Image 250 (the second of the sample) has label 250 % 3 = 1.
    expect(g.html.match(/<figcaption[^>]*>([^<]*)</g)!.slice(0, 2).map((c) => c.replace(/.*>/, '').replace('<', ''))).toEqual(['cat', 'dog']);
  });
  it('captions predictions as "predicted / true" with mistakes in red', () => {
    const g = imageGrid({ n: 2, pixels: pixels.subarray(0, 2 * 48), labels: new Int32Array([0, 1]), imageShape: [4, 4, 3] }, { predictions: [0, 2], classNames: ['cat', 'dog', 'ship'] });
    expect(g.html).toContain('color:#070">cat / cat<');
    expect(g.html).toContain('color:#c00">ship / dog<');
    expect(g.html).toContain('caption: predicted / true, mistakes in red');
  });
  it('checks the labels and the chosen indices against the batch', () => {
    expect(() => imageGrid(images, { predictions: [1, 2] })).toThrow(/imageGrid: options.predictions has 2 entries but the batch has 10000 images/);
    expect(() => imageGrid(images, { indices: [n] })).toThrow(/options.indices\[0\] must be an integer in \[0, 9999\], got number 10000/);
    expect(() => imageGrid({ n, pixels, labels })).toThrow(/imageGrid: images.imageShape must be \[height, width, channels\]/);
    expect(() => imageGrid(images, { onlyMistakes: true })).toThrow(/onlyMistakes needs options.predictions/);
  });
  it('shows only the first mistakes with onlyMistakes', () => {
    const predictions = Int32Array.from(labels, (y, i) => (i % 7 === 0 ? (y + 1) % 3 : y)); // wrong at 0, 7, 14, …
    const g = imageGrid(images, { predictions, onlyMistakes: true, maxImages: 3, classNames: ['cat', 'dog', 'ship'] });
    expect(g.html.match(/data:image\/png;base64,/g)).toHaveLength(3);
    expect(g.html).toContain('3 of 10,000 images: the first mistakes');
    // Image 7 has label 1 (dog) and prediction 2 (ship).
    expect(g.html.match(/<figcaption[^>]*>([^<]*)</g)!.map((c) => c.replace(/.*>/, '').replace('<', ''))).toEqual(['dog / cat', 'ship / dog', 'cat / ship']);
  });
});
