import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { checkWritableFolder, defaultCacheDir, md5File, stampPath, verifyCachedFile } from '../../lib/data/cache';
import { loadCifar10 } from '../../lib/data/cifar10';
import { FASHION_MNIST_FILES, loadFashionMnist } from '../../lib/data/fashion_mnist';
import { DownloadError, StorageError } from '../../lib/core/errors';
import {
  IS_ROOT,
  NOBODY,
  listRecursive,
  makeTmpDir,
  mountTmpfs,
  runNode,
  standardMembers,
  startServer,
  unmount,
  writeArchive,
  type LocalServer,
} from './helpers';

const md5 = (b: Buffer | string): string => crypto.createHash('md5').update(b).digest('hex');
const ENV_KEYS = ['HOME', 'XDG_CACHE_HOME', 'DL_COURSE_CACHE_DIR', 'DL_COURSE_CIFAR10', 'DL_COURSE_FASHION_MNIST'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  vi.restoreAllMocks();
});

/** Captures what is written to process.stderr while `fn` runs. */
async function captureStderr<T>(fn: () => Promise<T>): Promise<{ result: T | Error; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const result = await fn().catch((e: Error) => e);
    return { result, stderr };
  } finally {
    spy.mockRestore();
  }
}

/** The three fixes every cache StorageError of loadCifar10 lists. */
function expectCifarFixes(message: string): void {
  expect(message).toContain('--cache-dir');
  expect(message).toContain('DL_COURSE_CACHE_DIR');
  expect(message).toMatch(/--data PATH or DL_COURSE_CIFAR10/);
}

describe('verifyCachedFile and its stamp file', () => {
  it('hashes a file once, remembers size, mtime and digest in <file>.verified, then trusts the stamp', async () => {
    const file = path.join(makeTmpDir(), 'a.bin');
    const body = crypto.randomBytes(3_000_000);
    fs.writeFileSync(file, body);
    const first = await verifyCachedFile(file, md5(body));
    expect(first).toEqual({ status: 'ok', hashed: true });
    const stamp = JSON.parse(fs.readFileSync(stampPath(file), 'utf8'));
    const stat = fs.statSync(file);
    expect(stamp).toEqual({ algorithm: 'md5', digest: md5(body), size: body.length, mtimeMs: stat.mtimeMs });
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['a.bin', 'a.bin.verified']); // no temp file of the stamp left
    expect(await verifyCachedFile(file, md5(body).toUpperCase())).toEqual({ status: 'ok', hashed: false });
  });

  it('hashes again when the file changed (size or mtime) and remembers a wrong digest too', async () => {
    const file = path.join(makeTmpDir(), 'a.bin');
    fs.writeFileSync(file, 'good');
    await verifyCachedFile(file, md5('good'));
    fs.writeFileSync(file, 'evil'); // same size, new mtime
    const t = new Date(Date.now() + 5000);
    fs.utimesSync(file, t, t);
    expect(await verifyCachedFile(file, md5('good'))).toEqual({ status: 'bad', actual: md5('evil') });
    // the wrong digest is remembered: no second hash, still bad
    expect(await verifyCachedFile(file, md5('good'))).toEqual({ status: 'bad', actual: md5('evil') });
  });

  it('reports a missing file and a wrong size without hashing', async () => {
    const dir = makeTmpDir();
    expect(await verifyCachedFile(path.join(dir, 'none'), md5('x'))).toEqual({ status: 'missing' });
    expect(await verifyCachedFile(dir, md5('x'))).toEqual({ status: 'missing' }); // a folder is not a cached file
    fs.writeFileSync(path.join(dir, 'f'), 'abc');
    expect(await verifyCachedFile(path.join(dir, 'f'), md5('abc'), 4)).toEqual({ status: 'size', size: 3 });
    expect(fs.existsSync(stampPath(path.join(dir, 'f')))).toBe(false);
  });

  it('md5File streams the file', async () => {
    const file = path.join(makeTmpDir(), 'b.bin');
    const body = crypto.randomBytes(2_500_000);
    fs.writeFileSync(file, body);
    expect(await md5File(file)).toBe(md5(body));
  });
});

