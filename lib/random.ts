/**
 * Seeded pseudo-random numbers and shuffling, so that minibatch order is
 * reproducible (mulberry32 generator; Fisher–Yates shuffle, Knuth TAOCP vol. 2
 * §3.4.2, Algorithm P).
 */
import { checkInteger } from './errors';

/**
 * A seeded generator of floats uniform in [0, 1) (mulberry32, 32-bit state).
 * @example
 * ```ts
 * const rand = seededRandom(42);
 * rand() === seededRandom(42)(); // true
 * ```
 */
export function seededRandom(seed: number): () => number {
  checkInteger('seededRandom', 'seed', seed, 0, 2 ** 32 - 1);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random permutation of 0..n-1 (Fisher–Yates), reproducible for a seed.
 * @returns `[n]` int32 indices, each exactly once.
 * @example
 * ```ts
 * Array.from(shuffledIndices(5, 1)).sort(); // [0, 1, 2, 3, 4]
 * ```
 */
export function shuffledIndices(n: number, seed: number): Int32Array {
  checkInteger('shuffledIndices', 'n', n, 0);
  const rand = seededRandom(seed);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}
