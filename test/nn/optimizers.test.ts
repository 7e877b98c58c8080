import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamOptimizer, ArgumentError, MomentumOptimizer, SgdOptimizer, createOptimizer, type Optimizer } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const W0 = [[0.5, -1.5, 2], [0.1, 0, -0.3]];
const b0 = [0.25, -0.75, 1];
/** A different gradient at each step (step t: a fixed pattern scaled and shifted by t). */
function gradientsAt(t: number): { W: tf.Tensor2D; b: tf.Tensor1D } {
  return {
    W: tf.tensor2d(W0.map((row, i) => row.map((v, j) => Math.sin(3 * t + i + 2 * j) * (1 + t) * 0.5))),
    b: tf.tensor1d(b0.map((_, j) => Math.cos(t - j) * 1e-3 * (t + 1))), // small gradients, where ε matters
  };
}

let counter = 0;
/** Steps our optimizer and TF.js's side by side for 6 steps; the parameters must agree after every step. */
function compareWithTfjs(ours: Optimizer, theirs: tf.Optimizer, tol: number): void {
  const id = `p${counter++}`;
  const mine = { W: tf.variable(tf.tensor2d(W0)), b: tf.variable(tf.tensor1d(b0)) };
  const ref = { W: tf.variable(tf.tensor2d(W0), true, `${id}W`), b: tf.variable(tf.tensor1d(b0), true, `${id}b`) };
  for (let t = 0; t < 6; t++) {
    const g = gradientsAt(t);
    ours.step(mine, g);
    theirs.applyGradients({ [`${id}W`]: g.W, [`${id}b`]: g.b });
    for (const k of ['W', 'b'] as const) {
      const a = mine[k].dataSync();
      const b = ref[k].dataSync();
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `step ${t + 1}, ${k}[${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
    }
    tf.dispose([g.W, g.b]);
  }
  expect(ours.iterations).toBe(6);
}

describe('SgdOptimizer', () => {
  it('moves θ by −η·g (hand computation)', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    new SgdOptimizer(0.1).step({ w }, { w: tf.tensor1d([2, -4]) });
    expect(Array.from(w.dataSync())).toEqual([Math.fround(0.8), Math.fround(-1.6)]);
  });
  it('matches tf.train.sgd step by step', () => {
    compareWithTfjs(new SgdOptimizer(0.05), tf.train.sgd(0.05), 1e-6);
  });
});

describe('MomentumOptimizer', () => {
  it('accumulates v ← μv + g and moves θ by −ηv (hand computation: 0.9 then 0.71)', () => {
    const w = tf.variable(tf.tensor1d([1]));
    const opt = new MomentumOptimizer(0.1, 0.9);
    opt.step({ w }, { w: tf.tensor1d([1]) });
    expect(w.dataSync()[0]).toBeCloseTo(0.9, 6);
    opt.step({ w }, { w: tf.tensor1d([1]) });
    expect(w.dataSync()[0]).toBeCloseTo(0.71, 6);
  });
  it('matches tf.train.momentum step by step', () => {
    compareWithTfjs(new MomentumOptimizer(0.05, 0.9), tf.train.momentum(0.05, 0.9), 1e-6);
  });
});

describe('AdamOptimizer', () => {
  it('matches tf.train.adam step by step, with TF.js default ε and with an explicit one', () => {
    compareWithTfjs(new AdamOptimizer({ learningRate: 0.01 }), tf.train.adam(0.01), 1e-5);
    compareWithTfjs(new AdamOptimizer({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }), tf.train.adam(0.02, 0.8, 0.99, 1e-3), 1e-5);
  });
  it('uses ε = 1e-7 by default, the value TF.js takes from its float32 backend', () => {
    expect(new AdamOptimizer().epsilon).toBe(1e-7);
    expect(tf.backend().epsilon()).toBe(1e-7);
  });
  it('adds ε to √v̂ after bias correction: the first step moves θ by η·g/(|g| + ε), exactly', () => {
    // t = 1: m̂ = g and v̂ = g², so the step is η·g/(|g| + ε), computed here in float64
    for (const [g, expected] of [
      [1e-3, (0.1 * 1e-3) / (1e-3 + 1e-7)], // 0.0999900009999..., almost η
      [1e-7, 0.05], // |g| = ε: half a step
      [5, (0.1 * 5) / (5 + 1e-7)],
      [0, 0], // no gradient, no move
    ]) {
      const w = tf.variable(tf.tensor1d([0]));
      new AdamOptimizer({ learningRate: 0.1 }).step({ w }, { w: tf.tensor1d([g]) });
      expect(-w.dataSync()[0]).toBeCloseTo(expected, 7);
    }
  });
  it('takes steps of η/(1 + ε) while the gradient stays constant (hand computation of steps 1 and 2)', () => {
    // g = 1: m₂ = 0.9·0.1 + 0.1 = 0.19, m̂₂ = 0.19 / (1 − 0.81) = 1; v₂ = 0.999·0.001 + 0.001 = 0.001999, v̂₂ = 1
    const w = tf.variable(tf.tensor1d([0]));
    const opt = new AdamOptimizer({ learningRate: 0.1 });
    opt.step({ w }, { w: tf.tensor1d([1]) });
    opt.step({ w }, { w: tf.tensor1d([1]) });
    expect(w.dataSync()[0]).toBeCloseTo(-2 * 0.1 / (1 + 1e-7), 6);
  });
});

describe('every optimizer', () => {
  it('minimises (w − 3)² to w ≈ 3', () => {
    for (const opt of [new SgdOptimizer(0.1), new MomentumOptimizer(0.05, 0.9), new AdamOptimizer({ learningRate: 0.1 })]) {
      const w = tf.variable(tf.scalar(0));
      for (let i = 0; i < 300; i++) tf.tidy(() => opt.step({ w }, { w: tf.mul(2, tf.sub(w, 3)) }));
      expect(w.dataSync()[0], opt.name).toBeCloseTo(3, 2);
    }
  });
  it('frees its state on dispose and leaks nothing per step', () => {
    const w = tf.variable(tf.zeros([3]));
    const g = tf.ones([3]);
    const opt = new AdamOptimizer();
    opt.step({ w }, { w: g });
    const after1 = tf.memory().numTensors;
    opt.step({ w }, { w: g });
    expect(tf.memory().numTensors).toBe(after1);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(after1 - 2); // m and v
  });
  it('rejects a missing gradient, a gradient of the wrong shape and a plain tensor parameter', () => {
    const w = tf.variable(tf.zeros([2]));
    const opt = new SgdOptimizer(0.1);
    expect(() => opt.step({ w }, {})).toThrow("SgdOptimizer.step: grads has no entry for parameter 'w' (grads has: nothing)");
    expect(() => opt.step({ w }, { w: tf.zeros([3]) })).toThrow('SgdOptimizer.step: grads.w is [3] but params.w is [2]');
    expect(() => opt.step({ w: tf.zeros([2]) as tf.Variable }, { w: tf.zeros([2]) })).toThrow(/must be a tf.Variable/);
  });
  it('rejects bad hyperparameters, naming them (0, "0.1", null, NaN)', () => {
    expect(() => new SgdOptimizer(0)).toThrow(/SgdOptimizer: learningRate must be a finite number > 0, got number 0/);
    expect(() => new SgdOptimizer('0.1' as unknown as number)).toThrow(/learningRate.*got string "0.1"/);
    expect(() => new MomentumOptimizer(0.1, 1)).toThrow(/momentum must be a number in \[0, 1\), got number 1/);
    expect(() => new AdamOptimizer({ beta2: NaN })).toThrow(/options.beta2/);
    expect(() => new AdamOptimizer({ epsilon: 0 })).toThrow(/options.epsilon/);
    expect(() => new AdamOptimizer(null as never)).toThrow(ArgumentError);
  });
});

describe('createOptimizer', () => {
  it('builds each optimizer by name and rejects others', () => {
    expect(createOptimizer('sgd', 0.1)).toBeInstanceOf(SgdOptimizer);
    expect(createOptimizer('momentum', 0.1)).toBeInstanceOf(MomentumOptimizer);
    expect((createOptimizer('adam', 0.1) as AdamOptimizer).learningRate).toBe(0.1);
    expect(() => createOptimizer('rmsprop' as never, 0.1)).toThrow(/must be one of sgd, momentum, adam, got string "rmsprop"/);
  });
});
