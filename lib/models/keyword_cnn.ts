/**
 * A small CNN for spoken keywords: the chapter-05 CNN ({@link buildCifar10Cnn},
 * two 3×3 convolutions with max pooling, then two dense layers) on one-channel
 * log-mel spectrogram images, time down and mel bands across, as in Sainath &
 * Parada, "Convolutional Neural Networks for Small-footprint Keyword
 * Spotting", Interspeech 2015 (a CNN on 40 log-mel bands).
 */
import type * as tf from '@tensorflow/tfjs';
import { checkInteger } from '../core/errors';
import { buildCifar10Cnn } from './cnn';

/** Hyperparameters of {@link buildKeywordCnn}. */
export interface KeywordCnnConfig {
  /** Frames (time steps) of a spectrogram, e.g. 49. */
  numFrames: number;
  /** Mel bands, e.g. 40. */
  numMels: number;
  /** Classes (keywords, silence, unknown), e.g. 12. */
  numClasses: number;
  /** Filters of the two convolutions. @default [16, 32] */
  filters?: [number, number];
  /** Units of the hidden dense layer. @default 64 */
  denseUnits?: number;
  /** Seed of the initial weights. @default undefined (random) */
  seed?: number;
}

/**
 * Builds the keyword CNN: `[batch, numFrames, numMels, 1]` spectrogram images
 * → Conv2D(16, 3×3, ReLU) → MaxPool 2×2 → Conv2D(32, 3×3, ReLU) → MaxPool 2×2
 * → Flatten → Dense(64, ReLU) → Dense(numClasses, softmax) → `[batch, numClasses]`
 * float32 class probabilities. Not compiled; use `compileClassifier`.
 * @throws {ArgumentError} when a size is not a positive integer, or the image is smaller than 10 × 10.
 * @example
 * ```ts
 * const model = buildKeywordCnn({ numFrames: 49, numMels: 40, numClasses: 12 });
 * model.inputs[0].shape; // [null, 49, 40, 1]
 * // 3·3·1·16 + 16, 3·3·16·32 + 32, (10·8·32)·64 + 64, 64·12 + 12:
 * model.countParams(); // 169484
 * ```
 * @see [Notebook 06c §4 The model: the chapter-05 CNN on spectrograms](../../notebooks/06c-voice-assistant.ipynb#4.-The-model:-the-chapter-05-CNN-on-spectrograms)
 */
export function buildKeywordCnn(config: KeywordCnnConfig): tf.LayersModel {
  const fn = 'buildKeywordCnn';
  const numFrames = checkInteger(fn, 'config.numFrames', config?.numFrames, 1);
  const numMels = checkInteger(fn, 'config.numMels', config?.numMels, 1);
  const numClasses = checkInteger(fn, 'config.numClasses', config?.numClasses, 2);
  return buildCifar10Cnn({ height: numFrames, width: numMels, channels: 1, numClasses, filters: config.filters ?? [16, 32], denseUnits: config.denseUnits ?? 64, seed: config.seed });
}
