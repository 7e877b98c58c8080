import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, buildMlpClassifier, outputActivation } from '../../lib';

describe('buildMlpClassifier', () => {
  it('the docstring example: 784 → 128 → 10 has 784·128 + 128 + 128·10 + 10 parameters and outputs logits', () => {
    const model = buildMlpClassifier({ inputShape: [28, 28, 1], hiddenUnits: [128] });
    expect(model.countParams()).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(outputActivation(model)).toBe('linear');
  });
  it('two hidden layers, 3 classes: parameters by hand, ReLU hidden layers, output [batch, 3]', () => {
    const model = buildMlpClassifier({ inputShape: [2, 2, 3], hiddenUnits: [5, 4], numClasses: 3, seed: 7 });
    expect(model.countParams()).toBe(12 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
    expect(model.layers.slice(1, 3).map((l) => (l.getConfig() as { activation: string }).activation)).toEqual(['relu', 'relu']);
    expect((model.predict(tf.zeros([6, 2, 2, 3])) as tf.Tensor).shape).toEqual([6, 3]);
  });
  it('the same seed gives the same weights; another seed others', () => {
    const w = (seed: number) => Array.from(buildMlpClassifier({ inputShape: [2, 2, 1], hiddenUnits: [3], seed: seed }).getWeights()[0].dataSync());
    expect(w(1)).toEqual(w(1));
    expect(w(1)).not.toEqual(w(2));
  });
  it('names a bad argument', () => {
    expect(() => buildMlpClassifier({ inputShape: [28, 28] as never, hiddenUnits: [8] })).toThrow(/buildMlpClassifier: config.inputShape must be \[height, width, channels\]/);
    expect(() => buildMlpClassifier({ inputShape: [28, 28, 1], hiddenUnits: [0] })).toThrow(ArgumentError);
    expect(() => buildMlpClassifier({ inputShape: [28, 28, 1], hiddenUnits: [8], numClasses: 1 })).toThrow(/numClasses must be an integer >= 2/);
  });
});
