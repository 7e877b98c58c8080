/**
 * `course build` then `course grade` on the course's own chapters (quick mode):
 * every chapter's instructor version gets full marks, the untouched student
 * version zero with "not done yet" for each exercise, a submission whose
 * exercise cells loop forever finishes with those exercises failed for timing
 * out, and known-wrong solutions (one per requirement an exercise states) fail
 * the visible tests alone, as learners see them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCourse } from '../helpers/grading';
import { CIFAR10_ARCHIVE, ROOT } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  metadata: { course?: { exercise: string; role: string; points: number } };
  source: string[] | string;
}
interface Notebook {
  cells: Cell[];
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-grade-chapters-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { COURSE_QUICK: '1', DL_COURSE_CIFAR10: CIFAR10_ARCHIVE };

function course(args: string[]) {
  return runCourse(args, tmp, env);
}

const BUILD = path.join(tmp, 'build');
const built = course(['build', '--out', BUILD]);
const INSTRUCTOR = path.join(BUILD, 'instructor');
const STUDENT = path.join(BUILD, 'student');
const files = fs.readdirSync(INSTRUCTOR).sort();
const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as Notebook;
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
/** Exercise ids of each chapter, from the build manifest. */
const manifest = JSON.parse(fs.readFileSync(path.join(BUILD, 'manifest.json'), 'utf8')) as { notebooks: { file: string; maxScore: number; exercises: { id: string; points: number }[] }[] };
const withExercises = manifest.notebooks.filter((n) => n.exercises.length > 0);

describe('course grade on the chapters (quick mode)', () => {
  it('the build succeeded', () => {
    expect(built.status, built.stderr).toBe(0);
    expect(withExercises.map((n) => n.file)).toEqual(expect.arrayContaining(['04-mlp-maths.ipynb', '05-cifar10-cnn.ipynb']));
    for (const n of withExercises.filter((x) => x.file >= '02')) expect(n.exercises.length, `${n.file}: at least two graded exercises`).toBeGreaterThanOrEqual(2);
  });

  it('every chapter: the instructor version gets full marks', () => {
    const r = course(['grade', INSTRUCTOR, '--instructor', INSTRUCTOR, '--json', '--jobs', '2', '--out', path.join(tmp, 'graded-instructor')]);
    expect(r.status, r.stderr).toBe(0);
    for (const s of r.json!.submissions!) {
      expect(s.score, `${s.relFile}: ${JSON.stringify(s.exercises.filter((e) => !e.passed))}`).toBe(s.maxScore);
      expect(s.maxScore).toBe(manifest.notebooks.find((n) => n.file === s.relFile)!.maxScore);
    }
    expect(r.json!.score).toBe(r.json!.maxScore);
    expect(r.json!.maxScore).toBe(withExercises.reduce((n, x) => n + x.maxScore, 0));
  }, 900_000);

  it('every chapter: the untouched student version gets zero, each exercise saying it is not done yet', () => {
    const r = course(['grade', STUDENT, '--instructor', INSTRUCTOR, '--json', '--jobs', '2', '--out', path.join(tmp, 'graded-student')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json!.score).toBe(0);
    for (const s of r.json!.submissions!) {
      for (const e of s.exercises) {
        expect(e.status, `${s.relFile} ${e.id}: ${e.message}`).toBe('not-done');
        expect(e.message).toContain(`not done yet: the solution cell still throws "not implemented: ${e.id}"`);
      }
    }
    const feedback = fs.readFileSync(path.join(tmp, 'graded-student', 'feedback', `04-mlp-maths-04.md`), 'utf8');
    expect(feedback).toContain('Score: **0 / ');
    expect(feedback).toContain('not done yet');
  }, 900_000);

  it('a submission whose exercise cells loop forever: finishes within a few minutes, those exercises failed for timing out', () => {
    const nb = read(path.join(INSTRUCTOR, '04-mlp-maths.ipynb'));
    for (const c of nb.cells.filter((x) => x.metadata.course?.role === 'solution')) {
      const [first, ...rest] = text(c).split('\n');
      c.source = [first, 'while (true) {}', ...rest].join('\n');
    }
    const dir = path.join(tmp, 'loop');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '04-mlp-maths.ipynb'), JSON.stringify(nb));
    const started = Date.now();
    const r = course(['grade', path.join(dir, '04-mlp-maths.ipynb'), '--instructor', INSTRUCTOR, '--json', '--timeout', '10']);
    expect(r.status, r.stderr).toBe(0);
    const result = r.json!;
    expect(result.score).toBe(0);
    for (const e of result.exercises) expect(e.status, e.id).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(180_000);
  }, 300_000);
});

