import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bestEpochKeeper, buildResNet } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('bestEpochKeeper', () => {
  it('restores every weight of the best validation epoch (batch normalisation’s moving averages too), ties keeping the earlier', () => {
    const model = buildResNet({ blocksPerStage: 1, widths: [2, 2, 2], numClasses: 2 });
    const keeper = bestEpochKeeper(model);
    const snapshot = () => model.getWeights().map((w) => Array.from(w.dataSync()));
    const perturb = (v: number) => model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, v)));
    const records = [0.6, 0.8, 0.8, 0.7].map((valAccuracy, i) => ({ epoch: i + 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy }));
    let atBest: number[][] = [];
    records.forEach((r, i) => {
      perturb(i + 1);
      if (i === 1) atBest = snapshot();
      keeper.onEpochEnd(r);
    });
    const before = tf.memory().numTensors;
    expect(keeper.restore()?.epoch).toBe(2);
    expect(snapshot()).toEqual(atBest);
    expect(tf.memory().numTensors).toBeLessThan(before); // the copy is freed
  });
  it('returns undefined without validation records and leaves the model alone', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
    const keeper = bestEpochKeeper(model);
    keeper.onEpochEnd({ epoch: 1, loss: 1, accuracy: 0.5 });
    expect(keeper.restore()).toBeUndefined();
  });
  it('rejects what is not a model', () => {
    expect(() => bestEpochKeeper({} as tf.LayersModel)).toThrow(/bestEpochKeeper: model must be a tf.LayersModel, got object/);
  });
});
