#!/usr/bin/env node
// Builds the course's notebooks for a class: instructor and student versions.
//
//   npm run course -- build --out DIR [--chapters 04,05]
//
// DIR/instructor/  the notebooks as they are (solutions, hidden tests), outputs cleared
// DIR/student/     solutions replaced by a stub that throws, hidden tests removed,
//                  test cells locked (not editable, not deletable), outputs cleared
//
// The markers are described in course/exercises.md. A relative DIR is taken
// from the folder npm was started in. Each of DIR/instructor and DIR/student
// is built in a temporary folder beside DIR and renamed into place, so neither
// is ever half-written; other entries of DIR are left alone.
//
// Also a module: scripts/workspace.cjs and the tests use its functions.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = path.resolve(__dirname, '..');
const NOTEBOOKS = path.join(ROOT, 'notebooks');

const SOLUTION = ['// BEGIN SOLUTION', '// END SOLUTION'];
const HIDDEN = ['// BEGIN HIDDEN TESTS', '// END HIDDEN TESTS'];

/** A usage error: printed with the usage line, exit code 2. */
class UsageError extends Error {}

const text = (cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
/** Jupyter's on-disk form of a cell's source: lines, each with its newline. */
const toSource = (s) => (s === '' ? [] : s.split(/(?<=\n)/));

/**
 * The region between two marker lines (compared trimmed); throws unless each
 * occurs exactly once, in order.
 */
function region(source, begin, end, where = 'cell') {
  const lines = source.split('\n');
  const b = lines.flatMap((l, i) => (l.trim() === begin ? [i] : []));
  const e = lines.flatMap((l, i) => (l.trim() === end ? [i] : []));
  if (b.length !== 1 || e.length !== 1 || e[0] < b[0]) {
    throw new Error(`${where}: expected one "${begin}" before one "${end}", found ${b.length} and ${e.length}`);
  }
  return { before: lines.slice(0, b[0]), inside: lines.slice(b[0] + 1, e[0]), after: lines.slice(e[0] + 1), indent: /^\s*/.exec(lines[b[0]])[0] };
}

/** The stub that replaces a solution: it throws, so the cell type-checks whatever the function returns. */
function stubLines(exercise, indent) {
  return [`${indent}// Your solution here (replace the line below).`, `${indent}throw new Error('not implemented: ${exercise}');`];
}

/** A copy of a cell with its outputs and execution count cleared. */
function clearOutputs(cell) {
  const c = JSON.parse(JSON.stringify(cell));
  if (c.cell_type === 'code') {
    c.outputs = [];
    c.execution_count = null;
  }
  return c;
}

/** The instructor version: the notebook as it is, outputs and execution counts cleared. */
function instructorNotebook(nb) {
  return { ...JSON.parse(JSON.stringify(nb)), cells: nb.cells.map(clearOutputs) };
}

/** The exercises of a notebook: [{ id, role, points, index }] from the cells' `course` metadata. */
function exercisesOf(nb) {
  return nb.cells.flatMap((c, index) => (c.metadata && c.metadata.course ? [{ id: c.metadata.course.exercise, role: c.metadata.course.role, points: c.metadata.course.points, index }] : []));
}

/**
 * The student version (course/exercises.md): in solution cells the lines from
 * `// BEGIN SOLUTION` to `// END SOLUTION` become a stub that throws
 * `not implemented: <id>`; in test cells the hidden tests are removed and the
 * cell is locked (`editable: false`, `deletable: false`); solution cells are
 * editable; outputs are cleared. Throws on a malformed or misplaced marker, so
 * that a solution cannot leak.
 */
function studentNotebook(nb, name = 'notebook') {
  const cells = nb.cells.map((cell, i) => {
    const c = clearOutputs(cell);
    const where = `${name}: cell ${i + 1}${c.id ? ` (${c.id})` : ''}`;
    const course = c.metadata && c.metadata.course;
    const src = text(c);
    if (!course) {
      if (/BEGIN (SOLUTION|HIDDEN TESTS)|END (SOLUTION|HIDDEN TESTS)/.test(src)) throw new Error(`${where}: has exercise markers but no "course" metadata`);
      return c;
    }
    if (c.cell_type !== 'code') throw new Error(`${where}: exercise cells must be code cells`);
    if (typeof course.exercise !== 'string' || course.exercise === '') throw new Error(`${where}: "course" metadata without an exercise id`);
    if (course.role === 'solution') {
      const r = region(src, ...SOLUTION, where);
      c.source = toSource([...r.before, ...stubLines(course.exercise, r.indent), ...r.after].join('\n'));
      c.metadata.editable = true;
      return c;
    }
    if (course.role === 'tests') {
      const r = region(src, ...HIDDEN, where);
      c.source = toSource([...r.before, ...r.after].join('\n'));
      c.metadata.editable = false;
      c.metadata.deletable = false;
      return c;
    }
    throw new Error(`${where}: unknown exercise role "${course.role}" (expected "solution" or "tests")`);
  });
  return { ...JSON.parse(JSON.stringify(nb)), cells };
}

/** Serialised the way Jupyter saves notebooks (indent 1, trailing newline). */
const serialize = (nb) => `${JSON.stringify(nb, null, 1)}\n`;

/** The course's notebooks: [{ chapter: '04', file: '04-mlp-maths.ipynb', path }], sorted. */
function listChapters(dir = NOTEBOOKS) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort()
    .map((file) => ({ chapter: file.split('-')[0], file, path: path.join(dir, file) }));
}

