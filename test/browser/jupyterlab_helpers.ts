/**
 * Test helpers for driving a real JupyterLab 4 server with headless Chromium
 * (playwright-core, Debian's /usr/bin/chromium): find the JupyterLab that
 * .ci/run (or the README's install) put into a virtual environment, start it
 * on a free port with a random token and a throw-away configuration, and read
 * what a learner sees in a notebook (cells, prompts, outputs, charts,
 * diagrams, maths) from the page.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchOffline } from './chromium';

export interface LabInstall {
  /** The `jupyter` command of the virtual environment. */
  jupyter: string;
  /** JupyterLab's version, e.g. "4.6.4". */
  version: string;
  /** Whether plotly's JupyterLab extension (pip package `plotly`) is installed and enabled. */
  plotlyExtension: boolean;
}

/**
 * The JupyterLab 4 to test: `$JUPYTERLAB_JUPYTER` (a `jupyter` command), else
 * `.venv-ci/bin/jupyter` (made by .ci/run), else `.venv/bin/jupyter` (the
 * README's). Returns a reason string when there is none.
 */
export function findJupyterLab(root: string): LabInstall | string {
  const candidates = process.env.JUPYTERLAB_JUPYTER ? [process.env.JUPYTERLAB_JUPYTER] : [path.join(root, '.venv-ci', 'bin', 'jupyter'), path.join(root, '.venv', 'bin', 'jupyter')];
  const tried: string[] = [];
  for (const jupyter of candidates) {
    if (!fs.existsSync(jupyter)) {
      tried.push(`${jupyter.startsWith(`${root}/`) ? path.relative(root, jupyter) : jupyter}: absent`);
      continue;
    }
    const r = spawnSync(jupyter, ['lab', '--version'], { encoding: 'utf8', timeout: 60_000 });
    const version = (r.stdout ?? '').trim();
    if (r.status !== 0 || !/^4\./.test(version)) {
      tried.push(`${jupyter}: 'jupyter lab --version' gave ${JSON.stringify(version || r.stderr?.trim().split('\n').pop() || r.status)}, not 4.x`);
      continue;
    }
    const ext = spawnSync(jupyter, ['labextension', 'list'], { encoding: 'utf8', timeout: 60_000 });
    const plotlyExtension = /jupyterlab-plotly\s+v\S+\s+(\x1b\[\d+m)?enabled/.test(`${ext.stdout}${ext.stderr}`);
    return { jupyter, version, plotlyExtension };
  }
  return `no JupyterLab 4 (${tried.join('; ')}); install it: python3 -m venv .venv && .venv/bin/pip install 'jupyterlab==4.*' plotly`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface LabServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  token: string;
  /** The server's root folder (notebooks are opened by paths relative to it). */
  rootDir: string;
  /** The server's log (stdout and stderr). */
  logFile: string;
  /** GET a JSON endpoint of the REST API, e.g. `/api/sessions`. */
  api<T>(p: string): Promise<T>;
  /** Shuts down every kernel session (frees the memory of notebooks already checked). */
  shutdownSessions(): Promise<void>;
  /** The URL that opens `file` (relative to rootDir) in JupyterLab, in a fresh layout. */
  url(file: string): string;
  stop(): Promise<void>;
}

/** JupyterLab settings for the test: all cells stay in the DOM (no windowing), no news pop-up, no update checks. */
const SETTINGS: Record<string, unknown> = {
  '@jupyterlab/notebook-extension/tracker.jupyterlab-settings': { windowingMode: 'none' },
  '@jupyterlab/apputils-extension/notification.jupyterlab-settings': { fetchNews: 'false', checkForUpdates: false },
};

/**
 * Starts `jupyter lab` on a free port with a random token, serving `rootDir`,
 * with its own configuration, data (trust database), runtime, settings and
 * workspaces folders under `stateDir` (nothing of the user's JupyterLab is
 * read or changed), with `noLabExtensions` none of the installed prebuilt
 * extensions (plotly's renderer, …), and `env` added to the environment (JUPYTER_PATH for
 * the kernel, COURSE_QUICK, …). Resolves once the REST API answers.
 */
export async function startLab(install: LabInstall, rootDir: string, stateDir: string, env: Record<string, string>, noLabExtensions = false): Promise<LabServer> {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const origin = `http://127.0.0.1:${port}`;
  const dirs = Object.fromEntries(['config', 'data', 'runtime', 'settings', 'workspaces'].map((d) => [d, path.join(stateDir, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  for (const [file, value] of Object.entries(SETTINGS)) {
    fs.mkdirSync(path.dirname(path.join(dirs.settings, file)), { recursive: true });
    fs.writeFileSync(path.join(dirs.settings, file), JSON.stringify(value));
  }
  if (noLabExtensions) {
    // No prebuilt extensions (plotly's renderer, …): JupyterLab as installed without them. (`jupyter labextension
    // disable jupyterlab-plotly` is not enough: JupyterLab 4.6 still renders plotly's MIME type then.)
    fs.writeFileSync(path.join(dirs.config, 'jupyter_lab_config.json'), JSON.stringify({ LabApp: { labextensions_path: [] } }));
  }
  const logFile = path.join(stateDir, 'jupyterlab.log');
  const log = fs.openSync(logFile, 'w');
  const args = [
    'lab',
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    '--port-retries=0',
    `--ServerApp.token=${token}`,
    `--ServerApp.root_dir=${rootDir}`,
    '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
  ];
  if (process.getuid?.() === 0) args.push('--allow-root'); // CI containers run as root
  const child: ChildProcess = spawn(install.jupyter, args, {
    cwd: rootDir,
    env: {
      ...process.env,
      JUPYTER_CONFIG_DIR: dirs.config,
      JUPYTER_DATA_DIR: dirs.data,
      JUPYTER_RUNTIME_DIR: dirs.runtime,
      JUPYTERLAB_SETTINGS_DIR: dirs.settings,
      JUPYTERLAB_WORKSPACES_DIR: dirs.workspaces,
      ...env,
    },
    stdio: ['ignore', log, log],
    detached: true, // its own process group: stop() ends the server and its kernels together
  });
  fs.closeSync(log);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${origin}${p}${p.includes('?') ? '&' : '?'}token=${token}`);
    if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`jupyter lab ${exited} before answering; its log (${logFile}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      await api('/api/status');
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`jupyter lab did not answer on ${origin} within 120 s; its log (${logFile}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
      await sleep(500);
    }
  }
  return {
    origin,
    token,
    rootDir,
    logFile,
    api,
    async shutdownSessions() {
      for (const s of await api<{ id: string }[]>('/api/sessions')) await fetch(`${origin}/api/sessions/${s.id}?token=${token}`, { method: 'DELETE' });
    },
    url: (file) => `${origin}/lab/tree/${file.split('/').map(encodeURIComponent).join('/')}?reset&token=${token}`,
    async stop() {
      if (exited || child.pid === undefined) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM'); // the server shuts its kernels down
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Chromium without network except 127.0.0.1: the JupyterLab server is the only host the page can reach. */
export async function launchForLab(): Promise<Browser> {
  return launchOffline(true);
}

/** A page context that reaches only `origin`; every other http(s) request is aborted and its URL pushed to `blocked`. */
export async function labContext(browser: Browser, origin: string, blocked: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.route(/^https?:/, (route) => {
    const url = route.request().url();
    if (url === origin || url.startsWith(`${origin}/`)) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  return context;
}

interface SessionModel {
  path: string;
  kernel: { id: string; name: string; execution_state: string } | null;
}

/** The kernel of the session of `file` (relative to the server root), if there is exactly one. */
export async function kernelOf(server: LabServer, file: string): Promise<{ id: string; name: string; state: string } | undefined> {
  const sessions = (await server.api<SessionModel[]>('/api/sessions')).filter((s) => s.path === file && s.kernel);
  if (sessions.length !== 1) return undefined;
  const k = sessions[0].kernel!;
  return { id: k.id, name: k.name, state: k.execution_state };
}

/** The page's own view of the kernel: the notebook toolbar's kernel name and execution indicator. */
async function pageKernel(page: Page): Promise<{ name: string; status: string }> {
  return page.evaluate(() => ({
    name: document.querySelector('.jp-NotebookPanel-toolbar .jp-Toolbar-kernelName')?.textContent?.trim() ?? '',
    status: document.querySelector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator')?.getAttribute('data-status') ?? '',
  }));
}

/**
 * Waits until the notebook's kernel is started, idle and stable: one session
 * for the file, the same kernel id idle on the server for `stableMs`, and the
 * page showing that kernel (`kernelDisplayName`) as idle. Right after opening
 * a notebook the server may replace the first kernel with a second one, and
 * cells sent meanwhile can be lost. Returns the kernel id.
 */
export async function waitForStableIdleKernel(page: Page, server: LabServer, file: string, kernelDisplayName: string, timeoutMs = 120_000, stableMs = 3_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let since = 0;
  let lastId = '';
  let seen = '';
  for (;;) {
    const k = await kernelOf(server, file);
    const p = await pageKernel(page);
    seen = `server: ${k ? `${k.name} ${k.id.slice(0, 8)} ${k.state}` : 'no single session'}; page: ${p.name || '-'} ${p.status || '-'}`;
    if (k && k.state === 'idle' && p.name === kernelDisplayName && p.status === 'idle') {
      if (k.id !== lastId) {
        lastId = k.id;
        since = Date.now();
      } else if (Date.now() - since >= stableMs) return k.id;
    } else {
      lastId = '';
    }
    if (Date.now() > deadline) throw new Error(`${file}: no stable idle ${kernelDisplayName} kernel within ${timeoutMs / 1000} s (last seen: ${seen}); server log: ${server.logFile}`);
    await sleep(500);
  }
}

/** Clicks a main-menu entry, e.g. `clickMenu(page, 'Run', 'Run All Cells')`. */
export async function clickMenu(page: Page, menu: string, item: string): Promise<void> {
  await page.locator('#jp-menu-panel .lm-MenuBar-item', { hasText: new RegExp(`^${menu}$`) }).click();
  await page.locator('.lm-Menu:not(.lm-MenuBar) .lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }).first().click();
}

/**
 * After "Run All": waits until no code cell is queued or running (`[*]`) and
 * the kernel `kernelId` is idle on the server twice in a row, a second apart.
 * Throws if the kernel dies or is replaced.
 */
export async function waitForRunEnd(page: Page, server: LabServer, file: string, kernelId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let idleTicks = 0;
  // "Run All" reaches the kernel after a moment: wait for the first [*] (or, for a tiny notebook, for prompts with numbers).
  await page
    .waitForFunction(() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).some((p) => /\[(\*|\d+)\]/.test(p.textContent ?? '')), null, { timeout: 30_000 })
    .catch(() => {
      throw new Error(`${file}: no cell started within 30 s of "Run All"`);
    });
  for (;;) {
    const k = await kernelOf(server, file);
    if (!k || k.id !== kernelId) throw new Error(`${file}: the kernel ${kernelId.slice(0, 8)} went away during Run All (now: ${k ? k.id.slice(0, 8) : 'none'}); server log: ${server.logFile}`);
    if (k.state === 'dead') throw new Error(`${file}: the kernel died during Run All; server log: ${server.logFile}`);
    const running = await page.evaluate(() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).filter((p) => (p.textContent ?? '').includes('[*]')).length);
    idleTicks = running === 0 && k.state === 'idle' ? idleTicks + 1 : 0;
    if (idleTicks >= 2) return;
    if (Date.now() > deadline) throw new Error(`${file}: still running ${timeoutMs / 1000} s after "Run All" (${running} cells queued or running)`);
    await sleep(1000);
  }
}

/** One output of a cell, as the page shows it. */
export interface OutputView {
  /** The MIME type JupyterLab chose to render (`data-mime-type`). */
  mime: string;
  /** Its text, for stream and error outputs (first 4,000 characters). */
  text: string;
  /** Charts in this output: `.dlc-figure` (the course's HTML figure) or `.jp-RenderedPlotly` (plotly's MIME renderer). */
  figures: FigureView[];
  /** Whether the output holds a script element (HTML that draws itself where scripts run). */
  hasScript: boolean;
}

export interface FigureView {
  kind: 'dlc-figure' | 'plotly-mime';
  /** plotly.js drew it: `.js-plotly-plot` with its `.main-svg` layers. */
  interactive: boolean;
  /** plotly's renderer shows a PNG snapshot (reopened notebook, until hovered). */
  snapshot: boolean;
  /** The static fallback image (`img.dlc-static`) is loaded and visible. */
  staticShown: boolean;
}

export interface CellView {
  index: number;
  type: 'code' | 'markdown' | 'raw';
  prompt: string;
  outputs: OutputView[];
  /** Markdown: mermaid diagrams (`.jp-RenderedMermaid`), drawn as an SVG image, or failed (`.jp-mod-warning`). */
  mermaid: { drawn: number; failed: number; total: number };
  /** Markdown: MathJax-typeset expressions (`mjx-container`). */
  math: number;
  /** Markdown: `$` signs left in the rendered text (maths that was not typeset). */
  dollarsLeft: number;
}

/** What the page shows for every cell of the (only) open notebook, in order. */
export async function readCells(page: Page): Promise<CellView[]> {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 20 && r.height > 20 && s.display !== 'none' && s.visibility !== 'hidden';
    };
    return Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')).map((cell, index) => {
      const type = cell.classList.contains('jp-CodeCell') ? 'code' : cell.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw';
      const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-child')).map((child) => {
        const out = child.querySelector('.jp-OutputArea-output');
        const mime = out?.getAttribute('data-mime-type') ?? '';
        const figures = [
          ...Array.from(child.querySelectorAll('.dlc-figure')).map((f) => {
            const img = f.querySelector<HTMLImageElement>('img.dlc-static');
            return {
              kind: 'dlc-figure' as const,
              interactive: !!f.querySelector('.js-plotly-plot .main-svg'),
              snapshot: false,
              staticShown: !!img && img.complete && img.naturalWidth > 0 && visible(img),
            };
          }),
          ...Array.from(child.querySelectorAll('.jp-RenderedPlotly')).map((f) => {
            const img = Array.from(f.querySelectorAll<HTMLImageElement>('img')).find((i) => visible(i) && i.complete && i.naturalWidth > 0);
            return { kind: 'plotly-mime' as const, interactive: !!f.querySelector('.js-plotly-plot .main-svg'), snapshot: !!img, staticShown: false };
          }),
        ];
        const text = /stderr|stdout|error/.test(mime) ? ((out as HTMLElement | null)?.innerText ?? '').slice(0, 4000) : '';
        return { mime, text, figures, hasScript: !!child.querySelector('script') };
      });
      const md = cell.querySelector('.jp-MarkdownOutput');
      const mermaids = md ? Array.from(md.querySelectorAll('.jp-RenderedMermaid')) : [];
      const drawn = mermaids.filter((m) => {
        const img = m.querySelector<HTMLImageElement>('figure img[src^="data:image/svg+xml"]');
        return !m.classList.contains('jp-mod-warning') && !!img && img.complete && img.naturalWidth > 0;
      }).length;
      const mdClone = md?.cloneNode(true) as HTMLElement | undefined;
      mdClone?.querySelectorAll('code, pre, mjx-container, script').forEach((e) => e.remove());
      return {
        index,
        type,
        prompt: cell.querySelector('.jp-InputPrompt')?.textContent?.trim() ?? '',
        outputs,
        mermaid: { drawn, failed: mermaids.filter((m) => m.classList.contains('jp-mod-warning')).length, total: mermaids.length },
        math: md ? md.querySelectorAll('mjx-container').length : 0,
        dollarsLeft: ((mdClone?.textContent ?? '').match(/\$/g) ?? []).length,
      } as CellView;
    });
  });
}

/** Scrolls cell `index` into view and saves a screenshot of the page. */
export async function screenshotCell(page: Page, index: number | undefined, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    if (index !== undefined) await page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell').nth(index).scrollIntoViewIfNeeded({ timeout: 5_000 });
  } catch {
    /* the screenshot is still useful */
  }
  await page.screenshot({ path: file });
}
