/**
 * The training loop for image classifiers: seeded minibatches built from uint8
 * NHWC pixels, one optimizer step per minibatch (`model.trainOnBatch`),
 * progress in the terminal or a live chart in a notebook, history, evaluation,
 * and a clear stop on a non-finite loss. The standard loop of Goodfellow,
 * Bengio & Courville, "Deep Learning", §8.1.3 (minibatch SGD).
 */
import * as tf from '@tensorflow/tfjs';
import { SingleBar } from 'cli-progress';
import { ArgumentError, NonFiniteLossError, checkInteger, describe } from '../errors';
import { confusionMatrix } from '../metrics';
import { outputActivation, usesOneHotLabels } from '../models/cnn';
import { inNotebook, liveOutput, escapeHtml } from '../notebook';
import { historyFigure, type EpochRecord } from '../plot/charts';
import { figureHtml, loadPlotly, plotlyLoaded } from '../plot/plotly';
import { shuffledIndices } from '../random';

export type { EpochRecord } from '../plot/charts';

/** Labelled images: `pixels` `[n, height, width, channels]` uint8 NHWC, `labels` `[n]` int32 class indices. */
export interface LabeledImages {
  /** Number of images. */
  n: number;
  /** `[n, height, width, channels]` uint8 NHWC, row-major. */
  pixels: Uint8Array;
  /** `[n]` int32 class indices in [0, numClasses). */
  labels: Int32Array;
}

/** How training reports progress. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'notebook' | 'none';

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  /** Passes over the training set. @default 10 */
  epochs?: number;
  /** Images per minibatch; the last minibatch of an epoch may be smaller. @default 32 */
  batchSize?: number;
  /** Seed of the per-epoch shuffles (epoch e uses seed + e). @default 0 */
  seed?: number;
  /** Evaluated after each epoch (e.g. the test set, as in the TensorFlow tutorial). */
  validation?: LabeledImages;
  /**
   * 'bar': a progress bar on stderr (cli-progress); 'lines': one line per epoch
   * on stderr; 'notebook': a live loss/accuracy chart updated in place;
   * 'none'; 'auto': notebook in a tslab kernel, bar when stderr is a terminal,
   * else lines. @default 'auto'
   */
  progress?: ProgressMode;
  /** Called after each epoch with its record. */
  onEpochEnd?: (record: EpochRecord) => void;
}

/** What {@link trainClassifier} returns. */
export interface TrainResult {
  /** One record per completed epoch. */
  history: EpochRecord[];
  /** Wall time of the optimizer steps (excludes validation), in seconds. */
  trainSeconds: number;
  /** Training throughput, images/s (images seen / trainSeconds). */
  imagesPerSecond: number;
}

/**
 * Image size `[height, width, channels]` the model expects.
 * @throws {ArgumentError} when the model's input is not `[batch, height, width, channels]`.
 * @example
 * ```ts
 * inputImageShape(buildCifar10Cnn()); // [32, 32, 3]
 * ```
 */
export function inputImageShape(model: tf.LayersModel): [number, number, number] {
  const shape = model.inputs[0].shape;
  if (shape.length !== 4 || shape.slice(1).some((d) => d == null)) {
    throw new ArgumentError(`inputImageShape: the model's input must be [batch, height, width, channels] (NHWC), got [${shape.join(', ')}]`);
  }
  return [shape[1]!, shape[2]!, shape[3]!];
}

function checkImages(fn: string, arg: string, data: LabeledImages, hwc: [number, number, number]): void {
  if (data == null || !(data.pixels instanceof Uint8Array) || !(data.labels instanceof Int32Array)) {
    throw new ArgumentError(`${fn}: ${arg} must be { n, pixels: Uint8Array, labels: Int32Array }, got ${describe(data)}`);
  }
  const per = hwc[0] * hwc[1] * hwc[2];
  if (data.pixels.length !== data.n * per) {
    throw new ArgumentError(
      `${fn}: ${arg}.pixels has ${data.pixels.length} values but n = ${data.n} images of [${hwc.join(', ')}] (NHWC, as the model's input) need ${data.n * per}`,
    );
  }
  if (data.labels.length !== data.n) throw new ArgumentError(`${fn}: ${arg}.labels has ${data.labels.length} entries but n = ${data.n}`);
}

