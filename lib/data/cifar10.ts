/**
 * CIFAR-10 reader and loader (Krizhevsky 2009, "Learning Multiple Layers of
 * Features from Tiny Images"), for the binary version described on the
 * CIFAR-10 page (https://www.cs.toronto.edu/~kriz/cifar.html): each record is
 * 1 label byte then 3072 pixel bytes, a red, a green and a blue 32×32 plane,
 * each row-major.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import * as zlib from 'zlib';
import * as tar from 'tar-stream';
import { ArgumentError, DataFormatError, DownloadError, StorageError, checkInteger, describe } from '../core/errors';
import { firstExamples, type LabeledExamples } from '../core/examples';
import { cacheFixes, checkWritableFolder, defaultCacheDir, forgetVerified, resolveCacheFolder, verifyCachedFile } from './cache';
import { downloadFile } from './download';

/** Official address of the binary archive. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
/** Size of the official archive in bytes. */
export const CIFAR10_ARCHIVE_BYTES = 170052171;
/** MD5 of the official archive (hex). */
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
/**
 * The 10 class names, index = label.
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
]);
/** Bytes per record: 1 label byte + 3 × 32 × 32 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 3073;

const HEIGHT = 32;
const WIDTH = 32;
const CHANNELS = 3;
const PLANE_BYTES = HEIGHT * WIDTH; // 1024
const IMAGE_BYTES = PLANE_BYTES * CHANNELS; // 3072
const IMAGE_SHAPE = Object.freeze([HEIGHT, WIDTH, CHANNELS] as const);
const NUM_CLASSES = 10;

/** Folder inside the archive holding the members. */
const FOLDER = 'cifar-10-batches-bin';
const TRAIN_MEMBERS = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_MEMBER = 'test_batch.bin';
const META_MEMBER = 'batches.meta.txt';
const MEMBERS = [...TRAIN_MEMBERS, TEST_MEMBER, META_MEMBER];
const ARCHIVE_NAME = 'cifar-10-binary.tar.gz';


/** Both splits with their class names and where they were read from. */
export interface Cifar10Data {
  /** data_batch_1..5 in order (50,000 images in the official archive). */
  train: LabeledExamples;
  /** test_batch (10,000 images in the official archive). */
  test: LabeledExamples;
  /** 10 names from batches.meta.txt, index = label. */
  classNames: string[];
  /** Path of the archive or folder that was read. */
  source: string;
}

/** Options of {@link loadCifar10}. */
export interface LoadCifar10Options {
  /**
   * A `.tar.gz` archive, or an extracted folder (`cifar-10-batches-bin`
   * itself or its parent). Checked for structure, not for the official checksum.
   * @default env `DL_COURSE_CIFAR10` if set, else the official archive downloaded into `cacheDir`
   */
  source?: string;
  /**
   * Cache folder; the archive lives at `<cacheDir>/cifar10/cifar-10-binary.tar.gz`.
   * @default {@link defaultCacheDir}()
   */
  cacheDir?: string;
  /** Where to download from. @default {@link CIFAR10_URL} */
  url?: string;
  /** Expected MD5 (hex) of the downloaded archive. @default {@link CIFAR10_MD5} */
  md5?: string;
  /** Expected size in bytes of the downloaded archive. @default {@link CIFAR10_ARCHIVE_BYTES} */
  expectedSize?: number;
  /** Keep only the first `trainSize` train records. @default all */
  trainSize?: number;
  /** Keep only the first `testSize` test records. @default all */
  testSize?: number;
  /** Show download progress on stderr. @default true */
  progress?: boolean;
}


