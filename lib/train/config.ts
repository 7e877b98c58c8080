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
 * @see [Notebook 07: outlook: why models grow](../../notebooks/07-outlook.ipynb#Chapter-07:-outlook:-why-models-grow)
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
  /** Adam's learning rate (step size). */
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
  /** Adam's learning rate (step size). */
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
  epochs: 6,
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
 * without augmentation (crop with 4 pixels of padding, flip), 6 epochs of
 * minibatches of 32, Adam at 10⁻³; then a 20-layer net (8/16/32) with and
 * without shortcuts for 3 epochs on 500 images. Sized to train in about 10
 * minutes on 2 cores with the wasm backend. Quick mode: 100 training and 50
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
