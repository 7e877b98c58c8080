/**
 * The download cache folder shared by every data set loader (CIFAR-10,
 * Fashion-MNIST): one place that decides where downloads are kept, checks
 * that the folder can be used before anything is downloaded into it, and
 * remembers which cached files have been verified against their checksum.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StorageError } from '../core/errors';
import { formatBytes } from './progress';

/**
 * The cache folder: env `DL_COURSE_CACHE_DIR` if set, else
 * `$XDG_CACHE_HOME/dl-course` (when XDG_CACHE_HOME is an absolute path), else
 * `$HOME/.cache/dl-course` (when HOME is an absolute path), else
 * `<home>/.cache/dl-course` with the home folder the user database (passwd)
 * gives for this user — what a login shell would set HOME to.
 *
 * @returns an absolute path; the folder may not exist yet.
 * @throws {StorageError} when none of these gives a folder: DL_COURSE_CACHE_DIR,
 *   XDG_CACHE_HOME and HOME are unset (or relative) and the user database has
 *   no home folder for this user. The message lists the fixes.
 * @example
 * ```ts
 * process.env.DL_COURSE_CACHE_DIR = '/data/dl-cache';
 * defaultCacheDir(); // '/data/dl-cache'
 * delete process.env.DL_COURSE_CACHE_DIR;
 * // Unset, with XDG_CACHE_HOME unset too: ~/.cache/dl-course, e.g. '/home/ada/.cache/dl-course'.
 * ```
 */
export function defaultCacheDir(): string {
  return defaultCacheDirWithOrigin().dir;
}

/** {@link defaultCacheDir} and the setting it came from, for error messages. */
function defaultCacheDirWithOrigin(): { dir: string; origin: string } {
  const own = process.env.DL_COURSE_CACHE_DIR;
  if (own) return { dir: path.resolve(own), origin: `env DL_COURSE_CACHE_DIR=${own}` };
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return { dir: path.join(xdg, 'dl-course'), origin: `env XDG_CACHE_HOME=${xdg}` };
  const home = process.env.HOME;
  if (home && path.isAbsolute(home)) return { dir: path.join(home, '.cache', 'dl-course'), origin: `env HOME=${home}` };
  // HOME unset, empty or relative: os.homedir() would return it as is (an
  // empty or relative path), so ask the user database directly.
  let passwdHome: string | undefined;
  try {
    passwdHome = os.userInfo().homedir;
  } catch {
    passwdHome = undefined; // no entry for this uid (e.g. a container run with --user 12345)
  }
  if (passwdHome && path.isAbsolute(passwdHome)) {
    return { dir: path.join(passwdHome, '.cache', 'dl-course'), origin: `HOME is ${describeEnv('HOME')}; home folder ${passwdHome} from the user database` };
  }
  throw new StorageError(
    `defaultCacheDir: no cache folder: DL_COURSE_CACHE_DIR and XDG_CACHE_HOME are unset, HOME is ${describeEnv('HOME')} ` +
      `and the user database has no home folder for uid ${process.getuid?.() ?? '?'}; expected one of them to name a folder. ` +
      `Fixes: set DL_COURSE_CACHE_DIR=DIR (or pass the cacheDir option / --cache-dir DIR) with a writable folder, or set HOME.`,
  );
}

function describeEnv(name: string): string {
  const value = process.env[name];
  return value === undefined ? 'unset' : value === '' ? 'empty' : `${JSON.stringify(value)} (not an absolute path)`;
}

/**
 * The fixes listed by a {@link StorageError} about the cache folder.
 * @param localCopy how to give the loader a local copy instead, e.g.
 *   `--data PATH or DL_COURSE_CIFAR10=PATH (option source)`.
 * @example
 * ```ts
 * cacheFixes('DL_COURSE_FASHION_MNIST=DIR').includes('DL_COURSE_CACHE_DIR'); // true
 * ```
 */
export function cacheFixes(localCopy: string): string {
  return (
    'Fixes: pass --cache-dir DIR (option cacheDir) naming a writable folder with enough free space; ' +
    'or set DL_COURSE_CACHE_DIR=DIR; ' +
    `or skip the download by giving a local copy with ${localCopy}.`
  );
}

