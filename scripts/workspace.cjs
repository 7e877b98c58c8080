#!/usr/bin/env node
// Sets up a learner's own workspace: the student notebooks, outside the repository.
//
//   npm run workspace -- DIR [--force]
//
// Writes into DIR (created if needed):
//   <chapter>.ipynb             the student version of every chapter (scripts/course.cjs)
//   node_modules                a link to this repository's node_modules, so that
//                               `dl-course`, `tslab` and `@tensorflow/*` resolve from
//                               notebooks opened in DIR (tslab resolves modules from
//                               the notebook's folder upward)
//   README.md                   where DIR came from and how to open it
//   .dl-course-workspace.json   what this command wrote (marks DIR as a workspace)
//
// Run it again to get new chapters: files you changed are never overwritten;
// files this command wrote and you did not change are brought up to date.
// A non-empty DIR that is not a workspace is refused unless --force (even then,
// existing files are not overwritten). Nothing is written inside the repository.
// A relative DIR is taken from the folder npm was started in.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const course = require('./course.cjs');

const { ROOT, UsageError } = course;
const MARKER = '.dl-course-workspace.json';

const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

/** `inner` is `outer` or inside it (both absolute, real paths). */
function isInside(inner, outer) {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `p`, also when `p` (or its tail) does not exist yet. */
function realish(p) {
  const tail = [];
  let q = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync(q), ...tail);
    } catch {
      const up = path.dirname(q);
      if (up === q) return p;
      tail.unshift(path.basename(q));
      q = up;
    }
  }
}

