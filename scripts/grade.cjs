// The course's autograder: `npm run course -- grade PATH [--json] [--out DIR]`
// (scripts/course.cjs parses the command line; this file does the work).
//
// PATH is one submitted notebook or a folder of them. For each submission and
// each exercise of its chapter, a child process in a sandbox runs a program
// made of:
//   - the instructor's cells (never the submission's) up to the exercise's test
//     cell, with
//   - the learner's solution cell of that exercise (and of the earlier ones that
//     ran in their own runs; a stub for those that did not), and
//   - the instructor's test cell (visible and hidden tests), followed by a
//     "passed" hook whose name is random.
// Only a line carrying the run's secret nonce on the child's fd 3 counts as a
// pass (scripts/grade-harness.cjs); output text is never read for pass or fail.
// The sandbox and what it does not cover: course/grading.md.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');
const { stringify: csvStringify } = require('csv-stringify/sync');
const course = require('./course.cjs');
const nbm = require('./notebook-module.cjs');

const { ROOT, UsageError } = course;
const HARNESS = path.join(__dirname, 'grade-harness.cjs');

/** Defaults, also shown by --help. */
const DEFAULTS = { timeoutS: 60, submissionTimeoutS: 600, memoryMb: 2048, outputKb: 64 };

// ---------------------------------------------------------------------------
// The instructor side

/**
 * The instructor's chapters: [{ file, chapter, nb, exercises: [{ id, points,
 * solution, tests, stub, testsSha256 }] }], from a folder of instructor
 * notebooks (a `course build`'s instructor/) or, by default, from notebooks/.
 * A folder of student notebooks works too: grading then uses the visible
 * tests only (what learners see; the tests use it to check them).
 * When the folder's parent holds the build's manifest.json, each exercise's
 * test cell must still hash as the manifest says.
 */
function loadInstructor(dir) {
  const folder = dir ? path.resolve(course.invocationDir(), dir) : course.NOTEBOOKS;
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`--instructor: ${folder} is not a folder of instructor notebooks (e.g. course-build/instructor)`);
  const chapters = course.listChapters(folder).map((c) => {
    const nb = course.instructorNotebook(JSON.parse(fs.readFileSync(c.path, 'utf8')));
    // The student version gives the stubs; a folder of student notebooks (no markers left) grades with the visible tests only.
    const markers = nb.cells.some((cell) => /\/\/ (BEGIN|END) (SOLUTION|HIDDEN TESTS)/.test(nbm.cellText(cell)));
    const student = markers ? course.studentNotebook(nb, c.file) : nb; // also checks the markers
    return { file: c.file, chapter: c.chapter, nb, exercises: course.exerciseList(nb, student) };
  });
  if (chapters.length === 0) throw new UsageError(`--instructor: no notebooks in ${folder}`);
  const manifestFile = path.join(path.dirname(folder), 'manifest.json');
  let manifest;
  if (dir && fs.existsSync(manifestFile)) {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const ch of chapters) {
      const m = (manifest.notebooks || []).find((n) => n.file === ch.file);
      if (!m) continue;
      for (const ex of ch.exercises) {
        const me = m.exercises.find((e) => e.id === ex.id);
        if (me && me.testsSha256 !== ex.testsSha256) throw new Error(`${ch.file}: the tests of ${ex.id} differ from ${manifestFile} (hash ${ex.testsSha256.slice(0, 12)}, manifest ${me.testsSha256.slice(0, 12)}); build again`);
      }
    }
  }
  return { folder, chapters, manifest: manifest ? manifestFile : null };
}

// ---------------------------------------------------------------------------
// Static checks of a learner's solution cell

const ASSIGNMENT_OPERATORS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

const parse = (source) => ts.createSourceFile('cell.ts', source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

/** Names bound by a binding name (identifier or destructuring pattern). */
function bindingNames(name, out = []) {
  if (!name) return out;
  if (ts.isIdentifier(name)) out.push(name.text);
  else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) for (const e of name.elements) if (!ts.isOmittedExpression(e)) bindingNames(e.name, out);
  return out;
}

/** The run-time names a cell declares at its top level (types and interfaces erase, so they do not count). */
function topLevelNames(source) {
  const names = [];
  for (const s of parse(source).statements) {
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) names.push(s.name.text);
    else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) names.push(s.name.text);
    else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(d.name, names);
    else if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) names.push(c.name.text);
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) names.push(c.namedBindings.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) names.push(e.name.text);
    } else if (ts.isImportEqualsDeclaration(s)) names.push(s.name.text);
  }
  return names;
}

