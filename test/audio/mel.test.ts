import { describe, expect, it } from 'vitest';
import { ArgumentError, POWER_FLOOR, decibelsToUint8, hzToMel, logMelSpectrogram, melFilterbank, melToHz, powerSpectrogram } from '../../lib';
import { randoms } from '../helpers/numeric';

const CONFIG = { sampleRate: 16000, frameLength: 480, hop: 320, fftSize: 512, numMels: 40, fMin: 20, fMax: 8000 };

describe('hzToMel and melToHz (HTK)', () => {
  it('match the formula at hand-computed points', () => {
    expect(hzToMel(0)).toBe(0);
    expect(hzToMel(700)).toBeCloseTo(2595 * Math.log10(2), 10); // 780.9…
    expect(hzToMel(1000)).toBeCloseTo(999.99, 1); // the scale is anchored so that 1000 Hz ≈ 1000 mel
    expect(hzToMel(8000)).toBeCloseTo(2840.02, 2);
  });
  it('are inverses', () => {
    for (const f of [0, 20, 440, 1000, 4000, 8000]) expect(melToHz(hzToMel(f))).toBeCloseTo(f, 6);
  });
  it('equal HTK Book §5.4’s natural-log form 1127·ln(1 + f/700) to its rounding (2595 / ln 10 = 1126.99)', () => {
    for (const f of [100, 1000, 5000]) expect(Math.abs(hzToMel(f) / (1127 * Math.log(1 + f / 700)) - 1)).toBeLessThan(2e-5);
  });
});

describe('melFilterbank', () => {
  it('a tiny bank by hand: 2 filters over 0–4000 Hz at N = 8 (bins every 1000 Hz)', () => {
    // Corners equally spaced in mel: 0, m/3, 2m/3, m with m = mel(4000) = 2146.06.
    const cfg = { sampleRate: 8000, frameLength: 8, hop: 8, fftSize: 8, numMels: 2, fMin: 0, fMax: 4000 };
    const w = melFilterbank(cfg);
    const m = hzToMel(4000);
    const step = m / 3;
    const expected: number[] = [];
    for (let k = 0; k <= 4; k++) {
      const mk = hzToMel(k * 1000);
      expected.push(Math.max(0, Math.min(mk / step, (2 * step - mk) / step)), Math.max(0, Math.min((mk - step) / step, (m - mk) / step)));
    }
    expect(w.length).toBe(10);
    w.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // Bin 1 (1000 Hz = 1000 mel) is past filter 0's peak (715 mel): 0 < weight < 1, and on filter 1's rising side.
    expect(w[2]).toBeCloseTo((2 * step - hzToMel(1000)) / step, 6);
    expect(w[0]).toBe(0); // 0 Hz is filter 0's left corner
  });
  it('each filter peaks near 1 at its centre and is zero outside its corners', () => {
    const w = melFilterbank(CONFIG);
    const step = (hzToMel(8000) - hzToMel(20)) / 41;
    for (let i = 0; i < 40; i++) {
      const column = Array.from({ length: 257 }, (_, k) => w[k * 40 + i]);
      expect(Math.max(...column)).toBeGreaterThan(i < 3 ? 0.3 : 0.8); // the lowest filters are narrower than a bin (31.25 Hz)
      column.forEach((v, k) => {
        const mk = hzToMel((k * 16000) / 512);
        if (mk <= hzToMel(20) + i * step || mk >= hzToMel(20) + (i + 2) * step) expect(v).toBe(0);
      });
    }
  });
  it('rejects a frequency range outside 0 … sampleRate/2', () => {
    expect(() => melFilterbank({ ...CONFIG, fMax: 9000 })).toThrow(/melFilterbank: config.fMin and config.fMax must satisfy 0 <= fMin < fMax <= sampleRate \/ 2 \(8000 Hz\)/);
    expect(() => melFilterbank({ ...CONFIG, numMels: 0 })).toThrow(ArgumentError);
  });
});

describe('logMelSpectrogram', () => {
  it('is 10·log10 of the power pooled by the filterbank', () => {
    const x = randoms(4000, 9);
    const s = logMelSpectrogram(x, CONFIG);
    const p = powerSpectrogram(x, CONFIG);
    const w = melFilterbank(CONFIG);
    expect([s.numFrames, s.numMels]).toEqual([p.numFrames, 40]);
    for (const [t, m] of [[0, 0], [3, 17], [p.numFrames - 1, 39]]) {
      let sum = 0;
      for (let k = 0; k < 257; k++) sum += p.values[t * 257 + k] * w[k * 40 + m];
      expect(s.values[t * 40 + m]).toBeCloseTo(10 * Math.log10(sum), 3);
    }
  });
  it('puts a 1 kHz tone in the band whose filter weights bin 32 most', () => {
    const tone = Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const s = logMelSpectrogram(tone, CONFIG);
    const w = melFilterbank(CONFIG);
    const bin32 = Array.from(w.subarray(32 * 40, 33 * 40));
    const frame = Array.from(s.values.subarray(0, 40));
    expect(frame.indexOf(Math.max(...frame))).toBe(bin32.indexOf(Math.max(...bin32)));
  });
  it('gives the floor (−100 dB) for silence instead of −∞', () => {
    expect(10 * Math.log10(POWER_FLOOR)).toBe(-100);
    expect(new Set(logMelSpectrogram(new Float32Array(1000), CONFIG).values)).toEqual(new Set([-100]));
  });
  it('rejects a filterbank of the wrong size', () => {
    expect(() => logMelSpectrogram(new Float32Array(1000), CONFIG, new Float32Array(3))).toThrow(/logMelSpectrogram: filterbank has 3 weights, expected numBins · numMels = 257 · 40/);
  });
});

describe('decibelsToUint8', () => {
  it('maps [minDb, maxDb] linearly onto 0 … 255 and clips outside', () => {
    expect(Array.from(decibelsToUint8([-100, -40, 0, 40, 99], -40, 40))).toEqual([0, 0, 128, 255, 255]); // 0 dB: 127.5 rounds to 128
  });
  it('rejects an empty or reversed range', () => {
    expect(() => decibelsToUint8([0], 10, 10)).toThrow(/decibelsToUint8: minDb must be finite and below maxDb/);
    expect(() => decibelsToUint8([0], NaN, 10)).toThrow(ArgumentError);
  });
});
