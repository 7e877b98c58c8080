/**
 * Fixed-length features of texts: bag-of-words counts and TF-IDF weights, the
 * latter as scikit-learn's `TfidfVectorizer` computes them by default (smooth
 * idf, L2-normalised rows; Manning, Raghavan & Schütze, "Introduction to
 * Information Retrieval", §6.2–6.3; scikit-learn user guide §6.2.3.4).
 */
import { ArgumentError, describe } from '../core/errors';
import { tokenize, type Vocabulary } from './tokenizer';

function checkTexts(fn: string, texts: readonly string[]): void {
  if (!Array.isArray(texts)) throw new ArgumentError(`${fn}: texts must be an array of strings, got ${describe(texts)}`);
  texts.forEach((t, i) => {
    if (typeof t !== 'string') throw new ArgumentError(`${fn}: texts[${i}] must be a string, got ${describe(t)}`);
  });
}

function checkCounts(fn: string, counts: Float32Array, vocabularySize: number): number {
  if (!(counts instanceof Float32Array)) throw new ArgumentError(`${fn}: counts must be a Float32Array [n, vocabularySize] (from bagOfWords), got ${describe(counts)}`);
  if (!Number.isInteger(vocabularySize) || vocabularySize < 1) throw new ArgumentError(`${fn}: vocabularySize must be an integer >= 1, got ${describe(vocabularySize)}`);
  if (counts.length % vocabularySize !== 0) throw new ArgumentError(`${fn}: counts has ${counts.length} values, not a multiple of vocabularySize = ${vocabularySize}`);
  return counts.length / vocabularySize;
}

/**
 * Bag of words: for each text, how many times each vocabulary word occurs in
 * it; word order is lost. Unknown words count in column 1 (`<unk>`); column 0
 * (`<pad>`) stays 0.
 * @param texts - `[n]` raw strings (tokenized with `tokenize`).
 * @param vocabulary - the vocabulary fitted on the training texts.
 * @returns `[n, vocabulary.size]` float32 counts, row-major.
 * @throws {ArgumentError} when `texts` is not an array of strings.
 * @example
 * ```ts
 * const vocab = Vocabulary.fit([['my', 'order', 'my']]);
 * Array.from(bagOfWords(['My order, my parcel'], vocab)); // [0, 1, 2, 1] (<pad>, <unk>: parcel, my ×2, order)
 * ```
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 */
export function bagOfWords(texts: readonly string[], vocabulary: Vocabulary): Float32Array {
  checkTexts('bagOfWords', texts);
  const V = vocabulary.size;
  const out = new Float32Array(texts.length * V); // [n, V]
  texts.forEach((text, i) => {
    for (const id of vocabulary.encode(tokenize(text))) out[i * V + id]++;
  });
  return out;
}

/**
 * Smoothed inverse document frequency of each word, from the training
 * texts' bag-of-words counts: `idf(t) = ln((1 + n) / (1 + df(t))) + 1`, where
 * `df(t)` is the number of texts containing `t` (scikit-learn's default,
 * `smooth_idf=True`: as if one extra text contained every word once, so no
 * division by zero; the `+ 1` keeps words found in every text). A column
 * that no training text contains gets idf 0: `<pad>`, and `<unk>` when every
 * training word is in the vocabulary. A model never sees such a column
 * during training, so its weights there stay at their random initial
 * values; weight 0 ignores it, as scikit-learn ignores words outside its
 * vocabulary (which holds only training words).
 * @param counts - `[n, vocabularySize]` float32 counts of the training texts (from {@link bagOfWords}).
 * @param vocabularySize - columns of `counts`.
 * @returns `[vocabularySize]` float32 weights: ≥ 1, or 0 for a column no text contains.
 * @throws {ArgumentError} when `counts` is not a Float32Array whose length is a multiple of `vocabularySize`.
 * @example
 * ```ts
 * // 2 texts; word 0 in both, word 1 in one, word 2 in none: idf = ln(3/3) + 1, ln(3/2) + 1, and 0.
 * Array.from(inverseDocumentFrequency(new Float32Array([1, 2, 0, 3, 0, 0]), 3)); // [1, 1.4055, 0]
 * ```
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §Exercises](../../notebooks/06-customer-service.ipynb#Exercises)
 */
export function inverseDocumentFrequency(counts: Float32Array, vocabularySize: number): Float32Array {
  const n = checkCounts('inverseDocumentFrequency', counts, vocabularySize);
  const df = new Float64Array(vocabularySize);
  for (let i = 0; i < n; i++) for (let t = 0; t < vocabularySize; t++) if (counts[i * vocabularySize + t] > 0) df[t]++;
  return Float32Array.from(df, (d) => (d === 0 ? 0 : Math.log((1 + n) / (1 + d)) + 1));
}

/**
 * TF-IDF features: each count times its word's idf, then each row divided
 * by its Euclidean (L2) length, so long and short messages are comparable; a
 * row of zeros stays zeros.
 * @param counts - `[n, V]` float32 bag-of-words counts (any texts: training, validation, test).
 * @param idf - `[V]` float32 weights from {@link inverseDocumentFrequency} of the **training** texts.
 * @returns `[n, V]` float32, each non-zero row of L2 norm 1.
 * @throws {ArgumentError} when `idf` is not a Float32Array or `counts`' length is not a multiple of its length.
 * @example
 * ```ts
 * // One text: word 0 twice (idf 1), word 1 once (idf 2): (2, 2) / √8.
 * Array.from(tfIdf(new Float32Array([2, 1]), new Float32Array([1, 2]))); // [0.7071, 0.7071]
 * ```
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §Exercises](../../notebooks/06-customer-service.ipynb#Exercises)
 */
export function tfIdf(counts: Float32Array, idf: Float32Array): Float32Array {
  if (!(idf instanceof Float32Array)) throw new ArgumentError(`tfIdf: idf must be a Float32Array [V] (from inverseDocumentFrequency), got ${describe(idf)}`);
  const V = idf.length;
  const n = checkCounts('tfIdf', counts, V);
  const out = new Float32Array(counts.length); // [n, V]
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let t = 0; t < V; t++) {
      const w = counts[i * V + t] * idf[t];
      out[i * V + t] = w;
      sq += w * w;
    }
    if (sq > 0) {
      const norm = Math.sqrt(sq);
      for (let t = 0; t < V; t++) out[i * V + t] /= norm;
    }
  }
  return out;
}