/** Identifiers a cell assigns to (=, +=, ++, destructuring), and every name it declares anywhere. */
function assignmentsAndDeclarations(source) {
  const assigned = [];
  const declared = new Set();
  const targets = (e) => {
    if (!e) return;
    if (ts.isParenthesizedExpression(e)) targets(e.expression);
    else if (ts.isIdentifier(e)) assigned.push(e.text);
    else if (ts.isArrayLiteralExpression(e)) e.elements.forEach((x) => targets(ts.isSpreadElement(x) ? x.expression : x));
    else if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isShorthandPropertyAssignment(p)) assigned.push(p.name.text);
        else if (ts.isPropertyAssignment(p)) targets(p.initializer);
        else if (ts.isSpreadAssignment(p)) targets(p.expression);
      }
    } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) targets(e.left);
  };
  const visit = (n) => {
    if (ts.isBinaryExpression(n) && ASSIGNMENT_OPERATORS.has(n.operatorToken.kind)) targets(n.left);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) targets(n.operand);
    else if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && !ts.isVariableDeclarationList(n.initializer)) targets(n.initializer);
    if (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) bindingNames(n.name).forEach((x) => declared.add(x));
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.name) declared.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(parse(source));
  return { assigned, declared };
}

/**
 * Why a learner's solution cell cannot run, or undefined: a syntax error (a
 * cell must stand on its own: no unclosed brace or comment swallowing the
 * tests), a top-level name that a cell of the instructor's also declares (which
 * would replace a test helper such as expectClose), or an assignment to one.
 */
function checkSolutionCell(source, protectedNames) {
  const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const syntax = (out.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax.length > 0) {
    const d = syntax[0];
    const line = d.file && d.start !== undefined ? ` (line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
    return { status: 'error', message: `syntax error in your solution cell${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}` };
  }
  const redeclared = topLevelNames(source).filter((n) => protectedNames.has(n));
  if (redeclared.length > 0) {
    return { status: 'refused', message: `your solution cell declares ${redeclared.map((n) => `\`${n}\``).join(', ')}, which the notebook's own cells define (a test helper or a value the tests use); rename yours` };
  }
  const { assigned, declared } = assignmentsAndDeclarations(source);
  const overwritten = [...new Set(assigned.filter((n) => protectedNames.has(n) && !declared.has(n)))];
  if (overwritten.length > 0) {
    return { status: 'refused', message: `your solution cell assigns to ${overwritten.map((n) => `\`${n}\``).join(', ')}, which the notebook's own cells define (a test helper or a value the tests use); leave it alone` };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Submissions

/** The submitted notebooks under PATH: [{ file, student }]. */
function findSubmissions(p) {
  const st = fs.statSync(p);
  if (st.isFile()) return [{ file: p, student: path.basename(p, '.ipynb') }];
  const found = [];
  const walk = (dir, depth) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(full, depth + 1);
      else if (e.isFile() && e.name.endsWith('.ipynb')) found.push(full);
    }
  };
  walk(p, 0);
  return found.map((file) => {
    const rel = path.relative(p, file).split(path.sep);
    return { file, student: rel.length > 1 ? rel[0] : path.basename(file, '.ipynb') };
  });
}

const firstLine = (src) => src.split('\n')[0].trim();

/** The exercise ids a notebook's cells name (metadata or first comment line). */
function namedExercises(nb) {
  const ids = new Set();
  for (const c of nb.cells || []) {
    const src = nbm.cellText(c);
    const m = /^\/\/ exercise: ([\w-]+), points: \d+/.exec(firstLine(src));
    if (c.metadata && c.metadata.course && typeof c.metadata.course.exercise === 'string') ids.add(c.metadata.course.exercise);
    else if (m) ids.add(m[1]);
  }
  return ids;
}

