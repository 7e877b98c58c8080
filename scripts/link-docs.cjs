#!/usr/bin/env node
// Links the library and the notebooks both ways, section by section.
//
// 1. API docs -> notebooks. For every `dl.NAME` used in a code cell of
//    notebooks/*.ipynb, the TSDoc of the declaration of NAME under lib/ gets
//      @see [Notebook 05 §3 Training](../../notebooks/05-cifar10-cnn.ipynb#3.-Training)
//    one line per (name, section). The section of a code cell is the nearest
//    `##` heading above it (in a Markdown cell); code above the first `##`
//    belongs to the notebook's `#` title. NAME is looked up from lib/index.ts
//    through its re-exports to the module that declares it (`export function`,
//    `export async function`, `export class`, `export const`, and also
//    `export interface` / `export type`: types used as `dl.EpochRecord` are
//    linked on their declaration like functions). typedoc copies the notebooks
//    into the API docs as media and keeps the anchor.
// 2. Notebooks -> library. The Markdown cell holding a section's heading gets,
//    at the end of that section's text in the cell (before any further heading
//    in the same cell), a paragraph
//      Library: `lib/plot/charts.ts`, `lib/train/classifier.ts`
//    naming (sorted, relative to the repository root) the lib files that
//    declare the `dl.` names used by the section's code cells. Sections whose
//    code uses no `dl.` name get none. Lines wrap after a comma to stay within
//    80 characters.
//
// Anchors follow JupyterLab (rendermime `createHeaderId`: the heading
// element's textContent with every ' ' replaced by '-', all other characters
// kept, case kept) which is also nbconvert's rule (`_convert_header_id`). The
// textContent is the heading's Markdown rendered to text: code-span backticks,
// emphasis markers, link syntax and HTML tags are dropped, so
// "## 1. A dense layer: `Z = XW + b`" -> "#1.-A-dense-layer:-Z-=-XW-+-b".
// Characters that would end a Markdown link destination ( ( ) < > " \ and
// control characters) are percent-encoded; none occur in today's headings.
//
// Every other `@see [...](...notebooks/...)` line in lib/ (wrong depth after a
// move, a section renamed, a name no longer used) is removed; no other TSDoc
// line is touched. Likewise a `Library:` paragraph is replaced, never doubled.
//
//   node scripts/link-docs.cjs              # write: add missing, remove stale
//   node scripts/link-docs.cjs --check      # exit 1 and list what is missing or stale
//   node scripts/link-docs.cjs --root DIR   # work on DIR/lib and DIR/notebooks (tests)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const check = args.includes('--check');
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? path.resolve(args[rootArg + 1] ?? '.') : path.resolve(__dirname, '..');
const libDir = path.join(root, 'lib');
const nbDir = path.join(root, 'notebooks');
const posix = (p) => p.split(path.sep).join('/');
const MAX_LINE = 80;

// ---------- notebooks: sections and the dl. names their code uses ----------

const cellText = (c) => (Array.isArray(c.source) ? c.source.join('') : c.source);

/** Heading lines of a Markdown text, outside fenced code blocks: [{ line, level, text }]. */
function headings(md) {
  const out = [];
  let fence = null;
  md.split('\n').forEach((l, line) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
    if (f) {
      if (fence === null) fence = f[1];
      else if (f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
      return;
    }
    if (fence !== null) return;
    const h = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(l);
    if (h) out.push({ line, level: h[1].length, text: h[2] });
  });
  return out;
}

/** The text a heading renders to (its textContent in JupyterLab). */
function plainText(md) {
  const codes = [];
  let t = md.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, __, code) => {
    codes.push(code.trim() === '' ? code : code.replace(/^ (.*) $/, '$1'));
    return `\u0000${codes.length - 1}\u0000`;
  });
  t = t
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images -> their text
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/\*(?=\S)([\s\S]*?\S)\*/g, '$1')
    .replace(/(^|[^\w])_(?=\S)([\s\S]*?\S)_(?!\w)/g, '$1$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1'); // backslash escapes
  return t.replace(/\u0000(\d+)\u0000/g, (_, i) => codes[Number(i)]).trim();
}

