// Tests for lib/backend/kernels/conv2d_grad.ts: our Conv2DBackpropFilter / Conv2DBackpropInput
// on wasm and cpu against the STOCK cpu kernels, and against finite differences.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { randoms, relErr, setUpWasmVariant, size } from '../helpers/numeric';
import { isFastConvGradientRegistered, registerFastConvGradients, stockKernel } from '../../lib/backend/kernels/conv2d_grad';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

type Inputs = Record<string, { values: Float32Array; shape: number[] }>;

/** Runs the stock cpu kernel config directly (bypassing the registry, where ours sits). */
async function runStockCpu(name: string, inputs: Inputs, attrs: tf.NamedAttrMap): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const backend = tf.backend();
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  const config = stockKernel(name, 'cpu');
  if (config === undefined) throw new Error(`no stock cpu kernel ${name}`);
  const out = config.kernelFunc({ inputs: tensors, backend, attrs }) as tf.TensorInfo;
  const values = Float32Array.from(backend.readSync(out.dataId) as Float32Array);
  backend.disposeData(out.dataId);
  tf.dispose(Object.values(tensors));
  return values;
}

/** Runs whatever kernel is registered on `backendName` (ours) through the engine. */
async function runRegistered(backendName: string, name: string, inputs: Inputs, attrs: tf.NamedAttrMap): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backendName);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]));
  const out = tf.engine().runKernel(name, tensors, attrs) as tf.Tensor;
  const result = { values: Float32Array.from(await out.data()), shape: out.shape };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

interface Case {
  x: Shape4; // [batch, inHeight, inWidth, inChannels]
  k: [number, number]; // [filterHeight, filterWidth]
  outC: number;
  strides: number | [number, number];
  pad: Pad;
}

function outShapeOf(c: Case): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.outC], c.strides, 1, c.pad);
  return info.outShape as Shape4;
}

// Every convolution family the course uses, on odd and even sizes, batch 1 and 3, channels 1..8.
const cases: Case[] = [];
{
  let seed = 1;
  const shapes: Shape4[] = [
    [1, 7, 9, 1],
    [3, 8, 8, 3],
    [3, 11, 6, 8],
    [1, 5, 5, 5],
  ];
  for (const pad of ['valid', 'same'] as const) {
    for (const strides of [1, 2]) {
      for (const kk of [1, 3, 5]) {
        for (const x of shapes) {
          if (pad === 'valid' && (x[1] < kk || x[2] < kk)) continue;
          cases.push({ x, k: [kk, kk], outC: 1 + (seed++ % 8), strides, pad });
        }
      }
    }
  }
  // Unequal strides and kernels, numeric and explicit padding.
  cases.push({ x: [2, 9, 7, 4], k: [3, 2], outC: 3, strides: [1, 2], pad: 'same' });
  cases.push({ x: [2, 9, 7, 4], k: [2, 3], outC: 5, strides: [2, 1], pad: 'valid' });
  cases.push({ x: [2, 9, 7, 4], k: [3, 3], outC: 2, strides: [3, 2], pad: 'same' });
  cases.push({ x: [2, 8, 9, 3], k: [3, 3], outC: 4, strides: 1, pad: 1 });
  cases.push({ x: [2, 8, 9, 3], k: [5, 5], outC: 4, strides: 2, pad: 2 });
  cases.push({ x: [2, 8, 9, 3], k: [3, 3], outC: 4, strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] });
  cases.push({ x: [1, 6, 6, 2], k: [3, 3], outC: 2, strides: 1, pad: [[0, 0], [4, 0], [0, 3], [0, 0]] });
}

function label(c: Case): string {
  return `x [${c.x}] k ${c.k.join('x')} outC ${c.outC} strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`;
}

beforeAll(async () => {
  registerFastConvGradients();
  await tf.setBackend('cpu');
});

