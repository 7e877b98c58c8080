/**
 * `npm run workspace -- DIR` (scripts/workspace.cjs): the learner's own folder
 * of student notebooks, outside the repository, where `dl-course` and TF.js
 * resolve (for Node, for TypeScript and in a real tslab kernel), written
 * without touching the repository and without overwriting the learner's work.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SUBSET, notebookToTypeScript } from '../helpers/notebook';

interface Cell {
  cell_type: string;
  id?: string;
  metadata: { course?: { exercise: string; role: string; points: number } };
  source: string[];
  outputs?: { output_type: string; name?: string; text?: string | string[] }[];
  execution_count?: number | null;
}
interface Notebook {
  cells: Cell[];
}

const SCRIPT = path.join(ROOT, 'scripts', 'workspace.cjs');
const MARKER = '.dl-course-workspace.json';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-workspace-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const sourceNotebooks = fs
  .readdirSync(path.join(ROOT, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
  .sort();
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;

function workspace(args: string[], cwd = tmpRoot) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd } });
}

/** `git status --porcelain` of the repository (untracked files listed one by one). */
function gitStatus(): string {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git status failed: ${r.stderr}`);
  return r.stdout;
}

function hasJupyter(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  return r.status === 0 && fs.existsSync(path.join(ROOT, '.jupyter', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'));
}
// In CI a missing Jupyter is a failure, not a skip (as in test/notebooks/notebooks.test.ts).
const requireKernel = process.env.CI === 'true' || process.env.REQUIRE_JUPYTER === '1';

// One workspace, in a folder that does not exist yet (nor does its parent), shared by the checks below.
const WS = path.join(tmpRoot, 'learner', 'my-course');
const statusBefore = gitStatus();
const created = workspace([WS]);
const statusAfter = gitStatus();

describe('npm run workspace -- DIR', () => {
  it('creates DIR with the student notebooks, a node_modules link, README.md and its record, and says so', () => {
    expect(created.status, created.stderr).toBe(0);
    expect(fs.readdirSync(WS).sort()).toEqual([MARKER, ...sourceNotebooks, 'README.md', 'node_modules'].sort());
    expect(fs.lstatSync(path.join(WS, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(path.join(WS, 'node_modules'))).toBe(fs.realpathSync(path.join(ROOT, 'node_modules')));
    for (const f of [...sourceNotebooks, 'README.md', 'node_modules']) expect(created.stdout).toMatch(new RegExp(`(created|linked) +${f.replace(/\./g, '\\.')}`));
    expect(created.stdout).toContain(WS);
    // No temporary folder left beside it.
    expect(fs.readdirSync(path.dirname(WS))).toEqual(['my-course']);
  });

  it('the notebooks are the student versions (what `npm run course -- build` writes to student/)', () => {
    const out = path.join(tmpRoot, 'build');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'course.cjs'), 'build', '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of sourceNotebooks) expect(fs.readFileSync(path.join(WS, f), 'utf8'), f).toBe(fs.readFileSync(path.join(out, 'student', f), 'utf8'));
    const ch04 = fs.readFileSync(path.join(WS, '04-mlp-maths.ipynb'), 'utf8');
    expect(ch04).toContain("throw new Error('not implemented: ex04-sigmoid-derivative');");
    expect(ch04).not.toContain('BEGIN SOLUTION');
  });

  it('leaves the repository as it was (git status --porcelain)', () => {
    expect(statusAfter).toBe(statusBefore);
  });

  it("`require('dl-course')` and TF.js resolve with cwd = DIR, from the repository", () => {
    const r = spawnSync(process.execPath, ['-e', "require('dl-course'); console.log(require.resolve('dl-course')); console.log(require.resolve('@tensorflow/tfjs')); console.log(require.resolve('tslab'))"], { cwd: WS, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [dl, tfjs, tslab] = r.stdout.trim().split('\n');
    const realRoot = fs.realpathSync(ROOT);
    expect(dl.startsWith(path.join(realRoot, 'dist'))).toBe(true);
    expect(tfjs.startsWith(path.join(realRoot, 'node_modules', '@tensorflow', 'tfjs'))).toBe(true);
    expect(tslab.startsWith(path.join(realRoot, 'node_modules', 'tslab'))).toBe(true);
  });

  it('README.md says where DIR came from, how to open it, and that updating the course never touches it', () => {
    const readme = fs.readFileSync(path.join(WS, 'README.md'), 'utf8');
    expect(readme).toContain(ROOT);
    expect(readme).toContain(`${path.join(ROOT, '.venv', 'bin', 'jupyter')} lab ${WS}`);
    expect(readme).toContain(`jupyter lab ${WS}`);
    expect(readme).toContain('`tslab`');
    expect(readme).toContain('`git pull`');
    expect(readme).toMatch(/never touches this\s+folder/);
    expect(readme).toContain(`npm run workspace -- ${WS}`);
  });

  it.each(sourceNotebooks)('student notebook %s type-checks strictly in DIR (as the notebook tests do)', (file) => {
    // As test/notebooks/notebooks.test.ts: the cells as one module, the project's strict options;
    // the file lies in DIR, so `dl-course` resolves through DIR/node_modules (rootDir is not the repository's).
    const check = path.join(WS, `.${path.basename(file, '.ipynb')}.check.ts`);
    fs.writeFileSync(check, `${notebookToTypeScript(path.join(WS, file))}\nexport {};\n`);
    try {
      const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
      const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
      const program = ts.createProgram([check], { ...options, rootDir: undefined, noEmit: true, strict: true });
      const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === check || !d.file);
      const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file && d.start !== undefined ? ` (line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : ''));
      expect(text).toEqual([]);
      // `dl-course` came from the repository, through the link.
      const dlTypes = fs.realpathSync(path.join(ROOT, 'dist', 'lib', 'index.d.ts'));
      expect(program.getSourceFiles().some((f) => fs.realpathSync(f.fileName) === dlTypes)).toBe(true);
    } finally {
      fs.rmSync(check, { force: true });
    }
  });

  it('run again: keeps notebooks the learner changed, updates the ones it wrote and nobody changed, restores deleted ones', () => {
    const ws = path.join(tmpRoot, 'again');
    expect(workspace([ws]).status).toBe(0);
    const [a, b, c] = sourceNotebooks;
    const mine = `${fs.readFileSync(path.join(ws, a), 'utf8').replace('"cells": [', '"cells": [ ').trimEnd()}\n`;
    fs.writeFileSync(path.join(ws, a), mine); // the learner's work
    // An older course version of b, as a previous run wrote it (recorded in the marker):
    const older = fs.readFileSync(path.join(ws, b), 'utf8').replace('"nbformat": 4', '"nbformat": 4 ');
    fs.writeFileSync(path.join(ws, b), older);
    const marker = JSON.parse(fs.readFileSync(path.join(ws, MARKER), 'utf8')) as { files: Record<string, string> };
    marker.files[b] = crypto.createHash('sha256').update(older).digest('hex');
    fs.writeFileSync(path.join(ws, MARKER), JSON.stringify(marker));
    fs.rmSync(path.join(ws, c));
    fs.writeFileSync(path.join(ws, 'scratch.ts'), 'mine');

    const r = workspace([ws]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`kept +${a.replace(/\./g, '\\.')} \\(changed here: not overwritten\\)`));
    expect(r.stdout).toMatch(new RegExp(`updated +${b.replace(/\./g, '\\.')}`));
    expect(r.stdout).toMatch(new RegExp(`created +${c.replace(/\./g, '\\.')}`));
    expect(r.stdout).toMatch(/unchanged +node_modules/);
    expect(fs.readFileSync(path.join(ws, a), 'utf8')).toBe(mine);
    expect(fs.readFileSync(path.join(ws, b), 'utf8')).toBe(fs.readFileSync(path.join(WS, b), 'utf8'));
    expect(fs.existsSync(path.join(ws, c))).toBe(true);
    expect(fs.readFileSync(path.join(ws, 'scratch.ts'), 'utf8')).toBe('mine');
    expect(fs.readdirSync(ws).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a relative DIR is taken from the folder npm was started in (INIT_CWD)', () => {
    const cwd = fs.mkdtempSync(path.join(tmpRoot, 'cwd-'));
    const r = workspace(['rel-ws'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'rel-ws', MARKER))).toBe(true);
  });

  it('refuses a non-empty folder that is not a workspace (exit 2); with --force uses it and overwrites nothing', () => {
    const dir = path.join(tmpRoot, 'foreign');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'README.md'), 'my own readme');
    const r = workspace([dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`DIR: ${dir} is not empty and is not a dl-course workspace`);
    expect(r.stderr).toContain('--force');
    expect(fs.readdirSync(dir)).toEqual(['README.md']);

    const f = workspace([dir, '--force']);
    expect(f.status, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/kept +README\.md/);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('my own readme');
    expect(fs.existsSync(path.join(dir, sourceNotebooks[0]))).toBe(true);
  });

  it('refuses a node_modules in DIR that is not a link (exit 2), even with --force', () => {
    const dir = path.join(tmpRoot, 'a-node-project');
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    const r = workspace([dir, '--force']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'node_modules')} exists and is not a link`);
    expect(fs.readdirSync(dir)).toEqual(['node_modules']);
  });

  it.each([
    { name: 'no DIR', args: [], says: 'DIR: missing' },
    { name: 'two DIRs', args: ['a', 'b'], says: 'expected one DIR, got 2' },
    { name: 'an unknown option', args: ['x', '--colour'], says: "Unknown option '--colour'" },
    { name: 'a DIR inside the repository', args: [path.join(ROOT, 'runs', 'my-workspace')], says: 'is inside the repository' },
    { name: 'the repository itself', args: [ROOT], says: 'is inside the repository' },
    { name: 'a DIR that contains the repository', args: [path.dirname(ROOT), '--force'], says: 'contains the repository' },
  ])('$name: exit 2 with a clear message, nothing written', ({ args, says }) => {
    const cwd = fs.mkdtempSync(path.join(tmpRoot, 'bad-'));
    const before = gitStatus();
    const r = workspace(args, cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).toContain('usage: npm run workspace -- DIR');
    expect(fs.readdirSync(cwd)).toEqual([]);
    expect(fs.existsSync(path.join(ROOT, 'runs', 'my-workspace'))).toBe(false);
    expect(gitStatus()).toBe(before);
  });

  it('DIR naming a file: exit 2', () => {
    const file = path.join(tmpRoot, 'a-file');
    fs.writeFileSync(file, 'x');
    const r = workspace([file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`DIR: ${file} is a file, not a folder`);
  });
});

describe('workspace notebooks in a real tslab Jupyter kernel (quick mode)', () => {
  const skip = !requireKernel && !hasJupyter();
  const env = {
    ...process.env,
    COURSE_QUICK: '1',
    JUPYTER_PATH: path.join(ROOT, '.jupyter', 'share', 'jupyter'),
    ...(fs.existsSync(SUBSET) ? { DL_COURSE_CIFAR10: SUBSET } : {}),
  };

  /**
   * Runs a notebook of the workspace with scripts/run_notebook.py. Without
   * exercises it must run top to bottom. With exercises, the cells before the
   * first exercise's test cell must all run, and that test cell must be the
   * first failure, at the exercise's stub (the learner has not solved it yet).
   */
  function runStudent(file: string): void {
    const nb = read(path.join(WS, file));
    const out = path.join(tmpRoot, `executed-${file}`);
    const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'run_notebook.py'), path.join(WS, file), '--out', out], { cwd: WS, env, encoding: 'utf8', timeout: 600_000 });
    const executed = read(path.join(out, file));
    const testsAt = nb.cells.findIndex((c) => c.metadata.course?.role === 'tests');
    if (testsAt < 0) {
      if (r.status !== 0) console.error(r.stdout, r.stderr);
      expect(r.status, r.stderr).toBe(0);
      const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
      expect(outputs.length).toBeGreaterThan(5);
      expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
      return;
    }
    const { exercise, points } = nb.cells[testsAt].metadata.course!;
    expect(r.status, r.stderr).toBe(1);
    const codeNumber = nb.cells.slice(0, testsAt + 1).filter((c) => c.cell_type === 'code').length;
    expect(r.stderr).toContain(`failing cell: code cell ${codeNumber} (cell ${testsAt + 1} of ${nb.cells.length})`);
    expect(r.stderr).toContain(`// exercise: ${exercise}, points: ${points} (tests)`);
    expect(r.stderr).toContain(`Error: not implemented: ${exercise}`);
    // Every code cell before it ran (nbclient stops at the first failing cell).
    const before = executed.cells.slice(0, testsAt).filter((c) => c.cell_type === 'code');
    for (const c of before) expect(c.execution_count, c.id).not.toBeNull();
  }

  it.skipIf(skip)('02-core-concepts.ipynb runs from DIR up to its first exercise, which fails at the stub', () => runStudent('02-core-concepts.ipynb'), 600_000);
  it.skipIf(skip)('03-training-pipeline.ipynb runs from DIR up to its first exercise, which fails at the stub', () => runStudent('03-training-pipeline.ipynb'), 600_000);
  it.skipIf(skip)('04-mlp-maths.ipynb runs from DIR up to its first exercise, which fails at the stub', () => {
    expect(read(path.join(WS, '04-mlp-maths.ipynb')).cells.some((c) => c.metadata.course)).toBe(true);
    runStudent('04-mlp-maths.ipynb');
  }, 600_000);
});