/** JupyterLab's (and nbconvert's) id of a heading, made safe for a Markdown link destination. */
function anchor(headingText) {
  return plainText(headingText)
    .replace(/ /g, '-')
    .replace(/[()<>"\\\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

const notebookFiles = fs.existsSync(nbDir) ? fs.readdirSync(nbDir).filter((f) => f.endsWith('.ipynb')).sort() : [];

/**
 * One entry per section of each notebook: { file, num, cell, line, level, text, names: Set }.
 * `cell`/`line` locate the heading (cell -1 when code comes before any heading).
 */
const notebooks = notebookFiles.map((file) => {
  const raw = fs.readFileSync(path.join(nbDir, file), 'utf8');
  const nb = JSON.parse(raw);
  const num = (/^(\d+[a-z]?)(?=-)/.exec(file) ?? [null, file.replace(/\.ipynb$/, '')])[1];
  const sections = [];
  let current = null;
  nb.cells.forEach((c, i) => {
    const text = cellText(c);
    if (c.cell_type === 'markdown') {
      for (const h of headings(text)) {
        if (h.level === 2 || (h.level === 1 && !sections.some((s) => s.level === 2))) {
          current = { file, num, cell: i, line: h.line, level: h.level, text: h.text, names: new Set() };
          sections.push(current);
        }
      }
    } else if (c.cell_type === 'code') {
      for (const m of text.matchAll(/\bdl\.([A-Za-z_$][\w$]*)/g)) {
        if (current === null) {
          current = { file, num, cell: -1, line: -1, level: 0, text: file, names: new Set() };
          sections.push(current);
        }
        current.names.add(m[1]);
      }
    }
  });
  return { file, raw, nb, sections };
});

// ---------- lib: where each name is declared ----------

const DECL = (name) =>
  new RegExp(`^export (?:declare )?(?:async )?(?:function\\*?|class|abstract class|const|let|var|interface|type|enum) ${name.replace(/\$/g, '\\$')}\\b`, 'm');

function moduleFile(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const f of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  return null;
}

/** The lib file declaring `name` as exported from `file`, following `export { … } from` re-exports. */
function resolveDecl(name, file, seen = new Set()) {
  if (!file || seen.has(file)) return null;
  seen.add(file);
  const src = fs.readFileSync(file, 'utf8');
  if (DECL(name).test(src)) return file;
  for (const m of src.matchAll(/^export (?:type )?\{([^}]*)\} from '([^']+)'/gm)) {
    for (const part of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      const [orig, alias] = part.replace(/^type\s+/, '').split(/\s+as\s+/);
      if ((alias ?? orig) === name) return resolveDecl(orig, moduleFile(file, m[2]), seen);
    }
  }
  for (const m of src.matchAll(/^export \* from '([^']+)'/gm)) {
    const found = resolveDecl(name, moduleFile(file, m[1]), seen);
    if (found) return found;
  }
  return null;
}

