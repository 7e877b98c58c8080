/**
 * lib/train/scaling.ts and the CNN's width multiplier: parameter counts by
 * hand, epochs from images seen, the early-stopped loss against the run's own
 * history and against evaluateClassifier, no tensors left behind, the grid's
 * order and its progress lines.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, buildCifar10Cnn, initBackend, type LabeledExamples, runScalingGrid, seededRandom, trainScalingRun } from '../../lib';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' }); // as in the notebook
});

/** n random 32×32×3 images with labels 0..9 (the arithmetic does not depend on the pixels). */
function randomImages(n: number, seed: number): LabeledExamples {
  const rand = seededRandom(seed);
  return { n, pixels: Uint8Array.from({ length: n * 3072 }, () => Math.floor(rand() * 256)), labels: Int32Array.from({ length: n }, () => Math.floor(rand() * 10)), imageShape: [32, 32, 3] };
}

describe('buildCifar10Cnn({ widthMultiplier })', () => {
  it('scales every layer: parameters by hand for m = 1/8, 1/4, 1/2, 1, 2', () => {
    for (const m of [0.125, 0.25, 0.5, 1, 2]) {
      const [f1, f2, d] = [32 * m, 64 * m, 64 * m];
      const byHand = 27 * f1 + f1 + 9 * f1 * f2 + f2 + 36 * f2 * d + d + 10 * d + 10;
      const model = buildCifar10Cnn({ widthMultiplier: m });
      expect(model.countParams(), `m = ${m}`).toBe(byHand);
      model.dispose();
    }
  });
  it('rounds to whole units, at least 1; rejects m ≤ 0 and m together with filters', () => {
    const tiny = buildCifar10Cnn({ widthMultiplier: 0.001 });
    expect(tiny.countParams()).toBe(27 + 1 + 9 + 1 + 36 + 1 + 10 + 10);
    tiny.dispose();
    expect(() => buildCifar10Cnn({ widthMultiplier: 0 })).toThrow('buildCifar10Cnn: config.widthMultiplier must be a finite number > 0');
    expect(() => buildCifar10Cnn({ widthMultiplier: 1, denseUnits: 8 })).toThrow(ArgumentError);
  });
});

describe('trainScalingRun', () => {
  const train = randomImages(96, 1);
  const heldOut = randomImages(40, 2);
  it('trains ⌈imagesSeen / trainSize⌉ epochs on the first trainSize images; scores the lowest held-out loss; frees the model', async () => {
    const before = tf.memory().numTensors;
    const run = await trainScalingRun(train, heldOut, { width: 0.125, trainSize: 32, imagesSeen: 80, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(run.epochs).toBe(3);
    expect(run.history).toHaveLength(3);
    const losses = run.history.map((r) => r.valLoss!);
    expect(run.heldOutLoss).toBe(Math.min(...losses));
    expect(run.bestEpoch).toBe(losses.indexOf(run.heldOutLoss) + 1);
    expect(run.heldOutAccuracy).toBe(run.history[run.bestEpoch - 1].valAccuracy);
    expect(run.parameters).toBe(2810);
    expect(run.seconds).toBeGreaterThan(0);
    // Ten random classes: the loss stays near ln 10.
    expect(Math.abs(run.heldOutLoss - Math.log(10))).toBeLessThan(0.5);
  }, 60_000);
  it('rejects a training set smaller than trainSize and images seen below it', async () => {
    await expect(trainScalingRun(train, heldOut, { width: 1, trainSize: 200, imagesSeen: 400 })).rejects.toThrow('trainScalingRun: train must hold at least options.trainSize = 200 images, got number 96');
    await expect(trainScalingRun(train, heldOut, { width: 1, trainSize: 32, imagesSeen: 16 })).rejects.toThrow('trainScalingRun: options.imagesSeen must be an integer >= 32');
  });
});

describe('runScalingGrid', () => {
  it('one run per width × size, widths outer, a progress line each', async () => {
    const lines: string[] = [];
    const runs = await runScalingGrid(randomImages(64, 4), randomImages(16, 5), { widths: [0.125, 0.25], trainSizes: [16, 32], imagesSeen: 32 }, (l) => lines.push(l));
    expect(runs.map((r) => `${r.width}/${r.trainSize}/${r.epochs}`)).toEqual(['0.125/16/2', '0.125/32/1', '0.25/16/2', '0.25/32/1']);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^run 4\/4: width 0\.25 \(10,794 parameters\), 32 images × 1 epochs: held-out loss \d\.\d{3} at epoch 1, \d+\.\d s$/);
  }, 120_000);
  it('rejects an empty grid', async () => {
    await expect(runScalingGrid(randomImages(8, 6), randomImages(8, 7), { widths: [], trainSizes: [8], imagesSeen: 8 }, null)).rejects.toThrow('runScalingGrid: grid.widths must be a non-empty array');
  });
});
