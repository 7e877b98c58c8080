/**
 * Scaling laws: how a model's held-out loss falls with its parameters N and
 * its training data D. Fitting a power law L = a·x^(−α) (optionally plus an
 * irreducible loss c) to measured points, and the published laws to compare
 * with: Kaplan et al. 2020 ("Scaling Laws for Neural Language Models", §1.2,
 * Eqs. 1.1–1.3) and Hoffmann et al. 2022 ("Training Compute-Optimal Large
 * Language Models", the Chinchilla paper: Table 3, §3.3 Eq. 10).
 */
import { ArgumentError, checkPositive, describe } from '../core/errors';

/**
 * A fitted power law `y = a·x^(−alpha) + c`, from {@link fitPowerLaw} (c = 0)
 * or {@link fitPowerLawWithOffset}.
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 */
export interface PowerLawFit {
  /** Scale `a` (in the units of y). */
  a: number;
  /** Exponent α: y falls by a factor 2^α when x doubles (c = 0). Positive for a falling curve. */
  alpha: number;
  /** Irreducible part `c` (units of y); 0 for {@link fitPowerLaw}. */
  c: number;
  /** Coefficient of determination R² of ln y against the fit's ln ŷ, in (−∞, 1]; 1 is a perfect fit. */
  r2: number;
  /** Number of points fitted. */
  points: number;
}

function checkPoints(fn: string, x: readonly number[], y: readonly number[], min: number): void {
  if (!Array.isArray(x) || !Array.isArray(y)) throw new ArgumentError(`${fn}: x and y must be arrays of numbers, got ${describe(x)} and ${describe(y)}`);
  if (x.length !== y.length) throw new ArgumentError(`${fn}: x and y must have the same length, got ${x.length} and ${y.length}`);
  if (x.length < min) throw new ArgumentError(`${fn}: needs at least ${min} points, got ${x.length}`);
  x.forEach((v, i) => checkPositive(fn, `x[${i}]`, v));
  y.forEach((v, i) => checkPositive(fn, `y[${i}]`, v));
  if (new Set(x).size < 2) throw new ArgumentError(`${fn}: x needs at least two different values, got ${x.join(', ')}`);
}

/** Least-squares line `v = intercept + slope·u`. */
function line(u: readonly number[], v: readonly number[]): { slope: number; intercept: number } {
  const n = u.length;
  const mu = u.reduce((s, t) => s + t, 0) / n;
  const mv = v.reduce((s, t) => s + t, 0) / n;
  let suv = 0;
  let suu = 0;
  for (let i = 0; i < n; i++) {
    suv += (u[i] - mu) * (v[i] - mv);
    suu += (u[i] - mu) ** 2;
  }
  const slope = suv / suu;
  return { slope, intercept: mv - slope * mu };
}

/** R² of ln y against ln ŷ. */
function logR2(x: readonly number[], y: readonly number[], fit: { a: number; alpha: number; c: number }): number {
  const ly = y.map(Math.log);
  const mean = ly.reduce((s, t) => s + t, 0) / ly.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < x.length; i++) {
    ssRes += (ly[i] - Math.log(predictPowerLaw(fit, x[i]))) ** 2;
    ssTot += (ly[i] - mean) ** 2;
  }
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}

/**
 * Fits `y = a·x^(−α)` by least squares on a log–log scale: the straight line
 * `ln y = ln a − α·ln x` (ordinary least squares of ln y on ln x). With two
 * points it is the line through them, α = −ln(y₂/y₁) / ln(x₂/x₁). This is how
 * Kaplan et al. 2020 read their exponents off log–log plots (§3, Figure 1).
 * @param x - `[k]` the sizes (parameters, examples, FLOPs), each > 0, at least two different.
 * @param y - `[k]` the measured values (e.g. held-out loss), each > 0.
 * @returns the fit with `c = 0`.
 * @throws {ArgumentError} when the arrays differ in length, have fewer than 2 points, hold a value ≤ 0 or not finite, or x has one value only.
 * @example
 * ```ts
 * const fit = fitPowerLaw([1, 2, 4], [8, 4, 2]); // y = 8/x
 * [fit.a, fit.alpha, fit.c, fit.r2]; // [8.000, 1.000, 0, 1.000]
 * fitPowerLaw([10, 1000], [2, 1]).alpha; // 0.1505 (ln 2 / ln 100)
 * fitPowerLaw([1, 2], [1, 0]); // throws ArgumentError: fitPowerLaw: y[1] must be a finite number > 0, got number 0
 * ```
 * @see [Notebook 07 §1 A power law is a straight line on log–log axes](../../notebooks/07-outlook.ipynb#1.-A-power-law-is-a-straight-line-on-log–log-axes)
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 * @see [Notebook 07 §Exercises](../../notebooks/07-outlook.ipynb#Exercises)
 */
