/**
 * Text to tokens to integer ids: a word tokenizer (Unicode NFKC, lower case,
 * punctuation dropped) and a {@link Vocabulary} fitted on the training texts
 * only, with `<pad>` = 0 and `<unk>` = 1 for words it has not seen (Jurafsky &
 * Martin, "Speech and Language Processing", 3rd ed. draft, §2.2 words and
 * tokens, §3.3.1 unknown words; Keras's `Tokenizer` with `oov_token`).
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';

/** Id of the padding token `<pad>` (fills sequences up to a fixed length). */
export const PAD_ID = 0;
/**
 * Id of the unknown-word token `<unk>` (any word not in the vocabulary).
 * @see [Notebook 06 §2 Tokens and a vocabulary](../../notebooks/06-customer-service.ipynb#2.-Tokens-and-a-vocabulary)
 * @see [Notebook 06 §7 Try it](../../notebooks/06-customer-service.ipynb#7.-Try-it)
 */
export const UNK_ID = 1;

// A token: letters or digits, with apostrophes inside a word kept (don't, o'clock).
const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * Splits a text into lower-case word tokens: NFKC normalisation (full-width
 * letters become ASCII, ligatures split), lower case, then runs of letters
 * and digits; an apostrophe inside a word stays (`don't`, with ’ read as ');
 * every other character (punctuation, spaces, emoji) separates tokens.
 * @param text - any string.
 * @returns the tokens in order; `[]` for a text without letters or digits.
 * @throws {ArgumentError} when `text` is not a string.
 * @example
 * ```ts
 * tokenize("Where's my ORDER #4821?!"); // ["where's", 'my', 'order', '4821']
 * tokenize('café — naïve'); // ['café', 'naïve']
 * tokenize('...'); // []
 * ```
 * @see [Notebook 06 §2 Tokens and a vocabulary](../../notebooks/06-customer-service.ipynb#2.-Tokens-and-a-vocabulary)
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 * @see [Notebook 06 §7 Try it](../../notebooks/06-customer-service.ipynb#7.-Try-it)
 */
export function tokenize(text: string): string[] {
  if (typeof text !== 'string') throw new ArgumentError(`tokenize: text must be a string, got ${describe(text)}`);
  const normalized = text.normalize('NFKC').toLowerCase().replace(/’/g, "'");
  return normalized.match(TOKEN) ?? [];
}

/** Options of {@link Vocabulary.fit}. */
export interface VocabularyOptions {
  /** Keep a word only when it occurs at least this many times in the texts. @default 1 */
  minCount?: number;
  /** Keep at most this many words (the most frequent; ties in alphabetical order), besides `<pad>` and `<unk>`. @default no limit */
  maxWords?: number;
}

/**
 * A fixed map from words to integer ids: `<pad>` is 0, `<unk>` is 1, the
 * words follow from most to least frequent (ties in alphabetical order, so a
 * fit is reproducible). Fit it on the **training** texts only: a word seen
 * only in the test texts is then `<unk>`, as it would be for a new message.
 * @example
 * ```ts
 * const vocab = Vocabulary.fit([['my', 'order'], ['my', 'refund']]);
 * vocab.size; // 5 (<pad>, <unk>, my, order, refund)
 * vocab.encode(['my', 'parcel']); // [2, 1] (parcel is unknown)
 * vocab.word(2); // 'my'
 * ```
 * @see [Notebook 06 §2 Tokens and a vocabulary](../../notebooks/06-customer-service.ipynb#2.-Tokens-and-a-vocabulary)
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 */
export class Vocabulary {
  /** `[size]` the word of each id; `words[0]` is `<pad>`, `words[1]` `<unk>`. */
  readonly words: readonly string[];
  /** `[size]` how often each word occurred in the texts it was fitted on (0 for `<pad>`; `<unk>`: the dropped words' occurrences). */
  readonly counts: readonly number[];
  private readonly ids: Map<string, number>;

  private constructor(words: string[], counts: number[]) {
    this.words = Object.freeze(words);
    this.counts = Object.freeze(counts);
    this.ids = new Map(words.map((w, i) => [w, i]));
  }

  /**
   * Builds the vocabulary of tokenized texts.
   * @param texts - the token lists of the training texts (from {@link tokenize}).
   * @throws {ArgumentError} when `texts` is not an array of string arrays, or an option is not an integer ≥ 1.
   */
  static fit(texts: readonly (readonly string[])[], options: VocabularyOptions = {}): Vocabulary {
    const fn = 'Vocabulary.fit';
    if (!Array.isArray(texts)) throw new ArgumentError(`${fn}: texts must be an array of token arrays (tokenize each text first), got ${describe(texts)}`);
    const minCount = checkInteger(fn, 'options.minCount', options.minCount ?? 1, 1);
    const maxWords = options.maxWords === undefined ? Infinity : checkInteger(fn, 'options.maxWords', options.maxWords, 1);
    const counts = new Map<string, number>();
    texts.forEach((tokens, i) => {
      if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string')) {
        throw new ArgumentError(`${fn}: texts[${i}] must be an array of strings (tokens), got ${describe(tokens)}`);
      }
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    });
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const kept = sorted.filter(([, c]) => c >= minCount).slice(0, maxWords);
    const dropped = sorted.reduce((s, [, c]) => s + c, 0) - kept.reduce((s, [, c]) => s + c, 0);
    return new Vocabulary(['<pad>', '<unk>', ...kept.map(([w]) => w)], [0, dropped, ...kept.map(([, c]) => c)]);
  }

  /** Number of ids, `<pad>` and `<unk>` included. */
  get size(): number {
    return this.words.length;
  }

  /** The id of `word`, or {@link UNK_ID} when it is not in the vocabulary. */
  id(word: string): number {
    return this.ids.get(word) ?? UNK_ID;
  }

  /**
   * The word of `id`.
   * @throws {ArgumentError} when `id` is not an integer in [0, size).
   */
  word(id: number): string {
    checkInteger('Vocabulary.word', 'id', id, 0, this.size - 1);
    return this.words[id];
  }

  /**
   * The ids of `tokens`, `<unk>` (1) for a word not in the vocabulary.
   * @throws {ArgumentError} when `tokens` is not an array of strings.
   */
  encode(tokens: readonly string[]): number[] {
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string')) {
      throw new ArgumentError(`Vocabulary.encode: tokens must be an array of strings (tokenize the text first), got ${describe(tokens)}`);
    }
    return tokens.map((t) => this.id(t));
  }

  /**
   * Texts as one fixed-length matrix of ids: each text tokenized, encoded,
   * cut after `sequenceLength` tokens or filled with `<pad>` (0) after its
   * last token (post-padding and post-truncation).
   * @param texts - `[n]` raw strings.
   * @param sequenceLength - tokens per row, ≥ 1.
   * @returns `[n, sequenceLength]` int32 ids, row-major.
   * @throws {ArgumentError} when `texts` is not an array of strings or `sequenceLength` is not an integer ≥ 1.
   * @example
   * ```ts
   * const vocab = Vocabulary.fit([['my', 'order']]);
   * Array.from(vocab.encodeTexts(['My order?', 'my lost order is late'], 3)); // [2, 3, 0, 2, 1, 3]
   * ```
   */
  encodeTexts(texts: readonly string[], sequenceLength: number): Int32Array {
    const fn = 'Vocabulary.encodeTexts';
    if (!Array.isArray(texts)) throw new ArgumentError(`${fn}: texts must be an array of strings, got ${describe(texts)}`);
    checkInteger(fn, 'sequenceLength', sequenceLength, 1);
    const out = new Int32Array(texts.length * sequenceLength); // [n, sequenceLength], PAD_ID = 0 already
    texts.forEach((text, i) => {
      if (typeof text !== 'string') throw new ArgumentError(`${fn}: texts[${i}] must be a string, got ${describe(text)}`);
      const ids = this.encode(tokenize(text)).slice(0, sequenceLength);
      out.set(ids, i * sequenceLength);
    });
    return out;
  }
}