/** The chapters named by `--chapters` ("04,05", or notebook names); all when undefined. */
function selectChapters(spec, dir = NOTEBOOKS) {
  const all = listChapters(dir);
  if (spec === undefined) return all;
  const wanted = spec.split(',').map((s) => s.trim());
  if (wanted.some((s) => s === '')) throw new UsageError(`--chapters: expected a comma-separated list such as 04,05, got "${spec}"`);
  const known = all.map((c) => c.chapter).join(', ');
  const picked = new Map();
  for (const w of wanted) {
    const found = all.filter((c) => c.chapter === w || c.file === w || c.file === `${w}.ipynb`);
    if (found.length === 0) throw new UsageError(`--chapters: unknown chapter "${w}" (chapters: ${known})`);
    for (const c of found) picked.set(c.file, c);
  }
  return [...picked.values()].sort((a, b) => a.file.localeCompare(b.file));
}

/** Instructor and student versions of the chapters, in memory: [{ file, instructor, student, exercises }]. */
function buildNotebooks(chapters) {
  return chapters.map((c) => {
    const nb = JSON.parse(fs.readFileSync(c.path, 'utf8'));
    return { file: c.file, instructor: instructorNotebook(nb), student: studentNotebook(nb, c.file), exercises: [...new Set(exercisesOf(nb).map((e) => e.id))] };
  });
}

/** Where a relative path given on the command line is taken from: the folder npm was started in. */
function invocationDir() {
  return process.env.INIT_CWD || process.cwd();
}

/** A new, empty folder `.<name>.tmp-<random>` in `parent`, with the usual mode (unlike mkdtemp's 0700). */
function tempDir(parent, name) {
  for (;;) {
    const p = path.join(parent, `.${name}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    try {
      fs.mkdirSync(p);
      return p;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
  }
}

/** Removes a folder, ignoring errors (best effort cleanup). */
function rmQuiet(p) {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // nothing to do
  }
}

/**
 * Writes DIR/instructor and DIR/student. Each is written completely in a
 * temporary folder beside DIR, then renamed into place (an older one is moved
 * aside first and deleted after). Returns { out, notebooks, written: [paths] }.
 */
function build({ out, chapters }) {
  if (!out) throw new UsageError('--out: missing; say where to write, e.g. --out course-build');
  const dir = path.resolve(invocationDir(), out);
  let st;
  try {
    st = fs.statSync(dir);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) throw new UsageError(`--out: ${dir} is a file, not a folder`);
  const rel = path.relative(NOTEBOOKS, dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new UsageError(`--out: ${dir} is inside notebooks/; pick a folder outside it`);
  const picked = selectChapters(chapters);
  if (picked.length === 0) throw new UsageError(`no notebooks in ${NOTEBOOKS}`);
  const built = buildNotebooks(picked); // before anything is written: a malformed notebook writes nothing

  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = tempDir(parent, path.basename(dir));
  const written = [];
  try {
    for (const version of ['instructor', 'student']) {
      fs.mkdirSync(path.join(tmp, version));
      for (const b of built) fs.writeFileSync(path.join(tmp, version, b.file), serialize(b[version]));
    }
    if (!st) {
      fs.renameSync(tmp, dir); // a new DIR appears complete or not at all
    } else {
      for (const version of ['instructor', 'student']) {
        const target = path.join(dir, version);
        const old = path.join(tmp, `${version}.old`);
        if (fs.existsSync(target)) fs.renameSync(target, old);
        fs.renameSync(path.join(tmp, version), target);
      }
      rmQuiet(tmp);
    }
  } catch (e) {
    rmQuiet(tmp);
    throw e;
  }
  for (const version of ['instructor', 'student']) for (const b of built) written.push(path.join(dir, version, b.file));
  return { out: dir, notebooks: built, written };
}

const USAGE = `usage: npm run course -- build --out DIR [--chapters 04,05]

  build       write DIR/instructor/ (notebooks as they are, outputs cleared) and
              DIR/student/ (solutions stubbed, hidden tests removed, tests locked)
  --out DIR   the folder to write (created; other entries in it are left alone)
  --chapters  comma-separated chapters (notebook number or name); default: all
              notebooks in notebooks/`;

function main(argv) {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { out: { type: 'string' }, chapters: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length === 0) throw new UsageError('missing command: build');
  if (positionals[0] !== 'build') throw new UsageError(`unknown command "${positionals[0]}" (expected: build)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const r = build({ out: values.out, chapters: values.chapters });
  const exercises = r.notebooks.reduce((n, b) => n + b.exercises.length, 0);
  console.log(`course: wrote ${r.notebooks.length} notebook(s) to ${path.join(r.out, 'instructor')} and ${path.join(r.out, 'student')} (${exercises} exercise(s) stubbed in the student version):`);
  for (const f of r.written) console.log(`  ${f}`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`course: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`course: ${e.message}`);
    process.exit(1);
  }
}

module.exports = {
  ROOT,
  NOTEBOOKS,
  UsageError,
  region,
  stubLines,
  instructorNotebook,
  studentNotebook,
  exercisesOf,
  serialize,
  listChapters,
  selectChapters,
  buildNotebooks,
  invocationDir,
  tempDir,
  build,
  main,
};
