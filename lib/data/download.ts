/**
 * Verified, atomic HTTP(S) download: the body streams into a temporary file
 * next to the destination while its MD5 is computed, and only a transfer whose
 * status, size and checksum all check out is fsynced and renamed onto `dest`
 * (the usual write-to-temp-then-rename pattern, so a cache never holds a
 * half-written file under its final name).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { ArgumentError, DownloadError, checkInteger, describe } from '../core/errors';
import { createByteProgress, type ByteProgress } from './progress';

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Address to fetch, `http:` or `https:`. */
  url: string;
  /** Final path of the file; its folder is created if missing. */
  dest: string;
  /** Expected size in bytes; a different count is a {@link DownloadError}. */
  expectedSize?: number;
  /** Expected MD5 as 32 hex digits; a different digest is a {@link DownloadError}. */
  md5?: string;
  /**
   * `true`: report on stderr (a bar on a terminal, a line per 10% otherwise);
   * `false`: silent; a function: called after each chunk with the bytes
   * received so far and the total from Content-Length (`undefined` if absent).
   * @default true
   */
  progress?: boolean | ((receivedBytes: number, totalBytes: number | undefined) => void);
  /** Name shown in progress output. @default the file name of `dest` */
  label?: string;
}

/** Redirects followed before giving up. */
const MAX_REDIRECTS = 5;
/** A connection that sends nothing for this long is abandoned (milliseconds). */
const IDLE_TIMEOUT_MS = 60_000;

const FN = 'downloadFile';

/**
 * Downloads `url` to `dest`, verifying HTTP status, byte count (against
 * Content-Length and `expectedSize`) and MD5 before atomically renaming the
 * temporary file `dest + '.partial-' + random` onto `dest`. On any failure the
 * temporary file is removed and an existing `dest` is left untouched.
 *
 * @param options see {@link DownloadOptions}.
 * @returns `dest`, once the verified file is in place.
 * @throws {ArgumentError} when `url` is not an http(s) URL, `dest` is empty,
 *   `expectedSize` is not an integer ≥ 0 or `md5` is not 32 hex digits.
 * @throws {DownloadError} when the server answers a non-2xx status, there are
 *   more than 5 redirects, the connection fails or closes early, or the byte
 *   count or MD5 differs from what was expected.
 * @example
 * ```ts
 * // The official CIFAR-10 archive, verified, into the cache (resolves to dest):
 * //   await downloadFile({ url: CIFAR10_URL, dest, expectedSize: CIFAR10_ARCHIVE_BYTES, md5: CIFAR10_MD5 });
 * // Arguments are checked before any request:
 * await downloadFile({ url: 'ftp://example.org/x.tar.gz', dest: 'x.tar.gz' }); // throws ArgumentError: must be an http: or https: URL
 * ```
 */
