/**
 * Checks of chapter 04b's output (notebooks/04b-cats-vs-dogs.ipynb): every
 * number its prose states is printed by its code and compared here with an
 * independent source (a hand count, a hand computation).
 */
import { expect } from 'vitest';

/** Parses `name: P parameters, S s, epoch E, validation accuracy V%, test accuracy T%, test AUC A` lines. */
export function chapter04bResults(stdout: string): Map<string, { parameters: number; seconds: number; epoch: number; valAccuracy: number; testAccuracy: number; auc: number }> {
  const out = new Map();
  const re = /^(.+?): (\d+) parameters, (\d+) s, epoch (\d+), validation accuracy ([\d.]+)%, test accuracy ([\d.]+)%, test AUC ([\d.]+)$/gm;
  for (const m of stdout.matchAll(re)) {
    out.set(m[1], { parameters: +m[2], seconds: +m[3], epoch: +m[4], valAccuracy: +m[5] / 100, testAccuracy: +m[6] / 100, auc: +m[7] });
  }
  return out;
}

/** The checks of the quick-mode run of the notebook as a module (COURSE_QUICK=1: 100 training and 50 test images per class). */
export function checkChapter04bQuickRun(stdout: string): void {
  // The split: 100 cats and 100 dogs, 10% held out; 50 of each in the test set.
  const split = /training: (\d+) cats, (\d+) dogs; validation: (\d+) cats, (\d+) dogs; test: (\d+) cats, (\d+) dogs/.exec(stdout);
  expect(split, 'the split line').not.toBeNull();
  const [trainCats, trainDogs, valCats, valDogs, testCats, testDogs] = split!.slice(1).map(Number);
  expect([trainCats + valCats, trainDogs + valDogs, testCats, testDogs]).toEqual([100, 100, 50, 50]);
  expect(valCats + valDogs).toBe(20);
  // Batch normalisation on the hand example (test/nn/batch_norm.test.ts works the same numbers out).
  expect(stdout).toContain('training mode: minibatch mean 2, 2, variance 1, 4');
  expect(stdout).toContain('-2, 0, 2, 0, -2, 2, 2, 2'); // channel 0: 2·(x − 2); channel 1: (x − 2)/2 + 1, interleaved (NHWC)
  expect(stdout).toContain('moving mean → 0.20, 0.20, moving variance → 1.00, 1.30'); // 0.9·0 + 0.1·2; 0.9·1 + 0.1·1 and 0.9·1 + 0.1·4
  const c1 = (x: number) => ((x - 0.2) / Math.sqrt(1.3) + 1).toFixed(3);
  expect(stdout).toContain(`inference mode (moving averages): 1.600, ${c1(0)}, 5.600, ${c1(0)}, 1.600, ${c1(4)}, 5.600, ${c1(4)}`);
  // Parameters: ResNet-20 by hand (the summary states 274,042), the chapter's ResNet by TF.js and by hand.
  expect(stdout).toContain('ResNet-20 (16/32/64, 10 classes): 274,042 parameters; by hand: 274,042');
  const small = /the chapter's ResNet-8 \(4\/8\/8\): ([\d,]+) parameters; by hand: ([\d,]+)/.exec(stdout);
  expect(small?.[1]).toBe(small?.[2]);
  // 4/8/8, n = 1, 2 classes, normalisation: stem 9·3·4 + 16; blocks 4→4, 4→8 (+ projection), 8→8 (+ projection, stride 2); dense 8·2 + 2; 6.
  const block = (i: number, o: number, proj: boolean) => 9 * i * o + 4 * o + 9 * o * o + 4 * o + (proj ? i * o + 4 * o : 0);
  expect(small?.[1]).toBe((9 * 3 * 4 + 16 + block(4, 4, false) + block(4, 8, true) + block(8, 8, true) + 8 * 2 + 2 + 6).toLocaleString('en-US'));
  // The four runs, with the chapter-05 CNN's parameters for 2 classes by hand.
  const results = chapter04bResults(stdout);
  expect([...results.keys()]).toEqual(['plain CNN', 'plain CNN + augmentation', 'ResNet', 'ResNet + augmentation', 'ensemble of the four']);
  expect(results.get('plain CNN')!.parameters).toBe(3 * 3 * 3 * 32 + 32 + (3 * 3 * 32 * 64 + 64) + (6 * 6 * 64 * 64 + 64) + (64 * 2 + 2));
  const members = [...results.values()].slice(0, 4);
  expect(results.get('ensemble of the four')!.parameters).toBe(members.reduce((sum, r) => sum + r.parameters, 0));
  expect(results.get('ensemble of the four')!.epoch).toBe(0); // no epoch of its own
  for (const r of results.values()) {
    if (r !== results.get('ensemble of the four')) expect(r.epoch).toBe(1);
    expect(r.auc).toBeGreaterThanOrEqual(0);
    expect(r.auc).toBeLessThanOrEqual(1);
  }
  expect(stdout).toMatch(/best on validation: ((plain CNN|ResNet)( \+ augmentation)?|ensemble of the four); its test accuracy [\d.]+% against the plain CNN's [\d.]+%/);
  // Augmentation's cost, measured: a small fraction of a training step.
  const cost = /augmentation costs ([\d.]+) ms per minibatch, ([\d.]+)% of a ResNet training step/.exec(stdout);
  expect(cost, 'the augmentation cost line').not.toBeNull();
  expect(Number(cost![1])).toBeLessThan(20); // "a few milliseconds per minibatch"
  expect(Number(cost![2])).toBeLessThan(5); // "a small fraction of a ResNet training step"
  expect(stdout).toMatch(/\d+ mistakes; the most confident at [\d.]+%/);
  expect(stdout).toMatch(/final training loss: [\d.]+ with shortcuts, [\d.]+ without/);
  expect(stdout).toMatch(/This chapter's training took [\d.]+ minutes on this machine/);
  expect(stdout).toContain('ex04b-auc-pairs: all tests passed');
  expect(stdout).toContain('ex04b-flip: all tests passed');
}
