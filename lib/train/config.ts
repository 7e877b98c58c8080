/**
 * One configuration object per chapter that trains a model: every
 * hyperparameter with its unit, and the smaller values of quick mode
 * (`COURSE_QUICK=1`, for tests and CI). The notebooks, the command line and
 * its `--help` text all read them from here.
 */
import { quickMode } from '../core/quick';
import type { ActivationName } from '../nn/activations';
import type { OptimizerName } from '../nn/optimizers';

/** A chapter's configuration: the full lesson and quick mode. */
export interface ChapterConfig<T> {
  /** The values of the real lesson. */
  readonly full: Readonly<T>;
  /** The values with `COURSE_QUICK=1`: a small slice, one epoch. */
  readonly quick: Readonly<T>;
}

/**
 * The values for this run: `config.quick` in quick mode, else `config.full`.
 * @example
 * ```ts
 * currentConfig(CHAPTER05_CONFIG).epochs; // 10 (COURSE_QUICK unset)
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04b: cats against dogs with a small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#Chapter-04b:-cats-against-dogs-with-a-small-ResNet)
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb#Chapter-05:-a-CNN-for-CIFAR-10)
 * @see [Notebook 06: a customer-service intent classifier](../../notebooks/06-customer-service.ipynb#Chapter-06:-a-customer-service-intent-classifier)
 * @see [Notebook 06b: recognising your own images](../../notebooks/06b-own-images.ipynb#Chapter-06b:-recognising-your-own-images)
 * @see [Notebook 06c: a spoken-keyword voice assistant](../../notebooks/06c-voice-assistant.ipynb#Chapter-06c:-a-spoken-keyword-voice-assistant)
 * @see [Notebook 07: outlook: why models grow](../../notebooks/07-outlook.ipynb#Chapter-07:-outlook:-why-models-grow)
 * @see [Notebook 09: summary and challenges, privacy and compute measured](../../notebooks/09-summary-and-challenges.ipynb#Chapter-09:-summary-and-challenges,-privacy-and-compute-measured)
 * @see [Notebook 10: questions, and training efficiency](../../notebooks/10-questions-and-efficiency.ipynb#Chapter-10:-questions,-and-training-efficiency)
 */
export function currentConfig<T>(config: ChapterConfig<T>): Readonly<T> {
  return quickMode() ? config.quick : config.full;
}

/**
 * Hyperparameters of `trainMlp`, with units.
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 */
export interface MlpTrainConfig {
  /** Units of each hidden layer, e.g. `[128]` for one hidden layer of 128 units. */
  hiddenUnits: number[];
  /** Activation of the hidden layers. */
  hiddenActivation: ActivationName;
  /** `sgd`, `momentum` (μ = 0.9) or `adam` (β₁ = 0.9, β₂ = 0.999, ε = 1e-7). */
  optimizer: OptimizerName;
  /** Step size η of the optimizer (the learning rate). */
  learningRate: number;
  /** Passes over the training examples. */
  epochs: number;
  /** Examples per minibatch (the last one of an epoch may be smaller). */
  batchSize: number;
  /** Fraction of the training examples held out for validation (shuffled first), in [0, 1). */
  validationFraction: number;
  /** Seed of the initial weights, the validation split and each epoch's shuffle. */
  seed: number;
}

/** Chapter 04: the MLP's hyperparameters and how much of Fashion-MNIST to load. */
export interface Chapter04Config extends MlpTrainConfig {
  /** Training images to load (the first ones); `undefined`: all 60,000. */
  trainSize?: number;
  /** Test images to load (the first ones); `undefined`: all 10,000. */
  testSize?: number;
}

const CHAPTER04_FULL: Chapter04Config = {
  hiddenUnits: [128],
  hiddenActivation: 'relu',
  optimizer: 'adam',
  learningRate: 1e-3,
  epochs: 5,
  batchSize: 64,
  validationFraction: 0.1,
  seed: 0,
};

/**
 * Chapter 04: a two-layer MLP 784 → 128 (ReLU) → 10 trained with Adam
 * (η = 10⁻³) on minibatches of 64 for 5 epochs, 10% of the training set held
 * out for validation. On the full Fashion-MNIST it reaches a test accuracy
 * ≥ 0.85 (checked by test/train/train_mlp.test.ts). Quick mode: one epoch on
 * the first 2,000 training and 1,000 test images.
 * @example
 * ```ts
 * CHAPTER04_CONFIG.full.hiddenUnits; // [128]
 * CHAPTER04_CONFIG.quick.epochs; // 1
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 */
export const CHAPTER04_CONFIG: ChapterConfig<Chapter04Config> = deepFreeze({
  full: CHAPTER04_FULL,
  quick: { ...CHAPTER04_FULL, hiddenUnits: [...CHAPTER04_FULL.hiddenUnits], epochs: 1, trainSize: 2000, testSize: 1000 },
});

