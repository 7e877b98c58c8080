/**
 * A small residual network for 32×32 images: the CIFAR-10 variant of He,
 * Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition" (CVPR
 * 2016), §4.2: a 3×3 convolution, then three stages of `blocksPerStage`
 * residual blocks (two 3×3 convolutions each, batch normalisation after each
 * convolution), the second and third stages halving height and width and
 * doubling the channels, then global average pooling and a dense softmax
 * layer: 6n + 2 weighted layers for n blocks per stage (n = 3: ResNet-20).
 * Built with the TF.js functional API (`tf.model`), since a residual add
 * (`tf.layers.add`) joins two paths, which `tf.sequential` cannot express.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import type { ChannelNormalization } from '../core/examples';
import { guardImageInput } from './input_guard';

/** Hyperparameters of {@link buildResNet}. */
export interface ResNetConfig {
  /** Input height in pixels. @default 32 */
  height?: number;
  /** Input width in pixels. @default 32 */
  width?: number;
  /** Input channels (3 for RGB). @default 3 */
  channels?: number;
  /** Number of classes, the length of the output vector. @default 10 */
  numClasses?: number;
  /** Residual blocks per stage, n in §4.2 (depth 6n + 2). @default 3 (ResNet-20) */
  blocksPerStage?: number;
  /** Channels of the three stages (the first convolution has `widths[0]`). @default [16, 32, 64] (the paper's) */
  widths?: readonly [number, number, number];
  /**
   * Whether the blocks add their input back (residual blocks); `false` builds
   * the "plain" network of the same depth that §4.2 compares against. @default true
   */
  useShortcuts?: boolean;
  /**
   * Per-channel input normalisation `(x − mean) / std`, applied to the
   * `[0, 1]` inputs by a frozen 1×1 depthwise convolution (so a saved model
   * keeps it). Compute it on the training set only (`channelMeanStd`).
   * @default none (inputs in [0, 1])
   */
  normalization?: ChannelNormalization;
  /** Seed of the weight initialisers, for reproducible runs. @default undefined (random) */
  seed?: number;
}

/**
 * Builds the residual network of He et al. 2016 §4.2 for images
 * `[batch, height, width, channels]` float32 NHWC in [0, 1]:
 *
 * 3×3 conv (`widths[0]`) → BN → ReLU → stage 1 (n blocks, `widths[0]`) →
 * stage 2 (n blocks, `widths[1]`, the first with stride 2) → stage 3 (n
 * blocks, `widths[2]`, the first with stride 2) → global average pooling →
 * Dense(numClasses, softmax) → `[batch, numClasses]` float32 probabilities.
 *
 * A block: 3×3 conv (stride s) → BN → ReLU → 3×3 conv → BN, plus the
 * shortcut, then ReLU. The shortcut is the identity where the shape is kept
 * and a projection (1×1 conv, stride s, then BN; the paper's option B) where
 * it changes (the paper's CIFAR nets use option A, the identity padded with
 * zero channels, which adds no parameters; a projection is the common choice). Convolutions have no bias (the batch normalisation after each
 * has one, β) and He-normal initial weights (He et al. 2015), as in the
 * paper. Names: `stem_conv`, `s2b1_conv1`, `s2b1_proj`, `s2b1_add`, …
 *
 * The model is not compiled; use `compileClassifier`.
 *
 * @throws {ArgumentError} when a size is not a positive integer, `widths` is
 *   not three positive integers, or `normalization` does not hold one positive
 *   standard deviation per channel.
 * @example
 * ```ts
 * const model = buildResNet({ seed: 0 }); // ResNet-20: 16/32/64 channels, 3 blocks per stage
 * model.outputs[0].shape; // [null, 10]
 * model.countParams() === resNetParameterCount(); // true
 * model.countParams(); // 274042
 * buildResNet({ blocksPerStage: 1, widths: [8, 16, 32], numClasses: 2 }).countParams(); // 20026
 * ```
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 04b §7 Why shortcuts help](../../notebooks/04b-cats-vs-dogs.ipynb#7.-Why-shortcuts-help)
 */
