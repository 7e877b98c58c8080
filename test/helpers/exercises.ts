/**
 * Checks every chapter test makes of its notebook's graded exercises: the
 * cells' course and nbgrader metadata and markers, and the student version
 * that `npm run course` builds (no solutions, no hidden tests, strict types).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { ROOT, notebookToTypeScript, strictDiagnostics } from './notebook';

/** A notebook cell as the checks read it. */
export interface NotebookCell {
  cell_type: string;
  source: string[];
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
}

const cellText = (c: NotebookCell) => c.source.join('');

/**
 * The graded cells are `expected` (`exercise/role`, in order), each with its
 * first line `// exercise: id, points: p[ (tests)]`, matching nbgrader
 * metadata, and its BEGIN/END SOLUTION or HIDDEN TESTS markers.
 */
export function checkGradedCells(cells: NotebookCell[], expected: string[]): void {
  const graded = cells.filter((c) => c.metadata.course);
  expect(graded.map((c) => `${c.metadata.course!.exercise}/${c.metadata.course!.role}`)).toEqual(expected);
  for (const c of graded) {
    const { exercise, role, points } = c.metadata.course!;
    expect(cellText(c).split('\n')[0]).toBe(`// exercise: ${exercise}, points: ${points}${role === 'tests' ? ' (tests)' : ''}`);
    expect(c.metadata.nbgrader).toMatchObject(role === 'solution' ? { solution: true, grade: false, grade_id: exercise } : { grade: true, points, grade_id: `${exercise}-tests`, locked: true });
    expect(cellText(c)).toMatch(role === 'solution' ? /\/\/ BEGIN SOLUTION[^]*\/\/ END SOLUTION/ : /\/\/ BEGIN HIDDEN TESTS[^]*\/\/ END HIDDEN TESTS/);
  }
}

/**
 * Builds the student version of `notebook` with scripts/course.cjs and
 * checks it: no markers left, `exercise`'s solution replaced by a "not
 * implemented" error, `hiddenSnippet` (a line of a hidden test) gone, and
 * strict type-checking clean.
 */
export function checkStudentVersion(notebook: string, exercise: string, hiddenSnippet: string): void {
  const name = path.basename(notebook);
  const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as { studentNotebook(nb: unknown, name?: string): unknown };
  const student = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-student-')), name);
  fs.writeFileSync(student, JSON.stringify(course.studentNotebook(JSON.parse(fs.readFileSync(notebook, 'utf8')), name)));
  const check = path.join(ROOT, 'notebooks', `.${path.basename(name, '.ipynb')}.student.check.ts`);
  try {
    const source = notebookToTypeScript(student);
    expect(source).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)/);
    expect(source).toContain(`throw new Error('not implemented: ${exercise}')`);
    expect(source).not.toContain(hiddenSnippet);
    expect(strictDiagnostics(source, check)).toEqual([]);
  } finally {
    for (const f of [student, check]) fs.rmSync(f, { force: true });
  }
}