/** The instructor chapter a submission is for: --chapter, else its file name, else its exercises. */
function chapterOf(instructor, sub, nb, wanted) {
  const byName = (w) => instructor.chapters.find((c) => c.chapter === w || c.file === w || c.file === `${w}.ipynb`);
  if (wanted) return { chapter: byName(wanted) };
  const base = path.basename(sub.file);
  const named = instructor.chapters.find((c) => c.file === base) || instructor.chapters.find((c) => base.startsWith(`${c.chapter}-`));
  const ids = nb ? namedExercises(nb) : new Set();
  const byContent = instructor.chapters
    .map((c) => ({ c, n: c.exercises.filter((e) => ids.has(e.id)).length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n)[0];
  if (named) {
    const other = byContent && byContent.c !== named && !named.exercises.some((e) => ids.has(e.id)) ? byContent.c : undefined;
    return { chapter: named, other };
  }
  return { chapter: byContent ? byContent.c : undefined };
}

/**
 * The learner's solution cell of each exercise, and notes on what was found:
 * found by metadata (course.exercise, role solution), else by its first line
 * (`// exercise: <id>, points: <n>`); moved, renamed and deleted cells are noted.
 */
function solutionCells(chapter, nb) {
  const notes = [];
  const byId = new Map();
  const codeCells = (nb.cells || []).filter((c) => c && c.cell_type === 'code');
  for (const ex of chapter.exercises) {
    const candidates = codeCells.filter((c) => {
      const m = c.metadata && c.metadata.course;
      if (m && m.exercise === ex.id) return m.role === 'solution';
      const fl = firstLine(nbm.cellText(c));
      return fl.startsWith(`// exercise: ${ex.id},`) && !fl.endsWith('(tests)');
    });
    if (candidates.length === 0) continue;
    if (candidates.length > 1) notes.push(`${ex.id}: ${candidates.length} solution cells; the last one was graded`);
    byId.set(ex.id, nbm.cellText(candidates[candidates.length - 1]));
  }
  // Order and unknown exercise cells.
  const order = codeCells.flatMap((c) => {
    const m = c.metadata && c.metadata.course;
    return m && m.role === 'solution' ? [m.exercise] : [];
  });
  const known = new Set(chapter.exercises.map((e) => e.id));
  for (const id of order) if (!known.has(id)) notes.push(`a solution cell names exercise "${id}", which ${chapter.file} does not have (renamed?); it was not graded`);
  const expected = chapter.exercises.map((e) => e.id).filter((id) => order.includes(id));
  if (order.filter((id) => known.has(id)).join() !== expected.join()) notes.push('exercise cells were moved; each was graded in its place in the instructor notebook');
  return { byId, notes };
}

// ---------------------------------------------------------------------------
// The sandbox

let sandboxCache;
/** How children are isolated on this machine: { prefix: [command, ...args], network: bool, pid: bool }. */
function sandboxPrefix() {
  if (sandboxCache) return sandboxCache;
  const ok = (cmd, args) => {
    try {
      return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
    } catch {
      return false;
    }
  };
  const prlimit = process.platform === 'linux' && ok('prlimit', ['--version']);
  const unshare = process.platform === 'linux' && process.env.DL_COURSE_GRADE_NO_UNSHARE !== '1' && ok('unshare', ['-r', '-n', '-p', '-f', '--kill-child', 'true']);
  sandboxCache = { unshare, prlimit };
  return sandboxCache;
}

/** Paths under node_modules that may be read: every package folder except links (node_modules/dl-course links back to the repository, instructor notebooks included). */
function readableModules(modules) {
  const out = [];
  for (const e of fs.readdirSync(modules, { withFileTypes: true })) {
    const full = path.join(modules, e.name);
    if (e.isSymbolicLink() || e.name === '.bin') continue;
    if (e.isDirectory() && e.name.startsWith('@')) {
      const inner = fs.readdirSync(full, { withFileTypes: true });
      if (inner.some((i) => i.isSymbolicLink())) out.push(...inner.filter((i) => !i.isSymbolicLink()).map((i) => path.join(full, i.name)));
      else out.push(full);
    } else if (e.isDirectory()) out.push(full);
  }
  return out;
}

/** The linked packages of node_modules (dl-course): { name: resolved entry file }, and the folders to read for them. */
function linkedPackages(modules) {
  const aliases = {};
  const reads = [];
  for (const e of fs.readdirSync(modules, { withFileTypes: true })) {
    if (!e.isSymbolicLink()) continue;
    try {
      const real = fs.realpathSync(path.join(modules, e.name));
      const entry = require.resolve(e.name, { paths: [path.dirname(modules)] });
      aliases[e.name] = entry;
      // The entry's folder (dl-course: dist/lib), never the whole repository behind the link.
      reads.push(path.join(real, 'package.json'), path.dirname(entry) === real ? entry : path.dirname(entry));
      // The data the package ships (dl-course: data/intents, chapter 06), as listed in its package.json "files".
      const shipped = (JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8')).files || []).filter((f) => /^data\//.test(f));
      for (const f of shipped) if (fs.existsSync(path.join(real, f))) reads.push(path.resolve(real, f));
    } catch {
      // a broken link: nothing to read
    }
  }
  return { aliases, reads };
}

/** The data the chapters read (the grader's environment says where; chapter 08 reads the recorded bench runs), readable in the sandbox. */
function dataPaths(env) {
  const paths = [path.join(ROOT, 'bench', 'results')];
  for (const v of ['DL_COURSE_CIFAR10', 'DL_COURSE_FASHION_MNIST']) if (env[v]) paths.push(path.resolve(env[v]));
  const cache = env.DL_COURSE_CACHE_DIR || (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'dl-course') : path.join(os.homedir(), '.cache', 'dl-course'));
  // The spoken-keyword data set the repository ships (chapter 06c): clips and their index, no solutions.
  paths.push(path.resolve(cache), '/usr/share/datasets', path.join(ROOT, 'data', 'keywords'));
  return paths.filter((p) => fs.existsSync(p));
}

/** The permission model's flag: `--permission` from Node 22.13 and 23.5 (Node 24 refuses the old name), `--experimental-permission` before. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/** Node's flags for the child: permission model (reads listed, writes to scratch only), frozen built-ins, no eval, heap limit. */
function nodeFlags({ scratch, memoryMb }) {
  const modules = path.join(ROOT, 'node_modules');
  const reads = [HARNESS, ...linkedPackages(modules).reads, ...readableModules(modules), ...dataPaths(process.env), scratch];
  return [
    PERMISSION_FLAG,
    ...reads.map((r) => `--allow-fs-read=${r}`),
    `--allow-fs-write=${scratch}`,
    '--frozen-intrinsics',
    '--disallow-code-generation-from-strings',
    `--max-old-space-size=${Math.max(64, Math.floor(memoryMb * 0.75))}`,
    '--no-warnings',
    '--stack-size=2000',
  ];
}

/** The child's environment: nothing of the grader's but what the chapters need. */
function childEnv(scratch) {
  const env = { PATH: process.env.PATH || '/usr/bin:/bin', HOME: scratch, TMPDIR: scratch, COURSE_QUICK: '1', DL_COURSE_WASM_THREADS: '1', NODE_ENV: 'production', LANG: 'C.UTF-8' };
  for (const v of ['DL_COURSE_CIFAR10', 'DL_COURSE_FASHION_MNIST', 'DL_COURSE_CACHE_DIR', 'DL_COURSE_BACKEND']) if (process.env[v]) env[v] = path.isAbsolute(process.env[v]) || v === 'DL_COURSE_BACKEND' ? process.env[v] : path.resolve(process.env[v]);
  if (!env.DL_COURSE_CACHE_DIR) env.DL_COURSE_CACHE_DIR = path.join(os.homedir(), '.cache', 'dl-course');
  if (process.env.COURSE_QUICK !== undefined) env.COURSE_QUICK = process.env.COURSE_QUICK;
  return env;
}

/** Keeps the first `limit` bytes of a stream's output, counting the rest. */
function capture(limit) {
  const chunks = [];
  let kept = 0;
  let total = 0;
  return {
    push(b) {
      total += b.length;
      if (kept < limit) {
        const part = b.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.length;
      }
    },
    get total() {
      return total;
    },
    text() {
      const t = Buffer.concat(chunks).toString('utf8');
      return total > kept ? `${t}\n… (${total - kept} more bytes of output not kept)` : t;
    },
  };
}

/**
 * Runs one program in the sandbox. Resolves to { events: [{ event, text }],
 * output, timedOut, killedForOutput, code, signal, seconds }.
 */
function runSandboxed({ program, hook, freeze, timeoutS, memoryMb, outputKb }) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-grade-'));
  const nonce = crypto.randomBytes(24).toString('hex');
  const box = sandboxPrefix();
  const node = [process.execPath, ...nodeFlags({ scratch, memoryMb }), HARNESS];
  let argv = node;
  if (box.prlimit) argv = ['prlimit', `--data=${memoryMb * 1024 * 1024}`, `--nproc=4096`, '--core=0', '--', ...argv];
  if (box.unshare) argv = ['unshare', '-r', '-n', '-p', '-f', '--kill-child', ...argv];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: scratch, env: childEnv(scratch), stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true });
    const out = capture(outputKb * 1024);
    const events = [];
    let pending = '';
    let timedOut = false;
    let killedForOutput = false;
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        try {
          child.kill('SIGKILL');
        } catch {
          // gone
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutS * 1000);
    const onOutput = (b) => {
      out.push(b);
      if (out.total > 64 * 1024 * 1024 && !killedForOutput) {
        killedForOutput = true;
        kill();
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.stdio[3].on('data', (b) => {
      pending += b.toString('utf8');
      if (pending.length > 1e6) pending = pending.slice(-1e5); // a flood from the learner's code: drop it
      let i;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        const m = /^([0-9a-f]+) (loaded|pass|fail|start) (".*")$/.exec(line);
        if (m && m[1] === nonce) {
          try {
            events.push({ event: m[2], text: JSON.parse(m[3]) });
          } catch {
            // not ours
          }
        }
      }
    });
    child.stdio[3].on('error', () => {});
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify({ nonce, hook, program, freeze, resolveFrom: path.join(ROOT, 'notebooks'), aliases: linkedPackages(path.join(ROOT, 'node_modules')).aliases }));
    child.on('error', (e) => events.push({ event: 'spawn-error', text: e.message }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      kill(); // anything it left behind in its group
      fs.rmSync(scratch, { recursive: true, force: true });
      resolve({ events, output: out.text(), timedOut, killedForOutput, code, signal, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

// ---------------------------------------------------------------------------
// Grading

/** The packages whose exports the harness freezes before notebook code runs: those the program imports, and TF.js's parts. */
function packagesToFreeze(js) {
  const names = new Set([...js.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]).filter((n) => !n.startsWith('node:')));
  if (names.has('@tensorflow/tfjs')) for (const n of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) names.add(n);
  return [...names];
}

/** The program of one exercise's run (see the top of this file), as JavaScript. */
function exerciseProgram(chapter, k, solutions, hook) {
  const ex = chapter.exercises[k];
  const sources = [];
  chapter.nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code' || index > ex.tests) return;
    const role = cell.metadata && cell.metadata.course;
    if (role && role.role === 'solution') {
      if (role.exercise === ex.id) {
        sources.push(`${hook}.start();`, solutions.get(ex.id), `${hook}.loaded();`);
      } else {
        const other = chapter.exercises.find((e) => e.id === role.exercise);
        sources.push(solutions.has(role.exercise) ? solutions.get(role.exercise) : other.stub);
      }
    } else if (role && role.role === 'tests') {
      if (role.exercise === ex.id) sources.push(nbm.cellText(cell), `${hook}.pass();`);
    } else {
      sources.push(nbm.cellText(cell));
    }
  });
  const { imports, body } = nbm.splitImports(sources);
  const main = `__dlc_main_${crypto.randomBytes(8).toString('hex')}`; // its name shows in stack traces: not the hook's
  const ts_ = `${imports.join('\n')}\n\nasync function ${main}(): Promise<void> {\n${body.join('\n')}\n}\n`;
  return `'use strict';\n${nbm.transpile(ts_)}\nreturn ${main}();\n`;
}

/** Names the learner's solution of exercise k may not declare or assign: those of the instructor cells its run includes. */
function protectedNames(chapter, k) {
  const ex = chapter.exercises[k];
  const names = new Set();
  chapter.nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code' || index > ex.tests) return;
    const role = cell.metadata && cell.metadata.course;
    if (role && role.role === 'solution') return;
    if (role && role.role === 'tests' && role.exercise !== ex.id) return;
    for (const n of topLevelNames(nbm.cellText(cell))) names.add(n);
  });
  return names;
}

