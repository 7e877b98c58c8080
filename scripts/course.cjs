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

const { cellText: text } = require('./notebook-module.cjs');
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

/** SHA-256 of a string, hex. */
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * The graded exercises of an instructor notebook, in order: [{ id, points,
 * solution, tests (cell indexes), stub (the student version's solution cell),
 * testsSha256 (hash of the instructor's test cell, hidden tests included) }].
 * Throws unless each exercise has one solution cell followed by one test cell
 * with the same points.
 */
function exerciseList(nb, student = studentNotebook(nb)) {
  const byId = new Map();
  for (const e of exercisesOf(nb)) {
    const x = byId.get(e.id) || { id: e.id, points: e.points, solution: undefined, tests: undefined };
    if (x[e.role] !== undefined) throw new Error(`exercise ${e.id}: two ${e.role} cells (cells ${x[e.role] + 1} and ${e.index + 1})`);
    if (e.points !== x.points) throw new Error(`exercise ${e.id}: its cells give different points (${x.points} and ${e.points})`);
    x[e.role] = e.index;
    byId.set(e.id, x);
  }
  return [...byId.values()].map((x) => {
    if (x.solution === undefined || x.tests === undefined || x.tests < x.solution) throw new Error(`exercise ${x.id}: expected a solution cell followed by a test cell`);
    if (!Number.isInteger(x.points) || x.points <= 0) throw new Error(`exercise ${x.id}: points must be a positive integer, got ${JSON.stringify(x.points)}`);
    return { ...x, stub: text(student.cells[x.solution]), testsSha256: sha256(text(nb.cells[x.tests])) };
  });
}

/** The build's manifest: each notebook's exercises, their points and the hash of their instructor tests. */
function manifestOf(built) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return {
    note: 'Written by `npm run course -- build`. testsSha256: SHA-256 of the instructor test cell (hidden tests included), as `course grade --instructor` checks it.',
    course: `${pkg.name} ${pkg.version}`,
    notebooks: built.map((b) => ({
      file: b.file,
      maxScore: b.exerciseList.reduce((n, e) => n + e.points, 0),
      exercises: b.exerciseList.map((e) => ({ id: e.id, points: e.points, solutionCell: b.instructor.cells[e.solution].id ?? null, testsCell: b.instructor.cells[e.tests].id ?? null, testsSha256: e.testsSha256 })),
    })),
  };
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
    const student = studentNotebook(nb, c.file);
    const instructor = instructorNotebook(nb);
    let list;
    try {
      list = exerciseList(instructor, student);
    } catch (e) {
      throw new Error(`${c.file}: ${e.message}`);
    }
    return { file: c.file, instructor, student, exercises: list.map((e) => e.id), exerciseList: list };
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
 * Writes DIR/instructor, DIR/student and DIR/manifest.json. Each is written
 * completely in a temporary folder beside DIR, then renamed into place (an
 * older one is moved aside first and deleted after). Returns { out,
 * notebooks, written: [paths] }.
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
    fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifestOf(built), null, 2)}\n`);
    if (!st) {
      fs.renameSync(tmp, dir); // a new DIR appears complete or not at all
    } else {
      for (const version of ['instructor', 'student']) {
        const target = path.join(dir, version);
        const old = path.join(tmp, `${version}.old`);
        if (fs.existsSync(target)) fs.renameSync(target, old);
        fs.renameSync(path.join(tmp, version), target);
      }
      fs.renameSync(path.join(tmp, 'manifest.json'), path.join(dir, 'manifest.json'));
      rmQuiet(tmp);
    }
  } catch (e) {
    rmQuiet(tmp);
    throw e;
  }
  for (const version of ['instructor', 'student']) for (const b of built) written.push(path.join(dir, version, b.file));
  written.push(path.join(dir, 'manifest.json'));
  return { out: dir, notebooks: built, written };
}

const usage = () => `usage: npm run course -- build --out DIR [--chapters 04,05]
       npm run course -- grade PATH [--json] [--out DIR] [--instructor DIR] [options]

  build          write DIR/instructor/ (notebooks as they are, outputs cleared),
                 DIR/student/ (solutions stubbed, hidden tests removed, tests
                 locked) and DIR/manifest.json (exercises, points, test hashes)
  --out DIR      the folder to write (created; other entries in it are left alone)
  --chapters     comma-separated chapters (notebook number or name); default: all
                 notebooks in notebooks/

  grade          grade PATH, one submitted notebook or a folder of them, with the
                 instructor's tests in a sandbox (course/grading.md)
  --out DIR      where to write gradebook.csv, results.json and feedback/*.md
                 (default for a folder: PATH-graded; for one notebook: nothing)
  --instructor DIR  the instructor notebooks (a build's instructor/; checked
                 against its manifest.json); default: notebooks/
  --chapter C    grade every submission as chapter C (default: from the file
                 name, else from the exercises inside)
  --json         print the result as one JSON object on the last stdout line
  --timeout S    seconds per exercise (default ${grading().DEFAULTS.timeoutS})
  --submission-timeout S  seconds per submission (default ${grading().DEFAULTS.submissionTimeoutS})
  --memory MB    memory per exercise run (default ${grading().DEFAULTS.memoryMb})
  --jobs N       submissions graded at once (default 1)`;

/** The grader, loaded when needed (it needs TypeScript and csv-stringify, the builder does not). */
function grading() {
  return require('./grade.cjs');
}

const positiveNumber = (option, v, integer = false) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${option}: expected a positive ${integer ? 'integer' : 'number'}, got "${v}"`);
  return n;
};

async function main(argv) {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        chapters: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        instructor: { type: 'string' },
        chapter: { type: 'string' },
        timeout: { type: 'string' },
        'submission-timeout': { type: 'string' },
        memory: { type: 'string' },
        jobs: { type: 'string' },
      },
    }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) {
    console.log(usage());
    return;
  }
  if (positionals.length === 0) throw new UsageError('missing command: build or grade');
  const command = positionals[0];
  if (command === 'grade') {
    if (values.chapters !== undefined) throw new UsageError('--chapters: is for build; grade takes --chapter');
    if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
    const g = grading();
    const r = await g.grade({
      target: positionals[1],
      out: values.out,
      instructorDir: values.instructor,
      chapter: values.chapter,
      timeoutS: positiveNumber('timeout', values.timeout),
      submissionTimeoutS: positiveNumber('submission-timeout', values['submission-timeout']),
      memoryMb: positiveNumber('memory', values.memory, true),
      jobs: positiveNumber('jobs', values.jobs, true),
      onResult: (x) => console.log(g.describeResult(x)),
    });
    const box = r.sandbox;
    console.log(`course: ${r.submissions ? `${r.submissions.length} submission(s)` : '1 submission'}: ${r.score} / ${r.maxScore} points (sandbox: permission model${box.unshare ? ', no network, own process ids' : ', NO network namespace (unshare unavailable)'}${box.prlimit ? ', memory limit' : ''})`);
    if (r.out) console.log(`course: wrote ${path.join(r.out, 'gradebook.csv')}, ${path.join(r.out, 'results.json')} and ${path.join(r.out, 'feedback')}/`);
    if (values.json) console.log(JSON.stringify(r));
    return;
  }
  if (command !== 'build') throw new UsageError(`unknown command "${command}" (expected: build or grade)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  for (const o of ['json', 'instructor', 'chapter', 'timeout', 'submission-timeout', 'memory', 'jobs']) if (values[o] !== undefined) throw new UsageError(`--${o}: is for grade, not build`);
  const r = build({ out: values.out, chapters: values.chapters });
  const exercises = r.notebooks.reduce((n, b) => n + b.exercises.length, 0);
  console.log(`course: wrote ${r.notebooks.length} notebook(s) to ${path.join(r.out, 'instructor')} and ${path.join(r.out, 'student')} (${exercises} exercise(s) stubbed in the student version), and ${path.join(r.out, 'manifest.json')}:`);
  for (const f of r.written) console.log(`  ${f}`);
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
  exerciseList,
  manifestOf,
  serialize,
  listChapters,
  selectChapters,
  buildNotebooks,
  invocationDir,
  tempDir,
  build,
  main,
};

// After module.exports: `grade` loads scripts/grade.cjs, which uses this module.
if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    if (e instanceof UsageError) {
      console.error(`course: ${e.message}\n\n${usage()}`);
      process.exit(2);
    }
    console.error(`course: ${e.message}`);
    process.exit(1);
  });
}
