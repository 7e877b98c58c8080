/**
 * Verified, atomic HTTP(S) download: the body streams into a temporary file
 * next to the destination while its MD5 is computed, and only a transfer whose
 * status, size and checksum all check out is fsynced and renamed onto `dest`
 * (the usual write-to-temp-then-rename pattern, so a cache never holds a
 * half-written file under its final name). Requests go through undici with
 * its `EnvHttpProxyAgent`, so `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (or
 * their lowercase forms) are honoured.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type * as Undici from 'undici';
import { ArgumentError, DownloadError, StorageError, checkInteger, describe } from '../core/errors';
import { checkFreeSpace, makeFolders, noSpaceError, storageReason } from './cache';
import { createByteProgress, type ByteProgress } from './progress';

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Address to fetch, `http:` or `https:`. */
  url: string;
  /** Final path of the file; its folder is created if missing. */
  dest: string;
  /**
   * Expected size in bytes; a different count is a {@link DownloadError}. When
   * given, the free space is checked before the request.
   */
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
/** Time allowed to open a connection (milliseconds). */
const CONNECT_TIMEOUT_MS = 30_000;

const FN = 'downloadFile';

/**
 * Downloads `url` to `dest`, verifying HTTP status, byte count (against
 * Content-Length and `expectedSize`) and MD5 before atomically renaming the
 * temporary file `dest + '.partial-' + random` onto `dest`. On any failure the
 * temporary file is removed and an existing `dest` is left untouched.
 * The proxy settings `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (or lowercase)
 * are honoured; `http:` addresses go to the proxy as plain proxy requests,
 * `https:` ones through a CONNECT tunnel.
 *
 * @param options see {@link DownloadOptions}.
 * @returns `dest`, once the verified file is in place.
 * @throws {ArgumentError} when `url` is not an http(s) URL, `dest` is empty,
 *   `expectedSize` is not an integer ≥ 0 or `md5` is not 32 hex digits.
 * @throws {DownloadError} when the server or proxy answers a non-2xx status,
 *   there are more than 5 redirects, the connection fails or closes early, or
 *   the byte count or MD5 differs from what was expected.
 * @throws {StorageError} when the folder of `dest` cannot be created or written
 *   (a file in the way, permission denied, read-only file system) or the disk
 *   has less free space than `expectedSize` (or Content-Length), or fills up
 *   during the transfer; nothing is written then, or the partial file is removed.
 * @example
 * ```ts
 * // The official CIFAR-10 archive, verified, into the cache (resolves to dest):
 * //   await downloadFile({ url: CIFAR10_URL, dest, expectedSize: CIFAR10_ARCHIVE_BYTES, md5: CIFAR10_MD5 });
 * // Arguments are checked before any request:
 * await downloadFile({ url: 'ftp://example.org/x.tar.gz', dest: 'x.tar.gz' }); // throws ArgumentError: must be an http: or https: URL
 * // The free space is checked before any request when the size is known:
 * await downloadFile({ url: 'https://example.org/x', dest: 'x', expectedSize: 2 ** 50 }); // throws StorageError: no space left on device
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

  // Local checks first: no request is made for a file that cannot be stored.
  const folder = path.dirname(path.resolve(dest));
  try {
    await makeFolders(folder);
  } catch (err) {
    throw new StorageError(`${FN}: cannot create the folder ${folder} for ${dest}: ${storageReason(err, folder)}`);
  }
  if (expectedSize !== undefined) checkFreeSpace(FN, folder, expectedSize);
  const temp = `${dest}.partial-${crypto.randomBytes(6).toString('hex')}`;
  let file: fs.promises.FileHandle | undefined;
  try {
    file = await fs.promises.open(temp, 'wx');
  } catch (err) {
    throw new StorageError(`${FN}: cannot write in the folder ${folder} (temporary file ${temp}): ${storageReason(err, folder)}`);
  }

  const undici = await import('undici');
  const dispatcher = createDispatcher(undici);
  let reporter: ByteProgress | undefined;
  let received = 0;
  let total: number | undefined;
  try {
    const response = await get(undici, dispatcher, url);
    const finalUrl = response.url;
    const body = response.data.body;
    const contentLength = parseContentLength(response.data.headers['content-length'], finalUrl);
    if (expectedSize !== undefined && contentLength !== undefined && contentLength !== expectedSize) {
      discard(body);
      throw new DownloadError(
        `${FN}: ${finalUrl} announces ${contentLength} bytes (Content-Length) but ${expectedSize} bytes were expected`,
      );
    }
    total = contentLength ?? expectedSize;
    if (contentLength !== undefined && expectedSize === undefined) {
      try {
        checkFreeSpace(FN, folder, contentLength);
      } catch (err) {
        discard(body);
        throw err;
      }
    }
    if (progress === true) {
      reporter = createByteProgress({ label: label ?? path.basename(dest), totalBytes: total });
    }
    const onBytes = typeof progress === 'function' ? progress : undefined;

    const hash = crypto.createHash('md5');
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (chunk.length === 0) continue;
        hash.update(chunk);
        await writeAll(file, chunk, received);
        received += chunk.length;
        reporter?.update(received);
        onBytes?.(received, contentLength);
      }
    } catch (err) {
      discard(body);
      if (err instanceof WriteError) throw err;
      throw new DownloadError(
        `${FN}: transfer of ${finalUrl} broke off (${describeNetworkError(err)}): received ${received} bytes, ` +
          `expected ${total ?? 'more (size unknown)'}${proxyNote(finalUrl)}`,
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
    try {
      await file.sync(); // data on disk before the name points at it
      await file.close();
      file = undefined;
      await fs.promises.rename(temp, dest);
    } catch (err) {
      throw new WriteError(err);
    }
    await syncFolder(folder);
    reporter?.finish();
    return dest;
  } catch (err) {
    reporter?.fail();
    if (file !== undefined) await file.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    if (err instanceof WriteError) throw storageErrorOfWrite(err.cause, folder, temp, dest, total, received);
    if (err instanceof DownloadError || err instanceof ArgumentError || err instanceof StorageError) throw err;
    throw new DownloadError(`${FN}: could not download ${url} to ${dest}: ${describeNetworkError(err)}${proxyNote(url)}`);
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}

/** Stops reading a response body; its abort error is expected and ignored. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** A local write, sync or rename failed; turned into a StorageError once the temp file is gone. */
class WriteError extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
  }
}