/**
 * Parses concatenated binary records (label byte + 3072 channel-planar pixel
 * bytes each) into NHWC. The record count is `bytes.length / 3073`.
 *
 * @param bytes the file's content, `[n * 3073]` uint8.
 * @param name the member or file name, used in error messages.
 * @returns `pixels` `[n, 32, 32, 3]` uint8 NHWC and `labels` `[n]` int32.
 * @throws {DataFormatError} when the length is not a multiple of 3073 bytes,
 *   or a label is greater than 9.
 * @example
 * ```ts
 * const record = new Uint8Array(3073);
 * record[0] = 7;              // label: horse
 * record[1] = 200;            // R at row 0, column 0
 * record[1 + 1024] = 100;     // G at row 0, column 0
 * const split = parseCifar10Records(record, 'one.bin');
 * split.n;                    // 1
 * split.labels[0];            // 7
 * Array.from(split.pixels.subarray(0, 3)); // [200, 100, 0]
 * ```
 */
export function parseCifar10Records(bytes: Uint8Array, name: string): LabeledExamples {
  if (!(bytes instanceof Uint8Array)) {
    throw new ArgumentError(`parseCifar10Records: bytes must be a Uint8Array, got ${describe(bytes)}`);
  }
  const n = recordCount(bytes.length, name);
  const split: LabeledExamples = { n, pixels: new Uint8Array(n * IMAGE_BYTES), labels: new Int32Array(n), imageShape: IMAGE_SHAPE };
  decodeInto(bytes, name, split, 0);
  return split;
}

/** Record count of a member of `length` bytes; throws DataFormatError if not a whole number. */
function recordCount(length: number, name: string): number {
  const remainder = length % CIFAR10_RECORD_BYTES;
  if (remainder !== 0) {
    throw new DataFormatError(
      `parseCifar10Records: ${name} has ${length} bytes, not a multiple of the record size ${CIFAR10_RECORD_BYTES} bytes ` +
        `(${Math.floor(length / CIFAR10_RECORD_BYTES)} records and ${remainder} bytes left over); the file is truncated or not CIFAR-10 binary`,
    );
  }
  return length / CIFAR10_RECORD_BYTES;
}

/** Decodes the records in `bytes` into `out` starting at record `offset`. */
function decodeInto(bytes: Uint8Array, name: string, out: LabeledExamples, offset: number): void {
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  for (let k = 0; k < n; k++) {
    const base = k * CIFAR10_RECORD_BYTES;
    const label = bytes[base];
    if (label >= NUM_CLASSES) {
      throw new DataFormatError(`parseCifar10Records: ${name} record ${k} has label ${label}; labels must be in 0..9`);
    }
    out.labels[offset + k] = label;
    const dst = (offset + k) * IMAGE_BYTES;
    const src = base + 1;
    // planar [3, 32, 32] -> interleaved [32, 32, 3]
    for (let p = 0; p < PLANE_BYTES; p++) {
      const d = dst + p * CHANNELS;
      out.pixels[d] = bytes[src + p];
      out.pixels[d + 1] = bytes[src + PLANE_BYTES + p];
      out.pixels[d + 2] = bytes[src + 2 * PLANE_BYTES + p];
    }
  }
}


