/**
 * Chapter 10 (notebooks/10-questions-and-efficiency.ipynb): the FAQ's links
 * and questions against the source document, and the quick-mode run's
 * printed measurements against independent computations (the configuration,
 * ratios of the printed rates); the charts in the kernel run; the graded
 * exercises.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAPTER10_CONFIG } from '../../lib';
import { ROOT, notebookKernelRun, runNotebookQuick } from '../helpers/notebook';
import { expectGradedExercises } from '../helpers/grading';
import { checkStudentVersion, notebookCells } from './chapter_exercises';

const NOTEBOOK = path.join(ROOT, 'notebooks', '10-questions-and-efficiency.ipynb');
const quick = CHAPTER10_CONFIG.quick;
const markdown = notebookCells(NOTEBOOK)
  .filter((c) => c.cell_type === 'markdown')
  .map((c) => c.source.join(''))
  .join('\n');
let stdout = '';
beforeAll(() => {
  stdout = runNotebookQuick(NOTEBOOK); // the quick-mode module run notebooks.test.ts also checks
}, 600_000);

/** The first match of `re` in the output, as numbers. */
function numbers(re: RegExp): number[] {
  const m = re.exec(stdout);
  expect(m, `the notebook printed no line matching ${re}`).not.toBeNull();
  return m!.slice(1).map(Number);
}

describe('chapter 10: the questions (§1)', () => {
  it("answers each of the source's questions 10.1–10.5, in its order", () => {
    const source = fs.readFileSync(path.join(ROOT, '..', 'shared', 'source', 'source-document-zh.md'), 'utf8');
    const questions = [...source.matchAll(/^### (10\.\d)\. /gm)].map((m) => m[1]);
    expect(questions).toEqual(['10.1', '10.2', '10.3', '10.4', '10.5']);
    const rows = [...markdown.matchAll(/^\| (10\.\d) [^|]+\|[^|]+\| (.+) \|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(questions);
    for (const r of rows) expect(r[2], r[1]).toMatch(/\]\([\w.-]+\.ipynb\)|this chapter/); // each answer points to a chapter
  });

  it('every relative link of the notebook points to a notebook that exists', () => {
    const links = [...markdown.matchAll(/\]\(([^)#:]+\.ipynb)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(7);
    for (const link of new Set(links)) expect(fs.existsSync(path.join(ROOT, 'notebooks', link)), link).toBe(true);
  });
});

describe('chapter 10: data parallelism (§2, quick mode)', () => {
  it('the all-reduced gradient of 2 workers equals the whole minibatch’s to float32 rounding, on shards that sum to the minibatch', () => {
    const [a, b, diff, largest] = numbers(/shards of (\d+) \+ (\d+) examples; all-reduced gradient against the whole minibatch's: max difference ([\d.e+-]+) \(largest entry ([\d.]+)\)/);
    expect(a + b).toBe(quick.parallelBatchSize);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    expect(diff).toBeLessThan(1e-5 * Math.max(1, largest));
  });

  it('times the main thread and each worker count; the printed speed-up is the ratio of the printed rates, below the number of workers', () => {
    const rate = (name: string) => numbers(new RegExp(`^${name}[^:\\n]*: (\\d+) examples/s$`, 'm'))[0];
    expect(rate('main thread')).toBeGreaterThan(0);
    const rates = quick.workerCounts.map((k) => rate(`${k} worker${k === 1 ? '' : 's'}`));
    for (const r of rates) expect(r).toBeGreaterThan(0);
    const most = Math.max(...quick.workerCounts);
    const [speedUp] = numbers(new RegExp(`speed-up of ${most} workers over 1 worker: ([\\d.]+)×`));
    expect(speedUp).toBeCloseTo(rates[rates.length - 1] / rates[0], 1);
    expect(speedUp).toBeLessThan(most); // "K workers cannot go K times faster here"
  });
});

describe('chapter 10: the data pipeline, batch size, backends (§3–5, quick mode)', () => {
  it('prints the four prefetching times; the printed factor is without ÷ with', () => {
    const [load, train] = numbers(/per minibatch of (?:\d+): loading alone ([\d.]+) ms, training alone ([\d.]+) ms/);
    expect(load).toBeGreaterThanOrEqual(quick.storageLatencyMs); // the simulated latency is part of every load
    expect(train).toBeGreaterThan(0);
    const [without, withPrefetch, ideal, factor] = numbers(/without prefetching ([\d.]+) ms, with prefetching ([\d.]+) ms \(ideal: max = ([\d.]+) ms\): ([\d.]+)× faster/);
    expect(ideal).toBe(Math.max(load, train));
    expect(factor).toBeCloseTo(without / withPrefetch, 1);
  });

  it('sweeps the configured batch sizes; the largest passes more examples per second than the smallest', () => {
    const rows = [...stdout.matchAll(/^batch size (\d+): (\d+) examples\/s, test accuracy ([\d.]+)%$/gm)].map((m) => ({ batch: +m[1], rate: +m[2], accuracy: +m[3] / 100 }));
    expect(rows.map((r) => r.batch)).toEqual(quick.batchSizes);
    expect(rows[rows.length - 1].rate).toBeGreaterThan(rows[0].rate);
    for (const r of rows) expect(r.accuracy).toBeGreaterThan(0.1); // above chance (10 classes) after one epoch
  });

  it('lists every backend choice (timed, or not available with the reason) and switches back to the first one', () => {
    for (const choice of ['tensorflow', 'wasm', 'cpu']) expect(stdout).toMatch(new RegExp(`^${choice}: (matrix product [\\d.]+ GFLOP/s, MLP training \\d+ examples/s|not available \\(.+\\))$`, 'm'));
    const first = /^TF\.js backend: (\w+)/m.exec(stdout)![1];
    expect(stdout).toContain(`back on ${first}`);
  });
});

describe('chapter 10: notebook structure', () => {
  it('has two graded exercises, each a solution cell then a test cell, and both pass in the quick run', () => {
    expectGradedExercises(NOTEBOOK, ['ex10-shard-sizes/solution', 'ex10-shard-sizes/tests', 'ex10-all-reduce/solution', 'ex10-all-reduce/tests']);
    expect(stdout).toContain('ex10-shard-sizes: all tests passed');
    expect(stdout).toContain('ex10-all-reduce: all tests passed');
  });

  it('builds a student version without the solutions or hidden tests, that type-checks strictly', () => {
    const source = checkStudentVersion(NOTEBOOK);
    expect(source).toContain("throw new Error('not implemented: ex10-all-reduce')");
  }, 120_000);

  it('the kernel run shows the charts and the backends table, and leaves no worker running (the run ends)', () => {
    const r = notebookKernelRun(NOTEBOOK); // shared with notebooks.test.ts
    expect(r.status, r.stderr).toBe(0);
    const executed = fs.readFileSync(r.executed!, 'utf8');
    for (const title of ['Data-parallel training of the MLP', 'Time per minibatch', 'Batch size: throughput against test accuracy']) expect(executed).toContain(title);
    expect(executed).toContain('MLP training (examples/s)');
  }, 900_000);
});