/** Where a loader keeps its downloads. */
export interface CacheFolder {
  /** `<cacheDir>/<sub>`, absolute. */
  dir: string;
  /** Where the cache folder came from, e.g. `option cacheDir` or `env HOME=/`. */
  origin: string;
}

/**
 * Resolves the cache sub-folder of a loader: `<cacheDir>/<sub>` with
 * `cacheDir` from the option, else {@link defaultCacheDir}. Nothing is created.
 * @param fn the calling function, named in errors.
 * @param cacheDir the `cacheDir` option, if given.
 * @param sub the loader's sub-folder, e.g. `cifar10`.
 * @param localCopy see {@link cacheFixes}.
 * @throws {StorageError} when no cache folder can be determined (see {@link defaultCacheDir}).
 * @example
 * ```ts
 * resolveCacheFolder('loadX', '/srv/cache', 'x', '--data PATH').dir; // '/srv/cache/x'
 * ```
 */
export function resolveCacheFolder(fn: string, cacheDir: string | undefined, sub: string, localCopy: string): CacheFolder {
  if (cacheDir !== undefined) return { dir: path.join(path.resolve(cacheDir), sub), origin: 'option cacheDir' };
  try {
    const { dir, origin } = defaultCacheDirWithOrigin();
    return { dir: path.join(dir, sub), origin };
  } catch (err) {
    if (err instanceof StorageError) {
      throw new StorageError(`${fn}: ${err.message.replace(/ Fixes: .*$/, '')} ${cacheFixes(localCopy)}`);
    }
    throw err;
  }
}

/**
 * Checks that `folder` can hold downloads: creates it (like `mkdir -p`), checks
 * it is a folder and writes and deletes a small probe file in it. Nothing is
 * left behind except the folders created.
 * @param fn the calling function, named in errors.
 * @param folder the folder to check.
 * @param describeFolder how to name it, e.g. `cache folder (from env HOME=/)`.
 * @param fixes what the user can do, appended to the message (see {@link cacheFixes}).
 * @throws {StorageError} naming the folder and why it cannot be used: a part of
 *   the path is a file, permission denied, read-only file system, disk full.
 * @example
 * ```ts
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ex-'));
 * await checkWritableFolder('f', path.join(dir, 'a', 'b'), 'cache folder', ''); // undefined
 * fs.writeFileSync(path.join(dir, 'file'), 'x');
 * await checkWritableFolder('f', path.join(dir, 'file', 'c'), 'cache folder', ''); // throws StorageError: is a file, not a folder
 * ```
 */
export async function checkWritableFolder(fn: string, folder: string, describeFolder: string, fixes: string): Promise<void> {
  const fail = (why: string): StorageError =>
    new StorageError(`${fn}: cannot use the ${describeFolder} ${folder}: ${why}; expected a writable folder. ${fixes}`.trimEnd());
  const blocker = await fileOnPath(folder);
  if (blocker !== undefined) throw fail(`${blocker} is a file, not a folder`);
  try {
    await makeFolders(folder);
  } catch (err) {
    throw fail(storageReason(err, folder));
  }
  const probe = path.join(folder, `.dl-course-write-test-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    await fs.promises.writeFile(probe, 'x', { flag: 'wx' });
  } catch (err) {
    throw fail(storageReason(err, folder));
  } finally {
    await fs.promises.rm(probe, { force: true }).catch(() => undefined);
  }
}

/**
 * `mkdir -p folder`, one level at a time, so that a failure names the level
 * and the true cause (Node's recursive mkdir reports ENOENT instead of EROFS
 * on a read-only file system).
 * @example
 * ```ts
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ex-'));
 * await makeFolders(path.join(dir, 'a', 'b'));
 * fs.statSync(path.join(dir, 'a', 'b')).isDirectory(); // true
 * ```
 */
export async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(folder);
  for (;;) {
    const stat = await fs.promises.stat(current).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    if (stat !== undefined) break;
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing) {
    try {
      await fs.promises.mkdir(dir);
    } catch (err) {
      // Another process may have created it meanwhile.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await fs.promises.stat(dir)).isDirectory()) throw err;
    }
  }
}

/** The first existing path among `target` and its ancestors, if it is not a folder. */
async function fileOnPath(target: string): Promise<string | undefined> {
  let current = path.resolve(target);
  for (;;) {
    const stat = await fs.promises.stat(current).catch(() => undefined);
    if (stat !== undefined) return stat.isDirectory() ? undefined : current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Why a file system call on `target` failed, in words, for a {@link StorageError}:
 * e.g. `permission denied: cannot create /x: / is not writable for this user (uid 1000) (EACCES: permission denied, mkdir '/x')`.
 * @example
 * ```ts
 * const err = Object.assign(new Error("EROFS: read-only file system, open '/m/f'"), { code: 'EROFS' });
 * storageReason(err, '/m'); // "/m is on a read-only file system (EROFS: read-only file system, open '/m/f')"
 * ```
 */
export function storageReason(err: unknown, target: string): string {
  const e = err as NodeJS.ErrnoException;
  const where = e?.path ?? target;
  const detail = `(${e?.message ?? String(err)})`;
  const uid = process.getuid?.() ?? '?';
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      if (e.syscall === 'stat' || e.syscall === 'lstat') {
        return `permission denied: ${where} cannot be reached by this user (uid ${uid}); a folder above it does not allow access ${detail}`;
      }
      if (e.syscall === 'mkdir') {
        return `permission denied: cannot create ${where}: ${path.dirname(where)} is not writable for this user (uid ${uid}) ${detail}`;
      }
      // open/rename/unlink of a file: the folder holding it lacks write permission
      return `permission denied: ${e.path ? path.dirname(e.path) : target} is not writable for this user (uid ${uid}) ${detail}`;
    case 'EROFS':
      return `${where} is on a read-only file system ${detail}`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${where} or a folder above it is a file, not a folder ${detail}`;
    case 'ENOSPC':
      return `no space left on device ${detail}`;
    case 'EDQUOT':
      return `disk quota exceeded ${detail}`;
    default:
      return `${where} cannot be written ${detail}`;
  }
}

