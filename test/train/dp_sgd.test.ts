import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, clipGradients, denseDpSgdGradient, dpSgdGradient, seededNormal, trainDpSgd } from '../../lib';

const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

describe('clipGradients', () => {
  it('scales a gradient longer than C to length C, by hand: (3, 4) of norm 5 with C = 1 → (0.6, 0.8)', () => {
    const { gradients, norm } = clipGradients([tf.tensor1d([3]), tf.tensor2d([[4]])], 1);
    expect(norm).toBeCloseTo(5, 6);
    expect(values(gradients).flat()).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(gradients[1].shape).toEqual([1, 1]);
  });

  it('leaves a gradient shorter than C unchanged, and C = Infinity never clips', () => {
    expect(values(clipGradients([tf.tensor1d([0.3, 0.4])], 1).gradients)[0]).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)]);
    expect(values(clipGradients([tf.tensor1d([300, 400])], Infinity).gradients)[0]).toEqual([300, 400]);
  });

  it('on random gradients: the norm after clipping is min(norm, C) and the direction is unchanged', () => {
    const normal = seededNormal(7);
    for (const C of [0.1, 1, 10]) {
      const g = [tf.tensor(Array.from({ length: 6 }, () => 3 * normal()), [2, 3]), tf.tensor1d(Array.from({ length: 4 }, () => 3 * normal()))];
      const flat = values(g).flat();
      const norm = Math.hypot(...flat);
      const { gradients } = clipGradients(g, C);
      const clipped = values(gradients).flat();
      expect(Math.hypot(...clipped)).toBeCloseTo(Math.min(norm, C), 4);
      const cosine = flat.reduce((s, v, i) => s + v * clipped[i], 0) / (norm * Math.hypot(...clipped));
      expect(cosine).toBeCloseTo(1, 5);
    }
  });

  it('names the argument on bad input', () => {
    expect(() => clipGradients([], 1)).toThrow(/clipGradients: gradients must be a non-empty array of tensors/);
    expect(() => clipGradients([tf.scalar(1)], 0)).toThrow(ArgumentError);
    expect(() => clipGradients([tf.scalar(1)], NaN)).toThrow(/clipNorm must be a number > 0/);
  });
});

