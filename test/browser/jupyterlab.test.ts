/**
 * The notebooks in a real JupyterLab 4, as a learner uses them: a JupyterLab
 * server (from the virtual environment .ci/run makes, `.venv-ci`, or the
 * README's `.venv`) serves a copy of notebooks/ with the repository's tslab
 * kernel (.jupyter/, see scripts/setup-kernel.sh) in quick mode, and headless
 * Chromium (Debian's, no network but the server) opens each notebook, waits
 * for a stable idle kernel, clicks Run → Run All Cells and waits for the
 * kernel to go idle. Then, for every cell, what the page shows must be right:
 *
 * - every code cell ran, and no output is an error (tslab writes errors to
 *   stderr: a stderr line with "Error"/"error:" fails the test);
 * - every chart is drawn: plotly.js inside each `.dlc-figure` (the course's
 *   HTML figure with its script) or plotly's MIME renderer
 *   (`application/vnd.plotly.v1+json`, the `plotly` pip package's extension);
 *   a figure sent as that MIME bundle may show its static `img.dlc-static`
 *   fallback only where the extension is not installed; each cell that calls
 *   showFigure/liveFigure/trainClassifier/trainMlp shows a chart;
 * - a training cell's live chart is updated in place: exactly one chart output;
 * - every ```mermaid block of a Markdown cell is drawn (JupyterLab ≥ 4.1), and
 *   Markdown with `$…$` is typeset by MathJax (`mjx-container`);
 *
 * and, opened afresh as an untrusted copy of the saved chapter 03 (as after a
 * git clone), every chart still shows: its static image, or plotly's renderer;
 * and in a second JupyterLab without plotly's extension, its static image.
 * A probe notebook first checks that the checks themselves see a failing cell
 * (its screenshot, runs/screenshots/zz-probe-checks.png, is always kept).
 * CIFAR-10 is the shared real subset where present, else a synthetic archive
 * in its layout; Fashion-MNIST comes from Debian's dataset-fashion-mnist.
 * JupyterLab runs with its own throw-away settings: windowing off (every cell
 * stays in the DOM), no news pop-up.
 *
 * On a failure: the message names the notebook, the cell and what is wrong;
 * a screenshot goes to runs/screenshots/<notebook>.png and the server's log
 * stays in runs/jlab-<pid>/. Skips (saying why) without JupyterLab 4, except
 * under CI=true, where .ci/run installs it (it sets DLC_JUPYTERLAB_SKIP with
 * the reason when pip cannot get JupyterLab there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardMembers, writeArchive } from '../data/helpers';
import { ROOT, SUBSET } from '../helpers/notebook';
import { haveChromium } from './chromium';
import {
  clickMenu,
  findJupyterLab,
  labContext,
  launchForLab,
  readCells,
  screenshotCell,
  sleep,
  startLab,
  waitForRunEnd,
  waitForStableIdleKernel,
  type CellView,
  type LabInstall,
  type LabServer,
} from './jupyterlab_helpers';

const KERNEL_PATH = path.join(ROOT, '.jupyter', 'share', 'jupyter');
const RUN_DIR = path.join(ROOT, 'runs', `jlab-${process.pid}`);
const NB_DIR = path.join(RUN_DIR, 'notebooks'); // inside the repository: `dl-course` resolves from node_modules above it
const SHOTS = path.join(ROOT, 'runs', 'screenshots');
const FASHION_DIR = process.env.DL_COURSE_FASHION_MNIST ?? '/usr/share/datasets/fashion-mnist';
const UNTRUSTED_SOURCE = '03-training-pipeline.ipynb';

/** Calls whose cell must show a chart, and those whose cell trains with a live chart (one output, updated in place). */
const CHART_CALL = /\b(showFigure|liveFigure|trainClassifier|trainMlp)\s*\(/;
const TRAINING_CALL = /\b(liveFigure|trainClassifier|trainMlp)\s*\(/;
/** A stderr line that is an error (tslab's error text, a type error); TF.js's "looks like you are running TensorFlow.js in Node.js" banner is not. */
const ERROR_LINE = /\b[A-Za-z]*Error\b|error( TS\d+)?:/;
const HARMLESS_STDERR = /looks like you are running TensorFlow\.js in Node\.js|tfjs-node for more details/;

interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}
interface NotebookJson {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}
const src = (c: NotebookCell) => (Array.isArray(c.source) ? c.source.join('') : c.source);

// ---- what is there, and whether to run ----
const NOTEBOOKS = fs
  .readdirSync(path.join(ROOT, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const install: LabInstall | string = findJupyterLab(ROOT);
const missing = [
  typeof install === 'string' && install,
  !haveChromium() && 'Chromium (/usr/bin/chromium or $CHROMIUM_PATH)',
  !fs.existsSync(path.join(KERNEL_PATH, 'kernels', 'tslab', 'kernel.json')) && "the tslab kernel in .jupyter/ (run 'bash scripts/setup-kernel.sh --prefix .jupyter')",
].filter((m): m is string => !!m);
const ciSkip = process.env.DLC_JUPYTERLAB_SKIP; // .ci/run: pip could not install JupyterLab, and says why
const required = (process.env.CI === 'true' && !ciSkip) || process.env.REQUIRE_JUPYTERLAB === '1';
const skipReason = ciSkip ? `.ci/run could not install JupyterLab: ${ciSkip}` : !required && missing.length ? missing.join('; ') : '';
if (skipReason) console.warn(`test/browser/jupyterlab.test.ts: SKIPPED: ${skipReason}`);
const haveFashion = fs.existsSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'));

/** A notebook whose cells check the checks: maths, a diagram, a cell that fails and one that therefore never runs. */
function probeNotebook(): NotebookJson {
  const md = (s: string): NotebookCell => ({ cell_type: 'markdown', metadata: {}, source: s });
  const code = (s: string): NotebookCell => ({ cell_type: 'code', metadata: {}, source: s, outputs: [], execution_count: null });
  return {
    cells: [
      md('# Probe\n\nEuler: $e^{i\\pi} + 1 = 0$\n\n```mermaid\nflowchart LR\n  A[data] --> B[model]\n```'),
      code("console.log('probe: first cell ran');"),
      code("throw new Error('probe-boom from code cell 2');"),
      code("console.log('probe: never printed');"),
    ],
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

interface Expectations {
  /** Fail a `.dlc-figure` that shows only its static image although it carries a script (scripts ran: plotly.js should have drawn it). */
  trusted: boolean;
  plotlyExtension: boolean;
}

/** Everything wrong with a notebook as the page shows it, one line each, naming the cell. */
function problems(file: string, nb: NotebookJson, cells: CellView[], ran: boolean, ex: Expectations): { lines: string[]; firstCell?: number } {
  const lines: string[] = [];
  let firstCell: number | undefined;
  const codeIndex = nb.cells.map((_, i) => nb.cells.slice(0, i + 1).filter((c) => c.cell_type === 'code').length);
  const where = (i: number) => {
    const first = src(nb.cells[i]).split('\n').find((l) => l.trim() && !l.trim().startsWith('//')) ?? '';
    return nb.cells[i].cell_type === 'code' ? `code cell ${codeIndex[i]} (cell ${i + 1}: ${JSON.stringify(first.slice(0, 70))})` : `Markdown cell ${i + 1} (${JSON.stringify(first.slice(0, 70))})`;
  };
  const bad = (i: number, what: string) => {
    lines.push(`${file}: ${where(i)}: ${what}`);
    firstCell ??= i;
  };
  if (cells.length !== nb.cells.length) {
    lines.push(`${file}: the page shows ${cells.length} cells, the notebook has ${nb.cells.length}`);
    return { lines, firstCell };
  }
  nb.cells.forEach((cell, i) => {
    const view = cells[i];
    const source = src(cell);
    if (cell.cell_type === 'code') {
      if (ran && !/^\[\d+\]:$/.test(view.prompt)) bad(i, `did not run (prompt ${JSON.stringify(view.prompt)})`);
      for (const o of view.outputs) {
        if (o.mime === 'application/vnd.jupyter.error') bad(i, `error output:\n${o.text}`);
        if (o.mime === 'application/vnd.jupyter.stderr') {
          const errors = o.text.split('\n').filter((l) => ERROR_LINE.test(l) && !HARMLESS_STDERR.test(l));
          if (errors.length) bad(i, `error on stderr:\n${o.text.trim()}`);
        }
      }
      const figureOutputs = view.outputs.filter((o) => o.figures.length > 0);
      view.outputs.forEach((o, k) =>
        o.figures.forEach((f, j) => {
          const what = `chart ${j + 1} of output ${k + 1} (${f.kind}, rendered as ${o.mime})`;
          if (f.kind === 'plotly-mime') {
            if (!f.interactive && !f.snapshot) bad(i, `${what}: plotly's renderer drew nothing`);
          } else if (!f.interactive) {
            if (!f.staticShown) bad(i, `${what}: neither drawn by plotly.js nor showing its static image`);
            else if (ex.trusted && o.hasScript) bad(i, `${what}: shows only its static image; its script did not draw it with plotly.js`);
            else if (ex.trusted && ex.plotlyExtension) bad(i, `${what}: shows only its static image although plotly's JupyterLab extension is installed (no interactive chart)`);
          }
        }),
      );
      // A training call with progress: 'none' draws nothing; a cell that trains once (no loop, no
      // function run several times) must show one live chart per training call, updated in place.
      const calls = (re: RegExp) => (source.match(new RegExp(re.source, 'g')) ?? []).length;
      const silent = calls(/progress:\s*'none'/);
      const charting = calls(CHART_CALL) - silent;
      const repeats = /\b(for|while)\s*\(|\bfunction\b|=>\s*\{/.test(source);
      if (ran && charting > 0 && figureOutputs.length === 0) bad(i, 'shows no chart (it calls showFigure/liveFigure/trainClassifier/trainMlp)');
      if (ran && !repeats && calls(TRAINING_CALL) - silent === 1 && figureOutputs.length > charting) {
        bad(i, `the live chart was not updated in place: ${figureOutputs.length} chart outputs for ${charting} chart call(s)`);
      }
    } else if (cell.cell_type === 'markdown') {
      const blocks = (source.match(/^```mermaid\s*$/gm) ?? []).length;
      if (blocks && (view.mermaid.drawn !== blocks || view.mermaid.failed)) {
        bad(i, `${blocks} mermaid diagram(s), ${view.mermaid.drawn} drawn, ${view.mermaid.failed} failed (of ${view.mermaid.total} .jp-RenderedMermaid)`);
      }
      const prose = source.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      if (/\$[^$\s][^$\n]*\$/.test(prose) && view.math === 0) bad(i, 'has $…$ maths, but nothing was typeset by MathJax (no mjx-container)');
    }
  });
  return { lines, firstCell };
}

/** Re-reads the page for up to `ms` until there is nothing wrong (charts, diagrams and maths draw asynchronously). */
async function settle(page: Page, file: string, nb: NotebookJson, ran: boolean, ex: Expectations, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const cells = await readCells(page);
    const found = problems(file, nb, cells, ran, ex);
    if (!found.lines.length || Date.now() > deadline) return { cells, ...found };
    await sleep(1000);
  }
}

function fail(file: string, lines: string[], extra = ''): never {
  throw new Error(`${file} in JupyterLab: ${lines.length} problem(s) (screenshot: runs/screenshots/${file.replace(/\.ipynb$/, '')}.png)\n${lines.join('\n')}${extra}`);
}

describe.skipIf(!!skipReason)(`notebooks in a real JupyterLab${typeof install === 'string' ? '' : ` ${install.version}`}, driven by headless Chromium${skipReason ? ` (SKIPPED: ${skipReason})` : ''}`, () => {
  let server: LabServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const blocked: string[] = [];
  let savedRun: string | undefined; // chapter 03 after its run, saved by JupyterLab
  let failedAny = false; // keep runs/jlab-<pid>/ (server log, notebooks) for a look
  const ex = (trusted: boolean): Expectations => ({ trusted, plotlyExtension: typeof install !== 'string' && install.plotlyExtension });

  beforeAll(async () => {
    if (missing.length) return; // each test then fails, saying what is missing
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
    fs.cpSync(path.join(ROOT, 'notebooks'), NB_DIR, {
      recursive: true,
      filter: (s) => !/(^|\/)(\.ipynb_checkpoints|runs|\.[^/]*\.(module\.js|check\.ts))$/.test(path.relative(path.join(ROOT, 'notebooks'), s)),
    });
    fs.writeFileSync(path.join(NB_DIR, 'zz-probe-checks.ipynb'), JSON.stringify(probeNotebook(), null, 1));
    let cifar = SUBSET;
    if (!fs.existsSync(SUBSET)) {
      // No real subset on this machine: a synthetic archive in CIFAR-10's layout (1,000 train, 500 test images, as quick mode uses).
      cifar = path.join(RUN_DIR, 'cifar-10-synthetic.tar.gz');
      await writeArchive(cifar, standardMembers(200, 500));
    }
    server = await startLab(install as LabInstall, NB_DIR, RUN_DIR, { JUPYTER_PATH: KERNEL_PATH, COURSE_QUICK: '1', DL_COURSE_CIFAR10: cifar });
    browser = await launchForLab();
    context = await labContext(browser, server.origin, blocked);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (server && !failedAny) fs.rmSync(RUN_DIR, { recursive: true, force: true });
  }, 60_000);

  const requireTools = () => {
    if (missing.length) throw new Error(`missing: ${missing.join('; ')} (CI=true requires them; .ci/run installs JupyterLab into .venv-ci)`);
  };

  /** Opens `file`, waits for a stable idle kernel, runs all cells and waits for the end; returns the page and the notebook. */
  async function openAndRunAll(file: string, runTimeoutMs: number): Promise<{ page: Page; nb: NotebookJson }> {
    const nb = JSON.parse(fs.readFileSync(path.join(NB_DIR, file), 'utf8')) as NotebookJson;
    const page = await context!.newPage();
    await page.goto(server!.url(file));
    await page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell').first().waitFor({ timeout: 60_000 });
    const kernelId = await waitForStableIdleKernel(page, server!, file, 'TypeScript');
    await clickMenu(page, 'Run', 'Run All Cells');
    await waitForRunEnd(page, server!, file, kernelId, runTimeoutMs);
    return { page, nb };
  }

  async function withScreenshot<T>(file: string, page: () => Page | undefined, cell: () => number | undefined, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      failedAny = true;
      const p = page();
      if (p) await screenshotCell(p, cell(), path.join(SHOTS, `${file.replace(/\.ipynb$/, '')}.png`)).catch(() => undefined);
      throw e;
    }
  }

  it('the checks see a failing cell, an unrun cell, typeset maths and a mermaid diagram (probe notebook)', async () => {
    requireTools();
    const file = 'zz-probe-checks.ipynb';
    let page: Page | undefined;
    await withScreenshot(
      file,
      () => page,
      () => 2,
      async () => {
        ({ page } = await openAndRunAll(file, 120_000));
        const nb = JSON.parse(fs.readFileSync(path.join(NB_DIR, file), 'utf8')) as NotebookJson;
        const { lines } = await settle(page, file, nb, true, ex(true), 15_000);
        console.log(`probe: the checks reported (as expected):\n${lines.join('\n')}`);
        await screenshotCell(page, 2, path.join(SHOTS, 'zz-probe-checks.png')); // what a failing cell looks like, and proof that screenshots work
        // Exactly the failing cell (its stderr) and the one after it (aborted by tslab): no complaint about the maths or the diagram.
        expect(lines.some((l) => l.includes('code cell 2') && l.includes('Error: probe-boom from code cell 2'))).toBe(true);
        expect(lines.filter((l) => !l.includes('code cell 2') && !l.includes('code cell 3'))).toEqual([]);
        expect(lines.some((l) => l.includes('code cell 3') && l.includes('did not run'))).toBe(true);
        const cells = await readCells(page);
        expect(cells[0].math).toBeGreaterThan(0);
        expect(cells[0].mermaid.drawn).toBe(1);
        expect(cells[1].outputs.map((o) => o.text).join('')).toContain('probe: first cell ran');
      },
    );
    await page?.close();
    await server?.shutdownSessions();
  }, 240_000);

  describe.each(NOTEBOOKS)('%s', (file) => {
    const needsFashion = fs.readFileSync(path.join(ROOT, 'notebooks', file), 'utf8').includes('loadFashionMnist');
    const skipFashion = needsFashion && !haveFashion && !required;
    if (skipFashion) console.warn(`test/browser/jupyterlab.test.ts: ${file} SKIPPED: no Fashion-MNIST in ${FASHION_DIR} (Debian package dataset-fashion-mnist, or DL_COURSE_FASHION_MNIST)`);

    it.skipIf(skipFashion)(
      'Run All in a stable idle kernel: every cell runs without error, every chart drawn, the live chart updated in place, diagrams and maths rendered',
      async () => {
        requireTools();
        let page: Page | undefined;
        let firstCell: number | undefined;
        const t0 = Date.now();
        await withScreenshot(
          file,
          () => page,
          () => firstCell,
          async () => {
            let nb: NotebookJson;
            ({ page, nb } = await openAndRunAll(file, 480_000));
            const result = await settle(page, file, nb, true, ex(true));
            firstCell = result.firstCell;
            const figures = result.cells.flatMap((c) => c.outputs.flatMap((o) => o.figures));
            console.log(
              `${file}: ran in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${figures.length} charts (${figures.filter((f) => f.interactive).length} interactive, ` +
                `${figures.filter((f) => f.kind === 'plotly-mime').length} via plotly's MIME renderer); ` +
                `${result.cells.reduce((n, c) => n + c.mermaid.drawn, 0)} mermaid diagrams; ${result.cells.reduce((n, c) => n + c.math, 0)} typeset maths`,
            );
            if (result.lines.length) {
              const logTail = fs.existsSync(server!.logFile) ? `\n--- JupyterLab server log (tail) ---\n${fs.readFileSync(server!.logFile, 'utf8').slice(-2000)}` : '';
              fail(file, result.lines, logTail);
            }
            if (file === UNTRUSTED_SOURCE) {
              // Save it as JupyterLab does (File → Save Notebook), for the untrusted reopening below.
              const onDisk = path.join(NB_DIR, file);
              const before = fs.statSync(onDisk).mtimeMs;
              await clickMenu(page, 'File', 'Save Notebook');
              const deadline = Date.now() + 30_000;
              const saved = () => (JSON.parse(fs.readFileSync(onDisk, 'utf8')) as NotebookJson).cells.some((c) => (c.outputs ?? []).length > 0);
              while (fs.statSync(onDisk).mtimeMs === before || !saved()) {
                if (Date.now() > deadline) throw new Error(`${file}: File → Save Notebook did not save the outputs within 30 s`);
                await sleep(500);
              }
              savedRun = onDisk;
            }
          },
        );
        await page?.close();
        await server?.shutdownSessions();
      },
      600_000,
    );
  });

  /** A copy of the saved chapter 03 edited outside JupyterLab: its signature no longer matches, so JupyterLab treats its outputs as untrusted (no scripts), as after a git clone. */
  function untrustedCopy(): { file: string; nb: NotebookJson } {
    if (!savedRun) throw new Error(`needs the saved run of ${UNTRUSTED_SOURCE}, which failed above`);
    const nb = JSON.parse(fs.readFileSync(savedRun, 'utf8')) as NotebookJson;
    nb.metadata = { ...nb.metadata, dlc_test: 'untrusted copy' };
    const file = `untrusted-${UNTRUSTED_SOURCE}`;
    fs.writeFileSync(path.join(NB_DIR, file), JSON.stringify(nb, null, 1));
    return { file, nb };
  }

  /** Opens the untrusted copy afresh (no cell is run) and checks that every chart and diagram shows; without `plotlyExtension` every chart must be its static image. */
  async function checkUntrusted(lab: LabServer, ctx: BrowserContext, plotlyExtension: boolean, label: string): Promise<void> {
    const { file, nb } = untrustedCopy();
    const page = await ctx.newPage();
    let firstCell: number | undefined;
    await withScreenshot(
      `${file.replace(/\.ipynb$/, '')}-${label}.ipynb`,
      () => page,
      () => firstCell,
      async () => {
        await page.goto(lab.url(file));
        await page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell').first().waitFor({ timeout: 60_000 });
        const result = await settle(page, file, nb, false, { trusted: false, plotlyExtension });
        firstCell = result.firstCell;
        if (result.lines.length) fail(file, result.lines);
        const figures = result.cells.flatMap((c) => c.outputs.flatMap((o) => o.figures));
        const chartCells = nb.cells.filter((c) => c.cell_type === 'code' && CHART_CALL.test(src(c))).length;
        expect(figures.length, 'charts shown in the untrusted copy').toBeGreaterThanOrEqual(chartCells);
        // Untrusted: no script of the notebook ran, so a .dlc-figure can only show its static image; plotly's MIME renderer is JupyterLab's own code.
        expect(figures.filter((f) => f.kind === 'dlc-figure' && (f.interactive || !f.staticShown)), 'course figures not showing their static image').toEqual([]);
        if (!plotlyExtension) expect(figures.filter((f) => f.kind !== 'dlc-figure'), 'charts other than static images without the plotly extension').toEqual([]);
        const status = await page.evaluate(() => document.querySelector('.dlc-plotly-status')?.textContent ?? '');
        if (status) expect(status).toMatch(/static images here/);
        console.log(`${file} (${label}): ${figures.length} charts shown untrusted: ${figures.filter((f) => f.kind === 'dlc-figure').length} static images, ${figures.filter((f) => f.kind === 'plotly-mime').length} by plotly's renderer`);
      },
    );
    await page.close();
    await lab.shutdownSessions();
  }

  it(`an untrusted copy of ${UNTRUSTED_SOURCE} with its outputs, opened afresh: every chart shows (plotly's renderer or the static image), every diagram`, async () => {
    requireTools();
    await checkUntrusted(server!, context!, ex(false).plotlyExtension, 'untrusted');
  }, 180_000);

  it(`the same untrusted copy in a JupyterLab without plotly's extension: every chart shows its static image`, async () => {
    requireTools();
    untrustedCopy();
    const lab = await startLab(install as LabInstall, NB_DIR, path.join(RUN_DIR, 'no-plotly'), { JUPYTER_PATH: KERNEL_PATH, COURSE_QUICK: '1' }, true);
    const ctx = await labContext(browser!, lab.origin, blocked);
    try {
      await checkUntrusted(lab, ctx, false, 'no-plotly');
    } finally {
      await ctx.close();
      await lab.stop();
    }
  }, 240_000);

  it('no page asked for anything outside the machine', () => {
    requireTools();
    expect(blocked).toEqual([]);
  });
});
