import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, epochMean, gatherMinibatch, minibatchRanges, pixelsToFloat32, shuffleSplit } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('shuffleSplit', () => {
  it('splits 0..n−1 into disjoint training and validation sets that cover everything', () => {
    const { train, validation } = shuffleSplit(100, 0.2, 3);
    expect(validation).toHaveLength(20);
    expect(train).toHaveLength(80);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  it('is reproducible for a seed and changes with it', () => {
    expect(shuffleSplit(50, 0.1, 1)).toEqual(shuffleSplit(50, 0.1, 1));
    expect(shuffleSplit(50, 0.1, 1).validation).not.toEqual(shuffleSplit(50, 0.1, 2).validation);
  });
  it('shuffles before splitting: a file sorted by class gives a validation set with both classes', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 1)); // sorted by class
    const { validation } = shuffleSplit(100, 0.2, 0);
    const classes = new Set(Array.from(validation, (i) => labels[i]));
    expect(classes).toEqual(new Set([0, 1]));
    // The last 20% (what TF.js's validationSplit takes, see below) holds class 1 only.
    expect(new Set(labels.slice(80))).toEqual(new Set([1]));
  });
  it("differs from TF.js's validationSplit, which takes the last fraction unshuffled (checked with model.fit)", async () => {
    // A linear model y = x·w with w = 0, never updated (learning rate 0): the
    // validation loss TF.js reports is then the MSE of the examples it held out.
    const x = tf.ones([10, 1]);
    const y = tf.tensor2d([0, 0, 0, 0, 0, 0, 0, 0, 3, 4], [10, 1]); // only the last two are not 0
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
    model.compile({ optimizer: tf.train.sgd(0), loss: 'meanSquaredError' });
    const history = await model.fit(x, y, { epochs: 1, validationSplit: 0.2, shuffle: true, verbose: 0 });
    expect(history.history.val_loss[0]).toBeCloseTo((3 ** 2 + 4 ** 2) / 2, 5); // = MSE of examples 8 and 9
    expect(Array.from(shuffleSplit(10, 0.2, 0).validation).sort()).not.toEqual([8, 9]);
  });
  it('keeps everything for training with validationFraction 0, and handles n = 0', () => {
    expect(shuffleSplit(5, 0, 0).train).toHaveLength(5);
    expect(shuffleSplit(0, 0.5, 0)).toEqual({ train: new Int32Array(0), validation: new Int32Array(0) });
  });
  it('rejects a fraction outside [0, 1) and a bad n, naming the argument (1, −0.1, "0.2", null, NaN, 10.8)', () => {
    for (const bad of [1, -0.1, '0.2', null, NaN]) {
      expect(() => shuffleSplit(10, bad as number)).toThrow(/shuffleSplit: validationFraction must be a number in \[0, 1\)/);
    }
    expect(() => shuffleSplit(10.8, 0.1)).toThrow(/shuffleSplit: n must be an integer >= 0, got number 10.8/);
  });
});

describe('minibatchRanges', () => {
  it('keeps the last partial minibatch', () => {
    expect(minibatchRanges(10, 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
  });
  it('covers every example exactly once', () => {
    const seen = minibatchRanges(1001, 64).flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k));
    expect(seen).toEqual(Array.from({ length: 1001 }, (_, i) => i));
  });
  it('gives one minibatch when batchSize ≥ n, and none for n = 0', () => {
    expect(minibatchRanges(3, 64)).toEqual([[0, 3]]);
    expect(minibatchRanges(0, 64)).toEqual([]);
  });
  it('rejects a batchSize that is not an integer ≥ 1 (0, "10", null, 10.8), naming it', () => {
    for (const bad of [0, '10', null, 10.8]) expect(() => minibatchRanges(10, bad as number)).toThrow(/minibatchRanges: batchSize must be an integer >= 1/);
  });
});

describe('pixelsToFloat32', () => {
  it('gives float32 values k/255 for every byte k, never integer-divided', () => {
    const all = Uint8Array.from({ length: 256 }, (_, k) => k);
    const out = pixelsToFloat32(all);
    expect(out).toBeInstanceOf(Float32Array);
    all.forEach((k) => expect(out[k]).toBe(Math.fround(k / 255)));
    expect(out[1]).toBeGreaterThan(0); // integer division would give 0 for every pixel below 255
    expect([out[0], out[255]]).toEqual([0, 1]);
  });
  it('rejects anything but a Uint8Array', () => {
    expect(() => pixelsToFloat32([1, 2] as unknown as Uint8Array)).toThrow(ArgumentError);
  });
});

describe('gatherMinibatch', () => {
  const data = { n: 3, pixels: new Uint8Array([0, 255, 51, 102, 204, 1]), labels: new Int32Array([4, 5, 6]) }; // [3, 2]
  it('builds X [batch, features] float32 in [0, 1] and y [batch] int32 in the given order', () => {
    const { X, y } = gatherMinibatch(data, [2, 0], 0, 2);
    expect(X.dtype).toBe('float32');
    expect(X.shape).toEqual([2, 2]);
    expect(Array.from(X.dataSync())).toEqual([204 / 255, 1 / 255, 0, 1].map(Math.fround));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([6, 4]);
  });
  it('builds the last, partial minibatch of an order', () => {
    const order = [1, 2, 0];
    const [, last] = minibatchRanges(order.length, 2);
    const { X, y } = gatherMinibatch(data, order, last[0], last[1]);
    expect(X.shape).toEqual([1, 2]);
    expect(Array.from(y.dataSync())).toEqual([4]);
  });
  it('rejects an index outside [0, n) and a range outside the indices', () => {
    expect(() => gatherMinibatch(data, [0, 3])).toThrow('gatherMinibatch: indices[1] must be an integer in [0, 3), got number 3');
    expect(() => gatherMinibatch(data, [0, 1], 0, 3)).toThrow(/end must be an integer in \[0, 2\]/);
  });
});

describe('epochMean', () => {
  it('weights each minibatch mean by its size, so it equals the mean over all examples', () => {
    const perExample = [0.5, 1, 2, 0.25, 3, 1.5, 0.75, 0.1, 4, 6]; // 10 examples
    const ranges = minibatchRanges(perExample.length, 4); // sizes 4, 4, 2
    const means = ranges.map(([s, e]) => perExample.slice(s, e).reduce((a, b) => a + b, 0) / (e - s));
    const sizes = ranges.map(([s, e]) => e - s);
    const overall = perExample.reduce((a, b) => a + b, 0) / perExample.length;
    expect(epochMean(means, sizes)).toBeCloseTo(overall, 12);
    expect(means.reduce((a, b) => a + b, 0) / means.length).not.toBeCloseTo(overall, 2); // the unweighted mean is off
  });
  it('is NaN with no examples, and rejects sizes that do not fit the means', () => {
    expect(epochMean([], [])).toBeNaN();
    expect(() => epochMean([1, 2], [3])).toThrow(/means has 2 entries but sizes has 1/);
    expect(() => epochMean([1], [2.5])).toThrow(/sizes\[0\] must be an integer >= 0/);
  });
});
