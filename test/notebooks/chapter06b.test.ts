/**
 * Chapter 06b (notebooks/06b-own-images.ipynb): what its prose states is what
 * its code computes, and its quick-mode runs (the shared module and kernel
 * runs of test/helpers/notebook.ts, also checked by notebooks.test.ts) show
 * every sample image with its top 3 classes and name every bad file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAPTER06B_CONFIG, CIFAR10_CLASSES, IMAGE_LIMITS, SAMPLE_IMAGES } from '../../lib';
import { expectGradedExercises, expectStudentVersion } from '../helpers/grading';
import { ROOT, notebookKernelRun, notebookModuleRun } from '../helpers/notebook';

const NOTEBOOK = path.join(ROOT, 'notebooks', '06b-own-images.ipynb');
interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string[];
  outputs?: Output[];
}
const cells = (JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: Cell[] }).cells;
const text = (c: Cell) => c.source.join('');
const prose = cells.filter((c) => c.cell_type === 'markdown').map(text).join('\n').replace(/\s+/g, ' ');
const SAMPLES = SAMPLE_IMAGES.map((s) => s.file);
const BAD_FILES = ['empty.jpg', 'half-airplane.png', 'half-ship.jpg', 'notes.png', 'too-wide.png'];

// Kernel runs need Jupyter; in CI a missing Jupyter is a failure, not a skip (as in notebooks.test.ts).
const haveJupyter =
  spawnSync('/usr/bin/python3', ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' }).status === 0 &&
  fs.existsSync(path.join(ROOT, '.jupyter', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'));
const skipKernel = !haveJupyter && process.env.CI !== 'true' && process.env.REQUIRE_JUPYTER !== '1';

/** Checks one "file: class p% | class p% | class p%" (or ", "-separated) line: three CIFAR-10 classes, probabilities falling. */
function checkTop3(line: string, separator: string): void {
  const parts = line.slice(line.indexOf(': ') + 2).split(separator);
  expect(parts, line).toHaveLength(3);
  const probabilities = parts.map((p) => {
    const [name, pct] = p.split(' ');
    expect(CIFAR10_CLASSES, line).toContain(name);
    return Number(pct.replace('%', ''));
  });
  expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.05);
}

describe('chapter 06b: the prose against the code', () => {
  it('states the size limits that dl.IMAGE_LIMITS enforces', () => {
    expect(IMAGE_LIMITS).toEqual({ maxSide: 16_384, maxPixels: 100_000_000 });
    expect(prose).toContain('refuses more than 16,384 pixels a side or 100 megapixels');
    expect(prose).toContain('at most 16,384 pixels a side and 100 megapixels here');
  });
  it("states the fallback model's training as CHAPTER06B_CONFIG has it", () => {
    const { full, quick } = CHAPTER06B_CONFIG;
    expect(prose).toContain(`(${full.epochs} epochs on ${full.trainSize!.toLocaleString('en-US')} CIFAR-10 images; one epoch on ${quick.trainSize!.toLocaleString('en-US')} in quick mode)`);
    expect(quick.epochs).toBe(1);
  });
  it('draws four sample images, one of each kind, as the prose says', () => {
    expect(SAMPLES).toEqual(['airplane.png', 'car-grey16.png', 'ship.jpg', 'truck-transparent.png']);
    expect(prose).toContain("The course's four sample images are drawn by code");
  });
  it('has two graded exercises, each a solution cell then a test cell with course and nbgrader metadata', () => {
    expectGradedExercises(NOTEBOOK, ['ex06b-halve/solution', 'ex06b-halve/tests', 'ex06b-over/solution', 'ex06b-over/tests']);
  });
  it('builds a student version (npm run course) without the solutions or hidden tests, that type-checks strictly', () => {
    expectStudentVersion(NOTEBOOK, 'ex06b-halve', 'against dl.compositeOver'); // a hidden test
  }, 120_000);
});