/** One exercise's result from its run. */
function verdict(ex, run) {
  const base = { id: ex.id, maxPoints: ex.points, seconds: Math.round(run.seconds * 10) / 10 };
  const ev = (name) => run.events.find((e) => e.event === name);
  if (ev('pass')) return { ...base, points: ex.points, passed: true, status: 'passed', message: 'all tests passed', loaded: true };
  const loaded = Boolean(ev('loaded'));
  const started = Boolean(ev('start'));
  const fail = ev('fail');
  const output = run.output.trim();
  const tail = output.split('\n').slice(-6).join('\n');
  const failed = (status, message) => ({ ...base, points: 0, passed: false, status, message, loaded, output: run.output });
  if (run.timedOut) return failed('timeout', `timed out: still running after ${run.timeoutS} s (an endless loop, or far too slow)${loaded ? ' while the tests ran' : ' while your solution cell ran'}`);
  if (run.killedForOutput) return failed('output', 'stopped: printed more than 64 MB of output');
  const memory = /heap out of memory|Reached heap limit|Array buffer allocation failed|allocation failed|Cannot allocate memory|RangeError: (Invalid array length|Invalid typed array length|Array buffer allocation)|WebAssembly.Memory/i;
  if (!fail && (run.signal === 'SIGABRT' || run.signal === 'SIGSEGV' || run.code === 134 || memory.test(tail))) return failed('memory', `stopped: ran out of the ${run.memoryMb} MB memory limit${tail ? ` (${tail.split('\n').pop()})` : ''}`);
  if (fail) {
    const text = fail.text;
    if (memory.test(text)) return failed('memory', `stopped: ran out of the ${run.memoryMb} MB memory limit (${text})`);
    if (text.includes(`not implemented: ${ex.id}`)) return failed('not-done', `not done yet: the solution cell still throws "not implemented: ${ex.id}"; replace the stub with your solution`);
    if (/^the sandbox refused|sandbox does not allow/.test(text)) return failed('error', text); // also from an import line, which runs first
    if (!started) return failed('error', `the notebook stopped before your solution cell ran: ${text}`);
    if (!loaded) return failed('error', `your solution cell threw when it ran: ${text}`);
    return failed('failed', `a test failed: ${text}`);
  }
  const spawnError = ev('spawn-error');
  if (spawnError) return failed('error', `the grader could not start the sandbox: ${spawnError.text}`);
  return failed('error', `the run ended without a result (exit ${run.signal || run.code})${tail ? `: ${tail}` : ''}`);
}

