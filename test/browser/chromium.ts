/**
 * Test helper: headless Chromium (Debian's /usr/bin/chromium, or
 * $CHROMIUM_PATH) driven by playwright-core, with no network: a proxy that
 * does not exist, every host name unresolvable, and every http(s) request
 * aborted and recorded, so a chart that needs a CDN fails visibly.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

/**
 * Launches Chromium without network. Playwright gives it a fresh temporary
 * profile (--user-data-dir) each time. With `allowLoopback`, 127.0.0.1 still
 * resolves (a local server, e.g. JupyterLab, is then the only host it reaches).
 */
export async function launchOffline(allowLoopback = false): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--proxy-server=127.0.0.1:9',
      `--host-resolver-rules=MAP * ~NOTFOUND${allowLoopback ? ', EXCLUDE 127.0.0.1' : ''}`, // loopback is never proxied
    ],
  });
}

/** A page context with scripts on or off; every http(s) request is aborted and its URL pushed to `blocked`. */
export async function offlineContext(browser: Browser, javaScriptEnabled: boolean, blocked: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1100, height: 900 } });
  await context.route(/^https?:/, (route) => {
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return context;
}
