/**
 * Data augmentation for spectrogram images: a random shift in time (Warden,
 * "Speech Commands", arXiv:1804.03209, and its TensorFlow training script:
 * clips shifted by up to 100 ms) and SpecAugment's time and frequency masks
 * (Park et al., "SpecAugment", Interspeech 2019, §2): bands of frames or of
 * mel bands set to the image's mean, so the model cannot lean on any one part.
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';
import { seededRandom } from '../core/random';

/** Options of {@link specAugment}. Images are `[batch, numFrames, numMels, 1]`: rows are frames (time), columns mel bands. */
export interface SpecAugmentOptions {
  /** Largest shift in frames, either way; rows shifted in repeat the edge row. @default 0 */
  maxShift?: number;
  /** Time masks per image. @default 0 */
  timeMasks?: number;
  /** Widest time mask, in frames (each mask's width is drawn from 0 … this). @default 0 */
  maxTimeMask?: number;
  /** Frequency masks per image. @default 0 */
  freqMasks?: number;
  /** Widest frequency mask, in mel bands. @default 0 */
  maxFreqMask?: number;
}

function checkOptions(fn: string, options: SpecAugmentOptions): Required<SpecAugmentOptions> {
  if (options == null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const out = { maxShift: 0, timeMasks: 0, maxTimeMask: 0, freqMasks: 0, maxFreqMask: 0, ...options };
  for (const key of Object.keys(out) as (keyof SpecAugmentOptions)[]) checkInteger(fn, `options.${key}`, out[key], 0);
  return out;
}

/**
 * Shifts each spectrogram image in time by a random whole number of frames
 * and masks random frames and mel bands, reproducibly for a seed. The input is
 * not changed.
 * @param pixels - `[batch, numFrames, numMels, 1]` uint8.
 * @param shape - `[batch, numFrames, numMels, 1]`.
 * @param seed - seed of the random draws (an integer in [0, 2³² − 1]).
 * @returns a new `[batch, numFrames, numMels, 1]` uint8 array.
 * @throws {ArgumentError} when the shape is not one-channel or does not match the pixels, or an option is not an integer ≥ 0.
 * @example
 * ```ts
 * // One 3-frame × 2-band image; shifted by +1 frame, the first row repeats:
 * const image = new Uint8Array([1, 2, 3, 4, 5, 6]);
 * Array.from(specAugment(image, [1, 3, 2, 1], 0, {})); // [1, 2, 3, 4, 5, 6] (no options: unchanged)
 * const shifted = specAugment(image, [1, 3, 2, 1], 3, { maxShift: 1 });
 * [[1, 2, 1, 2, 3, 4], [1, 2, 3, 4, 5, 6], [3, 4, 5, 6, 5, 6]].some((e) => e.join() === Array.from(shifted).join()); // true
 * ```
 */
export function specAugment(pixels: Uint8Array, shape: readonly [number, number, number, number], seed: number, options: SpecAugmentOptions): Uint8Array {
  const fn = 'specAugment';
  const { maxShift, timeMasks, maxTimeMask, freqMasks, maxFreqMask } = checkOptions(fn, options);
  if (!(pixels instanceof Uint8Array)) throw new ArgumentError(`${fn}: pixels must be a Uint8Array, got ${describe(pixels)}`);
  if (!Array.isArray(shape) || shape.length !== 4 || shape[3] !== 1 || shape[0] * shape[1] * shape[2] !== pixels.length) {
    throw new ArgumentError(`${fn}: shape must be [batch, numFrames, numMels, 1] matching the ${pixels.length} pixels, got ${describe(shape)}`);
  }
  checkInteger(fn, 'seed', seed, 0, 2 ** 32 - 1);
  const [batch, frames, mels] = shape;
  const per = frames * mels;
  const rand = seededRandom(seed);
  const draw = (max: number) => Math.floor(rand() * (max + 1)); // 0 … max
  const out = new Uint8Array(pixels.length);
  for (let b = 0; b < batch; b++) {
    const src = pixels.subarray(b * per, (b + 1) * per);
    const dst = out.subarray(b * per, (b + 1) * per);
    const shift = draw(2 * maxShift) - maxShift; // frame t of the output is frame t − shift of the input
    for (let t = 0; t < frames; t++) {
      const from = Math.min(frames - 1, Math.max(0, t - shift));
      dst.set(src.subarray(from * mels, (from + 1) * mels), t * mels);
    }
    if (timeMasks + freqMasks === 0) continue;
    let sum = 0;
    for (const v of dst) sum += v;
    const mean = Math.round(sum / per);
    for (let m = 0; m < timeMasks; m++) {
      const width = Math.min(draw(maxTimeMask), frames);
      const start = draw(frames - width);
      dst.fill(mean, start * mels, (start + width) * mels);
    }
    for (let m = 0; m < freqMasks; m++) {
      const width = Math.min(draw(maxFreqMask), mels);
      const start = draw(mels - width);
      for (let t = 0; t < frames; t++) dst.fill(mean, t * mels + start, t * mels + start + width);
    }
  }
  return out;
}

/**
 * {@link specAugment} with fixed options, as `trainClassifier`'s `augment`
 * option takes it (the trainer seeds each minibatch).
 * @throws {ArgumentError} when an option is not an integer ≥ 0 (checked here, not at the first step).
 * @example
 * ```ts
 * const augment = specAugmenter({ maxShift: 5, timeMasks: 1, maxTimeMask: 5, freqMasks: 1, maxFreqMask: 5 });
 * augment(new Uint8Array(2 * 49 * 40), [2, 49, 40, 1], 7).length; // 3920
 * ```
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 */
export function specAugmenter(options: SpecAugmentOptions): (pixels: Uint8Array, shape: readonly [number, number, number, number], seed: number) => Uint8Array {
  checkOptions('specAugmenter', options);
  return (pixels, shape, seed) => specAugment(pixels, shape, seed, options);
}
