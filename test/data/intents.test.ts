import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError, INTENT_NAMES, defaultIntentsFile, loadIntents, parseIntents, tokenize } from '../../lib';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the intent data set (data/intents)', () => {
  const data = loadIntents();
  const splits = { train: data.train, validation: data.validation, test: data.test };

  it('is the file shipped at data/intents/intents.jsonl', () => {
    expect(defaultIntentsFile()).toBe(path.join(ROOT, 'data', 'intents', 'intents.jsonl'));
  });
  it('has 60 messages of each of the 11 intents: 36 train, 9 validation, 15 test (the datasheet’s table)', () => {
    expect(INTENT_NAMES).toHaveLength(11);
    expect(INTENT_NAMES[10]).toBe('other');
    const per = { train: 36, validation: 9, test: 15 };
    for (const [name, split] of Object.entries(splits)) {
      for (let c = 0; c < INTENT_NAMES.length; c++) expect(split.labels.filter((y) => y === c).length, `${name} ${INTENT_NAMES[c]}`).toBe(per[name as keyof typeof per]);
    }
    const readme = fs.readFileSync(path.join(ROOT, 'data', 'intents', 'README.md'), 'utf8');
    expect(readme).toContain('| total | | 396 | 99 | 165 | 660 |');
    expect(readme).toMatch(/CC0 1\.0/);
  });
  it('has no message twice, even after tokenizing (so no test message is a training message with other case or punctuation)', () => {
    const seen = new Map<string, string>();
    for (const [name, split] of Object.entries(splits)) {
      for (const t of split.texts) {
        const key = tokenize(t).join(' ');
        expect(seen.get(key), `"${t}" (${name}) repeats a message of ${seen.get(key)}`).toBeUndefined();
        seen.set(key, name);
      }
    }
    expect(seen.size).toBe(660);
  });
  it('has short messages: 1 to 13 tokens (the datasheet)', () => {
    const lengths = Object.values(splits).flatMap((s) => s.texts.map((t) => tokenize(t).length));
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...lengths)).toBe(13);
    expect(fs.readFileSync(path.join(ROOT, 'data', 'intents', 'README.md'), 'utf8')).toContain('Messages have 1 to 13 word tokens');
  });
});

describe('parseIntents', () => {
  it('reads one object per line, skipping blank lines', () => {
    const d = parseIntents('{"intent": "refund", "text": "Money back please", "split": "train"}\n\n{"intent": "other", "text": "hi", "split": "test"}\n');
    expect(d.train.texts).toEqual(['Money back please']);
    expect(Array.from(d.train.labels)).toEqual([2]);
    expect(Array.from(d.test.labels)).toEqual([10]);
    expect(d.validation.texts).toEqual([]);
  });
  it('names the file and line of a bad row', () => {
    expect(() => parseIntents('{"intent": "weather", "text": "rain?", "split": "train"}', 'x.jsonl')).toThrow(/parseIntents: x.jsonl line 1: intent "weather" is not one of order_status/);
    expect(() => parseIntents('\n{"intent": "refund", "text": "", "split": "train"}')).toThrow(/line 2: text must be a non-empty string/);
    expect(() => parseIntents('{"intent": "refund", "text": "a", "split": "dev"}')).toThrow(/split "dev" is not one of train, validation, test/);
    expect(() => parseIntents('{intent: refund}')).toThrow(DataFormatError);
    expect(() => parseIntents('null')).toThrow(DataFormatError);
  });
});
