// Tests for lib/backend/kernels/wasm_training.ts: the faster wasm BatchMatMul, MaxPoolGrad, Sum, Identity, Cast, Tile,
// broadcast Multiply / Add / Sub / RealDiv and Mean
// against the cpu backend's kernels (stock there) on the same inputs, on the stock single-threaded
// wasm build and on the threaded SIMD build (lib/backend/threads/wasm_threads.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randoms, relErr, setUpWasmVariant, size } from '../helpers/numeric';
import { registerFastConvGradients, unregisterFastConvGradients } from '../../lib/backend/kernels/conv2d_grad';
import { registerFastWasmTrainingKernels, stockWasmKernel, unregisterFastWasmTrainingKernels } from '../../lib/backend/kernels/wasm_training';
import { buildCifar10Cnn, compileClassifier } from '../../lib/models/cnn';

/** Runs `f` on `backendName` with fresh tensors made from `inputs`; returns the values and shape. */
async function on(backendName: string, inputs: Array<{ values: Float32Array; shape: number[] }>, f: (...ts: tf.Tensor[]) => tf.Tensor) {
  await tf.setBackend(backendName);
  const ts = inputs.map((v) => tf.tensor(v.values, v.shape));
  const out = f(...ts);
  const result = { values: Float32Array.from(await out.data()), shape: out.shape };
  tf.dispose([out, ...ts]);
  return result;
}

/** Same computation on wasm (our kernels) and on cpu (stock), compared. */
async function compare(inputs: Array<{ values: Float32Array; shape: number[] }>, f: (...ts: tf.Tensor[]) => tf.Tensor, tol = 1e-5) {
  const ours = await on('wasm', inputs, f);
  const ref = await on('cpu', inputs, f);
  expect(ours.shape).toEqual(ref.shape);
  expect(relErr(ours.values, ref.values)).toBeLessThanOrEqual(tol);
}

const input = (shape: number[], seed: number, map: (v: number) => number = (v) => v) => ({ values: randoms(size(shape), seed).map(map), shape });

beforeAll(() => {
  registerFastWasmTrainingKernels();
});

describe('registerFastWasmTrainingKernels', () => {
  it('keeps the stock wasm kernels, is idempotent, and can be undone', () => {
    const stockSum = stockWasmKernel('Sum');
    registerFastWasmTrainingKernels();
    expect(stockWasmKernel('Sum')).toBe(stockSum);
    expect(stockSum?.backendName).toBe('wasm');
    expect(tf.getKernel('Sum', 'wasm')).not.toBe(stockSum);
    unregisterFastWasmTrainingKernels();
    expect(tf.getKernel('Sum', 'wasm')).toBe(stockSum);
    registerFastWasmTrainingKernels();
    expect(tf.getKernel('Sum', 'wasm')?.kernelFunc).not.toBe(stockSum?.kernelFunc);
  });
});