/** One minibatch of inputs and targets, as {@link makeBatch} builds it. */
export interface ImageMinibatch {
  /** Images `[batch, height, width, channels]` float32 in [0, 1]. */
  x: tf.Tensor4D;
  /** Targets: `[batch]` float32 class indices, or `[batch, numClasses]` float32 one-hot rows. */
  y: tf.Tensor1D | tf.Tensor2D;
}

/**
 * Builds one minibatch: images `indices[start..end)` as float32 in [0, 1]
 * (pixel / 255) and their labels.
 * @param oneHotClasses - 0 for class-index targets, else the number of classes for one-hot targets. @default 0
 * @returns `x` `[end-start, height, width, channels]` float32; `y` `[end-start]` float32
 *   holding the integer class indices (TF.js's sparse cross-entropy floors float
 *   labels), or `[end-start, numClasses]` float32 one-hot rows.
 * @example
 * ```ts
 * const { x, y } = makeBatch({ n: 1, pixels: new Uint8Array([255, 0, 51]), labels: new Int32Array([2]) }, [1, 1, 3], [0], 0, 1);
 * x.dataSync(); // Float32Array [1, 0, 0.2]
 * ```
 */
export function makeBatch(
  data: LabeledImages,
  hwc: [number, number, number],
  indices: ArrayLike<number>,
  start: number,
  end: number,
  oneHotClasses = 0,
): ImageMinibatch {
  const size = end - start;
  return batchTensors(data, hwc, indices, start, end, oneHotClasses, new Float32Array(size * hwc[0] * hwc[1] * hwc[2]), new Float32Array(size));
}

/**
 * {@link makeBatch} writing the float32 values into `xs` and `ys` (at least
 * `[end-start, height, width, channels]` and `[end-start]` long), so that a
 * training loop can reuse two buffers for every minibatch. Only for the wasm
 * backend, which copies values into its heap: `cpu` (and tfjs-node, until
 * first use) keep `xs` as the tensor's storage.
 */
function batchTensors(
  data: LabeledImages,
  hwc: [number, number, number],
  indices: ArrayLike<number>,
  start: number,
  end: number,
  oneHotClasses: number,
  xs: Float32Array,
  ys: Float32Array,
): ImageMinibatch {
  const per = hwc[0] * hwc[1] * hwc[2];
  const size = end - start;
  const pixels = data.pixels;
  for (let k = 0; k < size; k++) {
    const i = indices[start + k];
    const src = i * per;
    const off = k * per;
    for (let p = 0; p < per; p++) xs[off + p] = pixels[src + p] / 255; // float division: never integer
    ys[k] = data.labels[i]; // class indices as float32, as TF.js's sparse cross-entropy expects
  }
  const x = tf.tensor4d(xs.length === size * per ? xs : xs.subarray(0, size * per), [size, hwc[0], hwc[1], hwc[2]]);
  if (oneHotClasses === 0) return { x, y: tf.tensor1d(ys.length === size ? ys : ys.subarray(0, size), 'float32') };
  const oneHot = new Float32Array(size * oneHotClasses); // [size, numClasses]
  for (let k = 0; k < size; k++) oneHot[k * oneHotClasses + ys[k]] = 1;
  return { x, y: tf.tensor2d(oneHot, [size, oneHotClasses]) };
}

/**
 * Name of the first model weight holding NaN or ±Infinity, or undefined when all are finite.
 * @example
 * ```ts
 * const model = buildCifar10Cnn();
 * nonFiniteWeight(model); // undefined
 * model.layers[6].setWeights([model.layers[6].getWeights()[0], tf.fill([10], NaN)]);
 * nonFiniteWeight(model)?.startsWith('probabilities/bias'); // true (TF.js may suffix the name, e.g. _1)
 * ```
 */
export function nonFiniteWeight(model: tf.LayersModel): string | undefined {
  for (const w of model.weights) {
    const ok = tf.tidy(() => tf.all(tf.isFinite(w.read())).dataSync()[0] === 1);
    if (!ok) return w.name;
  }
  return undefined;
}

