import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, buildCifar10Cnn, loadModel, saveModel } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('saveModel / loadModel', () => {
  it('round-trips the CNN: same weights, same predictions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-io-'));
    const model = buildCifar10Cnn({ seed: 5 });
    const out = await saveModel(model, path.join(dir, 'm'));
    expect(fs.readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    expect(fs.statSync(path.join(out, 'weights.bin')).size).toBe(167562 * 4); // float32
    const back = await loadModel(out);
    const x = tf.randomUniform([3, 32, 32, 3], 0, 1, 'float32', 1);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (back.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(fs.readdirSync(dir)).toEqual(['m']); // no temporary folder left
  });
  it('reports a missing folder and truncated weights clearly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-io-'));
    await expect(loadModel(path.join(dir, 'nope'))).rejects.toThrow(/model.json does not exist/);
    const out = await saveModel(buildCifar10Cnn(), path.join(dir, 'm'));
    fs.truncateSync(path.join(out, 'weights.bin'), 100);
    await expect(loadModel(out)).rejects.toThrow(DataFormatError);
    await expect(loadModel(out)).rejects.toThrow(/100 bytes but model.json describes 670248/);
  });
});
