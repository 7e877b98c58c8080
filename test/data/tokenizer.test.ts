import { describe, expect, it } from 'vitest';
import { ArgumentError, PAD_ID, UNK_ID, Vocabulary, tokenize } from '../../lib';

describe('tokenize', () => {
  it('lower-cases and drops punctuation, keeping digits and apostrophes inside words', () => {
    expect(tokenize("Where's my ORDER #4821?!")).toEqual(["where's", 'my', 'order', '4821']);
  });
  it('reads the typographic apostrophe as the ASCII one', () => {
    expect(tokenize('I don’t know')).toEqual(['i', "don't", 'know']);
  });
  it('drops an apostrophe at the start or end of a word (quotes), not inside it', () => {
    expect(tokenize("'preparing' o'clock")).toEqual(['preparing', "o'clock"]);
  });
  it('keeps accented letters and splits on dashes, slashes and emoji', () => {
    expect(tokenize('café — naïve/voilà 😀ok')).toEqual(['café', 'naïve', 'voilà', 'ok']);
  });
  it('normalises full-width letters with NFKC', () => {
    expect(tokenize('ＲＥＦＵＮＤ')).toEqual(['refund']);
  });
  it('gives [] for an empty text or one without letters or digits', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ...?! ')).toEqual([]);
  });
  it('rejects a non-string, naming the function and argument', () => {
    expect(() => tokenize(42 as unknown as string)).toThrow(ArgumentError);
    expect(() => tokenize(null as unknown as string)).toThrow(/tokenize: text must be a string, got null/);
  });
});

describe('Vocabulary', () => {
  const texts = [
    ['my', 'order', 'is', 'late'],
    ['my', 'refund'],
    ['order', 'my', 'refund'],
  ];

  it('puts <pad> at 0, <unk> at 1, then words by count, ties alphabetical', () => {
    const v = Vocabulary.fit(texts);
    expect(PAD_ID).toBe(0);
    expect(UNK_ID).toBe(1);
    // my ×3; order ×2, refund ×2; is ×1, late ×1.
    expect(v.words).toEqual(['<pad>', '<unk>', 'my', 'order', 'refund', 'is', 'late']);
    expect(v.counts).toEqual([0, 0, 3, 2, 2, 1, 1]);
    expect(v.size).toBe(7);
  });
  it('maps unknown words to <unk> (1)', () => {
    const v = Vocabulary.fit(texts);
    expect(v.encode(['my', 'parcel', 'order'])).toEqual([2, 1, 3]);
    expect(v.id('parcel')).toBe(UNK_ID);
    expect(v.word(4)).toBe('refund');
  });
  it('minCount drops rare words, counting their occurrences under <unk>', () => {
    const v = Vocabulary.fit(texts, { minCount: 2 });
    expect(v.words).toEqual(['<pad>', '<unk>', 'my', 'order', 'refund']);
    expect(v.counts[UNK_ID]).toBe(2); // is, late
    expect(v.encode(['late'])).toEqual([UNK_ID]);
  });
  it('maxWords keeps the most frequent words', () => {
    expect(Vocabulary.fit(texts, { maxWords: 2 }).words).toEqual(['<pad>', '<unk>', 'my', 'order']);
  });
  it('does not depend on the order of the texts', () => {
    expect(Vocabulary.fit([...texts].reverse()).words).toEqual(Vocabulary.fit(texts).words);
  });
  it('encodeTexts tokenizes, pads with 0 after the last token and cuts long texts', () => {
    const v = Vocabulary.fit([['my', 'order']]);
    expect(Array.from(v.encodeTexts(['My order?', 'my lost order is late', ''], 3))).toEqual([2, 3, 0, 2, 1, 3, 0, 0, 0]);
  });
  it('rejects bad input with the argument named', () => {
    expect(() => Vocabulary.fit('my order' as unknown as string[][])).toThrow(/Vocabulary.fit: texts must be an array of token arrays/);
    expect(() => Vocabulary.fit(['my order'] as unknown as string[][])).toThrow(/texts\[0\] must be an array of strings/);
    expect(() => Vocabulary.fit(texts, { minCount: 0 })).toThrow(/options.minCount/);
    expect(() => Vocabulary.fit(texts, { maxWords: 1.5 })).toThrow(/options.maxWords/);
    const v = Vocabulary.fit(texts);
    expect(() => v.encode('my order' as unknown as string[])).toThrow(/Vocabulary.encode: tokens must be an array of strings/);
    expect(() => v.encodeTexts(['ok'], 0)).toThrow(/sequenceLength/);
    expect(() => v.encodeTexts([3] as unknown as string[], 2)).toThrow(/texts\[0\] must be a string, got number 3/);
    expect(() => v.word(7)).toThrow(ArgumentError);
  });
});
