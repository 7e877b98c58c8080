/** Numeric helpers shared by the kernel tests. */
import { expect } from 'vitest';
import { seededRandom } from '../../lib/random';

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
