/**
 * A sweep: the same experiment run once per value of one setting (a
 * hyperparameter, a data-set size, a noise level), one after the other, with
 * each run's wall time and a progress line per run. Chapter 03 measures the
 * pros and cons of training this way (Goodfellow, Bengio & Courville, "Deep
 * Learning" (2016), §11.4.3, grid search over one hyperparameter).
 */
import { ArgumentError, NonFiniteLossError, describe } from '../core/errors';
import type { LabeledExamples } from '../core/examples';
import type { EpochRecord } from '../core/history';
import { disposeMlp, mlpParameterCount } from '../nn/mlp';
import { CHAPTER04_CONFIG, type MlpTrainConfig } from './config';
import { trainMlp } from './train_mlp';

/** One run of a sweep. */
export interface SweepRun<V, R> {
  /** The setting's value for this run. */
  value: V;
  /** What the run returned. */
  result: R;
  /** Wall time of the run, seconds. */
  seconds: number;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Where each progress line goes ("sweep NAME: run i/k, NAME = v, … s"); `null`: nowhere. @default console.log */
  log?: ((line: string) => void) | null;
}

/**
 * Runs `run(value, index)` for each value in order (never in parallel, so
 * times are comparable) and returns the results with their wall times.
 * @param name - the setting's name, for the progress lines.
 * @param values - `[k]` the values to try, k ≥ 1.
 * @param run - the experiment: may be async; its result is kept as is.
 * @throws {ArgumentError} when `values` is empty or `run` is not a function; an error thrown by `run` propagates, naming the value.
 * @example
 * ```ts
 * const runs = await runSweep('x', [1, 2, 3], (x) => x * x, { log: null });
 * runs.map((r) => r.result); // [1, 4, 9]
 * runs[0].seconds >= 0; // true
 * ```
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 09 §3 Privacy against accuracy](../../notebooks/09-summary-and-challenges.ipynb#3.-Privacy-against-accuracy)
 * @see [Notebook 10 §4 Batch size against throughput and accuracy](../../notebooks/10-questions-and-efficiency.ipynb#4.-Batch-size-against-throughput-and-accuracy)
 */
export async function runSweep<V, R>(name: string, values: readonly V[], run: (value: V, index: number) => R | Promise<R>, options: SweepOptions = {}): Promise<SweepRun<V, R>[]> {
  const fn = 'runSweep';
  if (!Array.isArray(values) || values.length === 0) throw new ArgumentError(`${fn}: values must be a non-empty array, got ${describe(values)}`);
  if (typeof run !== 'function') throw new ArgumentError(`${fn}: run must be a function, got ${describe(run)}`);
  const log = options.log === undefined ? (line: string) => console.log(line) : options.log;
  const out: SweepRun<V, R>[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const start = performance.now();
    let result: R;
    try {
      result = await run(value, i);
    } catch (err) {
      if (err instanceof Error) err.message = `${fn} ${name} = ${String(value)}: ${err.message}`;
      throw err;
    }
    const seconds = (performance.now() - start) / 1000;
    out.push({ value, result, seconds });
    log?.(`sweep ${name}: run ${i + 1}/${values.length}, ${name} = ${String(value)}, ${seconds.toFixed(1)} s`);
  }
  return out;
}

/** What {@link trainMlpRun} measured. */
export interface MlpRun {
  /** Test accuracy in [0, 1] after training; `NaN` when the run diverged. */
  testAccuracy: number;
  /** One record per completed epoch (training and validation loss and accuracy). */
  history: EpochRecord[];
  /** Wall time of the optimizer steps, seconds (without validation and testing). */
  seconds: number;
  /** Parameters of the MLP (weights and biases). */
  parameters: number;
  /** Set when the loss became NaN or infinite: the error's message. The run then has no test accuracy. */
  diverged?: string;
}

/** Options of {@link trainMlpRun}. */
export interface MlpRunOptions {
  /** What each pixel is multiplied by: 1/255 scales to [0, 1], 1 keeps the raw 0–255. @default 1 / 255 */
  pixelScale?: number;
  /** Output units (classes). @default 10 */
  numClasses?: number;
}

/**
 * One measured training run of the chapter-04 MLP for an experiment: trains
 * with `CHAPTER04_CONFIG.full` changed by `overrides` (no progress display:
 * a sweep prints one line per run), tests, frees the MLP and returns the
 * numbers. A run whose loss becomes NaN or infinite (too large a learning
 * rate, raw inputs) is a result, not a failure: it comes back with
 * `diverged` set and the epochs completed before.
 * @param train - `pixels` `[n, features]` uint8, `labels` `[n]` int32 in [0, numClasses).
 * @param test - `pixels` `[m, features]` uint8, `labels` `[m]` int32: the test accuracy is measured on it.
 * @param overrides - hyperparameters to change, e.g. `{ hiddenUnits: [64], optimizer: 'sgd', learningRate: 0.1 }`.
 * @throws {ArgumentError} when the data or the configuration is invalid (as {@link trainMlp}).
 * @example
 * ```ts
 * const data = { n: 8, pixels: new Uint8Array([0, 255, 255, 0, 10, 250, 240, 20, 5, 200, 220, 9, 0, 255, 255, 0]), labels: new Int32Array([0, 1, 0, 1, 0, 1, 0, 1]) };
 * const run = await trainMlpRun(data, data, { hiddenUnits: [8], learningRate: 0.05, epochs: 30, batchSize: 4, validationFraction: 0 }, { numClasses: 2 });
 * run.parameters; // 42 (2·8 + 8 + 8·2 + 2)
 * run.testAccuracy; // 1
 * (await trainMlpRun(data, data, { hiddenUnits: [8], optimizer: 'sgd', learningRate: 1e30, epochs: 3, batchSize: 4, validationFraction: 0 }, { numClasses: 2 })).diverged !== undefined; // true
 * ```
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 10 §4 Batch size against throughput and accuracy](../../notebooks/10-questions-and-efficiency.ipynb#4.-Batch-size-against-throughput-and-accuracy)
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
 */
export async function trainMlpRun(train: LabeledExamples, test: LabeledExamples, overrides: Partial<MlpTrainConfig> = {}, options: MlpRunOptions = {}): Promise<MlpRun> {
  const config: MlpTrainConfig = { ...CHAPTER04_CONFIG.full, ...overrides };
  const numClasses = options.numClasses ?? 10;
  const history: EpochRecord[] = [];
  const onEpochEnd = (record: EpochRecord) => history.push(record);
  try {
    const result = await trainMlp(train, test, config, { progress: 'none', pixelScale: options.pixelScale, onEpochEnd: onEpochEnd }, numClasses);
    const parameters = mlpParameterCount(result.mlp);
    disposeMlp(result.mlp);
    return { testAccuracy: result.test!.accuracy, history: result.history, seconds: result.seconds, parameters };
  } catch (err) {
    if (!(err instanceof NonFiniteLossError)) throw err;
    const parameters = mlpParameterCount([train.pixels.length / train.n, ...config.hiddenUnits, numClasses]);
    return { testAccuracy: NaN, history, seconds: NaN, parameters, diverged: err.message };
  }
}
