import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEEDS_REAL_PHOTOS, ROOT, haveRealPhotos, notebookKernelRun, notebookModuleRun, notebookToTypeScript, strictDiagnostics } from '../helpers/notebook';
import { checkChapter04bQuickRun } from './chapter04b';

const NOTEBOOKS = fs
  .readdirSync(path.join(ROOT, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb'))
  .map((f) => path.join(ROOT, 'notebooks', f));
// The run's CIFAR-10 archive: the real subset, else a synthetic one (test/setup/global.ts).

/** Why the kernel tests cannot run here, or undefined when they can. */
function whyNoJupyter(): string | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  if (r.status !== 0) return 'needs Jupyter: /usr/bin/python3 with nbclient, nbformat, jupyter_client';
  if (!fs.existsSync(path.join(ROOT, '.jupyter', 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'))) return 'needs the tslab kernel in .jupyter/: bash scripts/setup-kernel.sh --prefix .jupyter';
  return undefined;
}
// In CI a missing Jupyter is a failure, not a skip.
const requireKernel = process.env.CI === 'true' || process.env.REQUIRE_JUPYTER === '1';
const noJupyter = whyNoJupyter();
const skipKernel = !requireKernel && noJupyter !== undefined;
/** Test-name suffix of the kernel tests when they skip. */
const kernelNote = skipKernel ? ` (${noJupyter})` : '';
/** stdout of each notebook's plain-module run, for the checks that need real photos. */
const plainRuns = new Map<string, string>();

describe.each(NOTEBOOKS)('notebook %s', (notebook) => {
  it('type-checks under the project strict tsconfig', () => {
    const check = path.join(path.dirname(notebook), `.${path.basename(notebook, '.ipynb')}.${process.pid}.check.ts`); // per process: CI runs Node 20 and 24 at once
    expect(strictDiagnostics(notebookToTypeScript(notebook), check)).toEqual([]);
  });

  it('runs top to bottom as a plain module in quick mode', () => {
    const r = notebookModuleRun(notebook); // shared with the chapter tests (one run per notebook)
    if (r.status !== 0) console.error(r.stdout, r.stderr);
    expect(r.status).toBe(0);
    plainRuns.set(notebook, r.stdout);
    if (notebook.includes('05-')) {
      expect(r.stdout).toContain('1000 training images, 500 test images');
      expect(r.stdout).toMatch(/test accuracy: [\d.]+%/);
      expect(r.stdout).toContain('same predictions: true');
      expect(r.stdout).toContain('softmax would be applied twice');
    }
    if (notebook.includes('04b-')) checkChapter04bQuickRun(r.stdout);
  });

  if (notebook.includes('05-')) {
    it.skipIf(!haveRealPhotos)(`quick mode beats chance clearly: test accuracy > 15% ${NEEDS_REAL_PHOTOS}`, () => {
      const stdout = plainRuns.get(notebook);
      expect(stdout, 'the plain-module run above did not finish').toBeDefined();
      const acc = Number(/test accuracy: ([\d.]+)%/.exec(stdout!)?.[1]);
      expect(acc).toBeGreaterThan(15); // chance is 10%; one epoch on 1,000 images gets well above it
    });
  }

  it.skipIf(skipKernel)(`runs top to bottom in a real tslab Jupyter kernel${kernelNote}`, () => {
    const r = notebookKernelRun(notebook); // shared with notebook_size and notebook_render (one kernel run per notebook)
    if (r.status !== 0) console.error(r.stdout, r.stderr);
    expect(r.status, r.stderr).toBe(0);
    // A copy to look at after the run.
    const out = path.join(ROOT, 'runs', 'executed-notebooks');
    fs.mkdirSync(out, { recursive: true });
    fs.copyFileSync(r.executed!, path.join(out, path.basename(notebook)));
    // The executed notebook has outputs and no error output.
    const executed = JSON.parse(fs.readFileSync(r.executed!, 'utf8')) as { cells: { outputs?: { output_type: string }[] }[] };
    const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.length).toBeGreaterThan(5);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
  });
});

describe('scripts/run_notebook.py', () => {
  it.skipIf(skipKernel)(`fails on a failing cell, showing the cell and its error text${kernelNote}`, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-nb-'));
    const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'run_notebook.py'), path.join(ROOT, 'test', 'fixtures', 'failing-cell.ipynb'), '--out', out], {
      cwd: ROOT,
      env: { ...process.env, JUPYTER_PATH: path.join(ROOT, '.jupyter', 'share', 'jupyter') },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('failing cell: code cell 2');
    expect(r.stderr).toContain("throw new Error('boom-42 from the second cell');");
    expect(r.stderr).toMatch(/Error: boom-42 from the second cell/); // tslab's stderr text
    // The executed notebook is saved even so, with the first cell's output.
    expect(fs.readFileSync(path.join(out, 'failing-cell.ipynb'), 'utf8')).toContain('first cell ran');
  });
});

describe("Jupyter's interrupt button during training (a real tslab kernel)", () => {
  it.skipIf(skipKernel)(`stops training within a second; the cell ends with where it stopped, the kernel keeps the model and the history${kernelNote}`, () => {
    const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'test', 'notebooks', 'interrupt_kernel.py')], {
      cwd: ROOT,
      env: { ...process.env, JUPYTER_PATH: path.join(ROOT, '.jupyter', 'share', 'jupyter') },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as { interrupted: boolean; seconds_to_end: number; status: string; output: string; after: string };
    expect(result.interrupted).toBe(true);
    expect(result.seconds_to_end).toBeLessThan(1.5);
    expect(result.status).toBe('ok');
    expect(result.output).toMatch(/trainClassifier: training interrupted after epoch 1, step \d+ of epoch 2/);
    expect(JSON.parse(result.after)).toEqual({ epochs: 1, params: 167562, stopped: 'string' });
  });
});
