/**
 * How fast the current TF.js backend multiplies matrices: the arithmetic rate
 * (FLOP/s) of its best-tuned operation, a practical ceiling to compare a
 * training run's achieved rate with (a square n×n product costs 2·n³ FLOPs:
 * n multiplications and n additions for each of the n² outputs).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInteger } from '../core/errors';

/** What {@link matMulSpeed} measured. */
export interface MatMulSpeed {
  /** Side n of the square matrices multiplied. */
  size: number;
  /** FLOPs of one product, 2·n³. */
  flopsPerProduct: number;
  /** Fastest of the timed products, in seconds. */
  bestSeconds: number;
  /** `flopsPerProduct / bestSeconds`, FLOP/s. */
  flopsPerSecond: number;
  /** `tf.getBackend()` during the measurement. */
  backend: string;
}

/**
 * Times `repeats` products of two random `[size, size]` float32 matrices on
 * the current backend (after one untimed warm-up product) and returns the
 * fastest, as FLOP/s. Other processes on the machine slow it down: the fastest
 * of several is the least disturbed.
 * @param size - n, the side of the matrices. @default 512
 * @param repeats - timed products. @default 3
 * @returns the measurement; no tensors are left behind.
 * @throws {ArgumentError} when `size` or `repeats` is not an integer ≥ 1.
 * @example
 * ```ts
 * const speed = matMulSpeed(64, 2);
 * speed.flopsPerProduct; // 524288 (2·64³)
 * speed.flopsPerSecond > 0; // true
 * matMulSpeed(0); // throws ArgumentError: matMulSpeed: size must be an integer >= 1, got number 0
 * ```
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 09 §5 What the budget costs on the machines of chapter 01](../../notebooks/09-summary-and-challenges.ipynb#5.-What-the-budget-costs-on-the-machines-of-chapter-01)
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
 */
export function matMulSpeed(size = 512, repeats = 3): MatMulSpeed {
  const fn = 'matMulSpeed';
  checkInteger(fn, 'size', size, 1);
  checkInteger(fn, 'repeats', repeats, 1);
  const a = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const b = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  let bestSeconds = Infinity;
  try {
    for (let i = 0; i <= repeats; i++) {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync(); // waits for the result
      const seconds = (performance.now() - t0) / 1000;
      c.dispose();
      if (i > 0) bestSeconds = Math.min(bestSeconds, seconds); // i = 0 is the warm-up
    }
  } finally {
    tf.dispose([a, b]);
  }
  const flopsPerProduct = 2 * size ** 3;
  return { size, flopsPerProduct, bestSeconds, flopsPerSecond: flopsPerProduct / bestSeconds, backend: tf.getBackend() };
}
