/**
 * Chapter 09 (notebooks/09-summary-and-challenges.ipynb): the quick-mode run's
 * printed numbers against independent computations (hand counts, the
 * configuration, the A100 datasheet rate), the charts in the kernel run, the
 * graded exercises, and (DLC_FULL_LESSON=1) the summary's full-lesson numbers.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAPTER09_CONFIG, buildCifar10Cnn, forwardFlops } from '../../lib';
import { CIFAR10_ARCHIVE, NEEDS_REAL_PHOTOS, ROOT, haveRealPhotos, notebookKernelRun, runNotebookQuick, writeNotebookModule } from '../helpers/notebook';
import { expectGradedExercises } from '../helpers/grading';
import { checkStudentVersion, notebookCells } from './chapter_exercises';

const NOTEBOOK = path.join(ROOT, 'notebooks', '09-summary-and-challenges.ipynb');
const quick = CHAPTER09_CONFIG.quick;
const summary = notebookCells(NOTEBOOK)
  .filter((c) => c.cell_type === 'markdown')
  .map((c) => c.source.join(''))
  .find((t) => t.includes('## Summary'))!;
let stdout = '';
beforeAll(() => {
  stdout = runNotebookQuick(NOTEBOOK); // the quick-mode module run notebooks.test.ts also checks
}, 600_000);

interface PrivacyLine {
  trainAccuracy: number;
  testAccuracy: number;
  advantage: number;
  auc: number;
  chance: number;
}
/** The `name: training accuracy …, membership advantage …` lines, by run name. */
function privacyLines(out: string): Map<string, PrivacyLine> {
  const re = /^(plain SGD|DP-SGD σ = [\d.]+): training accuracy ([\d.]+)%, test accuracy ([\d.]+)%, membership advantage ([\d.]+) \(AUC ([\d.]+)\), chance level ([\d.]+)/gm;
  return new Map([...out.matchAll(re)].map((m) => [m[1], { trainAccuracy: +m[2] / 100, testAccuracy: +m[3] / 100, advantage: +m[4], auc: +m[5], chance: +m[6] }]));
}

