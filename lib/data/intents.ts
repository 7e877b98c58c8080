/**
 * The course's customer-service intent data set (data/intents/intents.jsonl,
 * written by the project, CC0; its datasheet is data/intents/README.md): short
 * customer messages, each labelled with one of ten intents or `other`, with a
 * fixed training / validation / test split.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, DataFormatError, describe } from '../core/errors';

/** The intents, in label order: label i is `INTENT_NAMES[i]`; `other` (the last) is a message none of the ten covers. */
export const INTENT_NAMES = [
  'order_status',
  'cancel_order',
  'refund',
  'return_item',
  'delivery_options',
  'change_address',
  'reset_password',
  'payment_issue',
  'human_agent',
  'opening_hours',
  'other',
] as const;

/** One of {@link INTENT_NAMES}. */
export type IntentName = (typeof INTENT_NAMES)[number];

/** The splits of the data set. */
export const INTENT_SPLITS = ['train', 'validation', 'test'] as const;

/**
 * Labelled texts: `texts[i]` has the label `labels[i]`, an index into {@link INTENT_NAMES}.
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 */
export interface LabeledTexts {
  /** `[n]` the messages. */
  texts: string[];
  /** `[n]` int32 intent indices. */
  labels: Int32Array;
}

/** The data set, split. */
export interface IntentData {
  /** Fits the model (and the vocabulary, and the idf weights). */
  train: LabeledTexts;
  /** Chooses the confidence threshold and compares models. */
  validation: LabeledTexts;
  /** Used once, at the end. */
  test: LabeledTexts;
  /** {@link INTENT_NAMES}. */
  intentNames: readonly IntentName[];
}

/**
 * A file of the course's data folder (data/ at the package root: two
 * folders above this file in lib/data/, three in dist/lib/data/). Found
 * without probing other folders, so that it works where only the package's
 * files may be read (the grader's sandbox, scripts/grade.cjs).
 */
function packageDataFile(...parts: string[]): string {
  const up = path.basename(path.dirname(path.dirname(__dirname))) === 'dist' ? 3 : 2;
  const root = path.resolve(__dirname, ...Array<string>(up).fill('..'));
  return path.join(root, 'data', ...parts);
}

/**
 * The data set file shipped with the course: `data/intents/intents.jsonl` at
 * the package root.
 * @example
 * ```ts
 * defaultIntentsFile().endsWith('intents.jsonl'); // true
 * ```
 */
export function defaultIntentsFile(): string {
  return packageDataFile('intents', 'intents.jsonl');
}

/**
 * Parses the data set's JSON Lines text: one object
 * `{"intent": …, "text": …, "split": …}` per line (blank lines skipped).
 * @param source - the file's text.
 * @param file - its name, for messages. @default 'intents.jsonl'
 * @throws {DataFormatError} naming the line when it is not JSON, or its intent, text or split is not valid.
 * @example
 * ```ts
 * const data = parseIntents('{"intent": "refund", "text": "Money back please", "split": "train"}\n');
 * data.train.texts; // ['Money back please']
 * Array.from(data.train.labels); // [2]
 * parseIntents('{"intent": "weather", "text": "rain?", "split": "train"}'); // throws DataFormatError: parseIntents: intents.jsonl line 1: intent "weather" is not one of order_status
 * ```
 */
export function parseIntents(source: string, file = 'intents.jsonl'): IntentData {
  if (typeof source !== 'string') throw new ArgumentError(`parseIntents: source must be a string (the file's text), got ${describe(source)}`);
  const parts: Record<string, { texts: string[]; labels: number[] }> = { train: { texts: [], labels: [] }, validation: { texts: [], labels: [] }, test: { texts: [], labels: [] } };
  source.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `parseIntents: ${file} line ${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new DataFormatError(`${where} is not JSON (${(err as Error).message})`);
    }
    const { intent, text, split } = (row ?? {}) as Record<string, unknown>;
    const label = INTENT_NAMES.indexOf(intent as IntentName);
    if (label < 0) throw new DataFormatError(`${where}: intent ${JSON.stringify(intent)} is not one of ${INTENT_NAMES.join(', ')}`);
    if (typeof text !== 'string' || text.trim() === '') throw new DataFormatError(`${where}: text must be a non-empty string, got ${describe(text)}`);
    if (!(INTENT_SPLITS as readonly unknown[]).includes(split)) throw new DataFormatError(`${where}: split ${JSON.stringify(split)} is not one of ${INTENT_SPLITS.join(', ')}`);
    parts[split as string].texts.push(text);
    parts[split as string].labels.push(label);
  });
  const out = (s: string): LabeledTexts => ({ texts: parts[s].texts, labels: Int32Array.from(parts[s].labels) });
  return { train: out('train'), validation: out('validation'), test: out('test'), intentNames: INTENT_NAMES };
}

/**
 * Loads the intent data set: the file shipped with the course by default.
 * @param file - a JSON Lines file in the format of {@link parseIntents}. @default data/intents/intents.jsonl
 * @throws {DataFormatError} when a line is not valid (see {@link parseIntents}).
 * @example
 * ```ts
 * const data = loadIntents();
 * [data.train.texts.length, data.validation.texts.length, data.test.texts.length]; // [396, 99, 165]
 * data.intentNames[data.train.labels[0]]; // 'order_status'
 * ```
 * @see [Notebook 06 §1 The data](../../notebooks/06-customer-service.ipynb#1.-The-data)
 */
export function loadIntents(file: string = defaultIntentsFile()): IntentData {
  if (typeof file !== 'string') throw new ArgumentError(`loadIntents: file must be a path, got ${describe(file)}`);
  return parseIntents(fs.readFileSync(file, 'utf8'), path.basename(file));
}
