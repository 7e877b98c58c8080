import { describe, expect, it } from 'vitest';
import { ArgumentError, specAugment, specAugmenter } from '../../lib';

/** A 1-image batch of `frames` × `mels` whose pixel (t, m) is 10·t + m. */
function ramp(frames: number, mels: number): Uint8Array {
  return Uint8Array.from({ length: frames * mels }, (_, i) => 10 * Math.floor(i / mels) + (i % mels));
}

describe('specAugment', () => {
  it('with no options returns an equal copy, and never changes its input', () => {
    const x = ramp(5, 3);
    const y = specAugment(x, [1, 5, 3, 1], 1, {});
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });
  it('shifts whole frames in time, repeating the edge frame, by at most maxShift either way', () => {
    const x = ramp(6, 2);
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const y = Array.from(specAugment(x, [1, 6, 2, 1], seed, { maxShift: 2 }));
      // Output frame t is input frame clamp(t − shift): find the shift in −2 … 2 that explains the output.
      const shift = [-2, -1, 0, 1, 2].find((s) => y.every((v, i) => v === x[Math.min(5, Math.max(0, Math.floor(i / 2) - s)) * 2 + (i % 2)]));
      expect(shift, `seed ${seed}: ${y}`).toBeDefined();
      seen.add(shift!);
    }
    expect(seen.size).toBeGreaterThan(2); // several shifts drawn
  });
  it('masks: a time mask fills whole frames, a frequency mask whole bands, with the image mean', () => {
    const x = new Uint8Array(8 * 4).fill(100);
    x[0] = 0; // mean of the image: (31·100 + 0) / 32 = 96.875 → 97
    let masked = 0;
    for (let seed = 0; seed < 20; seed++) {
      const y = specAugment(x, [1, 8, 4, 1], seed, { timeMasks: 1, maxTimeMask: 3 });
      for (let t = 0; t < 8; t++) {
        const row = Array.from(y.subarray(t * 4, t * 4 + 4));
        if (row.every((v) => v === 97)) masked++;
        else expect(row).toEqual(Array.from(x.subarray(t * 4, t * 4 + 4)));
      }
      const z = specAugment(x, [1, 8, 4, 1], seed, { freqMasks: 1, maxFreqMask: 2 });
      for (let m = 0; m < 4; m++) {
        const band = Array.from({ length: 8 }, (_, t) => z[t * 4 + m]);
        if (!band.every((v) => v === 97)) expect(band).toEqual(Array.from({ length: 8 }, (_, t) => x[t * 4 + m]));
      }
    }
    expect(masked).toBeGreaterThan(0);
  });
  it('is reproducible for a seed and treats the images of a batch independently', () => {
    const x = new Uint8Array(4 * 10 * 6).map((_, i) => (i * 7) % 251);
    const opts = { maxShift: 3, timeMasks: 2, maxTimeMask: 3, freqMasks: 1, maxFreqMask: 2 };
    expect(specAugment(x, [4, 10, 6, 1], 9, opts)).toEqual(specAugment(x, [4, 10, 6, 1], 9, opts));
    expect(specAugment(x, [4, 10, 6, 1], 9, opts)).not.toEqual(specAugment(x, [4, 10, 6, 1], 10, opts));
  });
  it('rejects a shape with channels or not matching, and options that are not integers >= 0', () => {
    expect(() => specAugment(new Uint8Array(12), [1, 2, 2, 3], 0, {})).toThrow(/specAugment: shape must be \[batch, numFrames, numMels, 1\]/);
    expect(() => specAugment(new Uint8Array(4), [1, 2, 2, 1], 0, { maxShift: -1 })).toThrow(/options.maxShift must be an integer >= 0/);
    expect(() => specAugmenter({ timeMasks: 1.5 })).toThrow(ArgumentError);
  });
  it('specAugmenter passes the trainer’s seed through', () => {
    const x = ramp(10, 4);
    const opts = { maxShift: 3 };
    expect(specAugmenter(opts)(x, [1, 10, 4, 1], 5)).toEqual(specAugment(x, [1, 10, 4, 1], 5, opts));
  });
});
