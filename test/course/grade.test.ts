/**
 * `npm run course -- grade` (scripts/grade.cjs) on a small instructor notebook
 * made here (the grader is generic: any notebook with the markup of
 * course/exercises.md), so that each case runs in a fraction of a second:
 * good, partial and untouched submissions, every malformed and hostile case of
 * issue 13 (each graded alongside the others, which still get their points),
 * and a folder of 30 mixed submissions with its gradebook and feedback.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExerciseResult, type GradeResult, runCourse } from '../helpers/grading';
import { ROOT } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  id: string;
  metadata: Record<string, unknown> & { course?: { exercise: string; role: string; points: number } };
  source: string[];
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}
const grader = createRequire(__filename)(path.join(ROOT, 'scripts', 'grade.cjs')) as { sandboxPrefix(): { unshare: boolean; prlimit: boolean } };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-grade-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const lines = (s: string) => s.split(/(?<=\n)/);
let cellCounter = 0;
function code(source: string, course?: { exercise: string; role: 'solution' | 'tests'; points: number }): Cell {
  const metadata: Cell['metadata'] = {};
  if (course) {
    metadata.course = course;
    metadata.nbgrader =
      course.role === 'solution'
        ? { grade: false, grade_id: course.exercise, locked: false, schema_version: 3, solution: true, task: false }
        : { grade: true, grade_id: `${course.exercise}-tests`, locked: true, points: course.points, schema_version: 3, solution: false, task: false };
  }
  return { cell_type: 'code', id: `t-${cellCounter++}`, metadata, source: lines(source), outputs: [], execution_count: null };
}
const markdown = (source: string): Cell => ({ cell_type: 'markdown', id: `t-${cellCounter++}`, metadata: {}, source: lines(source) });
const notebook = (cells: Cell[]): Notebook => ({ cells, metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } }, nbformat: 4, nbformat_minor: 5 });

// The solutions, as a learner would write them (the cell between its first line and the end).
const SOLUTION = {
  square: 'function square(x: number): number {\n  // BEGIN SOLUTION\n  return x * x;\n  // END SOLUTION\n}\n',
  mean: 'function mean(xs: number[]): number {\n  // BEGIN SOLUTION\n  return xs.reduce((a, b) => a + b, 0) / xs.length;\n  // END SOLUTION\n}\n',
  clip: 'function clip(x: number, lo: number, hi: number): number {\n  // BEGIN SOLUTION\n  return Math.min(hi, Math.max(lo, x));\n  // END SOLUTION\n}\n',
};
const HEAD = { square: '// exercise: ex91-square, points: 2\n', mean: '// exercise: ex91-mean, points: 3\n', clip: '// exercise: ex91-clip, points: 1\n' };
const SECRET = 'hidden-check-7f3a'; // a string only the hidden tests hold

/** The toy chapter 91: a helper cell, three exercises (2 + 3 + 1 points). */
function toyChapter(): Notebook {
  return notebook([
    markdown('# Chapter 91: a toy chapter for the grader tests\n'),
    code(
      "const limit = 10;\n/** Throws when `actual` is not within `tolerance` of `expected`. */\nfunction expectClose(actual: number, expected: number, tolerance: number, what: string): void {\n  if (!(Math.abs(actual - expected) <= tolerance)) throw new Error(`${what}: expected ${expected} ± ${tolerance}, got ${actual}`);\n}\n",
    ),
    code(HEAD.square + SOLUTION.square, { exercise: 'ex91-square', role: 'solution', points: 2 }),
    code(`// exercise: ex91-square, points: 2 (tests)\nexpectClose(square(3), 9, 0, 'square(3)');\n// BEGIN HIDDEN TESTS\nexpectClose(square(-2), 4, 0, '${SECRET} square(-2)');\n// END HIDDEN TESTS\nconsole.log('ex91-square: all tests passed');\n`, { exercise: 'ex91-square', role: 'tests', points: 2 }),
    code(HEAD.mean + SOLUTION.mean, { exercise: 'ex91-mean', role: 'solution', points: 3 }),
    code("// exercise: ex91-mean, points: 3 (tests)\nexpectClose(mean([1, 2, 3]), 2, 1e-12, 'mean([1, 2, 3])');\n// BEGIN HIDDEN TESTS\nexpectClose(mean([5]), 5, 1e-12, 'mean([5])');\nexpectClose(mean([-1, 1, 3, 5]), 2, 1e-12, 'mean([-1, 1, 3, 5])');\n// END HIDDEN TESTS\n", { exercise: 'ex91-mean', role: 'tests', points: 3 }),
    code(HEAD.clip + SOLUTION.clip, { exercise: 'ex91-clip', role: 'solution', points: 1 }),
    code("// exercise: ex91-clip, points: 1 (tests)\nexpectClose(clip(12, 0, limit), 10, 0, 'clip(12, 0, 10)');\n// BEGIN HIDDEN TESTS\nexpectClose(clip(-3, 0, limit), 0, 0, 'clip(-3, 0, 10)');\nexpectClose(clip(4, 0, limit), 4, 0, 'clip(4, 0, 10)');\n// END HIDDEN TESTS\n", { exercise: 'ex91-clip', role: 'tests', points: 1 }),
  ]);
}

