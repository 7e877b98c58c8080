import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, dense, denseBackward, gradientCheckTensors, initDense } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** Z = XW + b with three loops, from the definition Zᵢⱼ = Σₖ XᵢₖWₖⱼ + bⱼ. */
function denseByLoops(X: number[][], W: number[][], b: number[]): number[][] {
  return X.map((row) => b.map((bj, j) => row.reduce((s, x, k) => s + x * W[k][j], bj)));
}

const Xv = [[1, 2, 3], [-1, 0.5, 2], [0, 0, 1], [4, -2, 0.25]]; // [4, 3]
const Wv = [[0.5, -1], [2, 0], [-0.5, 1.5]]; // [3, 2]
const bv = [0.1, -0.2]; // [2]

describe('dense', () => {
  it('computes Z = XW + b on a batch you can check by hand', () => {
    // first row: [1, 2, 3]·W = [0.5 + 4 − 1.5, −1 + 0 + 4.5] = [3, 3.5], plus b
    const Z = dense(tf.tensor2d(Xv), tf.tensor2d(Wv), tf.tensor1d(bv));
    expect(Z.shape).toEqual([4, 2]);
    expect(Z.arraySync()[0][0]).toBeCloseTo(3.1, 6);
    expect(Z.arraySync()[0][1]).toBeCloseTo(3.3, 6);
    const expected = denseByLoops(Xv, Wv, bv).flat();
    values(Z).forEach((z, i) => expect(z).toBeCloseTo(expected[i], 5));
  });
  it("explains a shape mistake: X's columns must equal W's rows", () => {
    expect(() => dense(tf.zeros([4, 3]), tf.zeros([2, 5]), tf.zeros([5]))).toThrow(
      "dense: X is [4, 3] but W is [2, 5]: X's columns (3) must equal W's rows (2)",
    );
    expect(() => dense(tf.zeros([4, 3]), tf.zeros([2, 5]), tf.zeros([5]))).toThrow(ArgumentError);
  });
  it("explains a bias of the wrong length", () => {
    expect(() => dense(tf.zeros([4, 3]), tf.zeros([3, 5]), tf.zeros([4]))).toThrow('dense: b is [4] but W is [3, 5]: b must have one entry per column of W (5)');
  });
  it('tells to flatten a batch of images, and to add a batch dimension to one example', () => {
    expect(() => dense(tf.zeros([2, 28, 28, 1]) as unknown as tf.Tensor2D, tf.zeros([784, 10]), tf.zeros([10]))).toThrow(/a batch of images.*flattenImages\(X\) gives \[2, 784\]/);
    expect(() => dense(tf.zeros([3]) as unknown as tf.Tensor2D, tf.zeros([3, 10]), tf.zeros([10]))).toThrow(/rank 2.*X.expandDims\(0\)/);
  });
  it('rejects a missing bias or a non-tensor, naming the argument', () => {
    expect(() => dense(tf.zeros([1, 3]), tf.zeros([3, 2]), undefined as unknown as tf.Tensor1D)).toThrow(/dense: b must be a tf.Tensor \[outFeatures\], got null/);
    expect(() => dense([[1, 2, 3]] as unknown as tf.Tensor2D, tf.zeros([3, 2]), tf.zeros([2]))).toThrow(/dense: X must be a tf.Tensor/);
  });
  it('handles an empty batch: [0, inFeatures] gives [0, outFeatures]', () => {
    expect(dense(tf.zeros([0, 3]), tf.zeros([3, 2]), tf.zeros([2])).shape).toEqual([0, 2]);
  });
});