/** Result of {@link evaluateClassifier}. */
export interface Evaluation {
  /** Mean sparse categorical cross-entropy (natural log). */
  loss: number;
  /** Fraction of correct predictions, in [0, 1]. */
  accuracy: number;
  /** `[n]` predicted class indices (argmax of the outputs). */
  predictions: Int32Array;
  /** `[n, numClasses]` float32 class probabilities, row-major. */
  probabilities: Float32Array;
  /** `[numClasses, numClasses]` counts, rows true class, columns predicted. */
  confusion: number[][];
}

/**
 * Evaluates a classifier on labelled images in minibatches (no tensors leak).
 * Outputs are treated as probabilities when the last layer is a softmax, else
 * as logits (softmax applied here).
 * @example
 * ```ts
 * // A model that always predicts class 0 (softmax of zero logits except class 0):
 * const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 1, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
 * model.layers[1].setWeights([tf.zeros([1, 2]), tf.tensor1d([1, 0])]);
 * const data = { n: 4, pixels: new Uint8Array(4), labels: new Int32Array([0, 0, 1, 0]) };
 * const ev = evaluateClassifier(model, data);
 * ev.accuracy; // 0.75 (three of four labels are 0)
 * Array.from(ev.predictions); // [0, 0, 0, 0]
 * ev.confusion; // [[3, 0], [1, 0]]
 * // Loss: −ln σ(1) for the three images of class 0, −ln σ(−1) for the other, averaged:
 * ev.loss; // 0.5633
 * ```
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb)
 */
export function evaluateClassifier(model: tf.LayersModel, data: LabeledImages, batchSize = 256): Evaluation {
  const fn = 'evaluateClassifier';
  const hwc = inputImageShape(model);
  checkImages(fn, 'data', data, hwc);
  checkInteger(fn, 'batchSize', batchSize, 1);
  if (data.n === 0) throw new ArgumentError(`${fn}: data has no images (n = 0)`);
  const numClasses = model.outputs[0].shape[1]!;
  const logits = outputActivation(model) !== 'softmax';
  const probabilities = new Float32Array(data.n * numClasses);
  const identity = Int32Array.from({ length: data.n }, (_, i) => i);
  for (let start = 0; start < data.n; start += batchSize) {
    const end = Math.min(start + batchSize, data.n);
    const { x, y } = makeBatch(data, hwc, identity, start, end);
    const p = tf.tidy(() => {
      const out = model.predict(x) as tf.Tensor2D; // [batch, numClasses]
      return logits ? tf.softmax(out) : out;
    });
    probabilities.set(p.dataSync() as Float32Array, start * numClasses);
    tf.dispose([x, y, p]);
  }
  const predictions = new Int32Array(data.n);
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < data.n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    predictions[i] = best;
    if (best === data.labels[i]) correct++;
    // Same clipping as Keras/TF.js: probabilities in [1e-7, 1 - 1e-7].
    lossSum -= Math.log(Math.min(Math.max(probabilities[i * numClasses + data.labels[i]], 1e-7), 1 - 1e-7));
  }
  return {
    loss: lossSum / data.n,
    accuracy: correct / data.n,
    predictions,
    probabilities,
    confusion: confusionMatrix(data.labels, predictions, numClasses),
  };
}

interface Reporter {
  epochStart(epoch: number, batches: number): void;
  batch(epoch: number, batch: number, loss: number, accuracy: number, imagesPerSecond: number): void;
  epochEnd(record: EpochRecord, history: EpochRecord[], seconds: number, imagesPerSecond: number): void;
  stop(): void;
}

function pickMode(mode: ProgressMode): ProgressMode {
  if (mode !== 'auto') return mode;
  if (inNotebook()) return 'notebook';
  return process.stderr.isTTY ? 'bar' : 'lines';
}

function fmt(r: EpochRecord): string {
  const val = r.valLoss === undefined ? '' : ` | val loss ${r.valLoss.toFixed(4)} | val acc ${r.valAccuracy!.toFixed(4)}`;
  return `loss ${r.loss.toFixed(4)} | acc ${r.accuracy.toFixed(4)}${val}`;
}

