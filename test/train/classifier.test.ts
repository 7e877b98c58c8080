import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  ArgumentError,
  NonFiniteLossError,
  buildCifar10Cnn,
  compileClassifier,
  evaluateClassifier,
  initBackend,
  loadCifar10,
  makeBatch,
  trainClassifier,
  formatEpochLine,
  trainMlp,
  type LabeledExamples,
} from '../../lib';
import { NEEDS_REAL_PHOTOS, SUBSET, haveRealPhotos } from '../helpers/notebook';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function randomImages(n: number, seed = 1): LabeledExamples {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  return { n, pixels: Uint8Array.from({ length: n * 32 * 32 * 3 }, next), labels: Int32Array.from({ length: n }, (_, i) => i % 10) };
}

describe('makeBatch', () => {
  it('scales uint8 to float32 in [0, 1] by division, not integer division', () => {
    const { X: x, y } = makeBatch({ n: 1, pixels: new Uint8Array([255, 0, 51]), labels: new Int32Array([2]) }, [1, 1, 3], [0], 0, 1);
    expect(x.dtype).toBe('float32');
    expect(Array.from(x.dataSync())).toEqual([1, 0, Math.fround(51 / 255)]);
    expect(Array.from(y.dataSync())).toEqual([2]);
    tf.dispose([x, y]);
  });
  it('gathers the images named by the indices, in order', () => {
    const data = { n: 3, pixels: new Uint8Array([10, 20, 30]), labels: new Int32Array([0, 1, 2]) };
    const { X: x, y } = makeBatch(data, [1, 1, 1], [2, 0, 1], 0, 2);
    expect(Array.from(x.dataSync()).map((v) => Math.round(v * 255))).toEqual([30, 10]);
    expect(Array.from(y.dataSync())).toEqual([2, 0]);
    tf.dispose([x, y]);
  });
});

