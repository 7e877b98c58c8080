/**
 * The one progress reporter of both training loops (lib/train/loop.ts): a
 * progress bar or one line per epoch in a terminal, a live loss/accuracy chart
 * in a notebook, all with the same line format.
 */
import { SingleBar } from 'cli-progress';
import { ArgumentError, describe } from '../core/errors';
import type { EpochRecord } from '../core/history';
import { inNotebook } from '../core/notebook';
import { historyFigure } from '../plot/charts';
import { liveFigure } from '../plot/live';

/**
 * How training reports progress. 'bar': a progress bar on stderr
 * (cli-progress); 'lines': one line per epoch on stderr; 'notebook': a live
 * loss/accuracy chart updated in place; 'none'; 'auto': notebook in a tslab
 * kernel, bar when stderr is a terminal, else lines.
 */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'notebook' | 'none';

/** The progress modes, in the order the docs list them. */
export const PROGRESS_MODES: readonly ProgressMode[] = Object.freeze(['auto', 'bar', 'lines', 'notebook', 'none']);

/** What the training loop tells its reporter. */
export interface ProgressReporter {
  /** An epoch of `steps` minibatches starts. */
  epochStart(epoch: number, steps: number): void;
  /** After minibatch `step` (1-based) of `epoch`: running means so far and throughput. */
  step(epoch: number, step: number, loss: number, accuracy: number, examplesPerSecond: number): void;
  /** After an epoch (validation included): its record, the history so far, seconds of training and throughput. */
  epochEnd(record: EpochRecord, history: readonly EpochRecord[], seconds: number, examplesPerSecond: number): void;
  /** Training ended (normally, with an error, or interrupted): restore the terminal and print `message` if given. */
  stop(message?: string): void;
}

/**
 * One epoch as one line: `epoch 3/10 | loss 0.4321 | acc 0.8765 | val loss … | val acc … | 2.1 s | 480 ex/s`.
 * @example
 * ```ts
 * formatEpochLine({ epoch: 2, loss: 0.5, accuracy: 0.75 }, 10, 1.25, 400); // 'epoch 2/10 | loss 0.5000 | acc 0.7500 | 1.3 s | 400 ex/s'
 * ```
 */
export function formatEpochLine(record: EpochRecord, epochs: number, seconds: number, examplesPerSecond: number): string {
  const val = record.valLoss === undefined ? '' : ` | val loss ${record.valLoss.toFixed(4)} | val acc ${record.valAccuracy!.toFixed(4)}`;
  return `epoch ${record.epoch}/${epochs} | loss ${record.loss.toFixed(4)} | acc ${record.accuracy.toFixed(4)}${val} | ${seconds.toFixed(1)} s | ${Math.round(examplesPerSecond)} ex/s`;
}

/**
 * Resolves 'auto' to the mode for this environment and checks the name.
 * @throws {ArgumentError} naming `fn` when `mode` is not a {@link ProgressMode}.
 * @example
 * ```ts
 * resolveProgressMode('f', 'lines'); // 'lines'
 * ```
 */
export function resolveProgressMode(fn: string, mode: unknown): Exclude<ProgressMode, 'auto'> {
  if (!(PROGRESS_MODES as readonly unknown[]).includes(mode)) {
    throw new ArgumentError(`${fn}: options.progress must be one of ${PROGRESS_MODES.join(', ')}, got ${describe(mode)}`);
  }
  if (mode !== 'auto') return mode as Exclude<ProgressMode, 'auto'>;
  if (inNotebook()) return 'notebook';
  return process.stderr.isTTY ? 'bar' : 'lines';
}

const noop = (): void => undefined;

/**
 * The reporter for a mode (see {@link ProgressMode}).
 * @param title - title of the live chart, e.g. 'Training (live)'.
 * @example
 * ```ts
 * const reporter = createProgressReporter('none', 3, 'Training');
 * reporter.stop(); // undefined (nothing is shown in mode 'none')
 * ```
 */
export function createProgressReporter(mode: Exclude<ProgressMode, 'auto'>, epochs: number, title: string): ProgressReporter {
  if (mode === 'none') return { epochStart: noop, step: noop, epochEnd: noop, stop: noop };
  if (mode === 'lines') {
    return {
      epochStart: noop,
      step: noop,
      epochEnd: (r, _h, s, eps) => console.error(formatEpochLine(r, epochs, s, eps)),
      stop: (message) => (message ? console.error(message) : undefined),
    };
  }
  if (mode === 'bar') return barReporter(epochs);
  return notebookReporter(epochs, title);
}

function barReporter(epochs: number): ProgressReporter {
  const bar = new SingleBar({
    format: 'epoch {ep}/{epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc} | {eps} ex/s | ETA {eta}s',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  let running = false;
  const halt = () => {
    if (running) bar.stop(); // shows the cursor again
    running = false;
  };
  return {
    epochStart: (epoch, steps) => {
      bar.start(steps, 0, { ep: epoch, epochs, loss: '-', acc: '-', eps: '-' });
      running = true;
    },
    step: (_e, b, loss, acc, eps) => bar.update(b, { loss: loss.toFixed(4), acc: acc.toFixed(4), eps: Math.round(eps) }),
    epochEnd: (r, _h, s, eps) => {
      halt();
      console.error(formatEpochLine(r, epochs, s, eps));
    },
    stop: (message) => {
      halt();
      if (message) console.error(message);
    },
  };
}

function notebookReporter(epochs: number, title: string): ProgressReporter {
  const chart = liveFigure({ height: 320 });
  let steps = 1;
  let finished: EpochRecord[] = [];
  return {
    epochStart: (_e, n) => {
      steps = n;
    },
    step: (epoch, b, loss, acc, eps) => {
      const partial: EpochRecord = { epoch: epoch - 1 + b / steps, loss, accuracy: acc };
      const pct = Math.round((100 * b) / steps);
      const status = `epoch ${epoch}/${epochs}: ${pct}% (${b}/${steps} minibatches) | loss ${loss.toFixed(4)} | acc ${acc.toFixed(4)} | ${Math.round(eps)} ex/s`;
      chart.update(historyFigure([...finished, partial], title), status); // at most one redraw per second
    },
    epochEnd: (r, history, s, eps) => {
      finished = [...history];
      chart.update(historyFigure(finished, title), formatEpochLine(r, epochs, s, eps), true);
    },
    stop: (message) => {
      if (message) chart.update(historyFigure(finished, title), message, true);
    },
  };
}
