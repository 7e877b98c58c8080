import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { downloadFile } from '../../lib/data/download';
import { createByteProgress, formatBytes } from '../../lib/data/progress';
import { ArgumentError, DownloadError, StorageError } from '../../lib/core/errors';
import { makeTmpDir, mountTmpfs, startProxy, startServer, unmount, withProxyEnv, type LocalServer } from './helpers';

const BODY = crypto.randomBytes(300_000);
const BODY_MD5 = crypto.createHash('md5').update(BODY).digest('hex');

let server: LocalServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/file') {
      res.writeHead(200, { 'Content-Length': BODY.length, 'Content-Type': 'application/octet-stream' });
      // several writes so the client sees several chunks
      for (let i = 0; i < BODY.length; i += 50_000) res.write(BODY.subarray(i, i + 50_000));
      res.end();
    } else if (url === '/chunked') {
      res.writeHead(200); // no Content-Length
      res.end(BODY);
    } else if (url === '/redirect') {
      res.writeHead(302, { Location: '/file' });
      res.end();
    } else if (url.startsWith('/loop')) {
      res.writeHead(301, { Location: `/loop${url.length}` });
      res.end();
    } else if (url === '/truncated') {
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, 100_000), () => setTimeout(() => res.socket?.destroy(), 20));
    } else if (url === '/error') {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error');
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
});

afterAll(async () => {
  await server.close();
});

/** A cache folder inside a fresh temp dir, and a dest path in it. */
function cache(): { dir: string; dest: string } {
  const dir = path.join(makeTmpDir(), 'cache');
  return { dir, dest: path.join(dir, 'file.bin') };
}