describe('dpSgdGradient', () => {
  /** A small logistic-regression-like model: logits = xW + b, softmax cross-entropy. */
  function setup(seed: number) {
    const W = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', seed), true, `W${seed}`);
    const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', seed + 1), true, `b${seed}`);
    const loss = (x: tf.Tensor, y: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(x as tf.Tensor2D, W), b)) as tf.Scalar;
    const x = tf.randomNormal([6, 4], 0, 2, 'float32', seed + 2);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat();
    return { W, b, loss, x, y };
  }

  it('with σ = 0 and C = ∞ equals the minibatch gradient of the mean loss (tf.variableGrads on the whole minibatch)', () => {
    const { W, b, loss, x, y } = setup(1);
    const r = dpSgdGradient(loss, [W, b], x, y, { clipNorm: Infinity, noiseMultiplier: 0, normal: seededNormal(0) });
    const { value, grads } = tf.variableGrads(() => loss(x, y), [W, b]);
    expect(r.loss).toBeCloseTo(value.dataSync()[0], 5);
    for (const [k, v] of [W, b].entries()) {
      const want = Array.from(grads[v.name].dataSync());
      Array.from(r.gradients[k].dataSync()).forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    }
  });

  it('with σ = 0 averages the clipped per-example gradients (each computed alone and clipped by clipGradients)', () => {
    const { W, b, loss, x, y } = setup(2);
    const C = 0.5;
    const r = dpSgdGradient(loss, [W, b], x, y, { clipNorm: C, noiseMultiplier: 0, normal: seededNormal(0) });
    const sum = [tf.zerosLike(W), tf.zerosLike(b)] as tf.Tensor[];
    for (let i = 0; i < 6; i++) {
      const { grads } = tf.variableGrads(() => loss(x.slice([i], [1]), y.slice([i], [1])), [W, b]);
      const flat = [...grads[W.name].dataSync(), ...grads[b.name].dataSync()];
      expect(r.norms[i]).toBeCloseTo(Math.hypot(...flat), 4);
      const scale = Math.min(1, C / Math.hypot(...flat));
      sum[0] = sum[0].add(grads[W.name].mul(scale));
      sum[1] = sum[1].add(grads[b.name].mul(scale));
    }
    for (let k = 0; k < 2; k++) Array.from(r.gradients[k].dataSync()).forEach((g, i) => expect(g).toBeCloseTo(sum[k].dataSync()[i] / 6, 5));
    expect(Math.max(...r.norms)).toBeGreaterThan(C); // the test clips something
  });

  it('adds N(0, σ²C²) noise to the sum, so the mean gradient has noise of std σC/B and mean 0 (many seeded draws); same seed, same noise', () => {
    const { W, b, loss, x, y } = setup(3);
    const clean = dpSgdGradient(loss, [W, b], x, y, { clipNorm: 0.5, noiseMultiplier: 0, normal: seededNormal(0) });
    const sigma = 2;
    const C = 0.5;
    const noise: number[] = [];
    for (let draw = 0; draw < 60; draw++) {
      const r = dpSgdGradient(loss, [W, b], x, y, { clipNorm: C, noiseMultiplier: sigma, normal: seededNormal(draw) });
      r.gradients.forEach((g, k) => Array.from(g.dataSync()).forEach((v, i) => noise.push(v - clean.gradients[k].dataSync()[i])));
    }
    const mean = noise.reduce((s, v) => s + v, 0) / noise.length; // 900 draws
    const std = Math.sqrt(noise.reduce((s, v) => s + (v - mean) ** 2, 0) / (noise.length - 1));
    const want = (sigma * C) / 6;
    expect(Math.abs(mean)).toBeLessThan((4 * want) / Math.sqrt(noise.length));
    expect(std / want).toBeGreaterThan(0.9); // the std of a sample std of 900 normals is ~2.4%
    expect(std / want).toBeLessThan(1.1);
    const a = dpSgdGradient(loss, [W, b], x, y, { clipNorm: C, noiseMultiplier: sigma, normal: seededNormal(5) });
    const c = dpSgdGradient(loss, [W, b], x, y, { clipNorm: C, noiseMultiplier: sigma, normal: seededNormal(5) });
    expect(values(a.gradients)).toEqual(values(c.gradients));
  });

  it('leaks no tensors', () => {
    const { W, b, loss, x, y } = setup(4);
    const before = tf.memory().numTensors;
    const r = dpSgdGradient(loss, [W, b], x, y, { clipNorm: 1, noiseMultiplier: 1, normal: seededNormal(0) });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose(r.gradients);
  });

  it('the docstring example', () => {
    const w = tf.variable(tf.tensor1d([0, 0]));
    const loss = (x: tf.Tensor, _y: tf.Tensor) => tf.mean(tf.sum(tf.mul(x, w), 1)) as tf.Scalar;
    const r = dpSgdGradient(loss, [w], tf.tensor2d([[3, 4], [0.3, 0.4]]), tf.zeros([2]), { clipNorm: 1, noiseMultiplier: 0, normal: seededNormal(0) });
    expect(Array.from(r.gradients[0].dataSync())).toEqual([expect.closeTo(0.45, 6), expect.closeTo(0.6, 6)]);
    expect(Array.from(r.norms)).toEqual([expect.closeTo(5, 5), expect.closeTo(0.5, 5)]);
  });

  it('rejects bad options, naming them', () => {
    const { W, b, loss, x, y } = setup(5);
    expect(() => dpSgdGradient(loss, [W, b], x, y, { clipNorm: Infinity, noiseMultiplier: 1, normal: seededNormal(0) })).toThrow(/needs a finite clipNorm/);
    expect(() => dpSgdGradient(loss, [W, b], x, y, { clipNorm: 1, noiseMultiplier: -1, normal: seededNormal(0) })).toThrow(/noiseMultiplier must be a finite number >= 0/);
    expect(() => dpSgdGradient(loss, [W, b], x, y.slice([0], [3]), { clipNorm: 1, noiseMultiplier: 0, normal: seededNormal(0) })).toThrow(/x has 6 examples but y has 3/);
  });
});