/** Chapter 05: the CIFAR-10 CNN's training run. */
export interface Chapter05Config {
  /** Passes over the training set. */
  epochs: number;
  /** Images per minibatch. */
  batchSize: number;
  /** Adam's learning rate (step size) at the start; a cosine decay takes it to 0 by the last minibatch. */
  learningRate: number;
  /** Seed of the initial weights, of the validation split and of each epoch's shuffle. */
  seed: number;
  /** Fraction of the training images held out for validation (watched each epoch; the test set is used once, at the end), in [0, 1). */
  validationFraction: number;
  /** Training images to use (the first ones, before the validation split); `undefined`: all 50,000. */
  trainSize?: number;
  /** Test images to use (the first ones); `undefined`: all 10,000. */
  testSize?: number;
}

const CHAPTER05_FULL: Chapter05Config = { epochs: 10, batchSize: 32, learningRate: 1e-3, seed: 0, validationFraction: 0.1 };

/**
 * Chapter 05: the TensorFlow tutorial's run of its CNN: Adam (learning rate
 * 10⁻³), minibatches of 32, 10 epochs on all of CIFAR-10, with 10% of the
 * training images held out for validation (the tutorial validates on the test
 * set; here the test set is touched once, at the end). Quick mode: one
 * epoch on the first 1,000 training and 500 test images. The notebook, the
 * main job (`npm run cifar10`) and its `--help` text read these values.
 * @example
 * ```ts
 * CHAPTER05_CONFIG.full.epochs; // 10
 * CHAPTER05_CONFIG.quick.trainSize; // 1000
 * ```
 * @see [Notebook 05: a CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb#Chapter-05:-a-CNN-for-CIFAR-10)
 */
export const CHAPTER05_CONFIG: ChapterConfig<Chapter05Config> = deepFreeze({
  full: CHAPTER05_FULL,
  quick: { ...CHAPTER05_FULL, epochs: 1, trainSize: 1000, testSize: 500 },
});

/** Chapter 09: membership inference against an MLP trained with and without DP-SGD; accuracy against training FLOPs. */
export interface Chapter09Config {
  /** Privacy (§1–3): an MLP 784 → hidden → 10 on Fashion-MNIST, trained with `trainDpSgd`. */
  privacy: {
    /** Training examples (the members); as many held-out test images are the non-members, and as many again the chance-level check. */
    members: number;
    /** Hidden units of the MLP. */
    hiddenUnits: number;
    /** Examples per minibatch. */
    batchSize: number;
    /** Passes over the members, for every run. */
    epochs: number;
    /** Plain SGD's step size η for the non-private run (no clipping, no noise). */
    learningRate: number;
    /** DP-SGD's step size η (clipped gradients are shorter, so a larger step). */
    dpLearningRate: number;
    /** C: per-example gradient clipping norm of the DP-SGD runs. */
    clipNorm: number;
    /** σ of each DP-SGD run (the noise's standard deviation is σ·C). */
    noiseMultipliers: number[];
    /** Seed of the subset, the weights, the shuffles and the noise. */
    seed: number;
  };
  /** Compute (§4–5): the course's MLP and CNN on CIFAR-10, test accuracy after each epoch. */
  compute: {
    /** Training images (the first ones). */
    trainSize: number;
    /** Test images (the first ones). */
    testSize: number;
    /** Passes over the training images. */
    epochs: number;
    /** Examples per minibatch. */
    batchSize: number;
    /** Hidden units of the MLP 3072 → hidden → 10. */
    mlpHidden: number;
  };
}

const CHAPTER09_FULL: Chapter09Config = {
  privacy: { members: 400, hiddenUnits: 128, batchSize: 20, epochs: 30, learningRate: 0.2, dpLearningRate: 0.5, clipNorm: 1, noiseMultipliers: [0.5, 1, 2, 4], seed: 0 },
  compute: { trainSize: 5000, testSize: 1000, epochs: 4, batchSize: 32, mlpHidden: 128 },
};

