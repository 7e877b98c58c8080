/**
 * Test helper: turns a tslab notebook's code cells into a plain CommonJS
 * module (the way tslab compiles cells: TypeScript → CommonJS), so the tests
 * can run a notebook's code with `node`, without a kernel.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
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

/**
 * Runs a notebook top to bottom as a plain module in quick mode
 * (`COURSE_QUICK=1`, cwd the notebook's folder) and returns its stdout;
 * throws, with its output, when it fails.
 */
export function runNotebookQuick(notebook: string, timeoutMs = 300_000): string {
  const file = writeNotebookModule(notebook);
  try {
    const r = spawnSync(process.execPath, [file], { cwd: path.dirname(notebook), env: { ...process.env, COURSE_QUICK: '1' }, encoding: 'utf8', timeout: timeoutMs });
    if (r.status !== 0) throw new Error(`${path.basename(notebook)} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Type-checks TypeScript source (a notebook's code, from
 * {@link notebookToTypeScript}) under the project's tsconfig with `strict`,
 * written to `file` (beside the notebooks, where `dl-course` resolves) and
 * removed afterwards. Returns the messages of its diagnostics ([] when clean).
 */
export function strictDiagnostics(source: string, file: string): string[] {
  fs.writeFileSync(file, `${source}\nexport {};\n`);
  try {
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    const program = ts.createProgram([file], { ...options, noEmit: true, strict: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file || !d.file);
    return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    fs.rmSync(file, { force: true });
  }
}