/** Wrong solutions, each breaking one requirement the exercise states (whole cell after its first line). */
const WRONG: Record<string, string[]> = {
  'ex04-sigmoid-derivative': [
    // NaN at z = −1000 (∞/∞)
    'function sigmoidDerivativeOf(z: number): number {\n  const e = Math.exp(-z);\n  return e / (1 + e) ** 2;\n}',
    // float32 (TF.js): not exact to 1e-12
    'function sigmoidDerivativeOf(z: number): number {\n  return dl.sigmoidDerivative(tf.tensor1d([z])).dataSync()[0];\n}',
  ],
  'ex04-dense-backward': [
    // dX without the transpose
    'function myDenseBackward(dZ: tf.Tensor2D, X: tf.Tensor2D, W: tf.Tensor2D): { dX: tf.Tensor2D; dW: tf.Tensor2D; db: tf.Tensor1D } {\n  return { dX: tf.matMul(dZ, W), dW: tf.matMul(X, dZ, true, false), db: tf.sum(dZ, 0) as tf.Tensor1D };\n}',
    // db of shape [1, out]
    'function myDenseBackward(dZ: tf.Tensor2D, X: tf.Tensor2D, W: tf.Tensor2D): { dX: tf.Tensor2D; dW: tf.Tensor2D; db: tf.Tensor1D } {\n  return { dX: tf.matMul(dZ, W, false, true), dW: tf.matMul(X, dZ, true, false), db: tf.sum(dZ, 0, true) as unknown as tf.Tensor1D };\n}',
  ],
  'ex04-adam-step': [
    // ε inside the square root
    'interface AdamState {\n  theta: number;\n  m: number;\n  v: number;\n}\nfunction adamStep(state: AdamState, g: number, t: number, lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): AdamState {\n  const m = beta1 * state.m + (1 - beta1) * g;\n  const v = beta2 * state.v + (1 - beta2) * g * g;\n  return { theta: state.theta - (lr * m / (1 - beta1 ** t)) / Math.sqrt(v / (1 - beta2 ** t) + epsilon), m, v };\n}',
    // no bias correction
    'interface AdamState {\n  theta: number;\n  m: number;\n  v: number;\n}\nfunction adamStep(state: AdamState, g: number, t: number, lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): AdamState {\n  const m = beta1 * state.m + (1 - beta1) * g;\n  const v = beta2 * state.v + (1 - beta2) * g * g;\n  return { theta: state.theta - (lr * m) / (Math.sqrt(v) + epsilon), m, v };\n}',
  ],
  'ex04-log-sum-exp': [
    // overflows at 1000
    'function logSumExp(zs: number[]): number {\n  return Math.log(zs.reduce((s, z) => s + Math.exp(z), 0));\n}',
    // right only when all values are equal
    'function logSumExp(zs: number[]): number {\n  return Math.max(...zs) + Math.log(zs.length);\n}',
  ],
  'ex05-conv-output-shape': [
    // ignores padding
    "function conv2dShapeAndParams(input: [number, number, number], kernelSize: number, filters: number, strides = 1, padding: 'valid' | 'same' = 'valid'): { shape: [number, number, number]; params: number } {\n  const n = (x: number) => Math.floor((x - kernelSize) / strides) + 1;\n  return { shape: [n(input[0]), n(input[1]), filters], params: kernelSize * kernelSize * input[2] * filters + filters };\n}",
    // no biases
    "function conv2dShapeAndParams(input: [number, number, number], kernelSize: number, filters: number, strides = 1, padding: 'valid' | 'same' = 'valid'): { shape: [number, number, number]; params: number } {\n  const n = (x: number) => (padding === 'same' ? Math.ceil(x / strides) : Math.floor((x - kernelSize) / strides) + 1);\n  return { shape: [n(input[0]), n(input[1]), filters], params: kernelSize * kernelSize * input[2] * filters };\n}",
  ],
  'ex05-conv2d-forward': [
    // flips the kernel (the mathematicians' convolution)
    'function myConv2d(image: number[][][], kernel: number[][][][]): number[][][] {\n  const kh = kernel.length, kw = kernel[0].length, inC = kernel[0][0].length, outC = kernel[0][0][0].length;\n  const out: number[][][] = [];\n  for (let i = 0; i + kh <= image.length; i++) {\n    out.push([]);\n    for (let j = 0; j + kw <= image[0].length; j++) {\n      const p = new Array<number>(outC).fill(0);\n      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let c = 0; c < inC; c++) for (let o = 0; o < outC; o++) p[o] += image[i + a][j + b][c] * kernel[kh - 1 - a][kw - 1 - b][c][o];\n      out[i].push(p);\n    }\n  }\n  return out;\n}',
    // one output channel only
    'function myConv2d(image: number[][][], kernel: number[][][][]): number[][][] {\n  const kh = kernel.length, kw = kernel[0].length, inC = kernel[0][0].length;\n  const out: number[][][] = [];\n  for (let i = 0; i + kh <= image.length; i++) {\n    out.push([]);\n    for (let j = 0; j + kw <= image[0].length; j++) {\n      let s = 0;\n      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let c = 0; c < inC; c++) s += image[i + a][j + b][c] * kernel[a][b][c][0];\n      out[i].push([s]);\n    }\n  }\n  return out;\n}',
  ],
  'ex05-maxpool-backward': [
    // spreads the gradient over the window (average pooling)
    'function maxPoolBackward(x: number[][], dY: number[][]): number[][] {\n  return x.map((row, r) => row.map((_, c) => dY[Math.floor(r / 2)][Math.floor(c / 2)] / 4));\n}',
    // the pooled shape instead of the input shape
    'function maxPoolBackward(x: number[][], dY: number[][]): number[][] {\n  return dY.map((row) => row.slice());\n}',
  ],
};

