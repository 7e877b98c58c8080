// Turns a tslab notebook's code cells into one plain CommonJS module, the way
// tslab compiles cells (TypeScript → CommonJS, ES2022): `import` lines are
// hoisted, the rest of every cell runs in order inside one async function (cells
// use top-level await, as tslab allows).
//
// The one place this is done: the tests (test/helpers/notebook.ts) run notebooks
// with it, and the grader (scripts/grade.cjs) builds each exercise's program
// with it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** A cell's source as one string (Jupyter stores lines, or one string). */
const cellText = (cell) => (Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? ''));

/** The code cells of a notebook (parsed JSON or a file path), as source strings. */
function codeCells(notebook) {
  const nb = typeof notebook === 'string' ? JSON.parse(fs.readFileSync(notebook, 'utf8')) : notebook;
  return nb.cells.filter((c) => c.cell_type === 'code').map(cellText);
}

/** Splits cell sources into hoisted `import` lines and body lines (each cell introduced by a comment line). */
function splitImports(sources, label = (i) => `code cell ${i + 1}`) {
  const imports = [];
  const body = [];
  sources.forEach((src, i) => {
    body.push(`// ---- ${label(i)} ----`);
    for (const line of src.split('\n')) (/^import\s/.test(line) ? imports : body).push(line);
  });
  return { imports, body };
}

/**
 * TypeScript source of a module running the given cell sources in order
 * (imports hoisted, the rest inside `async function main()`), exiting with 1
 * and the error on stderr when a cell throws.
 */
function cellsToTypeScript(sources) {
  const { imports, body } = splitImports(sources);
  return `${imports.join('\n')}\n\nasync function main(): Promise<void> {\n${body.join('\n')}\n}\n\nmain().catch((e) => {\n  console.error(e);\n  process.exit(1);\n});\n`;
}

/** {@link cellsToTypeScript} of a notebook's code cells (parsed JSON or a file path). */
function notebookToTypeScript(notebook) {
  return cellsToTypeScript(codeCells(notebook));
}

/** TypeScript → CommonJS JavaScript, as tslab compiles cells (no type check). */
function transpile(source) {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

/**
 * Writes the notebook as a CommonJS .js module beside it (hidden name, git-ignored, with this process's
 * id, so that two test runs at once, e.g. CI's Node 20 and Node 24 runs, never share the file) and returns its path.
 */
function writeNotebookModule(notebook) {
  const file = path.join(path.dirname(notebook), `.${path.basename(notebook, '.ipynb')}.${process.pid}.module.js`);
  fs.writeFileSync(file, transpile(notebookToTypeScript(notebook)));
  return file;
}

module.exports = { cellText, codeCells, splitImports, cellsToTypeScript, notebookToTypeScript, transpile, writeNotebookModule };
