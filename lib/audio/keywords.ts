/**
 * The spoken-keyword data set of chapter 06c (data/keywords/, made by
 * scripts/make-keywords.cjs with espeak-ng): one-second clips of ten command
 * words, "unknown" words and background-only "silence", split by voice so the
 * test voices never speak in training. The shipped files are the clean
 * voicings; this loader places each in its one-second window and adds the
 * seeded white noise that index.json records, so every run sees the same
 * noisy clips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, DataFormatError, checkInteger, describe } from '../core/errors';
import type { LabeledExamples } from '../core/examples';
import { seededNormal } from '../core/random';
import { decibelsToUint8, logMelSpectrogram, melFilterbank, type LogMelConfig } from './mel';
import { readWav } from './wav';

/** The splits of the data set; each has its own voices (espeak-ng variants). */
export type KeywordSplit = 'train' | 'validation' | 'test';
const SPLITS: readonly KeywordSplit[] = ['train', 'validation', 'test'];

/** One entry of data/keywords/index.json. */
export interface KeywordItem {
  /** Unique name, e.g. `test-m7-yes-en-us`. */
  id: string;
  /** The split its voice belongs to. */
  split: KeywordSplit;
  /** Class name: a keyword, `'unknown'` or `'silence'`. */
  label: string;
  /** The word espeak-ng spoke (null for silence). */
  word: string | null;
  /** espeak-ng voice `accent+variant` (for silence, the variant). */
  voice: string;
  /** espeak-ng voice variant (who speaks), e.g. `m7`: the split is by variant. */
  variant: string;
  /** espeak-ng accent (language voice), e.g. `en-us` (absent for silence). */
  accent?: string;
  /** espeak-ng `-s`: words per minute. */
  speed?: number;
  /** espeak-ng `-p`: pitch, 0–99. */
  pitch?: number;
  /** The clip's peak level after scaling, dB relative to full scale. */
  peakDb?: number;
  /** Signal-to-noise ratio of the noise added (dB): clip RMS over noise RMS. */
  snrDb?: number;
  /** RMS level of the white noise added, dB relative to full scale. */
  noiseDb: number;
  /** Seed of the noise (lib/core/random.ts `seededNormal`). */
  noiseSeed: number;
  /** The clip's WAV file, relative to the data folder (absent for silence). */
  file?: string;
  /** Samples in the WAV file. */
  samples?: number;
  /** SHA-256 of the WAV file's bytes (hex). */
  sha256?: string;
  /** First sample of the clip in its one-second window. */
  start?: number;
}

/** data/keywords/index.json. */
export interface KeywordIndex {
  /** The espeak-ng version that spoke the clips. */
  espeakNg: string;
  /** The espeak-ng command of one clip, with its placeholders. */
  command: string;
  /** Samples per second of the clips (Hz). */
  sampleRate: number;
  /** Samples of one clip's window (one second). */
  clipSamples: number;
  /** Class names, in label order. */
  classes: string[];
  /** The variants (voices) of each split. */
  splits: Record<KeywordSplit, string[]>;
  /** Every item, one per clip or silence. */
  items: KeywordItem[];
}

/**
 * One split's clips: `samples[i * clipSamples + j]` is sample j of clip i.
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 */
export interface KeywordClips {
  /** Clips. */
  n: number;
  /** `[n, clipSamples]` float32 in [-1, 1]. */
  samples: Float32Array;
  /** `[n]` int32 class indices into {@link KeywordData.classes}. */
  labels: Int32Array;
  /** `[n]` the index entries (word, voice, noise) of the clips. */
  items: KeywordItem[];
}

/** What {@link loadKeywords} returns. */
export interface KeywordData {
  /** Class names: the ten keywords, then `'silence'` and `'unknown'`. */
  classes: string[];
  /** Samples per second (Hz). */
  sampleRate: number;
  /** Samples per clip (one second). */
  clipSamples: number;
  /** Clips of the training voices. */
  train: KeywordClips;
  /** Clips of the validation voices. */
  validation: KeywordClips;
  /** Clips of the test voices (never heard in training). */
  test: KeywordClips;
  /** The data folder read. */
  dir: string;
  /** The index (espeak-ng version, command, every item). */
  index: KeywordIndex;
}

/** Options of {@link loadKeywords}. */
export interface LoadKeywordsOptions {
  /** The data folder (with index.json). @default data/keywords of the repository, found upwards from this file and from the working folder */
  dir?: string;
  /** Add the recorded noise (false: the clean voicings, for listening). @default true */
  noise?: boolean;
  /** At most this many clips per class and split, spread evenly over the split's voices (quick mode). @default all */
  perClass?: number;
}

