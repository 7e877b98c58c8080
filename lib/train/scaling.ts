/**
 * A small scaling experiment (chapter 07): the chapter-05 CNN at several
 * widths, each trained on several training-set sizes for the same number of
 * images seen, and its held-out loss at early stopping, so that the loss can
 * be plotted against parameters and data on log axes and fitted with a power
 * law (lib/nn/scaling_laws.ts). The design follows Kaplan et al. 2020,
 * "Scaling Laws for Neural Language Models", §3 (model size and data size
 * varied one at a time, early-stopped test loss), on a scale that runs on a
 * laptop.
 */
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';
import { sliceExamples, type LabeledExamples } from '../core/examples';
import type { EpochRecord } from '../core/history';
import { buildCifar10Cnn, compileClassifier } from '../models/cnn';
import { trainClassifier } from './classifier';
import { runSweep } from './sweep';

/** One cell of the grid: what {@link trainScalingRun} measured. */
export interface ScalingRun {
  /** Width multiplier of the CNN (`buildCifar10Cnn({ widthMultiplier: width })`). */
  width: number;
  /** Parameters of the CNN (weights and biases). */
  parameters: number;
  /** Training images (the first ones of the training set). */
  trainSize: number;
  /** Epochs trained: ⌈imagesSeen / trainSize⌉. */
  epochs: number;
  /** The epoch (1-based) with the lowest held-out loss. */
  bestEpoch: number;
  /** Lowest held-out loss over the epochs (mean cross-entropy, nats): the early-stopped loss. */
  heldOutLoss: number;
  /** Held-out accuracy at `bestEpoch`, in [0, 1]. */
  heldOutAccuracy: number;
  /** Wall time of training and the held-out evaluations, seconds. */
  seconds: number;
  /** One record per epoch (training and held-out loss and accuracy). */
  history: EpochRecord[];
}

/** Options of {@link trainScalingRun}. */
export interface ScalingRunOptions {
  /** Width multiplier of the CNN (> 0; 1 is the chapter-05 CNN). */
  width: number;
  /** Training images to use: the first `trainSize` of `train`. */
  trainSize: number;
  /** Images to train on in all, the same for every training-set size (so small sets are repeated for more epochs). */
  imagesSeen: number;
  /** Images per minibatch. @default 32 */
  batchSize?: number;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Seed of the initial weights and the shuffles. @default 0 */
  seed?: number;
}

/**
 * Trains `buildCifar10Cnn({ widthMultiplier: width })` (Adam, sparse cross-entropy) on the first
 * `trainSize` training images for ⌈imagesSeen / trainSize⌉ epochs, measuring
 * the loss on `heldOut` after each epoch, and returns the lowest one (early
 * stopping: the run is scored at its best epoch, as Kaplan et al. 2020 do for
 * the data axis). The model is freed afterwards.
 * @param train - training images, `pixels` `[n, 32, 32, 3]` uint8 NHWC, `labels` `[n]` int32 in [0, 10), n ≥ trainSize.
 * @param heldOut - images never trained on (e.g. part of the test split), same layout.
 * @param options - width, training-set size, images seen, optimizer settings.
 * @throws {ArgumentError} when an option is out of range or `train` has fewer than `trainSize` images; errors of `trainClassifier` (e.g. a non-finite loss) propagate.
 * @example
 * ```ts
 * const data = await loadCifar10({ trainSize: 64, testSize: 32 }); // DL_COURSE_CIFAR10 or the download
 * const run = await trainScalingRun(data.train, data.test, { width: 0.125, trainSize: 32, imagesSeen: 64 });
 * run.parameters; // 2810 (filters [4, 8], 8 dense units)
 * run.epochs; // 2
 * run.heldOutLoss === Math.min(...run.history.map((r) => r.valLoss)); // true
 * ```
 */
