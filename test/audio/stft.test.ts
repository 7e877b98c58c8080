import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, frameCount, hannWindow, powerSpectrogram } from '../../lib';
import { randoms, relErr } from '../helpers/numeric';

/** The DFT written out: X[k] = Σ x[n]·e^(−2πi·kn/N), power |X[k]|², k = 0 … N/2. */
function dftPower(x: ArrayLike<number>, n: number): number[] {
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let j = 0; j < x.length; j++) {
      re += x[j] * Math.cos((2 * Math.PI * k * j) / n);
      im -= x[j] * Math.sin((2 * Math.PI * k * j) / n);
    }
    return re * re + im * im;
  });
}

describe('hannWindow', () => {
  it('is periodic: 0.5 − 0.5 cos(2πn/N), zero at n = 0, one at N/2', () => {
    expect(Array.from(hannWindow(4))).toEqual([0, 0.5, 1, 0.5]);
    const w = hannWindow(8);
    expect(w[4]).toBe(1);
    w.forEach((v, n) => expect(v).toBeCloseTo(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 8), 7));
  });
  it('overlapped by half, windows sum to a constant (why the periodic form)', () => {
    const w = hannWindow(16);
    for (let n = 0; n < 8; n++) expect(w[n] + w[n + 8]).toBeCloseTo(1, 6);
  });
  it('matches tf.signal.hannWindow for an even length', () => {
    expect(relErr(hannWindow(480), tf.signal.hannWindow(480).dataSync())).toBeLessThan(1e-6);
  });
  it('rejects a length that is not an integer >= 1', () => {
    expect(() => hannWindow(0)).toThrow(/hannWindow: length must be an integer >= 1, got number 0/);
  });
});

describe('frameCount', () => {
  it('counts whole frames: 1 + ⌊(N − L) / hop⌋', () => {
    expect(frameCount(16000, 480, 320)).toBe(49); // 1 + ⌊15520 / 320⌋ = 1 + 48
    expect(frameCount(480, 480, 320)).toBe(1);
    expect(frameCount(479, 480, 320)).toBe(0);
    expect(frameCount(10, 4, 2)).toBe(4); // starts 0, 2, 4, 6
  });
  it('agrees with tf.signal.frame', () => {
    for (const [n, l, h] of [[100, 10, 3], [64, 16, 16], [1000, 400, 160]]) {
      expect(frameCount(n, l, h)).toBe(tf.signal.frame(tf.zeros([n]) as tf.Tensor1D, l, h).shape[0]);
    }
  });
  it('names the argument that is wrong', () => {
    expect(() => frameCount(10, 4, 0)).toThrow(/frameCount: hop must be an integer >= 1/);
    expect(() => frameCount(-1, 4, 2)).toThrow(ArgumentError);
  });
});

describe('powerSpectrogram', () => {
  it('a tiny frame by hand: x = [1, 0, 0, 0], window [0, .5, 1, .5], N = 4 gives zero power (the window kills the impulse)', () => {
    const s = powerSpectrogram([1, 0, 0, 0], { frameLength: 4, hop: 4, fftSize: 4 });
    expect(Array.from(s.values)).toEqual([0, 0, 0]);
  });
  it('a tiny frame by hand: x = [0, 1, 0, 0] → windowed [0, 0.5, 0, 0] → |X[k]|² = 0.25 at every k', () => {
    const s = powerSpectrogram([0, 1, 0, 0], { frameLength: 4, hop: 4, fftSize: 4 });
    expect(Array.from(s.values)).toEqual([0.25, 0.25, 0.25]);
  });
  it('a tiny frame by hand: x = [1, 1, 1, 1] → windowed [0, .5, 1, .5]: X[0] = 2, X[1] = −1, X[2] = 0', () => {
    // X[1] = 0.5·e^(−iπ/2) + 1·e^(−iπ) + 0.5·e^(−i3π/2) = −0.5i − 1 + 0.5i = −1.
    const s = powerSpectrogram([1, 1, 1, 1], { frameLength: 4, hop: 4, fftSize: 4 });
    expect(Array.from(s.values)).toEqual([4, 1, 0]);
  });
  it('equals the written-out DFT on random frames, zero padding included', () => {
    const x = randoms(100, 3);
    const cfg = { frameLength: 24, hop: 10, fftSize: 32 };
    const s = powerSpectrogram(x, cfg);
    const w = hannWindow(24);
    expect(s.numFrames).toBe(frameCount(100, 24, 10));
    for (let t = 0; t < s.numFrames; t++) {
      const frame = Array.from({ length: 24 }, (_, n) => w[n] * x[t * 10 + n]);
      expect(relErr(s.values.subarray(t * 17, (t + 1) * 17), dftPower(frame, 32))).toBeLessThan(1e-5);
    }
  });
  it('a 1 kHz tone at 16 kHz peaks in bin 32 (1000 · 512 / 16000) of every frame', () => {
    const tone = Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const s = powerSpectrogram(tone, { frameLength: 480, hop: 320, fftSize: 512 });
    expect([s.numFrames, s.numBins]).toEqual([49, 257]);
    for (let t = 0; t < s.numFrames; t++) {
      const frame = Array.from(s.values.subarray(t * 257, (t + 1) * 257));
      expect(frame.indexOf(Math.max(...frame))).toBe(32);
    }
    // The peak's height: a unit sine on an exact bin gives |X| = (A/2)·Σw = 0.5 · 240 (Σ of the periodic Hann window of 480 is 240).
    expect(s.values[32]).toBeCloseTo(120 ** 2, 0);
  });
  it('matches tf.signal.stft (squared magnitude) on a random signal', () => {
    const x = randoms(2000, 5);
    const cfg = { frameLength: 256, hop: 128, fftSize: 256 };
    const s = powerSpectrogram(x, cfg);
    const ref = tf.tidy(() => {
      const c = tf.signal.stft(tf.tensor1d(x), 256, 128, 256);
      return tf.add(tf.square(tf.real(c)), tf.square(tf.imag(c))).dataSync();
    });
    expect(relErr(s.values, ref)).toBeLessThan(1e-4);
  });
  it('gives no frames for a signal shorter than one frame', () => {
    expect(powerSpectrogram(new Float32Array(10), { frameLength: 16, hop: 8, fftSize: 16 }).numFrames).toBe(0);
  });
  it('rejects an FFT size that is not a power of two at least the frame length', () => {
    expect(() => powerSpectrogram([1], { frameLength: 480, hop: 320, fftSize: 500 })).toThrow(/powerSpectrogram: config.fftSize must be a power of two >= config.frameLength \(480\), got 500/);
    expect(() => powerSpectrogram([1], { frameLength: 480, hop: 320, fftSize: 256 })).toThrow(ArgumentError);
    expect(() => powerSpectrogram('abc' as unknown as number[], { frameLength: 2, hop: 1, fftSize: 2 })).toThrow(ArgumentError);
  });
});