function makeReporter(mode: ProgressMode, epochs: number): Reporter {
  const noop = () => undefined;
  if (mode === 'none') return { epochStart: noop, batch: noop, epochEnd: noop, stop: noop };
  if (mode === 'lines') {
    return {
      epochStart: noop,
      batch: noop,
      epochEnd: (r, _h, s, ips) => console.error(`epoch ${r.epoch}/${epochs} | ${fmt(r)} | ${s.toFixed(1)} s | ${Math.round(ips)} img/s`),
      stop: noop,
    };
  }
  if (mode === 'bar') {
    const bar = new SingleBar({
      format: 'epoch {ep}/{epochs} [{bar}] {value}/{total} | loss {loss} | acc {acc} | {ips} img/s | ETA {eta}s',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    });
    return {
      epochStart: (epoch, batches) => bar.start(batches, 0, { ep: epoch, epochs, loss: '-', acc: '-', ips: '-' }),
      batch: (_e, b, loss, acc, ips) => bar.update(b, { loss: loss.toFixed(4), acc: acc.toFixed(4), ips: Math.round(ips) }),
      epochEnd: (r, _h, s, ips) => {
        bar.stop();
        console.error(`epoch ${r.epoch}/${epochs} | ${fmt(r)} | ${s.toFixed(1)} s | ${Math.round(ips)} img/s`);
      },
      stop: () => bar.stop(),
    };
  }
  // notebook: one output, updated in place: a progress line and the live chart.
  if (!plotlyLoaded()) loadPlotly();
  const out = liveOutput();
  let batches = 1;
  let last = 0;
  let live: EpochRecord[] = [];
  const render = (status: string) =>
    out.update({ html: `<div style="font-family:monospace">${escapeHtml(status)}</div>${figureHtml(historyFigure(live, 'Training (live)'), { height: 320 })}`, text: status });
  return {
    epochStart: (_e, n) => {
      batches = n;
    },
    batch: (epoch, b, loss, acc, ips) => {
      const now = Date.now();
      if (now - last < 1000 && b < batches) return; // at most one redraw per second
      last = now;
      const partial: EpochRecord = { epoch: epoch - 1 + b / batches, loss, accuracy: acc };
      live = [...live.filter((r) => Number.isInteger(r.epoch)), partial];
      const pct = Math.round((100 * b) / batches);
      render(`epoch ${epoch}/${epochs}: ${pct}% (${b}/${batches} minibatches) | loss ${loss.toFixed(4)} | acc ${acc.toFixed(4)} | ${Math.round(ips)} img/s`);
    },
    epochEnd: (r, history, s, ips) => {
      live = [...history];
      render(`epoch ${r.epoch}/${epochs} done in ${s.toFixed(1)} s (${Math.round(ips)} img/s) | ${fmt(r)}`);
    },
    stop: noop,
  };
}

/**
 * Trains a compiled classifier (see `compileClassifier`) with minibatch
 * gradient descent: each epoch shuffles the training set (seeded), runs one
 * optimizer step per minibatch, and evaluates on `options.validation`.
 * Epoch loss and accuracy are means over minibatches weighted by their size,
 * so the last partial minibatch counts for what it holds.
 *
 * @param model - a compiled `tf.LayersModel` with input `[batch, height, width, channels]`.
 * @param train - training images (`pixels` `[n, height, width, channels]` uint8 NHWC, `labels` `[n]` int32).
 * @throws {ArgumentError} on bad options or data whose size does not match the model's input.
 * @throws {NonFiniteLossError} when a minibatch's loss is NaN or infinite (the
 *   message names the epoch and minibatch), or a weight is after an epoch;
 *   no tensors are left behind.
 * @example
 * ```ts
 * const data = await loadCifar10({ trainSize: 256, testSize: 128 }); // DL_COURSE_CIFAR10 or the download
 * const model = compileClassifier(buildCifar10Cnn({ seed: 0 }));
 * const { history, imagesPerSecond } = await trainClassifier(model, data.train, { epochs: 2, batchSize: 32, validation: data.test, progress: 'none' });
 * history.length; // 2
 * history[1].loss < history[0].loss; // true (it learns)
 * imagesPerSecond > 0; // true
 * ```
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb)
 */