describe('denseDpSgdGradient', () => {
  const mlp = () =>
    tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [2, 3, 1] }),
        tf.layers.dense({ units: 5, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ seed: 4 }) }),
        tf.layers.dense({ units: 4, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
        tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }) }),
      ],
    });
  const x = tf.randomNormal([7, 2, 3, 1], 0, 2, 'float32', 8);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0, 1], 'int32'), 3).toFloat();

  it.each([
    [Infinity, 0],
    [0.3, 0],
    [0.3, 1.5],
  ])('equals the per-example loop of dpSgdGradient (C = %s, σ = %s, same noise seed): gradients, norms and loss', (clipNorm, noiseMultiplier) => {
    const model = mlp();
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const loss = (xi: tf.Tensor, yi: tf.Tensor) => tf.losses.softmaxCrossEntropy(yi, model.apply(xi) as tf.Tensor) as tf.Scalar;
    const slow = dpSgdGradient(loss, vars, x, y, { clipNorm: clipNorm, noiseMultiplier: noiseMultiplier, normal: seededNormal(11) });
    const fast = denseDpSgdGradient(model, x, y, { clipNorm: clipNorm, noiseMultiplier: noiseMultiplier, normal: seededNormal(11) });
    expect(fast.loss).toBeCloseTo(slow.loss, 5);
    Array.from(fast.norms).forEach((n, i) => expect(n).toBeCloseTo(slow.norms[i], 4));
    expect(fast.gradients.map((g) => g.shape)).toEqual(slow.gradients.map((g) => g.shape));
    fast.gradients.forEach((g, k) => Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(slow.gradients[k].dataSync()[i], 5)));
    if (clipNorm === 0.3) expect(Math.max(...slow.norms)).toBeGreaterThan(0.3); // clipping is exercised
  });

  it('the docstring example, by hand', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, kernelInitializer: 'zeros' })] });
    const r = denseDpSgdGradient(model, tf.tensor2d([[3, 4]]), tf.tensor2d([[1, 0]]), { clipNorm: Infinity, noiseMultiplier: 0, normal: seededNormal(0) });
    expect((r.gradients[0].arraySync() as number[][]).flat()).toEqual([-1.5, 1.5, -2, 2].map((v) => expect.closeTo(v, 6)));
    expect(r.norms[0]).toBeCloseTo(Math.sqrt(25 * 0.5 + 0.5), 5);
  });

  it('rejects a model with another kind of layer, pointing to dpSgdGradient', () => {
    const conv = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    expect(() => denseDpSgdGradient(conv, tf.zeros([1, 4, 4, 1]), tf.tensor2d([[1, 0]]), { clipNorm: 1, noiseMultiplier: 0, normal: seededNormal(0) })).toThrow(/denseDpSgdGradient: layer .* is a Conv2D; only Flatten and Dense layers are supported; use dpSgdGradient/);
  });
});

describe('trainDpSgd', () => {
  it('the docstring example: learns a separable toy problem and clips nothing', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 2, 1] }), tf.layers.dense({ units: 2, kernelInitializer: 'zeros' })] });
    const data = { n: 4, pixels: new Uint8Array([255, 0, 0, 255, 255, 0, 0, 255]), labels: new Int32Array([0, 1, 0, 1]) };
    const r = await trainDpSgd(model, data, { epochs: 20, batchSize: 4, learningRate: 1, clipNorm: 1, noiseMultiplier: 0, progress: 'none' });
    expect(r.history).toHaveLength(20);
    expect(r.history[19].accuracy).toBe(1);
    expect(r.history[19].loss).toBeLessThan(r.history[0].loss);
    expect(r.clippedFraction).toBe(0);
  });

  it('with C = ∞ and σ = 0 takes the same steps as plain SGD (tf.train.sgd on the same minibatches)', async () => {
    const make = () => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) })] });
    const data = { n: 6, pixels: Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256), labels: new Int32Array([0, 1, 2, 0, 1, 2]) };
    const a = make();
    await trainDpSgd(a, data, { epochs: 1, batchSize: 6, learningRate: 0.5, clipNorm: Infinity, noiseMultiplier: 0, progress: 'none' });
    const b = make();
    const x = tf.tensor4d(Float32Array.from(data.pixels, (p) => p / 255), [6, 2, 2, 1]);
    const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 3).toFloat();
    tf.train.sgd(0.5).minimize(() => tf.losses.softmaxCrossEntropy(y, b.apply(x) as tf.Tensor) as tf.Scalar);
    // One minibatch holding every example: the shuffle does not change the mean gradient.
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    b.getWeights().forEach((w, k) => Array.from(w.dataSync()).forEach((v, i) => expect(wa[k][i]).toBeCloseTo(v, 5)));
  });
});

describe('denseDpSgdGradient memory', () => {
  it('leaks no tensors', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tf.layers.dense({ units: 2 })] });
    const x = tf.ones([5, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0], 'int32'), 2).toFloat();
    const before = tf.memory().numTensors;
    const r = denseDpSgdGradient(model, x, y, { clipNorm: 1, noiseMultiplier: 1, normal: seededNormal(0) });
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose(r.gradients);
  });
});

describe('trainDpSgd memory', () => {
  it('leaves no tensors behind after training (one epoch of several steps, with noise)', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [1, 2, 1] }), tf.layers.dense({ units: 2 })] });
    const data = { n: 8, pixels: Uint8Array.from({ length: 16 }, (_, i) => (i * 53) % 256), labels: new Int32Array([0, 1, 0, 1, 0, 1, 0, 1]) };
    await trainDpSgd(model, data, { epochs: 1, batchSize: 2, learningRate: 0.1, clipNorm: 1, noiseMultiplier: 1, progress: 'none' }); // warm-up
    const before = tf.memory().numTensors;
    await trainDpSgd(model, data, { epochs: 2, batchSize: 2, learningRate: 0.1, clipNorm: 1, noiseMultiplier: 1, progress: 'none' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
