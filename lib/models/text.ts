/**
 * Two small text classifiers for short messages: softmax regression on
 * fixed-length features (bag of words, TF-IDF), and a word-embedding model
 * that averages the embeddings of a message's words (the "fastText" shape of
 * Joulin et al., "Bag of Tricks for Efficient Text Classification", EACL 2017,
 * §2; Goodfellow, Bengio & Courville, "Deep Learning", §12.4.2 on word
 * embeddings).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInteger } from '../core/errors';

/** Options of {@link buildSoftmaxRegression}. */
export interface SoftmaxRegressionConfig {
  /** Features per example (e.g. the vocabulary size of TF-IDF features). */
  inputDim: number;
  /** Classes. */
  numClasses: number;
  /** Seed of the initial weights. @default 0 */
  seed?: number;
}

/**
 * Softmax (multinomial logistic) regression: one dense layer from
 * `[batch, inputDim]` float32 features to `[batch, numClasses]` softmax
 * probabilities; `inputDim · numClasses + numClasses` parameters.
 * @throws {ArgumentError} when a size is not an integer ≥ 1 (`numClasses` ≥ 2).
 * @example
 * ```ts
 * buildSoftmaxRegression({ inputDim: 100, numClasses: 11 }).countParams(); // 1111
 * ```
 * @see [Notebook 06 §3 Bag of words and TF-IDF](../../notebooks/06-customer-service.ipynb#3.-Bag-of-words-and-TF-IDF)
 */
export function buildSoftmaxRegression(config: SoftmaxRegressionConfig): tf.LayersModel {
  const fn = 'buildSoftmaxRegression';
  const inputDim = checkInteger(fn, 'config.inputDim', config?.inputDim, 1);
  const numClasses = checkInteger(fn, 'config.numClasses', config?.numClasses, 2);
  const seed = checkInteger(fn, 'config.seed', config?.seed ?? 0, 0);
  return tf.sequential({
    name: 'softmax_regression',
    layers: [tf.layers.dense({ inputShape: [inputDim], units: numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }), name: 'probabilities' })],
  });
}

/** Options of {@link buildEmbeddingClassifier}. */
export interface EmbeddingClassifierConfig {
  /** Ids of the vocabulary, `<pad>` (0) and `<unk>` (1) included. */
  vocabularySize: number;
  /** Token ids per message (shorter messages padded with 0, longer ones cut). */
  sequenceLength: number;
  /** Numbers per word vector. @default 16 */
  embeddingDim?: number;
  /** Classes. */
  numClasses: number;
  /** Seed of the initial weights. @default 0 */
  seed?: number;
}

/**
 * Embedding, average, softmax: `[batch, sequenceLength]` int32 token ids →
 * embedding `[batch, sequenceLength, embeddingDim]` → mean over the
 * sequence `[batch, embeddingDim]` → dense softmax `[batch, numClasses]`.
 * The average includes the padding positions (TF.js's global pooling takes
 * no mask), so `<pad>`'s vector is learned like any word's.
 * `vocabularySize · embeddingDim + embeddingDim · numClasses + numClasses` parameters.
 * @throws {ArgumentError} when a size is not an integer ≥ 1 (`numClasses` ≥ 2).
 * @example
 * ```ts
 * const model = buildEmbeddingClassifier({ vocabularySize: 500, sequenceLength: 20, embeddingDim: 16, numClasses: 11 });
 * model.countParams(); // 8187 (500·16 + 16·11 + 11)
 * model.outputs[0].shape; // [null, 11]
 * ```
 * @see [Notebook 06 §4 A small embedding model](../../notebooks/06-customer-service.ipynb#4.-A-small-embedding-model)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 */
export function buildEmbeddingClassifier(config: EmbeddingClassifierConfig): tf.LayersModel {
  const fn = 'buildEmbeddingClassifier';
  const vocabularySize = checkInteger(fn, 'config.vocabularySize', config?.vocabularySize, 2);
  const sequenceLength = checkInteger(fn, 'config.sequenceLength', config?.sequenceLength, 1);
  const embeddingDim = checkInteger(fn, 'config.embeddingDim', config?.embeddingDim ?? 16, 1);
  const numClasses = checkInteger(fn, 'config.numClasses', config?.numClasses, 2);
  const seed = checkInteger(fn, 'config.seed', config?.seed ?? 0, 0);
  return tf.sequential({
    name: 'embedding_classifier',
    layers: [
      // [batch, sequenceLength] ids → [batch, sequenceLength, embeddingDim]
      tf.layers.embedding({ inputDim: vocabularySize, outputDim: embeddingDim, inputLength: sequenceLength, inputShape: [sequenceLength], embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }), name: 'embedding' }),
      // → [batch, embeddingDim]: the mean word vector of the message
      tf.layers.globalAveragePooling1d({ name: 'mean_over_words' }),
      // → [batch, numClasses]
      tf.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), name: 'probabilities' }),
    ],
  });
}
