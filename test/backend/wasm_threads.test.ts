// Tests for lib/backend/threads/wasm_threads.ts: the multithreaded wasm backend (threaded SIMD build over
// worker_threads) starts, really uses its threads, computes what the single-threaded build computes,
// falls back when it cannot start, and lets Node exit.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randoms, relErr } from '../helpers/numeric';
import { ArgumentError } from '../../lib/core/errors';
import { registerFastConvGradients } from '../../lib/backend/kernels/conv2d_grad';
import { registerFastWasmTrainingKernels } from '../../lib/backend/kernels/wasm_training';
import { buildCifar10Cnn, compileClassifier } from '../../lib/models/cnn';
import {
  MAX_WASM_THREADS,
  WASM_THREADS_ENV_VAR,
  defaultWasmThreads,
  resolveWasmThreads,
  useSingleThreadedWasm,
  useThreadedWasm,
  wasmThreadsInfo,
} from '../../lib/backend/threads/wasm_threads';

const ROOT = path.resolve(__dirname, '..', '..');

let savedEnv: string | undefined;
beforeAll(() => {
  savedEnv = process.env[WASM_THREADS_ENV_VAR];
  registerFastConvGradients();
  registerFastWasmTrainingKernels();
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env[WASM_THREADS_ENV_VAR];
  else process.env[WASM_THREADS_ENV_VAR] = savedEnv;
});
afterAll(() => useSingleThreadedWasm());

describe('resolveWasmThreads', () => {
  it('defaults to the available cores, at most 8', () => {
    delete process.env[WASM_THREADS_ENV_VAR];
    const r = resolveWasmThreads();
    expect(r.threads).toBe(defaultWasmThreads());
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(r.threads).toBeLessThanOrEqual(MAX_WASM_THREADS);
    expect(r.source).toMatch(/^default/);
  });

  it('reads DL_COURSE_WASM_THREADS, and the option overrides it', () => {
    process.env[WASM_THREADS_ENV_VAR] = '1';
    expect(resolveWasmThreads()).toEqual({ threads: 1, source: 'DL_COURSE_WASM_THREADS=1' });
    expect(resolveWasmThreads(2)).toEqual({ threads: 2, source: 'options.wasmThreads = 2' });
    process.env[WASM_THREADS_ENV_VAR] = '';
    expect(resolveWasmThreads().threads).toBe(defaultWasmThreads());
  });

  it.each(['0', '9', 'two', '1.5', '-1'])('DL_COURSE_WASM_THREADS=%j throws ArgumentError naming the variable and the range', (value) => {
    process.env[WASM_THREADS_ENV_VAR] = value;
    expect(() => resolveWasmThreads()).toThrow(ArgumentError);
    expect(() => resolveWasmThreads()).toThrow(/DL_COURSE_WASM_THREADS must be an integer in 1\.\.8/);
  });

  it.each([0, 9, 1.5, '2', null])('options.wasmThreads = %j throws ArgumentError naming options.wasmThreads', (value) => {
    expect(() => resolveWasmThreads(value as never)).toThrow(/options\.wasmThreads must be an integer in 1\.\.8/);
  });
});

describe('useThreadedWasm', () => {
  it('starts the threaded SIMD build with 2 threads that XNNPACK really uses', async () => {
    useThreadedWasm(2);
    await tf.setBackend('wasm');
    expect(wasmThreadsInfo()).toEqual({ requested: 2, threads: 2, build: 'threaded-simd' });
    // One pthread worker runs for the pool (the main thread is the other); the 7 idle ones were freed.
    const pthreads = (tf.backend() as unknown as { wasm: { PThread: { runningWorkers: unknown[]; unusedWorkers: unknown[] } } }).wasm.PThread;
    expect(pthreads.runningWorkers.length).toBe(1);
    expect(pthreads.unusedWorkers.length).toBe(0);
  });

  it('useSingleThreadedWasm puts the stock build back', async () => {
    useSingleThreadedWasm();
    await tf.setBackend('wasm');
    expect(wasmThreadsInfo()).toEqual({ requested: 1, threads: 1, build: 'stock' });
    expect('PThread' in (tf.backend() as unknown as { wasm: object }).wasm).toBe(false);
  });

  it('one training step of the course CNN gives the same weights on 2 threads as on the single-threaded build', async () => {
    const x = randoms(8 * 32 * 32 * 3, 3); // [batch, height, width, channels] in [0, 1)
    const labels = Float32Array.from({ length: 8 }, (_, i) => i % 10);
    async function step(): Promise<Float32Array[]> {
      const model = compileClassifier(buildCifar10Cnn({ seed: 7 }));
      const xs = tf.tensor4d(x, [8, 32, 32, 3]);
      const ys = tf.tensor1d(labels, 'float32');
      await model.trainOnBatch(xs, ys);
      await model.trainOnBatch(xs, ys);
      const weights = await Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
      tf.dispose([xs, ys]);
      model.dispose();
      return weights;
    }
    useSingleThreadedWasm();
    await tf.setBackend('wasm');
    const single = await step();
    useThreadedWasm(2);
    await tf.setBackend('wasm');
    expect(wasmThreadsInfo().threads).toBe(2);
    const threaded = await step();
    expect(threaded.length).toBe(single.length);
    threaded.forEach((w, i) => expect(relErr(w, single[i]), `weight ${i}`).toBeLessThanOrEqual(1e-4));
  });

  it('falls back to the single-threaded build, saying why, when the worker file cannot be written', async () => {
    useSingleThreadedWasm();
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = '/dev/null/not-a-folder'; // os.tmpdir() now points below a file
    try {
      useThreadedWasm(2);
      await tf.setBackend('wasm');
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    const info = wasmThreadsInfo();
    expect(info).toMatchObject({ requested: 2, threads: 1, build: 'stock' });
    expect(info.fallbackReason).toMatch(/ENOTDIR|not-a-folder/);
    const y = tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'valid');
    expect(Array.from(await y.data())).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    useSingleThreadedWasm();
  });

  it('throws ArgumentError for 0 threads', () => {
    expect(() => useThreadedWasm(0)).toThrow(ArgumentError);
  });
});

describe('a Node program on the threaded backend', () => {
  const built = path.join(ROOT, 'dist', 'lib', 'backend.js');
  it.skipIf(!fs.existsSync(built))('exits by itself after its last line (compiled dist/lib/backend.js)', () => {
    const script = `
      const { initBackend } = require(${JSON.stringify(built)});
      const tf = require('@tensorflow/tfjs');
      initBackend({ wasmThreads: 2 }).then((r) => {
        tf.conv2d(tf.ones([2, 8, 8, 3]), tf.ones([3, 3, 3, 4]), 1, 'valid').dataSync();
        console.log('threads', r.threads);
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined(); // a timeout would set ETIMEDOUT here
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('threads 2');
  });
});
