#!/usr/bin/env node
// Links each library function to the notebooks that teach it: for every
// `dl.NAME` used in notebooks/*.ipynb, the TSDoc of NAME in lib/ gets a line
//   @see [Notebook 05: A CNN for CIFAR-10](../../notebooks/05-cifar10-cnn.ipynb)
// (typedoc copies the notebook into the API docs and links it).
//   node scripts/link-docs.cjs          # add missing links
//   node scripts/link-docs.cjs --check  # exit 1 if a link is missing (used by the tests)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
const nbDir = path.join(root, 'notebooks');
const uses = new Map(); // name -> [{ file, title }]
for (const file of fs.readdirSync(nbDir).filter((f) => f.endsWith('.ipynb')).sort()) {
  const nb = JSON.parse(fs.readFileSync(path.join(nbDir, file), 'utf8'));
  const text = (c) => (Array.isArray(c.source) ? c.source.join('') : c.source);
  const heading = nb.cells.filter((c) => c.cell_type === 'markdown').map(text).join('\n').match(/^#\s+(.+)$/m);
  const title = heading ? heading[1].replace(/^Chapter\s+/i, 'Notebook ') : file;
  const code = nb.cells.filter((c) => c.cell_type === 'code').map(text).join('\n');
  for (const m of code.matchAll(/\bdl\.([A-Za-z_$][\w$]*)/g)) {
    const list = uses.get(m[1]) ?? [];
    if (!list.some((u) => u.file === file)) list.push({ file, title });
    uses.set(m[1], list);
  }
}

const missing = [];
const libDir = path.join(root, 'lib');
for (const rel of fs.readdirSync(libDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort()) {
  const file = path.join(libDir, rel);
  let src = fs.readFileSync(file, 'utf8');
  let changed = false;
  for (const [name, list] of uses) {
    const decl = new RegExp(`(\\/\\*\\*(?:(?!\\*\\/)[\\s\\S])*?)(\\n \\*\\/\\nexport (?:async )?(?:function|class|const) ${name.replace(/\$/g, '\\$')}\\b)`);
    const m = decl.exec(src);
    if (!m) continue;
    const relNb = (f) => path.relative(path.dirname(file), path.join(nbDir, f)).split(path.sep).join('/');
    const lines = list.filter((u) => !m[1].includes(`](${relNb(u.file)})`)).map((u) => `\n * @see [${u.title}](${relNb(u.file)})`);
    if (lines.length === 0) continue;
    missing.push(...list.map((u) => `${rel} ${name} -> ${u.file}`));
    src = src.slice(0, m.index) + m[1] + lines.join('') + m[2] + src.slice(m.index + m[0].length);
    changed = true;
  }
  if (changed && !check) fs.writeFileSync(file, src);
}
if (check && missing.length) {
  console.error(`link-docs: ${missing.length} notebook links missing in TSDoc (run node scripts/link-docs.cjs):\n${missing.join('\n')}`);
  process.exit(1);
}
console.log(check ? 'link-docs: every function used in a notebook links to it' : `link-docs: added ${missing.length} links`);
