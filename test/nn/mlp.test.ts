import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArgumentError,
  createMlp,
  dense,
  disposeMlp,
  getActivation,
  gradientCheckTensors,
  mlpBackward,
  mlpForward,
  mlpLossAndGradients,
  mlpParameterCount,
  mlpPredict,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyBackward,
  type ActivationName,
  type Mlp,
} from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const X = tf.tensor2d([[0.2, -1, 0.5, 1.5], [1, 0.3, -0.7, 0], [-0.4, 0.8, 0.1, -1.2], [0.9, -0.2, 0.6, 0.3], [0, 1, -1, 0.5]]); // [5, 4]
const y = tf.tensor1d([0, 2, 1, 2, 0], 'int32'); // [5]

/** The same network written directly with TF.js ops, as a function of its parameters, for tf.grads. */
function tfjsLoss(params: tf.Tensor[], activation: ActivationName): tf.Scalar {
  const ops: Record<string, (z: tf.Tensor) => tf.Tensor> = {
    sigmoid: tf.sigmoid,
    tanh: tf.tanh,
    relu: tf.relu,
    leakyRelu: (z) => tf.leakyRelu(z, 0.01),
    gelu: (z) => tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2))))),
  };
  let A: tf.Tensor = X;
  for (let l = 0; l < params.length / 2; l++) {
    const Z = tf.add(tf.matMul(A as tf.Tensor2D, params[2 * l] as tf.Tensor2D), params[2 * l + 1]);
    A = l === params.length / 2 - 1 ? Z : ops[activation](Z);
  }
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y, 3), A as tf.Tensor2D) as tf.Scalar;
}

function paramList(mlp: Mlp): tf.Tensor[] {
  return mlp.layers.flatMap((l) => [l.W, l.b]);
}

describe('createMlp', () => {
  it('builds layers W1 [in, h], b1 [h], ... with the right parameter count (784-128-10: 101,770)', () => {
    const mlp = createMlp([784, 128, 10]);
    expect(Object.keys(mlp.params)).toEqual(['W1', 'b1', 'W2', 'b2']);
    expect(mlp.params.W1.shape).toEqual([784, 128]);
    expect(mlp.params.b2.shape).toEqual([10]);
    expect(mlpParameterCount(mlp)).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(mlp.layers.map((l) => l.activation)).toEqual(['relu', 'linear']);
    disposeMlp(mlp);
  });
  it('is reproducible for a seed', () => {
    const a = createMlp([4, 3, 2], { seed: 9 });
    const b = createMlp([4, 3, 2], { seed: 9 });
    expect(a.params.W1.arraySync()).toEqual(b.params.W1.arraySync());
  });
  it('rejects bad layer sizes and a softmax hidden layer, naming the argument', () => {
    expect(() => createMlp([784])).toThrow(/createMlp: layerSizes must be an array of at least 2 sizes/);
    expect(() => createMlp([784, 0, 10])).toThrow(/layerSizes\[1\] must be an integer >= 1, got number 0/);
    expect(() => createMlp([4, 3], { hiddenActivation: 'softmax' })).toThrow(/options.hiddenActivation must be one of/);
  });
});