/**
 * Chapter 09: privacy measured on 400 Fashion-MNIST members (30 epochs, four
 * noise multipliers), compute on 5,000 CIFAR-10 images (4 epochs, the
 * MLP and the CNN). Quick mode: 100 members, 15 epochs, two noise multipliers; 200
 * CIFAR-10 images, 2 epochs.
 * @example
 * ```ts
 * CHAPTER09_CONFIG.full.privacy.noiseMultipliers; // [0.5, 1, 2, 4]
 * CHAPTER09_CONFIG.quick.privacy.members; // 100
 * ```
 * @see [Notebook 09: summary and challenges, privacy and compute measured](../../notebooks/09-summary-and-challenges.ipynb#Chapter-09:-summary-and-challenges,-privacy-and-compute-measured)
 */
export const CHAPTER09_CONFIG: ChapterConfig<Chapter09Config> = deepFreeze({
  full: CHAPTER09_FULL,
  quick: {
    privacy: { ...CHAPTER09_FULL.privacy, members: 100, hiddenUnits: 64, epochs: 15, noiseMultipliers: [1, 4] },
    compute: { ...CHAPTER09_FULL.compute, trainSize: 200, testSize: 200, epochs: 2, mlpHidden: 32 },
  },
});

/** Chapter 10: data-parallel workers, prefetching, batch size and backends, measured. */
export interface Chapter10Config {
  /** Fashion-MNIST training images used (a seeded random subset). */
  trainSize: number;
  /** Test images (the first ones). */
  testSize: number;
  /** Hidden units of the MLP 784 → hidden → 10 in every experiment. */
  hiddenUnits: number;
  /** Data parallelism: examples per minibatch (split over the workers). */
  parallelBatchSize: number;
  /** Data parallelism: timed steps per worker count (after one warm-up step). */
  parallelSteps: number;
  /** Data parallelism: worker counts to time. */
  workerCounts: number[];
  /** Prefetching: minibatches per timed epoch, and their size. */
  prefetchBatches: number;
  /** Examples per minibatch in the prefetching experiment. */
  prefetchBatchSize: number;
  /** Prefetching: a simulated storage latency per minibatch read, milliseconds (a network disk's; 0: local files only). */
  storageLatencyMs: number;
  /** Batch-size sweep: the sizes, and the epochs of each run. */
  batchSizes: number[];
  /** Passes over the training images in each batch-size run. */
  sweepEpochs: number;
  /** Seed of the subset, the weights and the shuffles. */
  seed: number;
}

const CHAPTER10_FULL: Chapter10Config = {
  trainSize: 10000,
  testSize: 2000,
  hiddenUnits: 256,
  parallelBatchSize: 256,
  parallelSteps: 40,
  workerCounts: [1, 2],
  prefetchBatches: 40,
  prefetchBatchSize: 128,
  storageLatencyMs: 10,
  batchSizes: [8, 32, 128, 512],
  sweepEpochs: 3,
  seed: 0,
};

/**
 * Chapter 10: sized for a 2-core laptop (a few minutes). Quick mode: 1,000
 * training images, 8 timed data-parallel steps, 10 prefetched minibatches,
 * three batch sizes for one epoch.
 * @example
 * ```ts
 * CHAPTER10_CONFIG.full.workerCounts; // [1, 2]
 * CHAPTER10_CONFIG.quick.sweepEpochs; // 1
 * ```
 * @see [Notebook 10: questions, and training efficiency](../../notebooks/10-questions-and-efficiency.ipynb#Chapter-10:-questions,-and-training-efficiency)
 */
export const CHAPTER10_CONFIG: ChapterConfig<Chapter10Config> = deepFreeze({
  full: CHAPTER10_FULL,
  quick: { ...CHAPTER10_FULL, trainSize: 1000, testSize: 500, hiddenUnits: 128, parallelSteps: 8, prefetchBatches: 10, batchSizes: [16, 64, 256], sweepEpochs: 1 },
});

/** Chapter 02: the small classifier whose scores show a decision threshold's trade-off. */
export interface Chapter02Config {
  /** Training images (the first ones of Fashion-MNIST's 60,000). */
  trainSize: number;
  /** Test images (the first ones of the 10,000): the scores and the curve are measured on them. */
  testSize: number;
  /** Hidden units of the MLP 784 → hidden → 10. */
  hidden: number;
  /** Passes over the training images (Adam, learning rate 10⁻³, minibatches of 64). */
  epochs: number;
  /** The class scored against the rest: 6, 'Shirt', the class Fashion-MNIST models confuse most. */
  positiveClass: number;
  /** Decision thresholds at which precision and recall are measured, in (0, 1). */
  thresholds: number[];
}

