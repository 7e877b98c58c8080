import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHAPTER04_CONFIG,
  DEBIAN_FASHION_MNIST_DIR,
  NonFiniteLossError,
  accuracyFromOutputs,
  disposeMlp,
  evaluateMlp,
  initBackend,
  loadFashionMnist,
  createMlp,
  mlpPredict,
  trainMlp,
  type MlpTrainConfig,
} from '../../lib';
import { ROOT } from '../helpers/notebook';

beforeAll(async () => {
  await initBackend(); // wasm here, as in the notebook
});

/** n examples of 4 pixels; the class is which of the first two pixels is brighter. */
function toyData(n: number, seed = 1): { n: number; pixels: Uint8Array; labels: Int32Array } {
  const pixels = new Uint8Array(n * 4);
  const labels = new Int32Array(n);
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < 4; p++) pixels[i * 4 + p] = Math.floor(next() * 256);
    labels[i] = pixels[i * 4] > pixels[i * 4 + 1] ? 1 : 0;
  }
  return { n, pixels, labels };
}

const toyConfig: MlpTrainConfig = { ...CHAPTER04_CONFIG.full, hiddenUnits: [16], learningRate: 0.01, epochs: 8, batchSize: 32, validationFraction: 0.2 };

describe('trainMlp on a toy problem', () => {
  it('learns it, with one history record per epoch and a validation score', async () => {
    const data = toyData(500);
    const result = await trainMlp(data, toyData(200, 7), toyConfig, { progress: 'none' }, 2);
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.history.every((r) => r.valAccuracy !== undefined && r.valLoss !== undefined)).toBe(true);
    expect(result.history[7].loss).toBeLessThan(result.history[0].loss);
    expect(result.test!.accuracy).toBeGreaterThan(0.9);
    expect(result.config).toEqual(toyConfig);
    disposeMlp(result.mlp);
  });
  it('evaluates exactly as accuracyFromOutputs on the logits', async () => {
    const data = toyData(300);
    const result = await trainMlp(data, undefined, { ...toyConfig, epochs: 2 }, { progress: 'none' }, 2);
    const ev = evaluateMlp(result.mlp, data, undefined, 64); // chunks of 64, the last one partial
    const X = tf.tensor2d(Float32Array.from(data.pixels, (p) => p / 255), [300, 4]);
    expect(ev.accuracy).toBeCloseTo(accuracyFromOutputs(tf.tensor1d(data.labels, 'int32'), mlpPredict(result.mlp, X)), 12);
    expect(ev.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
  });
  it('is reproducible for a seed', async () => {
    const data = toyData(200);
    const a = await trainMlp(data, undefined, { ...toyConfig, epochs: 2 }, { progress: 'none' }, 2);
    const b = await trainMlp(data, undefined, { ...toyConfig, epochs: 2 }, { progress: 'none' }, 2);
    expect(a.history).toEqual(b.history);
  });
  it('weights the last partial minibatch by its size: with one epoch of SGD at η ≈ 0, the epoch loss is the mean over examples', async () => {
    const data = toyData(70); // 63 training examples after the 10% split: minibatches of 32 and 31
    const config = { ...toyConfig, optimizer: 'sgd' as const, learningRate: 1e-30, epochs: 1, batchSize: 32, validationFraction: 0.1 };
    const result = await trainMlp(data, undefined, config, { progress: 'none' }, 2);
    // The weights did not move, so the mean loss over the 63 training examples, computed in one go, must equal the epoch loss.
    const all = evaluateMlp(result.mlp, data);
    const val = evaluateMlp(result.mlp, data, Int32Array.from({ length: 0 }));
    expect(val.loss).toBeNaN();
    const valPart = result.history[0].valLoss! * 7;
    expect(result.history[0].loss).toBeCloseTo((all.loss * 70 - valPart) / 63, 5);
  });
  it('leaks no tensors besides the trained MLP', async () => {
    const data = toyData(100);
    const before = tf.memory().numTensors;
    const result = await trainMlp(data, data, { ...toyConfig, epochs: 1 }, { progress: 'none' }, 2);
    expect(tf.memory().numTensors - before).toBe(4); // W1, b1, W2, b2
    disposeMlp(result.mlp);
  });
  it('stops with a NonFiniteLossError when the loss blows up, leaking nothing', async () => {
    const data = toyData(200);
    const before = tf.memory().numTensors;
    await expect(trainMlp(data, undefined, { ...toyConfig, optimizer: 'sgd', learningRate: 1e30 }, { progress: 'none' }, 2)).rejects.toThrow(NonFiniteLossError);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('rejects a bad configuration, naming the field', async () => {
    const data = toyData(10);
    await expect(trainMlp(data, undefined, { ...toyConfig, batchSize: 0 })).rejects.toThrow(/trainMlp: config.batchSize must be an integer >= 1, got number 0/);
    await expect(trainMlp(data, undefined, { ...toyConfig, optimizer: 'lbfgs' as never })).rejects.toThrow(/config.optimizer must be one of sgd, momentum, adam/);
    await expect(trainMlp(data, undefined, { ...toyConfig, validationFraction: 1 })).rejects.toThrow(/config.validationFraction must be a number in \[0, 1\)/);
    await expect(trainMlp(data, toyData(3).pixels as never)).rejects.toThrow(/trainMlp: test must be/);
  });
  it('rejects labels outside [0, numClasses) before the first step, in train and test', async () => {
    const before = tf.memory().numTensors;
    const oneBased = { ...toyData(10), labels: Int32Array.from({ length: 10 }, (_, i) => (i % 2) + 1) }; // 1 and 2 with 2 classes
    await expect(trainMlp(oneBased, undefined, toyConfig, { progress: 'none' }, 2)).rejects.toThrow(/trainMlp: train.labels\[1\] is 2; class indices must be integers in \[0, 2\)/);
    const unknown = { ...toyData(10), labels: new Int32Array(10).fill(-1) };
    await expect(trainMlp(toyData(10), unknown, toyConfig, { progress: 'none' }, 2)).rejects.toThrow(/trainMlp: test.labels\[0\] is -1/);
    expect(tf.memory().numTensors).toBe(before); // no MLP was created
  });
  it('stops at the next minibatch when its AbortSignal fires, returning the MLP and the history so far', async () => {
    const controller = new AbortController();
    const result = await trainMlp(toyData(200), undefined, { ...toyConfig, epochs: 20 }, { progress: 'none', signal: controller.signal, onEpochEnd: (r) => r.epoch === 3 && controller.abort() }, 2);
    expect(result.history).toHaveLength(3);
    expect(result.stopped).toMatch(/^trainMlp: training stopped \(aborted\) after epoch 3, step 0 of epoch 4/);
    disposeMlp(result.mlp);
  });
});

const notebook = path.join(ROOT, 'notebooks', '04-mlp-maths.ipynb');
const cells = (JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: { cell_type: string; source: string[] }[] }).cells.map((c) => ({ type: c.cell_type, text: c.source.join('') }));
// The real Fashion-MNIST (Debian's package, or DL_COURSE_FASHION_MNIST), not the synthetic files test/setup/global.ts makes without it.
const haveData = process.env.DLC_TEST_REAL_FASHION !== '0' && (fs.existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')) || process.env.DL_COURSE_FASHION_MNIST !== undefined);
const requireData = process.env.CI === 'true';

describe('chapter 04 stated accuracy', () => {
  it("the notebook trains with dl.CHAPTER04_CONFIG on all the data outside quick mode, and states the accuracy", () => {
    const code = cells.filter((c) => c.type === 'code').map((c) => c.text).join('\n');
    expect(code).toContain('const config = dl.currentConfig(dl.CHAPTER04_CONFIG);');
    expect(code).toContain('dl.loadFashionMnist({ trainSize: config.trainSize, testSize: config.testSize })');
    expect(CHAPTER04_CONFIG.full.trainSize).toBeUndefined(); // all 60,000 outside quick mode
    expect(code).toContain('await dl.trainMlp(fashion.train, fashion.test, config)');
    const markdown = cells.filter((c) => c.type === 'markdown').map((c) => c.text).join('\n');
    expect(markdown).toMatch(/test accuracy of at\s+least 0\.85/);
  });

  it.skipIf(!haveData && !requireData)(
    `reaches a test accuracy of at least 0.85 on the full Fashion-MNIST with the notebook's call${haveData || requireData ? '' : ' (skipped: needs the real Fashion-MNIST, e.g. apt-get install dataset-fashion-mnist)'}`,
    async () => {
      const t0 = performance.now();
      const fashion = await loadFashionMnist(); // all 60,000 + 10,000, as the notebook outside quick mode
      const result = await trainMlp(fashion.train, fashion.test, CHAPTER04_CONFIG.full, { progress: 'none' });
      const seconds = (performance.now() - t0) / 1000;
      console.log(`chapter 04 MLP: test accuracy ${result.test!.accuracy.toFixed(4)}, test loss ${result.test!.loss.toFixed(4)}, ` +
        `history ${JSON.stringify(result.history.map((r) => Number(r.valAccuracy!.toFixed(4))))}, ${result.seconds.toFixed(1)} s training, ${seconds.toFixed(1)} s in all`);
      expect(fashion.train.n).toBe(60000);
      expect(fashion.test.n).toBe(10000);
      expect(result.test!.accuracy).toBeGreaterThanOrEqual(0.85);
      disposeMlp(result.mlp);
    },
    300_000,
  );
});

describe('pixelScale: raw or normalised inputs', () => {
  it('evaluateMlp with pixelScale 1 feeds the raw pixel values (checked against mlpPredict on pixels · 1)', () => {
    const data = toyData(12);
    const mlp = createMlp([4, 5, 2], { seed: 3 });
    try {
      const ev = evaluateMlp(mlp, data, undefined, 1000, 1);
      const expected = tf.tidy(() => tf.argMax(mlpPredict(mlp, tf.tensor2d(Array.from(data.pixels), [12, 4])), 1).dataSync());
      expect(Array.from(ev.predictions)).toEqual(Array.from(expected));
      expect(() => evaluateMlp(mlp, data, undefined, 1000, 0)).toThrow(/evaluateMlp: pixelScale must be a finite number > 0, got number 0/);
    } finally {
      disposeMlp(mlp);
    }
  });
  it('trainMlp uses options.pixelScale for training and the test evaluation, and rejects a bad one', async () => {
    const data = toyData(40);
    const config: MlpTrainConfig = { ...CHAPTER04_CONFIG.full, hiddenUnits: [4], epochs: 1, batchSize: 8, validationFraction: 0 };
    const raw = await trainMlp(data, data, config, { progress: 'none', pixelScale: 1 });
    const unit = await trainMlp(data, data, config, { progress: 'none' });
    expect(raw.history[0].loss).not.toBeCloseTo(unit.history[0].loss, 3); // same seed, different inputs
    disposeMlp(raw.mlp);
    disposeMlp(unit.mlp);
    await expect(trainMlp(data, data, config, { progress: 'none', pixelScale: -1 })).rejects.toThrow(/trainMlp: options.pixelScale must be a finite number > 0/);
  });
});
