import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/notebook';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const doctest = require('../helpers/doctest.cjs') as {
  collectExamples(dir: string): { name: string; rel: string; code: string }[];
  parseExpected(c: string): unknown;
  matches(a: unknown, e: unknown, s: string): boolean;
  runExample(code: string, scope: object, deps: object): Promise<number>;
};

interface Result {
  name: string;
  ok: boolean;
  checks?: number;
  error?: string;
}

const run = promisify(execFile);
const examples = doctest.collectExamples(path.join(ROOT, 'lib'));
const files = [...new Set(examples.map((e) => e.rel))];

async function runFile(rel: string): Promise<Map<string, Result>> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'test', 'helpers', 'run-examples.cjs'), rel], { cwd: ROOT, maxBuffer: 16 << 20, timeout: 300_000 });
  const results = stdout.split('\n').filter((l) => l.startsWith('{"name"')).map((l) => JSON.parse(l) as Result);
  return new Map(results.map((r) => [r.name, r]));
}

describe('every @example in lib runs and its stated results hold', () => {
  it('lib has examples', () => {
    expect(examples.length).toBeGreaterThan(50);
  });
  it('every exported function and class of the package has an @example', () => {
    const lib = require(path.join(ROOT, 'dist', 'lib', 'index.js')) as Record<string, unknown>;
    const documented = new Set(examples.map((e) => e.name.split(' ')[1].split('.')[0]));
    const missing = Object.keys(lib).filter((k) => typeof lib[k] === 'function' && !documented.has(k));
    expect(missing).toEqual([]);
  });
  describe.each(files)('%s', (rel) => {
    let results: Promise<Map<string, Result>> | undefined;
    it.each(examples.filter((e) => e.rel === rel).map((e) => e.name))('%s', async (name) => {
      results ??= runFile(rel);
      const r = (await results).get(name);
      expect(r, `no result for ${name}`).toBeDefined();
      expect(r!.error ?? '').toBe('');
      expect(r!.ok).toBe(true);
    });
  });
});

describe('the doctest runner', () => {
  const tf = require('@tensorflow/tfjs');
  const scope = { accuracy: (a: number[], b: number[]) => a.filter((v, i) => v === b[i]).length / a.length, ArgumentError: class extends Error {} };
  const go = (code: string) => doctest.runExample(code, scope, { tf, require });
  it('fails a broken example: a wrong stated result', async () => {
    await expect(go('accuracy([0, 1], [0, 0]); // 0.75')).rejects.toThrow(/expected 0.75, got 0.5/);
  });
  it('fails an example whose error is not thrown', async () => {
    await expect(go('accuracy([0], [0]); // throws ArgumentError')).rejects.toThrow(/expected ArgumentError to be thrown/);
  });
  it('fails an example that states no result', async () => {
    await expect(go('accuracy([0], [0]);')).rejects.toThrow(/states no result/);
  });
  it('passes a right one, to the precision written', async () => {
    expect(await go('accuracy([0, 1, 2], [0, 1, 1]); // 0.667 (two of three)')).toBe(1);
  });
  it('reads results with explanations and typed-array prefixes', () => {
    expect(doctest.parseExpected('0.6931 (ln 2)')).toEqual({ kind: 'value', source: '0.6931' });
    expect(doctest.parseExpected('throws ArgumentError: ... softmax ...')).toEqual({ kind: 'throws', name: 'ArgumentError', text: 'softmax' });
    expect(doctest.matches(new Float32Array([1, 0, 0.2]), [1, 0, 0.2], 'Float32Array [1, 0, 0.2]')).toBe(true);
  });
});
