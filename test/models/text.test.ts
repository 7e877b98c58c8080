import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, buildEmbeddingClassifier, buildSoftmaxRegression } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildSoftmaxRegression', () => {
  it('has inputDim · numClasses + numClasses parameters and softmax rows', () => {
    const model = buildSoftmaxRegression({ inputDim: 100, numClasses: 11 });
    expect(model.countParams()).toBe(1111);
    const p = model.predict(tf.randomNormal([3, 100], 0, 1, 'float32', 1)) as tf.Tensor2D;
    expect(p.shape).toEqual([3, 11]);
    for (const row of p.arraySync()) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
  it('rejects bad sizes, naming the option', () => {
    expect(() => buildSoftmaxRegression({ inputDim: 0, numClasses: 2 })).toThrow(/config.inputDim/);
    expect(() => buildSoftmaxRegression({ inputDim: 3, numClasses: 1 })).toThrow(ArgumentError);
  });
});

describe('buildEmbeddingClassifier', () => {
  it('counts vocabularySize · embeddingDim + embeddingDim · numClasses + numClasses parameters (docstring: 8187)', () => {
    const model = buildEmbeddingClassifier({ vocabularySize: 500, sequenceLength: 20, embeddingDim: 16, numClasses: 11 });
    expect(model.countParams()).toBe(500 * 16 + 16 * 11 + 11);
    expect(model.outputs[0].shape).toEqual([null, 11]);
  });
  it('computes softmax(mean of the rows of E picked by the ids · W + b), checked by hand with TF.js ops', () => {
    const model = buildEmbeddingClassifier({ vocabularySize: 6, sequenceLength: 4, embeddingDim: 3, numClasses: 2, seed: 5 });
    const ids = tf.tensor2d([[2, 3, 0, 0], [5, 1, 4, 2]], [2, 4], 'int32');
    const got = (model.predict(ids) as tf.Tensor2D).arraySync();
    const [E] = model.getLayer('embedding').getWeights();
    const [W, b] = model.getLayer('probabilities').getWeights();
    const want = tf.tidy(() => tf.softmax(tf.add(tf.matMul(tf.mean(tf.gather(E, ids), 1), W), b))).arraySync() as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
  });
  it('is reproducible from its seed', () => {
    const a = buildEmbeddingClassifier({ vocabularySize: 10, sequenceLength: 2, numClasses: 2, seed: 3 });
    const b = buildEmbeddingClassifier({ vocabularySize: 10, sequenceLength: 2, numClasses: 2, seed: 3 });
    expect(a.getWeights()[0].arraySync()).toEqual(b.getWeights()[0].arraySync());
  });
  it('rejects bad sizes, naming the option', () => {
    expect(() => buildEmbeddingClassifier({ vocabularySize: 1, sequenceLength: 2, numClasses: 2 })).toThrow(/config.vocabularySize/);
    expect(() => buildEmbeddingClassifier({ vocabularySize: 5, sequenceLength: 0, numClasses: 2 })).toThrow(/config.sequenceLength/);
    expect(() => buildEmbeddingClassifier({ vocabularySize: 5, sequenceLength: 2, embeddingDim: 2.5, numClasses: 2 })).toThrow(/config.embeddingDim/);
  });
});
