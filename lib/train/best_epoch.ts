/**
 * Choosing the epoch on the validation set: keep a copy of the weights of the
 * epoch with the best validation accuracy and put them back after training
 * (early stopping's "restore best weights", Goodfellow, Bengio & Courville,
 * "Deep Learning", §7.8, Algorithm 7.1). The test set plays no part.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../core/errors';
import type { EpochRecord } from '../core/history';

/** What {@link bestEpochKeeper} returns. */
export interface BestEpochKeeper {
  /** Pass as `trainClassifier`'s `onEpochEnd`: copies the weights when `record.valAccuracy` beats the best so far (ties keep the earlier epoch). */
  onEpochEnd: (record: EpochRecord) => void;
  /** Puts the best epoch's weights back into the model, frees the copy, and returns that epoch's record (undefined when no epoch had a validation accuracy). */
  restore: () => EpochRecord | undefined;
}

/**
 * Keeps the weights of the epoch with the best validation accuracy (all of
 * them: trained weights and batch normalisation's moving averages).
 * @param model - the model being trained.
 * @throws {ArgumentError} when `model` is not a TF.js LayersModel.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
 * const keeper = bestEpochKeeper(model);
 * model.layers[0].setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
 * keeper.onEpochEnd({ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.8 });
 * model.layers[0].setWeights([tf.tensor2d([[2]]), tf.tensor1d([0])]);
 * keeper.onEpochEnd({ epoch: 2, loss: 0.9, accuracy: 0.6, valLoss: 1.1, valAccuracy: 0.7 });
 * keeper.restore()?.epoch; // 1
 * model.layers[0].getWeights()[0].dataSync()[0]; // 1
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export function bestEpochKeeper(model: tf.LayersModel): BestEpochKeeper {
  if (!(model instanceof tf.LayersModel)) throw new ArgumentError(`bestEpochKeeper: model must be a tf.LayersModel, got ${describe(model)}`);
  let best: EpochRecord | undefined;
  let weights: tf.Tensor[] = [];
  return {
    onEpochEnd: (record) => {
      const v = record.valAccuracy;
      if (v === undefined || Number.isNaN(v) || (best !== undefined && v <= best.valAccuracy!)) return;
      tf.dispose(weights);
      weights = model.getWeights().map((w) => w.clone());
      best = { ...record };
    },
    restore: () => {
      if (best !== undefined) model.setWeights(weights);
      tf.dispose(weights);
      weights = [];
      return best;
    },
  };
}
