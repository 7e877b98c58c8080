import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/notebook';

const typedoc = path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

function run(args: string[]) {
  return spawnSync(process.execPath, [typedoc, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
}

describe('npm run docs (typedoc, warnings are errors)', () => {
  it('builds the API reference of lib with no warning', () => {
    const r = run(['--emit', 'none']);
    expect(r.stdout + r.stderr).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  });
  it('fails on an undocumented export, naming it', () => {
    // The project's own typedoc settings, pointed at a fixture with one undocumented export.
    const fixture = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-typedoc-'));
    for (const f of ['index.ts', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'undocumented', f), path.join(fixture, f));
    const options = JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8'));
    fs.writeFileSync(path.join(fixture, 'typedoc.json'), JSON.stringify({ ...options, entryPoints: ['index.ts'], tsconfig: 'tsconfig.json', readme: 'none', out: 'api' }));
    const r = spawnSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: fixture, encoding: 'utf8', timeout: 300_000 });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/forgotToDocument.*does not have any documentation/);
    expect(r.stdout + r.stderr).not.toMatch(/ documented.*does not have any documentation/);
  });
});

describe('links between the API docs and the notebook sections (scripts/link-docs.cjs)', () => {
  const linkDocs = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'link-docs.cjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('every library declaration a notebook section uses links to that section, and the section names its lib file', () => {
    const r = linkDocs('--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('--check reports a stale notebook link and a missing Library line, and write mode fixes both', () => {
    // A copy of lib/ and notebooks/ with one @see pointing at the wrong depth and one Library line gone.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-link-docs-'));
    for (const dir of ['lib', 'notebooks']) fs.cpSync(path.join(ROOT, dir), path.join(tmp, dir), { recursive: true });
    const dense = path.join(tmp, 'lib', 'nn', 'dense.ts');
    const planted = ' * @see [Notebook 04: the maths of an MLP](../notebooks/04-mlp-maths.ipynb)';
    fs.writeFileSync(dense, fs.readFileSync(dense, 'utf8').replace(/\n \*\/\nexport function dense\b/, `\n${planted}$&`));
    const nbFile = path.join(tmp, 'notebooks', '05-cifar10-cnn.ipynb');
    const nb = JSON.parse(fs.readFileSync(nbFile, 'utf8'));
    const training = nb.cells.find((c: { source: string[] }) => c.source[0]?.startsWith('## 3. Training'));
    const before = training.source.join('');
    training.source = before.replace(/\n\nLibrary:[^]*$/, '').split(/(?<=\n)/);
    fs.writeFileSync(nbFile, `${JSON.stringify(nb, null, 1)}\n`);

    const r = linkDocs('--check', '--root', tmp);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`stale (1):\n  lib/nn/dense.ts: dense: ${planted.trim()}`);
    expect(r.stderr).toMatch(/missing \(1\):\n {2}05-cifar10-cnn\.ipynb cell \d+ \(3\. Training\): Library: `lib\/models\/cnn\.ts`/);

    expect(linkDocs('--root', tmp).status).toBe(0);
    expect(fs.readFileSync(dense, 'utf8')).not.toContain(planted);
    expect(fs.readFileSync(dense, 'utf8')).toContain(' * @see [Notebook 04 §1 A dense layer: `Z = XW + b`](../../notebooks/04-mlp-maths.ipynb#1.-A-dense-layer:-Z-=-XW-+-b)');
    const fixed = JSON.parse(fs.readFileSync(nbFile, 'utf8')).cells.find((c: { source: string[] }) => c.source[0]?.startsWith('## 3. Training'));
    expect(fixed.source.join('')).toBe(before);
    const again = linkDocs('--check', '--root', tmp);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

describe('npm run lint:md (markdownlint)', () => {
  it('passes on every Markdown file and every notebook Markdown cell', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'lint-markdown.cjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/are clean/);
    expect(r.status).toBe(0);
  });
});
