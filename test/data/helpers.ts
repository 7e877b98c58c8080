/** Test helpers for lib/data: synthetic CIFAR-10 records and archives, temp folders, a local HTTP server. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tar from 'tar-stream';
import type { AddressInfo } from 'net';

/** The real-image subset shipped next to the repo (may be absent). */
export const SUBSET_ARCHIVE = path.resolve(__dirname, '../../../shared/data/cifar10-subset/cifar-10-binary.tar.gz');

export const CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** A fresh empty folder under the OS temp folder. */
export function makeTmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dl-course-data-'));
}

/** Every file and folder under `dir`, relative, sorted. */
export function listRecursive(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

/** Known pixel value of image `i` (global index) at row r, column c, channel ch (0 R, 1 G, 2 B). */
export function expectedPixel(i: number, r: number, c: number, ch: number): number {
  if (ch === 0) return (i * 7 + r * 32 + c) & 255;
  if (ch === 1) return (i * 13 + r * 5 + c * 3 + 1) & 255;
  return 255 - ((i * 11 + r + c * 32) & 255);
}

/** Known label of image `i`. */
export function expectedLabel(i: number): number {
  return (i * 3 + 1) % 10;
}

/** `n` binary records for images first..first+n-1, channel-planar as in the CIFAR-10 files. */
export function syntheticRecords(first: number, n: number): Buffer {
  const out = Buffer.alloc(n * 3073);
  for (let k = 0; k < n; k++) {
    const i = first + k;
    const base = k * 3073;
    out[base] = expectedLabel(i);
    for (let ch = 0; ch < 3; ch++) {
      for (let r = 0; r < 32; r++) {
        for (let c = 0; c < 32; c++) out[base + 1 + ch * 1024 + r * 32 + c] = expectedPixel(i, r, c, ch);
      }
    }
  }
  return out;
}

export interface Member {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'directory';
}

/**
 * The members of a valid synthetic archive: `perBatch` records in each
 * data_batch (train image indices 0..5*perBatch-1 in order) and `testN` test
 * records (indices 1000..1000+testN-1).
 */
export function standardMembers(perBatch: number, testN: number): Member[] {
  const members: Member[] = [{ name: 'cifar-10-batches-bin/', type: 'directory' }];
  members.push({ name: 'cifar-10-batches-bin/batches.meta.txt', data: CLASS_NAMES.join('\n') + '\n\n' });
  for (let b = 0; b < 5; b++) {
    members.push({ name: `cifar-10-batches-bin/data_batch_${b + 1}.bin`, data: syntheticRecords(b * perBatch, perBatch) });
  }
  members.push({ name: 'cifar-10-batches-bin/test_batch.bin', data: syntheticRecords(TEST_FIRST, testN) });
  members.push({ name: 'cifar-10-batches-bin/readme.html', data: '<html>readme</html>' });
  return members;
}

/** Global index of the first synthetic test image. */
export const TEST_FIRST = 1000;

/** Builds an uncompressed tar of `members` with tar-stream. */
export async function buildTar(members: Member[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const m of members) {
    await new Promise<void>((resolve, reject) => {
      if (m.type === 'directory') pack.entry({ name: m.name, type: 'directory' }, (err) => (err ? reject(err) : resolve()));
      else pack.entry({ name: m.name }, Buffer.from(m.data ?? ''), (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Builds a .tar.gz of `members` at `file` and returns its bytes. */
export async function writeArchive(file: string, members: Member[]): Promise<Buffer> {
  const gz = zlib.gzipSync(await buildTar(members));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gz);
  return gz;
}

/** Writes the file members of `members` as an extracted folder under `root`. */
export function writeFolder(root: string, members: Member[]): void {
  for (const m of members) {
    const target = path.join(root, m.name);
    if (m.type === 'directory') fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, m.data ?? '');
    }
  }
}

export interface LocalServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Requests received so far. */
  requests: () => number;
  close: () => Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1, port chosen by the OS. The library
 * honours HTTP_PROXY, and undici proxies loopback addresses too, so when a
 * developer's shell sets a proxy, 127.0.0.1 is added to NO_PROXY: their proxy
 * could not reach this server.
 */
export async function startServer(handler: http.RequestListener): Promise<LocalServer> {
  bypassProxyForLoopback();
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function bypassProxyForLoopback(): void {
  if (!['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy'].some((k) => process.env[k])) return;
  for (const k of ['NO_PROXY', 'no_proxy']) {
    const entries = (process.env[k] ?? '').split(/[,\s]+/).filter(Boolean);
    if (!entries.includes('127.0.0.1')) process.env[k] = [...entries, '127.0.0.1'].join(',');
  }
}

/** Proxy variables a developer's shell may set; tests against the local server clear or set them explicitly. */
export const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;

/**
 * Runs `fn` with the proxy variables set as in `env` (others removed) and
 * restores them afterwards.
 */
export async function withProxyEnv<T>(env: Partial<Record<(typeof PROXY_VARS)[number], string>>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  try {
    return await fn();
  } finally {
    for (const k of PROXY_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

export interface LocalProxy {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Plain proxy requests received (their absolute URLs), in order. */
  requests: string[];
  /** CONNECT tunnels asked for (`host:port`), in order. */
  connects: string[];
  close: () => Promise<void>;
}

/**
 * Starts a real HTTP proxy (the npm package `proxy`, by TooTallNate) on
 * 127.0.0.1 that records what it is asked to fetch. `authenticate` makes it
 * answer 407 when it returns false.
 */
export async function startProxy(authenticate?: (req: http.IncomingMessage) => boolean): Promise<LocalProxy> {
  // `proxy` is an ES module; its types are not visible under moduleResolution node10.
  const { createProxy } = (await import('proxy' as string)) as { createProxy: (server: http.Server) => http.Server & { authenticate?: unknown } };
  const server = createProxy(http.createServer());
  if (authenticate) server.authenticate = authenticate;
  const requests: string[] = [];
  const connects: string[] = [];
  server.prependListener('request', (req: http.IncomingMessage) => requests.push(req.url ?? ''));
  server.prependListener('connect', (req: http.IncomingMessage) => connects.push(req.url ?? ''));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether this process runs as root (where permission bits do not stop writes). */
export const IS_ROOT = process.getuid?.() === 0;

/** uid/gid of the user `nobody`, used to run permission cases as a normal user when the tests run as root. */
export const NOBODY = 65534;

export interface ChildResult {
  /** Exit status of the child. */
  status: number | null;
  /** Lines the child printed with `report(...)`, parsed. */
  reports: Array<Record<string, unknown>>;
  stderr: string;
}

const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * Runs `body` (JavaScript, may use `await`) in a fresh Node process, as user
 * `uid` when given (the tests run as root, so permission bits only bite for
 * another user), with exactly the environment `env`. In `body`, `load('lib/…')`
 * requires a TypeScript module of this repository (transpiled on the fly) and
 * `report(obj)` prints an object for the test to read; `run(promise)` reports
 * `{ ok: true }` or the error's name and message.
 */
export function runNode(body: string, env: NodeJS.ProcessEnv, uid?: number): ChildResult {
  const bootstrap = `
    const { createRequire } = require('node:module');
    const fs = require('node:fs');
    const path = require('node:path');
    const req = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'package.json'))});
    const ts = req('typescript');
    require.extensions['.ts'] = (m, filename) => {
      const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      m._compile(out, filename);
    };
    const load = (rel) => req(path.join(${JSON.stringify(REPO_ROOT)}, rel));
    const report = (obj) => console.log('@@' + JSON.stringify(obj));
    const run = (p) => p.then(() => report({ ok: true }), (e) => report({ ok: false, name: e && e.name, message: e && e.message }));
    (async () => { ${body} })().catch((e) => { console.error(e); process.exit(3); });
  `;
  const r = spawnSync(process.execPath, ['-e', bootstrap], {
    cwd: '/',
    env,
    encoding: 'utf8',
    timeout: 120_000,
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  const reports = (r.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('@@'))
    .map((l) => JSON.parse(l.slice(2)) as Record<string, unknown>);
  return { status: r.status, reports, stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/**
 * Mounts a tmpfs of `options` (e.g. `size=64k` or `ro`) on the folder `dir`;
 * returns why it could not (not root, no mount permission in this container), or undefined.
 */
export function mountTmpfs(dir: string, options: string): string | undefined {
  if (!IS_ROOT) return 'mounting a tmpfs needs root';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return `mount -t tmpfs failed: ${(r.stderr || String(r.error)).trim()}`;
  return undefined;
}

/** Unmounts what {@link mountTmpfs} mounted. */
export function unmount(dir: string): void {
  spawnSync('umount', [dir]);
}
