/**
 * Checks shared by the chapter tests of notebooks with graded exercises: the
 * exercise cells' metadata, and a student build (no solutions, no hidden
 * tests) that type-checks strictly.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { ROOT, notebookToTypeScript, strictDiagnostics } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  source: string[];
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
}

/** The notebook's cells. */
export function notebookCells(notebook: string): Cell[] {
  return (JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: Cell[] }).cells;
}

/** Builds the student version (scripts/course.cjs) and returns its TypeScript after checking it has no solution and type-checks strictly. */
export function checkStudentVersion(notebook: string): string {
  const name = path.basename(notebook);
  const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as { studentNotebook(nb: unknown, name?: string): unknown };
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
