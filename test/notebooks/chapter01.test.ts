/**
 * Chapter 01 (notebooks/01-background.ipynb): every number its prose states is
 * printed by its own code; this test runs the notebook as a module in quick
 * mode and checks those printed numbers against the prose's claims and
 * against independent sources (released checkpoints, the papers, hand counts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_TRANSFORMERS } from '../../lib';
import { ROOT, notebookToTypeScript, runNotebookQuick, writeNotebookModule } from '../helpers/notebook';
import { gradedExerciseTests } from './graded_exercises';

const NOTEBOOK = path.join(ROOT, 'notebooks', '01-background.ipynb');
let stdout = '';

/** The first match of `re` in the notebook's output, as numbers (commas removed). */
function numbers(re: RegExp): number[] {
  const m = re.exec(stdout);
  expect(m, `the notebook printed no line matching ${re}`).not.toBeNull();
  return m!.slice(1).map((s) => Number(s.replace(/,/g, '')));
}

/** The notebook's Markdown, for checking that the prose says what the code computes. */
const prose = (JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: { cell_type: string; source: string[] }[] }).cells
  .filter((c) => c.cell_type === 'markdown')
  .map((c) => c.source.join(''))
  .join('\n');

beforeAll(() => {
  stdout = runNotebookQuick(NOTEBOOK); // the quick-mode module run notebooks.test.ts also checks
}, 600_000);