describe('chapter 06b: the quick-mode run as a module', () => {
  it('loads a saved model or trains one, says which, and computes what the prose states', () => {
    const r = notebookModuleRun(NOTEBOOK);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    console.log(`06b module run: ${r.seconds.toFixed(1)} s`);
    expect(r.stdout).toMatch(/^model: (loaded from .+|trained now; test accuracy [\d.]+% on 200 test images \(chance: 10%\); saved to .+model-quick)$/m);
    expect(r.stdout).toContain('input [batch, 32, 32, 3], 167,562 parameters');
    // §2: the table of samples (format, size, alpha, grey), and the compositing formula's 204.
    expect(r.stdout).toContain('car-grey16.png: png 144×96, 1452 bytes, alpha false, grey true');
    expect(r.stdout).toContain('ship.jpg: jpeg 200×120');
    expect(r.stdout).toContain('truck-transparent.png: png 128×96, 1337 bytes, alpha true, grey false');
    expect(r.stdout).toContain('black at alpha 51 over white: 204, 204, 204');
    // §3 and the summary: "one-pixel stripes become mid-grey (128), where nearest neighbour shows a black square (0)".
    expect(prose).toContain('one-pixel stripes become mid-grey (128), where nearest neighbour shows a black square (0)');
    expect(r.stdout).toContain('one-pixel stripes shrunk 8×: area averaging gives the values {128}, nearest neighbour {0}');
    // §4: each sample with its top 3.
    for (const f of SAMPLES) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${f}: `) && /% \| /.test(l)); // the card, not the table row or the compositing demo
      expect(line, f).toBeDefined();
      checkTop3(line!, ' | ');
    }
    // §5: the folder: the four samples classified, the five bad files named, with a progress report.
    expect(prose).toContain('five bad files');
    expect(r.stdout).toContain('4 classified, 5 refused');
    for (const bad of BAD_FILES) expect(r.stdout).toMatch(new RegExp(`^${bad.replace('.', '\\.')}: readImageFile: "runs/06b-own-images/mixed/${bad.replace('.', '\\.')}" `, 'm'));
    expect(r.stdout).toContain('too-wide.png" is 20000×120 pixels: its longer side is over the limit of 16,384 pixels');
    expect(r.stderr).toMatch(/classify runs\/06b-own-images\/mixed: 100% \(9 of 9 images, /);
    expect(r.stdout).toContain('ex06b-halve: all tests passed');
    expect(r.stdout).toContain('ex06b-over: all tests passed');
  });
});

describe('chapter 06b: the quick-mode run in a real tslab kernel', () => {
  it.skipIf(skipKernel)('shows each sample image beside its top-3 bar chart, as HTML with the images inlined', () => {
    notebookModuleRun(NOTEBOOK); // first, as every test file does, so the two runs never overlap
    const r = notebookKernelRun(NOTEBOOK);
    expect(r.status, r.stderr).toBe(0);
    console.log(`06b kernel run: ${r.seconds.toFixed(1)} s`);
    const executed = (JSON.parse(fs.readFileSync(r.executed!, 'utf8')) as { cells: Cell[] }).cells;
    const outputs = executed.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const html = outputs.map((o) => (o.data ? String(([] as string[]).concat(o.data['text/html'] as string[] ?? []).join('')) : ''));
    for (const f of SAMPLES) {
      const card = html.find((h) => h.includes(`>${f}</div>`) && h.includes('what the model sees'));
      expect(card, f).toBeDefined();
      expect(card!.match(/data:image\/png;base64,/g)).toHaveLength(2); // the image and the 32×32 the model sees
      expect(card!.match(/<tr>/g)).toHaveLength(3); // three bars
    }
    const streams = outputs.map((o) => ([] as string[]).concat(o.text ?? []).join('')).join('');
    expect(streams).toContain('ex06b-over: all tests passed');
  });
});
