/**
 * Learning-rate schedules: the learning rate as a function of the optimizer
 * step, for `trainClassifier`'s `learningRateSchedule` option.
 */
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';

/** A learning rate for each optimizer step: `step` counts minibatches from 0 over the whole run. */
export type LearningRateSchedule = (step: number) => number;

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** The learning rate at the end of the warm-up (the peak), > 0. */
  initial: number;
  /** Optimizer steps of the whole run (epochs × minibatches per epoch), an integer ≥ 1. */
  totalSteps: number;
  /** The learning rate the decay ends at, in [0, initial]. @default 0 */
  final?: number;
  /** Steps of linear warm-up from initial / warmupSteps up to `initial`, an integer in [0, totalSteps). @default 0 */
  warmupSteps?: number;
}

/**
 * Cosine decay (Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with
 * Warm Restarts", ICLR 2017, eq. 5, one cycle and no restart): after an
 * optional linear warm-up (Goyal et al. 2017, "Accurate, Large Minibatch
 * SGD", §2.2), the learning rate falls from `initial` to `final` along half a
 * cosine:
 *
 * lr(t) = final + ½ (initial − final) (1 + cos(π · (t − w) / (T − w)))
 *
 * for step t in [w, T), w warm-up steps, T total steps; during the warm-up,
 * lr(t) = initial · (t + 1) / w. Large steps early, small steps at the end:
 * the last epochs settle into a minimum instead of bouncing around it, so the
 * final epoch is usually the best one and the choice of epoch depends less on
 * a noisy validation set. Steps past T keep `final`.
 *
 * @returns the schedule, step (integer ≥ 0) → learning rate.
 * @throws {ArgumentError} when `initial` is not > 0, `totalSteps` not an
 *   integer ≥ 1, `final` outside [0, initial] or `warmupSteps` outside
 *   [0, totalSteps); the schedule throws for a step that is not an integer ≥ 0.
 * @example
 * ```ts
 * const lr = cosineDecay({ initial: 0.1, totalSteps: 100 });
 * lr(0); // 0.1
 * lr(50); // 0.05 (half-way: half the initial rate)
 * lr(100); // 0
 * cosineDecay({ initial: 1, totalSteps: 10, warmupSteps: 2 })(0); // 0.5
 * ```
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const fn = 'cosineDecay';
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be { initial, totalSteps, final?, warmupSteps? }, got ${describe(options)}`);
  const initial = checkPositive(fn, 'options.initial', options.initial);
  const totalSteps = checkInteger(fn, 'options.totalSteps', options.totalSteps, 1);
  const final = options.final ?? 0;
  if (typeof final !== 'number' || !(final >= 0 && final <= initial)) throw new ArgumentError(`${fn}: options.final must be a number in [0, initial = ${initial}], got ${describe(final)}`);
  const warmupSteps = checkInteger(fn, 'options.warmupSteps', options.warmupSteps ?? 0, 0, totalSteps - 1);
  return (step: number) => {
    checkInteger('cosineDecay schedule', 'step', step, 0);
    if (step < warmupSteps) return (initial * (step + 1)) / warmupSteps;
    if (step >= totalSteps) return final;
    const progress = (step - warmupSteps) / (totalSteps - warmupSteps);
    return final + 0.5 * (initial - final) * (1 + Math.cos(Math.PI * progress));
  };
}