/** Whether a file exists and may be read (Node's permission model, as in the course's grader, throws on a path outside what it allows). */
function readable(file: string): boolean {
  try {
    return fs.existsSync(file);
  } catch {
    return false;
  }
}

/**
 * The repository's data/keywords folder: searched upwards from this file
 * (lib/audio or dist/lib/audio) and from the working folder.
 * @throws {DataFormatError} when no data/keywords/index.json is found.
 * @example
 * ```ts
 * fs.existsSync(path.join(keywordsDir(), 'index.json')); // true
 * ```
 */
export function keywordsDir(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'data', 'keywords');
      if (readable(path.join(candidate, 'index.json'))) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new DataFormatError(`keywordsDir: no data/keywords/index.json above ${__dirname} or ${process.cwd()}; pass options.dir (the folder scripts/make-keywords.cjs writes)`);
}

/**
 * Builds one item's one-second clip: its WAV samples placed at `item.start`
 * (none for silence), plus white Gaussian noise of RMS `10^(noiseDb/20)`
 * drawn from `seededNormal(item.noiseSeed)`, clipped to [-1, 1].
 * @param voiced - the decoded WAV samples (undefined for silence).
 * @param clipSamples - the window's length in samples.
 * @param noise - whether to add the noise.
 * @returns `[clipSamples]` float32.
 * @throws {ArgumentError} when the voiced samples do not fit the window at `item.start`.
 * @example
 * ```ts
 * const clip = keywordClip({ noiseDb: -20, noiseSeed: 1 } as KeywordItem, undefined, 16000, true);
 * const rms = Math.sqrt(clip.reduce((s, v) => s + v * v, 0) / 16000);
 * Math.abs(rms - 0.1) < 0.002; // true (−20 dB is an RMS of 0.1)
 * ```
 * @see [Notebook 06c §Exercises](../../notebooks/06c-voice-assistant.ipynb#Exercises)
 */
export function keywordClip(item: KeywordItem, voiced: Float32Array | undefined, clipSamples: number, noise: boolean): Float32Array {
  const fn = 'keywordClip';
  const out = new Float32Array(clipSamples);
  if (voiced) {
    const start = item.start ?? 0;
    if (start < 0 || start + voiced.length > clipSamples) throw new ArgumentError(`${fn}: ${item.id}'s ${voiced.length} samples do not fit a window of ${clipSamples} at start ${describe(start)}`);
    out.set(voiced, start);
  }
  if (noise) {
    const normal = seededNormal(item.noiseSeed);
    const rms = 10 ** (item.noiseDb / 20);
    for (let i = 0; i < clipSamples; i++) out[i] = Math.max(-1, Math.min(1, out[i] + rms * normal()));
  }
  return out;
}

/** Items of one split, at most `perClass` per class, spread evenly over the split (which is ordered by voice). */
function selectItems(items: KeywordItem[], classes: string[], perClass: number | undefined): KeywordItem[] {
  if (perClass === undefined) return items;
  const keep = new Set<KeywordItem>();
  for (const c of classes) {
    const mine = items.filter((it) => it.label === c);
    const k = Math.min(perClass, mine.length);
    for (let j = 0; j < k; j++) keep.add(mine[Math.floor((j * mine.length) / k)]);
  }
  return items.filter((it) => keep.has(it));
}