/** Grades one submission against its chapter: { student, file, chapter, notebook, score, maxScore, exercises, notes }. */
async function gradeSubmission(instructor, sub, opts) {
  const result = { student: sub.student, file: sub.file, chapter: null, notebook: null, score: 0, maxScore: 0, exercises: [], notes: [] };
  let nb;
  try {
    nb = JSON.parse(fs.readFileSync(sub.file, 'utf8'));
    if (!nb || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new Error('it is JSON but not a notebook (no "cells" list)');
  } catch (e) {
    nb = undefined;
    result.notes.push(`not a readable notebook: ${e.message}`);
  }
  const { chapter, other } = chapterOf(instructor, sub, nb, opts.chapter);
  if (!chapter) {
    result.notes.push(`could not tell which chapter this is (its name matches no notebook of ${instructor.folder}, nor do its exercises)`);
    result.status = 'unknown-chapter';
    return result;
  }
  Object.assign(result, { chapter: chapter.chapter, notebook: chapter.file, maxScore: chapter.exercises.reduce((s, e) => s + e.points, 0) });
  const zero = (status, message) => chapter.exercises.map((ex) => ({ id: ex.id, maxPoints: ex.points, points: 0, passed: false, status, message }));
  if (!nb) {
    result.exercises = zero('invalid', 'not graded: the file is not a valid notebook (see the notes)');
    result.status = 'invalid';
    return result;
  }
  if (other) {
    result.notes.push(`this is chapter ${other.chapter}'s notebook (${other.file}: its exercises), not ${chapter.file}`);
    result.exercises = zero('wrong-chapter', `not graded: the file holds chapter ${other.chapter}'s exercises, not ${chapter.chapter}'s`);
    result.status = 'wrong-chapter';
    return result;
  }
  const found = solutionCells(chapter, nb);
  result.notes.push(...found.notes);
  const usable = new Map(); // exercise id -> learner's source, once it ran in its own run
  const deadline = Date.now() + opts.submissionTimeoutS * 1000;
  for (let k = 0; k < chapter.exercises.length; k++) {
    const ex = chapter.exercises[k];
    const src = found.byId.get(ex.id);
    if (src === undefined) {
      result.exercises.push({ id: ex.id, maxPoints: ex.points, points: 0, passed: false, status: 'missing', message: `no solution cell for ${ex.id}: it was deleted, or its first line (\`// exercise: ${ex.id}, points: ${ex.points}\`) and metadata were changed` });
      continue;
    }
    const problem = checkSolutionCell(src, protectedNames(chapter, k));
    if (problem) {
      result.exercises.push({ id: ex.id, maxPoints: ex.points, points: 0, passed: false, ...problem });
      continue;
    }
    const left = (deadline - Date.now()) / 1000;
    if (left < 1) {
      result.exercises.push({ id: ex.id, maxPoints: ex.points, points: 0, passed: false, status: 'timeout', message: `not run: the submission used up its ${opts.submissionTimeoutS} s` });
      continue;
    }
    const hook = `__dlc_${crypto.randomBytes(16).toString('hex')}`;
    const solutions = new Map([...usable, [ex.id, src]]);
    const program = exerciseProgram(chapter, k, solutions, hook);
    const timeoutS = Math.min(opts.timeoutS, left);
    const run = await runSandboxed({ program, hook, freeze: packagesToFreeze(program), timeoutS, memoryMb: opts.memoryMb, outputKb: opts.outputKb });
    const v = verdict(ex, { ...run, timeoutS: Math.round(timeoutS), memoryMb: opts.memoryMb });
    if (v.loaded) usable.set(ex.id, src);
    delete v.loaded;
    if (v.passed) delete v.output;
    result.exercises.push(v);
  }
  result.score = result.exercises.reduce((s, e) => s + e.points, 0);
  result.status = 'graded';
  return result;
}

// ---------------------------------------------------------------------------
// Reports

/** A Markdown code fence longer than any run of backticks in `text`. */
const fence = (text) => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
const oneLine = (s) => String(s).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/** The learner's feedback, in Markdown. */
function feedbackMarkdown(r) {
  const lines = [`# Feedback: ${r.notebook || path.basename(r.file)}`, '', `- Student: ${r.student}`, `- File: \`${path.basename(r.file)}\``];
  if (r.chapter) lines.push(`- Chapter: ${r.chapter} (${r.notebook})`);
  lines.push(`- Score: **${r.score} / ${r.maxScore}**`, '');
  if (r.exercises.length > 0) {
    lines.push('| exercise | points | result | details |', '| --- | --- | --- | --- |');
    for (const e of r.exercises) lines.push(`| \`${e.id}\` | ${e.points} / ${e.maxPoints} | ${e.passed ? 'passed' : e.status} | ${oneLine(e.message).slice(0, 500)} |`);
    lines.push('');
  }
  if (r.notes.length > 0) lines.push('## Notes', '', ...r.notes.map((n) => `- ${oneLine(n)}`), '');
  for (const e of r.exercises.filter((x) => !x.passed && x.output && x.output.trim())) {
    const out = e.output.trim().slice(0, 4000);
    const f = fence(out);
    lines.push(`## Output of \`${e.id}\``, '', `${f}text`, out, f, '');
  }
  lines.push('Graded by `npm run course -- grade`: your solution cells ran with the instructor\'s tests (visible and hidden) in a sandbox, one exercise at a time.', '');
  return lines.join('\n');
}

/** The gradebook: one row per submission, one column per exercise. */
function gradebookCsv(results) {
  const ids = [...new Set(results.flatMap((r) => r.exercises.map((e) => e.id)))];
  const rows = [['student', 'file', 'chapter', 'score', 'max_score', ...ids, 'status', 'notes']];
  for (const r of results) {
    const byId = new Map(r.exercises.map((e) => [e.id, e]));
    rows.push([r.student, r.relFile || path.basename(r.file), r.chapter || '', r.score, r.maxScore, ...ids.map((id) => (byId.has(id) ? byId.get(id).points : '')), r.status, r.notes.join('; ')]);
  }
  return csvStringify(rows, { escape_formulas: true });
}

/** A file name for a student's feedback (letters, digits, - and _ only). */
const safeName = (s) => String(s).replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 100) || '_';

