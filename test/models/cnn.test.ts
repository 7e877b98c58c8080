import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArgumentError, buildCifar10Cnn, compileClassifier, layerSummary, loadModel, modelLabelFormat, outputActivation, saveModel } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildCifar10Cnn', () => {
  it('has the 167,562 parameters of the TensorFlow tutorial CNN', () => {
    // By hand: conv1 896 + conv2 18,496 + dense1 147,520 + dense2 650; Keras's
    // summary of the tutorial model prints the same total.
    const model = buildCifar10Cnn();
    expect(model.countParams()).toBe(3 * 3 * 3 * 32 + 32 + (3 * 3 * 32 * 64 + 64) + (6 * 6 * 64 * 64 + 64) + (64 * 10 + 10));
    expect(model.countParams()).toBe(167562);
  });
  it('maps [batch, 32, 32, 3] to [batch, 10] rows that sum to 1', () => {
    const model = buildCifar10Cnn({ seed: 1 });
    const y = model.predict(tf.randomUniform([2, 32, 32, 3])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    const sums = tf.sum(y, 1).arraySync() as number[];
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
  });
  it('lists output shapes and parameters per layer', () => {
    const rows = layerSummary(buildCifar10Cnn());
    expect(rows.map((r) => r.name)).toEqual(['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'dense1', 'probabilities']);
    expect(rows[0]).toEqual({ name: 'conv1', type: 'Conv2D', outputShape: [null, 30, 30, 32], params: 896 });
    expect(rows[4].outputShape).toEqual([null, 2304]);
  });
  it('gives the same initial weights for the same seed', () => {
    const a = buildCifar10Cnn({ seed: 3 }).getWeights()[0].dataSync();
    const b = buildCifar10Cnn({ seed: 3 }).getWeights()[0].dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it('rejects bad sizes, naming the argument', () => {
    expect(() => buildCifar10Cnn({ height: 0 })).toThrow(/config.height must be an integer >= 1, got number 0/);
    expect(() => buildCifar10Cnn({ numClasses: 2.5 })).toThrow(/config.numClasses/);
    expect(() => buildCifar10Cnn({ height: 8 })).toThrow(ArgumentError);
  });
});

describe('compileClassifier', () => {
  it('refuses fromLogits: true after a softmax layer (softmax twice)', () => {
    expect(() => compileClassifier(buildCifar10Cnn(), { fromLogits: true })).toThrow(/softmax would be applied twice/);
  });
  it('refuses probabilities mode for a model that ends in logits', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
    expect(outputActivation(model)).toBe('linear');
    expect(() => compileClassifier(model)).toThrow(/outputs are logits/);
    expect(() => compileClassifier(model, { fromLogits: true })).not.toThrow();
  });
  it('trains a logits model to the same loss as TF.js softmaxCrossEntropy', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, kernelInitializer: 'ones' })] });
    compileClassifier(model, { fromLogits: true });
    const x = tf.tensor2d([[1, 2], [0, -1]]);
    expect(modelLabelFormat(model)).toBe('one-hot');
    const y = tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3).toFloat();
    const [loss] = model.evaluate(x, y) as tf.Scalar[];
    const expected = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3), model.predict(x) as tf.Tensor).dataSync()[0];
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });
  it('states the target format in the compiled loss, not in hidden state', () => {
    expect(modelLabelFormat(compileClassifier(buildCifar10Cnn()))).toBe('sparse');
    const own = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'softmax' })] });
    own.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    expect(modelLabelFormat(own)).toBe('one-hot');
    own.compile({ optimizer: 'adam', loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b) });
    expect(() => modelLabelFormat(own)).toThrow(/cannot tell the target format from the model's loss .*pass options.targets/);
    expect(() => modelLabelFormat(buildCifar10Cnn())).toThrow(/not compiled/);
  });
  it('names NHWC and the transpose when channels-first images reach the model (built or loaded)', async () => {
    const model = compileClassifier(buildCifar10Cnn({ seed: 0 }));
    const nchw = tf.zeros([2, 3, 32, 32]);
    const message = /cifar10_cnn\.(predict|evaluate|fit|trainOnBatch): x is \[2, 3, 32, 32\], which looks channels-first \(NCHW.*NHWC.*tf\.transpose\(x, \[0, 2, 3, 1\]\)/;
    expect(() => model.predict(nchw)).toThrow(message);
    expect(() => model.evaluate(nchw, tf.zeros([2]))).toThrow(message);
    await expect(model.trainOnBatch(nchw, tf.zeros([2]))).rejects.toThrow(message);
    await expect(model.fit(nchw, tf.zeros([2]), { epochs: 1 })).rejects.toThrow(message);
    expect(() => model.predict(tf.zeros([32, 32, 3]))).toThrow(/for one image use expandDims\(0\)/);
    expect((model.predict(tf.zeros([2, 32, 32, 3])) as tf.Tensor).shape).toEqual([2, 10]); // NHWC passes
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-guard-'));
    const loaded = await loadModel(await saveModel(model, path.join(dir, 'm')));
    expect(() => loaded.predict(nchw)).toThrow(message);
  });
  it('rejects a learning rate that is not a positive number', () => {
    expect(() => compileClassifier(buildCifar10Cnn(), { learningRate: 0 })).toThrow(/options.learningRate must be a finite number > 0, got number 0/);
  });
});
