import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, gradientCheck, gradientCheckTensors, numericalGradient, relativeError } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(x) = x₀³ + sin(x₁)·x₂, whose gradient (3x₀², cos(x₁)·x₂, sin(x₁)) is derived by hand.
const f = (x: Float64Array) => x[0] ** 3 + Math.sin(x[1]) * x[2];
const gradF = (x: number[]) => [3 * x[0] ** 2, Math.cos(x[1]) * x[2], Math.sin(x[1])];
const x0 = [1.5, 0.7, -2];

describe('relativeError', () => {
  it('is |a − b| / max(|a|, |b|): 0 for equal values, 1 for opposite ones', () => {
    expect(relativeError(2, 2)).toBe(0);
    expect(relativeError(1, -1)).toBe(2 / 1);
    expect(relativeError(1, 1.001)).toBeCloseTo(0.001 / 1.001, 12);
  });
  it('uses the floor as denominator when both values are tiny', () => {
    expect(relativeError(0, 1e-12)).toBeCloseTo(1e-4, 12);
    expect(relativeError(0, 1e-12, 1e-12)).toBe(1);
  });
});

describe('numericalGradient', () => {
  it('matches the hand-derived gradient to ~1e-9 in float64', () => {
    const g = numericalGradient(f, x0);
    gradF(x0).forEach((v, i) => expect(Math.abs(g[i] - v)).toBeLessThan(1e-8));
  });
  it('has an error that falls as h² (central differences): halving h quarters it', () => {
    const cube = (x: Float64Array) => x[0] ** 3; // error of the central difference = h²·f'''/6 = h²
    const err = (h: number) => Math.abs(numericalGradient(cube, [1], h)[0] - 3);
    expect(err(1e-2)).toBeCloseTo(1e-4, 8);
    expect(err(1e-2) / err(5e-3)).toBeCloseTo(4, 2);
  });
  it('does not change x', () => {
    const x = [1, 2];
    numericalGradient((v) => v[0] * v[1], x);
    expect(x).toEqual([1, 2]);
  });
  it('rejects a bad step or function, naming the argument', () => {
    expect(() => numericalGradient(f, x0, 0)).toThrow(/numericalGradient: options.h must be a finite number > 0, got number 0/);
    expect(() => numericalGradient('f' as never, x0)).toThrow(/f must be a function/);
  });
});

describe('gradientCheck', () => {
  it('passes a right gradient with a relative error below 1e-7', () => {
    const r = gradientCheck(f, gradF(x0), x0);
    expect(r.passed).toBe(true);
    expect(r.maxRelativeError).toBeLessThan(1e-7);
  });
  it('fails a wrong gradient and points at the wrong entry', () => {
    const wrong = gradF(x0);
    wrong[1] = -Math.sin(x0[1]) * x0[2]; // the derivative of sin taken as −sin instead of cos
    const r = gradientCheck(f, wrong, x0);
    expect(r.passed).toBe(false);
    expect(r.worstIndex).toBe(1);
    expect(r.maxRelativeError).toBeGreaterThan(0.1);
  });
  it('rejects a gradient of the wrong length', () => {
    expect(() => gradientCheck(f, [1, 2], x0)).toThrow(ArgumentError);
    expect(() => gradientCheck(f, [1, 2], x0)).toThrow(/analytic has 2 entries but x has 3/);
  });
  it('handles a function of no variables', () => {
    const r = gradientCheck(() => 1, [], []);
    expect(r.passed).toBe(true);
    expect(r.worstIndex).toBe(-1);
  });
});

describe('gradientCheckTensors', () => {
  const loss = ([w, b]: tf.Tensor[]) => tf.mean(tf.square(tf.tanh(tf.add(tf.matMul(tf.tensor2d([[1, 2], [3, -1]]), w as tf.Tensor2D), b)))) as tf.Scalar;
  const w = tf.tensor2d([[0.3, -0.2], [0.1, 0.4]]);
  const b = tf.tensor1d([0.05, -0.1]);

  it('passes the gradient of TF.js autograd (tf.grads) in float32', () => {
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor) => loss([a, c]))([w, b]);
    const r = gradientCheckTensors(loss, [w, b], grads);
    expect(r.passed).toBe(true);
    expect(r.maxRelativeError).toBeLessThan(1e-3);
    expect(r.where).toHaveLength(6);
  });
  it('fails a gradient with one entry wrong, and says which tensor and entry', () => {
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor) => loss([a, c]))([w, b]);
    const bad = grads[0].arraySync() as number[][];
    bad[1][0] *= -1;
    const r = gradientCheckTensors(loss, [w, b], [tf.tensor2d(bad), grads[1]]);
    expect(r.passed).toBe(false);
    expect(r.where[r.worstIndex]).toEqual({ tensor: 0, index: 2 });
  });
  it('checks only a seeded sample of entries when asked', () => {
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor) => loss([a, c]))([w, b]);
    const r1 = gradientCheckTensors(loss, [w, b], grads, { entries: 3, seed: 5 });
    const r2 = gradientCheckTensors(loss, [w, b], grads, { entries: 3, seed: 5 });
    expect(r1.where).toHaveLength(3);
    expect(r1.where).toEqual(r2.where);
  });
  it('leaves the inputs unchanged and leaks no tensors', () => {
    const grads = tf.grads((a: tf.Tensor, c: tf.Tensor) => loss([a, c]))([w, b]);
    const before = tf.memory().numTensors;
    gradientCheckTensors(loss, [w, b], grads);
    expect(tf.memory().numTensors).toBe(before);
    expect(w.arraySync()).toEqual([[0.30000001192092896, -0.20000000298023224], [0.10000000149011612, 0.4000000059604645]]);
  });
  it('rejects a gradient whose shape differs from its input', () => {
    expect(() => gradientCheckTensors(loss, [w, b], [tf.zeros([4]), b])).toThrow(/analytic\[0\] is \[4\] but inputs\[0\] is \[2, 2\]/);
  });
});
