/**
 * Chapter 06c (notebooks/06c-voice-assistant.ipynb): the quick-mode runs (as
 * a module and in a real tslab kernel, each run once and shared with
 * notebooks.test.ts) print what the prose states, checked here against
 * independent sources: hand computations, the data set's index, the
 * generating script's constants, the confusion matrix the run printed. The
 * full lesson (a few minutes of training) runs only with DLC_FULL_LESSON=1;
 * it checks the test accuracy the summary states.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTER06C_CONFIG, buildKeywordCnn, frameCount, type KeywordIndex } from '../../lib';
import { expectGradedExercises, expectStudentVersion } from '../helpers/grading';
import { ROOT, notebookKernelRun, notebookModuleRun, writeNotebookModule } from '../helpers/notebook';

const NOTEBOOK = path.join(ROOT, 'notebooks', '06c-voice-assistant.ipynb');
interface Cell {
  cell_type: string;
  source: string[];
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
}
const cells = (JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: Cell[] }).cells;
const text = (c: Cell) => c.source.join('');
const prose = cells.filter((c) => c.cell_type === 'markdown').map(text).join('\n').replace(/\s+/g, ' ');
const summary = text(cells.find((c) => c.cell_type === 'markdown' && text(c).startsWith('## Summary'))!).replace(/\s+/g, ' ');
const index = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'keywords', 'index.json'), 'utf8')) as KeywordIndex;
const script = createRequire(__filename)(path.join(ROOT, 'scripts', 'make-keywords.cjs')) as { ACCENTS: string[]; VARIANTS: Record<string, string[]>; KEYWORDS: string[]; UNKNOWN_WORDS: string[] };
const full = CHAPTER06C_CONFIG.full;

/** The test accuracy (0–1), clip count and confusion matrix a run printed. */
function testResult(stdout: string): { accuracy: number; n: number; confusion: number[][] } {
  const m = /test accuracy on held-out voices: ([\d.]+)% of (\d+) clips/.exec(stdout);
  const c = /confusion \(rows true, columns predicted\): (\[.*\])/.exec(stdout);
  expect(m, 'the test accuracy line').not.toBeNull();
  expect(c, 'the confusion line').not.toBeNull();
  return { accuracy: Number(m![1]) / 100, n: Number(m![2]), confusion: JSON.parse(c![1]) as number[][] };
}