export async function downloadFile(options: DownloadOptions): Promise<string> {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(`${FN}: options must be an object, got ${describe(options)}`);
  }
  const { url, dest, expectedSize, md5, progress = true, label } = options;
  parseHttpUrl(url, 'url');
  if (typeof dest !== 'string' || dest === '') {
    throw new ArgumentError(`${FN}: dest must be a non-empty path, got ${describe(dest)}`);
  }
  if (expectedSize !== undefined) checkInteger(FN, 'expectedSize', expectedSize, 0);
  if (md5 !== undefined && (typeof md5 !== 'string' || !/^[0-9a-fA-F]{32}$/.test(md5))) {
    throw new ArgumentError(`${FN}: md5 must be 32 hex digits, got ${describe(md5)}`);
  }
  if (typeof progress !== 'boolean' && typeof progress !== 'function') {
    throw new ArgumentError(`${FN}: progress must be a boolean or a function, got ${describe(progress)}`);
  }

  await fs.promises.mkdir(path.dirname(path.resolve(dest)), { recursive: true });
  const temp = `${dest}.partial-${crypto.randomBytes(6).toString('hex')}`;
  let file: fs.promises.FileHandle | undefined;
  let reporter: ByteProgress | undefined;
  let received = 0;
  try {
    const response = await get(url);
    const finalUrl = response.url;
    const contentLength = parseContentLength(response.message, finalUrl);
    if (expectedSize !== undefined && contentLength !== undefined && contentLength !== expectedSize) {
      response.message.destroy();
      throw new DownloadError(
        `${FN}: ${finalUrl} announces ${contentLength} bytes (Content-Length) but ${expectedSize} bytes were expected`,
      );
    }
    const total = contentLength ?? expectedSize;
    if (progress === true) {
      reporter = createByteProgress({ label: label ?? path.basename(dest), totalBytes: total });
    }
    const onBytes = typeof progress === 'function' ? progress : undefined;

    file = await fs.promises.open(temp, 'wx');
    const hash = crypto.createHash('md5');
    try {
      for await (const chunk of response.message as AsyncIterable<Buffer>) {
        if (chunk.length === 0) continue;
        hash.update(chunk);
        await writeAll(file, chunk);
        received += chunk.length;
        reporter?.update(received);
        onBytes?.(received, contentLength);
      }
    } catch (err) {
      throw new DownloadError(
        `${FN}: transfer of ${finalUrl} broke off (${(err as Error).message}): received ${received} bytes, ` +
          `expected ${total ?? 'more (size unknown)'}`,
      );
    }
    // A connection that closes early can still end the stream without an error.
    if (contentLength !== undefined && received !== contentLength) {
      throw new DownloadError(
        `${FN}: ${finalUrl} was truncated: expected ${contentLength} bytes (Content-Length), received ${received}`,
      );
    }
    if (expectedSize !== undefined && received !== expectedSize) {
      throw new DownloadError(`${FN}: ${finalUrl} gave ${received} bytes, expected ${expectedSize} (expectedSize)`);
    }
    const digest = hash.digest('hex');
    if (md5 !== undefined && digest !== md5.toLowerCase()) {
      throw new DownloadError(`${FN}: MD5 of ${finalUrl} is ${digest}, expected ${md5.toLowerCase()} (${received} bytes received)`);
    }
    await file.sync(); // data on disk before the name points at it
    await file.close();
    file = undefined;
    await fs.promises.rename(temp, dest);
    await syncFolder(path.dirname(path.resolve(dest)));
    reporter?.finish();
    return dest;
  } catch (err) {
    reporter?.fail();
    if (file !== undefined) await file.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    if (err instanceof DownloadError || err instanceof ArgumentError) throw err;
    throw new DownloadError(`${FN}: could not download ${url} to ${dest}: ${(err as Error).message}`);
  }
}

/** Checks that `value` is an http: or https: URL; throws ArgumentError naming `arg`. */
function parseHttpUrl(value: unknown, arg: string): URL {
  let parsed: URL | undefined;
  if (typeof value === 'string') {
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ArgumentError(`${FN}: ${arg} must be an http: or https: URL, got ${describe(value)}`);
  }
  return parsed;
}

function parseContentLength(message: http.IncomingMessage, url: string): number | undefined {
  const header = message.headers['content-length'];
  if (header === undefined) return undefined;
  const n = Number(header);
  if (!/^\d+$/.test(header) || !Number.isSafeInteger(n)) {
    message.destroy();
    throw new DownloadError(`${FN}: ${url} sent an invalid Content-Length ${JSON.stringify(header)}`);
  }
  return n;
}

/** GET with redirects; resolves with the first 2xx response, rejects with DownloadError otherwise. */
async function get(url: string): Promise<{ message: http.IncomingMessage; url: string }> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const message = await request(current);
    const status = message.statusCode ?? 0;
    if (status >= 200 && status < 300) return { message, url: current };
    message.resume(); // discard the body so the socket is released
    const location = message.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location !== undefined) {
      if (redirects >= MAX_REDIRECTS) {
        throw new DownloadError(`${FN}: more than ${MAX_REDIRECTS} redirects starting from ${url} (last: ${current})`);
      }
      const next = new URL(location, current);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new DownloadError(`${FN}: ${current} redirects to unsupported ${next.href}`);
      }
      current = next.href;
      continue;
    }
    throw new DownloadError(
      `${FN}: ${current} answered HTTP ${status} ${message.statusMessage ?? ''}`.trimEnd() +
        (current !== url ? ` (redirected from ${url})` : '') + ', expected a 2xx status',
    );
  }
}

function request(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.get(url, { headers: { 'user-agent': 'dl-course', 'accept-encoding': 'identity' } }, resolve);
    req.setTimeout(IDLE_TIMEOUT_MS, () => {
      req.destroy(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`));
    });
    req.on('error', (err) => reject(new DownloadError(`${FN}: request to ${url} failed: ${err.message}`)));
  });
}

async function writeAll(file: fs.promises.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Makes the rename durable; not every platform can fsync a folder, so failures are ignored. */
async function syncFolder(folder: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(folder, 'r');
    await handle.sync();
  } catch {
    // e.g. EISDIR/EPERM on Windows; the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
