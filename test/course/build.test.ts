/**
 * `npm run course -- build` (scripts/course.cjs): instructor and student
 * versions of the notebooks. The student version has no solution and no
 * hidden-test text, locks the test cells, and clears outputs; the instructor
 * version is the source with outputs cleared; bad arguments exit 2 naming the
 * option, and nothing half-written is left behind.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  id?: string;
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown>; editable?: boolean; deletable?: boolean };
  source: string[];
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
}
interface Built {
  file: string;
  instructor: Notebook;
  student: Notebook;
  exercises: string[];
}
interface CourseModule {
  NOTEBOOKS: string;
  studentNotebook(nb: Notebook, name?: string): Notebook;
  instructorNotebook(nb: Notebook): Notebook;
  listChapters(): { chapter: string; file: string; path: string }[];
  buildNotebooks(chapters: { chapter: string; file: string; path: string }[]): Built[];
  region(source: string, begin: string, end: string): { before: string[]; inside: string[]; after: string[] };
}

const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as CourseModule;
const SCRIPT = path.join(ROOT, 'scripts', 'course.cjs');
const text = (c: Cell) => c.source.join('');
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-course-build-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function run(args: string[], cwd = tmpRoot) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd } });
}

// One build of all chapters, shared by the checks below.
const OUT = path.join(tmpRoot, 'all');
const first = run(['build', '--out', OUT]);
const chapters = course.listChapters();
const sources = new Map(chapters.map((c) => [c.file, read(c.path)]));

/** Exercise ids named in course/exercises.md (its tables: | `exNN-...` | ... |). */
const documentedIds = [...fs.readFileSync(path.join(ROOT, 'course', 'exercises.md'), 'utf8').matchAll(/^\|\s*`(ex\d\d-[a-z0-9-]+)`\s*\|/gm)].map((m) => m[1]);
const metadataIds = [...sources.values()].flatMap((nb) => nb.cells.flatMap((c) => (c.metadata.course ? [c.metadata.course.exercise] : [])));