/**
 * Loads CIFAR-10 from a local archive or folder, or downloads the official
 * archive (verified by size and MD5, written atomically) into the cache and
 * reads it. Archive members are read in memory; nothing is extracted to disk.
 * A cached archive is reused when its size equals `expectedSize` and its MD5
 * equals `md5`; the MD5 is computed the first time and remembered in
 * `<archive>.verified`. A damaged cached archive is reported on stderr and
 * downloaded again. The cache folder is checked (created, write probe) and
 * the free space compared with the archive's size before downloading.
 *
 * @returns train `[50000, 32, 32, 3]` uint8 + `[50000]` int32 and test
 *   `[10000, 32, 32, 3]` uint8 + `[10000]` int32 for the official data (fewer
 *   with `trainSize`/`testSize` or a smaller archive), the class names and the source path.
 * @throws {ArgumentError} when an option has the wrong type, `source` does not
 *   exist, or `trainSize`/`testSize` is not an integer ≥ 1 or exceeds the records available.
 * @throws {DataFormatError} when the archive is not gzip, is truncated or
 *   corrupt, lacks a member, has a member whose size is not a multiple of 3073
 *   bytes, a label > 9, or batches.meta.txt does not list 10 names.
 * @throws {DownloadError} when the download fails (status, size, MD5,
 *   connection, proxy), also when it was needed to replace a damaged cached archive.
 * @throws {StorageError} when the cache folder cannot be used (a file in the
 *   way, permission denied, read-only, no home folder to put it in) or the disk
 *   is too full for the archive; the message names the folder and the fixes
 *   (`--cache-dir`, `DL_COURSE_CACHE_DIR`, a local copy with `--data`/`DL_COURSE_CIFAR10`).
 * @example
 * ```ts
 * // Reads DL_COURSE_CIFAR10 when set, else downloads the official archive once (170 MB).
 * const data = await loadCifar10({ trainSize: 1000, testSize: 500 });
 * data.train.n;              // 1000
 * data.train.pixels.length;  // 3072000 (1000 × 32 × 32 × 3, NHWC)
 * data.test.labels.length;   // 500
 * data.classNames[3];        // 'cat'
 * ```
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 07 §2 The experiment: one CNN family, four widths, four training-set sizes](../../notebooks/07-outlook.ipynb#2.-The-experiment:-one-CNN-family,-four-widths,-four-training-set-sizes)
 * @see [Notebook 09 §4 Compute: accuracy against training FLOPs](../../notebooks/09-summary-and-challenges.ipynb#4.-Compute:-accuracy-against-training-FLOPs)
 */
export async function loadCifar10(options: LoadCifar10Options = {}): Promise<Cifar10Data> {
  const fn = 'loadCifar10';
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  }
  const { trainSize, testSize } = options;
  if (trainSize !== undefined) checkInteger(fn, 'trainSize', trainSize, 1);
  if (testSize !== undefined) checkInteger(fn, 'testSize', testSize, 1);
  for (const key of ['source', 'cacheDir', 'url', 'md5'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new ArgumentError(`${fn}: ${key} must be a non-empty string, got ${describe(value)}`);
    }
  }
  if (options.md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(options.md5)) {
    throw new ArgumentError(`${fn}: md5 must be 32 hex digits, got ${describe(options.md5)}`);
  }
  if (options.expectedSize !== undefined) checkInteger(fn, 'expectedSize', options.expectedSize, 1);
  if (options.progress !== undefined && typeof options.progress !== 'boolean') {
    throw new ArgumentError(`${fn}: progress must be a boolean, got ${describe(options.progress)}`);
  }

  let source: string;
  let what: string; // how the source was chosen, for error messages
  if (options.source !== undefined) {
    source = path.resolve(options.source);
    what = 'source';
  } else if (process.env.DL_COURSE_CIFAR10) {
    source = path.resolve(process.env.DL_COURSE_CIFAR10);
    what = 'env DL_COURSE_CIFAR10';
  } else {
    source = await ensureArchive(options);
    what = 'cached archive';
  }

  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(source);
  } catch {
    throw new ArgumentError(`${fn}: ${what} ${source} does not exist; give a .tar.gz archive or a cifar-10-batches-bin folder`);
  }
  const members = stat.isDirectory() ? await readFolder(source) : await readArchive(source);
  const data = assemble(members, source, !stat.isDirectory());

  if (trainSize !== undefined) data.train = firstExamples(fn, 'trainSize', data.train, trainSize, 'train');
  if (testSize !== undefined) data.test = firstExamples(fn, 'testSize', data.test, testSize, 'test');
  return data;
}


/** How to give loadCifar10 a local copy instead of downloading, for StorageError messages. */
const LOCAL_COPY = '--data PATH or DL_COURSE_CIFAR10=PATH (option source)';

/**
 * Returns the path of the cached archive, verified against its MD5,
 * downloading it if it is missing, of the wrong size or damaged.
 */
