/**
 * Prefetching: start loading minibatch k + 1 before minibatch k is handed to
 * the training step, so that loading (reading files, decompressing,
 * decoding: work that Node does off the main thread) overlaps with training.
 * The idea of `tf.data.Dataset.prefetch` (Abadi et al., TensorFlow, 2016;
 * Murray et al., "tf.data", VLDB 2021, §3.3).
 */
import { ArgumentError, checkInteger, describe } from '../core/errors';

/**
 * Yields `load(0)`, `load(1)`, … `load(count − 1)` in order, keeping up to
 * `depth` loads started ahead of the one being consumed: while the consumer
 * works on item k, items k + 1 … k + depth are already loading. `depth = 0`
 * loads each item only when it is asked for (no prefetching). A failed load
 * throws from the generator when its item is reached.
 * @param load - starts loading item `index` (0-based) and resolves to it.
 * @param count - number of items (≥ 0).
 * @param depth - items loaded ahead (≥ 0). @default 1
 * @throws {ArgumentError} when `load` is not a function or `count`/`depth` is not an integer ≥ 0.
 * @example
 * ```ts
 * const started: number[] = [];
 * const items = prefetch(async (i) => { started.push(i); return i * 10; }, 3);
 * const first = await items.next(); // { value: 0, done: false }
 * started; // [0, 1] (item 1 started before item 0 was consumed)
 * const all = [first.value]; for await (const v of items) all.push(v); // all: [0, 10, 20]
 * ```
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export async function* prefetch<T>(load: (index: number) => Promise<T>, count: number, depth = 1): AsyncGenerator<T, void, undefined> {
  if (typeof load !== 'function') throw new ArgumentError(`prefetch: load must be a function (index) => Promise, got ${describe(load)}`);
  checkInteger('prefetch', 'count', count, 0);
  checkInteger('prefetch', 'depth', depth, 0);
  const queue: Promise<T>[] = [];
  let next = 0;
  const start = () => {
    const index = next;
    const p = Promise.resolve().then(() => load(index)); // a synchronous throw becomes a rejection too
    p.catch(() => undefined); // handled when its item is reached; no unhandled rejection meanwhile
    queue.push(p);
    next++;
  };
  for (let k = 0; k < count; k++) {
    while (next < count && next <= k + depth) start();
    yield await queue.shift()!;
  }
}
