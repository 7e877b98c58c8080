/**
 * The graded exercises of chapter 04 follow the markers of course/exercises.md:
 * ids and points in a comment line and in the cell metadata, solutions and
 * hidden tests between their markers, and a student version (solutions and
 * hidden tests removed) that still type-checks and fails on the unsolved exercises.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, notebookToTypeScript, strictDiagnostics } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  id: string;
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
  source: string[];
}
interface Notebook {
  cells: Cell[];
}

const NOTEBOOK = path.join(ROOT, 'notebooks', '04-mlp-maths.ipynb');
const nb = JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as Notebook;
const text = (c: Cell) => c.source.join('');
const exerciseCells = nb.cells.filter((c) => c.metadata.course !== undefined);
const ids = [...new Set(exerciseCells.map((c) => c.metadata.course!.exercise))];

/** The region between two marker lines; throws unless each occurs exactly once, in order. */
function region(source: string, begin: string, end: string): { before: string[]; inside: string[]; after: string[] } {
  const lines = source.split('\n');
  const b = lines.flatMap((l, i) => (l.trim() === begin ? [i] : []));
  const e = lines.flatMap((l, i) => (l.trim() === end ? [i] : []));
  if (b.length !== 1 || e.length !== 1 || e[0] < b[0]) throw new Error(`expected one "${begin}" before one "${end}", found ${b.length} and ${e.length}`);
  return { before: lines.slice(0, b[0]), inside: lines.slice(b[0] + 1, e[0]), after: lines.slice(e[0] + 1) };
}

/** The student version, built by the course's builder (scripts/course.cjs, as course/exercises.md says). */
const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as { studentNotebook(nb: Notebook, name?: string): Notebook };
function studentVersion(): Notebook {
  return course.studentNotebook(nb, path.basename(NOTEBOOK));
}

describe('chapter 04 exercises', () => {
  it('has at least three exercises, each a solution cell followed by its test cell', () => {
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) {
      expect(id).toMatch(/^ex04-[a-z0-9-]+$/);
      const cells = exerciseCells.filter((c) => c.metadata.course!.exercise === id);
      expect(cells.map((c) => c.metadata.course!.role), id).toEqual(['solution', 'tests']);
      const [solution, tests] = cells;
      expect(nb.cells.indexOf(tests), id).toBe(nb.cells.indexOf(solution) + 1);
    }
  });

  it.each(ids)('%s states its id and points in a comment line and in the metadata (course and nbgrader)', (id) => {
    const [solution, tests] = exerciseCells.filter((c) => c.metadata.course!.exercise === id);
    const points = solution.metadata.course!.points;
    expect(Number.isInteger(points) && points > 0).toBe(true);
    expect(tests.metadata.course!.points).toBe(points);
    expect(text(solution).split('\n')[0]).toBe(`// exercise: ${id}, points: ${points}`);
    expect(text(tests).split('\n')[0]).toBe(`// exercise: ${id}, points: ${points} (tests)`);
    expect(solution.metadata.nbgrader).toMatchObject({ solution: true, grade: false, grade_id: id, schema_version: 3 });
    expect(tests.metadata.nbgrader).toMatchObject({ solution: false, grade: true, grade_id: `${id}-tests`, points, locked: true, schema_version: 3 });
  });

  it.each(ids)('%s has one solution region, visible tests and hidden tests', (id) => {
    const [solution, tests] = exerciseCells.filter((c) => c.metadata.course!.exercise === id);
    expect(region(text(solution), '// BEGIN SOLUTION', '// END SOLUTION').inside.some((l) => l.trim() !== '')).toBe(true);
    const t = region(text(tests), '// BEGIN HIDDEN TESTS', '// END HIDDEN TESTS');
    const checks = (lines: string[]) => lines.filter((l) => /expectClose\(|throw new Error/.test(l)).length;
    expect(checks(t.before), 'visible checks').toBeGreaterThan(0);
    expect(checks(t.inside), 'hidden checks').toBeGreaterThan(checks(t.before) - 1);
    expect(t.after.join('\n')).toContain(`console.log('${id}: all tests passed');`);
  });

  it('has no markers outside the exercise cells', () => {
    for (const c of nb.cells.filter((cell) => cell.metadata.course === undefined && cell.cell_type === 'code')) {
      expect(text(c)).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)/);
    }
  });

  it('builds a student version that type-checks strictly and stops at the first unsolved exercise', () => {
    // The student notebook goes to a temporary folder (so no other test mistakes it for a chapter);
    // its code goes beside the notebooks, where `dl-course` resolves, under git-ignored names.
    const student = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-student-')), '04-mlp-maths.ipynb');
    fs.writeFileSync(student, JSON.stringify(studentVersion()));
    const check = path.join(ROOT, 'notebooks', `.04-mlp-maths.student.${process.pid}.check.ts`); // per process: CI runs Node 20 and 24 at once
    const module = path.join(ROOT, 'notebooks', `.04-mlp-maths.student.${process.pid}.module.js`);
    try {
      const source = notebookToTypeScript(student);
      expect(source).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)/);
      expect(source).not.toContain('const s = 1 / (1 + Math.exp(-z))'); // the first solution is gone
      expect(strictDiagnostics(source, check)).toEqual([]);

      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
      fs.writeFileSync(module, js.outputText);
      const r = spawnSync(process.execPath, [module], { cwd: path.dirname(module), env: { ...process.env, COURSE_QUICK: '1' }, encoding: 'utf8', timeout: 300_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`not implemented: ${ids[0]}`);
      expect(r.stdout).not.toContain('all tests passed');
    } finally {
      for (const f of [student, check, module]) fs.rmSync(f, { force: true });
    }
  }, 300_000);
});
