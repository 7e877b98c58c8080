/**
 * lib/models/flops.ts: parameters and forward FLOPs per layer, against hand
 * counts and TF.js's own parameter counts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, buildCifar10Cnn, forwardFlops, layerCosts, layerSummary } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('layerCosts', () => {
  it("counts the chapter-05 CNN's parameters as TF.js does, layer by layer", () => {
    const model = buildCifar10Cnn();
    const rows = layerCosts(model);
    expect(rows.map((r) => r.params)).toEqual(layerSummary(model).map((r) => r.params));
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(model.countParams());
  });

  it("counts the chapter-05 CNN's forward FLOPs as computed by hand", () => {
    // conv1: 30·30 outputs × 3·3·3 inputs × 32 filters × 2; conv2: 13·13 × 3·3·32 × 64 × 2;
    // dense1: 2304 × 64 × 2; dense2: 64 × 10 × 2; pooling and flatten: 0.
    const rows = layerCosts(buildCifar10Cnn());
    expect(rows.map((r) => [r.name, r.forwardFlops])).toEqual([
      ['conv1', 2 * 30 * 30 * 3 * 3 * 3 * 32],
      ['pool1', 0],
      ['conv2', 2 * 13 * 13 * 3 * 3 * 32 * 64],
      ['pool2', 0],
      ['flatten', 0],
      ['dense1', 2 * 2304 * 64],
      ['probabilities', 2 * 64 * 10],
    ]);
    expect(forwardFlops(buildCifar10Cnn())).toBe(8_081_408);
    // Three times that per training image: ~24 MFLOP, as docs' platform facts estimate for this CNN.
    expect(Math.round((3 * 8_081_408) / 1e6)).toBe(24);
  });

  it('handles stride, same padding, no bias and dense layers on sequences', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [9, 9, 2], filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false }), // [batch, 5, 5, 4]
        tf.layers.reshape({ targetShape: [25, 4] }),
        tf.layers.dense({ units: 3 }), // on each of the 25 positions
      ],
    });
    const rows = layerCosts(model);
    expect(rows[0]).toMatchObject({ outputShape: [null, 5, 5, 4], params: 3 * 5 * 2 * 4, forwardFlops: 2 * 5 * 5 * 3 * 5 * 2 * 4 });
    expect(rows[2]).toMatchObject({ inputShape: [null, 25, 4], params: 4 * 3 + 3, forwardFlops: 2 * 25 * 4 * 3 });
    expect(rows.reduce((s, r) => s + r.params, 0)).toBe(model.countParams());
  });

  it('refuses a layer it cannot count, naming it, and a non-model', () => {
    const model = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [8, 1], filters: 2, kernelSize: 3, name: 'c1d' })] });
    expect(() => layerCosts(model)).toThrow(ArgumentError);
    expect(() => layerCosts(model)).toThrow('layerCosts: layer c1d (Conv1D) is not one it can count; expected Conv2D, Dense');
    expect(() => layerCosts({} as tf.LayersModel)).toThrow('layerCosts: model must be a TF.js LayersModel, got object');
  });
});