describe('mlpForward', () => {
  it('composes dense layers and activations: Z1 = XW1 + b1, A1 = relu(Z1), logits = A1W2 + b2', () => {
    const mlp = createMlp([4, 3, 3], { seed: 1 });
    const { output, caches } = mlpForward(mlp, X);
    const expected = dense(tf.relu(dense(X, mlp.params.W1 as tf.Tensor2D, mlp.params.b1 as tf.Tensor1D)) as tf.Tensor2D, mlp.params.W2 as tf.Tensor2D, mlp.params.b2 as tf.Tensor1D);
    expect(output.shape).toEqual([5, 3]);
    expect(Array.from(output.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(caches.map((c) => c.Z.shape)).toEqual([[5, 3], [5, 3]]);
    expect(caches[0].X).toBe(X);
  });
  it('rejects inputs of the wrong width, and suggests flattening images', () => {
    const mlp = createMlp([4, 3, 3]);
    expect(() => mlpForward(mlp, tf.zeros([5, 6]))).toThrow('mlpForward: X is [5, 6] but the MLP takes [batch, 4] (its first layer has 4 inputs)');
    expect(() => mlpPredict(mlp, tf.zeros([5, 2, 2, 1]) as unknown as tf.Tensor2D)).toThrow(/flatten NHWC images with flattenImages first/);
  });
});

describe('backpropagation (mlpBackward, mlpLossAndGradients)', () => {
  const cases: Array<[number[], ActivationName]> = [
    [[4, 3], 'relu'], // no hidden layer: softmax regression
    [[4, 6, 3], 'relu'],
    [[4, 5, 3], 'sigmoid'],
    [[4, 5, 4, 3], 'tanh'],
    [[4, 5, 4, 3], 'leakyRelu'],
    [[4, 6, 5, 4, 3], 'gelu'],
  ];
  it.each(cases)('matches tf.grads (TF.js autograd) for layers %j with %s', (sizes, activation) => {
    const mlp = createMlp(sizes, { hiddenActivation: activation, seed: 3 });
    const { loss, grads } = mlpLossAndGradients(mlp, X, y);
    const params = paramList(mlp);
    const reference = tf.grads((...p: tf.Tensor[]) => tfjsLoss(p, activation))(params);
    expect(loss).toBeCloseTo(tfjsLoss(params, activation).dataSync()[0], 5);
    for (let l = 1; l <= mlp.layers.length; l++) {
      for (const [name, ref] of [[`W${l}`, reference[2 * l - 2]], [`b${l}`, reference[2 * l - 1]]] as const) {
        expect(grads[name].shape).toEqual(ref.shape);
        const a = grads[name].dataSync();
        const b = ref.dataSync();
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${name}[${i}]`).toBeLessThan(1e-6 + 1e-4 * Math.abs(b[i]));
      }
    }
    disposeMlp(mlp);
  });

  it('passes the finite-difference gradient check (tanh network, float32)', () => {
    const mlp = createMlp([4, 5, 3], { hiddenActivation: 'tanh', seed: 4 });
    const { grads } = mlpLossAndGradients(mlp, X, y);
    const params = paramList(mlp);
    const lossOf = (p: tf.Tensor[]) => tfjsLoss(p, 'tanh');
    const r = gradientCheckTensors(lossOf, params, ['W1', 'b1', 'W2', 'b2'].map((k) => grads[k]));
    expect(r.maxRelativeError).toBeLessThan(1e-2);
    expect(r.passed).toBe(true);
  });

  it('the gradient check catches a backward pass that forgets the activation derivative', () => {
    const mlp = createMlp([4, 5, 3], { hiddenActivation: 'tanh', seed: 4 });
    const buggy = tf.tidy(() => {
      const { output, caches } = mlpForward(mlp, X);
      const dZ2 = sparseCategoricalCrossentropyBackward(y, output);
      const dW2 = tf.matMul(caches[1].X, dZ2, true, false);
      const dA1 = tf.matMul(dZ2, mlp.params.W2, false, true);
      const dZ1 = dA1; // BUG: should be dA1 ⊙ tanh'(Z1)
      return [tf.matMul(X, dZ1, true, false), tf.sum(dZ1, 0), dW2, tf.sum(dZ2, 0)];
    });
    const r = gradientCheckTensors((p) => tfjsLoss(p, 'tanh'), paramList(mlp), buggy);
    expect(r.passed).toBe(false);
    expect(r.where[r.worstIndex].tensor).toBeLessThan(2); // the first layer's W1 or b1
  });

  it('mlpBackward equals the layer-by-layer chain rule written out for one hidden layer', () => {
    const mlp = createMlp([4, 6, 3], { seed: 5 });
    const grads = tf.tidy(() => {
      const { output, caches } = mlpForward(mlp, X);
      return mlpBackward(mlp, caches, sparseCategoricalCrossentropyBackward(y, output));
    });
    const manual = tf.tidy(() => {
      const Z1 = dense(X, mlp.params.W1 as tf.Tensor2D, mlp.params.b1 as tf.Tensor1D);
      const A1 = tf.relu(Z1);
      const Z2 = dense(A1 as tf.Tensor2D, mlp.params.W2 as tf.Tensor2D, mlp.params.b2 as tf.Tensor1D);
      const dZ2 = tf.div(tf.sub(tf.softmax(Z2), tf.oneHot(y, 3)), 5); // (softmax − onehot)/batch
      const dA1 = tf.matMul(dZ2, mlp.params.W2, false, true);
      const dZ1 = tf.mul(dA1, tf.step(Z1)); // ReLU'(z) = 1 for z > 0
      return { W1: tf.matMul(X, dZ1, true, false), W2: tf.matMul(A1, dZ2, true, false) };
    });
    for (const k of ['W1', 'W2'] as const) {
      Array.from(grads[k].dataSync()).forEach((v, i) => expect(v).toBeCloseTo(manual[k].dataSync()[i], 6));
    }
  });

  it('returns the loss of the logits and leaks no tensors besides the gradients', () => {
    const mlp = createMlp([4, 6, 3], { seed: 6 });
    const before = tf.memory().numTensors;
    const { loss, accuracy, grads } = mlpLossAndGradients(mlp, X, y);
    expect(tf.memory().numTensors - before).toBe(4);
    tf.dispose(Object.values(grads));
    const logits = mlpPredict(mlp, X);
    expect(loss).toBeCloseTo(sparseCategoricalCrossentropy(y, logits, { fromLogits: true }).dataSync()[0], 6);
    const pred = Array.from(tf.argMax(logits, 1).dataSync());
    expect(accuracy).toBeCloseTo(pred.filter((p, i) => p === y.dataSync()[i]).length / 5, 6);
  });

  it('rejects caches from another network and a dOutput of the wrong shape', () => {
    const mlp = createMlp([4, 6, 3]);
    const { output, caches } = mlpForward(mlp, X);
    expect(() => mlpBackward(mlp, caches.slice(1), output)).toThrow(/caches must have one entry per layer \(2\)/);
    expect(() => mlpBackward(mlp, caches, tf.zeros([5, 2]))).toThrow('mlpBackward: dOutput is [5, 2] but the output is [5, 3]; they must have the same shape');
    expect(() => mlpBackward(mlp, caches, tf.zeros([5, 2]))).toThrow(ArgumentError);
  });

  it('uses each layer activation backward from getActivation', () => {
    expect(getActivation('relu').backward(tf.tensor2d([[2, 3]]), tf.tensor2d([[-1, 1]]), tf.tensor2d([[0, 1]])).arraySync()).toEqual([[0, 3]]);
  });
});
