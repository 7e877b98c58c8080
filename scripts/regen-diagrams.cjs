#!/usr/bin/env node
// Regenerates the diagram cells (Mermaid + static SVG image) of each notebook
// that has a diagrams module: notebooks/diagrams/NN-name.ts describes the
// diagrams of notebooks/NN-name.ipynb. Run after `npm run build`:
//   node scripts/regen-diagrams.cjs            # every notebook with diagrams
//   node scripts/regen-diagrams.cjs 03         # only notebooks whose name starts with 03
// A Markdown cell's diagram block (```mermaid … ``` followed by the
// <details> image) is replaced when its Mermaid text's first node line is
// that of one of the module's exported charts; the image's alt text is kept.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const dl = require(path.join(root, 'dist/lib/index.js'));
const only = process.argv[2];

/** The Flowchart exports of a diagrams module, loaded against the built library. */
function loadCharts(file) {
  const src = fs.readFileSync(file, 'utf8').replace(/from '\.\.\/\.\.\/lib\/[^']*'/g, "from 'dl-course'");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const m = { exports: {} };
  new Function('require', 'module', 'exports', js)(() => dl, m, m.exports);
  return Object.values(m.exports);
}

const diagramsDir = path.join(root, 'notebooks', 'diagrams');
for (const f of fs.readdirSync(diagramsDir).filter((x) => x.endsWith('.ts')).sort()) {
  if (only && !f.startsWith(only)) continue;
  const charts = loadCharts(path.join(diagramsDir, f));
  const p = path.join(root, 'notebooks', f.replace(/\.ts$/, '.ipynb'));
  const nb = JSON.parse(fs.readFileSync(p, 'utf8'));
  let n = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    let s = cell.source.join('');
    const re = /```mermaid\n[\s\S]*?```\n\n<!-- markdownlint-disable-next-line[^\n]*\n<details>[^\n]*<\/details>/g;
    s = s.replace(re, (block) => {
      for (const chart of charts) {
        const firstNode = dl.flowchartMermaid(chart).split('\n')[1];
        if (block.includes(firstNode + '\n')) {
          const alt = /alt="([^"]*)"/.exec(block)?.[1] ?? '';
          n++;
          return dl.flowchartMarkdown(chart, alt.replace(/&quot;/g, '"').replace(/&amp;/g, '&')).replace(/\n+$/, '');
        }
      }
      return block;
    });
    const lines = s.split('\n');
    cell.source = lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l)).filter((l) => l !== '');
  }
  fs.writeFileSync(p, JSON.stringify(nb, null, 1) + '\n');
  console.log(`${path.relative(root, p)}: replaced ${n} diagram(s)`);
}