const libFiles = fs.existsSync(libDir)
  ? fs.readdirSync(libDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort().map((f) => path.join(libDir, f))
  : [];
const declCache = new Map();
function declFile(name) {
  if (!declCache.has(name)) {
    let found = resolveDecl(name, path.join(libDir, 'index.ts'));
    if (!found) {
      const all = libFiles.filter((f) => DECL(name).test(fs.readFileSync(f, 'utf8')));
      found = all.length === 1 ? all[0] : null;
    }
    declCache.set(name, found);
  }
  return declCache.get(name);
}

const problems = []; // names a notebook uses that no lib file declares
for (const { sections } of notebooks) {
  for (const s of sections) {
    for (const name of s.names) {
      if (!declFile(name)) problems.push(`${s.file}: dl.${name} is not declared under lib/ (nor re-exported by lib/index.ts)`);
    }
  }
}

// ---------- direction 1: @see lines in the TSDoc ----------

/** The @see line of a section, as seen from a lib file. */
function seeLine(section, fromFile) {
  const rel = posix(path.relative(path.dirname(fromFile), path.join(nbDir, section.file)));
  let label;
  let href = rel;
  if (section.level === 2) {
    const m = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/.exec(section.text);
    label = `Notebook ${section.num} §${m ? `${m[1]} ${m[2]}` : section.text}`;
    href += `#${anchor(section.text)}`;
  } else if (section.level === 1) {
    label = plainText(section.text).replace(/^Chapter\s+/i, 'Notebook ');
    href += `#${anchor(section.text)}`;
  } else {
    label = `Notebook ${section.num}`;
  }
  return ` * @see [${label.replace(/([[\]])/g, '\\$1')}](${href})`;
}

const wanted = new Map(); // lib file -> Map(name -> [see lines])
for (const { sections } of notebooks) {
  for (const s of sections) {
    for (const name of s.names) {
      const file = declFile(name);
      if (!file) continue;
      if (!wanted.has(file)) wanted.set(file, new Map());
      const byName = wanted.get(file);
      const line = seeLine(s, file);
      if (!byName.has(name)) byName.set(name, []);
      if (!byName.get(name).includes(line)) byName.get(name).push(line);
    }
  }
}

const STALE = /^\s*\*\s*@see\s+\[.*\]\(\S*notebooks\/\S*\)\s*$/;
const report = { missing: [], stale: [] };
const writes = [];
const declAfter = /^\s*export (?:declare )?(?:async )?(?:function\*?|class|abstract class|const|let|var|interface|type|enum) ([A-Za-z_$][\w$]*)/;

for (const file of libFiles) {
  const src = fs.readFileSync(file, 'utf8');
  const rel = posix(path.relative(root, file));
  const byName = wanted.get(file) ?? new Map();
  const done = new Set();
  const out = src.replace(/\/\*\*[\s\S]*?\*\//g, (block, offset) => {
    const after = declAfter.exec(src.slice(offset + block.length));
    const name = after && /^\s*$/.test(src.slice(offset + block.length).slice(0, after.index)) ? after[1] : null;
    const want = name && byName.has(name) && !done.has(name) ? byName.get(name) : [];
    if (want.length) done.add(name);
    const hasStale = block.split('\n').some((l) => STALE.test(l));
    if (!want.length && !hasStale) return block;
    let lines = block.split('\n');
    if (lines.length === 1) {
      // `/** text */` -> multi-line, so that @see lines can follow the text.
      const m = /^\/\*\*\s*([\s\S]*?)\s*\*\/$/.exec(block);
      lines = ['/**', ` * ${m[1]}`, ' */'];
    }
    const indent = /^(\s*)\*\//.exec(lines[lines.length - 1])?.[1] ?? ' ';
    const have = [];
    let at = -1;
    const kept = [];
    for (const l of lines) {
      if (STALE.test(l)) {
        have.push(l.trim());
        if (at < 0) at = kept.length;
      } else kept.push(l);
    }
    if (at < 0) at = kept.length - 1;
    const add = want.map((l) => indent + l.slice(1));
    for (const l of add) if (!have.includes(l.trim())) report.missing.push(`${rel}: ${name}: ${l.trim()}`);
    for (const l of have) if (!add.some((a) => a.trim() === l)) report.stale.push(`${rel}${name ? `: ${name}` : ''}: ${l}`);
    kept.splice(at, 0, ...add);
    return kept.join('\n');
  });
  for (const name of byName.keys()) {
    if (!done.has(name)) problems.push(`${rel}: ${name} has no TSDoc comment right before its declaration to add @see lines to`);
  }
  if (out !== src) writes.push([file, out]);
}

// ---------- direction 2: "Library:" paragraphs in the notebooks ----------

/** The `Library:` paragraph for a list of files, wrapped after commas at MAX_LINE. */
function libraryLines(files) {
  const items = files.map((f, i) => `\`${f}\`${i < files.length - 1 ? ',' : ''}`);
  const lines = [];
  let cur = 'Library:';
  for (const it of items) {
    if (`${cur} ${it}`.length > MAX_LINE && cur !== 'Library:') {
      lines.push(cur);
      cur = it;
    } else cur = `${cur} ${it}`;
  }
  lines.push(cur);
  return lines;
}

