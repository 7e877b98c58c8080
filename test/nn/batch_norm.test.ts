import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, batchNorm, type BatchNormState } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A minibatch [batch 2, height 1, width 2, channels 2] (NHWC). Channel 0 holds
// 1, 3, 1, 3 (mean 2, population variance 1); channel 1 holds 0, 0, 4, 4
// (mean 2, variance 4).
const x = () => tf.tensor4d([1, 0, 3, 0, 1, 4, 3, 4], [2, 1, 2, 2]);
const state = (): BatchNormState => ({ gamma: tf.tensor1d([2, 1]), beta: tf.tensor1d([0, 1]), movingMean: tf.tensor1d([0, 0]), movingVariance: tf.tensor1d([1, 1]) });
const channels = (t: tf.Tensor) => [0, 1].map((c) => Array.from(t.dataSync()).filter((_, i) => i % 2 === c));

describe('batchNorm (Ioffe & Szegedy 2015), by hand', () => {
  it('training mode: minibatch statistics, then γ·x̂ + β, and the moving averages move by 1 − momentum', () => {
    const r = batchNorm(x(), state(), { training: true, momentum: 0.9, epsilon: 0 });
    expect(Array.from(r.mean.dataSync())).toEqual([2, 2]);
    expect(Array.from(r.variance.dataSync())).toEqual([1, 4]);
    // channel 0: 2·(x − 2)/1 + 0; channel 1: 1·(x − 2)/2 + 1
    expect(channels(r.y)).toEqual([[-2, 2, -2, 2], [0, 0, 2, 2]]);
    // moving mean 0.9·0 + 0.1·2 = 0.2; moving variance 0.9·1 + 0.1·1 = 1 and 0.9·1 + 0.1·4 = 1.3
    const mm = Array.from(r.state.movingMean.dataSync());
    const mv = Array.from(r.state.movingVariance.dataSync());
    [0.2, 0.2].forEach((v, i) => expect(mm[i]).toBeCloseTo(v, 6));
    [1, 1.3].forEach((v, i) => expect(mv[i]).toBeCloseTo(v, 6));
  });

  it('inference mode: the moving averages, nothing updated, each image independent of the others', () => {
    const trained = batchNorm(x(), state(), { training: true, momentum: 0.9, epsilon: 0 }).state;
    const r = batchNorm(x(), trained, { training: false, epsilon: 0 });
    const [c0, c1] = channels(r.y);
    [1.6, 5.6, 1.6, 5.6].forEach((v, i) => expect(c0[i]).toBeCloseTo(v, 5)); // 2·(x − 0.2)/√1
    [0, 0, 4, 4].forEach((v, i) => expect(c1[i]).toBeCloseTo((v - 0.2) / Math.sqrt(1.3) + 1, 5)); // (x − 0.2)/√1.3 + 1
    expect(Array.from(r.state.movingMean.dataSync())).toEqual(Array.from(trained.movingMean.dataSync()));
    // The first image alone gives the same outputs as in the minibatch of two (not so in training mode).
    const alone = batchNorm(tf.slice(x(), [0, 0, 0, 0], [1, 1, 2, 2]), trained, { training: false, epsilon: 0 });
    expect(Array.from(alone.y.dataSync())).toEqual(Array.from(r.y.dataSync()).slice(0, 4));
  });

  it('agrees with tf.layers.batchNormalization in both modes (ε = 0.001, momentum 0.99 by default)', () => {
    const layer = tf.layers.batchNormalization({ axis: -1 });
    layer.apply(x()); // builds its weights
    const s = state();
    layer.setWeights([s.gamma, s.beta, s.movingMean, s.movingVariance]);
    const mine = batchNorm(x(), s, { training: true });
    const theirs = layer.apply(x(), { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(mine.y, theirs))).dataSync()[0]).toBeLessThan(1e-5);
    // The layer updated its moving averages as ours did: 0.99·old + 0.01·batch.
    const [, , movingMean, movingVariance] = layer.getWeights();
    expect(Array.from(movingMean.dataSync()).map((v) => +v.toFixed(6))).toEqual([0.02, 0.02]);
    expect(Array.from(movingVariance.dataSync()).map((v) => +v.toFixed(6))).toEqual([1, 1.03]);
    expect(tf.max(tf.abs(tf.sub(mine.state.movingVariance, movingVariance))).dataSync()[0]).toBeLessThan(1e-6);
    const inferMine = batchNorm(x(), mine.state, { training: false });
    const inferTheirs = layer.apply(x(), { training: false }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(inferMine.y, inferTheirs))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('does not change the state it is given and leaks no tensors', () => {
    const s = state();
    const before = tf.memory().numTensors;
    const r = batchNorm(x(), s, { training: true });
    expect(Array.from(s.movingMean.dataSync())).toEqual([0, 0]);
    tf.dispose([r.y, r.mean, r.variance, ...Object.values(r.state)]);
    expect(tf.memory().numTensors).toBe(before + 1); // the x() made in the call
  });

  it('rejects bad input, naming the argument', () => {
    expect(() => batchNorm(x(), { ...state(), gamma: tf.tensor1d([1, 2, 3]) }, { training: true })).toThrow(ArgumentError);
    expect(() => batchNorm(x(), { ...state(), gamma: tf.tensor1d([1, 2, 3]) }, { training: true })).toThrow(/batchNorm: state.gamma must be \[2\]/);
    expect(() => batchNorm(tf.tensor1d([1, 2]), state(), { training: true })).toThrow(/x must be \[batch, \.\.\., C\] with rank >= 2/);
    expect(() => batchNorm(x(), state(), { training: 'yes' as unknown as boolean })).toThrow(/options.training must be a boolean/);
    expect(() => batchNorm(x(), state(), { training: true, momentum: 1.5 })).toThrow(/options.momentum must be a number in \[0, 1\]/);
  });
});
