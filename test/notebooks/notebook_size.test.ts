/**
 * A notebook saved after a run stays small: each chart is one output with the
 * plotly figure (`application/vnd.plotly.v1+json`) and its static image
 * (`text/html`), and no output inlines plotly.js (4.6 MB; a saved chapter
 * used to be ~5 MB). Runs the chapters in a real tslab kernel, in quick mode,
 * with scripts/run_notebook.py; skipped without Jupyter (a failure in CI).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SUBSET, notebookKernelRun } from '../helpers/notebook';

const PLOTLY = 'application/vnd.plotly.v1+json';
const JUPYTER_PATH = path.join(ROOT, '.jupyter', 'share', 'jupyter');

function hasJupyter(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  return r.status === 0 && fs.existsSync(path.join(JUPYTER_PATH, 'kernels', 'tslab', 'kernel.json'));
}
// In CI a missing Jupyter is a failure, not a skip.
const requireKernel = process.env.CI === 'true' || process.env.REQUIRE_JUPYTER === '1';
const haveSubset = fs.existsSync(SUBSET);

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

const join = (s: unknown): string => (Array.isArray(s) ? s.join('') : String(s ?? ''));

const NOTEBOOKS = [
  // trainingCell: a text found only in the source of the cell that trains with a live chart.
  { file: '02-core-concepts.ipynb', minFigures: 2, trainingCell: 'dl.trainMlp(', needsSubset: false },
  { file: '03-training-pipeline.ipynb', minFigures: 15, trainingCell: 'dl.liveFigure(', needsSubset: false },
  { file: '05-cifar10-cnn.ipynb', minFigures: 4, trainingCell: 'dl.trainClassifier(', needsSubset: true },
];

describe.each(NOTEBOOKS)('$file saved after a quick run in a tslab kernel', ({ file, minFigures, trainingCell, needsSubset }) => {
  it.skipIf((needsSubset && !haveSubset) || (!requireKernel && !hasJupyter()))('is under 1 MB, with one plotly figure + static image per chart and no plotly.js', () => {
    const r = notebookKernelRun(path.join(ROOT, 'notebooks', file)); // the run notebooks.test.ts also checks
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const saved = r.executed!;
    const bytes = fs.statSync(saved).size;
    console.log(`${file}: ${(bytes / 1024).toFixed(0)} KB after a quick run (source: ${(fs.statSync(path.join(ROOT, 'notebooks', file)).size / 1024).toFixed(0)} KB)`);
    expect(bytes).toBeLessThan(1_000_000);

    const cells = (JSON.parse(fs.readFileSync(saved, 'utf8')) as { cells: Cell[] }).cells;
    const outputs = cells.flatMap((c) => c.outputs ?? []);
    // No plotly.js anywhere: not its banner, no script, no single huge output.
    for (const o of outputs) {
      const text = JSON.stringify(o);
      expect(text.length, `an output of ${text.length} characters`).toBeLessThan(500_000);
      expect(text).not.toMatch(/plotly\.js v\d/);
      expect(text).not.toMatch(/<script/i);
    }
    // Every chart: the figure for plotly's renderer, a static image for every other viewer, a text summary.
    const figures = outputs.filter((o) => o.data?.[PLOTLY] !== undefined);
    expect(figures.length).toBeGreaterThanOrEqual(minFigures);
    for (const f of figures) {
      expect(f.output_type).toBe('display_data');
      expect(Array.isArray((f.data![PLOTLY] as { data: unknown }).data)).toBe(true);
      expect(join(f.data!['text/html'])).toMatch(/<div class="dlc-figure"[^>]*><img class="dlc-static" src="data:image\/svg\+xml;base64,/);
      expect(join(f.data!['text/plain']).length).toBeGreaterThan(0);
    }
    // The live training chart is one output, updated in place: exactly one figure in its cell, showing the last epoch.
    const training = cells.filter((c) => c.cell_type === 'code' && join(c.source).includes(trainingCell));
    expect(training).toHaveLength(1);
    const trainingFigures = (training[0].outputs ?? []).filter((o) => o.data?.[PLOTLY] !== undefined);
    expect(trainingFigures).toHaveLength(1);
    expect(join(trainingFigures[0].data!['text/plain'])).toMatch(/^epoch (\d+)\/\1\b/);
  }, 900_000);
});
