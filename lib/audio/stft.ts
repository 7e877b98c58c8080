/**
 * The short-time Fourier transform: a signal cut into overlapping frames, each
 * multiplied by a Hann window and transformed with an FFT (the `fft.js`
 * library), giving the power at each frequency bin over time. Oppenheim &
 * Schafer, "Discrete-Time Signal Processing", 3rd ed., §10.3 (the
 * time-dependent Fourier transform); Harris, "On the use of windows for
 * harmonic analysis with the DFT", Proc. IEEE 66(1), 1978 (the Hann window).
 */
import FFT from 'fft.js';
import { ArgumentError, checkInteger, describe } from '../core/errors';

/**
 * The periodic Hann window `w[n] = 0.5 − 0.5·cos(2πn / N)`, n = 0 … N−1: the
 * form for spectral analysis (its period is N, so frames overlapped by half
 * sum to a constant), as `scipy.signal.get_window('hann', N)`, librosa and
 * TensorFlow use; the symmetric form divides by N − 1 instead.
 * @param length - N, samples in the window (an integer ≥ 1).
 * @returns `[N]` float32.
 * @throws {ArgumentError} when `length` is not an integer ≥ 1.
 * @example
 * ```ts
 * Array.from(hannWindow(4)); // [0, 0.5, 1, 0.5]
 * ```
 * @see [Notebook 06c §2 From sound to picture: frames, windows, FFT](../../notebooks/06c-voice-assistant.ipynb#2.-From-sound-to-picture:-frames,-windows,-FFT)
 */
export function hannWindow(length: number): Float32Array {
  checkInteger('hannWindow', 'length', length, 1);
  const w = new Float32Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}

/**
 * How many whole frames of `frameLength` samples, starting every `hop`
 * samples, fit in `numSamples` samples: `1 + ⌊(numSamples − frameLength) / hop⌋`,
 * or 0 when the signal is shorter than one frame (no padding, as
 * `tf.signal.frame` without `padEnd`).
 * @throws {ArgumentError} when an argument is not an integer (≥ 0 for `numSamples`, ≥ 1 for the others).
 * @example
 * ```ts
 * frameCount(16000, 480, 320); // 49
 * frameCount(100, 480, 320); // 0
 * ```
 * @see [Notebook 06c §2 From sound to picture: frames, windows, FFT](../../notebooks/06c-voice-assistant.ipynb#2.-From-sound-to-picture:-frames,-windows,-FFT)
 */
export function frameCount(numSamples: number, frameLength: number, hop: number): number {
  const fn = 'frameCount';
  checkInteger(fn, 'numSamples', numSamples, 0);
  checkInteger(fn, 'frameLength', frameLength, 1);
  checkInteger(fn, 'hop', hop, 1);
  return numSamples < frameLength ? 0 : 1 + Math.floor((numSamples - frameLength) / hop);
}

/** Frames, window and FFT size of {@link powerSpectrogram}. */
export interface StftConfig {
  /** Samples per frame (the window's length), e.g. 480 (30 ms at 16 kHz). */
  frameLength: number;
  /** Samples from one frame's start to the next (the hop or stride), e.g. 320 (20 ms at 16 kHz). */
  hop: number;
  /** FFT length: a power of two ≥ `frameLength`; frames are zero-padded to it. Bin k is the frequency k · sampleRate / fftSize. */
  fftSize: number;
}

/** A power spectrogram: `values[t * numBins + k]` is the power of bin k in frame t. */
export interface Spectrogram {
  /** `[numFrames, numBins]` float32, row-major. */
  values: Float32Array;
  /** Frames (time steps). */
  numFrames: number;
  /** Frequency bins, `fftSize / 2 + 1` (0 Hz to the Nyquist frequency). */
  numBins: number;
}

/** Checks a {@link StftConfig}; returns it. */
export function checkStftConfig(fn: string, config: StftConfig): StftConfig {
  if (config == null || typeof config !== 'object') throw new ArgumentError(`${fn}: config must be { frameLength, hop, fftSize }, got ${describe(config)}`);
  checkInteger(fn, 'config.frameLength', config.frameLength, 1);
  checkInteger(fn, 'config.hop', config.hop, 1);
  checkInteger(fn, 'config.fftSize', config.fftSize, 2);
  if ((config.fftSize & (config.fftSize - 1)) !== 0 || config.fftSize < config.frameLength) {
    throw new ArgumentError(`${fn}: config.fftSize must be a power of two >= config.frameLength (${config.frameLength}), got ${config.fftSize}`);
  }
  return config;
}

/**
 * The power spectrogram `|X_t[k]|²` of a signal: frame t is samples
 * `t·hop … t·hop + frameLength − 1`, multiplied by the periodic
 * {@link hannWindow}, zero-padded to `fftSize` and transformed,
 * `X_t[k] = Σₙ w[n]·x[t·hop + n]·e^(−2πi·k·n / fftSize)`, for bins
 * k = 0 … fftSize/2. The same as `tf.signal.stft` (an even frame length) then
 * the squared magnitude.
 *
 * @param samples - `[numSamples]` the signal (float, any scale).
 * @param config - frame length, hop and FFT size (see {@link StftConfig}).
 * @returns `[numFrames, fftSize/2 + 1]` float32 powers, with `numFrames` = {@link frameCount}.
 * @throws {ArgumentError} when `samples` is not an array of numbers or the config is invalid.
 * @example
 * ```ts
 * // A 1 kHz tone at 16 kHz: bin k is k · 16000 / 512 Hz, so the peak is bin 32.
 * const tone = Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 16000));
 * const s = powerSpectrogram(tone, { frameLength: 480, hop: 320, fftSize: 512 });
 * [s.numFrames, s.numBins]; // [49, 257]
 * const frame0 = Array.from(s.values.subarray(0, s.numBins));
 * frame0.indexOf(Math.max(...frame0)); // 32
 * ```
 * @see [Notebook 06c §2 From sound to picture: frames, windows, FFT](../../notebooks/06c-voice-assistant.ipynb#2.-From-sound-to-picture:-frames,-windows,-FFT)
 */
export function powerSpectrogram(samples: ArrayLike<number>, config: StftConfig): Spectrogram {
  const fn = 'powerSpectrogram';
  if (samples == null || typeof samples !== 'object' || typeof samples.length !== 'number') throw new ArgumentError(`${fn}: samples must be an array of numbers, got ${describe(samples)}`);
  const { frameLength, hop, fftSize } = checkStftConfig(fn, config);
  const numFrames = frameCount(samples.length, frameLength, hop);
  const numBins = fftSize / 2 + 1;
  const values = new Float32Array(numFrames * numBins);
  const window = hannWindow(frameLength);
  const fft = new FFT(fftSize);
  const frame = new Float64Array(fftSize); // zero-padded past frameLength
  const spectrum = fft.createComplexArray() as number[]; // [re0, im0, re1, im1, …]
  for (let t = 0; t < numFrames; t++) {
    const start = t * hop;
    for (let n = 0; n < frameLength; n++) frame[n] = window[n] * samples[start + n];
    fft.realTransform(spectrum, frame);
    fft.completeSpectrum(spectrum);
    for (let k = 0; k < numBins; k++) values[t * numBins + k] = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
  }
  return { values, numFrames, numBins };
}
