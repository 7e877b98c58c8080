/**
 * Test helper: the checks every chapter with graded exercises shares — the
 * cells' course and nbgrader metadata, and the student version that
 * `npm run course` builds from the notebook.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { ROOT, notebookToTypeScript, strictDiagnostics } from './notebook';

interface Cell {
  cell_type: string;
  source: string[];
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
}

/** Checks that the notebook's graded cells are, in order, a solution cell then a test cell for each of `exercises`, with course and nbgrader metadata, header lines and solution / hidden-test markers. */
export function checkGradedCells(notebook: string, exercises: readonly string[]): void {
  const cells = (JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: Cell[] }).cells;
  const text = (c: Cell) => c.source.join('');
  const graded = cells.filter((c) => c.metadata.course);
  expect(graded.map((c) => `${c.metadata.course!.exercise}/${c.metadata.course!.role}`)).toEqual(exercises.flatMap((e) => [`${e}/solution`, `${e}/tests`]));
  for (const c of graded) {
    const { exercise, role, points } = c.metadata.course!;
    expect(text(c).split('\n')[0]).toBe(`// exercise: ${exercise}, points: ${points}${role === 'tests' ? ' (tests)' : ''}`);
    expect(c.metadata.nbgrader).toMatchObject(role === 'solution' ? { solution: true, grade: false, grade_id: exercise } : { grade: true, points, grade_id: `${exercise}-tests`, locked: true });
    expect(text(c)).toMatch(role === 'solution' ? /\/\/ BEGIN SOLUTION[^]*\/\/ END SOLUTION/ : /\/\/ BEGIN HIDDEN TESTS[^]*\/\/ END HIDDEN TESTS/);
  }
}

/**
 * Builds the student version of the notebook (scripts/course.cjs) and checks
 * that it has no solution or hidden-test markers, that `firstExercise`'s body
 * is the "not implemented" stub, that `hiddenText` (a line of a hidden test)
 * is gone, and that its code type-checks strictly.
 */
export function checkStudentVersion(notebook: string, firstExercise: string, hiddenText: string): void {
  const name = path.basename(notebook);
  const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as { studentNotebook(nb: unknown, name?: string): unknown };
  const student = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-student-')), name);
  fs.writeFileSync(student, JSON.stringify(course.studentNotebook(JSON.parse(fs.readFileSync(notebook, 'utf8')), name)));
  const check = path.join(ROOT, 'notebooks', `.${path.basename(name, '.ipynb')}.student.check.ts`);
  try {
    const source = notebookToTypeScript(student);
    expect(source).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)/);
    expect(source).toContain(`throw new Error('not implemented: ${firstExercise}')`);
    expect(source).not.toContain(hiddenText);
    expect(strictDiagnostics(source, check)).toEqual([]);
  } finally {
    for (const f of [student, check]) fs.rmSync(f, { force: true });
  }
}
