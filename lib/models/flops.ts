/**
 * Parameters and floating-point operations of a TF.js model, layer by layer,
 * counted from each layer's hyperparameters and shapes: a convolution costs
 * 2·H_out·W_out·K_h·K_w·C_in·C_out FLOPs, a dense layer 2·in·out per row (one
 * multiply and one add per weight), as in Kaplan et al. 2020 §2.1 and
 * Hoffmann et al. 2022 Appendix F.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../core/errors';

/** One row of {@link layerCosts}. */
export interface LayerCost {
  /** Layer name, e.g. `conv1`. */
  name: string;
  /** Layer class, e.g. `Conv2D`. */
  type: string;
  /** Input shape with `null` for the batch dimension, e.g. `[null, 32, 32, 3]` (the first input's, for a layer with several). */
  inputShape: (number | null)[];
  /** Output shape with `null` for the batch dimension, e.g. `[null, 30, 30, 32]`. */
  outputShape: (number | null)[];
  /** Parameters, counted from the hyperparameters (not read from the layer's weights). */
  params: number;
  /** Multiplications and additions of the forward pass for one example (bias additions, activations and pooling not counted). */
  forwardFlops: number;
}

/** Layers without parameters whose arithmetic is not counted (reshaping, pooling comparisons, elementwise adds and activations). */
const FREE_LAYERS = new Set(['InputLayer', 'Flatten', 'Reshape', 'MaxPooling2D', 'AveragePooling2D', 'Dropout', 'Activation', 'Add', 'ReLU', 'Softmax']);

function shapeOf(fn: string, layer: tf.layers.Layer, which: 'input' | 'output'): (number | null)[] {
  let shape: unknown;
  if (which === 'output') shape = layer.outputShape;
  else {
    const nodes = (layer as unknown as { inboundNodes: { inputShapes: unknown }[] }).inboundNodes;
    shape = nodes[0]?.inputShapes;
    if (Array.isArray(shape) && Array.isArray(shape[0])) shape = shape[0]; // a layer with several inputs (Add): the first
  }
  if (!Array.isArray(shape) || shape.slice(1).some((d) => typeof d !== 'number')) {
    throw new ArgumentError(`${fn}: layer ${layer.name} (${layer.getClassName()}) must have one ${which} of known size [batch, ...], got ${describe(shape)}`);
  }
  return shape as (number | null)[];
}

const product = (dims: (number | null)[]) => dims.reduce<number>((p, d) => p * (d ?? 1), 1);

/**
 * Parameters and forward-pass FLOPs of each layer of a built model, for one
 * example. Conv2D: `K_h·K_w·C_in·C_out + C_out` parameters and
 * `2·H_out·W_out·K_h·K_w·C_in·C_out` FLOPs; Dense: `in·out + out` parameters
 * and `2·in·out` FLOPs per position (a Dense on `[batch, T, in]` runs on each
 * of the T positions); Embedding: `inputDim·outputDim` parameters, no FLOPs (a
 * lookup); LayerNormalization: a gain and a bias per feature. Pooling,
 * flattening, dropout and activations have no parameters and are counted as 0
 * FLOPs.
 * @param model - a built TF.js model whose input sizes (except the batch) are known.
 * @returns one row per layer, in the model's order.
 * @throws {ArgumentError} when a layer is of another type (its name and class are given), or a shape is unknown.
 * @example
 * ```ts
 * const rows = layerCosts(buildCifar10Cnn());
 * rows[0]; // { name: 'conv1', type: 'Conv2D', inputShape: [null, 32, 32, 3], outputShape: [null, 30, 30, 32], params: 896, forwardFlops: 1555200 }
 * rows.reduce((s, r) => s + r.params, 0); // 167562 (the same as TF.js counts)
 * layerCosts(tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [8, 1], filters: 2, kernelSize: 3 })] })); // throws ArgumentError: layerCosts: layer conv1d
 * ```
 * @see [Notebook 01 §2 The small end: the CNN of chapter 05](../../notebooks/01-background.ipynb#2.-The-small-end:-the-CNN-of-chapter-05)
 */
export function layerCosts(model: tf.LayersModel): LayerCost[] {
  const fn = 'layerCosts';
  if (model === null || typeof model !== 'object' || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new ArgumentError(`${fn}: model must be a TF.js LayersModel, got ${describe(model)}`);
  }
  return model.layers.map((layer) => {
    const type = layer.getClassName();
    const outputShape = shapeOf(fn, layer, 'output');
    const row = { name: layer.name, type, inputShape: outputShape, outputShape, params: 0, forwardFlops: 0 };
    if (type === 'InputLayer') return row;
    row.inputShape = shapeOf(fn, layer, 'input');
    const config = layer.getConfig() as Record<string, unknown>;
    const bias = config.useBias !== false;
    if (type === 'Conv2D') {
      if (config.dataFormat === 'channelsFirst') throw new ArgumentError(`${fn}: layer ${layer.name} (Conv2D) must be channels-last (NHWC), got dataFormat 'channelsFirst'`);
      const [kh, kw] = config.kernelSize as number[];
      const cIn = row.inputShape[3] as number;
      const [hOut, wOut, cOut] = outputShape.slice(1) as number[];
      row.params = kh * kw * cIn * cOut + (bias ? cOut : 0);
      row.forwardFlops = 2 * hOut * wOut * kh * kw * cIn * cOut; // a multiply and an add per weight per output pixel
    } else if (type === 'Dense') {
      const inF = row.inputShape[row.inputShape.length - 1] as number;
      const outF = config.units as number;
      const positions = product(row.inputShape.slice(1, -1)); // 1 for [batch, in]; T for [batch, T, in]
      row.params = inF * outF + (bias ? outF : 0);
      row.forwardFlops = 2 * inF * outF * positions;
    } else if (type === 'Embedding') {
      row.params = (config.inputDim as number) * (config.outputDim as number);
    } else if (type === 'LayerNormalization') {
      const features = row.inputShape[row.inputShape.length - 1] as number;
      row.params = ((config.center !== false ? 1 : 0) + (config.scale !== false ? 1 : 0)) * features;
    } else if (!FREE_LAYERS.has(type)) {
      throw new ArgumentError(`${fn}: layer ${layer.name} (${type}) is not one it can count; expected Conv2D, Dense, Embedding, LayerNormalization or a layer without parameters (${[...FREE_LAYERS].join(', ')})`);
    }
    return row;
  });
}

/**
 * Forward-pass FLOPs of a model for one example: the sum of
 * {@link layerCosts}. A training step costs about 3× this per example
 * (forward, then gradients with respect to activations and to weights, each
 * about as costly as the forward pass).
 * @param model - a built TF.js model (see {@link layerCosts}).
 * @returns FLOPs per example.
 * @throws {ArgumentError} as {@link layerCosts}.
 * @example
 * ```ts
 * forwardFlops(buildCifar10Cnn()); // 8081408 (conv 1,555,200 + 6,230,016, dense 294,912 + 1,280)
 * ```
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 01 §Exercises](../../notebooks/01-background.ipynb#Exercises)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 */
export function forwardFlops(model: tf.LayersModel): number {
  return layerCosts(model).reduce((sum, r) => sum + r.forwardFlops, 0);
}
