/**
 * nbgrader interop: every notebook's cell metadata follows nbgrader's cell
 * metadata schema, version 3 (the rules of nbgrader's nbgraderformat/v3: the
 * keys, their types, grade_id when graded, solution or locked, points when
 * graded, markdown rules for task and grade cells, unique grade ids), agrees
 * with the course's own `course` metadata, and course/nbgrader_config.py sets
 * what the course needs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  id?: string;
  metadata: { course?: { exercise: string; role: string; points: number }; nbgrader?: Record<string, unknown> };
  source: string[] | string;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { language?: string } };
}

const course = createRequire(__filename)(path.join(ROOT, 'scripts', 'course.cjs')) as {
  listChapters(): { chapter: string; file: string; path: string }[];
  studentNotebook(nb: Notebook, name?: string): Notebook;
};

/** The keys and types of nbgrader's schema v3 (additionalProperties: false). */
const V3_KEYS: Record<string, string> = { schema_version: 'number', grade: 'boolean', locked: 'boolean', solution: 'boolean', task: 'boolean', grade_id: 'string', points: 'number', checksum: 'string', cell_type: 'string' };

/** The problems nbgrader's v3 validator would raise for a notebook (empty: valid). */
function nbgraderV3Problems(nb: Notebook): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  nb.cells.forEach((cell, i) => {
    const meta = cell.metadata.nbgrader;
    if (meta === undefined) return;
    const where = `cell ${i + 1}${cell.id ? ` (${cell.id})` : ''}`;
    for (const [k, v] of Object.entries(meta)) {
      if (!(k in V3_KEYS)) problems.push(`${where}: unknown key "${k}"`);
      else if (typeof v !== V3_KEYS[k]) problems.push(`${where}: "${k}" must be a ${V3_KEYS[k]}, got ${JSON.stringify(v)}`);
    }
    for (const k of ['schema_version', 'grade', 'locked', 'solution']) if (!(k in meta)) problems.push(`${where}: missing "${k}"`);
    if (meta.schema_version !== 3) problems.push(`${where}: schema_version must be 3, got ${JSON.stringify(meta.schema_version)}`);
    const { grade, solution, locked } = meta as { grade: boolean; solution: boolean; locked: boolean };
    const task = meta.task === true;
    if (typeof meta.grade_id === 'string' && !/^[a-zA-Z0-9_-]*$/.test(meta.grade_id)) problems.push(`${where}: grade_id "${meta.grade_id}" has characters outside [a-zA-Z0-9_-]`);
    if (grade || solution || locked) {
      if (typeof meta.grade_id !== 'string' || meta.grade_id === '') problems.push(`${where}: graded, solution or locked cells need a non-empty grade_id`);
      else if (ids.has(meta.grade_id)) problems.push(`${where}: duplicate grade_id "${meta.grade_id}"`);
      else ids.add(meta.grade_id);
    }
    if (grade && (typeof meta.points !== 'number' || meta.points < 0)) problems.push(`${where}: a graded cell needs points ≥ 0`);
    if (typeof meta.checksum === 'string' && meta.checksum.length !== 32) problems.push(`${where}: checksum must have 32 characters`);
    if (typeof meta.cell_type === 'string' && !['raw', 'code', 'markdown'].includes(meta.cell_type)) problems.push(`${where}: cell_type must be raw, code or markdown`);
    if (task && cell.cell_type !== 'markdown') problems.push(`${where}: task cells have to be markdown`);
    if (!task && cell.cell_type === 'markdown' && grade !== solution) problems.push(`${where}: a markdown cell must be both grade and solution, or neither`);
  });
  return problems;
}

const chapters = course.listChapters();
const notebooks = chapters.map((c) => ({ file: c.file, nb: JSON.parse(fs.readFileSync(c.path, 'utf8')) as Notebook }));

