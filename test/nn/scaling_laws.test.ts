/**
 * lib/nn/scaling_laws.ts: power-law fits against hand computations and
 * synthetic data with a known exponent (exact and noisy, property-based);
 * the published constants against the papers' own numbers (Chinchilla's
 * Table 3 and Table 1 sizes, GPT-3's budget).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, CHINCHILLA_OPTIMAL_SIZES, SCALING_LAWS, chinchillaLoss, chinchillaOptimal, fitPowerLaw, fitPowerLawWithOffset, predictPowerLaw, seededNormal } from '../../lib';

describe('fitPowerLaw', () => {
  it('two points: the line through them, α = −ln(y₂/y₁)/ln(x₂/x₁) by hand', () => {
    const fit = fitPowerLaw([1e4, 1e6], [2.0, 1.5]);
    expect(fit.alpha).toBeCloseTo(Math.log(2 / 1.5) / Math.log(100), 12);
    expect(predictPowerLaw(fit, 1e4)).toBeCloseTo(2.0, 12);
    expect(predictPowerLaw(fit, 1e6)).toBeCloseTo(1.5, 12);
    expect(fit.r2).toBe(1);
  });

  it('three points by hand: the least-squares slope of (ln x, ln y)', () => {
    // ln x = 0, ln 2, ln 4 = 0, L, 2L (L = ln 2); ln y = ln 3, ln 2, ln 1.5.
    // slope = Σ(u − ū)(v − v̄) / Σ(u − ū)² = (−L·(ln 3 − v̄) + L·(ln 1.5 − v̄)) / (2L²) = (ln 1.5 − ln 3) / (2L) = −1/2.
    const fit = fitPowerLaw([1, 2, 4], [3, 2, 1.5]);
    expect(fit.alpha).toBeCloseTo(0.5, 12);
    // intercept = v̄ − slope·ū = (ln 3 + ln 2 + ln 1.5)/3 + L/2.
    expect(Math.log(fit.a)).toBeCloseTo((Math.log(3) + Math.log(2) + Math.log(1.5)) / 3 + Math.LN2 / 2, 12);
    expect(fit.r2).toBeLessThan(1);
  });

  it('recovers a known exponent from noisy synthetic data (property: within 0.02 for 1% noise over three decades)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (alpha, a, seed) => {
        const noise = seededNormal(seed);
        const x = Array.from({ length: 12 }, (_, i) => 10 ** (3 + (3 * i) / 11));
        const y = x.map((v) => a * v ** -alpha * Math.exp(0.01 * noise()));
        const fit = fitPowerLaw(x, y);
        expect(Math.abs(fit.alpha - alpha)).toBeLessThan(0.02);
        expect(fit.r2).toBeGreaterThan(0.9);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects bad input with the function, the argument and what came', () => {
    expect(() => fitPowerLaw([1, 2], [1])).toThrow(ArgumentError);
    expect(() => fitPowerLaw([1, 2], [1])).toThrow('fitPowerLaw: x and y must have the same length, got 2 and 1');
    expect(() => fitPowerLaw([1], [1])).toThrow('needs at least 2 points');
    expect(() => fitPowerLaw([3, 3], [1, 2])).toThrow('x needs at least two different values');
    expect(() => fitPowerLaw([1, -2], [1, 2])).toThrow('x[1] must be a finite number > 0');
  });
});

describe('fitPowerLawWithOffset', () => {
  it('recovers a, α and c of exact synthetic data y = 2·x^(−0.3) + 0.8', () => {
    const x = [1e3, 3e3, 1e4, 3e4, 1e5, 3e5];
    const fit = fitPowerLawWithOffset(
      x,
      x.map((v) => 2 * v ** -0.3 + 0.8),
    );
    expect(fit.alpha).toBeCloseTo(0.3, 3);
    expect(fit.c).toBeCloseTo(0.8, 3);
    expect(fit.a).toBeCloseTo(2, 1);
    expect(fit.r2).toBeGreaterThan(0.999999);
  });

  it('with no irreducible part, agrees with fitPowerLaw (c near 0)', () => {
    const x = [1, 2, 4, 8, 16];
    const y = x.map((v) => 5 * v ** -0.7);
    const fit = fitPowerLawWithOffset(x, y);
    expect(fit.c).toBeLessThan(1e-3);
    expect(fit.alpha).toBeCloseTo(fitPowerLaw(x, y).alpha, 2);
  });

  it('fits at least as well as c = 0 in log space (its objective includes c = 0)', () => {
    const x = [500, 1000, 2000, 4000];
    const y = [1.9, 1.7, 1.58, 1.5];
    const sse = (f: { a: number; alpha: number; c: number }) => x.reduce((s, v, i) => s + (Math.log(y[i]) - Math.log(predictPowerLaw(f, v))) ** 2, 0);
    expect(sse(fitPowerLawWithOffset(x, y))).toBeLessThanOrEqual(sse(fitPowerLaw(x, y)) + 1e-12);
  });

  it('needs three points', () => {
    expect(() => fitPowerLawWithOffset([1, 2], [2, 1])).toThrow('fitPowerLawWithOffset: needs at least 3 points, got 2');
  });
});

describe('published scaling laws', () => {
  it('Kaplan et al. 2020 Eqs. (1.1), (1.2): the exponents and scales', () => {
    expect(SCALING_LAWS.kaplan).toMatchObject({ alphaN: 0.076, nC: 8.8e13, alphaD: 0.095, dC: 5.4e13, alphaCMin: 0.05 });
  });

  it('Chinchilla Table 3: tokens per parameter between 20 and 23 for every size (the "about 20")', () => {
    for (const row of CHINCHILLA_OPTIMAL_SIZES) {
      const r = row.tokens / row.parameters;
      expect(r, `${row.parameters}`).toBeGreaterThanOrEqual(20);
      expect(r).toBeLessThan(23); // 67B → 1.5T tokens (rounded) is the highest, 22.4
      // Table 3's FLOPs are 6·N·D within 5% (its token counts are rounded).
      expect(Math.abs(row.flops / (6 * row.parameters * row.tokens) - 1)).toBeLessThan(0.05);
    }
  });

  it("chinchillaOptimal: Chinchilla's own budget (70B × 1.4T tokens) gives back 70B and 1.4T; D = 20·N; C = 6·N·D", () => {
    const c = 6 * 70e9 * 1.4e12;
    const opt = chinchillaOptimal(c);
    expect(opt.parameters).toBeCloseTo(70e9, -3);
    expect(opt.tokens).toBeCloseTo(1.4e12, 0);
    const other = chinchillaOptimal(1e21, 10);
    expect(other.tokens / other.parameters).toBeCloseTo(10, 10);
    expect(6 * other.parameters * other.tokens).toBeCloseTo(1e21, -8);
    expect(() => chinchillaOptimal(1e21, 0)).toThrow('chinchillaOptimal: tokensPerParameter must be a finite number > 0');
  });

  it('chinchillaLoss: Eq. (10) by hand; Chinchilla predicted below Gopher at a similar budget', () => {
    expect(chinchillaLoss(1e9, 1e10)).toBeCloseTo(1.69 + 406.4 / 1e9 ** 0.34 + 410.7 / 1e10 ** 0.28, 12);
    expect(chinchillaLoss(70e9, 1.4e12)).toBeLessThan(chinchillaLoss(280e9, 300e9));
    // More of either lowers the loss towards E.
    expect(chinchillaLoss(1e15, 1e18)).toBeGreaterThan(SCALING_LAWS.chinchilla.E);
    expect(chinchillaLoss(1e15, 1e18)).toBeLessThan(SCALING_LAWS.chinchilla.E + 0.01);
  });
});
