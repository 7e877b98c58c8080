/**
 * Checks shared by the chapter tests of notebooks with graded exercises
 * (course/exercises.md): each exercise is a solution cell then its test cell
 * with matching course and nbgrader metadata, visible and hidden checks, the
 * instructor solution passes, course/exercises.md lists it with its points,
 * and the student version (scripts/course.cjs) type-checks strictly without
 * the solutions or hidden tests.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, notebookToTypeScript, strictDiagnostics } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
  source: string[];
}

/**
 * Registers the graded-exercise tests of `notebook`, whose exercises are `ids`
 * in order; `stdout()` is its quick-mode module run's output. With
 * `studentTypeCheck: false` the student version is left to the chapter's own
 * test (chapter 01 runs it).
 */
export function gradedExerciseTests(notebook: string, ids: string[], stdout: () => string, { studentTypeCheck = true } = {}): void {
  const nb = JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: Cell[] };
  const text = (c: Cell) => c.source.join('');

  it(`has the graded exercises ${ids.join(', ')}, each passing with the instructor solution`, () => {
    expect([...new Set(nb.cells.flatMap((c) => (c.metadata.course ? [c.metadata.course.exercise] : [])))]).toEqual(ids);
    for (const id of ids) expect(stdout()).toContain(`${id}: all tests passed`);
  });

  it.each(ids)('%s: a solution cell then its test cell, id and points in the first line and the metadata, visible and hidden checks; listed in course/exercises.md', (id) => {
    const i = nb.cells.findIndex((c) => c.metadata.course?.exercise === id);
    const [solution, tests] = [nb.cells[i], nb.cells[i + 1]];
    const points = solution.metadata.course!.points;
    expect(solution.metadata.course).toEqual({ exercise: id, role: 'solution', points });
    expect(tests.metadata.course).toEqual({ exercise: id, role: 'tests', points });
    expect(solution.metadata.nbgrader).toMatchObject({ solution: true, grade: false, grade_id: id, schema_version: 3 });
    expect(tests.metadata.nbgrader).toMatchObject({ solution: false, grade: true, grade_id: `${id}-tests`, points, locked: true, schema_version: 3 });
    expect(text(solution).split('\n')[0]).toBe(`// exercise: ${id}, points: ${points}`);
    expect(text(tests).split('\n')[0]).toBe(`// exercise: ${id}, points: ${points} (tests)`);
    expect(text(solution)).toMatch(/\/\/ BEGIN SOLUTION[^]*\/\/ END SOLUTION/);
    const lines = text(tests).split('\n');
    const begin = lines.indexOf('// BEGIN HIDDEN TESTS');
    const end = lines.indexOf('// END HIDDEN TESTS');
    expect(begin).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(begin);
    const checks = (part: string[]) => part.filter((l) => /throw new Error|expectRelative\(/.test(l)).length;
    expect(checks(lines.slice(0, begin)), 'visible checks').toBeGreaterThan(0);
    expect(checks(lines.slice(begin + 1, end)), 'hidden checks').toBeGreaterThan(0);
    expect(lines.slice(end + 1).join('\n')).toContain(`console.log('${id}: all tests passed');`);
    const doc = fs.readFileSync(path.join(ROOT, 'course', 'exercises.md'), 'utf8');
    expect(doc).toMatch(new RegExp(`^\\| \`${id}\` \\| .* \\| ${points} \\|$`, 'm'));
  });

  if (!studentTypeCheck) return;
  it('builds a student version (npm run course) without the solutions or hidden tests, that type-checks strictly', () => {
    const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as { studentNotebook(nb: unknown, name?: string): unknown };
    const name = path.basename(notebook);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-student-'));
    const student = path.join(dir, name);
    fs.writeFileSync(student, JSON.stringify(course.studentNotebook(nb, name)));
    const check = path.join(ROOT, 'notebooks', `.${path.basename(name, '.ipynb')}.student.check.ts`);
    try {
      const source = notebookToTypeScript(student);
      expect(source).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)/);
      for (const id of ids) expect(source).toContain(`throw new Error('not implemented: ${id}')`);
      expect(strictDiagnostics(source, check)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(check, { force: true });
    }
  }, 120_000);
}
