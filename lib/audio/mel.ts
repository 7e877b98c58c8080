/**
 * The mel scale and the log-mel spectrogram: a power spectrogram pooled by
 * triangular filters equally spaced in mel, then put in decibels. The mel
 * formula is HTK's, `mel(f) = 2595·log₁₀(1 + f/700)` (Young et al., "The HTK
 * Book", §5.4; O'Shaughnessy, "Speech Communication", 1987), with filters of
 * peak 1 whose slopes are linear in mel, as HTK and TensorFlow's
 * `tf.signal.linear_to_mel_weight_matrix` build them (not the Slaney/librosa
 * default, which is linear below 1 kHz and normalises each filter's area).
 */
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';
import { checkStftConfig, powerSpectrogram, type StftConfig } from './stft';

/**
 * Hertz to mel, HTK's formula `2595·log₁₀(1 + f/700)`: about linear below
 * 1 kHz and logarithmic above, as pitch is heard. 1000 Hz is ≈ 1000 mel.
 * @example
 * ```ts
 * hzToMel(0); // 0
 * hzToMel(700); // 781.17 (2595 · log₁₀ 2)
 * ```
 * @see [Notebook 06c §3 The mel scale and the log-mel spectrogram](../../notebooks/06c-voice-assistant.ipynb#3.-The-mel-scale-and-the-log-mel-spectrogram)
 * @see [Notebook 06c §Exercises](../../notebooks/06c-voice-assistant.ipynb#Exercises)
 */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/**
 * Mel to hertz, the inverse of {@link hzToMel}: `700·(10^(mel/2595) − 1)`.
 * @example
 * ```ts
 * melToHz(hzToMel(440)); // 440 (to rounding)
 * ```
 * @see [Notebook 06c §Exercises](../../notebooks/06c-voice-assistant.ipynb#Exercises)
 */
export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** The STFT and the mel filters of {@link logMelSpectrogram}. */
export interface LogMelConfig extends StftConfig {
  /** Samples per second of the signal (Hz), e.g. 16000. */
  sampleRate: number;
  /** Mel bands (filters), e.g. 40. */
  numMels: number;
  /** Lower edge of the first filter (Hz), ≥ 0. */
  fMin: number;
  /** Upper edge of the last filter (Hz), ≤ sampleRate / 2. */
  fMax: number;
}

function checkMelConfig(fn: string, config: LogMelConfig): LogMelConfig {
  checkStftConfig(fn, config);
  checkPositive(fn, 'config.sampleRate', config.sampleRate);
  checkInteger(fn, 'config.numMels', config.numMels, 1);
  if (typeof config.fMin !== 'number' || typeof config.fMax !== 'number' || !(config.fMin >= 0) || !(config.fMin < config.fMax) || !(config.fMax <= config.sampleRate / 2)) {
    throw new ArgumentError(`${fn}: config.fMin and config.fMax must satisfy 0 <= fMin < fMax <= sampleRate / 2 (${config.sampleRate / 2} Hz), got ${describe(config.fMin)} and ${describe(config.fMax)}`);
  }
  return config;
}

/**
 * The mel filterbank: `numMels` triangles over the STFT's bins. Their corners
 * are `numMels + 2` points equally spaced in mel from `fMin` to `fMax`;
 * filter i rises from corner i to 1 at corner i+1 and falls to 0 at corner
 * i+2, linearly in mel. Bin k has frequency `k·sampleRate/fftSize`.
 *
 * @returns `[numBins, numMels]` float32 weights (numBins = fftSize/2 + 1), row-major, as `tf.signal.linear_to_mel_weight_matrix` lays them out.
 * @throws {ArgumentError} when the config is invalid (see {@link LogMelConfig}).
 * @example
 * ```ts
 * const w = melFilterbank({ sampleRate: 16000, frameLength: 512, hop: 160, fftSize: 512, numMels: 40, fMin: 20, fMax: 8000 });
 * w.length; // 10280 (257 bins · 40 filters)
 * ```
 * @see [Notebook 06c §3 The mel scale and the log-mel spectrogram](../../notebooks/06c-voice-assistant.ipynb#3.-The-mel-scale-and-the-log-mel-spectrogram)
 * @see [Notebook 06c §Exercises](../../notebooks/06c-voice-assistant.ipynb#Exercises)
 */