describe.each(['wasm', 'wasm (2 threads)'])('on %s', (variant) => {
  setUpWasmVariant(variant);

  describe('Cast', () => {
    it('to the same dtype shares the buffer; to another dtype converts', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor([1.5, -2, 3]);
      const buffers = tf.backend().numDataIds();
      const same = tf.cast(x, 'float32');
      expect(tf.backend().numDataIds()).toBe(buffers);
      const other = tf.cast(x, 'int32');
      expect(Array.from(await other.data())).toEqual([1, -2, 3]);
      x.dispose();
      expect(Array.from(await same.data())).toEqual([1.5, -2, 3]);
      tf.dispose([same, other]);
    });
  });

  describe('Identity', () => {
    it('shares the buffer instead of copying, and the clone outlives the original', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor([1, 2, 3]);
      const buffers = tf.backend().numDataIds();
      const y = tf.clone(x);
      expect(tf.backend().numDataIds()).toBe(buffers); // no new buffer
      x.dispose();
      expect(Array.from(await y.data())).toEqual([1, 2, 3]);
      y.dispose();
      expect(tf.backend().numDataIds()).toBe(buffers - 1);
    });
  });

  describe('BatchMatMul with transposed operands', () => {
    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])('transposeA %s, transposeB %s matches cpu', async (ta, tb) => {
      const a = input(ta ? [37, 5] : [5, 37], 1);
      const b = input(tb ? [7, 37] : [37, 7], 2);
      await compare([a, b], (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb));
    });

    it('batched (rank 3, batch 2) with transposes still matches cpu (stock path)', async () => {
      await compare([input([2, 6, 4], 3), input([2, 5, 6], 4)], (x, y) => tf.matMul(x, y, true, true));
    });
  });

  describe('MaxPoolGrad', () => {
    const grad = (window: number | [number, number], strides: number | [number, number], pad: 'valid' | 'same') => (x: tf.Tensor, dy: tf.Tensor) =>
      tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, window, strides, pad).mul(dy).sum())(x);

    it.each([
      ['2×2 on 30×30×4, batch 3', [3, 30, 30, 4], 2],
      ['2×2 on odd 7×9×3 (last row and column outside every window)', [2, 7, 9, 3], 2],
      ['3×3 on 9×9×2', [1, 9, 9, 2], 3],
      ['1×2 windows', [2, 6, 6, 2], [1, 2]],
    ] as const)('%s matches cpu, also for negative windows', async (_name, shape, window) => {
      const w = typeof window === 'number' ? [window, window] : window;
      const outShape = [shape[0], Math.floor(shape[1] / w[0]), Math.floor(shape[2] / w[1]), shape[3]];
      await compare([input([...shape], 5), input(outShape, 6)], grad(window as [number, number], window as [number, number], 'valid'));
    });

    it('sends the gradient of tied maxima (ReLU zeros, repeated values) to the first one, as cpu does', async () => {
      const shape = [2, 8, 8, 3];
      // Half the values 0 (as after ReLU), others quantised to few levels: many ties.
      const x = input(shape, 7, (v) => (v < 0 ? 0 : Math.round(v * 2) / 2));
      await compare([x, input([2, 4, 4, 3], 8)], grad(2, 2, 'valid'));
    });

    it.each([
      ['3×3 windows, stride 2, same padding (overlapping, padded)', [2, 7, 7, 2], 3, 2, 'same'],
      ['2×2 windows, stride 1, valid (overlapping: gradients add up)', [1, 6, 5, 3], 2, 1, 'valid'],
      ['2×2 windows, stride 2, same padding on odd sizes', [2, 5, 7, 2], 2, 2, 'same'],
    ] as const)('%s matches cpu', async (_name, shape, window, stride, pad) => {
      const outShape = tf.backend_util.computePool2DInfo([...shape] as [number, number, number, number], window, stride, 1, pad).outShape;
      await compare([input([...shape], 31), input(outShape, 32)], grad(window, stride, pad));
    });

    it('leaks no tensors or backend buffers', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor(randoms(2 * 6 * 6 * 3, 10), [2, 6, 6, 3]) as tf.Tensor4D;
      const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').sum();
      tf.dispose(tf.grad(f)(x));
      const tensors = tf.memory().numTensors;
      const buffers = tf.backend().numDataIds();
      tf.dispose(tf.grad(f)(x));
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.backend().numDataIds()).toBe(buffers);
      tf.dispose(x);
    });
  });

  describe('Sum', () => {
    it.each([
      ['leading axes [0, 1, 2] (a conv bias gradient)', [4, 5, 6, 7], [0, 1, 2], false],
      ['leading axes with keepDims', [4, 5, 6, 7], [0, 1], true],
      ['axis 0 of a matrix', [9, 4], [0], false],
      ['inner axes (stock path)', [4, 5, 6], [1, 2], false],
      ['all axes (stock path)', [3, 4], [0, 1], false],
      ['leading axes of a conv1-sized gradient [64, 30, 30, 32] (float64 between blocks)', [64, 30, 30, 32], [0, 1, 2], false],
      ['a channel count that is not a multiple of 4', [5, 7, 6], [0, 1], false],
    ] as const)('%s matches cpu', async (_name, shape, axes, keepDims) => {
      await compare([input([...shape], 11)], (x) => tf.sum(x, [...axes], keepDims));
    });

    it('leaks no backend buffers', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor(randoms(4 * 5 * 6, 12), [4, 5, 6]);
      tf.dispose(tf.sum(x, [0, 1]));
      const buffers = tf.backend().numDataIds();
      tf.dispose(tf.sum(x, [0, 1]));
      expect(tf.backend().numDataIds()).toBe(buffers);
      tf.dispose(x);
    });
  });

  describe('Tile', () => {
    it.each([
      ['[1, 1, 1, C] to an activation shape (the batch-norm gradient)', [1, 1, 1, 8], [4, 3, 5, 1]],
      ['every dimension repeated', [2, 3, 4], [3, 2, 2]],
      ['a vector', [5], [7]],
      ['repetitions of 1 (a copy)', [3, 4], [1, 1]],
      ['a column repeated across many columns', [6, 1], [1, 33]],
      ['rank 5', [2, 1, 3, 1, 2], [1, 2, 1, 3, 2]],
    ] as const)('%s matches cpu', async (_name, shape, reps) => {
      await compare([input([...shape], 13)], (x) => tf.tile(x, [...reps]), 0);
    });

    it('copies int32 values and float32 bit patterns exactly, and handles zero repetitions', async () => {
      await tf.setBackend('wasm');
      const ints = tf.tensor2d([[1, -2], [2147483647, -2147483648]], [2, 2], 'int32');
      expect(await tf.tile(ints, [2, 1]).array()).toEqual([[1, -2], [2147483647, -2147483648], [1, -2], [2147483647, -2147483648]]);
      const special = tf.tensor1d([NaN, -0, Infinity, 1e-45]);
      const tiled = Array.from(await tf.tile(special, [2]).data());
      expect(tiled.map((v) => Object.is(v, -0) ? '-0' : String(v))).toEqual(['NaN', '-0', 'Infinity', String(Math.fround(1e-45)), 'NaN', '-0', 'Infinity', String(Math.fround(1e-45))]);
      const empty = tf.tile(tf.ones([2, 3]), [0, 2]);
      expect(empty.shape).toEqual([0, 6]);
      tf.dispose([ints, special, empty]);
    });

    it('gives the batch-normalisation gradient of the cpu backend', async () => {
      const xShape = [4, 3, 3, 5];
      const grad = (x: tf.Tensor) => {
        const [mean, variance] = [tf.moments(x, [0, 1, 2]).mean, tf.moments(x, [0, 1, 2]).variance];
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(v, mean, variance, tf.linspace(0.5, 1.5, 5), tf.linspace(-1, 1, 5), 1e-3), tf.linspace(1, 2, 4 * 3 * 3 * 5).reshape(xShape))))(x);
      };
      await compare([input(xShape, 14)], grad, 1e-5);
    });

    it('leaks no backend buffers', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor(randoms(8, 15), [1, 1, 1, 8]);
      tf.dispose(tf.tile(x, [2, 3, 4, 1]));
      const buffers = tf.backend().numDataIds();
      tf.dispose(tf.tile(x, [2, 3, 4, 1]));
      expect(tf.backend().numDataIds()).toBe(buffers);
      tf.dispose(x);
    });
  });

  describe('Multiply, Add, Sub, RealDiv with a broadcast operand', () => {
    const positive = (v: number) => 1.5 + v; // divisors away from 0
    it.each([
      ['[N, H, W, C] × [C] (batch-norm scale)', [4, 5, 6, 8], [8]],
      ['[1, 1, 1, C] × [N, H, W, C] (the batch-norm gradient)', [1, 1, 1, 8], [4, 5, 6, 8]],
      ['[C] × [N, H, W, C]', [3], [2, 4, 4, 3]],
      ['[N, 1] × [N, K] (softmax gradient)', [6, 1], [6, 10]],
      ['both broadcast: [N, 1] × [1, K]', [5, 1], [1, 7]],
      ['a middle axis: [N, 1, C] × [N, H, C]', [2, 1, 3], [2, 4, 3]],
      ['same shapes (stock path)', [4, 6], [4, 6]],
      ['a scalar (stock path)', [], [4, 6]],
    ] as const)('%s matches cpu bit for bit', async (_name, shapeA, shapeB) => {
      const a = input([...shapeA], 41);
      const b = input([...shapeB], 42, positive);
      for (const op of [tf.mul, tf.add, tf.sub, tf.div]) {
        await compare([a, b], (x, y) => op(x, y), 0);
        await compare([input([...shapeB], 43, positive), a], (x, y) => op(y, x), 0); // the other operand order
      }
    });

    it('leaves int32 operands to the stock kernel and leaks no backend buffers', async () => {
      await tf.setBackend('wasm');
      const ints = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
      expect(await tf.mul(ints, tf.tensor1d([10, 100], 'int32')).array()).toEqual([[10, 200], [30, 400]]);
      const x = tf.tensor(randoms(2 * 3 * 4, 44), [2, 3, 4]);
      const c = tf.tensor1d([1, 2, 3, 4]);
      tf.dispose(tf.mul(x, c));
      const buffers = tf.backend().numDataIds();
      tf.dispose([tf.mul(x, c), tf.sub(c, x)]);
      expect(tf.backend().numDataIds()).toBe(buffers);
      tf.dispose([ints, x, c]);
    });
  });

  describe('Mean', () => {
    it.each([
      ['leading axes [0, 1, 2] (batch-norm moments)', [4, 5, 6, 7], [0, 1, 2], false],
      ['leading axes with keepDims', [4, 5, 6, 7], [0, 1, 2], true],
      ['inner axes (stock path)', [4, 5, 6], [1, 2], false],
      ['all axes (stock path)', [3, 4], [0, 1], false],
    ] as const)('%s matches cpu', async (_name, shape, axes, keepDims) => {
      await compare([input([...shape], 45)], (x) => tf.mean(x, [...axes], keepDims));
    });

    it('gives the batch-normalisation layer\'s training output and gradients of the cpu backend', async () => {
      const xShape = [4, 5, 5, 6];
      const layerGrad = (x: tf.Tensor) => {
        const layer = tf.layers.batchNormalization({ axis: -1, gammaInitializer: 'ones' });
        const w = tf.linspace(-1, 1, 4 * 5 * 5 * 6).reshape(xShape);
        return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v, { training: true }) as tf.Tensor, w)))(x);
      };
      await compare([input(xShape, 46)], layerGrad, 1e-4);
    });
  });

  describe('the course CNN on wasm (all fast kernels)', () => {
    const xShape = [3, 12, 12, 3];
    const x = input(xShape, 21, (v) => (v + 1) / 2); // [batch, height, width, channels] in [0, 1)
    const labels = [3, 0, 7];

    async function gradients(backendName: string): Promise<Map<string, Float32Array>> {
      await tf.setBackend(backendName);
      const model = buildCifar10Cnn({ height: 12, width: 12, seed: 5 });
      const xs = tf.tensor(x.values, x.shape);
      const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
      const out = new Map<string, Float32Array>();
      for (const [name, g] of Object.entries(grads)) out.set(name.replace(/_\d+$/, ''), Float32Array.from(await g.data()));
      tf.dispose([xs, ys, ...Object.values(grads)]);
      model.dispose();
      return out;
    }

    it('gives the same weight gradients as the STOCK cpu kernels', async () => {
      unregisterFastConvGradients(); // cpu reference: stock Conv2DBackprop* kernels
      let reference: Map<string, Float32Array>;
      try {
        reference = await gradients('cpu');
      } finally {
        registerFastConvGradients();
      }
      const ours = await gradients('wasm');
      expect([...ours.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [name, g] of ours) expect(relErr(g, reference.get(name)!), name).toBeLessThanOrEqual(1e-4);
    });

    it('trains with model.fit without leaking tensors', async () => {
      await tf.setBackend('wasm');
      const model = compileClassifier(buildCifar10Cnn({ height: 12, width: 12, seed: 5 }));
      const xs = tf.tensor(x.values, x.shape);
      const ys = tf.tensor1d(labels, 'float32');
      await model.fit(xs, ys, { batchSize: 3, epochs: 1, verbose: 0 });
      const before = tf.memory().numTensors;
      const h = await model.fit(xs, ys, { batchSize: 3, epochs: 2, verbose: 0 });
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(h.history.loss[1] as number)).toBe(true);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  });
});
