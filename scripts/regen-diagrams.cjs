#!/usr/bin/env node
// Regenerates the diagram cells of notebook 02 (Mermaid + static SVG image)
// from notebooks/diagrams/02-training-pipeline.ts, after `npm run build`:
//   node scripts/regen-diagrams.cjs
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const ts = require('typescript');
const fs = require('fs');
const src = fs.readFileSync(path.join(root, 'notebooks/diagrams/02-training-pipeline.ts'), 'utf8').replace("from '../../lib/plot/diagram'", "from 'dl-course'");
const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
const m = { exports: {} };
new Function('require', 'module', 'exports', js)((x) => require(path.join(root, 'dist/lib/index.js')), m, m.exports);
const dl = require(path.join(root, 'dist/lib/index.js'));
const p = path.join(root, 'notebooks/02-training-pipeline.ipynb');
const nb = JSON.parse(fs.readFileSync(p, 'utf8'));
let n = 0;
for (const cell of nb.cells) {
  if (cell.cell_type !== 'markdown') continue;
  let s = cell.source.join('');
  const re = /```mermaid\n[\s\S]*?```\n\n<!-- markdownlint-disable-next-line[^\n]*\n<details>[^\n]*<\/details>/g;
  s = s.replace(re, (block) => {
    for (const [name, chart] of Object.entries(m.exports)) {
      const alt = /alt="([^"]*)"/.exec(block)?.[1];
      const head = dl.flowchartMermaid(chart).split('\n').slice(0, 3).join('\n');
      if (block.includes(head.split('\n')[1]) ) { n++; return dl.flowchartMarkdown(chart, alt.replace(/&quot;/g, '"').replace(/&amp;/g, '&')).replace(/\n+$/, ''); }
    }
    return block;
  });
  const lines = s.split('\n');
  cell.source = lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l)).filter((l) => l !== '');
}
fs.writeFileSync(p, JSON.stringify(nb, null, 1) + '\n');
console.log('replaced', n);
