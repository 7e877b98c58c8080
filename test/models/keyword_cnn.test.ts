import { describe, expect, it } from 'vitest';
import { ArgumentError, buildKeywordCnn, compileClassifier, layerSummary } from '../../lib';

describe('buildKeywordCnn', () => {
  it('takes [batch, frames, mels, 1] images and has the parameters counted by hand', () => {
    const model = buildKeywordCnn({ numFrames: 49, numMels: 40, numClasses: 12 });
    expect(model.inputs[0].shape).toEqual([null, 49, 40, 1]);
    // conv 3·3·1·16 + 16 → 47×38; pool → 23×19; conv 3·3·16·32 + 32 → 21×17; pool → 10×8; dense 2560·64 + 64; 64·12 + 12.
    expect(layerSummary(model).map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['conv1', [null, 47, 38, 16], 160],
      ['pool1', [null, 23, 19, 16], 0],
      ['conv2', [null, 21, 17, 32], 4640],
      ['pool2', [null, 10, 8, 32], 0],
      ['flatten', [null, 2560], 0],
      ['dense1', [null, 64], 163904],
      ['probabilities', [null, 12], 780],
    ]);
    expect(model.countParams()).toBe(169484);
    compileClassifier(model); // a softmax classifier, as compileClassifier expects
  });
  it('passes filters, dense units and seed through (same seed, same weights)', () => {
    const a = buildKeywordCnn({ numFrames: 20, numMels: 20, numClasses: 3, filters: [4, 8], denseUnits: 5, seed: 1 });
    const b = buildKeywordCnn({ numFrames: 20, numMels: 20, numClasses: 3, filters: [4, 8], denseUnits: 5, seed: 1 });
    expect(a.layers[0].getWeights()[0].shape).toEqual([3, 3, 1, 4]);
    expect(Array.from(a.layers[0].getWeights()[0].dataSync())).toEqual(Array.from(b.layers[0].getWeights()[0].dataSync()));
  });
  it('names the argument that is wrong', () => {
    expect(() => buildKeywordCnn({ numFrames: 0, numMels: 40, numClasses: 12 })).toThrow(/buildKeywordCnn: config.numFrames must be an integer >= 1, got number 0/);
    expect(() => buildKeywordCnn({ numFrames: 49, numMels: 40, numClasses: 1 })).toThrow(ArgumentError);
    expect(() => buildKeywordCnn({ numFrames: 8, numMels: 40, numClasses: 12 })).toThrow(/>= 10/);
  });
});
