import { describe, expect, it } from 'vitest';
import { ArgumentError, exampleLosses, membershipAttack, seededNormal } from '../../lib';

describe('exampleLosses', () => {
  it('is −ln p(true class), by hand', () => {
    const l = exampleLosses([0, 1], [0.5, 0.5, 0.9, 0.1]);
    expect(l[0]).toBeCloseTo(Math.LN2, 12);
    expect(l[1]).toBeCloseTo(Math.LN10, 12);
  });
  it('clips probabilities to [1e-7, 1 − 1e-7] as Keras does', () => {
    expect(exampleLosses([0], [0, 1])[0]).toBeCloseTo(-Math.log(1e-7), 9);
  });
  it('names the bad argument', () => {
    expect(() => exampleLosses([0, 1], [0.5, 0.5, 1])).toThrow(/exampleLosses: probabilities must hold n · numClasses values for the n = 2 labels, got 3/);
    expect(() => exampleLosses([2], [0.5, 0.5])).toThrow(ArgumentError);
  });
});

describe('membershipAttack', () => {
  it('the docstring example, by hand: threshold 0.2 calls 2 of 3 members and no non-member; 7 of 9 pairs ranked right', () => {
    const a = membershipAttack([0.1, 0.2, 1.5], [0.5, 1.2, 2.0]);
    expect(a.advantage).toBeCloseTo(2 / 3, 12);
    expect(a.threshold).toBe(0.2);
    expect([a.tpr, a.fpr]).toEqual([2 / 3, 0]);
    expect(a.auc).toBeCloseTo(7 / 9, 12);
    expect(a.balancedAccuracy).toBeCloseTo(5 / 6, 12);
  });
  it('perfect separation: advantage 1, AUC 1; identical distributions: advantage near 0, AUC near ½', () => {
    expect(membershipAttack([0.1, 0.2], [0.3, 0.4]).advantage).toBe(1);
    const normal = seededNormal(3);
    const draw = () => Array.from({ length: 4000 }, () => Math.abs(normal()));
    const a = membershipAttack(draw(), draw());
    expect(a.advantage).toBeLessThan(0.06); // the max over thresholds of a difference of two empirical CDFs (Kolmogorov–Smirnov: ~1.36·√(2/4000) ≈ 0.03 at 95%)
    expect(Math.abs(a.auc - 0.5)).toBeLessThan(0.03);
  });
  it('the advantage equals the Kolmogorov–Smirnov distance of the two loss samples, computed directly', () => {
    const normal = seededNormal(9);
    const members = Array.from({ length: 300 }, () => Math.exp(normal() - 1));
    const others = Array.from({ length: 200 }, () => Math.exp(normal()));
    let ks = 0;
    for (const t of [...members, ...others]) {
      const tpr = members.filter((l) => l <= t).length / members.length;
      const fpr = others.filter((l) => l <= t).length / others.length;
      ks = Math.max(ks, tpr - fpr);
    }
    expect(membershipAttack(members, others).advantage).toBeCloseTo(ks, 12);
  });
  it('rejects empty or non-finite losses', () => {
    expect(() => membershipAttack([], [1])).toThrow(/membershipAttack: memberLosses must hold at least one loss/);
    expect(() => membershipAttack([1], [NaN])).toThrow(/nonMemberLosses\[0\] must be a finite loss/);
  });
});
