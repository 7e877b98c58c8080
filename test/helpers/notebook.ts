/**
 * Test helper: turns a tslab notebook's code cells into a plain CommonJS
 * module (the way tslab compiles cells: TypeScript → CommonJS), so the tests
 * can run a notebook's code with `node`, without a kernel.
 */
import * as fs from 'node:fs';
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

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** Code cells of a notebook, as source strings. */
export function codeCells(notebook: string): string[] {
  const nb = JSON.parse(fs.readFileSync(notebook, 'utf8')) as { cells: Cell[] };
  return nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

/**
 * TypeScript source of a module running all code cells in order: `import`
 * lines are hoisted, the rest runs inside one async function (cells use
 * top-level await, as tslab allows).
 */
export function notebookToTypeScript(notebook: string): string {
  const imports: string[] = [];
  const body: string[] = [];
  codeCells(notebook).forEach((src, i) => {
    body.push(`// ---- code cell ${i + 1} ----`);
    for (const line of src.split('\n')) (/^import\s/.test(line) ? imports : body).push(line);
  });
  return `${imports.join('\n')}\n\nasync function main(): Promise<void> {\n${body.join('\n')}\n}\n\nmain().catch((e) => {\n  console.error(e);\n  process.exit(1);\n});\n`;
}

/** Writes the notebook as a CommonJS .js module beside it (hidden name) and returns its path. */
export function writeNotebookModule(notebook: string): string {
  const source = notebookToTypeScript(notebook);
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const file = path.join(path.dirname(notebook), `.${path.basename(notebook, '.ipynb')}.module.js`);
  fs.writeFileSync(file, out.outputText);
  return file;
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