describe('registerFastConvGradients', () => {
  it('replaces both kernels on wasm and cpu, keeps the stock cpu kernels, and is idempotent', () => {
    const stockFilter = stockKernel('Conv2DBackpropFilter', 'cpu');
    registerFastConvGradients();
    for (const backendName of ['wasm', 'cpu']) {
      expect(isFastConvGradientRegistered(backendName, 'Conv2DBackpropFilter')).toBe(true);
      expect(isFastConvGradientRegistered(backendName, 'Conv2DBackpropInput')).toBe(true);
    }
    expect(stockFilter?.backendName).toBe('cpu');
    expect(stockKernel('Conv2DBackpropFilter', 'cpu')).toBe(stockFilter);
    expect(stockKernel('Conv2DBackpropInput', 'cpu')?.backendName).toBe('cpu');
    // Stock wasm has no filter gradient at all, and a (slow) input gradient.
    expect(stockKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(stockKernel('Conv2DBackpropInput', 'wasm')?.backendName).toBe('wasm');
  });
});

// 'wasm (2 threads)' is the wasm backend on the threaded SIMD build (lib/backend/threads/wasm_threads.ts).
describe.each(['wasm', 'wasm (2 threads)', 'cpu'])('fast conv gradients on %s', (variant) => {
  const backendName = variant.startsWith('wasm') ? 'wasm' : variant;
  setUpWasmVariant(variant);

  it.each(cases.map((c, i) => [label(c), c, i] as const))('match the stock cpu kernels: %s', async (_name, c, i) => {
    const filterShape: Shape4 = [c.k[0], c.k[1], c.x[3], c.outC];
    const dyShape = outShapeOf(c);
    const x = { values: randoms(size(c.x), 100 + i), shape: c.x };
    const w = { values: randoms(size(filterShape), 200 + i), shape: filterShape };
    const dy = { values: randoms(size(dyShape), 300 + i), shape: dyShape };
    const common = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap;

    const dWAttrs = { ...common, filterShape } as tf.NamedAttrMap;
    const dWStock = await runStockCpu('Conv2DBackpropFilter', { x, dy }, dWAttrs);
    const dW = await runRegistered(backendName, 'Conv2DBackpropFilter', { x, dy }, dWAttrs);
    expect(dW.shape).toEqual(filterShape);
    expect(relErr(dW.values, dWStock)).toBeLessThanOrEqual(1e-4);

    const dXAttrs = { ...common, inputShape: c.x } as tf.NamedAttrMap;
    const dXStock = await runStockCpu('Conv2DBackpropInput', { dy, filter: w }, dXAttrs);
    const dX = await runRegistered(backendName, 'Conv2DBackpropInput', { dy, filter: w }, dXAttrs);
    expect(dX.shape).toEqual(c.x);
    expect(relErr(dX.values, dXStock)).toBeLessThanOrEqual(1e-4);
  });

  it('tf.grads of tf.conv2d works through the engine and leaks no tensors or backend buffers', async () => {
    await tf.setBackend(backendName);
    const x = tf.tensor(randoms(2 * 8 * 8 * 3, 7), [2, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.tensor(randoms(3 * 3 * 3 * 4, 8), [3, 3, 3, 4]) as tf.Tensor4D;
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum();
    tf.dispose(tf.grads(f)([x, w])); // warm-up (kernel setup)
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = tf.backend().numDataIds();
    const [dx, dw] = tf.grads(f)([x, w]);
    expect(dx.shape).toEqual([2, 8, 8, 3]);
    expect(dw.shape).toEqual([3, 3, 3, 4]);
    tf.dispose([dx, dw]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
    tf.dispose([x, w]);
  });

  it('throws naming the kernel and "dilations" for a dilation-2 gradient', async () => {
    await tf.setBackend(backendName);
    const x = tf.zeros([1, 7, 7, 2]);
    const dy = tf.zeros([1, 3, 3, 2]);
    const w = tf.zeros([3, 3, 2, 2]);
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 2 };
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, 2, 2] })).toThrow(
      /Conv2DBackpropFilter.*dilations/,
    );
    expect(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: [1, 7, 7, 2] })).toThrow(
      /Conv2DBackpropInput.*dilations/,
    );
    tf.dispose([x, dy, w]);
  });
});