describe('denseBackward', () => {
  const X = tf.tensor2d(Xv);
  const W = tf.tensor2d(Wv);
  const b = tf.tensor1d(bv);
  const dZ = tf.tensor2d([[1, -1], [0.5, 2], [-3, 0], [0.25, 0.75]]);
  // L = Σ dZ ⊙ Z has ∂L/∂Z = dZ, so its gradients are what the layer must return.
  const loss = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => tf.sum(tf.mul(dZ, tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), bias))) as tf.Scalar;

  it('matches tf.grads (TF.js autograd) for dX, dW and db', () => {
    const [gx, gw, gb] = tf.grads((x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => loss(x, w, bias))([X, W, b]);
    const { dX, dW, db } = denseBackward(dZ, X, W);
    expect(dX.shape).toEqual([4, 3]);
    expect(dW.shape).toEqual([3, 2]);
    expect(db.shape).toEqual([2]);
    values(dX).forEach((v, i) => expect(v).toBeCloseTo(gx.dataSync()[i], 5));
    values(dW).forEach((v, i) => expect(v).toBeCloseTo(gw.dataSync()[i], 5));
    values(db).forEach((v, i) => expect(v).toBeCloseTo(gb.dataSync()[i], 5));
  });
  it('matches central finite differences', () => {
    const { dX, dW, db } = denseBackward(dZ, X, W);
    // The loss is linear in each entry, so a large step has no truncation error and less round-off.
    const check = gradientCheckTensors(([x, w, bias]) => loss(x, w, bias), [X, W, b], [dX, dW, db], { h: 0.05, floor: 1e-3 });
    expect(check.maxRelativeError).toBeLessThan(1e-2);
    expect(check.passed).toBe(true);
  });
  it('sums dZ over the batch for db (the bias was added to every row)', () => {
    expect(values(denseBackward(dZ, X, W).db)).toEqual([1 + 0.5 - 3 + 0.25, -1 + 2 + 0 + 0.75]);
  });
  it('rejects dZ whose shape is not [batch, outFeatures]', () => {
    expect(() => denseBackward(tf.zeros([4, 3]), X, W)).toThrow('denseBackward: dZ is [4, 3] but must be [batch, outFeatures] = [4, 2] (X is [4, 3], W is [3, 2])');
  });
  it('gives zero gradients for W and b on an empty batch', () => {
    const { dX, dW, db } = denseBackward(tf.zeros([0, 2]), tf.zeros([0, 3]), W);
    expect(dX.shape).toEqual([0, 3]);
    expect(values(dW)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values(db)).toEqual([0, 0]);
  });
});

describe('initDense', () => {
  it("draws He weights with standard deviation √(2 / inFeatures) and zero biases", () => {
    const { W, b } = initDense(400, 300, 'he', 1);
    expect(W.length).toBe(120_000);
    const mean = W.reduce((s, v) => s + v, 0) / W.length;
    const std = Math.sqrt(W.reduce((s, v) => s + (v - mean) ** 2, 0) / W.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std / Math.sqrt(2 / 400)).toBeCloseTo(1, 1);
    expect(b.length).toBe(300);
    expect(b.every((v) => v === 0)).toBe(true);
  });
  it('draws Glorot weights uniform in ±√(6 / (in + out)), with variance limit²/3', () => {
    const { W } = initDense(200, 100, 'glorot', 2);
    const limit = Math.sqrt(6 / 300);
    expect(W.every((v) => Math.abs(v) <= limit)).toBe(true);
    const variance = W.reduce((s, v) => s + v * v, 0) / W.length;
    expect(variance / (limit * limit / 3)).toBeCloseTo(1, 1);
  });
  it('is reproducible for a seed and changes with it', () => {
    expect(initDense(5, 4, 'he', 7).W).toEqual(initDense(5, 4, 'he', 7).W);
    expect(initDense(5, 4, 'he', 7).W).not.toEqual(initDense(5, 4, 'he', 8).W);
  });
  it("rejects bad sizes and an unknown init, naming the argument", () => {
    expect(() => initDense(0, 4)).toThrow(/initDense: inFeatures must be an integer >= 1, got number 0/);
    expect(() => initDense(3, 2.5)).toThrow(/outFeatures/);
    expect(() => initDense(3, '4' as unknown as number)).toThrow(/outFeatures must be an integer >= 1, got string "4"/);
    expect(() => initDense(3, 4, 'xavier' as never)).toThrow(/init must be 'he' or 'glorot', got string "xavier"/);
  });
});