function storageErrorOfWrite(
  cause: unknown,
  folder: string,
  temp: string,
  dest: string,
  total: number | undefined,
  received: number,
): StorageError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return noSpaceError(
      FN,
      folder,
      total ?? { moreThan: received },
      '',
      `${code === 'EDQUOT' ? 'disk quota exceeded' : 'the disk filled up'} after ${received} bytes had been written; ` +
        `the partial file was removed`,
    );
  }
  return new StorageError(`${FN}: cannot write ${dest} (temporary file ${temp}): ${storageReason(cause, folder)}; the partial file was removed`);
}

/**
 * An undici dispatcher that follows the proxy environment variables. Plain
 * `http:` requests are sent to an HTTP proxy as ordinary proxy requests
 * (`GET http://host/path`), as curl does, rather than through CONNECT, which
 * many proxies allow only to port 443.
 */
function createDispatcher(undici: typeof Undici): Undici.Dispatcher {
  const options = {
    headersTimeout: IDLE_TIMEOUT_MS,
    bodyTimeout: IDLE_TIMEOUT_MS,
    connect: { timeout: CONNECT_TIMEOUT_MS },
    proxyTunnel: false,
  };
  // undici 6 marks EnvHttpProxyAgent experimental with a process warning that
  // would only confuse a learner; drop that one warning, pass any other on.
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const code = (rest[0] as { code?: string } | undefined)?.code ?? rest[1];
    if (code === 'UNDICI-EHPA') return;
    return (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return new undici.EnvHttpProxyAgent(options as Undici.EnvHttpProxyAgent.Options);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** ` (via proxy: HTTP_PROXY=http://proxy:3128, NO_PROXY=...)` when proxy variables are set, else ''. */
function proxyNote(url: string): string {
  const https = url.startsWith('https:');
  const pick = (lower: string, upper: string): string | undefined => {
    const name = process.env[lower] !== undefined ? lower : process.env[upper] !== undefined ? upper : undefined;
    return name === undefined ? undefined : `${name}=${hideCredentials(process.env[name]!)}`;
  };
  const proxy = https ? pick('https_proxy', 'HTTPS_PROXY') ?? pick('http_proxy', 'HTTP_PROXY') : pick('http_proxy', 'HTTP_PROXY');
  if (proxy === undefined) return '';
  const noProxy = pick('no_proxy', 'NO_PROXY');
  return ` (proxy settings: ${proxy}${noProxy ? `, ${noProxy}` : ''})`;
}

function hideCredentials(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}

/** The message of an undici or socket error, with its code when the message lacks it. */
function describeNetworkError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: unknown };
  let text = e?.message ?? String(err);
  if (e?.code && !text.includes(e.code) && e.code !== 'UND_ERR_INVALID_ARG') text += ` (${e.code})`;
  const cause = e?.cause as Error | undefined;
  if (cause?.message && !text.includes(cause.message)) text += `: ${cause.message}`;
  return text;
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

function parseContentLength(header: string | string[] | undefined, url: string): number | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(', ') : header;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new DownloadError(`${FN}: ${url} sent an invalid Content-Length ${JSON.stringify(text)}`);
  }
  return n;
}

/** GET with redirects; resolves with the first 2xx response, rejects with DownloadError otherwise. */
async function get(
  undici: typeof Undici,
  dispatcher: Undici.Dispatcher,
  url: string,
): Promise<{ data: Undici.Dispatcher.ResponseData; url: string }> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    let data: Undici.Dispatcher.ResponseData;
    try {
      data = await undici.request(current, {
        dispatcher,
        method: 'GET',
        headers: { 'user-agent': 'dl-course', 'accept-encoding': 'identity' },
      });
    } catch (err) {
      throw new DownloadError(`${FN}: request to ${current} failed: ${describeNetworkError(err)}${proxyNote(current)}`);
    }
    const status = data.statusCode;
    if (status >= 200 && status < 300) return { data, url: current };
    await data.body.dump().catch(() => undefined); // discard the body so the connection is released
    const header = data.headers.location;
    const location = Array.isArray(header) ? header[0] : header;
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
      `${FN}: ${current} answered HTTP ${status} ${http.STATUS_CODES[status] ?? ''}`.trimEnd() +
        (current !== url ? ` (redirected from ${url})` : '') + ', expected a 2xx status' +
        (status === 407 || status === 502 || status === 504 ? proxyNote(current) : ''),
    );
  }
}

async function writeAll(file: fs.promises.FileHandle, chunk: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    let bytesWritten: number;
    try {
      ({ bytesWritten } = await file.write(chunk, offset, chunk.length - offset, position + offset));
    } catch (err) {
      throw new WriteError(err);
    }
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
