/** Numeric helpers shared by the kernel tests. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect } from 'vitest';
import { useSingleThreadedWasm, useThreadedWasm, wasmThreadsInfo } from '../../lib/backend/threads/wasm_threads';
import { seededRandom } from '../../lib/core/random';

/** Deterministic uniform [-1, 1) float32 numbers (the library's mulberry32). */
export function randoms(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed >>> 0);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** Number of elements of a shape. */
export const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Relative error max |a − b| / max(|b|, 1e-12); the lengths must agree. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 1e-12;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/**
 * For a describe block over backend variants: 'wasm (2 threads)' switches to
 * the threaded SIMD build before its tests and back to the stock build after.
 */
export function setUpWasmVariant(variant: string): void {
  beforeAll(async () => {
    if (variant === 'wasm (2 threads)') {
      useThreadedWasm(2);
      await tf.setBackend('wasm');
      expect(wasmThreadsInfo()).toMatchObject({ threads: 2, build: 'threaded-simd' });
    }
  });
  afterAll(() => useSingleThreadedWasm());
}