const CHAPTER02_FULL: Chapter02Config = {
  trainSize: 20000,
  testSize: 10000,
  hidden: 64,
  epochs: 3,
  positiveClass: 6,
  thresholds: Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100), // 0.05, 0.1, …, 0.95
};

/**
 * Chapter 02: a small MLP trained on Fashion-MNIST in seconds, whose
 * probability for one class (shirts) against the rest is the score that a
 * decision threshold cuts. Quick mode: the first 2,000 training and 1,000
 * test images (all that the tests' stand-in Fashion-MNIST has).
 * @example
 * ```ts
 * CHAPTER02_CONFIG.full.thresholds.length; // 19
 * CHAPTER02_CONFIG.quick.epochs; // 3
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 */
export const CHAPTER02_CONFIG: ChapterConfig<Chapter02Config> = deepFreeze({
  full: CHAPTER02_FULL,
  quick: { ...CHAPTER02_FULL, thresholds: [...CHAPTER02_FULL.thresholds], trainSize: 2000, testSize: 1000, epochs: 3 },
});

/** Chapter 03: the experiments that measure the training pipeline's pros and cons on Fashion-MNIST, with the chapter-04 MLP. */
export interface Chapter03Config {
  /** Training images to draw from (a seeded random subset of the 60,000). */
  trainSize: number;
  /** Test images (the first ones of the 10,000): every test accuracy is measured on them. */
  testSize: number;
  /** Passes over the training images in each run (except the overfitting run). */
  epochs: number;
  /** Examples per minibatch. */
  batchSize: number;
  /** Hidden units of the MLP 784 → hidden → 10, except in the compute-cost sweep. */
  hidden: number;
  /** Compute cost: hidden widths to time (one epoch each on `trainSize` images). */
  widths: number[];
  /** Data dependence: training-set sizes, each ≤ `trainSize`. */
  trainSizes: number[];
  /** Data dependence: fractions of training labels replaced by a wrong class, in [0, 1]. */
  noiseFractions: number[];
  /** Plain SGD's learning rates to sweep (step size η). */
  learningRates: number[];
  /** Overfitting: training images (few, so the MLP can memorise them). */
  overfitTrainSize: number;
  /** Overfitting: hidden units (many). */
  overfitHidden: number;
  /** Overfitting: passes over the training images. */
  overfitEpochs: number;
  /** Seed of the subsets, the noise, the initial weights and the shuffles. */
  seed: number;
}

const CHAPTER03_FULL: Chapter03Config = {
  trainSize: 10000,
  testSize: 10000,
  epochs: 5,
  batchSize: 64,
  hidden: 64,
  widths: [16, 64, 256, 1024],
  trainSizes: [100, 500, 2500, 10000],
  noiseFractions: [0, 0.2, 0.4, 0.6, 0.8],
  learningRates: [0.001, 0.01, 0.1, 1, 10],
  overfitTrainSize: 500,
  overfitHidden: 512,
  overfitEpochs: 60,
  seed: 0,
};

/**
 * Chapter 03: the sizes of the experiments on the training pipeline's pros
 * and cons (compute cost, data dependence, input scaling, optimizers,
 * learning rate, overfitting), sized for a 2-core laptop; quick mode keeps
 * the notebook's run under a minute and within the 2,000 training and 1,000
 * test images that the tests' stand-in Fashion-MNIST has.
 * @example
 * ```ts
 * CHAPTER03_CONFIG.full.widths; // [16, 64, 256, 1024]
 * CHAPTER03_CONFIG.quick.trainSize; // 2000
 * ```
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 */
export const CHAPTER03_CONFIG: ChapterConfig<Chapter03Config> = deepFreeze({
  full: CHAPTER03_FULL,
  quick: {
    ...CHAPTER03_FULL,
    trainSize: 2000,
    testSize: 1000,
    epochs: 3,
    hidden: 64,
    widths: [16, 64, 256, 1024],
    trainSizes: [100, 500, 2000],
    noiseFractions: [0, 0.4, 0.8],
    learningRates: [0.001, 0.1, 10],
    overfitTrainSize: 300,
    overfitHidden: 256,
    overfitEpochs: 40,
  },
});

