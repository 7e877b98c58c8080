import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { downloadFile } from '../../lib/data/download';
import { createByteProgress, formatBytes } from '../../lib/data/progress';
import { ArgumentError, DownloadError } from '../../lib/core/errors';
import { makeTmpDir, startServer, type LocalServer } from './helpers';

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