describe('npm run course -- build', () => {
  it('writes instructor/ and student/ with every notebook of notebooks/, and says what it wrote', () => {
    expect(first.status, first.stderr).toBe(0);
    expect(chapters.length).toBeGreaterThan(0);
    for (const version of ['instructor', 'student']) {
      expect(fs.readdirSync(path.join(OUT, version)).sort()).toEqual(chapters.map((c) => c.file));
      for (const c of chapters) expect(first.stdout).toContain(path.join(OUT, version, c.file));
    }
    expect(fs.readdirSync(tmpRoot).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes manifest.json: each exercise with its points and the SHA-256 of its instructor test cell', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(OUT, 'manifest.json'), 'utf8')) as {
      notebooks: { file: string; maxScore: number; exercises: { id: string; points: number; testsCell: string; testsSha256: string }[] }[];
    };
    expect(manifest.notebooks.map((n) => n.file)).toEqual(chapters.map((c) => c.file));
    for (const n of manifest.notebooks) {
      const nb = sources.get(n.file)!;
      const tests = nb.cells.filter((c) => c.metadata.course?.role === 'tests');
      expect(n.exercises.map((e) => e.id)).toEqual(tests.map((c) => c.metadata.course!.exercise));
      expect(n.maxScore).toBe(tests.reduce((s, c) => s + c.metadata.course!.points, 0));
      n.exercises.forEach((e, i) => {
        expect(e.points).toBe(tests[i].metadata.course!.points);
        expect(e.testsCell).toBe(tests[i].id);
        expect(e.testsSha256).toBe(crypto.createHash('sha256').update(text(tests[i])).digest('hex'));
      });
    }
    expect(first.stdout).toContain(path.join(OUT, 'manifest.json'));
  });

  it('the instructor version is the source with outputs and execution counts cleared', () => {
    for (const [file, nb] of sources) {
      const expected = JSON.parse(JSON.stringify(nb)) as Notebook;
      for (const c of expected.cells) {
        if (c.cell_type === 'code') {
          c.outputs = [];
          c.execution_count = null;
        }
      }
      expect(read(path.join(OUT, 'instructor', file)), file).toEqual(expected);
    }
  });

  it('every exercise of course/exercises.md is in the notebooks metadata', () => {
    expect(documentedIds.length).toBeGreaterThan(0);
    for (const id of documentedIds) expect(metadataIds, id).toContain(id);
  });

  it.each([...new Set([...metadataIds, ...documentedIds])])('student version: no solution and no hidden-test text of %s, and a stub that names it', (id) => {
    const [file, nb] = [...sources].find(([, n]) => n.cells.some((c) => c.metadata.course?.exercise === id))!;
    const student = read(path.join(OUT, 'student', file));
    const studentText = student.cells.map(text).join('\n');
    const removed: string[] = [];
    const kept: string[] = []; // lines of the source outside the removed regions
    for (const c of nb.cells) {
      const course_ = c.metadata.course;
      if (course_?.role === 'solution' || course_?.role === 'tests') {
        const markers = course_.role === 'solution' ? ['// BEGIN SOLUTION', '// END SOLUTION'] : ['// BEGIN HIDDEN TESTS', '// END HIDDEN TESTS'];
        const r = course.region(text(c), markers[0], markers[1]);
        (course_.exercise === id ? removed : kept).push(...r.inside);
        kept.push(...r.before, ...r.after);
      } else {
        kept.push(...text(c).split('\n'));
      }
    }
    const keptSet = new Set(kept.map((l) => l.trim()));
    // Every line of the solution and of the hidden tests that the rest of the notebook does not also have.
    const secret = removed.map((l) => l.trim()).filter((l) => l.length > 3 && !/^[\s{}()[\];,]*$/.test(l) && !keptSet.has(l));
    expect(secret.length, `${id}: nothing to check`).toBeGreaterThan(0);
    for (const line of secret) expect(studentText, `${id}: "${line}"`).not.toContain(line);
    expect(studentText).not.toMatch(/BEGIN (SOLUTION|HIDDEN TESTS)|END (SOLUTION|HIDDEN TESTS)/);
    expect(studentText.split(`throw new Error('not implemented: ${id}');`).length - 1).toBe(1);
  });

  it('student version: test cells locked, solution cells editable, other cells as in the source; outputs cleared', () => {
    for (const [file, nb] of sources) {
      const student = read(path.join(OUT, 'student', file));
      expect(student.cells.map((c) => c.id)).toEqual(nb.cells.map((c) => c.id));
      student.cells.forEach((c, i) => {
        const role = c.metadata.course?.role;
        if (role === 'tests') {
          expect(c.metadata.editable, `${file} ${c.id}`).toBe(false);
          expect(c.metadata.deletable, `${file} ${c.id}`).toBe(false);
          expect(c.metadata.nbgrader).toMatchObject({ locked: true, grade: true });
        } else if (role === 'solution') {
          expect(c.metadata.editable, `${file} ${c.id}`).not.toBe(false);
          expect(c.metadata.deletable, `${file} ${c.id}`).not.toBe(false);
        } else {
          expect(c, `${file} ${c.id}`).toEqual({ ...nb.cells[i], ...(c.cell_type === 'code' ? { outputs: [], execution_count: null } : {}) });
        }
        if (c.cell_type === 'code') {
          expect(c.outputs).toEqual([]);
          expect(c.execution_count).toBeNull();
        }
      });
    }
  });

  it('--chapters picks chapters by number or name', () => {
    const out = path.join(tmpRoot, 'some');
    const r = run(['build', '--out', out, '--chapters', `${chapters[chapters.length - 1].chapter},${chapters[0].file}`]);
    expect(r.status, r.stderr).toBe(0);
    const want = [chapters[0].file, chapters[chapters.length - 1].file];
    expect(fs.readdirSync(path.join(out, 'student')).sort()).toEqual(want);
    expect(fs.readdirSync(path.join(out, 'instructor')).sort()).toEqual(want);
  });

  it('a relative --out is taken from the folder npm was started in (INIT_CWD)', () => {
    const r = run(['build', '--out', 'rel-out', '--chapters', chapters[0].chapter]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(tmpRoot, 'rel-out', 'student', chapters[0].file))).toBe(true);
  });

  it('building again replaces instructor/ and student/ whole and leaves the rest of --out alone', () => {
    const out = path.join(tmpRoot, 'again');
    expect(run(['build', '--out', out]).status).toBe(0);
    fs.writeFileSync(path.join(out, 'student', 'stale.ipynb'), '{}');
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const r = run(['build', '--out', out, '--chapters', chapters[0].chapter]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(out, 'student'))).toEqual([chapters[0].file]);
    expect(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.readdirSync(out).sort()).toEqual(['instructor', 'manifest.json', 'notes.txt', 'student']);
  });

  it.each([
    { args: [], says: 'missing command' },
    { args: ['build', '--out', 'x', '--json'], says: '--json: is for grade' },
    { args: ['publish', '--out', 'x'], says: 'unknown command "publish"' },
    { args: ['build'], says: '--out: missing' },
    { args: ['build', '--out'], says: "'--out <value>' argument missing" },
    { args: ['build', '--out', 'x', '--chapters', '99'], says: '--chapters: unknown chapter "99"' },
    { args: ['build', '--out', 'x', '--chapters', '04,'], says: '--chapters: expected a comma-separated list' },
    { args: ['build', '--out', 'x', '--colour'], says: "Unknown option '--colour'" },
    { args: ['build', '--out', 'x', 'extra'], says: 'unexpected argument "extra"' },
    { args: ['build', '--out', path.join(ROOT, 'notebooks', 'x')], says: 'is inside notebooks/' },
  ])('bad arguments $args: exit 2, saying "$says", nothing written', ({ args, says }) => {
    const cwd = fs.mkdtempSync(path.join(tmpRoot, 'bad-'));
    const r = run(args, cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).toContain('usage: npm run course -- build --out DIR');
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(cwd)).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, 'notebooks', 'x'))).toBe(false);
  });

  it('--out naming a file: exit 2, naming --out and the file', () => {
    const file = path.join(tmpRoot, 'a-file');
    fs.writeFileSync(file, 'x');
    const r = run(['build', '--out', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--out: ${file} is a file, not a folder`);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('--help prints the usage and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--chapters');
  });
});

describe('the student-version builder (studentNotebook)', () => {
  const cell = (source: string, course?: Cell['metadata']['course']): Cell => ({ cell_type: 'code', id: 'x', metadata: course ? { course } : {}, source: source.split(/(?<=\n)/), outputs: [{ output_type: 'stream' }], execution_count: 3 });
  const nb = (...cells: Cell[]): Notebook => ({ cells, metadata: {} });

  it('replaces the solution by a stub at the markers indentation and drops the hidden tests', () => {
    const s = course.studentNotebook(
      nb(
        cell('// exercise: ex09-a, points: 1\nfunction a(): number {\n    // BEGIN SOLUTION\n    return 42;\n    // END SOLUTION\n}', { exercise: 'ex09-a', role: 'solution', points: 1 }),
        cell('// exercise: ex09-a, points: 1 (tests)\ncheck(a());\n// BEGIN HIDDEN TESTS\ncheck(a() === 42);\n// END HIDDEN TESTS\nconsole.log(1);\n', { exercise: 'ex09-a', role: 'tests', points: 1 }),
      ),
    );
    expect(text(s.cells[0])).toBe("// exercise: ex09-a, points: 1\nfunction a(): number {\n    // Your solution here (replace the line below).\n    throw new Error('not implemented: ex09-a');\n}");
    expect(text(s.cells[1])).toBe('// exercise: ex09-a, points: 1 (tests)\ncheck(a());\nconsole.log(1);\n');
    expect(s.cells[1].metadata).toMatchObject({ editable: false, deletable: false });
    expect(s.cells.map((c) => [c.outputs, c.execution_count])).toEqual([
      [[], null],
      [[], null],
    ]);
  });

  it.each([
    { name: 'a solution cell without markers', cells: [cell('return 1;', { exercise: 'ex09-a', role: 'solution', points: 1 })], says: 'expected one "// BEGIN SOLUTION"' },
    { name: 'two solution regions', cells: [cell('// BEGIN SOLUTION\n// END SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION', { exercise: 'ex09-a', role: 'solution', points: 1 })], says: 'found 2 and 2' },
    { name: 'markers in reverse order', cells: [cell('// END HIDDEN TESTS\n// BEGIN HIDDEN TESTS', { exercise: 'ex09-a', role: 'tests', points: 1 })], says: 'expected one "// BEGIN HIDDEN TESTS"' },
    { name: 'markers in a cell without course metadata', cells: [cell('// BEGIN SOLUTION\nsecret();\n// END SOLUTION')], says: 'has exercise markers but no "course" metadata' },
    { name: 'an unknown role', cells: [cell('x', { exercise: 'ex09-a', role: 'answer', points: 1 })], says: 'unknown exercise role "answer"' },
  ])('refuses $name (so a solution cannot leak)', ({ cells, says }) => {
    expect(() => course.studentNotebook(nb(...cells), 'n.ipynb')).toThrow(says);
  });
});