/**
 * Free bytes for this user on the file system holding `folder` (statfs
 * `bavail × bsize`), or `undefined` when the platform cannot tell.
 * @example
 * ```ts
 * freeBytes(os.tmpdir()) > 0; // true
 * ```
 */
export function freeBytes(folder: string): number | undefined {
  try {
    const s = fs.statfsSync(folder);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return undefined;
  }
}

/**
 * Throws a {@link StorageError} when the file system holding `folder` has fewer
 * than `neededBytes` free bytes; does nothing when it has enough or cannot tell.
 * @example
 * ```ts
 * checkFreeSpace('f', os.tmpdir(), 1); // undefined
 * checkFreeSpace('f', os.tmpdir(), 2 ** 50); // throws StorageError: no space left on device
 * ```
 */
export function checkFreeSpace(fn: string, folder: string, neededBytes: number, fixes = ''): void {
  const free = freeBytes(folder);
  if (free !== undefined && free < neededBytes) throw noSpaceError(fn, folder, neededBytes, fixes);
}

/**
 * The {@link StorageError} for a full disk: `<fn>: no space left on device:
 * <folder> has X free, the download needs Y`, then `note` and `fixes`.
 * `neededBytes` is `{ moreThan: n }` when the total size is unknown.
 * @example
 * ```ts
 * noSpaceError('f', os.tmpdir(), 2 ** 50).message.includes('the download needs 1125.9 TB'); // true
 * ```
 */
export function noSpaceError(fn: string, folder: string, neededBytes: number | { moreThan: number }, fixes = '', note = ''): StorageError {
  const free = freeBytes(folder);
  const needs = typeof neededBytes === 'number' ? formatBytes(neededBytes) : `more than ${formatBytes(neededBytes.moreThan)}`;
  if (typeof neededBytes !== 'number') note = note ? `size unknown; ${note}` : 'size unknown';
  return new StorageError(
    `${fn}: no space left on device: ${folder} has ${free === undefined ? 'too little space' : `${formatBytes(free)} free`}, ` +
      `the download needs ${needs}${note ? ` (${note})` : ''}. ` +
      (fixes || 'Free some space there or download to a folder on another disk.'),
  );
}

/** What a stamp file `<file>.verified` holds. */
interface Stamp {
  algorithm: 'md5';
  digest: string;
  size: number;
  mtimeMs: number;
}