/**
 * Loads the spoken-keyword data set: reads index.json and the clips' WAV
 * files (mu-law, 16 kHz), builds every one-second clip with
 * {@link keywordClip}, and splits them by voice into train, validation and test.
 * @throws {DataFormatError} when the folder, index or a WAV file is missing or malformed, or a file's sample rate is not the index's.
 * @throws {ArgumentError} when an option has the wrong type.
 * @example
 * ```ts
 * const data = await loadKeywords({ perClass: 2 });
 * data.classes.length; // 12
 * [data.train.n, data.test.n]; // [24, 24]
 * data.train.samples.length; // 384000 (24 clips · 16000 samples)
 * ```
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 */
export async function loadKeywords(options: LoadKeywordsOptions = {}): Promise<KeywordData> {
  const fn = 'loadKeywords';
  if (options == null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  if (options.dir !== undefined && typeof options.dir !== 'string') throw new ArgumentError(`${fn}: options.dir must be a folder path, got ${describe(options.dir)}`);
  if (options.perClass !== undefined) checkInteger(fn, 'options.perClass', options.perClass, 1);
  const noise = options.noise ?? true;
  if (typeof noise !== 'boolean') throw new ArgumentError(`${fn}: options.noise must be a boolean, got ${describe(noise)}`);
  const dir = options.dir ?? keywordsDir();
  let index: KeywordIndex;
  try {
    index = JSON.parse(await fs.promises.readFile(path.join(dir, 'index.json'), 'utf8')) as KeywordIndex;
  } catch (err) {
    throw new DataFormatError(`${fn}: cannot read ${path.join(dir, 'index.json')} (${(err as Error).message}); make it with: node scripts/make-keywords.cjs`);
  }
  if (!Array.isArray(index.items) || !Array.isArray(index.classes) || !Number.isInteger(index.clipSamples)) {
    throw new DataFormatError(`${fn}: ${path.join(dir, 'index.json')} lacks items, classes or clipSamples`);
  }
  const classOf = new Map(index.classes.map((c, i) => [c, i]));
  const load = async (split: KeywordSplit): Promise<KeywordClips> => {
    const items = selectItems(
      index.items.filter((it) => it.split === split),
      index.classes,
      options.perClass,
    );
    const samples = new Float32Array(items.length * index.clipSamples);
    const labels = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const label = classOf.get(item.label);
      if (label === undefined) throw new DataFormatError(`${fn}: item ${item.id} has label ${describe(item.label)}, not one of the index's classes`);
      labels[i] = label;
      let voiced: Float32Array | undefined;
      if (item.file) {
        const file = path.join(dir, item.file);
        const audio = readWav(new Uint8Array(await fs.promises.readFile(file)), file);
        if (audio.sampleRate !== index.sampleRate) throw new DataFormatError(`${fn}: ${file} is at ${audio.sampleRate} Hz, the index says ${index.sampleRate} Hz`);
        voiced = audio.samples;
      }
      samples.set(keywordClip(item, voiced, index.clipSamples, noise), i * index.clipSamples);
    }
    return { n: items.length, samples, labels, items };
  };
  const [train, validation, test] = await Promise.all(SPLITS.map(load));
  return { classes: [...index.classes], sampleRate: index.sampleRate, clipSamples: index.clipSamples, train, validation, test, dir, index };
}

/** Options of {@link keywordImages}: the features and their grey-level range. */
export interface KeywordImageConfig extends LogMelConfig {
  /** dB mapped to grey level 0 (quieter is clipped). */
  minDb: number;
  /** dB mapped to grey level 255 (louder is clipped). */
  maxDb: number;
}

/**
 * Turns clips into spectrogram images a CNN trains on like photos: each
 * clip's {@link logMelSpectrogram} as a `[numFrames, numMels, 1]` uint8 image
 * ({@link decibelsToUint8} over `[minDb, maxDb]`): time down, mel bands across.
 * @param clips - `n` clips of `clipSamples` samples, e.g. a split of {@link loadKeywords}.
 * @returns `{ n, pixels: [n, numFrames, numMels, 1] uint8, labels, imageShape }`.
 * @throws {ArgumentError} when `clips.samples` is not `n · clipSamples` long or the config is invalid.
 * @example
 * ```ts
 * const data = await loadKeywords({ perClass: 1 });
 * const config = { sampleRate: 16000, frameLength: 480, hop: 320, fftSize: 512, numMels: 40, fMin: 20, fMax: 8000, minDb: -60, maxDb: 40 };
 * keywordImages(data.test, data.clipSamples, config).imageShape; // [49, 40, 1]
 * ```
 * @see [Notebook 06c §4 The model: the chapter-05 CNN on spectrograms](../../notebooks/06c-voice-assistant.ipynb#4.-The-model:-the-chapter-05-CNN-on-spectrograms)
 */
export function keywordImages(clips: Pick<KeywordClips, 'n' | 'samples' | 'labels'>, clipSamples: number, config: KeywordImageConfig): LabeledExamples {
  const fn = 'keywordImages';
  checkInteger(fn, 'clipSamples', clipSamples, 1);
  if (clips == null || !(clips.samples instanceof Float32Array) || clips.samples.length !== clips.n * clipSamples) {
    throw new ArgumentError(`${fn}: clips must be { n, samples: Float32Array of n · clipSamples (${clipSamples}), labels }, got ${describe(clips)}`);
  }
  const filterbank = melFilterbank(config);
  let pixels = new Uint8Array(0);
  let shape: [number, number, number] = [0, config.numMels, 1];
  for (let i = 0; i < clips.n; i++) {
    const s = logMelSpectrogram(clips.samples.subarray(i * clipSamples, (i + 1) * clipSamples), config, filterbank);
    if (i === 0) {
      shape = [s.numFrames, s.numMels, 1];
      pixels = new Uint8Array(clips.n * s.values.length);
    }
    pixels.set(decibelsToUint8(s.values, config.minDb, config.maxDb), i * s.values.length);
  }
  return { n: clips.n, pixels, labels: Int32Array.from(clips.labels), imageShape: shape };
}
