/**
 * Charts render wherever a notebook is opened: each notebook is executed in a
 * real tslab kernel (quick mode), exported with `jupyter nbconvert --to html`,
 * and opened in headless Chromium without network, once with scripts and once
 * without. Screenshots of both modes go to runs/browser/.
 *
 * Each chart is one output with two representations: the plotly figure
 * (`application/vnd.plotly.v1+json`, drawn interactively by JupyterLab /
 * Notebook 7 with the `plotly` pip package's extension, and by VS Code) and a
 * static SVG image (`text/html`, no script). nbconvert's HTML export does not
 * render plotly's MIME type (it is not in its display priority, and nothing
 * here installs plotly's nbconvert support), so it takes the `text/html`: with
 * scripts on as off, every figure shows its static image, no plotly.js is in
 * the page and nothing is drawn by plotly. That is what these tests assert;
 * the interactive chart is JupyterLab's job (see docs / README).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SUBSET, notebookKernelRun } from '../helpers/notebook';
import { haveChromium, launchOffline, offlineContext } from './chromium';

const PYTHON = '/usr/bin/python3';
const OUT = path.join(ROOT, 'runs', 'browser');
const JUPYTER_PATH = path.join(ROOT, '.jupyter', 'share', 'jupyter');
// In CI a missing Chromium or Jupyter is a failure, not a skip.
const required = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';

function haveJupyter(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import nbclient, nbformat, nbconvert, jupyter_client'], { encoding: 'utf8' });
  return r.status === 0 && fs.existsSync(path.join(JUPYTER_PATH, 'kernels', 'tslab', 'kernel.json'));
}
const toolsMissing = [!haveChromium() && 'Chromium (/usr/bin/chromium or $CHROMIUM_PATH)', !haveJupyter() && 'Jupyter (nbclient, nbconvert) with the tslab kernel in .jupyter/'].filter(Boolean);
const haveSubset = fs.existsSync(SUBSET);

const NOTEBOOKS = [
  { file: '01-background.ipynb', minFigures: 1, needsSubset: false },
  { file: '02-core-concepts.ipynb', minFigures: 2, needsSubset: false },
  { file: '03-training-pipeline.ipynb', minFigures: 15, needsSubset: false },
  { file: '05-cifar10-cnn.ipynb', minFigures: 4, needsSubset: true },
];

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
}

/** Executes a notebook in the kernel and exports it to HTML; returns the HTML path and how many figures (outputs with plotly's MIME type and a static image) its outputs hold. */
function executeAndExport(file: string): { html: string; figures: number } {
  const run = notebookKernelRun(path.join(ROOT, 'notebooks', file)); // the run notebooks.test.ts also checks
  if (run.status !== 0) throw new Error(`run_notebook.py ${file} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  const executed = run.executed!;
  const conv = spawnSync(PYTHON, ['-m', 'nbconvert', '--to', 'html', '--output-dir', path.join(OUT, 'html'), executed], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (conv.status !== 0) throw new Error(`nbconvert ${file} failed (${conv.status}):\n${conv.stderr}`);
  const nb = JSON.parse(fs.readFileSync(executed, 'utf8')) as { cells: { outputs?: Output[] }[] };
  let figures = 0;
  for (const o of nb.cells.flatMap((c) => c.outputs ?? [])) {
    const html = o.data?.['text/html'];
    const text = Array.isArray(html) ? html.join('') : (html ?? '');
    if (o.data?.['application/vnd.plotly.v1+json'] !== undefined) {
      // One figure per output, and its static image with it.
      if ((text.match(/class="dlc-figure"/g) ?? []).length !== 1) throw new Error(`${file}: a plotly figure output without exactly one static image`);
      figures++;
    } else if (text.includes('class="dlc-figure"')) throw new Error(`${file}: a static figure image without the plotly figure`);
  }
  return { html: path.join(OUT, 'html', file.replace(/\.ipynb$/, '.html')), figures };
}

/** Requests other than those of nbconvert's own template (RequireJS, MathJax: CDN URLs in pip's nbconvert, local files in Debian's). */
function outsideTemplate(urls: string[]): string[] {
  return urls.filter((u) => !/\/(require(\.min)?\.js|MathJax\.js)(\?|$)/i.test(u));
}

/** Screenshots of the whole page and of the first figures, for a person to look at. */
async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(path.join(OUT, 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'screenshots', `${name}-page.png`), fullPage: true });
  const figs = page.locator('.dlc-figure');
  const n = Math.min(await figs.count(), 3);
  for (let i = 0; i < n; i++) await figs.nth(i).screenshot({ path: path.join(OUT, 'screenshots', `${name}-figure${i + 1}.png`) });
}

describe.skipIf(!required && toolsMissing.length > 0)('charts in an exported notebook, in headless Chromium without network', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!toolsMissing.length) browser = await launchOffline();
  }, 60_000);
  // In CI each test fails on its own (not a hook error, which vitest reports as skipped tests).
  const requireTools = () => {
    if (toolsMissing.length) throw new Error(`missing: ${toolsMissing.join('; ')} (CI=true requires them)`);
  };
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(NOTEBOOKS)('$file', ({ file, minFigures, needsSubset }) => {
    const skip = needsSubset && !haveSubset;
    let exported: { html: string; figures: number };
    beforeAll(() => {
      if (!skip && !toolsMissing.length) exported = executeAndExport(file);
    }, 900_000);

    it.skipIf(skip)('shows every figure as its static image when scripts run too (nbconvert does not render plotly\'s MIME type), with no plotly.js and no request leaving the machine', async () => {
      requireTools();
      expect(exported.figures).toBeGreaterThanOrEqual(minFigures);
      const pageHtml = fs.readFileSync(exported.html, 'utf8');
      expect(pageHtml).not.toMatch(/plotly\.js v\d/); // no bundle inlined anywhere
      expect(pageHtml.length).toBeLessThan(2_000_000);
      const blocked: string[] = [];
      const context = await offlineContext(browser, true, blocked);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${exported.html}`);
      await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('.dlc-figure img.dlc-static')).every((img) => img.complete), null, { timeout: 30_000 });
      const state = await page.evaluate(() => {
        const shown = (img: HTMLImageElement) => {
          const r = img.getBoundingClientRect();
          return img.complete && img.naturalWidth > 0 && r.width > 50 && r.height > 50 && getComputedStyle(img).display !== 'none';
        };
        return {
          figures: document.querySelectorAll('.dlc-figure').length,
          staticsShown: Array.from(document.querySelectorAll<HTMLImageElement>('.dlc-figure img.dlc-static')).filter(shown).length,
          plotly: document.querySelectorAll('.main-svg, .js-plotly-plot').length,
          hasPlotly: typeof (window as unknown as { Plotly?: unknown }).Plotly !== 'undefined',
        };
      });
      await screenshots(page, `${file.replace(/\.ipynb$/, '')}-scripts`);
      await context.close();
      expect(state.figures).toBe(exported.figures);
      expect(state.staticsShown).toBe(exported.figures);
      expect(state.plotly).toBe(0);
      expect(state.hasPlotly).toBe(false);
      expect(errors).toEqual([]);
      expect(outsideTemplate(blocked)).toEqual([]); // no chart asked for the network
    }, 120_000);

    it.skipIf(skip)('shows every static image, image grid and diagram when scripts are off', async () => {
      requireTools();
      const blocked: string[] = [];
      const context = await offlineContext(browser, false, blocked);
      const page = await context.newPage();
      await page.goto(`file://${exported.html}`);
      // Diagrams sit in <details> (closed, because JupyterLab draws the mermaid block instead); clicking needs no script.
      const summaries = page.locator('details > summary');
      for (let i = 0; i < (await summaries.count()); i++) await summaries.nth(i).click();
      await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete), null, { timeout: 30_000 });
      const state = await page.evaluate(() => {
        const visible = (el: Element) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return r.width > 50 && r.height > 50 && s.display !== 'none' && s.visibility !== 'hidden';
        };
        const statics = Array.from(document.querySelectorAll<HTMLImageElement>('.dlc-figure img.dlc-static'));
        const grids = Array.from(document.querySelectorAll<HTMLImageElement>('img[src^="data:image/png"]'));
        const diagrams = Array.from(document.querySelectorAll<HTMLImageElement>('details img'));
        const ok = (imgs: HTMLImageElement[]) => imgs.filter((img) => img.complete && img.naturalWidth > 0 && visible(img)).length;
        return {
          figures: document.querySelectorAll('.dlc-figure').length,
          statics: statics.length,
          staticsShown: ok(statics),
          grids: grids.length,
          gridsShown: grids.filter((img) => img.complete && img.naturalWidth > 0).length,
          diagrams: diagrams.length,
          diagramsShown: ok(diagrams),
          plotly: document.querySelectorAll('.main-svg').length,
          scripts: document.querySelectorAll('.dlc-figure script, .jp-OutputArea-output script, .output_html script').length,
        };
      });
      await screenshots(page, `${file.replace(/\.ipynb$/, '')}-noscripts`);
      await context.close();
      expect(state.figures).toBe(exported.figures);
      expect(state.statics).toBe(exported.figures);
      expect(state.staticsShown).toBe(exported.figures);
      expect(state.plotly).toBe(0);
      expect(state.scripts).toBe(0); // the outputs carry no script at all
      expect(state.gridsShown).toBe(state.grids);
      expect(state.diagramsShown).toBe(state.diagrams);
      if (file.startsWith('02')) expect(state.diagrams).toBe(4);
      if (file.startsWith('03')) expect(state.diagrams).toBe(2);
      if (file.startsWith('05')) expect(state.grids).toBeGreaterThanOrEqual(20); // the first 20 training images
      expect(outsideTemplate(blocked)).toEqual([]);
    }, 120_000);
  });
});