/** Another toy chapter (92), for "a notebook of another chapter". */
function otherChapter(): Notebook {
  return notebook([
    code('// exercise: ex92-twice, points: 1\nfunction twice(x: number): number {\n  // BEGIN SOLUTION\n  return 2 * x;\n  // END SOLUTION\n}\n', { exercise: 'ex92-twice', role: 'solution', points: 1 }),
    code("// exercise: ex92-twice, points: 1 (tests)\nif (twice(2) !== 4) throw new Error('twice(2)');\n// BEGIN HIDDEN TESTS\nif (twice(0) !== 0) throw new Error('twice(0)');\n// END HIDDEN TESTS\n", { exercise: 'ex92-twice', role: 'tests', points: 1 }),
  ]);
}

const BUILD = path.join(tmp, 'build');
const INSTRUCTOR = path.join(BUILD, 'instructor');
const FILE = '91-toy.ipynb';
let student: Notebook;

/** The student notebook with some solution cells replaced (whole cell source after the first line). */
function submission(replace: Partial<Record<'square' | 'mean' | 'clip', string>>, edit?: (nb: Notebook) => void): Notebook {
  const nb = JSON.parse(JSON.stringify(student)) as Notebook;
  for (const [name, body] of Object.entries(replace)) {
    const cell = nb.cells.find((c) => c.metadata.course?.exercise === `ex91-${name}` && c.metadata.course.role === 'solution')!;
    cell.source = lines(HEAD[name as keyof typeof HEAD] + body);
  }
  if (edit) edit(nb);
  return nb;
}
const solved = () => ({ square: SOLUTION.square, mean: SOLUTION.mean, clip: SOLUTION.clip });

function write(dir: string, name: string, content: Notebook | string): string {
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content, null, 1));
  return f;
}

function course(args: string[], env: Record<string, string> = {}) {
  return runCourse(args, tmp, env);
}

/** Grades one notebook against the toy build; the result object. */
function gradeOne(nb: Notebook | string, extra: string[] = [], env: Record<string, string> = {}): GradeResult {
  const dir = fs.mkdtempSync(path.join(tmp, 'one-'));
  const f = write(dir, FILE, nb);
  const r = course(['grade', f, '--instructor', INSTRUCTOR, '--json', '--timeout', '20', ...extra], env);
  expect(r.status, r.stderr).toBe(0);
  expect(r.json, r.stdout).toBeDefined();
  return r.json!;
}
const byId = (r: { exercises: ExerciseResult[] }) => Object.fromEntries(r.exercises.map((e) => [e.id.replace('ex91-', ''), e]));

// A local HTTP server that counts requests: code in the sandbox must not reach it.
let hits = 0;
let server: http.Server;
let port = 0;

