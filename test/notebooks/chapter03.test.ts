/**
 * Chapter 03 (notebooks/03-training-pipeline.ipynb): every statement of its
 * prose that rests on a number is checked against the notebook's own
 * quick-mode run (its stdout). The measured statements of section 9 need the
 * real Fashion-MNIST; without it they skip, saying so.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAPTER03_CONFIG, FASHION_MNIST_CLASSES, mlpParameterCount } from '../../lib';
import { ROOT, runNotebookQuick } from '../helpers/notebook';

const NOTEBOOK = path.join(ROOT, 'notebooks', '03-training-pipeline.ipynb');
const nb = JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
/** The Markdown text, each run of whitespace (line breaks included) one space. */
const prose = nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join('')).join('\n').replace(/\s+/g, ' ');
const realFashion = process.env.DLC_TEST_REAL_FASHION !== '0';
const NEEDS_REAL = realFashion ? '' : ' (skipped: needs the real Fashion-MNIST, Debian package dataset-fashion-mnist)';
const quick = CHAPTER03_CONFIG.quick;

let stdout = '';
beforeAll(() => {
  stdout = runNotebookQuick(NOTEBOOK);
}, 300_000);

/** The numbers after `label` on the line that starts with it. */
function line(label: string): string {
  const l = stdout.split('\n').find((x) => x.startsWith(label));
  expect(l, `a stdout line starting with "${label}"`).toBeDefined();
  return l!;
}
const numbers = (s: string) => [...s.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));

describe('chapter 03, sections 1–8: the pipeline on two moons', () => {
  it('300 training points in minibatches of 32: 10 minibatches, the last of 12', () => {
    expect(prose).toContain('300 is not a multiple of 32');
    expect(prose).toContain('the 12 examples left over');
    expect(line('10 minibatches per epoch; sizes:')).toMatch(/sizes: (32 ){9}12$/);
  });
  it('the untrained loss is near ln 2 = 0.693', () => {
    const [before] = numbers(line('loss of the first minibatch before training:').split(':')[1]);
    expect(Math.abs(before - Math.LN2)).toBeLessThan(0.3);
  });
  it('the 50,000-point series is drawn with at most 2,000 points and keeps its highest loss', () => {
    const [drawn, of, kept, full] = numbers(line('drawn:'));
    expect(of).toBe(50000);
    expect(drawn).toBeLessThanOrEqual(2000);
    expect(kept).toBe(full);
  });
});