/** Writes gradebook.csv, results.json and feedback/*.md into `out`: all in a temporary folder, then renamed into place. */
function writeReports(out, results, summary) {
  const parent = path.dirname(out);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = course.tempDir(parent, path.basename(out));
  try {
    fs.mkdirSync(path.join(tmp, 'feedback'));
    const used = new Set();
    for (const r of results) {
      let name = safeName(r.chapter ? `${r.student}-${r.chapter}` : r.student);
      for (let i = 2; used.has(name); i++) name = safeName(`${r.student}-${r.chapter || 'x'}-${i}`);
      used.add(name);
      r.feedback = path.join(out, 'feedback', `${name}.md`);
      fs.writeFileSync(path.join(tmp, 'feedback', `${name}.md`), feedbackMarkdown(r));
    }
    fs.writeFileSync(path.join(tmp, 'gradebook.csv'), gradebookCsv(results));
    fs.writeFileSync(path.join(tmp, 'results.json'), `${JSON.stringify({ ...summary, submissions: results }, null, 2)}\n`);
    if (fs.existsSync(out)) {
      const old = path.join(tmp, '.old');
      fs.renameSync(out, old);
      fs.renameSync(tmp, out);
      fs.rmSync(path.join(out, '.old'), { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, out);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Runs `fn` over `items` with at most `jobs` at a time, keeping the order of results. */
async function pool(items, jobs, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

/**
 * Grades PATH (a notebook or a folder). Returns { path, score, maxScore,
 * exercises, submissions, gradebook?, out? }. `onResult` is called after each submission.
 */
async function grade({ target, out, instructorDir, chapter, timeoutS = DEFAULTS.timeoutS, submissionTimeoutS = DEFAULTS.submissionTimeoutS, memoryMb = DEFAULTS.memoryMb, outputKb = DEFAULTS.outputKb, jobs = 1, onResult }) {
  if (!target) throw new UsageError('PATH: missing; give a submitted notebook or a folder of them');
  const p = path.resolve(course.invocationDir(), target);
  if (!fs.existsSync(p)) throw new UsageError(`PATH: ${p} does not exist`);
  const instructor = loadInstructor(instructorDir);
  if (chapter && !instructor.chapters.some((c) => c.chapter === chapter || c.file === chapter || c.file === `${chapter}.ipynb`)) throw new UsageError(`--chapter: unknown chapter "${chapter}" (chapters: ${instructor.chapters.map((c) => c.chapter).join(', ')})`);
  const isFolder = fs.statSync(p).isDirectory();
  const subs = findSubmissions(p);
  if (isFolder && subs.length === 0) throw new UsageError(`PATH: no .ipynb files in ${p}`);
  const opts = { chapter, timeoutS, submissionTimeoutS, memoryMb, outputKb };
  const results = await pool(subs, jobs, async (s) => {
    const r = await gradeSubmission(instructor, s, opts);
    r.relFile = isFolder ? path.relative(p, s.file) : path.basename(s.file);
    if (onResult) onResult(r);
    return r;
  });
  const perExercise = new Map();
  for (const r of results) {
    for (const e of r.exercises) {
      const x = perExercise.get(e.id) || { id: e.id, chapter: r.chapter, maxPoints: e.maxPoints, submissions: 0, passed: 0 };
      x.submissions++;
      if (e.passed) x.passed++;
      perExercise.set(e.id, x);
    }
  }
  const summary = {
    path: p,
    instructor: instructor.folder,
    manifest: instructor.manifest,
    sandbox: sandboxPrefix(),
    score: results.reduce((s, r) => s + r.score, 0),
    maxScore: results.reduce((s, r) => s + r.maxScore, 0),
  };
  let outDir;
  if (out || isFolder) {
    outDir = path.resolve(course.invocationDir(), out || `${p.replace(/[\\/]+$/, '')}-graded`);
    writeReports(outDir, results, summary);
  }
  if (!isFolder) {
    const r = results[0];
    return { ...summary, student: r.student, file: r.file, chapter: r.chapter, notebook: r.notebook, status: r.status, exercises: r.exercises, notes: r.notes, out: outDir, feedback: r.feedback };
  }
  return { ...summary, exercises: [...perExercise.values()], submissions: results, out: outDir, gradebook: path.join(outDir, 'gradebook.csv') };
}

/** Human-readable lines for one submission. */
function describeResult(r) {
  const lines = [`${r.relFile || r.file}${r.student ? ` (${r.student})` : ''}: ${r.score} / ${r.maxScore}${r.chapter ? `, chapter ${r.chapter}` : ''}`];
  for (const e of r.exercises) lines.push(`  ${e.passed ? 'pass' : 'FAIL'} ${e.id} ${e.points}/${e.maxPoints}${e.passed ? '' : `: ${oneLine(e.message).slice(0, 300)}`}`);
  for (const n of r.notes) lines.push(`  note: ${oneLine(n)}`);
  return lines.join('\n');
}

module.exports = { DEFAULTS, loadInstructor, checkSolutionCell, topLevelNames, findSubmissions, solutionCells, sandboxPrefix, exerciseProgram, gradeSubmission, grade, describeResult, feedbackMarkdown, gradebookCsv };
