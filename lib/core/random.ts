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
 * @see [Notebook 01 §5 How fast is this machine? The CNN's FLOPs against a timed run](../../notebooks/01-background.ipynb#5.-How-fast-is-this-machine?-The-CNN's-FLOPs-against-a-timed-run)
 * @see [Notebook 03 §Exercises](../../notebooks/03-training-pipeline.ipynb#Exercises)
 * @see [Notebook 04b §Exercises](../../notebooks/04b-cats-vs-dogs.ipynb#Exercises)
 * @see [Notebook 06 §Exercises](../../notebooks/06-customer-service.ipynb#Exercises)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
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
 * @see [Notebook 03 §1 The data](../../notebooks/03-training-pipeline.ipynb#1.-The-data)
 * @see [Notebook 03 §2 Minibatches](../../notebooks/03-training-pipeline.ipynb#2.-Minibatches)
 * @see [Notebook 10 §2 Data-parallel training, for real](../../notebooks/10-questions-and-efficiency.ipynb#2.-Data-parallel-training,-for-real)
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

/**
 * A seeded generator of standard normal numbers (mean 0, variance 1), by the
 * Box–Muller transform (Box & Muller 1958; Knuth TAOCP vol. 2 §3.4.1 C):
 * from two uniforms u₁ ∈ (0, 1], u₂ ∈ [0, 1), `sqrt(-2 ln u₁) · cos(2π u₂)`
 * and `sqrt(-2 ln u₁) · sin(2π u₂)` are independent N(0, 1). Both values of a
 * pair are used, so draws 2k and 2k+1 share the uniforms of pair k, taken
 * from {@link seededRandom}(seed) as u₁ = 1 − rand(), u₂ = rand().
 *
 * @throws {ArgumentError} when `seed` is not an integer in [0, 2³² − 1].
 * @example
 * ```ts
 * const normal = seededNormal(0);
 * normal() === seededNormal(0)(); // true
 * ```
 * @see [Notebook 03 §1 The data](../../notebooks/03-training-pipeline.ipynb#1.-The-data)
 * @see [Notebook 03 §3 The forward pass](../../notebooks/03-training-pipeline.ipynb#3.-The-forward-pass)
 * @see [Notebook 03 §8 Long runs: minibatch losses and downsampling](../../notebooks/03-training-pipeline.ipynb#8.-Long-runs:-minibatch-losses-and-downsampling)
 * @see [Notebook 07 §Exercises](../../notebooks/07-outlook.ipynb#Exercises)
 * @see [Notebook 09 §2 DP-SGD: clip each example, add noise](../../notebooks/09-summary-and-challenges.ipynb#2.-DP-SGD:-clip-each-example,-add-noise)
 * @see [Notebook 09 §Exercises](../../notebooks/09-summary-and-challenges.ipynb#Exercises)
 */
export function seededNormal(seed: number): () => number {
  checkInteger('seededNormal', 'seed', seed, 0, 2 ** 32 - 1);
  const rand = seededRandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const u1 = 1 - rand(); // in (0, 1]: log(u1) is finite
    const u2 = rand();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
}
