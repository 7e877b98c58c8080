/**
 * Test helper: turns a tslab notebook's code cells into a plain CommonJS
 * module (the way tslab compiles cells: TypeScript → CommonJS), so the tests
 * can run a notebook's code with `node`, without a kernel.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The real-image CIFAR-10 subset shipped beside the repository (may be absent). */
export const SUBSET = path.resolve(ROOT, '..', 'shared', 'data', 'cifar10-subset', 'cifar-10-binary.tar.gz');

/**
 * The CIFAR-10 archive of this test run (official binary layout, 10,000 train
 * and 2,000 test images): the real subset when it exists, else a synthetic one
 * that test/setup/global.ts makes. Outside vitest (no globalSetup), the subset.
 */
export const CIFAR10_ARCHIVE = process.env.DLC_TEST_CIFAR10 || SUBSET;

/** Whether {@link CIFAR10_ARCHIVE} holds real photos: tests whose bars need them (accuracy above chance) skip otherwise. */
export const haveRealPhotos = process.env.DLC_TEST_CIFAR10 ? process.env.DLC_TEST_REAL_PHOTOS === '1' : fs.existsSync(SUBSET);

/** Test-name suffix of tests skipped without real photos. */
export const NEEDS_REAL_PHOTOS = '(needs real photos: ../shared/data/cifar10-subset)';

/** The notebook-to-module conversion shared with the grader (scripts/notebook-module.cjs). */
const notebookModule = createRequire(__filename)(path.join(ROOT, 'scripts', 'notebook-module.cjs')) as {
  codeCells(notebook: string): string[];
  notebookToTypeScript(notebook: string): string;
  writeNotebookModule(notebook: string): string;
};

/** Code cells of a notebook, as source strings. */
export function codeCells(notebook: string): string[] {
  return notebookModule.codeCells(notebook);
}

/**
 * TypeScript source of a module running all code cells in order: `import`
 * lines are hoisted, the rest runs inside one async function (cells use
 * top-level await, as tslab allows).
 */
export function notebookToTypeScript(notebook: string): string {
  return notebookModule.notebookToTypeScript(notebook);
}

/** Writes the notebook as a CommonJS .js module beside it (hidden name) and returns its path. */
export function writeNotebookModule(notebook: string): string {
  return notebookModule.writeNotebookModule(notebook);
}

/** One quick-mode run of a notebook: as a plain module, or in the tslab kernel (then `executed` is the saved notebook with its outputs). */
export interface NotebookRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock seconds of the run (for logs only; no test asserts on time). */
  seconds: number;
  /** Kernel runs: path of the executed notebook (read-only: copy it before changing it). */
  executed?: string;
}

/** Quick mode, with the run's CIFAR-10 archive (the real subset, else the synthetic one of test/setup/global.ts). */
function quickEnv(): NodeJS.ProcessEnv {
  return { ...process.env, COURSE_QUICK: '1', DL_COURSE_CIFAR10: CIFAR10_ARCHIVE, JUPYTER_PATH: path.join(ROOT, '.jupyter', 'share', 'jupyter') };
}