describe('trainClassifier', () => {
  it('leaks no tensors: numTensors is the same after epoch 2 as after epoch 1', async () => {
    const model = compileClassifier(buildCifar10Cnn({ seed: 1 }));
    const counts: number[] = [];
    await trainClassifier(model, randomImages(40), { epochs: 3, batchSize: 16, progress: 'none', validation: randomImages(10, 2), onEpochEnd: () => counts.push(tf.memory().numTensors) });
    expect(counts[1]).toBe(counts[0]);
    expect(counts[2]).toBe(counts[0]);
  });
  it('weights the last partial minibatch by its size in the epoch mean loss', async () => {
    // With a learning rate of 1e-12 the weights do not move, so the epoch's
    // size-weighted mean of minibatch losses must equal the mean loss over all
    // examples, computed independently by evaluateClassifier. An unweighted
    // mean of the 3 minibatch means (sizes 3, 3, 1) would differ.
    const model = compileClassifier(buildCifar10Cnn({ seed: 2 }), { learningRate: 1e-12 });
    const data = randomImages(7, 5);
    const expected = (await evaluateClassifier(model, data)).loss;
    const { history } = await trainClassifier(model, data, { epochs: 1, batchSize: 3, progress: 'none' });
    expect(history[0].loss).toBeCloseTo(expected, 4);
  });
  it('stops with a clear message when the loss is not finite', async () => {
    // On the cpu backend NaN propagates as IEEE says; XNNPACK's softmax on wasm
    // turns an all-NaN row into a uniform one.
    await tf.setBackend('cpu');
    onTestFinished(async () => {
      await tf.setBackend('wasm');
    });
    const model = compileClassifier(buildCifar10Cnn({ seed: 3 }));
    const last = model.layers[model.layers.length - 1];
    const [kernel, bias] = last.getWeights();
    last.setWeights([kernel, tf.fill(bias.shape, NaN)]); // NaN logits -> NaN loss
    const before = tf.memory().numTensors;
    const run = trainClassifier(model, randomImages(8), { epochs: 2, batchSize: 4, progress: 'none' });
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(trainClassifier(model, randomImages(8), { epochs: 2, batchSize: 4, progress: 'none' })).rejects.toThrow(/loss became NaN at epoch 1, minibatch 1 of 2/);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 16); // at most the optimizer's moments
  });
  it('stops after the epoch when a weight is NaN even if the loss looks finite (wasm softmax)', async () => {
    const model = compileClassifier(buildCifar10Cnn({ seed: 4 }));
    const last = model.layers[model.layers.length - 1];
    const [kernel, bias] = last.getWeights();
    last.setWeights([kernel, tf.fill(bias.shape, NaN)]);
    await expect(trainClassifier(model, randomImages(8), { epochs: 2, batchSize: 4, progress: 'none' })).rejects.toThrow(/holds NaN or Infinity after epoch 1/);
  });
  it('rejects bad options and data that does not fit the model, naming the argument', async () => {
    const model = compileClassifier(buildCifar10Cnn());
    await expect(trainClassifier(model, randomImages(4), { epochs: 0 })).rejects.toThrow(/options.epochs must be an integer >= 1, got number 0/);
    await expect(trainClassifier(model, randomImages(4), { batchSize: 2.5 })).rejects.toThrow(/options.batchSize/);
    await expect(trainClassifier(model, { n: 2, pixels: new Uint8Array(10), labels: new Int32Array(2) })).rejects.toThrow(/train.pixels has 10 values but n = 2 images of \[32, 32, 3\]/);
    await expect(trainClassifier(buildCifar10Cnn(), randomImages(4))).rejects.toThrow(ArgumentError);
    await expect(trainClassifier(model, randomImages(4), { progress: 'loud' as never })).rejects.toThrow(/options.progress/);
    await expect(trainClassifier(model, randomImages(4), { targets: 'onehot' as never })).rejects.toThrow(/options.targets must be 'sparse' or 'one-hot'/);
  });
  it.each([
    ['1-based labels', [1, 2, 3, 10], 3, 10],
    ['−1 for unknown', [0, -1, 2, 3], 1, -1],
    ['a non-integer label', [0, 1, 2.5, 3], 2, 2.5],
  ])('rejects %s before the first step, naming the index, the value and the range', async (_what, labels, index, value) => {
    const model = compileClassifier(buildCifar10Cnn({ seed: 1 }));
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const data = { ...randomImages(4), labels: Int32Array.from(labels.map((l) => (Number.isInteger(l) ? l : 0))) };
    const bad = Number.isInteger(value) ? data : { ...data, labels: labels as unknown as Int32Array };
    const message = new RegExp(`trainClassifier: train.labels\\[${index}\\] is ${String(value).replace('.', '\\.')}; class indices must be integers in \\[0, 10\\)`);
    if (Number.isInteger(value)) await expect(trainClassifier(model, bad, { epochs: 1, progress: 'none' })).rejects.toThrow(message);
    else await expect(trainClassifier(model, bad, { epochs: 1, progress: 'none' })).rejects.toThrow(ArgumentError);
    expect(model.getWeights().map((w) => w.dataSync().slice())).toEqual(before); // no step was taken
  });
  it('rejects bad labels of a model compiled with TF.js\'s own loss name, and in the validation set', async () => {
    const model = buildCifar10Cnn({ seed: 1 });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const data = { ...randomImages(4), labels: new Int32Array([0, 1, 10, 2]) };
    await expect(trainClassifier(model, data, { epochs: 1, progress: 'none' })).rejects.toThrow(/train.labels\[2\] is 10; class indices must be integers in \[0, 10\)/);
    const model2 = compileClassifier(buildCifar10Cnn({ seed: 1 }));
    await expect(trainClassifier(model2, randomImages(4), { epochs: 1, progress: 'none', validation: data })).rejects.toThrow(/options.validation.labels\[2\] is 10/);
  });
  it('names NHWC and the transpose for channels-first images', async () => {
    const model = compileClassifier(buildCifar10Cnn({ seed: 1 }));
    const data: LabeledExamples = { ...randomImages(2), imageShape: [3, 32, 32] };
    await expect(trainClassifier(model, data, { epochs: 1, progress: 'none' })).rejects.toThrow(/imageShape is \[3, 32, 32\] but the model takes images of \[32, 32, 3\] .*NHWC.*channels-first \(NCHW\).*tf.transpose\(images, \[0, 2, 3, 1\]\)/);
  });
  it('trains a model compiled with categoricalCrossentropy on one-hot targets, read from its loss', async () => {
    const model = buildCifar10Cnn({ seed: 1 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { history } = await trainClassifier(model, randomImages(8), { epochs: 1, batchSize: 4, progress: 'none' });
    expect(Number.isFinite(history[0].loss)).toBe(true);
  });
  it('stops at the next minibatch when its AbortSignal is aborted, and returns the history so far', async () => {
    const model = compileClassifier(buildCifar10Cnn({ seed: 1 }));
    const controller = new AbortController();
    const result = await trainClassifier(model, randomImages(16), {
      epochs: 5,
      batchSize: 4,
      progress: 'none',
      signal: controller.signal,
      onEpochEnd: (r) => {
        if (r.epoch === 2) controller.abort();
      },
    });
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2]);
    expect(result.stopped).toMatch(/trainClassifier: training stopped \(aborted\) after epoch 2, step 0 of epoch 3 \(0 of 4 minibatches done\); the history holds the 2 completed epochs, the model keeps its weights/);
  });
  it('frees what it created for a model with the model: rerunning compile + train + dispose leaks nothing', async () => {
    const data = randomImages(8);
    const base = tf.memory().numTensors;
    for (let rerun = 0; rerun < 2; rerun++) {
      const model = compileClassifier(buildCifar10Cnn({ seed: 0 }));
      compileClassifier(model, { learningRate: 1e-2 }); // compiled twice: the first optimizer is freed too
      await trainClassifier(model, data, { epochs: 1, batchSize: 4, progress: 'none' });
      model.dispose();
      expect(tf.memory().numTensors - base).toBe(0); // Adam's 2 moments for each of the 8 weights would be 16 more
    }
  });
  it('prints the same epoch line as trainMlp (one progress reporter for both loops)', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      await trainClassifier(compileClassifier(buildCifar10Cnn({ seed: 1 })), randomImages(8), { epochs: 1, batchSize: 4, progress: 'lines' });
      const flat = { n: 8, pixels: randomImages(8).pixels.subarray(0, 8 * 4), labels: Int32Array.from({ length: 8 }, (_, i) => i % 2) };
      await trainMlp(flat, undefined, { hiddenUnits: [4], hiddenActivation: 'relu', optimizer: 'adam', learningRate: 1e-3, epochs: 1, batchSize: 4, validationFraction: 0, seed: 0 }, { progress: 'lines' }, 2);
    } finally {
      console.error = original;
    }
    const pattern = /^epoch 1\/1 \| loss \d+\.\d{4} \| acc \d\.\d{4} \| \d+\.\d s \| \d+ ex\/s$/;
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(pattern);
    expect(formatEpochLine({ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 2, valAccuracy: 0.25 }, 3, 1, 10)).toBe('epoch 1/3 | loss 1.0000 | acc 0.5000 | val loss 2.0000 | val acc 0.2500 | 1.0 s | 10 ex/s');
  });
  it('trains a logits model (fromLogits: true) on one-hot targets built from class indices', async () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })],
    });
    compileClassifier(model, { fromLogits: true, learningRate: 1e-12 });
    const data = randomImages(6, 9);
    const expected = (await evaluateClassifier(model, data)).loss; // softmax applied in evaluation for a logits model
    const { history } = await trainClassifier(model, data, { epochs: 1, batchSize: 4, progress: 'none' });
    expect(history[0].loss).toBeCloseTo(expected, 4);
  });
  it.skipIf(!haveRealPhotos)(`learns real CIFAR-10 images: 2 epochs on 2,000 beat chance clearly ${NEEDS_REAL_PHOTOS}`, async () => {
    const data = await loadCifar10({ source: SUBSET, trainSize: 2000, testSize: 1000 });
    const model = compileClassifier(buildCifar10Cnn({ seed: 0 }));
    const { history } = await trainClassifier(model, data.train, { epochs: 2, batchSize: 32, progress: 'none', validation: data.test });
    expect(history[1].loss).toBeLessThan(history[0].loss);
    expect(history[1].valAccuracy!).toBeGreaterThan(0.25); // chance is 0.10
  });
});