export function melFilterbank(config: LogMelConfig): Float32Array {
  const { sampleRate, fftSize, numMels, fMin, fMax } = checkMelConfig('melFilterbank', config);
  const numBins = fftSize / 2 + 1;
  const lo = hzToMel(fMin);
  const step = (hzToMel(fMax) - lo) / (numMels + 1);
  const weights = new Float32Array(numBins * numMels);
  for (let k = 0; k < numBins; k++) {
    const mel = hzToMel((k * sampleRate) / fftSize);
    for (let i = 0; i < numMels; i++) {
      const left = lo + i * step;
      const center = left + step;
      const right = center + step;
      const rising = (mel - left) / step;
      const falling = (right - mel) / step;
      weights[k * numMels + i] = Math.max(0, Math.min(rising, falling));
    }
  }
  return weights;
}

/** A log-mel spectrogram: `values[t * numMels + m]` is band m of frame t, in dB. */
export interface LogMelSpectrogram {
  /** `[numFrames, numMels]` float32 decibels, row-major. */
  values: Float32Array;
  /** Frames (time steps). */
  numFrames: number;
  /** Mel bands. */
  numMels: number;
}

/** The smallest power {@link logMelSpectrogram} takes the log of (−100 dB), so silence gives a number, not −∞. */
export const POWER_FLOOR = 1e-10;

/**
 * The log-mel spectrogram: the {@link powerSpectrogram}, pooled by the
 * {@link melFilterbank} (`mel[t, m] = Σ_k power[t, k]·W[k, m]`), in decibels,
 * `10·log₁₀(max(mel, 1e-10))`.
 * @param samples - `[numSamples]` the signal, in [-1, 1].
 * @returns `[numFrames, numMels]` float32 dB.
 * @throws {ArgumentError} when `samples` is not an array of numbers or the config is invalid.
 * @example
 * ```ts
 * const config = { sampleRate: 16000, frameLength: 480, hop: 320, fftSize: 512, numMels: 40, fMin: 20, fMax: 8000 };
 * const s = logMelSpectrogram(new Float32Array(16000), config);
 * [s.numFrames, s.numMels, s.values[0]]; // [49, 40, -100] (silence: the floor)
 * ```
 * @see [Notebook 06c §3 The mel scale and the log-mel spectrogram](../../notebooks/06c-voice-assistant.ipynb#3.-The-mel-scale-and-the-log-mel-spectrogram)
 */
export function logMelSpectrogram(samples: ArrayLike<number>, config: LogMelConfig, filterbank?: Float32Array): LogMelSpectrogram {
  const fn = 'logMelSpectrogram';
  checkMelConfig(fn, config);
  const { values: power, numFrames, numBins } = powerSpectrogram(samples, config);
  const numMels = config.numMels;
  const w = filterbank ?? melFilterbank(config);
  if (w.length !== numBins * numMels) throw new ArgumentError(`${fn}: filterbank has ${w.length} weights, expected numBins · numMels = ${numBins} · ${numMels}`);
  const values = new Float32Array(numFrames * numMels);
  for (let t = 0; t < numFrames; t++) {
    for (let m = 0; m < numMels; m++) {
      let sum = 0;
      for (let k = 0; k < numBins; k++) sum += power[t * numBins + k] * w[k * numMels + m];
      values[t * numMels + m] = 10 * Math.log10(Math.max(sum, POWER_FLOOR));
    }
  }
  return { values, numFrames, numMels };
}

/**
 * Decibels to 8-bit grey levels, so a spectrogram is an image a CNN reads
 * like a photo: `round(255·(clip(v, minDb, maxDb) − minDb) / (maxDb − minDb))`.
 * A fixed range (not each clip's own), so loudness and silence stay visible.
 * @param values - dB values, e.g. {@link LogMelSpectrogram.values}.
 * @returns the same length, uint8.
 * @throws {ArgumentError} when `minDb >= maxDb` or either is not finite.
 * @example
 * ```ts
 * Array.from(decibelsToUint8(new Float32Array([-100, -40, 40, 99]), -40, 40)); // [0, 0, 255, 255]
 * ```
 */
export function decibelsToUint8(values: ArrayLike<number>, minDb: number, maxDb: number): Uint8Array {
  const fn = 'decibelsToUint8';
  if (!Number.isFinite(minDb) || !Number.isFinite(maxDb) || minDb >= maxDb) throw new ArgumentError(`${fn}: minDb must be finite and below maxDb, got ${describe(minDb)} and ${describe(maxDb)}`);
  const out = new Uint8Array(values.length);
  const scale = 255 / (maxDb - minDb);
  for (let i = 0; i < out.length; i++) out[i] = Math.round((Math.min(maxDb, Math.max(minDb, values[i])) - minDb) * scale);
  return out;
}
