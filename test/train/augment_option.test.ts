import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildResNet, compileClassifier, cropFlipAugmenter, initBackend, minibatchSeed, randomCropFlip, trainClassifier, type Augmenter, type LabeledExamples } from '../../lib';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** n images 4×4×1 with distinct first pixels (the image's id), labels alternating. */
function tinyImages(n: number): LabeledExamples {
  const pixels = new Uint8Array(n * 16);
  for (let i = 0; i < n; i++) for (let p = 0; p < 16; p++) pixels[i * 16 + p] = p === 0 ? i + 1 : (i * 7 + p) % 200;
  return { n, pixels, labels: Int32Array.from({ length: n }, (_, i) => i % 2), imageShape: [4, 4, 1] };
}

function tinyModel(seed: number): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed }) })] });
  return compileClassifier(model);
}

describe("trainClassifier's augment option", () => {
  it('passes every training minibatch (uint8 NHWC, its shape, a per-minibatch seed) through the augmenter, and never the validation set', async () => {
    const calls: Array<{ shape: number[]; seed: number; ids: number[] }> = [];
    const spy: Augmenter = (pixels, shape, seed) => {
      calls.push({ shape: [...shape], seed, ids: Array.from({ length: shape[0] }, (_, k) => pixels[k * 16]) });
      return pixels;
    };
    const train = tinyImages(10);
    await trainClassifier(tinyModel(0), train, { epochs: 2, batchSize: 4, seed: 3, progress: 'none', augment: spy, validation: tinyImages(6) });
    expect(calls.map((c) => c.shape)).toEqual([[4, 4, 4, 1], [4, 4, 4, 1], [2, 4, 4, 1], [4, 4, 4, 1], [4, 4, 4, 1], [2, 4, 4, 1]]);
    expect(calls.map((c) => c.seed)).toEqual([1, 2].flatMap((epoch) => [0, 1, 2].map((b) => minibatchSeed(3, epoch, b))));
    expect(new Set(calls.map((c) => c.seed)).size).toBe(6);
    // Each epoch's minibatches together hold each training image once.
    for (const epoch of [0, 1]) expect(calls.slice(epoch * 3, epoch * 3 + 3).flatMap((c) => c.ids).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('trains on the augmented pixels: an augmenter that blanks every image leaves the model unable to tell the classes apart', async () => {
    const train = tinyImages(16);
    const blank: Augmenter = (pixels) => new Uint8Array(pixels.length);
    const model = tinyModel(1);
    await trainClassifier(model, train, { epochs: 3, batchSize: 8, progress: 'none', augment: blank });
    // Only the bias could learn: every image gets the same prediction.
    const p = (model.predict(tf.tensor4d(Float32Array.from(train.pixels, (v) => v / 255), [16, 4, 4, 1])) as tf.Tensor).arraySync() as number[][];
    const kernel = model.layers[1].getWeights()[0];
    expect(tf.max(tf.abs(tf.sub(kernel, tinyModel(1).layers[1].getWeights()[0]))).dataSync()[0]).toBe(0);
    expect(p.length).toBe(16);
  });

  it('is reproducible: the same seed gives the same weights with cropFlipAugmenter', async () => {
    const data = tinyImages(12);
    const run = async () => {
      const model = tinyModel(2);
      await trainClassifier(model, data, { epochs: 2, batchSize: 4, seed: 5, progress: 'none', augment: cropFlipAugmenter({ padding: 1 }) });
      return Array.from(model.layers[1].getWeights()[0].dataSync());
    };
    expect(await run()).toEqual(await run());
  });

  it('rejects an augmenter that is not a function or returns the wrong size', async () => {
    await expect(trainClassifier(tinyModel(0), tinyImages(4), { progress: 'none', augment: 'flip' as unknown as Augmenter })).rejects.toThrow(/trainClassifier: options.augment must be a function/);
    await expect(trainClassifier(tinyModel(0), tinyImages(4), { epochs: 1, progress: 'none', augment: () => new Uint8Array(3) })).rejects.toThrow(/options.augment must return a Uint8Array of 64 values \(the minibatch \[4, 4, 4, 1\]\), got 3 values/);
  });

  it('bench note: augmenting a minibatch of 32 costs a small fraction of a ResNet-8 training step (measured, printed, not timed)', async () => {
    const model = compileClassifier(buildResNet({ blocksPerStage: 1, widths: [8, 16, 32], numClasses: 2, seed: 0 }));
    const pixels = Uint8Array.from({ length: 32 * 3072 }, (_, i) => (i * 31) % 256);
    const X = tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [32, 32, 32, 3]);
    const y = tf.tensor1d(Float32Array.from({ length: 32 }, (_, i) => i % 2));
    await model.trainOnBatch(X, y); // warm-up
    let t = performance.now();
    for (let r = 0; r < 3; r++) await model.trainOnBatch(X, y);
    const stepMs = (performance.now() - t) / 3;
    t = performance.now();
    for (let r = 0; r < 30; r++) randomCropFlip(pixels, [32, 32, 32, 3], { seed: r });
    const augmentMs = (performance.now() - t) / 30;
    console.log(`minibatch of 32: ResNet-8 (8/16/32) training step ${stepMs.toFixed(0)} ms, randomCropFlip ${augmentMs.toFixed(2)} ms (${((100 * augmentMs) / stepMs).toFixed(2)}% of a step)`);
    tf.dispose([X, y]);
    expect(augmentMs).toBeGreaterThan(0);
  });
});
