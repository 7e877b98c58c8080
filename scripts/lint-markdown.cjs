#!/usr/bin/env node
// Lints every Markdown file and every notebook's Markdown cells with
// markdownlint-cli and the committed .markdownlint.jsonc. Notebook cells are
// written to runs/markdownlint/<notebook>.cell-NN.md first, so each message
// names the notebook and the cell.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'runs', 'markdownlint');
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

const notebooksDir = path.join(root, 'notebooks');
let cells = 0;
for (const name of fs.readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort()) {
  const nb = JSON.parse(fs.readFileSync(path.join(notebooksDir, name), 'utf8'));
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'markdown') return;
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    fs.writeFileSync(path.join(outDir, `${name}.cell-${String(i + 1).padStart(2, '0')}.md`), text.replace(/\s*$/, '\n'));
    cells++;
  });
}

const cli = require.resolve('markdownlint-cli/markdownlint.js');
const config = path.join(root, '.markdownlint.jsonc');
const lint = (args) => spawnSync(process.execPath, [cli, '--config', config, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;
// .markdownlintignore (read by markdownlint-cli itself) skips node_modules, dist, docs/api.
const files = lint(['--ignore', 'runs', '**/*.md']);
const notebookCells = cells > 0 ? lint([path.relative(root, outDir)]) : 0;
if (files === 0 && notebookCells === 0) console.log(`markdownlint: all Markdown files and ${cells} notebook Markdown cells are clean`);
process.exit(files || notebookCells);
