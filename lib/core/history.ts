/**
 * The record of one training epoch, shared by both training loops (lib/train)
 * and the charts that draw a history (lib/plot/charts.ts).
 */

/**
 * One epoch of training history (see `trainClassifier`, `trainMlp`).
 * @see [Notebook 03 §6 The loop, with metrics](../../notebooks/03-training-pipeline.ipynb#6.-The-loop,-with-metrics)
 * @see [Notebook 03 §Exercises](../../notebooks/03-training-pipeline.ipynb#Exercises)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's minibatches (weighted by minibatch size). */
  loss: number;
  /** Training accuracy over the epoch, in [0, 1]. */
  accuracy: number;
  /** Loss on the validation set after the epoch, if one was given. */
  valLoss?: number;
  /** Accuracy on the validation set after the epoch, if one was given. */
  valAccuracy?: number;
}
