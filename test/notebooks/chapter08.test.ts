/**
 * Chapter 08 (notebooks/08-tools-and-resources.ipynb): what its prose states
 * is what its code computes: the references and their corrections (against
 * dl.REFERENCES), the double-softmax loss's range (against a hand
 * derivation), and the throughput it charts (against the recorded bench JSON
 * files themselves, read here without the library).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCES } from '../../lib';
import { ROOT, notebookKernelRun, notebookProse, runNotebookQuick } from '../helpers/notebook';
import { gradedExerciseTests } from './graded_exercises';

const NOTEBOOK = path.join(ROOT, 'notebooks', '08-tools-and-resources.ipynb');
const prose = notebookProse(NOTEBOOK);
let stdout = '';

beforeAll(() => {
  stdout = runNotebookQuick(NOTEBOOK); // the quick-mode module run notebooks.test.ts also checks
}, 600_000);

function numbers(re: RegExp): number[] {
  const m = re.exec(stdout);
  expect(m, `no line matching ${re}`).not.toBeNull();
  return m!.slice(1).map((s) => Number(s.replace(/,/g, '')));
}

describe('chapter 08 §1: the references, corrected', () => {
  it('counts what dl.REFERENCES holds; prints each correction', () => {
    const [all, fromSource, corrected, withId] = numbers(/(\d+) references: (\d+) recommended by the source, (\d+) of them corrected; (\d+) with a DOI or arXiv id/);
    expect(all).toBe(REFERENCES.length);
    expect(fromSource).toBe(REFERENCES.filter((r) => r.sourceSection).length);
    expect(corrected).toBe(3);
    expect(withId).toBe(REFERENCES.filter((r) => r.doi || r.arxiv).length);
    for (const r of REFERENCES.filter((x) => x.correction)) expect(stdout).toContain(`corrected (${r.id}): ${r.correction}`);
  });
  it('the prose says each correction and that CI did not fetch the links', () => {
    expect(prose).toContain('**There is no such paper.**');
    expect(prose).toContain('Deng, Dong, Socher, Li, Li and Fei-Fei, "ImageNet: A Large-Scale Hierarchical Image Database", CVPR 2009');
    expect(prose).toContain('**Aston Zhang, Zachary C. Lipton, Mu Li and Alexander J. Smola**');
    expect(prose).toContain('but they do not fetch the links');
  });
});

describe('chapter 08 §2: the from_logits mistake', () => {
  it('double softmax with 10 classes lies in [ln(1 + 9/e), ln(9 + e)] = [1.46, 2.46], exactly one nat wide (by hand)', () => {
    const [right, byHandLo, wrong, byHandHi, range] = numbers(/certain and right ([\d.]+) \(by hand ln\(1 \+ 9\/e\) = ([\d.]+)\), certain and wrong ([\d.]+) \(ln\(9 \+ e\) = ([\d.]+)\): a range of ([\d.]+) nats/);
    expect(right).toBeCloseTo(Math.log(1 + 9 / Math.E), 4);
    expect(byHandLo).toBeCloseTo(Math.log(1 + 9 / Math.E), 4);
    expect(wrong).toBeCloseTo(Math.log(9 + Math.E), 4);
    expect(byHandHi).toBeCloseTo(Math.log(9 + Math.E), 4);
    expect(range).toBeCloseTo(1, 4);
    expect(prose).toContain('which is 1.46 for $K = 10$ classes');
    expect(prose).toContain('$\\ln(K - 1 + e)$, 2.46');
    expect(prose).toContain('the loss moves by exactly one nat');
    expect(stdout).toContain("compileClassifier refuses it: compileClassifier: options.fromLogits is true but the model's last layer applies softmax");
  });
});

describe('chapter 08 §3: the stacks, measured by the recorded bench runs', () => {
  interface BenchJson {
    backends: { backend: string; threads: number }[];
    rows: { backend: string; batch: number; oursTrain: number; peers: { name: string; train?: number }[] }[];
  }
  const files = fs.readdirSync(path.join(ROOT, 'bench', 'results')).filter((f) => f.endsWith('.json'));
  const results = files.map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', f), 'utf8')) as BenchJson);

  it("prints every course backend's and peer's training images/s as the JSON files record them", () => {
    for (const r of results) {
      for (const row of r.rows) {
        const threads = r.backends.find((b) => b.backend === row.backend)!.threads;
        expect(stdout).toContain(`TF.js ${row.backend} (${threads} thread${threads === 1 ? '' : 's'}), batch ${row.batch}: ${Math.round(row.oursTrain)} training images/s`);
        for (const p of row.peers.filter((q) => q.train)) expect(stdout).toContain(`${p.name}, batch ${row.batch}: ${Math.round(p.train!)} training images/s`);
      }
    }
  });

  it('"about half the speed of Keras" and "about a hundred times slower than wasm": the ratios of the files', () => {
    const rows = results.flatMap((r) => r.rows);
    const wasm = rows.filter((r) => r.backend === 'wasm');
    const keras = wasm.flatMap((w) => w.peers.filter((p) => p.name.startsWith('Keras') && p.train).map((p) => w.oursTrain / p.train!));
    expect(keras.length).toBeGreaterThan(0);
    for (const ratio of keras) {
      expect(ratio).toBeGreaterThan(0.35);
      expect(ratio).toBeLessThan(0.7);
    }
    const cpu = rows.find((r) => r.backend === 'cpu')!;
    const wasmSameBatch = wasm.find((w) => w.batch === cpu.batch)!;
    const slower = wasmSameBatch.oursTrain / cpu.oursTrain;
    expect(slower).toBeGreaterThan(50);
    expect(slower).toBeLessThan(200);
    expect(numbers(new RegExp(`batch ${cpu.batch}: TF\\.js wasm / TF\\.js cpu = (\\d+)`))).toEqual([Math.round(slower)]);
    expect(prose).toContain('trained at about half the speed of Keras');
    expect(prose).toContain('about a hundred times slower than wasm');
  });

  it('times a live run on this machine', () => {
    const [imagesPerSecond] = numbers(/this machine, TF\.js \w+ \(\d+ thread\(s\)\), batch 32: (\d+) training images\/s over (\d+) images/);
    expect(imagesPerSecond).toBeGreaterThan(0);
  });
});

describe('chapter 08: the kernel run', () => {
  it('draws the loss curves and the throughput bar chart', () => {
    const r = notebookKernelRun(NOTEBOOK); // shared with notebooks.test.ts
    expect(r.status, r.stderr).toBe(0);
    const executed = fs.readFileSync(r.executed!, 'utf8');
    expect([...executed.matchAll(/"application\/vnd\.plotly\.v1\+json"/g)].length).toBeGreaterThanOrEqual(2);
    expect(executed).toContain('Cross-entropy of the true class');
    expect(executed).toContain('Training the chapter-05 CNN (recorded bench runs)');
  }, 900_000);
});

describe('chapter 08: exercises', () => {
  gradedExerciseTests(NOTEBOOK, ['ex08-double-softmax-range', 'ex08-training-minutes'], () => stdout);
});
