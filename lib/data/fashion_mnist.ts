/**
 * Fashion-MNIST reader and loader (Xiao, Rasul & Vollgraf 2017, "Fashion-MNIST:
 * a Novel Image Dataset for Benchmarking Machine Learning Algorithms",
 * arXiv:1708.07747): 60,000 training and 10,000 test 28×28 grey images of 10
 * kinds of clothing, stored like MNIST in the IDX format (LeCun et al., "THE
 * MNIST DATABASE", section "FILE FORMATS FOR THE MNIST DATABASE"): a
 * big-endian header — magic number (two zero bytes, a type byte, 0x08 for
 * unsigned bytes, and the number of dimensions), then each dimension as a
 * 32-bit big-endian integer — followed by the values, row-major.
 *
 * Image files have magic 2051 (0x00000803) and dimensions n, rows, cols, so
 * 16 + n·rows·cols bytes; label files have magic 2049 (0x00000801) and one
 * dimension n, so 8 + n bytes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ArgumentError, DataFormatError, DownloadError, StorageError, checkInteger, describe } from '../core/errors';
import { firstExamples, type LabeledExamples } from '../core/examples';
import { cacheFixes, checkWritableFolder, defaultCacheDir, forgetVerified, resolveCacheFolder, verifyCachedFile } from './cache';
import { downloadFile } from './download';

/** Official download folder (Zalando's S3 website; plain http only). */
export const FASHION_MNIST_BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Key of one of the four files in {@link FASHION_MNIST_FILES}. */
export type FashionMnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** One of the four official files. */
export interface FashionMnistFile {
  /** File name, as on the download server. */
  readonly name: string;
  /** MD5 (hex) of the .gz file as downloaded, from the Fashion-MNIST README. */
  readonly md5: string;
}