export function buildResNet(config: ResNetConfig = {}): tf.LayersModel {
  const fn = 'buildResNet';
  const c = checkResNetConfig(fn, config);
  const seed = config.seed;
  if (seed !== undefined) checkInteger(fn, 'config.seed', seed, 0);
  const norm = config.normalization;
  if (norm !== undefined) {
    const ok = (a: unknown, positive: boolean) =>
      Array.isArray(a) && a.length === c.channels && a.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0));
    if (!ok(norm.mean, false) || !ok(norm.std, true)) {
      throw new ArgumentError(
        `${fn}: config.normalization must be { mean, std } with ${c.channels} finite numbers each (std > 0), got mean ${describe(norm.mean)}, std ${describe(norm.std)}`,
      );
    }
  }
  let layerIndex = 0;
  const init = () => tf.initializers.heNormal({ seed: seed === undefined ? undefined : seed + ++layerIndex });
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init(), name }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string) => tf.layers.batchNormalization({ axis: -1, name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [c.height, c.width, c.channels], name: 'images' }); // [batch, H, W, C] in [0, 1]
  let x: tf.SymbolicTensor = input;
  if (norm) {
    // (x − mean) / std per channel: a 1×1 depthwise convolution with kernel 1/std and bias −mean/std, frozen.
    const layer = tf.layers.depthwiseConv2d({ kernelSize: 1, depthMultiplier: 1, useBias: true, trainable: false, name: 'normalize' });
    x = layer.apply(x) as tf.SymbolicTensor;
    layer.setWeights([tf.tensor4d(norm.std.map((s) => 1 / s), [1, 1, c.channels, 1]), tf.tensor1d(norm.mean.map((m, i) => -m / norm.std[i]))]);
  }
  x = relu(bn(conv(x, c.widths[0], 3, 1, 'stem_conv'), 'stem_bn'), 'stem_relu'); // [batch, H, W, widths[0]]
  let inChannels = c.widths[0];
  c.widths.forEach((outChannels, stage) => {
    for (let block = 0; block < c.blocksPerStage; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1; // halve H and W at the start of stages 2 and 3
      const name = `s${stage + 1}b${block + 1}`;
      let y = relu(bn(conv(x, outChannels, 3, stride, `${name}_conv1`), `${name}_bn1`), `${name}_relu1`);
      y = bn(conv(y, outChannels, 3, 1, `${name}_conv2`), `${name}_bn2`);
      if (c.useShortcuts) {
        const shortcut = stride === 1 && inChannels === outChannels ? x : bn(conv(x, outChannels, 1, stride, `${name}_proj`), `${name}_proj_bn`);
        y = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
      }
      x = relu(y, `${name}_relu2`);
      inChannels = outChannels;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor; // [batch, widths[2]]
  const output = tf.layers.dense({ units: c.numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + ++layerIndex }), name: 'probabilities' }).apply(x) as tf.SymbolicTensor;
  const name = `${c.useShortcuts ? 'resnet' : 'plainnet'}${6 * c.blocksPerStage + 2}`;
  return guardImageInput(tf.model({ inputs: input, outputs: output, name }));
}

/** The checked sizes of a {@link ResNetConfig}. */
function checkResNetConfig(fn: string, config: ResNetConfig) {
  const height = checkInteger(fn, 'config.height', config.height ?? 32, 1);
  const width = checkInteger(fn, 'config.width', config.width ?? 32, 1);
  const channels = checkInteger(fn, 'config.channels', config.channels ?? 3, 1);
  const numClasses = checkInteger(fn, 'config.numClasses', config.numClasses ?? 10, 2);
  const blocksPerStage = checkInteger(fn, 'config.blocksPerStage', config.blocksPerStage ?? 3, 1);
  const widths = config.widths ?? [16, 32, 64];
  if (!Array.isArray(widths) || widths.length !== 3) throw new ArgumentError(`${fn}: config.widths must be three channel counts [stage1, stage2, stage3], got ${describe(widths)}`);
  widths.forEach((w, i) => checkInteger(fn, `config.widths[${i}]`, w, 1));
  const useShortcuts = config.useShortcuts ?? true;
  if (typeof useShortcuts !== 'boolean') throw new ArgumentError(`${fn}: config.useShortcuts must be a boolean, got ${describe(useShortcuts)}`);
  return { height, width, channels, numClasses, blocksPerStage, widths: widths as readonly [number, number, number], useShortcuts };
}

/**
 * The number of parameters of {@link buildResNet}'s model, counted by hand
 * (trainable and not, as `model.countParams()` counts them):
 *
 * - a k×k convolution without bias from `in` to `out` channels: k·k·in·out;
 * - a batch normalisation of `out` channels: 4·out (γ and β, trained; the
 *   moving mean and variance, not trained);
 * - a block from `in` to `out` channels: 9·in·out + 4·out + 9·out·out + 4·out,
 *   plus in·out + 4·out for a projection shortcut where the shape changes
 *   (only with shortcuts);
 * - the stem: 9·channels·widths[0] + 4·widths[0]; the dense layer:
 *   widths[2]·numClasses + numClasses; the input normalisation: 2·channels.
 *
 * Height and width do not matter: convolutions share their weights across
 * positions and global average pooling removes the spatial dimensions.
 * @throws {ArgumentError} on the same bad sizes as {@link buildResNet}.
 * @example
 * ```ts
 * resNetParameterCount(); // 274042 (ResNet-20, 16/32/64, 10 classes, projections on 2 of 9 blocks)
 * resNetParameterCount({ useShortcuts: false }); // 271098 (the same without the two projections)
 * ```
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 */
export function resNetParameterCount(config: ResNetConfig = {}): number {
  const c = checkResNetConfig('resNetParameterCount', config);
  let total = 9 * c.channels * c.widths[0] + 4 * c.widths[0];
  let inChannels = c.widths[0];
  c.widths.forEach((out, stage) => {
    for (let block = 0; block < c.blocksPerStage; block++) {
      total += 9 * inChannels * out + 4 * out + 9 * out * out + 4 * out;
      const projection = c.useShortcuts && (inChannels !== out || (stage > 0 && block === 0));
      if (projection) total += inChannels * out + 4 * out;
      inChannels = out;
    }
  });
  total += c.widths[2] * c.numClasses + c.numClasses;
  if (config.normalization !== undefined) total += 2 * c.channels;
  return total;
}