/** Chapter 04b: cats against dogs, the plain CNN against a small ResNet, and the same depth with and without shortcuts. */
export interface Chapter04bConfig {
  /** Training images per class (the first ones of CIFAR-10's cats and dogs), before the validation split. */
  trainPerClass: number;
  /** Test images per class (the first ones). */
  testPerClass: number;
  /** Fraction of the training images held out for validation (it chooses the epoch), in [0, 1). */
  validationFraction: number;
  /** Passes over the training images of the four comparison runs. */
  epochs: number;
  /** Images per minibatch. */
  batchSize: number;
  /** Adam's learning rate (step size) at the start; a cosine decay takes it to 0 by the last minibatch. */
  learningRate: number;
  /** Seed of the initial weights, the validation split, the shuffles and the augmentation. */
  seed: number;
  /** Residual blocks per stage (n) and channels of the three stages of the comparison's ResNet (6n + 2 layers). */
  resnet: {
    /** Residual blocks per stage, n. */
    blocksPerStage: number;
    /** Channels of the three stages. */
    widths: [number, number, number];
  };
  /** Zero pixels padded on each side before the random crop (He et al. 2016 §4.2: 4). */
  padding: number;
  /** The shortcut experiment: a deeper net with and without shortcuts, on `trainImages` training images for `epochs` epochs. */
  shortcuts: {
    /** Residual blocks per stage, n (6n + 2 layers). */
    blocksPerStage: number;
    /** Channels of the three stages. */
    widths: [number, number, number];
    /** Training images used (the first ones of the training split). */
    trainImages: number;
    /** Passes over them. */
    epochs: number;
  };
}

const CHAPTER04B_FULL: Chapter04bConfig = {
  trainPerClass: 1000,
  testPerClass: 1000,
  validationFraction: 0.1,
  epochs: 8,
  batchSize: 32,
  learningRate: 1e-3,
  seed: 0,
  resnet: { blocksPerStage: 1, widths: [8, 16, 32] },
  padding: 4,
  shortcuts: { blocksPerStage: 3, widths: [8, 16, 32], trainImages: 500, epochs: 3 },
};

/**
 * Chapter 04b: CIFAR-10's cats and dogs (1,000 training images of each, 10%
 * held out for validation; up to 1,000 test images of each), the chapter-05
 * CNN with 2 outputs against a ResNet-8 of 8/16/32 channels, each with and
 * without augmentation (crop with 4 pixels of padding, flip), 8 epochs of
 * minibatches of 32, Adam from 10⁻³ with a cosine decay to 0, and the
 * ensemble of the four; then a 20-layer net (8/16/32) with and
 * without shortcuts for 3 epochs on 500 images: 25.1 minutes of training
 * measured on 2 CPU cores shared with other jobs (load average ~20), wasm
 * backend. Quick mode: 100 training and 50
 * test images per class, 1 epoch, a ResNet-8 of 4/8/8 channels.
 * @example
 * ```ts
 * CHAPTER04B_CONFIG.full.resnet.widths; // [8, 16, 32]
 * CHAPTER04B_CONFIG.quick.epochs; // 1
 * ```
 * @see [Notebook 04b: cats against dogs with a small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#Chapter-04b:-cats-against-dogs-with-a-small-ResNet)
 */
export const CHAPTER04B_CONFIG: ChapterConfig<Chapter04bConfig> = deepFreeze({
  full: CHAPTER04B_FULL,
  quick: {
    ...CHAPTER04B_FULL,
    trainPerClass: 100,
    testPerClass: 50,
    epochs: 1,
    resnet: { blocksPerStage: 1, widths: [4, 8, 8] },
    shortcuts: { blocksPerStage: 2, widths: [4, 8, 8], trainImages: 64, epochs: 1 },
  },
});

/** Chapter 06: the customer-service intent classifier (data/intents, shipped with the course). */
export interface Chapter06Config {
  /** Keep a word in the vocabulary only when it occurs at least this often in the training messages. */
  minCount: number;
  /** Token ids per message for the embedding model (longer messages are cut, shorter ones padded). */
  sequenceLength: number;
  /** Numbers per word vector of the embedding model. */
  embeddingDim: number;
  /** Passes over the training messages, for each model. */
  epochs: number;
  /** Messages per minibatch. */
  batchSize: number;
  /** Adam's learning rate (step size). */
  learningRate: number;
  /** Accuracy the answered validation messages must reach; sets the "I'm not sure" threshold. */
  targetAccuracy: number;
  /** Seed of the initial weights and the shuffles. */
  seed: number;
}