export function fitPowerLaw(x: readonly number[], y: readonly number[]): PowerLawFit {
  checkPoints('fitPowerLaw', x, y, 2);
  const { slope, intercept } = line(x.map(Math.log), y.map(Math.log));
  const fit = { a: Math.exp(intercept), alpha: -slope, c: 0 };
  return { ...fit, r2: logR2(x, y, fit), points: x.length };
}

/**
 * The value of a fitted power law at `x`: `a·x^(−alpha) + c`.
 * @param fit - from {@link fitPowerLaw} or {@link fitPowerLawWithOffset}.
 * @param x - the size (> 0).
 * @throws {ArgumentError} when `x` is not a finite number > 0.
 * @example
 * ```ts
 * predictPowerLaw({ a: 8, alpha: 1, c: 0 }, 16); // 0.5
 * predictPowerLaw({ a: 3, alpha: 0.5, c: 1 }, 4); // 2.5
 * ```
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 */
export function predictPowerLaw(fit: Pick<PowerLawFit, 'a' | 'alpha' | 'c'>, x: number): number {
  checkPositive('predictPowerLaw', 'x', x);
  return fit.a * x ** -fit.alpha + fit.c;
}

/** Squared error of ln y against the power law fitted to y − c (the profile objective of {@link fitPowerLawWithOffset}). */
function offsetObjective(x: readonly number[], y: readonly number[], c: number): { a: number; alpha: number; c: number; sse: number } {
  const { slope, intercept } = line(x.map(Math.log), y.map((v) => Math.log(v - c)));
  const fit = { a: Math.exp(intercept), alpha: -slope, c };
  let sse = 0;
  for (let i = 0; i < x.length; i++) sse += (Math.log(y[i]) - Math.log(predictPowerLaw(fit, x[i]))) ** 2;
  return { ...fit, sse };
}

/**
 * Fits `y = a·x^(−α) + c` with an irreducible part `c` in [0, min y): the loss
 * that no model size or amount of data removes (the noise of the data itself;
 * Hoffmann et al. 2022 §3.3 call it E). Method (variable projection): for a
 * fixed c the rest is {@link fitPowerLaw} of y − c; c is chosen to minimise the
 * squared error of ln y against ln ŷ, by a grid of 400 values of c in
 * [0, min y) and then golden-section search (100 steps) between the grid
 * neighbours of the best one. Three or more points; with few points c is
 * poorly determined, so read it as a rough estimate.
 * @param x - `[k]` the sizes, each > 0, k ≥ 3, at least two different.
 * @param y - `[k]` the measured values, each > 0.
 * @returns the fit; `r2` as in {@link fitPowerLaw}.
 * @throws {ArgumentError} as {@link fitPowerLaw}, and with fewer than 3 points.
 * @example
 * ```ts
 * // y = 3·x^(−0.5) + 1 exactly:
 * const fit = fitPowerLawWithOffset([1, 4, 16, 64], [4, 2.5, 1.75, 1.375]);
 * [fit.a, fit.alpha, fit.c]; // [3.000, 0.500, 1.000]
 * fitPowerLawWithOffset([1, 2], [2, 1]); // throws ArgumentError: fitPowerLawWithOffset: needs at least 3 points, got 2
 * ```
 * @see [Notebook 07 §3 Loss against parameters and data, on log axes](../../notebooks/07-outlook.ipynb#3.-Loss-against-parameters-and-data,-on-log-axes)
 */
