import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, buildEmbeddingClassifier, buildSoftmaxRegression, compileClassifier, evaluateFeatureClassifier, trainFeatureClassifier } from '../../lib';
import { evaluationFromProbabilities } from '../../lib/train/classifier';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluationFromProbabilities', () => {
  it('argmax, confidence, accuracy, clipped cross-entropy and confusion (hand example)', () => {
    const ev = evaluationFromProbabilities('f', new Float32Array([0.9, 0.1, 0.4, 0.6, 0, 1]), new Int32Array([0, 0, 1]), 2);
    expect(Array.from(ev.predictions)).toEqual([0, 1, 1]);
    expect(Array.from(ev.confidence).map((x) => +x.toFixed(6))).toEqual([0.9, 0.6, 1]);
    expect(ev.accuracy).toBeCloseTo(2 / 3, 12);
    expect(ev.loss).toBeCloseTo((-Math.log(0.9) - Math.log(0.4) - Math.log(1 - 1e-7)) / 3, 6);
    expect(ev.confusion).toEqual([[1, 1], [0, 1]]);
  });
  it('rejects probabilities that do not match the labels', () => {
    expect(() => evaluationFromProbabilities('f', new Float32Array(3), new Int32Array([0, 1]), 2)).toThrow(/f: 3 probabilities for 2 labels of 2 classes; expected 4/);
  });
});

describe('trainFeatureClassifier and evaluateFeatureClassifier', () => {
  it('softmax regression separates two classes on one feature (docstring example)', async () => {
    const train = { n: 4, features: new Float32Array([-2, -1, 1, 2]), labels: new Int32Array([0, 0, 1, 1]) };
    const model = compileClassifier(buildSoftmaxRegression({ inputDim: 1, numClasses: 2 }), { learningRate: 0.1 });
    const { history } = await trainFeatureClassifier(model, train, { epochs: 30, batchSize: 4, progress: 'none' });
    expect(history).toHaveLength(30);
    expect(history[29].loss).toBeLessThan(history[0].loss);
    expect((await evaluateFeatureClassifier(model, train)).accuracy).toBe(1);
  });
  it('evaluation equals model.predict on the same rows, and leaks no tensors', async () => {
    const model = buildSoftmaxRegression({ inputDim: 3, numClasses: 3, seed: 2 });
    const features = Float32Array.from({ length: 5 * 3 }, (_, i) => Math.sin(i));
    const data = { n: 5, features, labels: new Int32Array([0, 1, 2, 0, 1]) };
    const before = tf.memory().numTensors;
    const ev = await evaluateFeatureClassifier(model, data, 2);
    expect(tf.memory().numTensors).toBe(before);
    const direct = tf.tidy(() => (model.predict(tf.tensor2d(features, [5, 3])) as tf.Tensor).dataSync());
    Array.from(ev.probabilities).forEach((p, i) => expect(p).toBeCloseTo(direct[i], 6));
  });
  it('trains an embedding model on int32 token ids: word 2 means class 0, word 3 class 1', async () => {
    const rows = [[2, 0], [2, 4], [4, 2], [3, 0], [3, 4], [4, 3]];
    const train = { n: 6, features: Int32Array.from(rows.flat()), labels: new Int32Array([0, 0, 0, 1, 1, 1]) };
    const model = compileClassifier(buildEmbeddingClassifier({ vocabularySize: 5, sequenceLength: 2, embeddingDim: 4, numClasses: 2, seed: 1 }), { learningRate: 0.05 });
    const { history } = await trainFeatureClassifier(model, train, { epochs: 40, batchSize: 3, validation: train, progress: 'none' });
    expect(history[39].valAccuracy).toBe(1);
  });
  it('rejects data that does not fit the model, or an uncompiled model', async () => {
    const model = buildSoftmaxRegression({ inputDim: 3, numClasses: 2 });
    const data = { n: 2, features: new Float32Array(6), labels: new Int32Array([0, 1]) };
    await expect(trainFeatureClassifier(model, data)).rejects.toThrow(/not compiled/);
    compileClassifier(model);
    await expect(trainFeatureClassifier(model, { ...data, features: new Float32Array(5) })).rejects.toThrow(/train.features has 5 values but n = 2 rows of the model's input width 3 need 6/);
    await expect(trainFeatureClassifier(model, { ...data, labels: new Int32Array([0, 2]) })).rejects.toThrow(/train.labels\[1\] is 2/);
    await expect(trainFeatureClassifier(model, data, { epochs: 0 })).rejects.toThrow(ArgumentError);
    await expect(evaluateFeatureClassifier(model, { n: 0, features: new Float32Array(0), labels: new Int32Array(0) })).rejects.toThrow(/no examples/);
    await expect(evaluateFeatureClassifier(model, [1, 2] as never)).rejects.toThrow(/data must be \{ n, features/);
  });
});
