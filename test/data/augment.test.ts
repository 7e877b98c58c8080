import { describe, expect, it } from 'vitest';
import { ArgumentError, channelMeanStd, cropFlipAugmenter, randomCropFlip, selectClasses } from '../../lib';

/** A batch of `batch` images [height, width, channels] whose pixel (k, y, x, c) is a distinct value. */
function ramp(batch: number, h: number, w: number, c: number): Uint8Array {
  return Uint8Array.from({ length: batch * h * w * c }, (_, i) => (i % 251) + 1); // 1..251, never 0
}

/** Finds the (dy, dx, mirrored) that maps `input` to `output` for one image, by trying all. */
function whichTransform(input: Uint8Array, output: Uint8Array, h: number, w: number, c: number, padding: number) {
  const found: Array<[number, number, boolean]> = [];
  for (let dy = -padding; dy <= padding; dy++)
    for (let dx = -padding; dx <= padding; dx++)
      for (const m of [false, true]) {
        let ok = true;
        for (let y = 0; y < h && ok; y++)
          for (let x = 0; x < w && ok; x++) {
            const sx = (m ? w - 1 - x : x) + dx; // the output column x shows source column x' + dx, x' mirrored or not
            const sy = y + dy;
            for (let ch = 0; ch < c; ch++) {
              const expected = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : input[(sy * w + sx) * c + ch];
              if (output[(y * w + x) * c + ch] !== expected) ok = false;
            }
          }
        if (ok) found.push([dy, dx, m]);
      }
  return found;
}

describe('randomCropFlip (He et al. 2016 §4.2)', () => {
  it('is a shift by at most `padding` pixels with zeros shifted in, maybe mirrored, for every image', () => {
    const [b, h, w, c] = [16, 6, 5, 3];
    const input = ramp(b, h, w, c);
    const output = randomCropFlip(input, [b, h, w, c], { padding: 2, seed: 11 });
    const per = h * w * c;
    const seen = new Set<string>();
    for (let k = 0; k < b; k++) {
      const t = whichTransform(input.subarray(k * per, (k + 1) * per), output.subarray(k * per, (k + 1) * per), h, w, c, 2);
      expect(t.length, `image ${k}`).toBeGreaterThan(0);
      seen.add(JSON.stringify(t[0]));
    }
    expect(seen.size).toBeGreaterThan(4); // different images get different transforms
    expect(input).toEqual(ramp(b, h, w, c)); // the input is not changed
  });

  it('is reproducible for a seed and differs for another seed', () => {
    const input = ramp(8, 8, 8, 3);
    const a = randomCropFlip(input, [8, 8, 8, 3], { seed: 5 });
    expect(randomCropFlip(input, [8, 8, 8, 3], { seed: 5 })).toEqual(a);
    expect(randomCropFlip(input, [8, 8, 8, 3], { seed: 6 })).not.toEqual(a);
  });

  it('flips about half the images and shifts uniformly in −padding … padding (seeded, 4,000 images)', () => {
    const [b, h, w] = [4000, 3, 9];
    const input = new Uint8Array(b * h * w);
    for (let k = 0; k < b; k++) input[k * h * w + w + 4] = 255; // one bright pixel in the middle of each image
    const output = randomCropFlip(input, [b, h, w, 1], { padding: 4, seed: 3 });
    const counts = new Array<number>(9).fill(0);
    for (let k = 0; k < b; k++) {
      const img = output.subarray(k * h * w, (k + 1) * h * w);
      const at = img.indexOf(255);
      if (at >= 0 && Math.floor(at / w) === 1) counts[at % w]++; // rows shifted out lose the pixel
    }
    // With dy = 0 (1 in 9) the pixel moves to column 4 − dx (mirroring keeps the middle column): 9 columns equally likely.
    const total = counts.reduce((a, v) => a + v, 0);
    expect(total).toBeGreaterThan(4000 / 9 - 100);
    counts.forEach((n) => expect(n / total).toBeGreaterThan(0.07));
    const flips = randomCropFlip(Uint8Array.from({ length: b * 2 }, (_, i) => i % 2), [b, 1, 2, 1], { padding: 0, seed: 4 });
    const mirrored = Array.from({ length: b }, (_, k) => flips[2 * k]).filter((v) => v === 1).length;
    expect(mirrored / b).toBeGreaterThan(0.46);
    expect(mirrored / b).toBeLessThan(0.54);
  });

  it('with padding 0 and no flip is the identity', () => {
    const input = ramp(3, 4, 4, 3);
    expect(randomCropFlip(input, [3, 4, 4, 3], { padding: 0, flip: false, seed: 9 })).toEqual(input);
  });

  it('rejects bad input, naming the function, the argument, what it expects and what came', () => {
    expect(() => randomCropFlip(new Uint8Array(10), [1, 2, 2, 3], { seed: 0 })).toThrow(ArgumentError);
    expect(() => randomCropFlip(new Uint8Array(10), [1, 2, 2, 3], { seed: 0 })).toThrow(/randomCropFlip: pixels must be a Uint8Array of 1·2·2·3 = 12 values \(NHWC\), got 10 values/);
    expect(() => randomCropFlip(new Float32Array(12) as unknown as Uint8Array, [1, 2, 2, 3], { seed: 0 })).toThrow(/got object/);
    expect(() => randomCropFlip(new Uint8Array(12), [1, 2, 2, 3], { seed: -1 })).toThrow(/options.seed must be an integer in \[0, 4294967295\], got number -1/);
    expect(() => randomCropFlip(new Uint8Array(12), [1, 2, 2, 3], { seed: 0, padding: 1.5 })).toThrow(/options.padding/);
    expect(() => cropFlipAugmenter({ padding: -1 })).toThrow(/options.padding must be an integer >= 0/);
  });

  it('is fast: well under a millisecond per 32×32×3 image (bench note; measured, not a timed test)', () => {
    const pixels = ramp(256, 32, 32, 3);
    const start = performance.now();
    for (let r = 0; r < 4; r++) randomCropFlip(pixels, [256, 32, 32, 3], { seed: r });
    const msPerImage = (performance.now() - start) / 1024;
    console.log(`randomCropFlip: ${(msPerImage * 1000).toFixed(1)} µs per 32×32×3 image`);
    expect(Number.isFinite(msPerImage)).toBe(true);
  });
});

