/**
 * WAV files in and out, through the `wavefile` library (RIFF/WAVE as in
 * Microsoft's "Multimedia Programming Interface and Data Specifications 1.0",
 * 1991, and ITU-T G.711 for mu-law): decoded to mono float samples in
 * [-1, 1], encoded as 16-bit PCM, and shown as an audio player in a notebook.
 */
import { WaveFile } from 'wavefile';
import { ArgumentError, DataFormatError, checkInteger, describe } from '../core/errors';
import { escapeHtml, type Showable } from '../core/notebook';

/** A decoded sound: mono samples and their rate. */
export interface Audio {
  /** Samples per second (Hz), e.g. 16000. */
  sampleRate: number;
  /** `[numSamples]` float32 in [-1, 1]; the mean of the channels when the file had several. */
  samples: Float32Array;
}

/** What each bit depth code of wavefile scales its integer samples by, to reach [-1, 1]. */
const FULL_SCALE: Record<string, number> = { '8': 128, '16': 32768, '24': 8388608, '32': 2147483648, '32f': 1, '64': 1 };

/**
 * Decodes a WAV file (8-, 16-, 24- or 32-bit PCM, 32/64-bit float, or 8-bit
 * mu-law) into mono float samples in [-1, 1]: several channels are averaged,
 * mu-law is expanded to 16-bit first (G.711).
 *
 * @param bytes - the whole file.
 * @param name - the file's name, for error messages.
 * @returns the sample rate and `[numSamples]` float32 samples.
 * @throws {DataFormatError} when the bytes are not a WAV file wavefile can read, or use another encoding (e.g. ADPCM).
 * @example
 * ```ts
 * const audio = readWav(encodeWav(new Float32Array([0, 0.5, -0.5]), 16000));
 * audio.sampleRate; // 16000
 * Array.from(audio.samples); // [0, 0.5, -0.5]
 * ```
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 * @see [Notebook 06c §Exercises](../../notebooks/06c-voice-assistant.ipynb#Exercises)
 */
export function readWav(bytes: Uint8Array, name = 'WAV data'): Audio {
  const fn = 'readWav';
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${fn}: bytes must be a Uint8Array (a whole WAV file), got ${describe(bytes)}`);
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    throw new DataFormatError(`${fn}: ${name} is not a WAV file wavefile can read (${(err as Error).message})`);
  }
  let depth = wav.bitDepth;
  if (depth === '8m') {
    wav.fromMuLaw(); // G.711 mu-law → 16-bit linear PCM
    depth = '16';
  }
  const fmt = wav.fmt as { sampleRate: number; numChannels: number }; // read after fromMuLaw, which rebuilds it
  const scale = FULL_SCALE[depth];
  if (scale === undefined) throw new DataFormatError(`${fn}: ${name} has bit depth ${describe(depth)}; expected PCM 8/16/24/32, float 32/64 or 8-bit mu-law`);
  const channels = fmt.numChannels;
  const interleaved = wav.getSamples(true, Float64Array) as unknown as Float64Array; // [numSamples * channels]
  const n = Math.floor(interleaved.length / channels);
  const samples = new Float32Array(n);
  // wavefile reads 8-bit PCM as unsigned 0..255 (silence 128).
  const offset = depth === '8' ? 128 : 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c] - offset;
    samples[i] = sum / channels / scale;
  }
  return { sampleRate: fmt.sampleRate, samples };
}

/**
 * Encodes mono samples as a 16-bit (or 8-bit) PCM WAV file (values outside
 * [-1, 1] are clipped): `round(x·32767)`, or for 8 bits the unsigned
 * `round(x·127) + 128` of the WAV format (half the bytes, about 48 dB of
 * dynamic range instead of 96).
 * @param samples - `[numSamples]` in [-1, 1].
 * @param sampleRate - samples per second (Hz), an integer ≥ 1.
 * @param bitDepth - 16 or 8. @default 16
 * @returns the file's bytes.
 * @throws {ArgumentError} when `samples` is not an array of numbers, `sampleRate` not a positive integer or `bitDepth` not 8 or 16.
 * @example
 * ```ts
 * encodeWav(new Float32Array(16000), 16000).length; // 32044 (44-byte header + 2 bytes a sample)
 * encodeWav(new Float32Array(16000), 16000, 8).length; // 16044
 * ```
 */
export function encodeWav(samples: ArrayLike<number>, sampleRate: number, bitDepth: 8 | 16 = 16): Uint8Array {
  const fn = 'encodeWav';
  if (samples == null || typeof samples !== 'object' || typeof samples.length !== 'number') throw new ArgumentError(`${fn}: samples must be an array of numbers in [-1, 1], got ${describe(samples)}`);
  checkInteger(fn, 'sampleRate', sampleRate, 1);
  if (bitDepth !== 8 && bitDepth !== 16) throw new ArgumentError(`${fn}: bitDepth must be 8 or 16, got ${describe(bitDepth)}`);
  const clip = (i: number) => Math.max(-1, Math.min(1, samples[i]));
  const pcm = bitDepth === 16 ? Int16Array.from({ length: samples.length }, (_, i) => Math.round(clip(i) * 32767)) : Uint8Array.from({ length: samples.length }, (_, i) => Math.round(clip(i) * 127) + 128);
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, String(bitDepth), pcm);
  return wav.toBuffer();
}

/**
 * An audio player for a notebook: an HTML `<audio controls>` element whose
 * source is the sound as a 16-bit WAV `data:` URL (no file, no script, so it
 * plays in an untrusted notebook too), with a caption; `text` describes the
 * sound for a terminal. `bitDepth` 8 halves the bytes a saved notebook keeps.
 * @throws {ArgumentError} when `audio` is not `{ sampleRate, samples: Float32Array }` or `bitDepth` not 8 or 16.
 * @example
 * ```ts
 * audioPlayer({ sampleRate: 16000, samples: new Float32Array(1600) }, 'silence').html.startsWith('<figure'); // true
 * audioPlayer({ sampleRate: 16000, samples: new Float32Array(1600) }, 'silence').text; // 'silence (0.10 s at 16000 Hz)'
 * ```
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 * @see [Notebook 06c §6 Closing the loop: a spoken answer](../../notebooks/06c-voice-assistant.ipynb#6.-Closing-the-loop:-a-spoken-answer)
 */
export function audioPlayer(audio: Audio, caption = '', bitDepth: 8 | 16 = 16): Showable {
  const fn = 'audioPlayer';
  if (audio == null || !(audio.samples instanceof Float32Array)) throw new ArgumentError(`${fn}: audio must be { sampleRate, samples: Float32Array }, got ${describe(audio)}`);
  const seconds = audio.samples.length / audio.sampleRate;
  const url = `data:audio/wav;base64,${Buffer.from(encodeWav(audio.samples, audio.sampleRate, bitDepth)).toString('base64')}`;
  const label = `${caption ? `${caption} ` : ''}(${seconds.toFixed(2)} s at ${audio.sampleRate} Hz)`;
  return {
    html: `<figure style="margin:4px 0"><audio controls preload="none" src="${url}"></audio><figcaption style="font-size:90%">${escapeHtml(label)}</figcaption></figure>`,
    text: label,
  };
}