/** What every run (quick or full) must print, whatever the training reached. */
function checkRun(stdout: string, perClass: number | null): void {
  const count = (split: string) => index.items.filter((it) => it.split === split).length;
  const expected = perClass === null ? [count('train'), count('validation'), count('test')] : [12 * perClass, 12 * perClass, 12 * perClass];
  const lines = ['training', 'validation', 'test'].map((s) => new RegExp(`^${s}: (\\d+) clips, (\\d+) voices$`, 'm').exec(stdout));
  expect(lines.map((l) => Number(l?.[1]))).toEqual(expected);
  lines.forEach((l, i) => expect(Number(l?.[2])).toBeLessThanOrEqual(Object.values(script.VARIANTS)[i].length));
  expect(stdout).toContain('test voices heard in training: 0');
  expect(stdout).toContain(`made by espeak-ng ${index.espeakNg}`);
  // §2: the tiny frame by hand (X = 2, −1, 0) and the 1 kHz tone (bin 1000 · 512 / 16000 = 32).
  expect(stdout).toContain('Hann window of 4: 0, 0.5, 1, 0.5');
  expect(stdout).toContain('tiny frame: powers by hand 4, 1, 0; by powerSpectrogram 4, 1, 0');
  expect(stdout).toContain(`1 kHz tone: ${frameCount(16000, 480, 320)} frames (49 by the formula) of 257 bins; peak in bin ${(1000 * 512) / 16000} = 1000 Hz`);
  expect(stdout).toContain(`mel(1000 Hz) = ${(2595 * Math.log10(1 + 1000 / 700)).toFixed(1)}`);
  expect(stdout).toContain('keyword CNN: 169,484 parameters');
  // §5: the stated accuracy is the confusion matrix's diagonal over its total, and its rows are the test clips of each class.
  const { accuracy, n, confusion } = testResult(stdout);
  expect(n).toBe(expected[2]);
  const diagonal = confusion.reduce((s, row, i) => s + row[i], 0);
  expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(n);
  expect(Math.abs(accuracy - diagonal / n)).toBeLessThanOrEqual(0.0005);
  expect(stdout).toMatch(/accuracy per held-out voice: (\w+ \d+%(, )?)+/);
  // §6: two clips recognised and answered, spoken where espeak-ng is installed.
  expect(stdout.match(/→ answer: "/g)?.length).toBe(2);
  const espeak = spawnSync('espeak-ng', ['--version']).status === 0;
  if (espeak) expect(stdout).toMatch(/the assistant answers: "[^"]+" \([\d.]+ s at 22050 Hz\)/);
  else expect(stdout).toContain('(not spoken: espeak-ng is not installed');
  expect(stdout).toMatch(/training took [\d.]+ minutes on this machine/);
  expect(stdout).toContain('ex06c-mel: all tests passed');
  expect(stdout).toContain('ex06c-snr: all tests passed');
}

describe('chapter 06c: the quick-mode runs', () => {
  it('as a module: prints what the prose states, and an accuracy the confusion matrix confirms', () => {
    const r = notebookModuleRun(NOTEBOOK);
    expect(r.status, r.stderr).toBe(0);
    checkRun(r.stdout, CHAPTER06C_CONFIG.quick.perClass);
    console.log(`06c module run: ${r.seconds.toFixed(1)} s`);
  });
  it('in a real tslab kernel: audio players, charts and no error output', () => {
    const r = notebookKernelRun(NOTEBOOK);
    expect(r.status, r.stderr).toBe(0);
    const executed = JSON.parse(fs.readFileSync(r.executed!, 'utf8')) as { cells: { outputs?: { output_type: string; data?: Record<string, unknown>; text?: string | string[] }[] }[] };
    const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const html = outputs.map((o) => String(o.data?.['text/html'] ?? '')).join('\n');
    expect(html.match(/<audio controls/g)?.length).toBeGreaterThanOrEqual(4); // two data clips, two user clips (+ two answers with espeak-ng)
    expect(html).toContain('data:audio/wav;base64,');
    const stdout = outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('');
    expect(stdout).toContain('tiny frame: powers by hand 4, 1, 0; by powerSpectrogram 4, 1, 0');
    expect(stdout).toContain('ex06c-snr: all tests passed');
    // Saved with its outputs (audio as data URLs, figures), it stays small.
    const bytes = fs.statSync(r.executed!).size;
    expect(bytes).toBeLessThan(1_000_000);
    console.log(`06c kernel run: ${r.seconds.toFixed(1)} s; saved notebook ${(bytes / 1024).toFixed(0)} KB`);
  });
});

describe('chapter 06c: the prose against the code', () => {
  it('states the data set as the script makes it', () => {
    expect(prose).toContain(`in ${script.ACCENTS.length} English accents and ${Object.values(script.VARIANTS).flat().length} voice variants`);
    expect(prose).toContain(`the ${script.VARIANTS.train.length} variants that speak in training never speak in validation (${script.VARIANTS.validation.length} variants) or test (${script.VARIANTS.test.length} variants)`);
    expect(prose).toContain(`plus ${['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'][script.UNKNOWN_WORDS.length]} other words`);
    expect(script.KEYWORDS.join(', ')).toBe('yes, no, up, down, left, right, on, off, stop, go');
    const snr = index.items.filter((it) => it.snrDb !== undefined).map((it) => it.snrDb!);
    expect(Math.min(...snr)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...snr)).toBeLessThanOrEqual(30);
    expect(prose).toContain('(5–30 dB)');
    const mb = fs.readdirSync(path.join(ROOT, 'data', 'keywords', 'clips')).reduce((s, f) => s + fs.statSync(path.join(ROOT, 'data', 'keywords', 'clips', f)).size, 0) / 1e6;
    expect(Math.abs(mb - 5)).toBeLessThan(1); // "about 5 MB"
  });
  it('states the features and the model as the config builds them', () => {
    expect([full.features.frameLength, full.features.hop, full.features.fftSize, full.features.numMels]).toEqual([480, 320, 512, 40]);
    expect(prose).toContain('$L = 480$ samples, 30 ms');
    expect(prose).toContain('$\\text{hop} = 320$ samples, 20 ms');
    expect(frameCount(16000, 480, 320)).toBe(49);
    expect(summary).toContain('49 frames of 257 bins');
    expect(summary).toContain(`chapter-05 CNN (${buildKeywordCnn({ numFrames: 49, numMels: 40, numClasses: 12 }).countParams().toLocaleString('en-US')} parameters)`);
    expect(summary).toContain(`against ${(100 / 12).toFixed(1)}% for chance`);
  });
  it('has two graded exercises, each a solution cell then a test cell with course and nbgrader metadata', () => {
    expectGradedExercises(NOTEBOOK, ['ex06c-mel/solution', 'ex06c-mel/tests', 'ex06c-snr/solution', 'ex06c-snr/tests']);
  });
  it('builds a student version (npm run course) without the solutions or hidden tests, that type-checks strictly', () => {
    expectStudentVersion(NOTEBOOK, 'ex06c-mel', 'dl.melToHz(dl.hzToMel(2 * f) / 2)');
  }, 120_000);

  it.skipIf(process.env.DLC_FULL_LESSON !== '1')(
    'full lesson (DLC_FULL_LESSON=1): the test accuracy on held-out voices the summary states is what the notebook computes, within 6 points',
    () => {
      const file = writeNotebookModule(NOTEBOOK);
      try {
        const env: NodeJS.ProcessEnv = { ...process.env };
        delete env.COURSE_QUICK;
        const r = spawnSync(process.execPath, [file], { cwd: path.dirname(NOTEBOOK), env, encoding: 'utf8', timeout: 3_600_000 });
        expect(r.status, r.stderr).toBe(0);
        checkRun(r.stdout, null);
        const stated = Number(/test accuracy on held-out voices ([\d.]+)%/.exec(summary)?.[1]) / 100;
        expect(Math.abs(testResult(r.stdout).accuracy - stated)).toBeLessThanOrEqual(0.06); // another seed or backend moves it by a few points
        const minutes = Number(/training took ([\d.]+) minutes/.exec(r.stdout)?.[1]);
        expect(minutes).toBeLessThan(15); // "a few minutes" on 2 cores
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    3_600_000,
  );
});