describe('chapter 01: parameters (§1, §2)', () => {
  it('prints the computed count of each Transformer, equal to the released checkpoints (Hugging Face BertModel, GPT2Model)', () => {
    expect(numbers(/BERT-base: computed ([\d,]+) parameters/)).toEqual([109_482_240]);
    expect(numbers(/BERT-large: computed ([\d,]+) parameters/)).toEqual([335_141_888]);
    expect(numbers(/GPT-2 small: computed ([\d,]+) parameters/)).toEqual([124_439_808]);
    expect(numbers(/GPT-2 XL: computed ([\d,]+) parameters/)).toEqual([1_557_611_200]);
    expect(numbers(/GPT-3 175B: computed ([\d,]+) parameters/)).toEqual([174_604_259_328]);
  });
  it('"Every count lands within 2%": each printed difference from the published count, and the largest', () => {
    for (const m of Object.values(PUBLISHED_TRANSFORMERS)) {
      const [pct] = numbers(new RegExp(`${m.name}: computed [\\d,]+ parameters, published [\\d,]+ \\(([+-][\\d.]+)%\\)`));
      expect(Math.abs(pct), m.name).toBeLessThan(2);
    }
    expect(numbers(/largest difference from a published count: ([\d.]+)%/)[0]).toBeLessThan(2);
    expect(prose).toContain('Every count lands within 2%');
  });
  it('"d_ff = 4d in every model here"', () => {
    for (const m of Object.values(PUBLISHED_TRANSFORMERS)) expect(m.config.dFF, m.name).toBe(4 * m.config.dModel);
    expect(prose).toContain('$d_{ff} = 4d$\n  in every model here');
  });
  it('"embeddings are about a fifth of BERT-base but well under 1% of GPT-3"; "×16, about 256 times, about 27 times"', () => {
    const [bert, gpt3] = numbers(/embeddings' share of the parameters: BERT-base ([\d.]+)%, GPT-3 175B ([\d.]+)%/);
    expect(bert).toBeGreaterThan(18);
    expect(bert).toBeLessThan(22);
    expect(gpt3).toBeLessThan(1);
    // By hand: BERT-base embeddings (30522 + 512 + 2)·768 = 23,835,648 of 109,482,240.
    expect(bert).toBeCloseTo((100 * 23_835_648) / 109_482_240, 1);
    expect(numbers(/d ×(\d+), one block ×(\d+), embeddings ×(\d+)/)).toEqual([16, 256, 27]);
    expect(prose).toMatch(/about a fifth of BERT-base but well under 1% of GPT-3/);
    expect(prose).toMatch(/16 times BERT-base's[\s\S]*about 256 times[\s\S]*about 27 times/);
  });
  it("the CNN's count by formula equals TF.js's; GPT-3 has \"about a million times\" its parameters", () => {
    expect(numbers(/chapter-05 CNN: ([\d,]+) parameters by formula, ([\d,]+) by TF.js/)).toEqual([167_562, 167_562]);
    const [ratio] = numbers(/GPT-3 175B has ([\d.e+]+) times the parameters of the CNN/);
    expect(ratio).toBeCloseTo(174_604_259_328 / 167_562, -4);
    expect(ratio).toBeGreaterThan(0.9e6);
    expect(ratio).toBeLessThan(1.1e6);
    expect(prose).toContain('about a million times');
  });
});

describe('chapter 01: compute and memory (§3, §4)', () => {
  it('6·N·D for GPT-3 is "within 1% of the published figure" (Brown et al. 2020, Table D.1: 3.14e23)', () => {
    const [computed, published, pct] = numbers(/6·N·D = ([\d.e+]+) FLOPs \(published ([\d.e+]+), ([+-][\d.]+)%\)/);
    expect(computed).toBe(3.15e23);
    expect(published).toBe(3.14e23);
    expect(Math.abs(pct)).toBeLessThan(1);
    expect(prose).toContain('within 1% of the published figure');
  });
  it('inference is 2·N per token; at an A100 peak GPT-3 takes "decades of one GPU\'s time"', () => {
    expect(numbers(/GPT-3 inference 2·N = ([\d.e+]+) FLOPs per generated token/)).toEqual([3.5e11]);
    const [years, gpus] = numbers(/takes ([\d.]+) GPU-years \((\d+) GPUs for a month\)/);
    expect(years).toBeCloseTo(3.15e23 / 312e12 / (365.25 * 86400), 1);
    expect(years).toBeGreaterThan(20);
    expect(years).toBeLessThan(100);
    expect(gpus).toBe(Math.round(years * 12));
    expect(prose).toContain("decades of one GPU's time");
  });
  it('GPT-3 needs 9, 5, 5, 3 GPUs of 80 GB for its weights and 35 for mixed-precision Adam ("several GPUs even in int8", "dozens")', () => {
    const [fp32, g32, fp16, g16, bf16, gbf, int8, g8, train, gTrain] = numbers(
      /GPT-3 175B: weights fp32 ([\d,]+) GB \((\d+)\), fp16 ([\d,]+) GB \((\d+)\), bf16 ([\d,]+) GB \((\d+)\), int8 ([\d,]+) GB \((\d+)\); Adam training \(mixed precision\) ([\d,]+) GB \((\d+)\)/,
    );
    // 174.6B parameters × 4, 2, 2, 1 and 16 bytes, in GB, and ⌈· / 80⌉:
    expect([fp32, fp16, bf16, int8, train]).toEqual([698, 349, 349, 175, 2794]);
    expect([g32, g16, gbf, g8, gTrain]).toEqual([9, 5, 5, 3, 35]);
    expect(g8).toBeGreaterThan(1);
    expect(gTrain).toBeGreaterThanOrEqual(24);
    expect(prose).toMatch(/several GPUs even in int8, and its training state\nneeds dozens/);
  });
  it('"16 bytes" per parameter for Adam, fp32 and mixed; the CNN "fits in less than a megabyte"', () => {
    expect(numbers(/bytes per value: fp32 (\d+), fp16 (\d+), bf16 (\d+), int8 (\d+)/)).toEqual([4, 2, 2, 1]); // "4, 2, 2 or 1 bytes"
    expect(numbers(/Adam training bytes per parameter: fp32 (\d+), fp16 (\d+), bf16 (\d+), int8 (\d+), mixed precision (\d+)/)).toEqual([16, 8, 8, 4, 16]);
    expect(prose).toContain('Weights take 4, 2, 2 or 1 bytes each');
    expect(prose).toContain('halve the state to 8 bytes');
    const [cnnBytes] = numbers(/chapter-05 CNN in fp32: ([\d,]+) bytes/);
    expect(cnnBytes).toBe(4 * 167_562);
    expect(cnnBytes).toBeLessThan(1e6);
    expect(prose).toContain('16 bytes as well');
    expect(prose).toContain('less than a megabyte');
  });
});

describe('chapter 01: this machine (§5)', () => {
  it("the CNN's FLOPs per image: 8,081,408 forward (hand count), 3× for training", () => {
    // conv1 2·30·30·27·32 + conv2 2·13·13·288·64 + dense 2·2304·64 + 2·64·10.
    const byHand = 2 * 30 * 30 * 27 * 32 + 2 * 13 * 13 * 288 * 64 + 2 * 2304 * 64 + 2 * 64 * 10;
    expect(numbers(/CNN forward pass: ([\d,]+) FLOPs per image; a training step ≈ 3× = ([\d,]+)/)).toEqual([byHand, 3 * byHand]);
  });
  it('achieved GFLOP/s = images/s × FLOPs per image, below the matrix-product rate; an A100 is "thousands of times" faster', () => {
    const [matMul] = numbers(/matrix product \d+×\d+ on \w+: ([\d.]+) GFLOP\/s/);
    const [imagesPerSecond, flopsPerImage, achieved, pct] = numbers(/training: (\d+) images\/s × ([\d,]+) FLOPs = ([\d.]+) GFLOP\/s achieved, (\d+)% of the matrix-product rate/);
    expect(matMul).toBeGreaterThan(0);
    expect(imagesPerSecond).toBeGreaterThan(0);
    expect(achieved).toBeCloseTo((imagesPerSecond * flopsPerImage) / 1e9, 0);
    expect(pct).toBeCloseTo((100 * achieved) / matMul, -1);
    expect(pct).toBeLessThan(100); // "keep a real training run below the rate of one large matrix product"
    const [times] = numbers(/an A100's bf16 peak is (\d+)× this machine's matrix-product rate/);
    expect(times).toBeGreaterThan(1000);
    expect(times / (312e3 / matMul)).toBeCloseTo(1, 1);
    expect(prose).toContain('below the rate of one large matrix\nproduct');
    expect(prose).toContain('thousands of times higher');
  });
});

describe('chapter 01: model sizes over time (§6)', () => {
  it('"doubled roughly every eight to nine months" from AlexNet (60M, 2012) to GPT-3 (175B, 2020)', () => {
    const [, , growth, months] = numbers(/AlexNet \((\d+)\) → GPT-3 \((\d+)\): (\d+)× the parameters, doubling every ([\d.]+) months/);
    expect(growth).toBe(Math.round(175e9 / 60e6));
    expect(months).toBeCloseTo((96 * Math.LN2) / Math.log(175e9 / 60e6), 1);
    expect(months).toBeGreaterThanOrEqual(8);
    expect(months).toBeLessThan(9);
    expect(prose).toContain('every eight to nine\nmonths');
  });
  it('"Since the Transformer (2017), the largest model of each year on the chart is a language model"', () => {
    const line = /largest per year: (.*)/.exec(stdout)![1];
    const entries = line.split(', ').map((e) => /^(\d+) (.*) \((\w+)\)$/.exec(e)!);
    for (const [, year, , domain] of entries) if (Number(year) >= 2017) expect(domain, year).toBe('language');
    expect(entries.find((e) => e[1] === '2017')![2]).toMatch(/^Transformer/);
    expect(prose).toContain('Since the Transformer\n(2017), the largest model of each year on the chart is a language model');
  });
  it('corrects the source: GPT-3 and BERT are Transformers, not VAEs or GANs', () => {
    expect(prose).toMatch(/GPT-3 and BERT, the two models it names, are neither: both\nare \*\*Transformers\*\* \(Vaswani et al\. 2017/);
  });
});

describe('chapter 01: exercises (course/exercises.md)', () => {
  const nb = JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as unknown;
  gradedExerciseTests(NOTEBOOK, ['ex01-gpt-parameters', 'ex01-conv-flops', 'ex01-gpus-to-train'], () => stdout, { studentTypeCheck: false });

  it('the student version (scripts/course.cjs) runs up to the first unsolved exercise and stops there', () => {
    const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as { studentNotebook(nb: unknown, name?: string): unknown };
    const student = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-student-')), '01-background.ipynb');
    fs.writeFileSync(student, JSON.stringify(course.studentNotebook(nb, '01-background.ipynb')));
    const module = path.join(ROOT, 'notebooks', '.01-background.student.module.js');
    try {
      const js = ts.transpileModule(notebookToTypeScript(student), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
      expect(js.outputText).not.toContain('12 * d * d + 13 * d'); // the first solution is gone
      fs.writeFileSync(module, js.outputText);
      const r = spawnSync(process.execPath, [module], { cwd: path.dirname(module), env: { ...process.env, COURSE_QUICK: '1' }, encoding: 'utf8', timeout: 300_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('not implemented: ex01-gpt-parameters');
      expect(r.stdout).toContain('doubling every'); // the lesson ran
      expect(r.stdout).not.toContain('all tests passed');
    } finally {
      fs.rmSync(path.dirname(student), { recursive: true, force: true });
      fs.rmSync(module, { force: true });
    }
  }, 300_000);
});