const CHAPTER06_FULL: Chapter06Config = {
  minCount: 1,
  sequenceLength: 16,
  embeddingDim: 16,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.02,
  targetAccuracy: 0.95,
  seed: 0,
};

/**
 * Chapter 06: 396 training messages of 11 intents, words seen at least once
 * in training, messages of up to 16 tokens, word vectors of 16 numbers, 20
 * epochs of minibatches of 32 with Adam at 0.02, a threshold for 95% accuracy
 * on the answered validation messages. Training both models takes seconds,
 * so quick mode is the full lesson: the accuracies the notebook states are
 * checked on every test run.
 * @example
 * ```ts
 * CHAPTER06_CONFIG.full.embeddingDim; // 16
 * CHAPTER06_CONFIG.quick.epochs === CHAPTER06_CONFIG.full.epochs; // true
 * ```
 * @see [Notebook 06: a customer-service intent classifier](../../notebooks/06-customer-service.ipynb#Chapter-06:-a-customer-service-intent-classifier)
 */
export const CHAPTER06_CONFIG: ChapterConfig<Chapter06Config> = deepFreeze({ full: CHAPTER06_FULL, quick: { ...CHAPTER06_FULL } });
/**
 * Chapter 06b: the model that classifies the learner's own images when no
 * chapter-05 model was saved: the chapter-05 CNN and hyperparameters
 * ({@link CHAPTER05_CONFIG}), trained briefly so the chapter runs on a fresh
 * install: 3 epochs on the first 10,000 training images, 10% of them held out
 * for validation, evaluated on the first 1,000 test images (chapter 05's full
 * run, 10 epochs on all of them, is better). Quick mode: one epoch on 500
 * images, evaluated on 200 (the grader runs it once per exercise).
 * @example
 * ```ts
 * CHAPTER06B_CONFIG.full.trainSize; // 10000
 * CHAPTER06B_CONFIG.quick.epochs; // 1
 * ```
 * @see [Notebook 06b: recognising your own images](../../notebooks/06b-own-images.ipynb#Chapter-06b:-recognising-your-own-images)
 */
export const CHAPTER06B_CONFIG: ChapterConfig<Chapter05Config> = deepFreeze({
  full: { ...CHAPTER05_FULL, epochs: 3, trainSize: 10_000, testSize: 1_000 },
  quick: { ...CHAPTER05_FULL, epochs: 1, trainSize: 500, testSize: 200 },
});

/** Chapter 07: the scaling experiment's grid (see `runScalingGrid`) and how many held-out images score it. */
export interface Chapter07Config {
  /** Width multipliers of the chapter-05 CNN (`buildCifar10Cnn({ widthMultiplier })`; 1 is the 167,562-parameter CNN). */
  widths: number[];
  /** Training-set sizes, images (the first ones of CIFAR-10's training set; each size doubles the one before). */
  trainSizes: number[];
  /** Images every run trains on (repeating a small training set for more epochs), so that runs differ only in width and data. */
  imagesSeen: number;
  /** Held-out images (the first ones of the test split) on which each epoch's loss is measured. */
  heldOutSize: number;
  /** Images per minibatch. */
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Seed of the initial weights and the shuffles. */
  seed: number;
}

const CHAPTER07_FULL: Chapter07Config = {
  widths: [0.125, 0.25, 0.5, 1],
  trainSizes: [500, 1000, 2000, 4000],
  imagesSeen: 12000,
  heldOutSize: 1000,
  batchSize: 32,
  learningRate: 1e-3,
  seed: 0,
};

/**
 * Chapter 07: the chapter-05 CNN at widths 1/8, 1/4, 1/2 and 1 (2,810 to
 * 167,562 parameters), each trained on 500, 1,000, 2,000 and 4,000 CIFAR-10
 * images for 12,000 images seen (Adam 10⁻³, minibatches of 32), scored by its
 * lowest loss on 1,000 held-out test images: 16 runs, 34 minutes measured on
 * 2 cores busy with other jobs (load average 11–18), wasm backend; less on an
 * idle machine. Quick mode: two widths, two sizes, 400 images seen, 100 held
 * out.
 * @example
 * ```ts
 * CHAPTER07_CONFIG.full.widths; // [0.125, 0.25, 0.5, 1]
 * CHAPTER07_CONFIG.quick.trainSizes; // [100, 200]
 * ```
 * @see [Notebook 07: outlook: why models grow](../../notebooks/07-outlook.ipynb#Chapter-07:-outlook:-why-models-grow)
 */