describe('unsupported attributes', () => {
  it("on wasm, dataFormat 'NCHW' throws naming the kernel and dataFormat", async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 2, 3, 3]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] }),
    ).toThrow(/Conv2DBackpropFilter.*dataFormat/);
    tf.dispose([x, dy]);
  });

  it("on cpu, dataFormat 'NCHW' falls back to the stock kernel", async () => {
    const x = { values: randoms(1 * 2 * 6 * 5, 41), shape: [1, 2, 6, 5] }; // [batch, channels, height, width]
    const dy = { values: randoms(1 * 3 * 4 * 3, 42), shape: [1, 3, 4, 3] };
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] } as tf.NamedAttrMap;
    const stock = await runStockCpu('Conv2DBackpropFilter', { x, dy }, attrs);
    const ours = await runRegistered('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
    expect(Array.from(ours.values)).toEqual(Array.from(stock));
  });
});

describe('finite differences (independent float64 convolution in plain JS)', () => {
  // loss(x, w) = Σ r ⊙ conv2d(x, w): its gradients are exactly the kernels applied to dy = r.
  function conv2dF64(x: Float64Array, xs: Shape4, w: Float64Array, ws: Shape4, s: number, padTop: number, padLeft: number, oh: number, ow: number): Float64Array {
    const [b, H, W, ci] = xs;
    const [kh, kw, , co] = ws;
    const y = new Float64Array(b * oh * ow * co);
    for (let n = 0; n < b; n++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let o = 0; o < co; o++) {
            let acc = 0;
            for (let di = 0; di < kh; di++)
              for (let dj = 0; dj < kw; dj++) {
                const r = i * s + di - padTop;
                const c = j * s + dj - padLeft;
                if (r < 0 || r >= H || c < 0 || c >= W) continue;
                for (let q = 0; q < ci; q++) acc += x[((n * H + r) * W + c) * ci + q] * w[((di * kw + dj) * ci + q) * co + o];
              }
            y[((n * oh + i) * ow + j) * co + o] = acc;
          }
    return y;
  }

  it.each(['wasm', 'cpu'])('%s: both gradients of a stride-2 same-padded 3×3 conv on 5×6 input match central differences', async (backendName) => {
    const xs: Shape4 = [2, 5, 6, 2];
    const ws: Shape4 = [3, 3, 2, 3];
    const info = tf.backend_util.computeConv2DInfo(xs, ws, 2, 1, 'same');
    const ys = info.outShape as Shape4;
    const x = randoms(size(xs), 11);
    const w = randoms(size(ws), 12);
    const r = randoms(size(ys), 13);
    const loss = (xv: Float64Array, wv: Float64Array) =>
      conv2dF64(xv, xs, wv, ws, 2, info.padInfo.top, info.padInfo.left, ys[1], ys[2]).reduce((acc, v, i) => acc + v * r[i], 0);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC' } as tf.NamedAttrMap;
    const dW = await runRegistered(backendName, 'Conv2DBackpropFilter', { x: { values: x, shape: xs }, dy: { values: r, shape: ys } }, { ...attrs, filterShape: ws });
    const dX = await runRegistered(backendName, 'Conv2DBackpropInput', { dy: { values: r, shape: ys }, filter: { values: w, shape: ws } }, { ...attrs, inputShape: xs });
    const h = 1e-4;
    const numeric = (which: 'x' | 'w') => {
      const base = which === 'x' ? Float64Array.from(x) : Float64Array.from(w);
      const other = which === 'x' ? Float64Array.from(w) : Float64Array.from(x);
      return Array.from(base, (_, i) => {
        const plus = Float64Array.from(base);
        const minus = Float64Array.from(base);
        plus[i] += h;
        minus[i] -= h;
        const lp = which === 'x' ? loss(plus, other) : loss(other, plus);
        const lm = which === 'x' ? loss(minus, other) : loss(other, minus);
        return (lp - lm) / (2 * h);
      });
    };
    expect(relErr(dW.values, numeric('w'))).toBeLessThanOrEqual(1e-5);
    expect(relErr(dX.values, numeric('x'))).toBeLessThanOrEqual(1e-5);
  });
});

describe('TSDoc example', () => {
  it('tf.grads of a same-padded conv on wasm gives the input and filter shapes', async () => {
    registerFastConvGradients();
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').sum())([x, w]);
    expect(dx.shape).toEqual([2, 8, 8, 3]);
    expect(dw.shape).toEqual([3, 3, 3, 4]);
    tf.dispose([x, w, dx, dw]);
  });
});