async function ensureArchive(options: LoadCifar10Options): Promise<string> {
  const fn = 'loadCifar10';
  const { dir, origin } = resolveCacheFolder(fn, options.cacheDir, 'cifar10', LOCAL_COPY);
  const archive = path.join(dir, ARCHIVE_NAME);
  const expectedSize = options.expectedSize ?? CIFAR10_ARCHIVE_BYTES;
  const md5 = (options.md5 ?? CIFAR10_MD5).toLowerCase();
  // Only a verified download is renamed to this name, yet a disk error or a
  // copy by hand can leave wrong bytes of the right size there: the MD5 is
  // checked the first time the file is used and remembered in a stamp file
  // (<archive>.verified), so later runs do not hash 170 MB again.
  const check = await verifyCachedFile(archive, md5, expectedSize);
  if (check.status === 'ok') return archive;
  if (check.status === 'bad') {
    process.stderr.write(`${fn}: the cached archive ${archive} is damaged: its MD5 is ${check.actual}, expected ${md5}; downloading it again\n`);
  } else if (check.status === 'size') {
    process.stderr.write(`${fn}: the cached archive ${archive} has ${check.size} bytes, expected ${expectedSize}; downloading it again\n`);
  }
  const fixes = cacheFixes(LOCAL_COPY);
  await checkWritableFolder(fn, dir, `cache folder (from ${origin})`, fixes);
  try {
    await downloadFile({
      url: options.url ?? CIFAR10_URL,
      dest: archive,
      expectedSize,
      md5,
      progress: options.progress ?? true,
      label: ARCHIVE_NAME,
    });
  } catch (err) {
    if (err instanceof StorageError) throw new StorageError(`${fn}: ${err.message} ${fixes}`);
    if (err instanceof DownloadError && check.status === 'bad') {
      throw new DownloadError(
        `${fn}: the cached archive ${archive} is damaged (MD5 ${check.actual}, expected ${md5}) and a fresh copy could not be downloaded: ${err.message}`,
      );
    }
    throw err;
  }
  await forgetVerified(archive); // a stamp of the replaced file no longer applies
  return archive;
}

/** Member name (without the folder) -> content. */
type Members = Map<string, Buffer>;