describe('a cached archive of the right size but the wrong content', () => {
  let body: Buffer;
  let bodyMd5: string;
  let server: LocalServer;

  beforeAll(async () => {
    body = await writeArchive(path.join(makeTmpDir(), 'served.tar.gz'), standardMembers(2, 3));
    bodyMd5 = md5(body);
    server = await startServer((req, res) => {
      if (req.url === '/cifar-10-binary.tar.gz') {
        res.writeHead(200, { 'Content-Length': body.length });
        res.end(body);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const options = (cacheDir: string, url = `${server.origin}/cifar-10-binary.tar.gz`) => ({
    url,
    md5: bodyMd5,
    expectedSize: body.length,
    cacheDir,
    progress: false,
  });

  /** A cache holding a corrupted archive of the right size; returns its path and the corrupt bytes' MD5. */
  function corruptCache(cacheDir: string): { archive: string; badMd5: string } {
    const archive = path.join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz');
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    const bad = Buffer.from(body);
    bad[bad.length >> 1] ^= 0xff; // one flipped byte in the middle: same size, wrong content
    fs.writeFileSync(archive, bad);
    return { archive, badMd5: md5(bad) };
  }

  it('is reported on stderr with both digests and replaced by a fresh download', async () => {
    const cacheDir = makeTmpDir();
    const { archive, badMd5 } = corruptCache(cacheDir);
    const before = server.requests();
    const { result, stderr } = await captureStderr(() => loadCifar10(options(cacheDir)));
    expect(result).not.toBeInstanceOf(Error);
    expect(server.requests() - before).toBe(1);
    expect(stderr).toContain(archive);
    expect(stderr).toContain(badMd5);
    expect(stderr).toContain(bodyMd5);
    expect(fs.readFileSync(archive).equals(body)).toBe(true);
    expect(fs.readdirSync(path.dirname(archive))).toEqual(['cifar-10-binary.tar.gz']); // no partial file, no stale stamp
  });

  it('a verified archive is stamped on first use and later trusted without hashing or downloading', async () => {
    const cacheDir = makeTmpDir();
    await loadCifar10(options(cacheDir)); // download
    const archive = path.join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz');
    const t = Math.floor(Date.now() / 1000) - 60; // whole seconds, so that utimes can restore mtimeMs exactly
    fs.utimesSync(archive, t, t);
    await loadCifar10(options(cacheDir)); // first use of the cached file: hashed, stamped
    expect(JSON.parse(fs.readFileSync(stampPath(archive), 'utf8'))).toEqual({ algorithm: 'md5', digest: bodyMd5, size: body.length, mtimeMs: t * 1000 });
    // Prove the stamp is trusted: change a byte but keep size and mtime; no hash -> no download.
    const bytes = fs.readFileSync(archive);
    bytes[10] ^= 1;
    fs.writeFileSync(archive, bytes);
    fs.utimesSync(archive, t, t);
    const before = server.requests();
    await loadCifar10(options(cacheDir)).catch(() => undefined); // the parser may reject the flipped byte; no matter
    expect(server.requests()).toBe(before);
  });

  it('gives a DownloadError naming the damaged file when no fresh copy can be downloaded, leaving no partial file', async () => {
    const cacheDir = makeTmpDir();
    const { archive, badMd5 } = corruptCache(cacheDir);
    const dead = await startServer(() => undefined);
    await dead.close();
    const { result, stderr } = await captureStderr(() => loadCifar10(options(cacheDir, `${dead.origin}/cifar-10-binary.tar.gz`)));
    const err = result as Error;
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain(`loadCifar10: the cached archive ${archive} is damaged (MD5 ${badMd5}, expected ${bodyMd5})`);
    expect(err.message).toContain(dead.origin);
    expect(stderr).toContain(badMd5);
    expect(fs.readdirSync(path.dirname(archive)).sort()).toEqual(['cifar-10-binary.tar.gz', 'cifar-10-binary.tar.gz.verified']);
  });

  it('refuses an archive larger than the free space before any request, naming the folder and the fixes', async () => {
    const cacheDir = makeTmpDir();
    const before = server.requests();
    const err = await loadCifar10({ ...options(cacheDir), expectedSize: 2 ** 50 }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toContain(`no space left on device: ${path.join(cacheDir, 'cifar10')} has`);
    expect(err.message).toContain('the download needs 1125.9 TB');
    expectCifarFixes(err.message);
    expect(err.message).not.toMatch(/network|No network/i);
    expect(server.requests()).toBe(before);
    expect(listRecursive(cacheDir)).toEqual(['cifar10']); // the folder checked, nothing in it
  });
});

describe('a Fashion-MNIST cached file of the right size but the wrong content', () => {
  it('is reported and downloaded again', async () => {
    const files: Record<string, Buffer> = {};
    const idx = (magic: number, dims: number[], data: number[]): Buffer => {
      const head = Buffer.alloc(4 + 4 * dims.length);
      head.writeUInt32BE(magic, 0);
      dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
      return zlib.gzipSync(Buffer.concat([head, Buffer.from(data)]));
    };
    files[FASHION_MNIST_FILES.trainImages.name] = idx(2051, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    files[FASHION_MNIST_FILES.trainLabels.name] = idx(2049, [2], [3, 4]);
    files[FASHION_MNIST_FILES.testImages.name] = idx(2051, [1, 2, 2], [9, 9, 9, 9]);
    files[FASHION_MNIST_FILES.testLabels.name] = idx(2049, [1], [7]);
    const checksums = {
      trainImages: md5(files[FASHION_MNIST_FILES.trainImages.name]),
      trainLabels: md5(files[FASHION_MNIST_FILES.trainLabels.name]),
      testImages: md5(files[FASHION_MNIST_FILES.testImages.name]),
      testLabels: md5(files[FASHION_MNIST_FILES.testLabels.name]),
    };
    const server = await startServer((req, res) => {
      const b = files[(req.url ?? '').replace(/^\/data\//, '')];
      res.writeHead(b ? 200 : 404);
      res.end(b);
    });
    try {
      const cacheDir = makeTmpDir();
      const opts = { cacheDir, systemDir: false as const, baseUrl: `${server.origin}/data/`, md5: checksums, progress: false };
      await loadFashionMnist(opts);
      const cached = path.join(cacheDir, 'fashion-mnist', FASHION_MNIST_FILES.testLabels.name);
      const bad = Buffer.from(fs.readFileSync(cached));
      bad[bad.length - 5] ^= 0xff;
      fs.writeFileSync(cached, bad); // same size
      const before = server.requests();
      const { result, stderr } = await captureStderr(() => loadFashionMnist(opts));
      expect(result).not.toBeInstanceOf(Error);
      expect(server.requests() - before).toBe(1);
      expect(stderr).toContain(cached);
      expect(stderr).toContain(md5(bad));
      expect(stderr).toContain(checksums.testLabels);
      expect(md5(fs.readFileSync(cached))).toBe(checksums.testLabels);
      // Every cached file now carries a stamp, and nothing else is left behind.
      const names = Object.values(FASHION_MNIST_FILES).map((f) => f.name);
      await loadFashionMnist(opts); // stamps the replaced file
      expect(fs.readdirSync(path.join(cacheDir, 'fashion-mnist')).sort()).toEqual([...names, ...names.map((n) => `${n}.verified`)].sort());
    } finally {
      await server.close();
    }
  });
});

describe('cache folders that cannot be used (StorageError)', () => {
  const deadUrl = 'http://127.0.0.1:9/cifar-10-binary.tar.gz'; // never reached: the folder is checked first

  it('a cache path under a regular file (ENOTDIR): names the file and the fixes, creates nothing', async () => {
    const tmp = makeTmpDir();
    const file = path.join(tmp, 'cache-is-a-file');
    fs.writeFileSync(file, 'x');
    const err = await loadCifar10({ cacheDir: path.join(file, 'sub'), url: deadUrl, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toContain(`loadCifar10: cannot use the cache folder (from option cacheDir) ${path.join(file, 'sub', 'cifar10')}`);
    expect(err.message).toContain(`${file} is a file, not a folder`);
    expectCifarFixes(err.message);
    expect(listRecursive(tmp)).toEqual(['cache-is-a-file']);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('the cache folder itself is a file', async () => {
    const cacheDir = makeTmpDir();
    fs.writeFileSync(path.join(cacheDir, 'cifar10'), 'x');
    const err = await loadCifar10({ cacheDir, url: deadUrl, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toContain(`${path.join(cacheDir, 'cifar10')} is a file, not a folder`);
    expect(listRecursive(cacheDir)).toEqual(['cifar10']);
  });

  it('DL_COURSE_CACHE_DIR pointing at a file is named as the origin', async () => {
    const tmp = makeTmpDir();
    const file = path.join(tmp, 'f');
    fs.writeFileSync(file, 'x');
    process.env.DL_COURSE_CACHE_DIR = file;
    delete process.env.DL_COURSE_FASHION_MNIST;
    const err = await loadFashionMnist({ systemDir: false, baseUrl: 'http://127.0.0.1:9/', progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toContain(`loadFashionMnist: cannot use the cache folder (from env DL_COURSE_CACHE_DIR=${file}) ${path.join(file, 'fashion-mnist')}`);
    expect(err.message).toContain('DL_COURSE_FASHION_MNIST=DIR');
    expect(listRecursive(tmp)).toEqual(['f']);
  });

  it('a read-only file system (EROFS, a tmpfs mounted ro)', async (ctx) => {
    const mnt = path.join(makeTmpDir(), 'ro');
    fs.mkdirSync(mnt);
    const skip = mountTmpfs(mnt, 'ro,size=64k');
    if (skip) ctx.skip(skip);
    try {
      const err = await loadCifar10({ cacheDir: mnt, url: deadUrl, progress: false }).catch((e) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err.message).toContain(`cannot use the cache folder (from option cacheDir) ${path.join(mnt, 'cifar10')}`);
      expect(err.message).toContain('read-only file system');
      expectCifarFixes(err.message);
      expect(fs.readdirSync(mnt)).toEqual([]);
    } finally {
      unmount(mnt);
    }
  });

  it('checkWritableFolder leaves only the folders it created', async () => {
    const tmp = makeTmpDir();
    await checkWritableFolder('f', path.join(tmp, 'a', 'b'), 'cache folder', '');
    expect(listRecursive(tmp)).toEqual(['a', path.join('a', 'b')]);
  });
});

describe('cache folders as a normal user (child process; as root it runs as nobody)', () => {
  // Root ignores permission bits, so these cases run in a child process under
  // uid 65534 (nobody) when the tests run as root, and as the current user otherwise.
  const uid = IS_ROOT ? NOBODY : undefined;
  const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

  /** A fresh folder the child can enter (mkdtemp makes 0700 folders). */
  function openTmp(): string {
    const dir = makeTmpDir();
    fs.chmodSync(dir, 0o755);
    return dir;
  }

  it('HOME=/, a read-only cache folder and a folder without permission: one StorageError each, nothing created', async () => {
    const tmp = openTmp();
    const readOnly = path.join(tmp, 'read-only');
    fs.mkdirSync(readOnly, { mode: 0o555 });
    fs.chmodSync(readOnly, 0o555);
    const locked = path.join(tmp, 'locked');
    fs.mkdirSync(locked, { mode: 0o700 });
    fs.chmodSync(locked, 0o700);
    if (!IS_ROOT) fs.chmodSync(locked, 0o000); // the owner is the current user: take its rights away too
    // A read-only cache that already holds the archive (e.g. shared by a lab) can still be used.
    const shared = path.join(tmp, 'shared');
    const archive = await writeArchive(path.join(shared, 'cifar10', 'cifar-10-binary.tar.gz'), standardMembers(1, 1));
    const existing = path.join(tmp, 'existing');
    fs.mkdirSync(path.join(existing, 'cifar10'), { recursive: true });
    for (const d of [path.join(shared, 'cifar10'), shared, path.join(existing, 'cifar10')]) fs.chmodSync(d, 0o555);
    const body = `
      const { loadCifar10 } = load('lib/data/cifar10.ts');
      const { loadFashionMnist } = load('lib/data/fashion_mnist.ts');
      const url = 'http://127.0.0.1:9/cifar-10-binary.tar.gz';
      process.env.HOME = '/';
      await run(loadCifar10({ url, progress: false }));
      await run(loadCifar10({ url, progress: false, cacheDir: ${JSON.stringify(readOnly)} }));
      await run(loadCifar10({ url, progress: false, cacheDir: ${JSON.stringify(path.join(locked, 'cache'))} }));
      await run(loadFashionMnist({ systemDir: false, baseUrl: 'http://127.0.0.1:9/', progress: false, cacheDir: ${JSON.stringify(readOnly)} }));
      await run(loadCifar10({ url, progress: false, cacheDir: ${JSON.stringify(existing)} }));
      await run(loadCifar10({ url, progress: false, cacheDir: ${JSON.stringify(shared)}, md5: ${JSON.stringify(md5(archive))}, expectedSize: ${archive.length} }));
    `;
    const r = runNode(body, baseEnv, uid);
    if (!IS_ROOT) fs.chmodSync(locked, 0o700);
    expect(r.stderr).not.toMatch(/Error: .*\n\s+at /); // no stack trace
    expect(r.reports).toHaveLength(6);
    const [home, ro, denied, fashion, probe, sharedOk] = r.reports as Array<{ ok: boolean; name: string; message: string }>;

    if (IS_ROOT || !fs.existsSync('/.cache')) {
      expect(home.name).toBe('StorageError');
      expect(home.message).toContain('cannot use the cache folder (from env HOME=/) /.cache/dl-course/cifar10');
      expect(home.message).toContain('permission denied: cannot create /.cache: / is not writable');
      expectCifarFixes(home.message);
    }

    expect(ro.name).toBe('StorageError');
    expect(ro.message).toContain(`cannot use the cache folder (from option cacheDir) ${path.join(readOnly, 'cifar10')}`);
    expect(ro.message).toContain(`permission denied: cannot create ${path.join(readOnly, 'cifar10')}: ${readOnly} is not writable`);
    expectCifarFixes(ro.message);

    expect(denied.name).toBe('StorageError');
    expect(denied.message).toContain(path.join(locked, 'cache', 'cifar10'));
    expect(denied.message).toContain('permission denied');
    expectCifarFixes(denied.message);

    expect(fashion.name).toBe('StorageError');
    expect(fashion.message).toContain(`loadFashionMnist: cannot use the cache folder (from option cacheDir) ${path.join(readOnly, 'fashion-mnist')}`);
    expect(fashion.message).toContain('DL_COURSE_FASHION_MNIST=DIR');

    // The folder exists but is read-only: the write probe fails.
    expect(probe.name).toBe('StorageError');
    expect(probe.message).toContain(`permission denied: ${path.join(existing, 'cifar10')} is not writable`);
    expectCifarFixes(probe.message);

    expect(sharedOk).toEqual({ ok: true });

    expect(listRecursive(tmp)).toEqual(
      ['existing', 'existing/cifar10', 'locked', 'read-only', 'shared', 'shared/cifar10', 'shared/cifar10/cifar-10-binary.tar.gz'].map((p) => path.join(...p.split('/'))),
    );
    expect(fs.existsSync('/.cache/dl-course') && !IS_ROOT).toBe(false);
  });

  it('HOME unset: the home folder comes from the user database (nobody: /nonexistent, which cannot be created)', (ctx) => {
    if (!IS_ROOT) ctx.skip('needs root to run as nobody, whose passwd home is /nonexistent');
    const r = runNode(
      `
      const { defaultCacheDir } = load('lib/data/cache.ts');
      const { loadCifar10 } = load('lib/data/cifar10.ts');
      report({ dir: defaultCacheDir() });
      await run(loadCifar10({ url: 'http://127.0.0.1:9/x.tar.gz', progress: false }));
    `,
      baseEnv,
      NOBODY,
    );
    expect(r.reports[0]).toEqual({ dir: '/nonexistent/.cache/dl-course' });
    const err = r.reports[1] as { name: string; message: string };
    expect(err.name).toBe('StorageError');
    expect(err.message).toContain('(from HOME is unset; home folder /nonexistent from the user database) /nonexistent/.cache/dl-course/cifar10');
    expect(err.message).toContain('permission denied: cannot create /nonexistent: / is not writable');
    expectCifarFixes(err.message);
    expect(fs.existsSync('/nonexistent')).toBe(false);
  });

  it('HOME unset and no user database entry: defaultCacheDir throws a StorageError with the fixes', (ctx) => {
    if (!IS_ROOT) ctx.skip('needs root to run under a uid without a passwd entry');
    const r = runNode(
      `
      const { defaultCacheDir } = load('lib/data/cache.ts');
      const { loadCifar10 } = load('lib/data/cifar10.ts');
      await run((async () => defaultCacheDir())());
      await run(loadCifar10({ url: 'http://127.0.0.1:9/x.tar.gz', progress: false }));
    `,
      baseEnv,
      54321,
    );
    const [plain, loader] = r.reports as Array<{ name: string; message: string }>;
    expect(plain.name).toBe('StorageError');
    expect(plain.message).toContain('defaultCacheDir: no cache folder: DL_COURSE_CACHE_DIR and XDG_CACHE_HOME are unset, HOME is unset');
    expect(plain.message).toContain('uid 54321');
    expect(plain.message).toContain('DL_COURSE_CACHE_DIR=DIR');
    expect(loader.name).toBe('StorageError');
    expect(loader.message).toMatch(/^loadCifar10: defaultCacheDir: no cache folder/);
    expectCifarFixes(loader.message);
  });
});

describe('defaultCacheDir without HOME', () => {
  it('uses the home folder from the user database when HOME is unset, empty or relative', () => {
    delete process.env.DL_COURSE_CACHE_DIR;
    delete process.env.XDG_CACHE_HOME;
    const expected = path.join(os.userInfo().homedir, '.cache', 'dl-course');
    for (const home of [undefined, '', 'relative/home']) {
      if (home === undefined) delete process.env.HOME;
      else process.env.HOME = home;
      expect(defaultCacheDir()).toBe(expected);
    }
    process.env.HOME = '/somewhere';
    expect(defaultCacheDir()).toBe('/somewhere/.cache/dl-course');
  });
});