export async function trainScalingRun(train: LabeledExamples, heldOut: LabeledExamples, options: ScalingRunOptions): Promise<ScalingRun> {
  const fn = 'trainScalingRun';
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be { width, trainSize, imagesSeen }, got ${describe(options)}`);
  const width = checkPositive(fn, 'options.width', options.width);
  const trainSize = checkInteger(fn, 'options.trainSize', options.trainSize, 1);
  const imagesSeen = checkInteger(fn, 'options.imagesSeen', options.imagesSeen, trainSize);
  if (train?.n === undefined || train.n < trainSize) throw new ArgumentError(`${fn}: train must hold at least options.trainSize = ${trainSize} images, got ${describe(train?.n)}`);
  const seed = options.seed ?? 0;
  const epochs = Math.ceil(imagesSeen / trainSize);
  const model = compileClassifier(buildCifar10Cnn({ widthMultiplier: width, seed }), { learningRate: options.learningRate ?? 1e-3 });
  const start = performance.now();
  try {
    const { history } = await trainClassifier(model, sliceExamples(train, 0, trainSize), { epochs, batchSize: options.batchSize ?? 32, seed, validation: heldOut, progress: 'none' });
    const best = history.reduce((b, r) => ((r.valLoss ?? Infinity) < (b.valLoss ?? Infinity) ? r : b), history[0]);
    return {
      width,
      parameters: model.countParams(),
      trainSize,
      epochs,
      bestEpoch: best.epoch,
      heldOutLoss: best.valLoss!,
      heldOutAccuracy: best.valAccuracy!,
      seconds: (performance.now() - start) / 1000,
      history,
    };
  } finally {
    model.dispose();
  }
}

/** The grid of {@link runScalingGrid}. */
export interface ScalingGrid {
  /** Width multipliers, e.g. `[0.125, 0.25, 0.5, 1]`. */
  widths: readonly number[];
  /** Training-set sizes, e.g. `[1000, 2000, 4000, 8000]`. */
  trainSizes: readonly number[];
  /** Images seen by every run. */
  imagesSeen: number;
  /** Images per minibatch. @default 32 */
  batchSize?: number;
  /** Adam's learning rate. @default 0.001 */
  learningRate?: number;
  /** Seed of every run. @default 0 */
  seed?: number;
}

/**
 * Runs {@link trainScalingRun} for every width × training-set size, one after
 * the other (widths outer), printing a progress line per run (`runSweep`).
 * @param train - training images, at least `max(trainSizes)`.
 * @param heldOut - held-out images.
 * @param grid - the widths, sizes and images seen.
 * @param log - where the progress line of each run goes (its size, held-out loss, best epoch, seconds); `null`: nowhere. @default console.log
 * @returns one run per cell, widths outer, sizes inner.
 * @throws {ArgumentError} when `widths` or `trainSizes` is empty, or as {@link trainScalingRun}.
 * @example
 * ```ts
 * const data = await loadCifar10({ trainSize: 64, testSize: 32 });
 * const runs = await runScalingGrid(data.train, data.test, { widths: [0.125, 0.25], trainSizes: [32, 64], imagesSeen: 64 }, null);
 * runs.map((r) => `${r.width}/${r.trainSize}`); // ['0.125/32', '0.125/64', '0.25/32', '0.25/64']
 * ```
 * @see [Notebook 07 §2 The experiment: one CNN family, four widths, four training-set sizes](../../notebooks/07-outlook.ipynb#2.-The-experiment:-one-CNN-family,-four-widths,-four-training-set-sizes)
 */
export async function runScalingGrid(train: LabeledExamples, heldOut: LabeledExamples, grid: ScalingGrid, log: ((line: string) => void) | null = (line) => console.log(line)): Promise<ScalingRun[]> {
  const fn = 'runScalingGrid';
  for (const key of ['widths', 'trainSizes'] as const) {
    if (!Array.isArray(grid?.[key]) || grid[key].length === 0) throw new ArgumentError(`${fn}: grid.${key} must be a non-empty array, got ${describe(grid?.[key])}`);
  }
  const cells = grid.widths.flatMap((width) => grid.trainSizes.map((trainSize) => ({ width, trainSize })));
  const runs = await runSweep(
    'width/trainSize',
    cells,
    async (cell, i) => {
      const run = await trainScalingRun(train, heldOut, { ...cell, imagesSeen: grid.imagesSeen, batchSize: grid.batchSize, learningRate: grid.learningRate, seed: grid.seed });
      log?.(
        `run ${i + 1}/${cells.length}: width ${run.width} (${run.parameters.toLocaleString('en-US')} parameters), ${run.trainSize.toLocaleString('en-US')} images × ${run.epochs} epochs: ` +
          `held-out loss ${run.heldOutLoss.toFixed(3)} at epoch ${run.bestEpoch}, ${run.seconds.toFixed(1)} s`,
      );
      return run;
    },
    { log: null },
  );
  return runs.map((r) => r.result);
}