export async function trainClassifier(model: tf.LayersModel, train: LabeledImages, options: TrainOptions = {}): Promise<TrainResult> {
  const fn = 'trainClassifier';
  const epochs = checkInteger(fn, 'options.epochs', options.epochs ?? 10, 1);
  const batchSize = checkInteger(fn, 'options.batchSize', options.batchSize ?? 32, 1);
  const seed = checkInteger(fn, 'options.seed', options.seed ?? 0, 0);
  const modes: ProgressMode[] = ['auto', 'bar', 'lines', 'notebook', 'none'];
  if (!modes.includes(options.progress ?? 'auto')) {
    throw new ArgumentError(`${fn}: options.progress must be one of ${modes.join(', ')}, got ${describe(options.progress)}`);
  }
  if (!model.optimizer) throw new ArgumentError(`${fn}: the model is not compiled; call compileClassifier(model) first`);
  const hwc = inputImageShape(model);
  checkImages(fn, 'train', train, hwc);
  if (train.n === 0) throw new ArgumentError(`${fn}: train has no images (n = 0)`);
  if (options.validation) checkImages(fn, 'options.validation', options.validation, hwc);

  const oneHotClasses = usesOneHotLabels(model) ? model.outputs[0].shape[1]! : 0;
  const reporter = makeReporter(pickMode(options.progress ?? 'auto'), epochs);
  const history: EpochRecord[] = [];
  let trainSeconds = 0;
  const batches = Math.ceil(train.n / batchSize);
  // One pair of minibatch buffers for the whole run on wasm, which copies
  // tensor values into its heap (cpu and tfjs-node keep the array itself).
  const reuse = tf.getBackend() === 'wasm';
  const per = hwc[0] * hwc[1] * hwc[2];
  const xsBuffer = reuse ? new Float32Array(Math.min(batchSize, train.n) * per) : undefined;
  const ysBuffer = reuse ? new Float32Array(Math.min(batchSize, train.n)) : undefined;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = shuffledIndices(train.n, (seed + epoch) >>> 0);
      reporter.epochStart(epoch, batches);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      const t0 = performance.now();
      for (let b = 0; b < batches; b++) {
        const start = b * batchSize;
        const end = Math.min(start + batchSize, train.n);
        const { x, y } = reuse
          ? batchTensors(train, hwc, order, start, end, oneHotClasses, xsBuffer!, ysBuffer!)
          : makeBatch(train, hwc, order, start, end, oneHotClasses);
        let values: number | number[];
        try {
          values = await model.trainOnBatch(x, y);
        } finally {
          tf.dispose([x, y]);
        }
        const [loss, acc] = Array.isArray(values) ? values : [values, NaN];
        if (!Number.isFinite(loss)) {
          throw new NonFiniteLossError(
            `${fn}: the loss became ${loss} at epoch ${epoch}, minibatch ${b + 1} of ${batches}; training stopped. ` +
              `Common causes: a learning rate too high, inputs not scaled to [0, 1], or labels outside [0, numClasses).`,
          );
        }
        lossSum += loss * (end - start);
        accSum += acc * (end - start);
        seen += end - start;
        const elapsed = (performance.now() - t0) / 1000;
        reporter.batch(epoch, b + 1, lossSum / seen, accSum / seen, seen / elapsed);
      }
      const seconds = (performance.now() - t0) / 1000;
      trainSeconds += seconds;
      // Some kernels (XNNPACK's softmax on wasm) turn NaN logits into a finite
      // loss, so the weights are checked too, once per epoch.
      const bad = nonFiniteWeight(model);
      if (bad) {
        throw new NonFiniteLossError(
          `${fn}: weight '${bad}' holds NaN or Infinity after epoch ${epoch}; training stopped. ` +
            `Common causes: a learning rate too high, or inputs not scaled to [0, 1].`,
        );
      }
      const record: EpochRecord = { epoch, loss: lossSum / seen, accuracy: accSum / seen };
      if (options.validation && options.validation.n > 0) {
        const ev = evaluateClassifier(model, options.validation);
        record.valLoss = ev.loss;
        record.valAccuracy = ev.accuracy;
      }
      history.push(record);
      reporter.epochEnd(record, history, seconds, seen / seconds);
      options.onEpochEnd?.(record);
    }
  } finally {
    reporter.stop();
  }
  return { history, trainSeconds, imagesPerSecond: (train.n * epochs) / trainSeconds };
}