export function fitPowerLawWithOffset(x: readonly number[], y: readonly number[]): PowerLawFit {
  const fn = 'fitPowerLawWithOffset';
  checkPoints(fn, x, y, 3);
  const top = Math.min(...y);
  const GRID = 400;
  let best = 0;
  let bestSse = Infinity;
  for (let k = 0; k < GRID; k++) {
    const { sse } = offsetObjective(x, y, (top * k) / GRID);
    if (sse < bestSse) {
      bestSse = sse;
      best = k;
    }
  }
  // Golden-section search between the best grid point's neighbours (below min y).
  let lo = (top * Math.max(best - 1, 0)) / GRID;
  let hi = Math.min((top * (best + 1)) / GRID, top * (1 - 1e-9));
  const g = (Math.sqrt(5) - 1) / 2;
  let c1 = hi - g * (hi - lo);
  let c2 = lo + g * (hi - lo);
  let f1 = offsetObjective(x, y, c1).sse;
  let f2 = offsetObjective(x, y, c2).sse;
  for (let i = 0; i < 100; i++) {
    if (f1 <= f2) {
      hi = c2;
      c2 = c1;
      f2 = f1;
      c1 = hi - g * (hi - lo);
      f1 = offsetObjective(x, y, c1).sse;
    } else {
      lo = c1;
      c1 = c2;
      f1 = f2;
      c2 = lo + g * (hi - lo);
      f2 = offsetObjective(x, y, c2).sse;
    }
  }
  const candidates = [offsetObjective(x, y, (lo + hi) / 2), offsetObjective(x, y, (top * best) / GRID)];
  const { a, alpha, c } = candidates[0].sse <= candidates[1].sse ? candidates[0] : candidates[1];
  return { a, alpha, c, r2: logR2(x, y, { a, alpha, c }), points: x.length };
}

/**
 * Published scaling laws of language models, to compare a measured exponent
 * with. Kaplan et al. 2020, "Scaling Laws for Neural Language Models"
 * (arXiv:2001.08361), §1.2, Eqs. (1.1)–(1.3): test loss (nats per token) of
 * Transformers, L(N) = (N_c/N)^α_N with N the non-embedding parameters, L(D) =
 * (D_c/D)^α_D with D the training tokens (early stopping), L(C_min) with C the
 * compute in PF-days. Hoffmann et al. 2022, "Training Compute-Optimal Large
 * Language Models" (arXiv:2203.15556): the parametric fit of §3.3, Eq. (10),
 * L(N, D) = E + A/N^α + B/D^β, and the compute-optimal sizes of Table 3
 * (about 20 tokens per parameter).
 * @example
 * ```ts
 * SCALING_LAWS.kaplan.alphaN; // 0.076
 * SCALING_LAWS.chinchilla.E; // 1.69
 * ```
 * @see [Notebook 07 §1 A power law is a straight line on log–log axes](../../notebooks/07-outlook.ipynb#1.-A-power-law-is-a-straight-line-on-log–log-axes)
 */
export const SCALING_LAWS = Object.freeze({
  /** Kaplan et al. 2020, §1.2. */
  kaplan: Object.freeze({
    /** α_N of L(N) = (N_c/N)^α_N, Eq. (1.1). */
    alphaN: 0.076,
    /** N_c, non-embedding parameters, Eq. (1.1). */
    nC: 8.8e13,
    /** α_D of L(D) = (D_c/D)^α_D, Eq. (1.2). */
    alphaD: 0.095,
    /** D_c, tokens, Eq. (1.2). */
    dC: 5.4e13,
    /** α_C^min of L(C_min), Eq. (1.3). */
    alphaCMin: 0.05,
    /** Paper and place of these numbers. */
    source: 'Kaplan et al. 2020, Scaling Laws for Neural Language Models, arXiv:2001.08361, §1.2, Eqs. (1.1)–(1.3)',
  }),
  /** Hoffmann et al. 2022 (Chinchilla). */
  chinchilla: Object.freeze({
    /** Irreducible loss E of Eq. (10), nats per token. */
    E: 1.69,
    /** A of Eq. (10). */
    A: 406.4,
    /** B of Eq. (10). */
    B: 410.7,
    /** α of Eq. (10) (the parameter term). */
    alpha: 0.34,
    /** β of Eq. (10) (the data term). */
    beta: 0.28,
    /** Training tokens per parameter of a compute-optimal model, read from Table 3 (e.g. 1B parameters: 20.2B tokens). */
    tokensPerParameter: 20,
    /** Paper and places of these numbers. */
    source: 'Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, arXiv:2203.15556, §3.3 Eq. (10), Table 3',
  }),
});

/** A compute-optimal model size: parameters N, training tokens D, and (in Table 3) the FLOPs of training it. */
export interface ComputeOptimalSize {
  /** N, parameters. */
  parameters: number;
  /** D, training tokens. */
  tokens: number;
}

/** One row of {@link CHINCHILLA_OPTIMAL_SIZES}. */
export interface ChinchillaTableRow extends ComputeOptimalSize {
  /** Training compute, FLOPs. */
  flops: number;
}

