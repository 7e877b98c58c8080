/**
 * Synchronous data-parallel training on one machine: several workers (Node
 * `worker_threads`, each with its own TensorFlow.js engine) hold a copy of
 * the model; each minibatch is split into one shard per worker, each worker
 * computes the gradient of its shard, the gradients are summed and divided
 * by the minibatch size (an all-reduce, done here as a reduce on the main
 * thread), the main thread takes one optimizer step and sends the new
 * weights to every worker with the next shards (the broadcast). Every step
 * thus uses the same gradient as one worker on the whole minibatch. Goyal et
 * al., "Accurate, Large Minibatch SGD", 2017, §2–3; Li et al., "PyTorch
 * Distributed: Experiences on Accelerating Data Parallel Training", VLDB
 * 2020, §2 (DDP averages gradients with a ring all-reduce instead of a
 * central reduce).
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ArgumentError, checkInteger, describe } from '../core/errors';

/** The worker's program (plain JavaScript: a worker runs it as is). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const tf = require(workerData.tfPath);
let model;
let variables;
async function init() {
  if (workerData.backend === 'wasm') require(workerData.wasmPath);
  await tf.setBackend(workerData.backend);
  await tf.ready();
  model = await tf.models.modelFromJSON({ modelTopology: JSON.parse(workerData.topology) });
  variables = model.trainableWeights.map((w) => w.val);
}
const ready = init();
parentPort.on('message', async (msg) => {
  try {
    await ready;
    // Broadcast: this step's weights.
    variables.forEach((v, k) => v.assign(tf.tensor(msg.weights[k], v.shape)));
    const x = tf.tensor(msg.x, msg.xShape);
    const y = tf.tensor(msg.y, msg.yShape);
    // The SUM of the shard's per-example losses: the main thread divides the all-reduced sum by the minibatch size.
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }), undefined, undefined, tf.Reduction.SUM), variables);
    const out = variables.map((v) => grads[v.name].dataSync().slice());
    const lossSum = value.dataSync()[0];
    tf.dispose([x, y, value, ...Object.values(grads)]);
    parentPort.postMessage({ id: msg.id, grads: out, lossSum: lossSum }, out.map((g) => g.buffer));
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.stack || err) });
  }
});
`;

/** Backends a worker can run: TF.js's own plain-JavaScript `cpu` and the stock WebAssembly `wasm` build (single-threaded). */
export type WorkerBackend = 'cpu' | 'wasm';

/** Options of {@link createDataParallel}. */
export interface DataParallelOptions {
  /** Number of workers, each with its own TF.js engine and model copy (≥ 1). */
  workers: number;
  /** Backend of every worker. @default 'wasm' */
  backend?: WorkerBackend;
}

/** What one {@link DataParallel.gradients} call returns. */
export interface AllReducedGradients {
  /** One tensor per trainable weight of the model, the gradient of the minibatch's MEAN loss. The caller disposes them. */
  gradients: tf.Tensor[];
  /** Mean softmax cross-entropy over the minibatch (before the step). */
  loss: number;
  /** Examples given to each worker, in worker order (they sum to the minibatch size). */
  shardSizes: number[];
}

/** A model replicated over workers; see {@link createDataParallel}. */
export interface DataParallel {
  /** Number of workers. */
  readonly workers: number;
  /**
   * Splits the minibatch into contiguous shards (sizes differ by at most 1),
   * has each worker compute its shard's summed gradient with the model's
   * current weights, and all-reduces them: sum over workers ÷ minibatch size.
   * @param x - `[batch, ...inputShape]` float32 inputs.
   * @param y - `[batch, numClasses]` float32 one-hot targets (the model outputs logits).
   */
  gradients(x: tf.Tensor, y: tf.Tensor): Promise<AllReducedGradients>;
  /** {@link DataParallel.gradients}, then one step of `optimizer` on the main model's weights; returns the minibatch's mean loss. */
  trainStep(x: tf.Tensor, y: tf.Tensor, optimizer: tf.Optimizer): Promise<number>;
  /** Ends the workers (the process can then exit); idempotent. */
  close(): Promise<void>;
}

/**
 * Replicates `model` (it must output logits; the loss is softmax
 * cross-entropy) over `options.workers` worker threads for synchronous data
 * parallelism: every step the main thread broadcasts the weights, each
 * worker computes the gradient of its shard of the minibatch, and the main
 * thread reduces them. The result equals the whole minibatch's gradient
 * (test/train/data_parallel.test.ts checks it against `tf.variableGrads`).
 * Call `close()` when done, or the workers keep the process alive.
 * @param model - a `tf.LayersModel` whose output is `[batch, numClasses]` logits; its weights are read at every step.
 * @throws {ArgumentError} when `workers` is not an integer ≥ 1 or `backend` is not 'cpu' or 'wasm'.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
 * const dp = await createDataParallel(model, { workers: 2, backend: 'cpu' });
 * const r = await dp.gradients(tf.tensor2d([[1, 0], [0, 1], [1, 1]]), tf.tensor2d([[1, 0], [0, 1], [1, 0]]));
 * r.shardSizes; // [2, 1]
 * r.gradients.map((g) => g.shape); // [[2, 2], [2]]
 * await dp.close();
 * ```
 * @see [Notebook 10 §2 Data-parallel training, for real](../../notebooks/10-questions-and-efficiency.ipynb#2.-Data-parallel-training,-for-real)
 */