/** Reads the wanted members of a .tar.gz into memory; everything else is skipped. */
async function readArchive(file: string): Promise<Members> {
  const fn = 'loadCifar10';
  const head = Buffer.alloc(64);
  const handle = await fs.promises.open(file, 'r');
  let headBytes: number;
  try {
    ({ bytesRead: headBytes } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  if (headBytes === 0) {
    throw new DataFormatError(`${fn}: ${file} is empty, not a gzip archive; delete it and download again`);
  }
  if (headBytes < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
    const preview = head.subarray(0, Math.min(headBytes, 15)).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    throw new DataFormatError(
      `${fn}: ${file} is not a gzip archive (starts with "${preview}${headBytes > 15 ? '...' : ''}"); delete it and download again`,
    );
  }

  const wanted = new Set(MEMBERS.map((m) => `${FOLDER}/${m}`));
  const members: Members = new Map();
  const extract = tar.extract();
  const piping = pipeline(fs.createReadStream(file), zlib.createGunzip(), extract);
  piping.catch(() => undefined); // the error is reported below, once
  try {
    for await (const entry of extract) {
      const name = entry.header.name.replace(/^\.\//, '');
      checkMemberSize(file, name, entry.header, entry.header.type === 'file' && wanted.has(name));
      if (entry.header.type === 'file' && wanted.has(name)) {
        members.set(name.slice(FOLDER.length + 1), await readEntry(entry, true));
      } else {
        await readEntry(entry, false); // skip: readme.html, folders, anything else
      }
    }
    await piping;
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    const reason = (err as Error).message;
    throw new DataFormatError(`${fn}: ${file} is truncated or corrupt (${reason}); delete it and download again`);
  }
  return members;
}

/** Largest batches.meta.txt read from an archive (the official one has 61 bytes). */
const MAX_META_BYTES = 64 * 1024;

/**
 * Checks a tar member's declared size before any of its data is read: tar-stream
 * waits forever on a size that is not a non-negative integer (a corrupt or
 * negative base-256 field) and on a folder entry whose size is not 0; a wanted
 * member's size must fit its content, so a lying header or a gzip bomb fails
 * here instead of being inflated into memory.
 */
function checkMemberSize(file: string, name: string, header: tar.Headers, wanted: boolean): void {
  const fn = 'loadCifar10';
  const size: unknown = header.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || (header.type === 'directory' && size !== 0)) {
    const expected = header.type === 'directory' ? '0 for a folder' : 'an integer >= 0';
    throw new DataFormatError(
      `${fn}: ${file} is corrupt: the tar header of member ${name} has size ${String(size)}, expected ${expected}; delete it and download again`,
    );
  }
  if (!wanted) return;
  if (name.endsWith(`/${META_MEMBER}`)) {
    if (size > MAX_META_BYTES) {
      throw new DataFormatError(
        `${fn}: ${file}: ${name} is ${size} bytes, expected at most ${MAX_META_BYTES} for a list of ${NUM_CLASSES} class names; the archive is corrupt or not CIFAR-10`,
      );
    }
  } else {
    recordCount(size, `${file}: ${name}`);
  }
}

/** Reads a tar entry to its end, keeping the bytes only if `keep`. */
async function readEntry(entry: tar.Entry, keep: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // tar-stream's typings declare an iterator TS 5.9 rejects; the stream is a normal async iterable.
  for await (const chunk of entry as unknown as AsyncIterable<Buffer>) if (keep) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Reads the members from an extracted folder: `cifar-10-batches-bin` itself or its parent. */
async function readFolder(folder: string): Promise<Members> {
  const nested = path.join(folder, FOLDER);
  const dir = fs.existsSync(nested) && fs.statSync(nested).isDirectory() ? nested : folder;
  const members: Members = new Map();
  for (const m of MEMBERS) {
    const file = path.join(dir, m);
    try {
      members.set(m, await fs.promises.readFile(file));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      if (code === 'EISDIR') throw new DataFormatError(`loadCifar10: ${file} is a folder, not a CIFAR-10 member file`);
      if (code === 'EACCES' || code === 'EPERM') throw new StorageError(`loadCifar10: cannot read ${file} (permission denied); give a copy you can read with --data or DL_COURSE_CIFAR10`);
      throw err;
    }
  }
  return members;
}

/** Checks the members and decodes them into splits. */
function assemble(members: Members, source: string, isArchive: boolean): Cifar10Data {
  const fn = 'loadCifar10';
  const missing = MEMBERS.filter((m) => !members.has(m));
  if (missing.length > 0) {
    throw new DataFormatError(
      `${fn}: ${source} lacks ${missing.map((m) => `${FOLDER}/${m}`).join(', ')}; ` +
        `expected ${FOLDER}/ with ${MEMBERS.join(', ')}` +
        (isArchive ? ' (is the archive truncated, or not the binary version of CIFAR-10?)' : ''),
    );
  }

  const meta = members.get(META_MEMBER)!.toString('utf8');
  const classNames = meta.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
  if (classNames.length !== NUM_CLASSES) {
    throw new DataFormatError(
      `${fn}: ${source}: ${FOLDER}/${META_MEMBER} lists ${classNames.length} class names, expected ${NUM_CLASSES}`,
    );
  }

  const split = (names: string[]): LabeledExamples => {
    const counts = names.map((m) => {
      const n = recordCount(members.get(m)!.length, `${source}: ${FOLDER}/${m}`);
      if (n === 0) throw new DataFormatError(`${fn}: ${source}: ${FOLDER}/${m} is empty (0 records)`);
      return n;
    });
    const n = counts.reduce((a, b) => a + b, 0);
    const out: LabeledExamples = { n, pixels: new Uint8Array(n * IMAGE_BYTES), labels: new Int32Array(n), imageShape: IMAGE_SHAPE };
    let offset = 0;
    names.forEach((m, i) => {
      decodeInto(members.get(m)!, `${source}: ${FOLDER}/${m}`, out, offset);
      members.delete(m); // let the raw bytes be collected
      offset += counts[i];
    });
    return out;
  };
  const train = split(TRAIN_MEMBERS);
  const test = split([TEST_MEMBER]);
  return { train, test, classNames, source };
}