/** The run's TMPDIR as it was when the tests started (test/setup/global.ts), even if a test changes process.env.TMPDIR. */
const RUN_TMP = os.tmpdir();

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `run` once per test run for this notebook's content and `kind`, and
 * hands every later caller (in any vitest worker: the cache is a folder in
 * the run's TMPDIR, claimed with an atomic mkdir) the same result. Several
 * test files check the same quick run; executing each notebook once keeps CI
 * short.
 */
function cachedRun(kind: 'module' | 'kernel', notebook: string, timeoutMs: number, run: (outDir: string) => NotebookRun): NotebookRun {
  const key = crypto
    .createHash('sha256')
    .update(`${kind}\0${fs.readFileSync(notebook)}\0${CIFAR10_ARCHIVE}`)
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(RUN_TMP, 'dlc-notebook-runs', `${path.basename(notebook, '.ipynb')}-${kind}-${key}`);
  const result = path.join(dir, 'result.json');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  let mine = false;
  try {
    fs.mkdirSync(dir);
    mine = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (mine) {
    let r: NotebookRun;
    try {
      r = run(dir);
    } catch (err) {
      r = { status: null, stdout: '', stderr: String((err as Error).stack ?? err), seconds: 0 };
    }
    fs.writeFileSync(`${result}.tmp`, JSON.stringify(r));
    fs.renameSync(`${result}.tmp`, result);
    return r;
  }
  const deadline = Date.now() + timeoutMs + 60_000;
  while (!fs.existsSync(result)) {
    if (Date.now() > deadline) throw new Error(`${path.basename(notebook)}: the ${kind} run another test file started did not finish within ${timeoutMs / 1000} s`);
    sleepMs(500);
  }
  return JSON.parse(fs.readFileSync(result, 'utf8')) as NotebookRun;
}

/** The notebook run once as a plain module in quick mode (shared by every test file that asks; see {@link cachedRun}). */
export function notebookModuleRun(notebook: string, timeoutMs = 600_000): NotebookRun {
  return cachedRun('module', notebook, timeoutMs, () => {
    const file = writeNotebookModule(notebook);
    const t0 = Date.now();
    try {
      const r = spawnSync(process.execPath, [file], { cwd: path.dirname(notebook), env: quickEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
      return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`, seconds: (Date.now() - t0) / 1000 };
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
}

/** The notebook run once in a real tslab kernel in quick mode (scripts/run_notebook.py), shared like {@link notebookModuleRun}. */
export function notebookKernelRun(notebook: string, timeoutMs = 900_000): NotebookRun {
  return cachedRun('kernel', notebook, timeoutMs, (outDir) => {
    const t0 = Date.now();
    const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'run_notebook.py'), notebook, '--out', outDir], { cwd: ROOT, env: quickEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`, seconds: (Date.now() - t0) / 1000, executed: path.join(outDir, path.basename(notebook)) };
  });
}

/** stdout of the notebook's quick-mode module run; throws with its output when it fails. */
export function runNotebookQuick(notebook: string, timeoutMs = 600_000): string {
  const r = notebookModuleRun(notebook, timeoutMs);
  if (r.status !== 0) throw new Error(`${path.basename(notebook)} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Type-checks TypeScript source (a notebook's code, from
 * {@link notebookToTypeScript}) under the project's tsconfig with `strict`,
 * written to `file` (beside the notebooks, where `dl-course` resolves) and
 * removed afterwards. Returns the messages of its diagnostics, each with its
 * line in that source ([] when clean).
 */
export function strictDiagnostics(source: string, file: string): string[] {
  fs.writeFileSync(file, `${source}\nexport {};\n`);
  try {
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    const program = ts.createProgram([file], { ...options, noEmit: true, strict: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file || !d.file);
    return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file && d.start !== undefined ? ` (line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : ''));
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A notebook's Markdown cells joined, whitespace collapsed to single spaces: for checking that the prose says what the code computes. */
export function notebookProse(notebook: string): string {
  return (JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] }).cells
    .filter((c) => c.cell_type === 'markdown')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))
    .join('\n')
    .replace(/\s+/g, ' ');
}

/**
 * The full lesson (no COURSE_QUICK) as a plain module on the run's CIFAR-10
 * archive: for the tests, behind DLC_FULL_LESSON=1, that check the numbers a
 * chapter's prose states from its full run. Not cached: each call runs it.
 */
export function notebookFullRun(notebook: string, timeoutMs = 3_600_000): NotebookRun {
  const file = writeNotebookModule(notebook);
  const t0 = Date.now();
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DL_COURSE_CIFAR10: CIFAR10_ARCHIVE };
    delete env.COURSE_QUICK;
    const r = spawnSync(process.execPath, [file], { cwd: path.dirname(notebook), env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`, seconds: (Date.now() - t0) / 1000 };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