describe('the visible tests catch solutions that break a stated requirement', () => {
  it('every wrong solution fails the visible tests (the student build as the instructor side)', () => {
    // The student build's test cells hold only the visible tests; grade against a copy (no manifest beside it).
    const visible = path.join(tmp, 'visible-only');
    fs.cpSync(STUDENT, visible, { recursive: true });
    const folder = path.join(tmp, 'wrong');
    const expectedFails: Array<[string, string]> = [];
    for (const variant of [0, 1]) {
      for (const file of ['04-mlp-maths.ipynb', '05-cifar10-cnn.ipynb']) {
        const nb = read(path.join(STUDENT, file));
        for (const c of nb.cells.filter((x) => x.metadata.course?.role === 'solution')) {
          const id = c.metadata.course!.exercise;
          if (!WRONG[id]) continue;
          c.source = `${text(c).split('\n')[0]}\n${WRONG[id][variant]}\n`;
          expectedFails.push([`wrong${variant}`, id]);
        }
        fs.mkdirSync(path.join(folder, `wrong${variant}`), { recursive: true });
        fs.writeFileSync(path.join(folder, `wrong${variant}`, file), JSON.stringify(nb));
      }
    }
    const r = course(['grade', folder, '--instructor', visible, '--json', '--jobs', '2', '--out', path.join(tmp, 'graded-wrong')]);
    expect(r.status, r.stderr).toBe(0);
    const results = r.json!.submissions!.flatMap((s) => s.exercises.map((e) => ({ student: s.student, ...e })));
    for (const [student, id] of expectedFails) {
      const e = results.find((x) => x.student === student && x.id === id)!;
      expect(e, `${student} ${id}`).toBeDefined();
      expect(e.passed, `${student} ${id}: wrong solution ${student.slice(-1)} passed the visible tests`).toBe(false);
      expect(['failed', 'error']).toContain(e.status);
    }
    // Every exercise of chapters 04 and 05 has its wrong solutions.
    for (const n of withExercises.filter((x) => ['04-mlp-maths.ipynb', '05-cifar10-cnn.ipynb'].includes(x.file))) for (const e of n.exercises) expect(WRONG[e.id], e.id).toHaveLength(2);
  }, 900_000);
});
