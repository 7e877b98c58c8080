// Tests for lib/nn/schedules.ts (cosineDecay, values from the formula of Loshchilov & Hutter 2017, eq. 5, by hand)
// and trainClassifier's learningRateSchedule option (lib/train/classifier.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, cosineDecay, initBackend, trainClassifier, type LabeledExamples } from '../../lib';

describe('cosineDecay', () => {
  it('follows half a cosine from initial to final: lr(t) = final + ½(initial − final)(1 + cos(πt/T))', () => {
    const lr = cosineDecay({ initial: 0.1, totalSteps: 100, final: 0.01 });
    expect(lr(0)).toBeCloseTo(0.1, 15);
    expect(lr(50)).toBeCloseTo(0.055, 15); // cos(π/2) = 0: the mean of 0.1 and 0.01
    expect(lr(25)).toBeCloseTo(0.01 + 0.045 * (1 + Math.SQRT1_2), 15); // cos(π/4) = √½
    expect(lr(100)).toBeCloseTo(0.01, 15);
    expect(lr(1000)).toBe(0.01); // past the end: final
    const values = Array.from({ length: 101 }, (_, t) => lr(t));
    for (let t = 1; t < values.length; t++) expect(values[t]).toBeLessThanOrEqual(values[t - 1]);
  });

  it('warms up linearly over warmupSteps, then decays over the remaining steps', () => {
    const lr = cosineDecay({ initial: 1, totalSteps: 12, warmupSteps: 4 });
    expect([0, 1, 2, 3].map(lr)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(lr(4)).toBe(1); // decay starts at the peak
    expect(lr(8)).toBeCloseTo(0.5, 15); // half-way through the 8 decay steps
  });

  it('rejects bad options and bad steps, naming the argument', () => {
    expect(() => cosineDecay({ initial: 0, totalSteps: 10 })).toThrow(/cosineDecay: .*options\.initial/);
    expect(() => cosineDecay({ initial: 1, totalSteps: 0 })).toThrow(/cosineDecay: .*options\.totalSteps/);
    expect(() => cosineDecay({ initial: 1, totalSteps: 10, final: 2 })).toThrow(/options\.final must be a number in \[0, initial = 1\], got number 2/);
    expect(() => cosineDecay({ initial: 1, totalSteps: 10, warmupSteps: 10 })).toThrow(/options\.warmupSteps/);
    expect(() => cosineDecay(undefined as never)).toThrow(ArgumentError);
    expect(() => cosineDecay({ initial: 1, totalSteps: 10 })(-1)).toThrow(/step must be an integer >= 0/);
  });
});

describe("trainClassifier's learningRateSchedule option", () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  /** 10 images 2×2×1, labels alternating. */
  const data: LabeledExamples = { n: 10, pixels: Uint8Array.from({ length: 40 }, (_, i) => (i * 37) % 256), labels: Int32Array.from({ length: 10 }, (_, i) => i % 2), imageShape: [2, 2, 1] };

  function sgdModel(learningRate: number): tf.LayersModel {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })] });
    model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }

  const weights = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

  it('asks for each step in order (minibatches counted over the whole run) and restores the compiled rate at the end', async () => {
    const model = sgdModel(0.5);
    const steps: number[] = [];
    await trainClassifier(model, data, { epochs: 2, batchSize: 4, progress: 'none', learningRateSchedule: (step) => (steps.push(step), 0.1) });
    expect(steps).toEqual([0, 1, 2, 3, 4, 5]); // 3 minibatches (4, 4, 2) per epoch
    expect((model.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.5);
  });

  it('a constant schedule trains exactly as that compiled learning rate; a zero schedule does not move the weights', async () => {
    const scheduled = sgdModel(0.5);
    await trainClassifier(scheduled, data, { epochs: 2, batchSize: 4, progress: 'none', learningRateSchedule: () => 0.05 });
    const compiled = sgdModel(0.05);
    await trainClassifier(compiled, data, { epochs: 2, batchSize: 4, progress: 'none' });
    expect(weights(scheduled)).toEqual(weights(compiled));
    const frozen = sgdModel(0.5);
    const before = weights(frozen);
    await trainClassifier(frozen, data, { epochs: 1, batchSize: 4, progress: 'none', learningRateSchedule: () => 0 });
    expect(weights(frozen)).toEqual(before);
  });

  it('rejects a schedule that is not a function or returns a bad rate, and leaves the compiled rate', async () => {
    const model = sgdModel(0.5);
    await expect(trainClassifier(model, data, { epochs: 1, progress: 'none', learningRateSchedule: 0.1 as never })).rejects.toThrow(/trainClassifier: options\.learningRateSchedule must be a function/);
    await expect(trainClassifier(model, data, { epochs: 1, progress: 'none', learningRateSchedule: () => NaN })).rejects.toThrow(/learningRateSchedule\(0\) must return a finite number >= 0, got number NaN/);
    expect((model.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.5);
  });
});