/** Outcome of {@link verifyCachedFile}. */
export type CachedFileCheck =
  /** No regular file at that path. */
  | { status: 'missing' }
  /** A file, but of a size other than the expected one (not hashed). */
  | { status: 'size'; size: number }
  /** The MD5 matches; `hashed` is false when a matching stamp was trusted. */
  | { status: 'ok'; hashed: boolean }
  /** The MD5 differs: `actual` is the file's digest. */
  | { status: 'bad'; actual: string };

/**
 * Path of the stamp that remembers the verified checksum of `file`.
 * @example
 * ```ts
 * stampPath('/cache/cifar10/cifar-10-binary.tar.gz'); // '/cache/cifar10/cifar-10-binary.tar.gz.verified'
 * ```
 */
export function stampPath(file: string): string {
  return `${file}.verified`;
}

/**
 * Checks a cached file against its expected MD5, hashing it (streamed) only
 * the first time: the result is remembered in `<file>.verified` (size,
 * mtimeMs and digest, written atomically), and later calls trust a stamp that
 * still matches the file's size and modification time. A stamp that cannot be
 * written (read-only cache) is skipped silently.
 * @param file the cached file.
 * @param md5 expected digest, 32 hex digits.
 * @param expectedSize when given, a file of another size is `{ status: 'size' }` without hashing.
 * @example
 * ```ts
 * const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ex-')), 'a.bin');
 * fs.writeFileSync(file, 'abc');
 * (await verifyCachedFile(file, '900150983cd24fb0d6963f7d28e17f72')).status; // 'ok'
 * (await verifyCachedFile(file, '900150983cd24fb0d6963f7d28e17f72')); // { status: 'ok', hashed: false } (the stamp was trusted)
 * (await verifyCachedFile(file, '0'.repeat(32))).status; // 'bad'
 * ```
 */
export async function verifyCachedFile(file: string, md5: string, expectedSize?: number): Promise<CachedFileCheck> {
  const expected = md5.toLowerCase();
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (stat === undefined || !stat.isFile()) return { status: 'missing' };
  if (expectedSize !== undefined && stat.size !== expectedSize) return { status: 'size', size: stat.size };
  const stamp = await readStamp(file);
  if (stamp !== undefined && stamp.size === stat.size && stamp.mtimeMs === stat.mtimeMs) {
    return stamp.digest === expected ? { status: 'ok', hashed: false } : { status: 'bad', actual: stamp.digest };
  }
  const actual = await md5File(file);
  const after = await fs.promises.stat(file).catch(() => undefined);
  // Remember the result only if the file did not change while it was read.
  if (after !== undefined && after.size === stat.size && after.mtimeMs === stat.mtimeMs) {
    await writeStamp(file, { algorithm: 'md5', digest: actual, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return actual === expected ? { status: 'ok', hashed: true } : { status: 'bad', actual };
}

/**
 * MD5 of a file as 32 hex digits, read as a stream (constant memory).
 * @example
 * ```ts
 * const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ex-')), 'a.txt');
 * fs.writeFileSync(file, 'abc');
 * await md5File(file); // '900150983cd24fb0d6963f7d28e17f72'
 * ```
 */
export async function md5File(file: string): Promise<string> {
  const hash = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Removes the stamp of `file` (after the file was replaced); errors are ignored.
 * @example
 * ```ts
 * await forgetVerified(path.join(os.tmpdir(), 'no-such-file')); // undefined
 * ```
 */
export async function forgetVerified(file: string): Promise<void> {
  await fs.promises.rm(stampPath(file), { force: true }).catch(() => undefined);
}

async function readStamp(file: string): Promise<Stamp | undefined> {
  try {
    const s = JSON.parse(await fs.promises.readFile(stampPath(file), 'utf8')) as Partial<Stamp>;
    if (s.algorithm !== 'md5' || typeof s.digest !== 'string' || typeof s.size !== 'number' || typeof s.mtimeMs !== 'number') return undefined;
    return s as Stamp;
  } catch {
    return undefined; // absent or unreadable: hash again
  }
}

async function writeStamp(file: string, stamp: Stamp): Promise<void> {
  const target = stampPath(file);
  const temp = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    await fs.promises.writeFile(temp, JSON.stringify(stamp) + '\n', { flag: 'wx' });
    await fs.promises.rename(temp, target);
  } catch {
    // A read-only cache can still be used; the file is hashed again next time.
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
  }
}
