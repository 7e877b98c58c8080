/**
 * lib/train/predict.ts: top-k against tf.topk, probabilities against the
 * model's own predict, and classifying files where some are bad.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, CIFAR10_CLASSES, buildCifar10Cnn, classifyImageFiles, createCountProgress, predictProbabilities, readImageFile, topK } from '../../lib';
import { makeTmpDir } from '../data/helpers';

describe('topK', () => {
  it('agrees with tf.topk on random rows, ties included', () => {
    for (let seed = 0; seed < 20; seed++) {
      const row = Array.from(tf.tidy(() => tf.round(tf.mul(tf.randomUniform([10], 0, 1, 'float32', seed), 8)).dataSync())); // ties are likely
      const ours = topK(row, 4);
      const { values, indices } = tf.topk(tf.tensor1d(row), 4);
      expect(ours.map((s) => s.classIndex)).toEqual(Array.from(indices.dataSync()));
      expect(ours.map((s) => s.probability)).toEqual(Array.from(values.dataSync()));
      tf.dispose([values, indices]);
    }
  });
  it('names the classes and rejects bad arguments naming them', () => {
    expect(topK([0.1, 0.9], 1, ['cat', 'dog'])[0]).toEqual({ classIndex: 1, className: 'dog', probability: 0.9 });
    expect(() => topK([0.5, 0.5], 3)).toThrow(/topK: k/);
    expect(() => topK([0.5, NaN], 1)).toThrow(/topK: probabilities\[1\] is NaN/);
    expect(() => topK([0.5, 0.5], 1, ['a'])).toThrow(/classNames has 1 names but probabilities has 2 classes/);
    expect(() => topK([], 1)).toThrow(ArgumentError);
  });
});

describe('predictProbabilities', () => {
  it('equals the model’s own predict on pixels / 255, in minibatches', () => {
    const model = buildCifar10Cnn({ seed: 3 });
    const pixels = Uint8Array.from({ length: 5 * 32 * 32 * 3 }, (_, i) => (i * 37) % 256);
    const ours = predictProbabilities(model, pixels, 2); // minibatches of 2, 2 and 1
    const theirs = tf.tidy(() => (model.predict(tf.div(tf.tensor4d(pixels, [5, 32, 32, 3], 'float32'), 255)) as tf.Tensor).dataSync());
    expect(Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i])))).toBeLessThan(1e-6);
  });
  it('applies softmax to a model that outputs logits', () => {
    const model = buildCifar10Cnn({ seed: 3, outputActivation: 'linear' });
    const pixels = new Uint8Array(32 * 32 * 3).fill(100);
    const p = predictProbabilities(model, pixels);
    const expected = tf.tidy(() => tf.softmax(model.predict(tf.fill([1, 32, 32, 3], 100 / 255)) as tf.Tensor2D).dataSync());
    expect(Math.max(...Array.from(p, (v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-6);
  });
  it('rejects pixels that are not whole images', () => {
    expect(() => predictProbabilities(buildCifar10Cnn(), new Uint8Array(100))).toThrow(/predictProbabilities: pixels must be a Uint8Array of n images of \[32, 32, 3\]/);
  });
});

describe('classifyImageFiles', () => {
  it('classifies the good files, reports the bad ones by name, keeps the order and shows progress', () => {
    const dir = makeTmpDir();
    const png = new PNG({ width: 40, height: 40 });
    for (let i = 0; i < 40 * 40; i++) png.data.set([(i * 3) % 256, 120, 200, 255], 4 * i);
    const good = path.join(dir, 'good.png');
    fs.writeFileSync(good, PNG.sync.write(png));
    const bad = path.join(dir, 'bad.png');
    fs.writeFileSync(bad, 'oops');
    const model = buildCifar10Cnn({ seed: 1 });
    const lines: string[] = [];
    const results = classifyImageFiles(model, [bad, good, good], { k: 2, keepImages: true, progress: { write: (s) => lines.push(s) }, label: 'test' });
    expect(results.map((r) => r.file)).toEqual([bad, good, good]);
    expect(results[0].error).toMatch(new RegExp(`readImageFile: "${bad}" is not a PNG or JPEG image`));
    expect(results[0].top).toBeUndefined();
    // The same as reading the file and predicting it by hand:
    const p = predictProbabilities(model, readImageFile(good).input.rgb);
    const best = Array.from(p).indexOf(Math.max(...p));
    expect(results[1].top!.map((s) => s.className)[0]).toBe(CIFAR10_CLASSES[best]);
    expect(results[1].top).toHaveLength(2);
    expect(results[2].top).toEqual(results[1].top);
    expect(results[1].image!.input.rgb).toHaveLength(32 * 32 * 3);
    expect(lines.at(-1)).toMatch(/^classify test: 100% \(3 of 3 images, /);
  });
  it('rejects a model that does not take square RGB images', () => {
    expect(() => classifyImageFiles(buildCifar10Cnn({ height: 20, width: 24 }), [])).toThrow(/must take square RGB images \[batch, size, size, 3\], but takes \[batch, 20, 24, 3\]/);
  });
});

describe('createCountProgress', () => {
  it('writes a line at each 10% crossed and one at the end, and nothing for no items', () => {
    const lines: string[] = [];
    const p = createCountProgress({ verb: 'classify', label: 'pics', total: 20, unit: 'images', stream: { write: (s) => lines.push(s) }, now: () => 0 });
    for (let i = 1; i <= 20; i++) p.update(i);
    p.finish();
    expect(lines).toHaveLength(10);
    expect(lines[9]).toMatch(/^classify pics: 100% \(20 of 20 images, /);
    const none: string[] = [];
    createCountProgress({ verb: 'classify', label: 'x', total: 0, stream: { write: (s) => none.push(s) } }).finish();
    expect(none).toEqual([]);
    expect(() => createCountProgress({ verb: 'v', label: 'x', total: -1 })).toThrow(/createCountProgress: options.total/);
  });
});
