/**
 * The one skeleton of every training loop in the course: epochs of
 * minibatch steps, epoch means weighted by minibatch size, validation after
 * each epoch, the same stop on a non-finite loss or parameter, progress
 * (lib/train/progress.ts), and stopping early through an `AbortSignal`. What
 * one step does stays in its trainer: `trainClassifier` (classifier.ts) calls
 * TF.js's `trainOnBatch`, `trainMlp` (train_mlp.ts) our own backpropagation.
 * Goodfellow, Bengio & Courville, "Deep Learning" (2016), Algorithm 8.1.
 */
import { NonFiniteLossError } from '../core/errors';
import type { EpochRecord } from '../core/history';
import { epochMean } from '../data/minibatch';
import { createProgressReporter, resolveProgressMode, type ProgressMode } from './progress';

/** What one optimizer step reports. */
export interface StepResult {
  /** Mean loss over the minibatch. */
  loss: number;
  /** Accuracy over the minibatch, in [0, 1]. */
  accuracy: number;
  /** Examples in the minibatch. */
  size: number;
}

/** Loss and accuracy on the validation examples. */
export interface ValidationResult {
  /** Mean loss. */
  loss: number;
  /** Fraction correct, in [0, 1]. */
  accuracy: number;
}

/** What a trainer gives {@link runTrainingLoop}. */
export interface TrainingLoopSpec {
  /** The public function's name, for messages (e.g. 'trainClassifier'). */
  fn: string;
  /** Passes over the training examples. */
  epochs: number;
  /** Minibatches per epoch. */
  steps: number;
  /** How to report progress. */
  progress: ProgressMode;
  /** Title of the live chart. */
  title: string;
  /** Stops training at the next minibatch when aborted; the history so far is returned. */
  signal?: AbortSignal;
  /** Called after each epoch with its record. */
  onEpochEnd?: (record: EpochRecord) => void;
  /** Stop at the next minibatch on SIGINT (Ctrl-C, Jupyter's interrupt button). @default true */
  interruptOnSigint?: boolean;
  /** Before the steps of `epoch` (1-based), e.g. to shuffle. */
  beginEpoch(epoch: number): void;
  /**
   * One optimizer step on minibatch `step` (0-based) of `epoch`. It frees
   * its own tensors, and leaves the parameters unchanged when its loss is
   * not finite (the loop then stops).
   */
  step(epoch: number, step: number): Promise<StepResult> | StepResult;
  /** Name of a parameter holding NaN or ±Infinity, or undefined; checked after each epoch. */
  nonFiniteParameter(): string | undefined;
  /** Loss and accuracy on the validation examples, or undefined when there are none. */
  validate(): Promise<ValidationResult | undefined> | ValidationResult | undefined;
}

/** What {@link runTrainingLoop} returns. */
export interface TrainingLoopResult {
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** Wall time of the optimizer steps (excluding validation), in seconds. */
  trainSeconds: number;
  /** Examples per second over the optimizer steps. */
  examplesPerSecond: number;
  /**
   * Set when training stopped early (the `signal`, or SIGINT): where and why, e.g.
   * 'trainClassifier: training interrupted after epoch 2, step 5 of epoch 3 (5 of 30 minibatches done); …'.
   */
  stopped?: string;
}

/**
 * Stops the loop on SIGINT (Ctrl-C in a terminal, the interrupt button of
 * Jupyter, which sends SIGINT to the kernel): while training, the process's
 * other SIGINT listeners (tslab's, which would end the cell while training
 * goes on in the background) are set aside; the first SIGINT asks the loop to
 * stop at the next minibatch and puts them back, so a second SIGINT does what
 * it did before (ends the cell, or the process when nothing listens).
 */
function interruptOnSigint(onInterrupt: () => void): () => void {
  const previous = process.listeners('SIGINT');
  let active = true;
  const restore = () => {
    if (!active) return;
    active = false;
    process.removeListener('SIGINT', handler);
    for (const l of previous) if (!process.listeners('SIGINT').includes(l)) process.on('SIGINT', l);
  };
  const handler = () => {
    onInterrupt();
    restore();
  };
  for (const l of previous) process.removeListener('SIGINT', l);
  process.on('SIGINT', handler);
  return restore;
}

/**
 * A function to await in a long loop: it yields to the event loop when more
 * than `everyMs` have passed since it last did (else resolves at once), so
 * SIGINT handlers, aborts and a notebook's display messages get through.
 * Training (here) and evaluation (`evaluateClassifier`) use it.
 * @param everyMs - least time between two yields. @default 100
 * @example
 * ```ts
 * const pause = eventLoopPauser(0);
 * await pause(); // undefined (yielded once)
 * ```
 */