describe('downloadFile', () => {
  it('downloads a file whose content and md5 match and reports increasing byte counts', async () => {
    const { dir, dest } = cache();
    const seen: Array<[number, number | undefined]> = [];
    const result = await downloadFile({
      url: `${server.origin}/file`,
      dest,
      md5: BODY_MD5,
      expectedSize: BODY.length,
      progress: (received, total) => seen.push([received, total]),
    });
    expect(result).toBe(dest);
    expect(fs.readFileSync(dest).equals(BODY)).toBe(true);
    expect(crypto.createHash('md5').update(fs.readFileSync(dest)).digest('hex')).toBe(BODY_MD5);
    expect(fs.readdirSync(dir)).toEqual(['file.bin']); // no temp file left behind
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThan(seen[i - 1][0]);
    expect(seen[seen.length - 1]).toEqual([BODY.length, BODY.length]);
  });

  it('follows redirects', async () => {
    const { dest } = cache();
    const before = server.requests();
    await downloadFile({ url: `${server.origin}/redirect`, dest, md5: BODY_MD5, progress: false });
    expect(fs.readFileSync(dest).equals(BODY)).toBe(true);
    expect(server.requests() - before).toBe(2);
  });

  it('accepts a body without Content-Length and reports an undefined total', async () => {
    const { dest } = cache();
    const totals = new Set<number | undefined>();
    await downloadFile({ url: `${server.origin}/chunked`, dest, md5: BODY_MD5, progress: (_, t) => totals.add(t) });
    expect(fs.readFileSync(dest).equals(BODY)).toBe(true);
    expect([...totals]).toEqual([undefined]);
  });

  it('rejects an md5 mismatch and leaves the cache folder empty', async () => {
    const { dir, dest } = cache();
    const wrong = '0'.repeat(32);
    const err = await downloadFile({ url: `${server.origin}/file`, dest, md5: wrong, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain('downloadFile');
    expect(err.message).toContain(wrong);
    expect(err.message).toContain(BODY_MD5);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('rejects a size different from expectedSize and leaves the cache folder empty', async () => {
    const { dir, dest } = cache();
    const err = await downloadFile({ url: `${server.origin}/file`, dest, expectedSize: 123, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/123/);
    expect(err.message).toContain(String(BODY.length));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('rejects a truncated transfer (server closes before Content-Length bytes) and leaves the cache folder empty', async () => {
    const { dir, dest } = cache();
    const err = await downloadFile({ url: `${server.origin}/truncated`, dest, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain(`${server.origin}/truncated`);
    expect(err.message).toContain(String(BODY.length));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('rejects HTTP 500 naming the status and URL and leaves the cache folder empty', async () => {
    const { dir, dest } = cache();
    const err = await downloadFile({ url: `${server.origin}/error`, dest, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain('500');
    expect(err.message).toContain(`${server.origin}/error`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('gives up after 5 redirects', async () => {
    const { dir, dest } = cache();
    const err = await downloadFile({ url: `${server.origin}/loop`, dest, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toMatch(/redirects/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('rejects a refused connection with a DownloadError', async () => {
    const closed = await startServer(() => undefined);
    const origin = closed.origin;
    await closed.close();
    const { dir, dest } = cache();
    const err = await downloadFile({ url: `${origin}/file`, dest, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain(origin);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('leaves an existing dest untouched when the download fails', async () => {
    const { dir, dest } = cache();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(dest, 'old content');
    await expect(downloadFile({ url: `${server.origin}/truncated`, dest, progress: false })).rejects.toThrow(DownloadError);
    expect(fs.readFileSync(dest, 'utf8')).toBe('old content');
    expect(fs.readdirSync(dir)).toEqual(['file.bin']);
  });

  it('rejects bad arguments naming them', async () => {
    const { dest } = cache();
    await expect(downloadFile({ url: 'ftp://example.com/x', dest })).rejects.toThrow(ArgumentError);
    await expect(downloadFile({ url: 'ftp://example.com/x', dest })).rejects.toThrow(/url/);
    await expect(downloadFile({ url: `${server.origin}/file`, dest, md5: 'xyz' })).rejects.toThrow(/md5/);
    await expect(downloadFile({ url: `${server.origin}/file`, dest, expectedSize: 1.5 })).rejects.toThrow(/expectedSize/);
    await expect(downloadFile({ url: `${server.origin}/file`, dest: '' })).rejects.toThrow(/dest/);
  });
});

describe('createByteProgress', () => {
  it('writes one plain line per 10% on a non-TTY stream, in the documented format', () => {
    const lines: string[] = [];
    let clock = 0;
    const total = 170052171;
    const p = createByteProgress({ label: 'cifar-10-binary.tar.gz', totalBytes: total, stream: { write: (s: string) => lines.push(s) }, now: () => clock });
    for (let received = 0; received <= total; received += 1_000_000) {
      clock = received / 12_300; // 12.3 MB/s in ms
      p.update(received);
    }
    p.update(total);
    p.finish();
    expect(lines).toHaveLength(10);
    expect(lines[3]).toMatch(/^download cifar-10-binary\.tar\.gz: 40% \(6[89]\.\d MB of 170\.1 MB, 12\.3 MB\/s\)\n$/);
    expect(lines[9]).toMatch(/: 100% \(170\.1 MB of 170\.1 MB, /);
  });

  it('runs the documented example: one line at 45% and one at 100%', () => {
    const lines: string[] = [];
    const p = createByteProgress({ label: 'x.bin', totalBytes: 1000, stream: { write: (s: string) => lines.push(s) } });
    p.update(450);
    p.update(1000);
    p.finish();
    expect(lines).toHaveLength(2);
  });

  it('formats bytes in decimal units', () => {
    expect(formatBytes(170052171)).toBe('170.1 MB');
    expect(formatBytes(512)).toBe('512 B');
  });
});

describe('downloadFile through a proxy (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)', () => {
  // undici's EnvHttpProxyAgent proxies every host, loopback included, unless
  // NO_PROXY lists it; so the local server on 127.0.0.1 is reached through
  // the proxy when HTTP_PROXY is set, and directly when NO_PROXY names it.
  it('sends an http: download to HTTP_PROXY as a plain proxy request, and the file is verified', async () => {
    const proxy = await startProxy();
    try {
      const { dir, dest } = cache();
      const before = server.requests();
      await withProxyEnv({ HTTP_PROXY: proxy.origin }, () =>
        downloadFile({ url: `${server.origin}/file`, dest, md5: BODY_MD5, expectedSize: BODY.length, progress: false }),
      );
      expect(proxy.requests).toEqual([`${server.origin}/file`]);
      expect(proxy.connects).toEqual([]); // http: is not tunnelled (many proxies allow CONNECT to port 443 only)
      expect(server.requests() - before).toBe(1); // the proxy fetched it
      expect(fs.readFileSync(dest).equals(BODY)).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(['file.bin']);
    } finally {
      await proxy.close();
    }
  });

  it('honours lowercase http_proxy, and follows redirects through the proxy', async () => {
    const proxy = await startProxy();
    try {
      const { dest } = cache();
      await withProxyEnv({ http_proxy: proxy.origin }, () => downloadFile({ url: `${server.origin}/redirect`, dest, md5: BODY_MD5, progress: false }));
      expect(proxy.requests).toEqual([`${server.origin}/redirect`, `${server.origin}/file`]);
    } finally {
      await proxy.close();
    }
  });

  it('bypasses the proxy for a host listed in NO_PROXY (with or without the port), not for others', async () => {
    const proxy = await startProxy();
    try {
      const port = new URL(server.origin).port;
      for (const noProxy of ['127.0.0.1', `127.0.0.1:${port}`, 'example.org,127.0.0.1']) {
        const { dest } = cache();
        await withProxyEnv({ HTTP_PROXY: proxy.origin, NO_PROXY: noProxy }, () => downloadFile({ url: `${server.origin}/file`, dest, md5: BODY_MD5, progress: false }));
        expect(fs.readFileSync(dest).equals(BODY)).toBe(true);
      }
      expect(proxy.requests).toEqual([]);
      const { dest } = cache();
      await withProxyEnv({ HTTP_PROXY: proxy.origin, no_proxy: 'example.org' }, () => downloadFile({ url: `${server.origin}/file`, dest, progress: false }));
      expect(proxy.requests).toEqual([`${server.origin}/file`]);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels an https: download through HTTPS_PROXY with CONNECT', async () => {
    // The local server speaks plain HTTP, so the TLS handshake inside the
    // tunnel fails; what matters is that the proxy was asked for the tunnel.
    const proxy = await startProxy();
    try {
      const { dir, dest } = cache();
      const target = server.origin.replace('http:', 'https:');
      const err = await withProxyEnv({ HTTPS_PROXY: proxy.origin }, () => downloadFile({ url: `${target}/file`, dest, progress: false })).catch((e) => e);
      expect(proxy.connects).toEqual([new URL(server.origin).host]);
      expect(err).toBeInstanceOf(DownloadError);
      expect(err.message).toContain(`${target}/file`);
      expect(err.message).toContain(`HTTPS_PROXY=${proxy.origin}`);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('reports a proxy that refuses connections as a DownloadError naming the proxy setting', async () => {
    const dead = await startProxy();
    await dead.close();
    const { dir, dest } = cache();
    const err = await withProxyEnv({ HTTP_PROXY: dead.origin }, () => downloadFile({ url: `${server.origin}/file`, dest, progress: false })).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain(`${server.origin}/file`);
    expect(err.message).toContain(`HTTP_PROXY=${dead.origin}`);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reports 407 from the proxy without printing the password from the proxy URL', async () => {
    const proxy = await startProxy(() => false);
    try {
      const { dir, dest } = cache();
      const withPassword = proxy.origin.replace('//', '//ada:s3cret@');
      const err = await withProxyEnv({ HTTP_PROXY: withPassword }, () => downloadFile({ url: `${server.origin}/file`, dest, progress: false })).catch((e) => e);
      expect(err).toBeInstanceOf(DownloadError);
      expect(err.message).toContain('407');
      expect(err.message).toContain(`HTTP_PROXY=${proxy.origin.replace('//', '//***@')}`);
      expect(err.message).not.toContain('s3cret');
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe('downloadFile and the local disk (StorageError)', () => {
  it('refuses a download larger than the free space before any request or byte written', async () => {
    const { dir, dest } = cache();
    const before = server.requests();
    const err = await downloadFile({ url: `${server.origin}/file`, dest, expectedSize: 2 ** 50, progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toMatch(new RegExp(`^downloadFile: no space left on device: ${dir} has [\\d.]+ [kMGT]?B free, the download needs 1125\\.9 TB`));
    expect(err.message).not.toMatch(/network|connection|proxy/i);
    expect(server.requests()).toBe(before);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('reports a folder path that runs through a regular file, before any request', async () => {
    const tmp = makeTmpDir();
    const file = path.join(tmp, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const before = server.requests();
    const err = await downloadFile({ url: `${server.origin}/file`, dest: path.join(file, 'cache', 'f.bin'), progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toContain(path.join(file, 'cache'));
    expect(err.message).toMatch(/not a folder|ENOTDIR/);
    expect(server.requests()).toBe(before);
    expect(fs.readdirSync(tmp)).toEqual(['not-a-folder']);
  });

  it('turns ENOSPC during the write into a StorageError and removes the partial file (injected error)', async () => {
    const { dir, dest } = cache();
    const realOpen = fs.promises.open;
    const spy = vi.spyOn(fs.promises, 'open').mockImplementation(async (...args: Parameters<typeof realOpen>) => {
      const handle = await realOpen(...args);
      if (String(args[0]).includes('.partial-')) {
        let writes = 0;
        const realWrite = handle.write.bind(handle) as (...a: unknown[]) => Promise<unknown>;
        (handle as unknown as { write: unknown }).write = async (...a: unknown[]) => {
          if (++writes > 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
          return realWrite(...a);
        };
      }
      return handle;
    });
    try {
      const err = await downloadFile({ url: `${server.origin}/file`, dest, md5: BODY_MD5, progress: false }).catch((e) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err.message).toMatch(new RegExp(`^downloadFile: no space left on device: ${dir} has .* free, the download needs 300\\.0 kB`));
      expect(err.message).toContain('partial file was removed');
      expect(err.message).not.toMatch(/network|connection|proxy|HTTP/i);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  describe('on a 64 kB tmpfs', () => {
    let mnt: string;
    let skip: string | undefined;
    beforeAll(() => {
      mnt = path.join(makeTmpDir(), 'small');
      fs.mkdirSync(mnt);
      skip = mountTmpfs(mnt, 'size=64k');
    });
    afterAll(() => {
      if (skip === undefined) unmount(mnt);
    });

    it('refuses a Content-Length larger than the free space before writing', async (ctx) => {
      if (skip) ctx.skip(skip);
      const dest = path.join(mnt, 'a', 'file.bin');
      const err = await downloadFile({ url: `${server.origin}/file`, dest, progress: false }).catch((e) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err.message).toMatch(/no space left on device: .* has 65\.5 kB free, the download needs 300\.0 kB/);
      expect(fs.readdirSync(path.join(mnt, 'a'))).toEqual([]);
    });

    it('turns a real ENOSPC (no Content-Length, so no pre-check) into a StorageError and removes the partial file', async (ctx) => {
      if (skip) ctx.skip(skip);
      const dest = path.join(mnt, 'b', 'file.bin');
      const err = await downloadFile({ url: `${server.origin}/chunked`, dest, progress: false }).catch((e) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect(err.message).toContain(`no space left on device: ${path.join(mnt, 'b')} has`);
      expect(err.message).toContain('the disk filled up');
      expect(err.message).not.toMatch(/network|connection|proxy|HTTP/i);
      expect(fs.readdirSync(path.join(mnt, 'b'))).toEqual([]);
    });
  });
});
