// Tests for lib/backend/backend.ts: choosing the TF.js backend and reporting why.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV_VAR, WASM_THREADS_ENV_VAR, backendReport, formatBackendReport, initBackend } from '../../lib/backend/backend';
import { ArgumentError } from '../../lib/core/errors';
import { isFastConvGradientRegistered } from '../../lib/backend/kernels/conv2d_grad';
import { defaultWasmThreads } from '../../lib/backend/threads/wasm_threads';

const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const v of [BACKEND_ENV_VAR, WASM_THREADS_ENV_VAR]) {
    saved[v] = process.env[v];
    delete process.env[v];
  }
});
afterEach(() => {
  for (const v of [BACKEND_ENV_VAR, WASM_THREADS_ENV_VAR]) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

describe('initBackend', () => {
  it('backendReport is undefined before the first initBackend', () => {
    expect(backendReport()).toBeUndefined();
  });

  it('by default picks wasm here and lists tfjs-node-gpu and tfjs-node as not installed', async () => {
    const r = await initBackend();
    expect(r.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(r.package).toBe('@tensorflow/tfjs-backend-wasm');
    expect(r.gpu).toBe(false);
    expect(r.skipped.map((s) => [s.candidate, s.why])).toEqual([
      ['@tensorflow/tfjs-node-gpu', 'not installed'],
      ['@tensorflow/tfjs-node', 'not installed'],
    ]);
    expect(r.versions.tfjs).toBe(tf.version.tfjs);
    expect(r.versions['tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/);
    expect(backendReport()).toBe(r);
    // wasm trains CNNs only with the course's conv gradients.
    expect(isFastConvGradientRegistered('wasm', 'Conv2DBackpropFilter')).toBe(true);
    // Multithreaded by default, on every available core (2 on the course machines).
    expect(r.threads).toBe(defaultWasmThreads());
    expect(r.threadsNote).toMatch(defaultWasmThreads() > 1 ? /threaded-simd/ : /simd/);
  });

  it('DL_COURSE_WASM_THREADS=1 selects the single-threaded build; options.wasmThreads overrides it', async () => {
    process.env[WASM_THREADS_ENV_VAR] = '1';
    const r = await initBackend({ backend: 'wasm' });
    expect(r.threads).toBe(1);
    expect(r.threadsNote).toBe('DL_COURSE_WASM_THREADS=1 (tfjs-backend-wasm-simd.wasm)');
    const r2 = await initBackend({ backend: 'wasm', wasmThreads: 2 });
    expect(r2.threads).toBe(2);
    expect(r2.threadsNote).toContain('options.wasmThreads = 2');
  });

  it('an invalid DL_COURSE_WASM_THREADS throws ArgumentError naming initBackend and the variable', async () => {
    process.env[WASM_THREADS_ENV_VAR] = '16';
    await expect(initBackend()).rejects.toBeInstanceOf(ArgumentError);
    await expect(initBackend()).rejects.toThrow(/^initBackend: environment variable DL_COURSE_WASM_THREADS must be an integer in 1\.\.8/);
  });

  it('is idempotent: the same request returns the same report', async () => {
    const a = await initBackend();
    const b = await initBackend();
    expect(b).toBe(a);
  });

  it('DL_COURSE_BACKEND=cpu selects cpu and marks the others as overridden', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const r = await initBackend();
    expect(r.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(r.skipped.every((s) => s.why === 'overridden' && s.message === 'DL_COURSE_BACKEND=cpu')).toBe(true);
    expect(r.skipped.map((s) => s.candidate)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm']);
    expect(isFastConvGradientRegistered('cpu', 'Conv2DBackpropFilter')).toBe(true);
  });

  it('options.backend overrides DL_COURSE_BACKEND', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const r = await initBackend({ backend: 'wasm' });
    expect(r.backend).toBe('wasm');
    expect(r.reason).toContain("options.backend = 'wasm'");
  });

  it.each(['gpu', 'WASM', 'tfjs-node', ' cpu'])('an invalid DL_COURSE_BACKEND (%j) throws ArgumentError naming the variable and the allowed values', async (value) => {
    process.env[BACKEND_ENV_VAR] = value;
    const p = initBackend();
    await expect(p).rejects.toBeInstanceOf(ArgumentError);
    await expect(initBackend()).rejects.toThrow(/DL_COURSE_BACKEND.*tensorflow, wasm, cpu/);
  });

  it.each([0, 'gpu', null, 10.8])('an invalid options.backend (%j) throws ArgumentError naming options.backend', async (value) => {
    await expect(initBackend({ backend: value as never })).rejects.toThrow(ArgumentError);
    await expect(initBackend({ backend: value as never })).rejects.toThrow(/options\.backend/);
  });

  it("asking for 'tensorflow' when neither tfjs-node package is installed throws, listing both", async () => {
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(
      /tfjs-node-gpu: not installed.*tfjs-node: not installed/,
    );
  });

  it('trains through conv2d on the chosen backend without leaking tensors', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 3, 4]));
    const opt = tf.train.sgd(0.1);
    const step = () => opt.minimize(() => tf.conv2d(x, w as tf.Variable<tf.Rank.R4>, 1, 'valid').square().mean() as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
    opt.dispose();
  });
});

describe('formatBackendReport', () => {
  it('names the backend, the GPU status, why, the skipped candidates and versions', async () => {
    const text = formatBackendReport(await initBackend({ backend: 'wasm' }));
    expect(text).toMatch(/^TF\.js backend: wasm \(@tensorflow\/tfjs-backend-wasm\), GPU: no, threads: \d\n/);
    expect(text).toMatch(/\n  threads: /);
    expect(text).toContain('why: requested by');
    expect(text).toContain('versions: node ');
  });
});