describe('channelMeanStd', () => {
  it('gives each channel’s mean and population std in [0, 1] units, by hand', () => {
    // Channel 0: 0, 255, 255, 0 → mean 0.5, std 0.5; channel 1: 51 ×4 → 0.2, 0; channel 2: 0, 102, 0, 102 → 0.2, 0.2.
    const data = { n: 2, pixels: new Uint8Array([0, 51, 0, 255, 51, 102, 255, 51, 0, 0, 51, 102]), labels: new Int32Array(2), imageShape: [1, 2, 3] as const };
    const s = channelMeanStd(data);
    [0.5, 0.2, 0.2].forEach((v, i) => expect(s.mean[i]).toBeCloseTo(v, 12));
    [0.5, 0, 0.2].forEach((v, i) => expect(s.std[i]).toBeCloseTo(v, 12));
  });
  it('rejects images without imageShape, or none', () => {
    expect(() => channelMeanStd({ n: 1, pixels: new Uint8Array(3), labels: new Int32Array(1) })).toThrow(/channelMeanStd: data.imageShape must be \[height, width, channels\]/);
    expect(() => channelMeanStd({ n: 0, pixels: new Uint8Array(0), labels: new Int32Array(0), imageShape: [1, 1, 3] })).toThrow(/n = 0/);
  });
});

describe('selectClasses', () => {
  it('keeps the given classes in order, relabelled 0, 1, …, at most maxPerClass each', () => {
    const data = { n: 6, pixels: new Uint8Array([10, 11, 30, 31, 50, 51, 32, 33, 52, 53, 34, 35]), labels: new Int32Array([1, 3, 5, 3, 5, 3]), imageShape: [1, 1, 2] as const };
    const all = selectClasses(data, [3, 5]);
    expect(all.n).toBe(5);
    expect(Array.from(all.labels)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(all.pixels)).toEqual([30, 31, 50, 51, 32, 33, 52, 53, 34, 35]);
    expect(all.imageShape).toEqual([1, 1, 2]);
    expect(Array.from(selectClasses(data, [5, 3], 1).labels)).toEqual([1, 0]); // dog 0, cat 1 when asked in that order
  });
  it('rejects empty or repeated classes', () => {
    const data = { n: 1, pixels: new Uint8Array(1), labels: new Int32Array(1) };
    expect(() => selectClasses(data, [])).toThrow(/selectClasses: classes must be a non-empty array/);
    expect(() => selectClasses(data, [3, 3])).toThrow(/classes must be distinct/);
    expect(() => selectClasses(data, [3], 0)).toThrow(/maxPerClass must be an integer >= 1, got number 0/);
  });
});