/** A Markdown cell's lines without its `Library:` paragraphs (each with the blank line before it), and those paragraphs. */
function withoutLibrary(lines) {
  const kept = [];
  const paras = [];
  let fence = null;
  for (let i = 0; i < lines.length; i++) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]);
    if (f) {
      if (fence === null) fence = f[1];
      else if (f[1][0] === fence[0] && f[1].length >= fence.length) fence = null;
    }
    if (fence === null && /^Library:/.test(lines[i]) && (i === 0 || lines[i - 1].trim() === '')) {
      const para = [];
      while (i < lines.length && lines[i].trim() !== '') para.push(lines[i++]);
      i--;
      if (kept.length && kept[kept.length - 1].trim() === '') kept.pop();
      paras.push(para.join('\n'));
    } else kept.push(lines[i]);
  }
  return { kept, paras };
}

for (const { file, raw, nb, sections } of notebooks) {
  let changed = false;
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'markdown') return;
    const text = cellText(cell);
    const secs = sections.filter((s) => s.cell === i);
    if (secs.length === 0 && !/^Library:/m.test(text)) return;
    const { kept: lines, paras: oldParas } = withoutLibrary(text.split('\n'));
    const heads = headings(lines.join('\n'));
    const segs = [];
    for (const s of secs) {
      const h = heads.find((x) => x.text === s.text && x.level === s.level);
      const next = heads.find((x) => x.line > h.line);
      segs.push({ s, start: h.line, end: next ? next.line : lines.length });
    }
    const newParas = [];
    // From the last segment, so that the earlier ones' line numbers stay valid.
    for (const { s, start, end } of segs.reverse()) {
      const files = [...new Set([...s.names].map(declFile).filter(Boolean).map((f) => posix(path.relative(root, f))))].sort();
      if (files.length === 0) continue;
      const para = libraryLines(files);
      newParas.push(para.join('\n'));
      // Insert after the segment's last non-blank line, keeping what follows (blank lines, the next heading).
      let at = end;
      while (at > start + 1 && lines[at - 1].trim() === '') at--;
      const following = at < lines.length && lines[at].trim() !== '' ? [''] : [];
      lines.splice(at, 0, '', ...para, ...following);
    }
    const where = `${file} cell ${i + 1}${secs.length ? ` (${secs.map((s) => s.text).join(' / ')})` : ''}`;
    for (const p of oldParas) if (!newParas.includes(p)) report.stale.push(`${where}: ${p.replace(/\n/g, ' ')}`);
    for (const p of newParas) if (!oldParas.includes(p)) report.missing.push(`${where}: ${p.replace(/\n/g, ' ')}`);
    const result = lines.join('\n');
    if (result !== text) {
      cell.source = result.split(/(?<=\n)/);
      changed = true;
    }
  });
  if (changed) {
    const out = `${JSON.stringify(nb, null, 1)}\n`;
    if (out !== raw) writes.push([path.join(nbDir, file), out]);
  }
}

// ---------- report ----------

if (problems.length) {
  console.error(`link-docs: cannot link:\n${problems.join('\n')}`);
  process.exit(2);
}
const total = report.missing.length + report.stale.length;
if (check) {
  if (total) {
    const parts = [];
    if (report.missing.length) parts.push(`missing (${report.missing.length}):\n  ${report.missing.join('\n  ')}`);
    if (report.stale.length) parts.push(`stale (${report.stale.length}):\n  ${report.stale.join('\n  ')}`);
    console.error(`link-docs: API docs and notebooks are out of step (run node scripts/link-docs.cjs):\n${parts.join('\n')}`);
    process.exit(1);
  }
  console.log('link-docs: every notebook section and every library declaration it uses link to each other');
} else {
  for (const [file, out] of writes) fs.writeFileSync(file, out);
  console.log(`link-docs: added ${report.missing.length}, removed ${report.stale.length} links in ${writes.length} files`);
}
