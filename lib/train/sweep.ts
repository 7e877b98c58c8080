/**
 * A sweep: the same experiment run once per value of one setting (a
 * hyperparameter, a data-set size, a noise level), one after the other, with
 * each run's wall time and a progress line per run. Chapter 03 measures the
 * pros and cons of training this way (Goodfellow, Bengio & Courville, "Deep
 * Learning" (2016), §11.4.3, grid search over one hyperparameter).
 */
import { ArgumentError, describe } from '../core/errors';

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
