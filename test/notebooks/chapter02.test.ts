/**
 * Chapter 02 (notebooks/02-core-concepts.ipynb): every statement of its prose
 * that rests on a number is checked here against the notebook's own quick-mode
 * run (its stdout) or against lib, and its diagrams and tables against lib's
 * flow definitions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES, MARKET_EXPANSION_FLOW, RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, TRAINING_FLOW, processFlowchart } from '../../lib';
import { marketChart, recruitingChart, technologyChart, trainingLoopChart } from '../../notebooks/diagrams/02-core-concepts';
import { ROOT, runNotebookQuick } from '../helpers/notebook';

const NOTEBOOK = path.join(ROOT, 'notebooks', '02-core-concepts.ipynb');
const nb = JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join(''));
const prose = markdown.join('\n');
// The real Fashion-MNIST (Debian's package or DL_COURSE_FASHION_MNIST), not test/setup/global.ts's stand-in.
const realFashion = process.env.DLC_TEST_REAL_FASHION !== '0';
const NEEDS_REAL = realFashion ? '' : ' (skipped: needs the real Fashion-MNIST, Debian package dataset-fashion-mnist)';

describe('chapter 02: the diagrams and the table come from lib (the cells match the charts: test/plot/diagram.test.ts)', () => {
  it("the diagrams are drawn from the source's flows", () => {
    expect(recruitingChart).toEqual(processFlowchart(RECRUITING_FLOW));
    expect(technologyChart).toEqual(processFlowchart(TECHNOLOGY_COOPERATION_FLOW));
    expect(marketChart).toEqual(processFlowchart(MARKET_EXPANSION_FLOW));
    expect(trainingLoopChart).toEqual(processFlowchart(TRAINING_FLOW));
  });
  it("the role table's goal and measure rows name the flows' own steps", () => {
    const row = (role: string) => prose.split('\n').find((l) => l.startsWith(`| ${role} |`))!.split('|').slice(2, 5).map((s) => s.trim());
    expect(row('goal')).toEqual([RECRUITING_FLOW, TECHNOLOGY_COOPERATION_FLOW, MARKET_EXPANSION_FLOW].map((f) => f.steps.find((s) => s.role === 'goal')!.label));
    expect(row('measure')[2]).toBe(MARKET_EXPANSION_FLOW.steps.find((s) => s.role === 'measure')!.label);
  });
  it('class 6 of Fashion-MNIST is "Shirt", as the prose says', () => {
    expect(prose.replace(/\s+/g, ' ')).toContain('class 6, "Shirt"');
    expect(FASHION_MNIST_CLASSES[6]).toBe('Shirt');
  });
});

describe('chapter 02: the quick-mode run', () => {
  let stdout = '';
  beforeAll(() => {
    stdout = runNotebookQuick(NOTEBOOK);
  }, 300_000);

  it('all three processes are feedback loops, and the exercises pass', () => {
    expect(stdout).toContain('feedback loops: 3 of 3 processes');
    expect(stdout).toContain('ex02-precision-recall: all tests passed');
    expect(stdout).toContain('ex02-threshold-for-recall: all tests passed');
  });
  it('the model is the MLP 784 → 64 → 10 the prose names', () => {
    expect(prose).toContain('784 → 64 → 10');
    expect(stdout).toMatch(/MLP 784 → 64 → 10 trained on \d+ images/);
  });

  it.skipIf(!realFashion)(`shirts are the model's hardest class, as the prose says${NEEDS_REAL}`, () => {
    expect(prose).toContain("Shirts are this model's hardest class");
    expect(stdout).toMatch(/hardest class for this model: Shirt \(/);
  });

  /** The curve as the run printed it (the chart's text). */
  const curve = () =>
    [...stdout.matchAll(/t = ([\d.]+): precision (NaN|[\d.]+), recall ([\d.]+)/g)].map((m) => ({ t: Number(m[1]), precision: Number(m[2]), recall: Number(m[3]) }));
  it('raising the threshold never raises recall ("recall can only fall")', () => {
    const c = curve();
    expect(c.length).toBe(19);
    for (let i = 1; i < c.length; i++) expect(c[i].recall).toBeLessThanOrEqual(c[i - 1].recall);
  });
  it.skipIf(!realFashion)(`precision rises over most of the range: clearly higher at threshold 0.5 than at 0.05${NEEDS_REAL}`, () => {
    const c = curve();
    const at = (t: number) => c.find((p) => p.t === t)!.precision;
    expect(at(0.5)).toBeGreaterThan(at(0.05) + 0.1);
  });
  it('precision is undefined (NaN) exactly where no image passes the threshold', () => {
    expect(stdout).toMatch(/threshold 0\.8: precision NaN, recall 0\.000, 0 predicted Shirt|threshold 0\.8: precision [\d.]+, recall [\d.]+, [1-9]\d* predicted Shirt/);
    for (const m of stdout.matchAll(/precision (NaN|[\d.]+), recall [\d.]+, (\d+) predicted/g)) expect(m[1] === 'NaN').toBe(m[2] === '0');
  });
  it.skipIf(!realFashion)(`no threshold gives both numbers high for shirts (the larger of min(precision, recall) over thresholds < 0.75)${NEEDS_REAL}`, () => {
    const best = Math.max(...curve().map((p) => Math.min(Number.isNaN(p.precision) ? 0 : p.precision, p.recall)));
    expect(best).toBeLessThan(0.75);
  });
});