/** The four files, as the Fashion-MNIST README lists them, with their MD5 (of the .gz as downloaded). */
export const FASHION_MNIST_FILES: Readonly<Record<FashionMnistFileKey, FashionMnistFile>> = Object.freeze({
  trainImages: Object.freeze({ name: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' }),
  trainLabels: Object.freeze({ name: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe' }),
  testImages: Object.freeze({ name: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79' }),
  testLabels: Object.freeze({ name: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310' }),
});

const FILE_KEYS: FashionMnistFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/**
 * Where Debian's `dataset-fashion-mnist` package installs the four .gz files.
 * Its .gz files are recompressed (their MD5s differ from the README's) but
 * hold the same bytes once decompressed.
 */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The 10 class names, index = label (from the Fashion-MNIST README). */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** Magic number of an IDX file of unsigned-byte images: 0x00000803. */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned-byte labels: 0x00000801. */
export const IDX_LABELS_MAGIC = 2049;

const NUM_CLASSES = 10;

/** Images decoded from an IDX image file. */
export interface IdxImages {
  /** Number of images. */
  n: number;
  /** Rows (height) of each image. */
  rows: number;
  /** Columns (width) of each image. */
  cols: number;
  /** `[n, rows, cols]` uint8, row-major (a view of the file's bytes). */
  pixels: Uint8Array;
}

function hex8(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

function magicName(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return ', IDX images';
  if (magic === IDX_LABELS_MAGIC) return ', IDX labels';
  if ((magic >>> 16) === 0x1f8b) return ', gzip data: decompress it first';
  return '';
}

function checkBytes(fn: string, bytes: unknown, name: unknown): void {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${fn}: bytes must be a Uint8Array (or Buffer), got ${describe(bytes)}`);
  if (typeof name !== 'string') throw new ArgumentError(`${fn}: name must be a string (used in error messages), got ${describe(name)}`);
}

/** Reads the big-endian uint32 header fields; throws when the file is shorter than the header or the magic is wrong. */
function readHeader(fn: string, bytes: Uint8Array, name: string, magic: number, what: string, headerBytes: number): DataView {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = bytes.length >= 4 ? view.getUint32(0, false) : magic; // big-endian
  if (found !== magic) {
    throw new DataFormatError(
      `${fn}: ${name} starts with magic number ${found} (${hex8(found)}${magicName(found)}) but an IDX ${what} file starts with ${magic} (${hex8(magic)})`,
    );
  }
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${fn}: ${name} has ${bytes.length} bytes, shorter than the ${headerBytes}-byte header of an IDX ${what} file`);
  }
  return view;
}

/**
 * Parses an IDX image file (magic 2051, unsigned bytes, dimensions n, rows, cols).
 * @param bytes - the whole (decompressed) file, `[16 + n·rows·cols]` uint8.
 * @param name - the file's name, for error messages.
 * @returns n, rows, cols and `pixels` `[n, rows, cols]` uint8 (a view of `bytes`, not a copy).
 * @throws {DataFormatError} when the file is shorter than its header, the magic is not 2051,
 *   rows or cols is 0, or its length is not 16 + n·rows·cols.
 * @example
 * ```ts
 * // header: magic 2051, n = 1, rows = 2, cols = 2, then 4 pixels
 * const bytes = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 0, 64, 128, 255]);
 * const images = parseIdxImages(bytes, 'tiny');
 * [images.n, images.rows, images.cols]; // [1, 2, 2]
 * images.pixels; // Uint8Array [0, 64, 128, 255]
 * ```
 */
export function parseIdxImages(bytes: Uint8Array, name: string): IdxImages {
  const fn = 'parseIdxImages';
  checkBytes(fn, bytes, name);
  const view = readHeader(fn, bytes, name, IDX_IMAGES_MAGIC, 'image', 16);
  const n = view.getUint32(4, false);
  const rows = view.getUint32(8, false);
  const cols = view.getUint32(12, false);
  if (rows === 0 || cols === 0) {
    // else a 16-byte file would "hold" up to 2^32 - 1 images of no pixels
    throw new DataFormatError(
      `${fn}: ${name} has rows = ${rows}, cols = ${cols} in its header (n = ${n}); an image needs rows >= 1 and cols >= 1, so the file is corrupt or not an IDX image file`,
    );
  }
  const expected = 16 + n * rows * cols;
  if (bytes.length !== expected) {
    throw new DataFormatError(
      `${fn}: ${name} has ${bytes.length} bytes but its header (n = ${n}, rows = ${rows}, cols = ${cols}) needs 16 + n·rows·cols = ${expected}; ` +
        `the file is ${bytes.length < expected ? 'truncated' : 'longer than its header says'} or not an IDX image file`,
    );
  }
  return { n, rows, cols, pixels: bytes.subarray(16) };
}

/**
 * Parses an IDX label file (magic 2049, unsigned bytes, one dimension n).
 * @param bytes - the whole (decompressed) file, `[8 + n]` uint8.
 * @param name - the file's name, for error messages.
 * @param numClasses - labels must be in [0, numClasses). @default 10
 * @returns `[n]` int32 class indices.
 * @throws {DataFormatError} when the file is shorter than its header, the magic is not 2049,
 *   its length is not 8 + n, or a label is ≥ numClasses.
 * @example
 * ```ts
 * parseIdxLabels(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 9, 2, 1]), 'tiny'); // Int32Array [9, 2, 1]
 * ```
 */
export function parseIdxLabels(bytes: Uint8Array, name: string, numClasses = NUM_CLASSES): Int32Array {
  const fn = 'parseIdxLabels';
  checkBytes(fn, bytes, name);
  checkInteger(fn, 'numClasses', numClasses, 1, 256);
  const view = readHeader(fn, bytes, name, IDX_LABELS_MAGIC, 'label', 8);
  const n = view.getUint32(4, false);
  if (bytes.length !== 8 + n) {
    throw new DataFormatError(
      `${fn}: ${name} has ${bytes.length} bytes but its header (n = ${n}) needs 8 + n = ${8 + n}; ` +
        `the file is ${bytes.length < 8 + n ? 'truncated' : 'longer than its header says'} or not an IDX label file`,
    );
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = bytes[8 + i];
    if (label >= numClasses) throw new DataFormatError(`${fn}: ${name} label ${i} is ${label}; labels must be in 0..${numClasses - 1}`);
    labels[i] = label;
  }
  return labels;
}

/**
 * Whether `bytes` start with gzip's magic bytes 0x1f 0x8b (RFC 1952 §2.3.1);
 * the file name is not trusted.
 * @example
 * ```ts
 * isGzip(new Uint8Array([0x1f, 0x8b, 8, 0])); // true (the first bytes of every .gz file)
 * isGzip(new Uint8Array([0, 0, 8, 3]));       // false (an IDX image file)
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a file and decompresses it when it is gzip (by its magic bytes). */
async function readIdxFile(fn: string, file: string): Promise<Buffer> {
  const raw = await fs.promises.readFile(file);
  if (!isGzip(raw)) return raw;
  return gunzipIdx(fn, file, raw);
}

/**
 * Gunzips an IDX file, stopping as soon as the output is longer than its header
 * declares (16 + n·rows·cols bytes for images, 8 + n for labels): a gzip bomb
 * or a header that lies costs at most one zlib chunk beyond the declared
 * length, never the inflated size. Output that does not start with an IDX
 * magic number is cut after 16 bytes, enough for the parser to report it.
 */
function gunzipIdx(fn: string, file: string, raw: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gz = zlib.createGunzip({ chunkSize: 64 * 1024 });
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (err: Error | null, out?: Buffer): void => {
      if (settled) return;
      settled = true;
      gz.destroy();
      if (err) reject(err);
      else resolve(out!);
    };
    let declared = Infinity; // bytes the IDX header declares, once 16 bytes are out
    let header = '';
    let what = '';
    gz.on('data', (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      total += chunk.length;
      if (declared === Infinity && total >= 16) {
        const head = Buffer.concat(chunks, 16);
        const magic = head.readUInt32BE(0);
        if (magic === IDX_IMAGES_MAGIC) {
          const [n, rows, cols] = [head.readUInt32BE(4), head.readUInt32BE(8), head.readUInt32BE(12)];
          declared = 16 + n * rows * cols;
          header = `(n = ${n}, rows = ${rows}, cols = ${cols}) declares, 16 + n·rows·cols = ${declared}`;
          what = 'image';
        } else if (magic === IDX_LABELS_MAGIC) {
          const n = head.readUInt32BE(4);
          declared = 8 + n;
          header = `(n = ${n}) declares, 8 + n = ${declared}`;
          what = 'label';
        } else {
          settle(null, head); // not IDX: the parser reports the magic number
          return;
        }
      }
      if (total > declared) {
        settle(new DataFormatError(
          `${fn}: ${file} decompresses to more bytes than its header ${header} (stopped after ${total} bytes); ` +
            `the file is longer than its header says or not an IDX ${what} file`,
        ));
      }
    });
    gz.on('error', (err) => {
      settle(new DataFormatError(`${fn}: ${file} is gzip data (magic bytes 1f 8b) but is truncated or corrupt (${err.message}); delete it and download again`));
    });
    gz.on('end', () => settle(null, Buffer.concat(chunks, total)));
    gz.end(raw);
  });
}


/** Both splits, the class names and where they were read from. */
export interface FashionMnistData {
  /** 60,000 images in the official data. */
  train: LabeledExamples;
  /** 10,000 images in the official data. */
  test: LabeledExamples;
  /** {@link FASHION_MNIST_CLASSES}. */
  classNames: string[];
  /** The folder the four files were read from. */
  source: string;
  /** How the folder was chosen: the `source` option, env `DL_COURSE_FASHION_MNIST`, Debian's package, or the download cache. */
  origin: 'source' | 'env' | 'system' | 'download';
}

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /**
   * A folder holding the four files, each gzip-compressed (`name.gz`) or not (`name`).
   * Checked for structure, not checksums.
   * @default env `DL_COURSE_FASHION_MNIST`, else `systemDir` when it holds the four files, else a download into `cacheDir`
   */
  source?: string;
  /** Folder of a system-wide copy, or `false` to ignore it. @default {@link DEBIAN_FASHION_MNIST_DIR} */
  systemDir?: string | false;
  /** Cache folder; files go to `<cacheDir>/fashion-mnist/`. @default {@link defaultCacheDir}() */
  cacheDir?: string;
  /** Where to download from (a folder URL ending in `/`). @default {@link FASHION_MNIST_BASE_URL} */
  baseUrl?: string;
  /** Expected MD5 (hex) of each downloaded file. @default those of {@link FASHION_MNIST_FILES} */
  md5?: Partial<Record<FashionMnistFileKey, string>>;
  /** Keep only the first `trainSize` training images. @default all */
  trainSize?: number;
  /** Keep only the first `testSize` test images. @default all */
  testSize?: number;
  /** Show download progress on stderr. @default true */
  progress?: boolean;
}

/** Path of `base` (with or without `.gz`) in `folder`, or undefined. */
function findFile(folder: string, gzName: string): string | undefined {
  for (const candidate of [gzName, gzName.replace(/\.gz$/, '')]) {
    const file = path.join(folder, candidate);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return undefined;
}


/**
 * Loads Fashion-MNIST: from `source` (or env `DL_COURSE_FASHION_MNIST`), else
 * from Debian's `dataset-fashion-mnist` files when installed, else from the
 * official files downloaded once into the cache, each verified by its MD5 and
 * written atomically (like {@link loadCifar10}). A cached file is reused when
 * its MD5 is right. Files are recognised as gzip by their magic bytes, not by
 * their names.
 * @returns train `[60000, 28, 28]` uint8 + `[60000]` int32 and test `[10000, 28, 28]`
 *   uint8 + `[10000]` int32 for the official data (fewer with `trainSize`/`testSize`).
 * @throws {ArgumentError} when an option has the wrong type, `source` is not a folder
 *   holding the four files, or `trainSize`/`testSize` exceeds the images available.
 * @throws {DataFormatError} when a file is corrupt gzip, not IDX, of the wrong length
 *   for its header, has a label > 9, or a split's image and label counts differ.
 * @throws {DownloadError} when a download fails (HTTP status, connection, MD5).
 * @throws {StorageError} when the cache folder cannot be used (read-only, not a folder, permission denied) or the disk is full; the message names the folder and the fixes.
 * @example
 * ```ts
 * const data = await loadFashionMnist(); // Debian's copy, or a download
 * data.train.n;                   // 60000
 * data.test.labels.slice(0, 3);   // Int32Array [9, 2, 1]
 * data.classNames[9];             // 'Ankle boot'
 * ```
 * @see [Notebook 02 §3 An evaluation step is a decision with a threshold](../../notebooks/02-core-concepts.ipynb#3.-An-evaluation-step-is-a-decision-with-a-threshold)
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 09 §1 An overfit model leaks its training set](../../notebooks/09-summary-and-challenges.ipynb#1.-An-overfit-model-leaks-its-training-set)
 * @see [Notebook 10: questions, and training efficiency](../../notebooks/10-questions-and-efficiency.ipynb#Chapter-10:-questions,-and-training-efficiency)
 */
export async function loadFashionMnist(options: LoadFashionMnistOptions = {}): Promise<FashionMnistData> {
  const fn = 'loadFashionMnist';
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const { trainSize, testSize } = options;
  if (trainSize !== undefined) checkInteger(fn, 'trainSize', trainSize, 1);
  if (testSize !== undefined) checkInteger(fn, 'testSize', testSize, 1);
  for (const key of ['source', 'cacheDir', 'baseUrl'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new ArgumentError(`${fn}: ${key} must be a non-empty string, got ${describe(value)}`);
  }
  if (options.systemDir !== undefined && options.systemDir !== false && (typeof options.systemDir !== 'string' || options.systemDir === '')) {
    throw new ArgumentError(`${fn}: systemDir must be a folder path or false, got ${describe(options.systemDir)}`);
  }
  if (options.progress !== undefined && typeof options.progress !== 'boolean') throw new ArgumentError(`${fn}: progress must be a boolean, got ${describe(options.progress)}`);
  if (options.md5 !== undefined) {
    if (options.md5 === null || typeof options.md5 !== 'object') throw new ArgumentError(`${fn}: md5 must be an object of hex digests, got ${describe(options.md5)}`);
    for (const [key, value] of Object.entries(options.md5)) {
      if (!FILE_KEYS.includes(key as FashionMnistFileKey)) throw new ArgumentError(`${fn}: md5 has unknown key '${key}'; keys are ${FILE_KEYS.join(', ')}`);
      if (typeof value !== 'string' || !/^[0-9a-fA-F]{32}$/.test(value)) throw new ArgumentError(`${fn}: md5.${key} must be 32 hex digits, got ${describe(value)}`);
    }
  }

  let folder: string;
  let origin: FashionMnistData['origin'];
  const systemDir = options.systemDir === undefined ? DEBIAN_FASHION_MNIST_DIR : options.systemDir;
  if (options.source !== undefined) {
    folder = path.resolve(options.source);
    origin = 'source';
  } else if (process.env.DL_COURSE_FASHION_MNIST) {
    folder = path.resolve(process.env.DL_COURSE_FASHION_MNIST);
    origin = 'env';
  } else if (systemDir !== false && FILE_KEYS.every((k) => findFile(systemDir, FASHION_MNIST_FILES[k].name) !== undefined)) {
    folder = systemDir;
    origin = 'system';
  } else {
    folder = await ensureDownloaded(options);
    origin = 'download';
  }

  const what = origin === 'env' ? 'env DL_COURSE_FASHION_MNIST' : origin === 'source' ? 'source' : 'folder';
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new ArgumentError(`${fn}: ${what} ${folder} is not a folder; give the folder holding ${FILE_KEYS.map((k) => FASHION_MNIST_FILES[k].name).join(', ')}`);
  }
  const files = {} as Record<FashionMnistFileKey, string>;
  const missing: string[] = [];
  for (const key of FILE_KEYS) {
    const file = findFile(folder, FASHION_MNIST_FILES[key].name);
    if (file === undefined) missing.push(FASHION_MNIST_FILES[key].name);
    else files[key] = file;
  }
  if (missing.length > 0) {
    throw new ArgumentError(`${fn}: ${what} ${folder} lacks ${missing.join(', ')} (each may also be stored without .gz)`);
  }

  const readSplit = async (imagesKey: FashionMnistFileKey, labelsKey: FashionMnistFileKey, which: string): Promise<LabeledExamples> => {
    const images = parseIdxImages(await readIdxFile(fn, files[imagesKey]), files[imagesKey]);
    const labels = parseIdxLabels(await readIdxFile(fn, files[labelsKey]), files[labelsKey]);
    if (images.n !== labels.length) {
      throw new DataFormatError(`${fn}: the ${which} split has ${images.n} images (${files[imagesKey]}) but ${labels.length} labels (${files[labelsKey]}); they must match`);
    }
    return { n: images.n, pixels: images.pixels, labels, imageShape: [images.rows, images.cols, 1] };
  };
  let train = await readSplit('trainImages', 'trainLabels', 'train');
  let test = await readSplit('testImages', 'testLabels', 'test');
  if (trainSize !== undefined) train = firstExamples(fn, 'trainSize', train, trainSize, 'train');
  if (testSize !== undefined) test = firstExamples(fn, 'testSize', test, testSize, 'test');
  return { train, test, classNames: [...FASHION_MNIST_CLASSES], source: folder, origin };
}


/** How to give loadFashionMnist a local copy instead of downloading, for StorageError messages. */
const LOCAL_COPY = `DL_COURSE_FASHION_MNIST=DIR (option source), or Debian's dataset-fashion-mnist package in ${DEBIAN_FASHION_MNIST_DIR}`;

/**
 * Downloads any of the four files not already cached with the right MD5;
 * returns the cache folder. The MD5 of a cached file is computed the first
 * time it is used and remembered in `<file>.verified`.
 */
async function ensureDownloaded(options: LoadFashionMnistOptions): Promise<string> {
  const fn = 'loadFashionMnist';
  const { dir: folder, origin } = resolveCacheFolder(fn, options.cacheDir, 'fashion-mnist', LOCAL_COPY);
  const fixes = cacheFixes(LOCAL_COPY);
  const baseUrl = options.baseUrl ?? FASHION_MNIST_BASE_URL;
  let folderChecked = false;
  for (const key of FILE_KEYS) {
    const { name } = FASHION_MNIST_FILES[key];
    const md5 = (options.md5?.[key] ?? FASHION_MNIST_FILES[key].md5).toLowerCase();
    const dest = path.join(folder, name);
    // Only a verified download is renamed to this name, but a file copied in
    // by hand or damaged on disk is caught by the MD5 check on first use.
    const check = await verifyCachedFile(dest, md5);
    if (check.status === 'ok') continue;
    if (check.status === 'bad') {
      process.stderr.write(`${fn}: the cached file ${dest} is damaged: its MD5 is ${check.actual}, expected ${md5}; downloading it again\n`);
    }
    if (!folderChecked) {
      await checkWritableFolder(fn, folder, `cache folder (from ${origin})`, fixes);
      folderChecked = true;
    }
    try {
      await downloadFile({ url: new URL(name, baseUrl).href, dest, md5, progress: options.progress ?? true, label: name });
    } catch (err) {
      if (err instanceof StorageError) throw new StorageError(`${fn}: ${err.message} ${fixes}`);
      if (err instanceof DownloadError && check.status === 'bad') {
        throw new DownloadError(
          `${fn}: the cached file ${dest} is damaged (MD5 ${check.actual}, expected ${md5}) and a fresh copy could not be downloaded: ${err.message}`,
        );
      }
      throw err;
    }
    await forgetVerified(dest); // a stamp of the replaced file no longer applies
  }
  return folder;
}