/**
 * Hoffmann et al. 2022, Table 3: the compute-optimal number of training tokens
 * for each model size, from their first approach (fitted minimum of training
 * curves), with the FLOPs it takes.
 * @example
 * ```ts
 * CHINCHILLA_OPTIMAL_SIZES[1]; // { parameters: 1e9, flops: 1.21e20, tokens: 20.2e9 }
 * ```
 * @see [Notebook 07 §4 Compute-optimal: about 20 tokens per parameter](../../notebooks/07-outlook.ipynb#4.-Compute-optimal:-about-20-tokens-per-parameter)
 */
export const CHINCHILLA_OPTIMAL_SIZES: readonly Readonly<ChinchillaTableRow>[] = Object.freeze(
  [
    { parameters: 400e6, flops: 1.92e19, tokens: 8.0e9 },
    { parameters: 1e9, flops: 1.21e20, tokens: 20.2e9 },
    { parameters: 10e9, flops: 1.23e22, tokens: 205.1e9 },
    { parameters: 67e9, flops: 5.76e23, tokens: 1.5e12 },
    { parameters: 175e9, flops: 3.85e24, tokens: 3.7e12 },
    { parameters: 280e9, flops: 9.9e24, tokens: 5.9e12 },
    { parameters: 520e9, flops: 3.43e25, tokens: 11.0e12 },
    { parameters: 1e12, flops: 1.27e26, tokens: 21.2e12 },
    { parameters: 10e12, flops: 1.3e28, tokens: 216.2e12 },
  ].map((r) => Object.freeze(r)),
);

/**
 * The compute-optimal split of a training budget of `computeFlops` into
 * parameters N and tokens D, with D = r·N (Hoffmann et al. 2022: r ≈ 20) and
 * C = 6·N·D (Kaplan et al. 2020 §2.1): N = √(C / 6r), D = r·N.
 * @param computeFlops - the budget C in FLOPs (> 0).
 * @param tokensPerParameter - r (> 0). @default 20
 * @returns N and D.
 * @throws {ArgumentError} when an argument is not a finite number > 0.
 * @example
 * ```ts
 * chinchillaOptimal(5.88e23); // { parameters: 7e10, tokens: 1.4e12 } (Chinchilla: 70B parameters, 1.4T tokens)
 * chinchillaOptimal(-1); // throws ArgumentError: chinchillaOptimal: computeFlops must be a finite number > 0, got number -1
 * ```
 * @see [Notebook 07 §4 Compute-optimal: about 20 tokens per parameter](../../notebooks/07-outlook.ipynb#4.-Compute-optimal:-about-20-tokens-per-parameter)
 * @see [Notebook 07 §Exercises](../../notebooks/07-outlook.ipynb#Exercises)
 */
export function chinchillaOptimal(computeFlops: number, tokensPerParameter: number = SCALING_LAWS.chinchilla.tokensPerParameter): ComputeOptimalSize {
  const fn = 'chinchillaOptimal';
  const c = checkPositive(fn, 'computeFlops', computeFlops);
  const r = checkPositive(fn, 'tokensPerParameter', tokensPerParameter);
  const parameters = Math.sqrt(c / (6 * r));
  return { parameters, tokens: r * parameters };
}

/**
 * The loss Hoffmann et al. 2022 predict for a model of N parameters trained on
 * D tokens (§3.3, Eq. 10): L = E + A/N^α + B/D^β, nats per token on their data
 * (MassiveText); compare models with it, not with other data sets' losses.
 * @param parameters - N (> 0).
 * @param tokens - D (> 0).
 * @throws {ArgumentError} when an argument is not a finite number > 0.
 * @example
 * ```ts
 * chinchillaLoss(70e9, 1.4e12); // 1.937 (Chinchilla)
 * chinchillaLoss(280e9, 300e9); // 1.993 (Gopher: 4× the parameters, a similar budget)
 * ```
 * @see [Notebook 07 §4 Compute-optimal: about 20 tokens per parameter](../../notebooks/07-outlook.ipynb#4.-Compute-optimal:-about-20-tokens-per-parameter)
 */
export function chinchillaLoss(parameters: number, tokens: number): number {
  const fn = 'chinchillaLoss';
  const n = checkPositive(fn, 'parameters', parameters);
  const d = checkPositive(fn, 'tokens', tokens);
  const { E, A, B, alpha, beta } = SCALING_LAWS.chinchilla;
  return E + A / n ** alpha + B / d ** beta;
}
