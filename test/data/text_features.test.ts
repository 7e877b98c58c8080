import { describe, expect, it } from 'vitest';
import { ArgumentError, Vocabulary, bagOfWords, inverseDocumentFrequency, tfIdf, tokenize } from '../../lib';

describe('bagOfWords', () => {
  it('counts each vocabulary word per text, unknown words in column 1', () => {
    const v = Vocabulary.fit([['my', 'order', 'my']]); // <pad>, <unk>, my, order
    expect(Array.from(bagOfWords(['My order, my parcel', ''], v))).toEqual([0, 1, 2, 1, 0, 0, 0, 0]);
  });
  it('rejects a text that is not a string', () => {
    const v = Vocabulary.fit([['a']]);
    expect(() => bagOfWords([1] as unknown as string[], v)).toThrow(/bagOfWords: texts\[0\] must be a string/);
    expect(() => bagOfWords('a' as unknown as string[], v)).toThrow(ArgumentError);
  });
});

describe('TF-IDF, against a hand computation', () => {
  // Three texts; vocabulary <pad>, <unk>, then: a ×3 (in all 3 texts), b ×2 (texts 0 and 1), c ×1 (text 2).
  const texts = ['a b', 'a b a', 'c'];
  const train = ['a b', 'a b', 'a c'];
  const v = Vocabulary.fit(train.map(tokenize));
  it('idf(t) = ln((1 + n) / (1 + df)) + 1 on the training texts, 0 where df = 0 (<pad>, <unk>)', () => {
    expect(v.words).toEqual(['<pad>', '<unk>', 'a', 'b', 'c']);
    const idf = inverseDocumentFrequency(bagOfWords(train, v), v.size);
    // n = 3; df: <pad> 0, <unk> 0, a 3, b 2, c 1.
    const hand = [0, 0, Math.log(4 / 4) + 1, Math.log(4 / 3) + 1, Math.log(4 / 2) + 1];
    Array.from(idf).forEach((x, i) => expect(x).toBeCloseTo(hand[i], 6));
  });
  it('rows are counts × idf, divided by their L2 norm', () => {
    const idf = inverseDocumentFrequency(bagOfWords(train, v), v.size);
    const X = tfIdf(bagOfWords(texts, v), idf);
    const ia = 1;
    const ib = Math.log(4 / 3) + 1;
    const ic = Math.log(2) + 1;
    // 'a b a': (2·ia, ib) / √((2·ia)² + ib²).
    const n1 = Math.hypot(2 * ia, ib);
    expect(Array.from(X.subarray(5, 10)).map((x) => +x.toFixed(6))).toEqual([0, 0, +((2 * ia) / n1).toFixed(6), +(ib / n1).toFixed(6), 0]);
    // 'c' alone: (0, 0, 0, 0, 1).
    expect(Array.from(X.subarray(10, 15))).toEqual([0, 0, 0, 0, 1]);
    expect(ic).toBeGreaterThan(ib); // the rarer word weighs more
    for (let i = 0; i < 3; i++) expect(Math.hypot(...X.subarray(i * 5, i * 5 + 5))).toBeCloseTo(1, 6);
  });
  it('matches the docstring examples (scikit-learn TfidfVectorizer defaults: smooth idf, L2 rows)', () => {
    expect(Array.from(inverseDocumentFrequency(new Float32Array([1, 2, 0, 3, 0, 0]), 3)).map((x) => +x.toFixed(4))).toEqual([1, 1.4055, 0]);
    expect(Array.from(tfIdf(new Float32Array([2, 1]), new Float32Array([1, 2]))).map((x) => +x.toFixed(4))).toEqual([0.7071, 0.7071]);
  });
  it('ignores unknown words: a test text of unknown words only gives a zero row', () => {
    const idf = inverseDocumentFrequency(bagOfWords(train, v), v.size);
    expect(Array.from(tfIdf(bagOfWords(['zebra', 'zebra b'], v), idf)).map((x) => +x.toFixed(6))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  });
  it('leaves an all-zero row at zero', () => {
    expect(Array.from(tfIdf(new Float32Array([0, 0]), new Float32Array([1, 2])))).toEqual([0, 0]);
  });
  it('rejects counts that do not fit the vocabulary, or a non-Float32Array', () => {
    expect(() => inverseDocumentFrequency(new Float32Array(5), 3)).toThrow(/5 values, not a multiple of vocabularySize = 3/);
    expect(() => inverseDocumentFrequency([1, 2] as unknown as Float32Array, 2)).toThrow(/counts must be a Float32Array/);
    expect(() => inverseDocumentFrequency(new Float32Array(4), 0)).toThrow(/vocabularySize must be an integer >= 1/);
    expect(() => tfIdf(new Float32Array(4), [1, 2, 3] as unknown as Float32Array)).toThrow(/tfIdf: idf must be a Float32Array/);
    expect(() => tfIdf(new Float32Array(4), new Float32Array(3))).toThrow(ArgumentError);
  });
});
