import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  ArgumentError,
  LEAKY_RELU_ALPHA,
  gelu,
  geluDerivative,
  getActivation,
  leakyRelu,
  leakyReluDerivative,
  logSoftmax,
  numericalGradient,
  relu,
  reluDerivative,
  sigmoid,
  sigmoidDerivative,
  softmax,
  softmaxBackward,
  tanh,
  tanhDerivative,
} from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const Z_VALUES = [-1000, -50, -5, -2, -0.5, -1e-3, 0, 1e-3, 0.5, 2, 5, 50, 1000];
const z = () => tf.tensor1d(Z_VALUES);
const values = (t: tf.Tensor) => Array.from(t.dataSync());

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expect(Number.isFinite(actual[i]), `entry ${i} is ${actual[i]}`).toBe(true);
    expect(Math.abs(actual[i] - expected[i]), `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
  }
}

/** Derivative of a JavaScript (float64) formula by central differences, as an independent reference. */
function derivativeByFiniteDifferences(f: (x: number) => number, xs: number[]): number[] {
  return xs.map((x) => numericalGradient((v) => f(v[0]), [x], 1e-6)[0]);
}

/** The elementwise derivative of a TF.js op by autograd (tf.grad), as an independent reference. */
function derivativeByTfGrad(op: (x: tf.Tensor) => tf.Tensor, xs: tf.Tensor): number[] {
  return values(tf.grad((x: tf.Tensor) => tf.sum(op(x)))(xs));
}

const SMOOTH = [-5, -2, -0.5, -1e-3, 0.3, 2, 5];

describe('sigmoid', () => {
  it('equals TF.js tf.sigmoid, including at ±1000 (no overflow, no NaN)', () => {
    expectAllClose(values(sigmoid(z())), values(tf.sigmoid(z())), 1e-6);
    expect(values(sigmoid(tf.tensor1d([-1000, 1000])))).toEqual([0, 1]);
  });
  it('takes the hand-computed values σ(0) = 1/2 and σ(ln 3) = 3/4', () => {
    expectAllClose(values(sigmoid(tf.tensor1d([0, Math.log(3)]))), [0.5, 0.75], 1e-7);
  });
  it("has the derivative σ(1 − σ): 1/4 at 0, and equal to tf.grad(tf.sigmoid) and to finite differences", () => {
    expect(values(sigmoidDerivative(tf.tensor1d([0])))).toEqual([0.25]);
    expectAllClose(values(sigmoidDerivative(z())), derivativeByTfGrad(tf.sigmoid, z()), 1e-6);
    expectAllClose(values(sigmoidDerivative(tf.tensor1d(SMOOTH))), derivativeByFiniteDifferences((x) => 1 / (1 + Math.exp(-x)), SMOOTH), 1e-6);
  });
  it('keeps the shape of a rank-2 input', () => {
    expect(sigmoid(tf.zeros([2, 3])).shape).toEqual([2, 3]);
  });
});

describe('tanh', () => {
  it('equals TF.js tf.tanh, including at ±1000', () => {
    expectAllClose(values(tanh(z())), values(tf.tanh(z())), 1e-6);
    expect(values(tanh(tf.tensor1d([-1000, 0, 1000])))).toEqual([-1, 0, 1]);
  });
  it('takes the hand-computed value tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 0.6', () => {
    expectAllClose(values(tanh(tf.tensor1d([Math.log(2)]))), [0.6], 1e-6);
  });
  it('has the derivative 1 − tanh², equal to tf.grad(tf.tanh) and to finite differences', () => {
    expectAllClose(values(tanhDerivative(z())), derivativeByTfGrad(tf.tanh, z()), 1e-6);
    expectAllClose(values(tanhDerivative(tf.tensor1d(SMOOTH))), derivativeByFiniteDifferences(Math.tanh, SMOOTH), 1e-6);
  });
});

describe('relu', () => {
  it('equals TF.js tf.relu', () => {
    expect(values(relu(z()))).toEqual(values(tf.relu(z())));
  });
  it('has the derivative 1 for z > 0 and 0 otherwise, 0 at z = 0 like tf.grad(tf.relu)', () => {
    expect(values(reluDerivative(tf.tensor1d([-2, 0, 3])))).toEqual([0, 0, 1]);
    expect(values(reluDerivative(z()))).toEqual(derivativeByTfGrad(tf.relu, z()));
  });
});

describe('leakyRelu', () => {
  it('equals TF.js tf.leakyRelu with the same alpha', () => {
    expectAllClose(values(leakyRelu(z(), 0.1)), values(tf.leakyRelu(z(), 0.1)), 1e-7);
    expectAllClose(values(leakyRelu(z())), values(tf.leakyRelu(z(), LEAKY_RELU_ALPHA)), 1e-7);
  });
  it('uses alpha = 0.01 by default (PyTorch), not TF.js default 0.2', () => {
    expect(LEAKY_RELU_ALPHA).toBe(0.01);
    expectAllClose(values(leakyRelu(tf.tensor1d([-100]))), [-1], 1e-6);
  });
  it('has the derivative 1 for z > 0 and alpha otherwise, equal to tf.grad(tf.leakyRelu)', () => {
    expectAllClose(values(leakyReluDerivative(z(), 0.1)), derivativeByTfGrad((x) => tf.leakyRelu(x, 0.1), z()), 1e-7);
  });
  it('rejects an alpha outside [0, 1), naming it', () => {
    for (const bad of [-0.1, 1, NaN, '0.1' as unknown as number]) {
      expect(() => leakyRelu(z(), bad)).toThrow(/leakyRelu: alpha must be a number in \[0, 1\)/);
    }
  });
});

describe('gelu', () => {
  it('takes the values z·Φ(z) of the normal CDF table: GELU(1) = 0.841345, GELU(−1) = −0.158655, GELU(2) = 1.954500', () => {
    // Φ(1) = 0.8413447460685429, Φ(2) = 0.9772498680518208 (standard normal table)
    expectAllClose(values(gelu(tf.tensor1d([0, 1, -1, 2]))), [0, 0.8413447460685429, -0.15865525393145707, 1.9544997361036416], 2e-6);
  });
  it('is z for large z and 0 for very negative z, without NaN', () => {
    expectAllClose(values(gelu(tf.tensor1d([50, -50, 1000, -1000]))), [50, 0, 1000, 0], 1e-6);
  });
  it("has the derivative Φ(z) + z·φ(z): 1/2 at 0, Φ(1) + φ(1) = 1.083315 at 1, equal to tf.grad of the forward", () => {
    expectAllClose(values(geluDerivative(tf.tensor1d([0, 1]))), [0.5, 0.8413447460685429 + 0.24197072451914337], 2e-6);
    expectAllClose(values(geluDerivative(tf.tensor1d(SMOOTH))), derivativeByTfGrad((x) => tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))), tf.tensor1d(SMOOTH)), 1e-5);
  });
});

describe('softmax', () => {
  it('equals TF.js tf.softmax row by row', () => {
    const Z = tf.tensor2d([[2, -1, 0.5], [0, 3, -2], [10, 10, 10]]);
    expectAllClose(values(softmax(Z)), values(tf.softmax(Z)), 1e-6);
  });
  it('is stable for logits of 1000, where the naive exp(z)/Σexp(z) gives NaN', () => {
    const Z = tf.tensor2d([[1000, 1000], [1000, -1000]]);
    const naive = tf.div(tf.exp(Z), tf.sum(tf.exp(Z), 1, true));
    expect(values(naive).some(Number.isNaN)).toBe(true); // Infinity / Infinity
    expect(values(softmax(Z))).toEqual([0.5, 0.5, 1, 0]);
  });
  it('gives rows that sum to 1', () => {
    const sums = values(tf.sum(softmax(tf.randomNormal([5, 7], 0, 10, 'float32', 1)), 1));
    expectAllClose(sums, [1, 1, 1, 1, 1], 1e-6);
  });
  it('backward equals the vector-Jacobian product from tf.grad', () => {
    const Z = tf.tensor2d([[2, -1, 0.5], [0, 3, -2]]);
    const dA = tf.tensor2d([[1, -2, 0.5], [0.3, 0, 1]]);
    const reference = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), dA)))(Z);
    expectAllClose(values(softmaxBackward(dA, softmax(Z))), values(reference), 1e-6);
  });
  it('rejects rank-1 input, suggesting expandDims', () => {
    expect(() => softmax(tf.tensor1d([1, 2]) as unknown as tf.Tensor2D)).toThrow(/softmax: Z must be \[batch, numClasses\].*expandDims\(0\)/);
  });
  it('backward rejects dA and A of different shapes', () => {
    expect(() => softmaxBackward(tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(/dA is \[2, 3\] but A is \[2, 4\]/);
  });
});

describe('logSoftmax', () => {
  it('equals TF.js tf.logSoftmax, and stays finite where log(softmax) is -Infinity', () => {
    const Z = tf.tensor2d([[2, -1, 0.5], [0, -1000, 1000]]);
    expectAllClose(values(logSoftmax(Z)), values(tf.logSoftmax(Z)), 1e-5);
    expect(values(tf.log(softmax(Z)))).toContain(-Infinity);
    expect(values(logSoftmax(Z)).every(Number.isFinite)).toBe(true);
  });
});

describe('getActivation', () => {
  it('gives each named activation a forward and a backward that match the functions above', () => {
    const Z = tf.tensor2d([[-1, 0.5], [2, -3]]);
    const dA = tf.tensor2d([[1, 2], [3, 4]]);
    expectAllClose(values(getActivation('tanh').backward(dA, Z, tanh(Z))), values(tf.mul(dA, tanhDerivative(Z))), 1e-7);
    expect(values(getActivation('linear').forward(Z))).toEqual(values(Z));
    expect(values(getActivation('linear').backward(dA, Z, Z))).toEqual(values(dA));
    for (const name of ACTIVATION_NAMES) expect(getActivation(name).name).toBe(name);
  });
  it('rejects an unknown name, listing the known ones', () => {
    expect(() => getActivation('swish' as never)).toThrow(ArgumentError);
    expect(() => getActivation('swish' as never)).toThrow(/must be one of sigmoid, tanh, relu, leakyRelu, gelu, softmax, linear, got string "swish"/);
  });
});

describe('argument checks', () => {
  it('name the function and argument when given something that is not a tensor', () => {
    expect(() => sigmoid([1, 2] as unknown as tf.Tensor)).toThrow(/sigmoid: Z must be a tf.Tensor, got array \[1, 2\]/);
    expect(() => relu(null as unknown as tf.Tensor)).toThrow(/relu: Z must be a tf.Tensor, got null/);
  });
  it('leak no tensors', () => {
    const Z = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.memory().numTensors;
    const outs = [sigmoid(Z), sigmoidDerivative(Z), tanh(Z), tanhDerivative(Z), relu(Z), reluDerivative(Z), leakyRelu(Z), leakyReluDerivative(Z), gelu(Z), geluDerivative(Z), softmax(Z), logSoftmax(Z)];
    expect(tf.memory().numTensors - before).toBe(outs.length);
    tf.dispose(outs);
  });
});