describe('nbgrader cell metadata (schema version 3)', () => {
  it.each(notebooks.map((n) => [n.file, n.nb] as const))('%s: the source and its student build are valid nbgrader v3 notebooks', (file, nb) => {
    expect(nbgraderV3Problems(nb)).toEqual([]);
    expect(nbgraderV3Problems(course.studentNotebook(nb, file))).toEqual([]);
  });

  it.each(notebooks.map((n) => [n.file, n.nb] as const))('%s: nbgrader metadata agrees with the course metadata, and every exercise cell has both', (file, nb) => {
    for (const cell of nb.cells) {
      const c = cell.metadata.course;
      const g = cell.metadata.nbgrader;
      expect(Boolean(c), `${file} ${cell.id}: course and nbgrader metadata come together`).toBe(Boolean(g));
      if (!c || !g) continue;
      expect(cell.cell_type).toBe('code');
      if (c.role === 'solution') expect(g).toMatchObject({ solution: true, grade: false, locked: false, grade_id: c.exercise, schema_version: 3 });
      else expect(g).toMatchObject({ solution: false, grade: true, locked: true, points: c.points, grade_id: `${c.exercise}-tests`, schema_version: 3 });
    }
  });

  it('the validator catches what nbgrader rejects', () => {
    const cell = (nbgrader: Record<string, unknown>, cellType = 'code'): Cell => ({ cell_type: cellType, metadata: { nbgrader }, source: [] });
    const ok = { schema_version: 3, grade: true, locked: true, solution: false, task: false, grade_id: 'a', points: 1 };
    expect(nbgraderV3Problems({ cells: [cell(ok)], metadata: {} })).toEqual([]);
    expect(nbgraderV3Problems({ cells: [cell({ ...ok, points: undefined })], metadata: {} }).join()).toContain('needs points');
    expect(nbgraderV3Problems({ cells: [cell(ok), cell(ok)], metadata: {} }).join()).toContain('duplicate grade_id');
    expect(nbgraderV3Problems({ cells: [cell({ ...ok, grade_id: 'a b' })], metadata: {} }).join()).toContain('outside');
    expect(nbgraderV3Problems({ cells: [cell({ ...ok, schema_version: 2 })], metadata: {} }).join()).toContain('schema_version must be 3');
    expect(nbgraderV3Problems({ cells: [cell({ ...ok, extra: 1 })], metadata: {} }).join()).toContain('unknown key');
    expect(nbgraderV3Problems({ cells: [cell({ ...ok, task: true })], metadata: {} }).join()).toContain('task cells have to be markdown');
    expect(nbgraderV3Problems({ cells: [cell({ ...ok, solution: false }, 'markdown')], metadata: {} }).join()).toContain('markdown');
  });

  it('every notebook names its kernel language (nbgrader picks the code stub by it)', () => {
    for (const { file, nb } of notebooks) expect(nb.metadata.kernelspec?.language, file).toBe('typescript');
  });
});

describe('course/nbgrader_config.py', () => {
  const CONFIG = path.join(ROOT, 'course', 'nbgrader_config.py');
  // Load it as nbgrader does (a Python file calling get_config()), with a stand-in config object.
  const loader = `
import json, sys
class Section(dict):
    def __getattr__(self, k): return self[k]
    def __setattr__(self, k, v): self[k] = v
class Config(dict):
    def __getattr__(self, k): return self.setdefault(k, Section())
cfg = Config()
exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), {'get_config': lambda: cfg})
print(json.dumps(cfg))
`;
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, ['-c', loader, CONFIG], { encoding: 'utf8' });

  it('is valid Python that sets the markers, a TypeScript stub that throws, and a cell timeout', () => {
    expect(r.status, r.stderr).toBe(0);
    const cfg = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(cfg.ClearSolutions).toMatchObject({ begin_solution_delimeter: 'BEGIN SOLUTION', end_solution_delimeter: 'END SOLUTION', enforce_metadata: true });
    expect(cfg.ClearHiddenTests).toMatchObject({ begin_test_delimeter: 'BEGIN HIDDEN TESTS', end_test_delimeter: 'END HIDDEN TESTS' });
    const stub = (cfg.ClearSolutions.code_stub as Record<string, string>).typescript;
    expect(stub).toContain("throw new Error('not implemented')");
    expect(stub.split('\n').every((l) => l.startsWith('//') || l.startsWith('throw'))).toBe(true);
    expect(cfg.Execute.timeout).toBeGreaterThanOrEqual(60);
  });

  it("its markers are the ones in the notebooks (nbgrader matches them inside the `//` comment lines)", () => {
    const cfg = JSON.parse(r.stdout) as Record<string, Record<string, string>>;
    for (const { nb } of notebooks) {
      for (const cell of nb.cells.filter((c) => c.metadata.course)) {
        const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
        const marker = cell.metadata.course!.role === 'solution' ? cfg.ClearSolutions.begin_solution_delimeter : cfg.ClearHiddenTests.begin_test_delimeter;
        expect(src.split('\n').filter((l) => l.includes(marker)).map((l) => l.trim())).toEqual([`// ${marker}`]);
      }
    }
  });
});