describe('chapter 03, section 9: the pros and cons, measured', () => {
  it('runs within the quick-mode budget (under 60 s for the experiments) and says how long it took', () => {
    const [seconds] = numbers(line('the experiments of §9 took'));
    expect(seconds).toBeLessThan(60);
    expect(stdout).toContain('s in quick mode on this machine');
  });
  it('Fashion-MNIST: 28×28 grey images, ten classes', () => {
    expect(prose).toContain('28×28 grey photos of clothes, ten classes');
    expect(FASHION_MNIST_CLASSES).toHaveLength(10);
    expect(line('Fashion-MNIST:')).toMatch(/^Fashion-MNIST: \d+ training images drawn at random from \d+; \d+ test images$/);
  });
  it('the MLPs have thousands to about a million parameters', () => {
    expect(prose).toContain('thousands to about a million parameters');
    const params = quick.widths.map((h) => mlpParameterCount([784, h, 10]));
    expect(Math.min(...params)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...params)).toBeGreaterThan(5e5);
    expect(Math.max(...params)).toBeLessThan(1e6);
  });
  it('training time grows with the parameter count, less than in proportion', () => {
    const [bigParams, timeRatio, smallParams, paramRatio] = numbers(line('compute:'));
    expect(bigParams).toBe(mlpParameterCount([784, quick.widths[quick.widths.length - 1], 10]));
    expect(smallParams).toBe(mlpParameterCount([784, quick.widths[0], 10]));
    expect(timeRatio).toBeGreaterThan(1);
    expect(timeRatio).toBeLessThan(paramRatio);
  });
  it.skipIf(!realFashion)(`more distinct data gives higher test accuracy for the same compute${NEEDS_REAL}`, () => {
    const accs = [...line('data size:').matchAll(/([\d.]+) with (\d+)/g)].map((m) => Number(m[1]));
    expect(accs).toHaveLength(quick.trainSizes.length);
    expect(accs[accs.length - 1]).toBeGreaterThan(accs[0]);
  });
  it('the label shares the prose states: 60% and 4.4% at 40% noise, 20% and 8.9% at 80%', () => {
    expect(line('label noise 40%:')).toContain('keeps 60% of the labels, each wrong class 4.4%');
    expect(line('label noise 80%:')).toContain('keeps 20% of the labels, each wrong class 8.9%');
    for (const s of ['keeps 60% of the labels', '4.4%', 'keeps 20% against 8.9%']) expect(prose).toContain(s);
  });
  it.skipIf(!realFashion)(`wrong labels: little drop at 40%, much at 80%${NEEDS_REAL}`, () => {
    const acc = Object.fromEntries([...line('label noise:').matchAll(/([\d.]+) at (\d+)%/g)].map((m) => [Number(m[2]), Number(m[1])]));
    expect(acc[0] - acc[40]).toBeLessThan(0.05); // "drops little"
    expect(acc[0] - acc[80]).toBeGreaterThan(0.1); // "teaches much less"
  });
  it.skipIf(!realFashion)(`raw pixels: SGD stuck near chance (10%), Adam learns but less than on normalised inputs${NEEDS_REAL}`, () => {
    const l = line('inputs:');
    const acc = (name: string) => Number(new RegExp(`${name} ([\\d.]+)`).exec(l)![1]);
    expect(acc('SGD, raw pixels')).toBeLessThan(0.2);
    expect(acc('SGD, pixels / 255')).toBeGreaterThan(0.4);
    expect(acc('Adam, raw pixels')).toBeGreaterThan(0.2);
    expect(acc('Adam, raw pixels')).toBeLessThan(acc('Adam, pixels / 255'));
  });
  it.skipIf(!realFashion)(`momentum and Adam end with a lower training loss than plain SGD${NEEDS_REAL}`, () => {
    const l = line('optimizers:').split(';')[0];
    const loss = (name: string) => Number(new RegExp(`${name} ([\\d.]+)`).exec(l)![1]);
    expect(loss('momentum')).toBeLessThan(loss('sgd'));
    expect(loss('adam')).toBeLessThan(loss('sgd'));
  });
  it.skipIf(!realFashion)(`the best learning rate lies between the smallest (too slow) and the largest (unstable)${NEEDS_REAL}`, () => {
    const l = line('learning rate:');
    const runs = [...l.matchAll(/([\d.]+): (diverged|[\d.]+)/g)].map((m) => ({ lr: Number(m[1]), acc: m[2] === 'diverged' ? 0 : Number(m[2]) }));
    expect(runs.map((r) => r.lr)).toEqual(quick.learningRates);
    const best = Math.max(...runs.map((r) => r.acc));
    expect(runs[0].acc).toBeLessThan(best - 0.1);
    expect(runs[runs.length - 1].acc).toBeLessThan(0.2); // diverged or at chance
  });
  it.skipIf(!realFashion)(`overfitting: the validation loss bottoms out before the end and rises, while the training loss keeps falling to near-perfect training accuracy${NEEDS_REAL}`, () => {
    const [bestEpoch, epochs, minVal, endVal, trainAtBest, trainEnd, trainAcc] = numbers(line('overfitting:'));
    expect(epochs).toBe(quick.overfitEpochs);
    expect(bestEpoch).toBeLessThan(epochs);
    expect(endVal).toBeGreaterThan(minVal);
    expect(trainEnd).toBeLessThan(trainAtBest);
    expect(trainAcc).toBeGreaterThan(0.95);
  });
  it('the graded exercises pass with their solutions', () => {
    expect(stdout).toContain('ex03-label-noise: all tests passed');
    expect(stdout).toContain('ex03-early-stopping: all tests passed');
  });
});
