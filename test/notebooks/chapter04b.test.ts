/**
 * Chapter 04b (notebooks/04b-cats-vs-dogs.ipynb): what its prose states is
 * what its code computes. The quick-mode run's output is checked in
 * notebooks.test.ts (checkChapter04bQuickRun); the full lesson (about ten
 * minutes of training) runs here only with DLC_FULL_LESSON=1 and the real
 * photos.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTER04B_CONFIG, buildCifar10Cnn, resNetParameterCount } from '../../lib';
import { expectGradedExercises, expectStudentVersion, type NotebookCell } from '../helpers/grading';
import { CIFAR10_ARCHIVE, NEEDS_REAL_PHOTOS, ROOT, haveRealPhotos, writeNotebookModule } from '../helpers/notebook';
import { chapter04bResults } from './chapter04b';

const NOTEBOOK = path.join(ROOT, 'notebooks', '04b-cats-vs-dogs.ipynb');
type Cell = NotebookCell;
const cells = (JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: Cell[] }).cells;
const text = (c: Cell) => c.source.join('');
const summary = text(cells.find((c) => c.cell_type === 'markdown' && text(c).startsWith('## Summary'))!);
const MODELS = ['plain CNN', 'plain CNN + augmentation', 'ResNet', 'ResNet + augmentation', 'ensemble of the four'];

/** The full lesson's test accuracies as the summary states them: `name X.X%`. */
function statedAccuracies(): Map<string, number> {
  const line = /Full lesson, measured[^]*?(?=\n- |\n\n)/.exec(summary)?.[0] ?? '';
  const out = new Map<string, number>();
  // Longest names first, so 'ResNet' does not match inside 'ResNet + augmentation'.
  let rest = line.replace(/\s+/g, ' ');
  for (const name of [...MODELS].sort((a, b) => b.length - a.length)) {
    const m = new RegExp(`${name.replace(/[+]/g, '\\+')} ([\\d.]+)%`).exec(rest);
    if (m) {
      out.set(name, Number(m[1]) / 100);
      rest = rest.replace(m[0], '');
    }
  }
  return out;
}

describe('chapter 04b: the prose against the code', () => {
  it("the summary's ResNet-20 parameter count is the hand count", () => {
    expect(summary).toContain('ResNet-20 has 274,042 parameters');
    expect(resNetParameterCount({ blocksPerStage: 3, widths: [16, 32, 64], numClasses: 10 })).toBe(274042);
  });

  it("the summary's parameter counts of the full lesson's ResNet and its ratio to the CNN", () => {
    const full = CHAPTER04B_CONFIG.full.resnet;
    // Input normalisation adds 2 · 3 frozen numbers (test/models/resnet.test.ts checks the rest against TF.js).
    const resnet = resNetParameterCount({ blocksPerStage: full.blocksPerStage, widths: full.widths, numClasses: 2 }) + 6;
    expect(resnet).toBe(20032);
    expect(summary).toContain('20,032 parameters, 8× fewer than the CNN');
    expect(Math.round(buildCifar10Cnn({ numClasses: 2 }).countParams() / resnet)).toBe(8);
    expect(summary).toContain(`within ${CHAPTER04B_CONFIG.full.epochs} epochs`);
    expect(summary).toContain(`With the same ${6 * CHAPTER04B_CONFIG.full.shortcuts.blocksPerStage + 2} layers`);
    expect(summary).toContain(`ended its ${CHAPTER04B_CONFIG.full.shortcuts.epochs} epochs`);
  });

  it('the summary states the full lesson’s test accuracy of each of the four models', () => {
    expect([...statedAccuracies().keys()].sort()).toEqual([...MODELS].sort());
  });

  it('has two graded exercises, each a solution cell then a test cell with course and nbgrader metadata', () => {
    expectGradedExercises(NOTEBOOK, ['ex04b-auc-pairs/solution', 'ex04b-auc-pairs/tests', 'ex04b-flip/solution', 'ex04b-flip/tests']);
  });

  it('builds a student version (npm run course) without the solutions or hidden tests, that type-checks strictly', () => {
    expectStudentVersion(NOTEBOOK, 'ex04b-auc-pairs', 'tf.image.flipLeftRight'); // a hidden test
  }, 120_000);

  it.skipIf(!haveRealPhotos || process.env.DLC_FULL_LESSON !== '1')(
    `full lesson (DLC_FULL_LESSON=1): the accuracies the summary states are what the notebook computes, within 6 points ${NEEDS_REAL_PHOTOS}`,
    () => {
      const file = writeNotebookModule(NOTEBOOK);
      try {
        const env: NodeJS.ProcessEnv = { ...process.env, DL_COURSE_CIFAR10: CIFAR10_ARCHIVE };
        delete env.COURSE_QUICK;
        const r = spawnSync(process.execPath, [file], { cwd: path.dirname(NOTEBOOK), env, encoding: 'utf8', timeout: 3_600_000 });
        expect(r.status, r.stderr).toBe(0);
        const results = chapter04bResults(r.stdout);
        expect(r.stdout).toContain('training: 910 cats, 890 dogs; validation: 90 cats, 110 dogs; test: 200 cats, 200 dogs'); // "1,800 training and 400 test images"
        expect(r.stdout).toContain("the chapter's ResNet-8 (8/16/32): 20,032 parameters; by hand: 20,032");
        const minutes = Number(/This chapter's training took ([\d.]+) minutes/.exec(r.stdout)?.[1]);
        expect(minutes).toBeLessThan(40); // 25.1 measured on 2 cores shared with other jobs (load average ~20)
        const [withShortcuts, without] = /final training loss: ([\d.]+) with shortcuts, ([\d.]+) without/.exec(r.stdout)!.slice(1).map(Number);
        expect(withShortcuts).toBeLessThan(without); // "the shortcuts make the deeper net easier to train"
        const stated = /training loss of ([\d.]+), the plain one at ([\d.]+)/.exec(summary)!.slice(1).map(Number);
        expect(Math.abs(withShortcuts - stated[0])).toBeLessThan(0.1);
        expect(Math.abs(without - stated[1])).toBeLessThan(0.1);
        // The model the validation set chooses, as the summary names it, and how it fares against the plain CNN on the test set.
        const chosen = /best on validation: (.+?); its test accuracy ([\d.]+)% against the plain CNN's ([\d.]+)%/.exec(r.stdout)!;
        expect(summary).toContain(`the validation set chooses the ${chosen[1]}`);
        expect(Number(chosen[2])).toBeGreaterThanOrEqual(Number(chosen[3])); // the plain CNN itself, or one that beats it
        for (const [name, stated] of statedAccuracies()) {
          expect(Math.abs(results.get(name)!.testAccuracy - stated), name).toBeLessThanOrEqual(0.06); // a different seed moves them by a few points
        }
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    3_600_000,
  );
});
