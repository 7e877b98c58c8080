// lib/backend/kernels/native_training.ts: the ReLU gradient as TensorFlow's ReluGrad op on the
// native backend (after `npm run setup:native`), against TF.js's own formula on the cpu backend;
// other backends keep the formula. The native part is skipped, with the reason, where
// @tensorflow/tfjs-node does not load (the default install).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../lib/backend/backend';
import { registerFastNativeGradients, unregisterFastNativeGradients } from '../../lib/backend/kernels/native_training';
import { randoms } from '../helpers/numeric';

const shape = [3, 5, 4, 6];
// Half the values exactly 0 (ReLU's kink: gradient 0 on both sides), the rest of either sign.
const xs = randoms(3 * 5 * 4 * 6, 51).map((v, i) => (i % 2 === 0 ? 0 : v));
const dys = randoms(3 * 5 * 4 * 6, 52);

async function reluGradOn(backend: string): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor(xs, shape);
  const dy = tf.tensor(dys, shape);
  const g = tf.grad((t: tf.Tensor) => tf.relu(t).mul(dy).sum())(x);
  const out = Float32Array.from(await g.data(), (v) => v + 0); // -0 (dy · 0 with dy < 0) as 0: the sign of a zero gradient is not compared
  tf.dispose([x, dy, g]);
  return out;
}

/** Why the native backend did not load, or undefined when it did. */
let nativeMissing: string | undefined;
beforeAll(async () => {
  try {
    await initBackend({ backend: 'tensorflow' });
  } catch (err) {
    nativeMissing = (err as Error).message.split('\n')[0];
  }
});
afterAll(() => unregisterFastNativeGradients());

describe('registerFastNativeGradients', () => {
  it('keeps TF.js\'s formula on the cpu backend (dy where x > 0, else 0), and is idempotent', async () => {
    registerFastNativeGradients();
    registerFastNativeGradients();
    const g = await reluGradOn('cpu');
    expect(Array.from(g)).toEqual(Array.from(dys, (d, i) => (xs[i] > 0 ? d : 0)).map((v) => Math.fround(v)));
  });

  it('on native TensorFlow: ReluGrad gives the cpu backend\'s gradient bit for bit, in one op (skipped where tfjs-node does not load)', async (ctx) => {
    if (nativeMissing !== undefined) ctx.skip(`native backend not loaded: ${nativeMissing}`);
    registerFastNativeGradients();
    const reference = await reluGradOn('cpu');
    expect(Array.from(await reluGradOn('tensorflow'))).toEqual(Array.from(reference));
    await tf.setBackend('tensorflow');
    const x = tf.tensor(xs, shape);
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.relu(t).sum())(x));
    const names = profile.kernels.map((k) => k.name);
    expect(names).not.toContain('Step'); // TF.js's formula: Step (six TensorFlow ops in tfjs-node), Cast, Multiply
    tf.dispose([x, profile.result as tf.Tensor]);
  });
});