export async function createDataParallel(model: tf.LayersModel, options: DataParallelOptions): Promise<DataParallel> {
  const fn = 'createDataParallel';
  if (!(model instanceof tf.LayersModel)) throw new ArgumentError(`${fn}: model must be a tf.LayersModel, got ${describe(model)}`);
  const count = checkInteger(fn, 'options.workers', options?.workers, 1, 64);
  const backend = options.backend ?? 'wasm';
  if (backend !== 'cpu' && backend !== 'wasm') throw new ArgumentError(`${fn}: options.backend must be 'cpu' or 'wasm', got ${describe(backend)}`);
  const req = createRequire(__filename);
  const workerData = {
    tfPath: req.resolve('@tensorflow/tfjs'),
    wasmPath: req.resolve('@tensorflow/tfjs-backend-wasm'),
    backend: backend,
    topology: JSON.stringify(model.toJSON(null, false)),
  };
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const workers = Array.from({ length: count }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: workerData, stderr: false }));
  let nextId = 0;
  let closed = false;
  const pending = new Map<number, { resolve: (m: { grads: Float32Array[]; lossSum: number }) => void; reject: (e: Error) => void }>();
  for (const w of workers) {
    w.on('message', (m: { id: number; error?: string; grads: Float32Array[]; lossSum: number }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(`${fn}: a worker failed: ${m.error}`));
      else p.resolve(m);
    });
    w.on('error', (err) => {
      for (const p of pending.values()) p.reject(new Error(`${fn}: a worker died: ${err.message}`));
      pending.clear();
    });
  }
  const ask = (w: Worker, message: Record<string, unknown>, transfer: ArrayBuffer[]) =>
    new Promise<{ grads: Float32Array[]; lossSum: number }>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve, reject: reject });
      w.postMessage({ ...message, id: id }, transfer);
    });

  async function gradients(x: tf.Tensor, y: tf.Tensor): Promise<AllReducedGradients> {
    if (closed) throw new ArgumentError(`${fn}: gradients called after close()`);
    if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor)) throw new ArgumentError(`${fn}: x and y must be tensors, got ${describe(x)} and ${describe(y)}`);
    const batch = x.shape[0];
    if (!batch || y.shape[0] !== batch) throw new ArgumentError(`${fn}: x and y must hold the same number (≥ 1) of examples, got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`);
    const xData = x.dataSync() as Float32Array;
    const yData = y.dataSync() as Float32Array;
    const xRow = x.size / batch;
    const yRow = y.size / batch;
    const weights = variables.map((v) => v.dataSync() as Float32Array);
    // Shards: contiguous, sizes differ by at most 1; a worker with an empty shard sits this step out.
    const shardSizes = Array.from({ length: count }, (_, k) => Math.floor(batch / count) + (k < batch % count ? 1 : 0));
    const replies: Promise<{ grads: Float32Array[]; lossSum: number }>[] = [];
    let start = 0;
    shardSizes.forEach((size, k) => {
      if (size === 0) return;
      const xs = xData.slice(start * xRow, (start + size) * xRow);
      const ys = yData.slice(start * yRow, (start + size) * yRow);
      const ws = weights.map((w) => w.slice());
      replies.push(ask(workers[k], { type: 'step', weights: ws, x: xs, xShape: [size, ...x.shape.slice(1)], y: ys, yShape: [size, ...y.shape.slice(1)] }, [xs.buffer, ys.buffer, ...ws.map((w) => w.buffer)]));
      start += size;
    });
    const results = await Promise.all(replies);
    // The all-reduce: sum the shards' gradients, then divide by the minibatch size.
    const sums = variables.map((v) => new Float32Array(v.size));
    let lossSum = 0;
    for (const r of results) {
      lossSum += r.lossSum;
      r.grads.forEach((g, k) => {
        const s = sums[k];
        for (let i = 0; i < s.length; i++) s[i] += g[i];
      });
    }
    return { gradients: sums.map((s, k) => tf.tensor(s.map((v) => v / batch), variables[k].shape)), loss: lossSum / batch, shardSizes: shardSizes };
  }

  return {
    workers: count,
    gradients: gradients,
    async trainStep(x, y, optimizer) {
      const r = await gradients(x, y);
      const named: tf.NamedTensorMap = {};
      variables.forEach((v, k) => (named[v.name] = r.gradients[k]));
      optimizer.applyGradients(named);
      tf.dispose(r.gradients);
      return r.loss;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
