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

describe('links from the API docs to the notebooks', () => {
  it('every library function a notebook uses links to that notebook in its TSDoc', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'link-docs.cjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('npm run lint:md (markdownlint)', () => {
  it('passes on every Markdown file and every notebook Markdown cell', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'lint-markdown.cjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/are clean/);
    expect(r.status).toBe(0);
  });
});