beforeAll(async () => {
  fs.mkdirSync(path.join(tmp, 'src'));
  write(path.join(tmp, 'src'), FILE, toyChapter());
  write(path.join(tmp, 'src'), '92-other.ipynb', otherChapter());
  // Build through the course's builder (course.cjs exports build; notebooks come from a folder of ours).
  const c = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as {
    buildNotebooks(ch: { chapter: string; file: string; path: string }[]): { file: string; instructor: Notebook; student: Notebook }[];
    listChapters(dir: string): { chapter: string; file: string; path: string }[];
    manifestOf(built: unknown[]): unknown;
  };
  const built = c.buildNotebooks(c.listChapters(path.join(tmp, 'src')));
  for (const b of built) {
    write(path.join(BUILD, 'instructor'), b.file, b.instructor);
    write(path.join(BUILD, 'student'), b.file, b.student);
  }
  fs.writeFileSync(path.join(BUILD, 'manifest.json'), JSON.stringify(c.manifestOf(built)));
  student = built.find((b) => b.file === FILE)!.student;
  server = http.createServer((_, res) => {
    hits++;
    res.end('reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('course grade: one notebook', () => {
  it('the instructor version gets full marks, with --json as the last stdout line', () => {
    const r = gradeOne(JSON.parse(fs.readFileSync(path.join(INSTRUCTOR, FILE), 'utf8')) as Notebook);
    expect(r).toMatchObject({ score: 6, maxScore: 6, chapter: '91' });
    expect(r.exercises.map((e) => [e.id, e.points, e.passed])).toEqual([
      ['ex91-square', 2, true],
      ['ex91-mean', 3, true],
      ['ex91-clip', 1, true],
    ]);
  });

  it('the untouched student version gets zero, each exercise saying it is not done yet', () => {
    const r = gradeOne(student);
    expect(r.score).toBe(0);
    for (const e of r.exercises) expect(e.message).toMatch(new RegExp(`not done yet.*not implemented: ${e.id}`));
  });

  it('a partial submission gets the points of the exercises that pass; the failure says what was expected', () => {
    const r = gradeOne(submission({ square: SOLUTION.square, mean: 'function mean(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0) / (xs.length + 1);\n}\n', clip: SOLUTION.clip }));
    expect(r.score).toBe(3);
    expect(byId(r).mean).toMatchObject({ passed: false, status: 'failed' });
    expect(byId(r).mean.message).toContain('mean([1, 2, 3]): expected 2');
  });

  it('hidden tests count: a solution that passes only the visible tests loses the points', () => {
    const r = gradeOne(submission({ ...solved(), square: 'function square(x: number): number {\n  return x === 3 ? 9 : 0;\n}\n' }));
    expect(byId(r).square).toMatchObject({ passed: false, status: 'failed' });
    expect(r.score).toBe(4);
  });

  it('the command line: usage errors exit 2 naming the option', () => {
    for (const [args, says] of [
      [['grade'], 'PATH: missing'],
      [['grade', path.join(tmp, 'nope.ipynb')], 'does not exist'],
      [['grade', path.join(tmp, 'src'), '--timeout', '0'], '--timeout: expected a positive number'],
      [['grade', path.join(tmp, 'src'), '--instructor', path.join(tmp, 'none')], '--instructor:'],
      [['grade', path.join(tmp, 'src'), '--instructor', INSTRUCTOR, '--chapter', '77'], '--chapter: unknown chapter "77"'],
    ] as Array<[string[], string]>) {
      const r = course(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(says);
    }
  });

  it('refuses instructor notebooks whose tests no longer match the build manifest', () => {
    const dir = path.join(tmp, 'tampered');
    fs.cpSync(BUILD, dir, { recursive: true });
    const f = path.join(dir, 'instructor', FILE);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace("'mean([5])'", "'mean of five'"));
    const r = course(['grade', path.join(INSTRUCTOR, FILE), '--instructor', path.join(dir, 'instructor')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the tests of ex91-mean differ from');
  });
});

describe('course grade: malformed and hostile submissions are graded for what they are', () => {
  it('invalid JSON: zero, saying so', () => {
    const r = gradeOne('{"cells": [ this is not json');
    expect(r).toMatchObject({ score: 0, maxScore: 6, status: 'invalid' });
    expect(r.notes.join()).toContain('not a readable notebook');
  });

  it("a notebook of another chapter: zero, naming the chapter it is", () => {
    const r = gradeOne(JSON.parse(fs.readFileSync(path.join(INSTRUCTOR, '92-other.ipynb'), 'utf8')) as Notebook);
    expect(r).toMatchObject({ score: 0, status: 'wrong-chapter' });
    expect(r.notes.join()).toContain("this is chapter 92's notebook");
  });

  it('a deleted solution cell: that exercise is missing, the others are graded', () => {
    const r = gradeOne(submission(solved(), (nb) => (nb.cells = nb.cells.filter((c) => !(c.metadata.course?.exercise === 'ex91-mean' && c.metadata.course.role === 'solution')))));
    expect(byId(r).mean).toMatchObject({ status: 'missing', points: 0 });
    expect(byId(r).mean.message).toContain('no solution cell for ex91-mean');
    expect(r.score).toBe(3);
  });

  it('a renamed exercise cell (metadata and first line): missing, with a note naming the unknown id', () => {
    const r = gradeOne(
      submission(solved(), (nb) => {
        const c = nb.cells.find((x) => x.metadata.course?.exercise === 'ex91-clip' && x.metadata.course.role === 'solution')!;
        c.metadata.course = { exercise: 'ex91-clamp', role: 'solution', points: 1 };
        c.source[0] = '// exercise: ex91-clamp, points: 1\n';
      }),
    );
    expect(byId(r).clip.status).toBe('missing');
    expect(r.notes.join()).toContain('"ex91-clamp"');
    expect(r.score).toBe(5);
  });

  it('cells moved (solution cells in another order, metadata stripped from one): graded in place, noted', () => {
    const r = gradeOne(
      submission(solved(), (nb) => {
        const i = nb.cells.findIndex((x) => x.metadata.course?.exercise === 'ex91-clip' && x.metadata.course.role === 'solution');
        const [clip] = nb.cells.splice(i, 1);
        nb.cells.splice(1, 0, clip); // before everything, even the helper cell
        const sq = nb.cells.find((x) => x.metadata.course?.exercise === 'ex91-square' && x.metadata.course.role === 'solution')!;
        sq.metadata = {}; // found by its first line
      }),
    );
    expect(r.score).toBe(6);
    expect(r.notes.join()).toContain('moved');
  });

  it('a solution that throws when its cell runs: that exercise fails, the next ones still pass', () => {
    const r = gradeOne(submission({ ...solved(), square: `throw new Error('boom at load');\n${SOLUTION.square}` }));
    expect(byId(r).square).toMatchObject({ status: 'error', points: 0 });
    expect(byId(r).square.message).toContain('your solution cell threw when it ran: Error: boom at load');
    expect(r.score).toBe(4);
  });

  it('a syntax error (an unclosed brace that would swallow the tests): refused before running', () => {
    const r = gradeOne(submission({ ...solved(), mean: 'function mean(xs: number[]): number {\n  if (false) {\n    return 0;\n' }));
    expect(byId(r).mean).toMatchObject({ status: 'error', points: 0 });
    expect(byId(r).mean.message).toContain('syntax error in your solution cell');
    expect(r.score).toBe(3);
  });

  it('an endless loop: that exercise fails for timing out, the others pass', () => {
    const started = Date.now();
    const r = gradeOne(submission({ ...solved(), square: 'while (true) {}\n' + SOLUTION.square, clip: 'function clip(x: number, lo: number, hi: number): number {\n  for (;;) {}\n}\n' }), ['--timeout', '3']);
    expect(byId(r).square).toMatchObject({ status: 'timeout', points: 0 });
    expect(byId(r).clip).toMatchObject({ status: 'timeout', points: 0 });
    expect(byId(r).square.message).toContain('timed out');
    expect(byId(r).mean.passed).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a memory bomb: stopped at the memory limit, the others pass', () => {
    const bomb = 'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e6).fill(1));\n';
    const buffers = 'const blobs: Uint8Array[] = [];\nfor (let i = 0; i < 1000; i++) blobs.push(new Uint8Array(256 * 1024 * 1024).fill(1));\n';
    // Buffers live outside the JavaScript heap: only prlimit (Linux) stops them, so they are tried only where it is there.
    const withBuffers = grader.sandboxPrefix().prlimit;
    const r = gradeOne(submission({ ...solved(), square: bomb + SOLUTION.square, clip: (withBuffers ? buffers : bomb) + SOLUTION.clip }), ['--memory', '512']);
    expect(byId(r).square).toMatchObject({ status: 'memory', points: 0 });
    expect(byId(r).clip).toMatchObject({ points: 0 });
    expect(['memory', 'error']).toContain(byId(r).clip.status);
    expect(byId(r).clip.message).toMatch(/memory|allocation/i);
    expect(byId(r).mean.passed).toBe(true);
  });

  it('huge output: kept to a cap, and the solution still gets its points', () => {
    const noisy = "for (let i = 0; i < 200000; i++) console.log('noise '.repeat(20));\n";
    const r = gradeOne(submission({ ...solved(), mean: `${noisy}${SOLUTION.mean.replace('return', 'throw new Error("after noise"); return')}`, square: noisy + SOLUTION.square }));
    expect(byId(r).square.passed).toBe(true);
    expect(byId(r).mean.passed).toBe(false);
    expect(byId(r).mean.output!.length).toBeLessThan(70 * 1024); // 64 KB kept, then a line saying how much more came
    expect(byId(r).mean.output).toContain('noise noise');
  });

  it('reading the hidden tests (instructor folder, the repository through node_modules/dl-course): refused', () => {
    const paths = [path.join(INSTRUCTOR, FILE), path.join(ROOT, 'notebooks', '04-mlp-maths.ipynb'), path.join(ROOT, 'node_modules', 'dl-course', 'notebooks', '04-mlp-maths.ipynb'), path.join(BUILD, 'manifest.json')];
    const spy = `const fs = require('fs');\nfor (const p of ${JSON.stringify(paths)}) { const t = fs.readFileSync(p, 'utf8'); console.log(t); }\n`;
    const r = gradeOne(submission({ ...solved(), square: spy + SOLUTION.square }));
    expect(byId(r).square).toMatchObject({ status: 'error', points: 0 });
    expect(byId(r).square.message).toContain('the sandbox refused: FileSystemRead');
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(r.score).toBe(4);
  });

  it('writing outside its folder: refused, nothing written', () => {
    const target = path.join(tmp, 'written-by-student.txt');
    const r = gradeOne(submission({ ...solved(), mean: `require('fs').writeFileSync(${JSON.stringify(target)}, 'x');\n${SOLUTION.mean}` }));
    expect(byId(r).mean.message).toContain('the sandbox refused: FileSystemWrite');
    expect(fs.existsSync(target)).toBe(false);
    expect(r.score).toBe(3);
  });

  it('importing a refused module in the solution cell: the sandbox says so', () => {
    const r = gradeOne(submission({ ...solved(), clip: `import * as cp from 'child_process';\nconsole.log(cp);\n${SOLUTION.clip}` }));
    expect(byId(r).clip).toMatchObject({ status: 'error', points: 0 });
    expect(byId(r).clip.message).toContain("sandbox does not allow require('child_process')");
    expect(r.score).toBe(5);
  });

  it('spawning a process: refused, nothing run', () => {
    const target = path.join(tmp, 'spawned-by-student.txt');
    const attempts = [`require('child_process').execSync('touch ${target}');`, `(process as any).binding('spawn_sync');`, `new (require('worker_threads').Worker)('1');`];
    const r = gradeOne(submission({ square: `${attempts[0]}\n${SOLUTION.square}`, mean: `${attempts[1]}\n${SOLUTION.mean}`, clip: `${attempts[2]}\n${SOLUTION.clip}` }));
    expect(r.score).toBe(0);
    for (const e of r.exercises) expect(e.status).toBe('error');
    expect(byId(r).square.message).toMatch(/sandbox (refused|does not allow)/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('reaching the network: fails, and the server sees no request', async () => {
    const before = hits;
    const netCode = `await new Promise((resolve, reject) => { const req = require('node:http').get('http://127.0.0.1:${port}/', resolve); req.on('error', reject); });\n`;
    const fetchCode = `await fetch('http://127.0.0.1:${port}/');\n`;
    const r = gradeOne(submission({ ...solved(), square: netCode + SOLUTION.square, mean: fetchCode + SOLUTION.mean }));
    expect(byId(r).square.passed).toBe(false);
    expect(byId(r).mean.passed).toBe(false);
    expect(byId(r).clip.passed).toBe(true);
    expect(hits).toBe(before);
  });

  it('without a network namespace (DL_COURSE_GRADE_NO_UNSHARE=1), the network is still out of reach of notebook code', () => {
    const before = hits;
    const netCode = `await new Promise((resolve, reject) => { const req = require('http').get('http://127.0.0.1:${port}/', resolve); req.on('error', reject); });\n`;
    const r = gradeOne(submission({ ...solved(), square: netCode + SOLUTION.square, mean: `await fetch('http://127.0.0.1:${port}/');\n${SOLUTION.mean}` }), [], { DL_COURSE_GRADE_NO_UNSHARE: '1' });
    expect(r.sandbox.unshare).toBe(false);
    expect(r.score).toBe(1);
    expect(hits).toBe(before);
  });

  it('redefining the test helpers or the built-ins they use, or forging a result: no points for it', () => {
    const r = gradeOne(
      submission({
        square: `function expectClose(): void {}\n${SOLUTION.square.replace('x * x', '0')}`,
        mean: `expectClose = () => undefined;\n${SOLUTION.mean.replace('/ xs.length', '')}`,
        clip: `Math.abs = () => 0;\n${SOLUTION.clip.replace('Math.min(hi, Math.max(lo, x))', '-1')}`,
      }),
    );
    expect(r.score).toBe(0);
    expect(byId(r).square).toMatchObject({ status: 'refused' });
    expect(byId(r).square.message).toContain('declares `expectClose`');
    expect(byId(r).mean.message).toContain('assigns to `expectClose`');
    expect(byId(r).clip.status).toBe('error'); // Math is frozen: the assignment throws
    const sneaky = gradeOne(
      submission({
        square: `globalThis.Math = { abs: () => 0 } as any;\n${SOLUTION.square.replace('x * x', '0')}`,
        mean: `eval('expectClose = () => undefined');\n${SOLUTION.mean.replace('/ xs.length', '')}`,
        clip: `for (let fd = 3; fd < 8; fd++) try { require('fs').writeSync(fd, '0123456789abcdef pass ""\\n'); } catch {}\nprocess.exit(0);\n${SOLUTION.clip}`,
      }),
    );
    expect(sneaky.score).toBe(0);
    expect(byId(sneaky).square.status).toBe('error');
    expect(byId(sneaky).mean.message).toMatch(/Code generation from strings disallowed/);
    expect(byId(sneaky).clip.message).toContain('process.exit(0) was called before the tests finished');
  });

  it('killing the grader is not possible', () => {
    const r = gradeOne(submission({ ...solved(), square: `process.kill(process.ppid, 'SIGKILL');\n${SOLUTION.square}` }));
    expect(byId(r).square.passed).toBe(false);
    expect(r.score).toBe(4);
  });
});

describe('course grade: a folder of 30 mixed submissions', () => {
  // Kinds of submission and the score each must get (of 6).
  const kinds: Array<{ kind: string; score: number; make: () => Notebook | string; file?: string }> = [
    { kind: 'good', score: 6, make: () => submission(solved()) },
    { kind: 'untouched', score: 0, make: () => student },
    { kind: 'square-only', score: 2, make: () => submission({ square: SOLUTION.square }) },
    { kind: 'mean-and-clip', score: 4, make: () => submission({ mean: SOLUTION.mean, clip: SOLUTION.clip }) },
    { kind: 'wrong-mean', score: 3, make: () => submission({ ...solved(), mean: 'function mean(xs: number[]): number {\n  return xs[0];\n}\n' }) },
    { kind: 'invalid-json', score: 0, make: () => '{ nope' },
    { kind: 'loop', score: 4, make: () => submission({ ...solved(), square: `while (true) {}\n${SOLUTION.square}` }) },
    { kind: 'helper-redefined', score: 4, make: () => submission({ ...solved(), square: `function expectClose(): void {}\nfunction square(x: number): number { return 0; }\n` }) },
    { kind: 'reads-instructor', score: 3, make: () => submission({ ...solved(), mean: `require('fs').readFileSync(${JSON.stringify(path.join(INSTRUCTOR, FILE))});\n${SOLUTION.mean}` }) },
    { kind: 'other-chapter', score: 0, make: () => JSON.parse(fs.readFileSync(path.join(INSTRUCTOR, '92-other.ipynb'), 'utf8')) as Notebook },
  ];
  const FOLDER = path.join(tmp, 'class');
  const expected = new Map<string, number>();
  let r: ReturnType<typeof course>;

  beforeAll(() => {
    for (let i = 0; i < 30; i++) {
      const k = kinds[i % kinds.length];
      // The last learner's folder name would be a formula in a spreadsheet: the gradebook must escape it.
      const name = `${i === 29 ? '=HYPERLINK(x)-' : ''}student${String(i + 1).padStart(2, '0')}-${k.kind}`;
      expected.set(name, k.score);
      write(path.join(FOLDER, name), FILE, k.make());
    }
    r = course(['grade', FOLDER, '--instructor', INSTRUCTOR, '--json', '--timeout', '8', '--jobs', '2', '--out', path.join(tmp, 'class-graded')]);
  }, 600_000);

  it('grades every submission to the right score', () => {
    expect(r.status, r.stderr).toBe(0);
    const subs = r.json!.submissions!;
    expect(subs).toHaveLength(30);
    for (const s of subs) expect(s.score, `${s.student}: ${JSON.stringify(s.exercises.map((e) => [e.id, e.status, e.message]))}`).toBe(expected.get(s.student));
    expect(r.json!.score).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    expect(r.json!.maxScore).toBe(30 * 6);
    expect(r.json!.exercises.map((e) => e.id)).toEqual(['ex91-square', 'ex91-mean', 'ex91-clip']);
  });

  it('writes a gradebook (one row per submission, one column per exercise) and one Markdown feedback file each', () => {
    const out = path.join(tmp, 'class-graded');
    const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,file,chapter,score,max_score,ex91-square,ex91-mean,ex91-clip,status,notes');
    expect(csv).toHaveLength(31);
    expect(csv.find((l) => l.startsWith('student01-good,'))).toMatch(/^student01-good,student01-good\/91-toy\.ipynb,91,6,6,2,3,1,graded,/);
    expect(csv.find((l) => l.startsWith('student05-wrong-mean,'))).toMatch(/,91,3,6,2,0,1,graded,/);
    expect(csv.filter((l) => /^"?=/.test(l))).toEqual([]); // the formula-like name is escaped
    expect(csv.some((l) => l.includes("'=HYPERLINK(x)-student30"))).toBe(true);
    const feedback = fs.readdirSync(path.join(out, 'feedback')).sort();
    expect(feedback).toHaveLength(30);
    const good = fs.readFileSync(path.join(out, 'feedback', 'student01-good-91.md'), 'utf8');
    expect(good).toContain('Score: **6 / 6**');
    const loop = fs.readFileSync(path.join(out, 'feedback', feedback.find((f) => f.includes('-loop'))!), 'utf8');
    expect(loop).toContain('timed out');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')).submissions).toHaveLength(30);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
    for (const f of feedback) expect(fs.readFileSync(path.join(out, 'feedback', f), 'utf8')).not.toContain(SECRET);
  });

  it('says which isolation it used', () => {
    expect(r.json!.sandbox).toEqual(grader.sandboxPrefix());
    expect(r.stdout).toMatch(/sandbox: permission model/);
  });
});