export function eventLoopPauser(everyMs = 100): (force?: boolean) => Promise<void> {
  let last = performance.now();
  return async (force = false) => {
    if (!force && performance.now() - last <= everyMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

/**
 * Runs the loop: for each epoch, `beginEpoch`, then `steps` calls of `step`,
 * then the parameter check, `validate`, the record and `onEpochEnd`.
 * @throws {NonFiniteLossError} when a step's loss is NaN or ±Infinity (naming the
 *   epoch and minibatch) or a parameter is after an epoch.
 * @example
 * ```ts
 * // A "model" whose loss halves at every step:
 * let loss = 1;
 * const spec = {
 *   fn: 'demo', epochs: 2, steps: 2, progress: 'none' as const, title: 'demo',
 *   beginEpoch: () => undefined,
 *   step: () => ({ loss: (loss /= 2), accuracy: 1 - loss, size: 4 }),
 *   nonFiniteParameter: () => undefined,
 *   validate: () => undefined,
 * };
 * const result = await runTrainingLoop(spec);
 * result.history.map((r) => r.loss); // [0.375, 0.09375]
 * ```
 */
export async function runTrainingLoop(spec: TrainingLoopSpec): Promise<TrainingLoopResult> {
  const { fn, epochs, steps } = spec;
  const reporter = createProgressReporter(resolveProgressMode(fn, spec.progress), epochs, spec.title);
  const history: EpochRecord[] = [];
  let trainSeconds = 0;
  let seenTotal = 0;
  const pause = eventLoopPauser();
  let stopped: string | undefined;
  let ended = false;
  let interrupted = false;
  const restoreSigint = spec.interruptOnSigint === false ? () => undefined : interruptOnSigint(() => (interrupted = true));
  try {
    for (let epoch = 1; epoch <= epochs && stopped === undefined; epoch++) {
      spec.beginEpoch(epoch);
      reporter.epochStart(epoch, steps);
      const losses: number[] = [];
      const accuracies: number[] = [];
      const sizes: number[] = [];
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      const t0 = performance.now();
      for (let b = 0; b < steps; b++) {
        await pause();
        if (spec.signal?.aborted || interrupted) {
          const why = interrupted ? 'interrupted' : `stopped (${abortReason(spec.signal!)})`;
          stopped =
            `${fn}: training ${why} after epoch ${epoch - 1}, step ${b} of epoch ${epoch} (${b} of ${steps} minibatches done); ` +
            `the history holds the ${history.length} completed epoch${history.length === 1 ? '' : 's'}, the model keeps its weights`;
          break;
        }
        const { loss, accuracy, size } = await spec.step(epoch, b);
        if (!Number.isFinite(loss)) {
          throw new NonFiniteLossError(
            `${fn}: the loss became ${loss} at epoch ${epoch}, minibatch ${b + 1} of ${steps}; training stopped. ` +
              `Common causes: a learning rate too high, inputs not scaled to [0, 1], or labels outside [0, numClasses).`,
          );
        }
        losses.push(loss);
        accuracies.push(accuracy);
        sizes.push(size);
        lossSum += loss * size;
        accSum += accuracy * size;
        seen += size;
        reporter.step(epoch, b + 1, lossSum / seen, accSum / seen, seen / ((performance.now() - t0) / 1000));
      }
      const seconds = (performance.now() - t0) / 1000;
      trainSeconds += seconds;
      seenTotal += seen;
      if (stopped !== undefined) break;
      // Some kernels (XNNPACK's softmax on wasm) turn NaN logits into a finite
      // loss, so the parameters are checked too, once per epoch.
      const bad = spec.nonFiniteParameter();
      if (bad !== undefined) {
        throw new NonFiniteLossError(
          `${fn}: parameter '${bad}' holds NaN or Infinity after epoch ${epoch}; training stopped. ` +
            `Common causes: a learning rate too high, or inputs not scaled to [0, 1].`,
        );
      }
      const record: EpochRecord = { epoch, loss: epochMean(losses, sizes), accuracy: epochMean(accuracies, sizes) };
      const val = await spec.validate();
      if (val !== undefined) {
        record.valLoss = val.loss;
        record.valAccuracy = val.accuracy;
      }
      history.push(record);
      reporter.epochEnd(record, history, seconds, seen / seconds);
      spec.onEpochEnd?.(record);
      await pause(true); // let a notebook's display messages go out
    }
    ended = true;
  } finally {
    restoreSigint();
    reporter.stop(ended ? stopped : undefined);
  }
  const result: TrainingLoopResult = { history, trainSeconds, examplesPerSecond: trainSeconds > 0 ? seenTotal / trainSeconds : 0 };
  if (stopped !== undefined) result.stopped = stopped;
  return result;
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r.name === 'AbortError' ? 'aborted' : r.message;
  return r === undefined ? 'aborted' : String(r);
}