describe('chapter 09: privacy (quick mode)', () => {
  it('uses the configured members, and as many non-members twice', () => {
    const n = quick.privacy.members;
    expect(stdout).toContain(`${n} members (training images), ${n} non-members, ${n} more non-members for the chance level`);
  });

  it('runs plain SGD, then DP-SGD with σ = 0 and each configured noise multiplier; every rate in [0, 1], AUC at least ½ − noise', () => {
    const runs = privacyLines(stdout);
    expect([...runs.keys()]).toEqual(['plain SGD', ...[0, ...quick.privacy.noiseMultipliers].map((s) => `DP-SGD σ = ${s}`)]);
    for (const r of runs.values()) {
      for (const v of [r.trainAccuracy, r.testAccuracy, r.advantage, r.chance, r.auc]) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('"the attack\'s advantage lies well above the chance level" for the plain-SGD model, and the noisiest run leaks less', () => {
    const runs = privacyLines(stdout);
    const plain = runs.get('plain SGD')!;
    expect(plain.advantage).toBeGreaterThan(plain.chance + 0.1);
    expect(plain.trainAccuracy).toBeGreaterThan(plain.testAccuracy); // it overfits
    const noisiest = runs.get(`DP-SGD σ = ${Math.max(...quick.privacy.noiseMultipliers)}`)!;
    expect(noisiest.advantage).toBeLessThan(plain.advantage);
    expect(noisiest.testAccuracy).toBeLessThan(plain.testAccuracy);
  });

  it('the best threshold line agrees with the advantage: TPR − FPR = advantage, a guess right (1 + advantage)/2 of the time', () => {
    const m = /calls ([\d.]+)% of the members and ([\d.]+)% of the non-members "member"; a guess is right ([\d.]+)% of the time/.exec(stdout);
    expect(m).not.toBeNull();
    const [tpr, fpr, right] = m!.slice(1).map((s) => +s / 100);
    const { advantage } = privacyLines(stdout).get('plain SGD')!;
    expect(Math.abs(tpr - fpr - advantage)).toBeLessThan(0.002);
    expect(Math.abs(right - (1 + advantage) / 2)).toBeLessThan(0.001);
  });

  it('clipping by hand, and the noise of the averaged gradient σC/B', () => {
    expect(stdout).toContain('clip (3, 4) to C = 1: norm 5 → (0.60, 0.80)');
    expect(stdout).toContain(`std σC/B = ${(quick.privacy.clipNorm / quick.privacy.batchSize).toFixed(3)}`);
  });
});

describe('chapter 09: compute (quick mode)', () => {
  const computeLine = (name: string) => new RegExp(`^${name.replace(/[()]/g, '\\$&')}: ([\\d,]+) parameters, ([\\d,]+) forward FLOPs per image; (.*); (\\d+) images/s$`, 'm').exec(stdout);
  const { trainSize, epochs, mlpHidden } = quick.compute;

  it("the MLP's parameters and forward FLOPs by hand, and each epoch's FLOPs = 3 × forward × images × epoch", () => {
    const m = computeLine(`MLP (${mlpHidden} hidden)`);
    expect(m).not.toBeNull();
    expect(Number(m![1].replace(/,/g, ''))).toBe(3072 * mlpHidden + mlpHidden + mlpHidden * 10 + 10);
    const forward = 2 * (3072 * mlpHidden + mlpHidden * 10); // a multiply and an add per weight
    expect(Number(m![2].replace(/,/g, ''))).toBe(forward);
    const epochsFlops = [...m![3].matchAll(/epoch (\d+): ([\d.e+]+) FLOPs/g)].map((e) => [+e[1], +e[2]]);
    expect(epochsFlops.map((e) => e[0])).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    for (const [e, flops] of epochsFlops) expect(flops / (3 * forward * trainSize * e)).toBeCloseTo(1, 2);
  });

  it("the CNN's counts are chapter 05's model (167,562 parameters) and dl.forwardFlops", () => {
    const m = computeLine('CNN (chapter 05)');
    expect(m).not.toBeNull();
    expect(m![1]).toBe('167,562');
    expect(Number(m![2].replace(/,/g, ''))).toBe(forwardFlops(buildCifar10Cnn({ seed: 0 })));
  });

  it("times at an A100's 312 TFLOP/s peak are FLOPs / 312e12; GPT-3 needs 6·175e9·300e9 FLOPs, about 32 years of one A100", () => {
    expect(stdout).toMatch(/GPT-3 \(chapter 01\): 3\.15e\+23 FLOPs; .* at an A100's peak 3\.20e\+1 years/);
    expect((6 * 175e9 * 300e9) / 312e12 / (365.25 * 86400)).toBeCloseTo(32.0, 1);
    const mlp = new RegExp(`MLP \\(${mlpHidden} hidden\\): ([\\d.e+]+) FLOPs; .* at an A100's peak ([\\d.]+) µs`).exec(stdout);
    expect(mlp).not.toBeNull();
    expect(+mlp![2]).toBeCloseTo((+mlp![1] / 312e12) * 1e6, 1);
  });
});

describe('chapter 09: notebook structure', () => {
  it('has two graded exercises, each a solution cell then a test cell, and both pass in the quick run', () => {
    expectGradedExercises(NOTEBOOK, ['ex09-clip-and-sum/solution', 'ex09-clip-and-sum/tests', 'ex09-advantage/solution', 'ex09-advantage/tests']);
    expect(stdout).toContain('ex09-clip-and-sum: all tests passed');
    expect(stdout).toContain('ex09-advantage: all tests passed');
  });

  it('builds a student version without the solutions or hidden tests, that type-checks strictly', () => {
    const source = checkStudentVersion(NOTEBOOK);
    expect(source).toContain("throw new Error('not implemented: ex09-clip-and-sum')");
    expect(source).not.toContain('dl.clipGradients([tf.tensor1d(r)], 1.5)'); // a hidden test
  }, 120_000);

  it('the kernel run shows the three charts (ROC curve, privacy against accuracy, accuracy against FLOPs) and the cost table', () => {
    const r = notebookKernelRun(NOTEBOOK); // shared with notebooks.test.ts
    expect(r.status, r.stderr).toBe(0);
    const executed = fs.readFileSync(r.executed!, 'utf8');
    for (const title of ['Membership inference on the plain-SGD model', 'Privacy against accuracy', 'Test accuracy against training compute']) expect(executed).toContain(title);
    expect(executed).toContain("at an A100's 312 TFLOP/s");
  }, 900_000);
});

describe('chapter 09: the full lesson', () => {
  /** `plain SGD X% training, Y% test, advantage A (chance C)` and `σ = 4: …` as the summary states them. */
  const stated = (name: string) => {
    const m = new RegExp(`${name.replace(/[()]/g, '\\$&')}: training accuracy ([\\d.]+)%, test accuracy ([\\d.]+)%, membership advantage (\\d+\\.\\d+)`).exec(summary.replace(/\s+/g, ' '));
    return m && { trainAccuracy: +m[1] / 100, testAccuracy: +m[2] / 100, advantage: +m[3] };
  };

  /** The MLP's and the CNN's final test accuracies as the summary states them. */
  const statedCompute = () => {
    const m = /The MLP reached ([\d.]+)% test accuracy .* reached ([\d.]+)% with/.exec(summary.replace(/\s+/g, ' '));
    return m && [+m[1] / 100, +m[2] / 100];
  };

  it('the summary states the full lesson’s plain-SGD and noisiest runs, with the command that measured them', () => {
    expect(statedCompute()).not.toBeNull();
    expect(statedCompute()![1]).toBeGreaterThan(statedCompute()![0]); // "the CNN passed it"
    expect(summary).toMatch(/chance level\s+of 0\.0\d\d/);
    expect(summary).toContain('Full lesson, measured');
    expect(stated('plain SGD')).not.toBeNull();
    expect(stated(`σ = ${Math.max(...CHAPTER09_CONFIG.full.privacy.noiseMultipliers)}`)).not.toBeNull();
    const plain = stated('plain SGD')!;
    const noisiest = stated(`σ = ${Math.max(...CHAPTER09_CONFIG.full.privacy.noiseMultipliers)}`)!;
    expect(noisiest.advantage).toBeLessThan(plain.advantage); // "more noise moves the advantage towards the chance level"
    expect(noisiest.testAccuracy).toBeLessThan(plain.testAccuracy); // "and costs test accuracy"
  });

  it.skipIf(!haveRealPhotos || process.env.DLC_FULL_LESSON !== '1')(`(DLC_FULL_LESSON=1) the numbers the summary states are what the notebook computes, within 0.05 ${NEEDS_REAL_PHOTOS}`, () => {
    const file = writeNotebookModule(NOTEBOOK);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DL_COURSE_CIFAR10: CIFAR10_ARCHIVE };
      delete env.COURSE_QUICK;
      const r = spawnSync(process.execPath, [file], { cwd: path.dirname(NOTEBOOK), env: env, encoding: 'utf8', timeout: 3_600_000 });
      expect(r.status, r.stderr).toBe(0);
      const runs = privacyLines(r.stdout);
      for (const [name, run] of [['plain SGD', 'plain SGD'], [`σ = ${Math.max(...CHAPTER09_CONFIG.full.privacy.noiseMultipliers)}`, `DP-SGD σ = ${Math.max(...CHAPTER09_CONFIG.full.privacy.noiseMultipliers)}`]]) {
        const s = stated(name)!;
        const got = runs.get(run)!;
        expect(Math.abs(got.testAccuracy - s.testAccuracy), name).toBeLessThanOrEqual(0.05);
        expect(Math.abs(got.advantage - s.advantage), name).toBeLessThanOrEqual(0.05);
      }
      const final = (name: string) => {
        const m = new RegExp(`^${name.replace(/[()]/g, '\\$&')}: .*epoch ${CHAPTER09_CONFIG.full.compute.epochs}: [\\d.e+]+ FLOPs, test accuracy ([\\d.]+)%`, 'm').exec(r.stdout);
        return Number(m![1]) / 100;
      };
      const [mlp, cnn] = statedCompute()!;
      expect(Math.abs(final(`MLP (${CHAPTER09_CONFIG.full.compute.mlpHidden} hidden)`) - mlp)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(final('CNN (chapter 05)') - cnn)).toBeLessThanOrEqual(0.05);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 3_600_000);
});