export const CHAPTER07_CONFIG: ChapterConfig<Chapter07Config> = deepFreeze({
  full: CHAPTER07_FULL,
  quick: { ...CHAPTER07_FULL, widths: [0.125, 0.25], trainSizes: [100, 200], imagesSeen: 400, heldOutSize: 100 },
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Settings of chapter 06c (the keyword voice assistant): the data, the features, the CNN and its training. */
export interface Chapter06cConfig {
  /** Clips per class in each split (spread over the split's voices); null: all of them. */
  perClass: number | null;
  /** Passes over the training clips. */
  epochs: number;
  /** Clips per minibatch. */
  batchSize: number;
  /** Adam's learning rate (step size). */
  learningRate: number;
  /** Seed of the initial weights and the shuffles. */
  seed: number;
  /** The log-mel features (`logMelSpectrogram`, `keywordImages`). */
  features: {
    /** Samples per second of the clips (Hz). */
    sampleRate: number;
    /** Samples per STFT frame. */
    frameLength: number;
    /** Samples from one frame's start to the next. */
    hop: number;
    /** FFT length (a power of two ≥ frameLength). */
    fftSize: number;
    /** Mel bands. */
    numMels: number;
    /** Lower edge of the first mel filter (Hz). */
    fMin: number;
    /** Upper edge of the last mel filter (Hz). */
    fMax: number;
    /** dB mapped to grey level 0. */
    minDb: number;
    /** dB mapped to grey level 255. */
    maxDb: number;
  };
  /** The keyword CNN (`buildKeywordCnn`). */
  model: {
    /** Filters of its two convolutions. */
    filters: [number, number];
    /** Units of its hidden dense layer. */
    denseUnits: number;
  };
  /** Training augmentation (`specAugmenter`). */
  augment: {
    /** Largest time shift, in frames. */
    maxShift: number;
    /** Time masks per image. */
    timeMasks: number;
    /** Widest time mask, in frames. */
    maxTimeMask: number;
    /** Frequency masks per image. */
    freqMasks: number;
    /** Widest frequency mask, in mel bands. */
    maxFreqMask: number;
  };
}

const CHAPTER06C_FULL: Chapter06cConfig = {
  perClass: null,
  epochs: 40,
  batchSize: 16,
  learningRate: 2e-3,
  seed: 0,
  features: { sampleRate: 16000, frameLength: 480, hop: 320, fftSize: 512, numMels: 40, fMin: 20, fMax: 8000, minDb: -40, maxDb: 20 },
  model: { filters: [16, 32], denseUnits: 64 },
  augment: { maxShift: 8, timeMasks: 1, maxTimeMask: 6, freqMasks: 1, maxFreqMask: 6 },
};

/**
 * Chapter 06c: every clip of data/keywords (12 classes; train, validation and
 * test spoken by different voices), log-mel images of 49 frames (30 ms every
 * 20 ms) × 40 mel bands over −40 … 20 dB, the chapter-05 CNN with 16/32
 * filters and 64 hidden units, 40 epochs of minibatches of 16 with time
 * shifts of up to 8 frames and one time and one frequency mask of up to 6,
 * Adam at 2·10⁻³. Sized to train in a few minutes on 2 cores. Quick mode: 4
 * clips per class and split, 1 epoch.
 * @example
 * ```ts
 * CHAPTER06C_CONFIG.full.features.numMels; // 40
 * CHAPTER06C_CONFIG.quick.perClass; // 4
 * ```
 * @see [Notebook 06c: a spoken-keyword voice assistant](../../notebooks/06c-voice-assistant.ipynb#Chapter-06c:-a-spoken-keyword-voice-assistant)
 */
export const CHAPTER06C_CONFIG: ChapterConfig<Chapter06cConfig> = deepFreeze({
  full: CHAPTER06C_FULL,
  quick: { ...CHAPTER06C_FULL, features: { ...CHAPTER06C_FULL.features }, model: { filters: [16, 32], denseUnits: 64 }, augment: { ...CHAPTER06C_FULL.augment }, perClass: 4, epochs: 1 },
});