function readMarker(dir) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    return m && typeof m === 'object' && m.files && typeof m.files === 'object' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `file` atomically: a temporary name in the same folder, then rename. */
function writeAtomic(file, content) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    fs.writeFileSync(tmp, content, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function gitCommit() {
  try {
    const head = fs.readFileSync(path.join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head.slice(0, 12);
    const ref = head.slice(5);
    const loose = path.join(ROOT, '.git', ref);
    if (fs.existsSync(loose)) return fs.readFileSync(loose, 'utf8').trim().slice(0, 12);
    const packed = fs.readFileSync(path.join(ROOT, '.git', 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return line ? line.slice(0, 12) : undefined;
  } catch {
    return undefined;
  }
}

function readme(dir, notebooks) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const commit = gitCommit();
  const venvJupyter = path.join(ROOT, '.venv', 'bin', 'jupyter');
  return `# My dl-course workspace

This folder is your own copy of the course's notebooks, to work in. It was
made by \`npm run workspace\` from the course repository at

    ${ROOT}

(${pkg.name} ${pkg.version}${commit ? `, commit ${commit}` : ''}). The notebooks are the
**student versions**: each exercise has a stub that throws
\`not implemented: <exercise id>\` until you replace it with your solution, and
its test cell (locked, so that it stays as given) checks your answer.

| notebook | |
| --- | --- |
${notebooks.map((n) => `| \`${n.file}\` | ${n.exercises.length ? `exercises: ${n.exercises.map((e) => `\`${e}\``).join(', ')}` : 'no exercises'} |`).join('\n')}

## Open it in JupyterLab

With JupyterLab installed in the repository's virtual environment:

    ${venvJupyter} lab ${dir}

or, with any JupyterLab on your PATH:

    jupyter lab ${dir}

Set the environment in the shell that starts JupyterLab: the kernel sees only
that shell's variables. \`DL_COURSE_CIFAR10=/path/to/cifar-10-binary.tar.gz\`
gives a local copy of CIFAR-10 (else chapter 05 downloads it once, 170 MB),
\`COURSE_QUICK=1\` runs every chapter on a slice with one epoch. As root, add
\`--allow-root\`.

Pick the **TypeScript** kernel (\`tslab\`): \`npm run setup:kernel\` in the
repository registers it. \`node_modules\` here is a link to the repository's
\`node_modules\`: it is how \`import * as dl from 'dl-course'\` and TensorFlow.js
resolve in these notebooks. Files the notebooks save (models under \`runs/\`)
land in this folder.

## Updating the course

Updating the repository (\`git pull\`, then \`npm install\`) never touches this
folder: your notebooks stay as they are. The notebooks here do use the
repository's library and packages through the link, so they run against the
updated library. To get new chapters, run again, from the repository:

    npm run workspace -- ${dir}

It adds new notebooks and updates the ones you have not changed; notebooks
you changed are kept as they are (to get a fresh copy of one, rename yours and
run it again). If you move the repository, run it again to fix the link.
`;
}

/**
 * Creates or updates the workspace DIR. Returns { dir, actions: [{ path, action }] }
 * where action is created, updated, unchanged, kept or linked.
 */
function createWorkspace({ dir: given, force = false }) {
  if (!given) throw new UsageError('DIR: missing; say where to put your workspace, e.g. npm run workspace -- ~/dl-course-work');
  const dir = path.resolve(course.invocationDir(), given);
  const real = realish(dir);
  const realRoot = fs.realpathSync(ROOT);
  if (isInside(real, realRoot)) throw new UsageError(`DIR: ${dir} is inside the repository (${ROOT}); pick a folder outside it, so that updating the course never touches your work`);
  if (isInside(realRoot, real)) throw new UsageError(`DIR: ${dir} contains the repository (${ROOT}); pick a folder outside it`);
  let st;
  try {
    st = fs.statSync(dir);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) throw new UsageError(`DIR: ${dir} is a file, not a folder`);
  const marker = st ? readMarker(dir) : undefined;
  if (st && !marker && fs.readdirSync(dir).length > 0 && !force) {
    throw new UsageError(`DIR: ${dir} is not empty and is not a dl-course workspace; pick an empty or new folder, or add --force (existing files are not overwritten)`);
  }

  const modules = path.join(ROOT, 'node_modules');
  if (!fs.existsSync(path.join(modules, 'dl-course', 'package.json'))) throw new Error(`${path.join(modules, 'dl-course')} is missing: run \`npm install\` in ${ROOT} first`);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (!fs.existsSync(path.join(ROOT, pkg.main))) throw new Error(`${path.join(ROOT, pkg.main)} is missing: run \`npm run build\` in ${ROOT} first`);

  const built = course.buildNotebooks(course.listChapters());
  const files = new Map(built.map((b) => [b.file, course.serialize(b.student)]));
  files.set('README.md', readme(dir, built));

  // A new folder is built beside its final place and renamed: it appears complete or not at all.
  const fresh = !st;
  let target = dir;
  if (fresh) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    target = course.tempDir(path.dirname(dir), path.basename(dir));
  }
  const actions = [];
  const recorded = (marker && marker.files) || {};
  const nextRecord = { ...recorded };
  try {
    // The link to the repository's node_modules.
    const link = path.join(target, 'node_modules');
    let lst;
    try {
      lst = fs.lstatSync(link);
    } catch {
      lst = undefined;
    }
    if (lst && !lst.isSymbolicLink()) {
      throw new UsageError(`DIR: ${path.join(dir, 'node_modules')} exists and is not a link; remove it or pick another folder`);
    }
    if (lst && path.resolve(target, fs.readlinkSync(link)) === modules) {
      actions.push({ path: 'node_modules', action: 'unchanged' });
    } else {
      const tmpLink = path.join(target, `.node_modules.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
      fs.symlinkSync(modules, tmpLink, 'junction');
      fs.renameSync(tmpLink, link);
      actions.push({ path: 'node_modules', action: lst ? 'updated' : 'linked' });
    }

    for (const [name, content] of files) {
      const file = path.join(target, name);
      const hash = sha256(content);
      let current;
      try {
        current = fs.readFileSync(file, 'utf8');
      } catch {
        current = undefined;
      }
      if (current === undefined) {
        writeAtomic(file, content);
        actions.push({ path: name, action: 'created' });
      } else if (current === content) {
        actions.push({ path: name, action: 'unchanged' });
      } else if (recorded[name] !== undefined && sha256(current) === recorded[name]) {
        writeAtomic(file, content); // ours, and not changed since: bring it up to date
        actions.push({ path: name, action: 'updated' });
      } else {
        actions.push({ path: name, action: 'kept' }); // the learner's (or not ours): never overwritten
        continue;
      }
      nextRecord[name] = hash;
    }
    const record = {
      note: 'Written by `npm run workspace` of dl-course: what it wrote here. Files you change are never overwritten.',
      repository: ROOT,
      version: pkg.version,
      commit: gitCommit() ?? null,
      created: (marker && marker.created) || new Date().toISOString(),
      updated: new Date().toISOString(),
      files: nextRecord,
    };
    writeAtomic(path.join(target, MARKER), `${JSON.stringify(record, null, 2)}\n`);
    actions.push({ path: MARKER, action: marker ? 'updated' : 'created' });
    if (fresh) fs.renameSync(target, dir);
  } catch (e) {
    if (fresh) fs.rmSync(target, { recursive: true, force: true });
    throw e;
  }
  return { dir, actions };
}

const USAGE = `usage: npm run workspace -- DIR [--force]

  DIR      your workspace, outside the repository (created if needed); run again
           to add new chapters: notebooks you changed are never overwritten
  --force  also use a non-empty folder that is not a workspace (existing files
           are still not overwritten)`;

function main(argv) {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length > 1) throw new UsageError(`expected one DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  const { dir, actions } = createWorkspace({ dir: positionals[0], force: values.force });
  console.log(`workspace: ${dir}`);
  for (const a of actions) {
    const note = a.action === 'kept' ? ' (changed here: not overwritten)' : a.path === 'node_modules' ? ` -> ${path.join(ROOT, 'node_modules')}` : '';
    console.log(`  ${a.action.padEnd(9)} ${a.path}${note}`);
  }
  console.log(`Open it: ${path.join(ROOT, '.venv', 'bin', 'jupyter')} lab ${dir}   (environment variables and details: ${path.join(dir, 'README.md')})`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`workspace: ${e.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`workspace: ${e.message}`);
    process.exit(1);
  }
}

module.exports = { MARKER, createWorkspace, main };
