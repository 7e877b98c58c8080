import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, createDataParallel, type DataParallel } from '../../lib';

/** An MLP that outputs logits: [batch, 5] → 8 → 3. */
function mlp(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: seed }) }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

function minibatch(batch: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.randomNormal([batch, 5], 0, 1, 'float32', seed) as tf.Tensor2D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7 + seed) % 3), 'int32'), 3).toFloat() as tf.Tensor2D;
  return { x, y };
}

/** The whole minibatch's gradient of the mean loss, on the main thread with tf.variableGrads. */
function fullGradient(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): { loss: number; grads: number[][] } {
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, vars);
  return { loss: value.dataSync()[0], grads: vars.map((v) => Array.from(grads[v.name].dataSync())) };
}

const opened: DataParallel[] = [];
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
});

describe('createDataParallel', () => {
  it.each([
    [1, 8, 'wasm'],
    [2, 8, 'wasm'],
    [3, 7, 'cpu'],
    [4, 3, 'cpu'],
  ] as const)('%i workers, minibatch %i (%s): the all-reduced gradient equals the whole minibatch’s gradient (tf.variableGrads)', async (workers, batch, backend) => {
    const model = mlp(workers);
    const dp = await createDataParallel(model, { workers: workers, backend: backend });
    opened.push(dp);
    const { x, y } = minibatch(batch, workers);
    const r = await dp.gradients(x, y);
    const want = fullGradient(model, x, y);
    expect(r.shardSizes.reduce((a, b) => a + b, 0)).toBe(batch);
    expect(Math.max(...r.shardSizes) - Math.min(...r.shardSizes)).toBeLessThanOrEqual(1); // uneven shards when batch % workers ≠ 0
    expect(r.loss).toBeCloseTo(want.loss, 5);
    r.gradients.forEach((g, k) => Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want.grads[k][i], 5)));
    expect(r.gradients.map((g) => g.shape)).toEqual(model.trainableWeights.map((w) => w.shape));
    await dp.close();
  }, 60_000);

  it('trainStep applies one optimizer step with that gradient; the workers see the new weights at the next step', async () => {
    const a = mlp(10);
    const b = mlp(10);
    const dp = await createDataParallel(a, { workers: 2, backend: 'cpu' });
    opened.push(dp);
    const optA = tf.train.sgd(0.3);
    const optB = tf.train.sgd(0.3);
    for (let step = 0; step < 3; step++) {
      const { x, y } = minibatch(6, 20 + step);
      const loss = await dp.trainStep(x, y, optA);
      const lossB = optB.minimize(() => tf.losses.softmaxCrossEntropy(y, b.apply(x) as tf.Tensor) as tf.Scalar, true)!.dataSync()[0];
      expect(loss).toBeCloseTo(lossB, 5); // the loss before each step: same weights on both sides
    }
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    a.getWeights().forEach((w, k) => Array.from(w.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(wb[k][i], 5)));
    await dp.close();
    await dp.close(); // idempotent
    await expect(dp.gradients(minibatch(2, 0).x, minibatch(2, 0).y)).rejects.toThrow(/gradients called after close/);
  }, 60_000);

  it('a minibatch smaller than the number of workers leaves the extra workers out', async () => {
    const model = mlp(30);
    const dp = await createDataParallel(model, { workers: 3, backend: 'cpu' });
    opened.push(dp);
    const { x, y } = minibatch(2, 5);
    const r = await dp.gradients(x, y);
    expect(r.shardSizes).toEqual([1, 1, 0]);
    expect(r.loss).toBeCloseTo(fullGradient(model, x, y).loss, 5);
    await dp.close();
  }, 60_000);

  it('rejects bad options, naming them', async () => {
    await expect(createDataParallel(mlp(0), { workers: 0 })).rejects.toThrow(/createDataParallel: options.workers must be an integer in \[1, 64\], got number 0/);
    await expect(createDataParallel(mlp(0), { workers: 1, backend: 'webgl' as never })).rejects.toThrow(ArgumentError);
    await expect(createDataParallel({} as never, { workers: 1 })).rejects.toThrow(/model must be a tf.LayersModel/);
  });

  it('after close() the process exits on its own (no worker keeps it alive)', () => {
    const script = `
      const tf = require('@tensorflow/tfjs');
      const { createDataParallel } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'lib', 'index.js'))});
      (async () => {
        const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
        const dp = await createDataParallel(model, { workers: 2, backend: 'cpu' });
        const r = await dp.gradients(tf.tensor2d([[1, 0], [0, 1], [1, 1]]), tf.tensor2d([[1, 0], [0, 1], [1, 0]]));
        console.log(JSON.stringify(r.shardSizes));
        await dp.close();
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0); // a hanging process would hit the timeout (status null)
    expect(r.stdout.trim()).toBe('[2,1]');
  }, 70_000);
});
