/**
 * Test helper for `npm run course -- grade`: the shape of its --json result and
 * a runner that returns the process result with the parsed last stdout line;
 * the checks every chapter test makes of its graded exercises and student version.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { ROOT, notebookToTypeScript, strictDiagnostics } from './notebook';

export interface ExerciseResult {
  id: string;
  points: number;
  maxPoints: number;
  passed: boolean;
  status: string;
  message: string;
  output?: string;
}
export interface SubmissionResult {
  student: string;
  file: string;
  relFile: string;
  chapter: string | null;
  score: number;
  maxScore: number;
  status: string;
  exercises: ExerciseResult[];
  notes: string[];
  feedback?: string;
}
/** One notebook: a SubmissionResult; a folder: totals, per-exercise counts and `submissions`. */
export interface GradeResult extends SubmissionResult {
  submissions?: SubmissionResult[];
  out?: string;
  gradebook?: string;
  sandbox: { unshare: boolean; prlimit: boolean };
}

export const COURSE_SCRIPT = path.join(ROOT, 'scripts', 'course.cjs');

/** Runs `node scripts/course.cjs ARGS` in `cwd` (also INIT_CWD); `json` is the last stdout line parsed, if it is JSON. */
export function runCourse(args: string[], cwd: string, env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> & { json?: GradeResult } {
  const r = spawnSync(process.execPath, [COURSE_SCRIPT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd, ...env }, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  let json: GradeResult | undefined;
  try {
    json = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as GradeResult;
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

/** A notebook cell as the checks read it. */
export interface NotebookCell {
  cell_type: string;
  source: string[];
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
}

/**
 * Checks a chapter's graded exercises: in `order` (`id/solution`, `id/tests`),
 * each cell's first line `// exercise: ID, points: N` (with ` (tests)`), its
 * nbgrader metadata, and the solution and hidden-test markers.
 */
export function expectGradedExercises(notebook: string, order: readonly string[]): void {
  const cells = (JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: NotebookCell[] }).cells;
  const graded = cells.filter((c) => c.metadata.course);
  expect(graded.map((c) => `${c.metadata.course!.exercise}/${c.metadata.course!.role}`)).toEqual(order);
  for (const c of graded) {
    const { exercise, role, points } = c.metadata.course!;
    const text = c.source.join('');
    expect(text.split('\n')[0]).toBe(`// exercise: ${exercise}, points: ${points}${role === 'tests' ? ' (tests)' : ''}`);
    expect(c.metadata.nbgrader).toMatchObject(role === 'solution' ? { solution: true, grade: false, grade_id: exercise } : { grade: true, points, grade_id: `${exercise}-tests`, locked: true });
    expect(text).toMatch(role === 'solution' ? /\/\/ BEGIN SOLUTION[^]*\/\/ END SOLUTION/ : /\/\/ BEGIN HIDDEN TESTS[^]*\/\/ END HIDDEN TESTS/);
  }
}

/**
 * Builds the student version of a notebook as `npm run course` does and checks
 * it: no solutions or hidden tests, a stub for `firstExercise`, none of
 * `hiddenText` (a snippet of a hidden test), and a strict type-check clean.
 */
export function expectStudentVersion(notebook: string, firstExercise: string, hiddenText: string): void {
  const source = checkedStudentVersion(notebook);
  expect(source).toContain(`throw new Error('not implemented: ${firstExercise}')`);
  expect(source).not.toContain(hiddenText);
}

/**
 * Builds the student version of a notebook as `npm run course` does, checks that it has no
 * solution or hidden-test markers and type-checks strictly, and returns its TypeScript.
 */
export function checkedStudentVersion(notebook: string): string {
  const name = path.basename(notebook);
  const course = createRequire(__filename)(COURSE_SCRIPT) as { studentNotebook(nb: unknown, name?: string): unknown };
  const student = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-student-')), name);
  fs.writeFileSync(student, JSON.stringify(course.studentNotebook(JSON.parse(fs.readFileSync(notebook, 'utf8')), name)));
  const check = path.join(ROOT, 'notebooks', `.${path.basename(name, '.ipynb')}.student.check.ts`);
  try {
    const source = notebookToTypeScript(student);
    expect(source).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)/);
    expect(strictDiagnostics(source, check)).toEqual([]);
    return source;
  } finally {
    for (const f of [student, check]) fs.rmSync(f, { force: true });
  }
}
