import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_BASE_URL,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  isGzip,
  loadFashionMnist,
  parseIdxImages,
  parseIdxLabels,
} from '../../lib/data/fashion_mnist';
import { ArgumentError, DataFormatError, DownloadError } from '../../lib/core/errors';
import { makeTmpDir, startServer, type LocalServer } from './helpers';

/** An IDX image file built byte by byte from the format spec: big-endian magic 2051, n, rows, cols, then pixels. */
function idxImages(n: number, rows: number, cols: number, pixel: (i: number, p: number) => number = (i, p) => (i * 7 + p) & 255): Buffer {
  const out = Buffer.alloc(16 + n * rows * cols);
  out.writeUInt32BE(2051, 0);
  out.writeUInt32BE(n, 4);
  out.writeUInt32BE(rows, 8);
  out.writeUInt32BE(cols, 12);
  for (let i = 0; i < n; i++) for (let p = 0; p < rows * cols; p++) out[16 + i * rows * cols + p] = pixel(i, p);
  return out;
}

/** An IDX label file: big-endian magic 2049, n, then one byte per label. */
function idxLabels(labels: number[]): Buffer {
  const out = Buffer.alloc(8 + labels.length);
  out.writeUInt32BE(2049, 0);
  out.writeUInt32BE(labels.length, 4);
  labels.forEach((l, i) => (out[8 + i] = l));
  return out;
}

const TRAIN_LABELS = Array.from({ length: 12 }, (_, i) => (i * 3) % 10);
const TEST_LABELS = [9, 2, 1, 1, 6];

/** The four files of a small synthetic Fashion-MNIST (28×28), gzip-compressed unless told otherwise. */
function syntheticFiles(gzip = true): Record<string, Buffer> {
  const raw: Record<string, Buffer> = {
    [FASHION_MNIST_FILES.trainImages.name]: idxImages(12, 28, 28),
    [FASHION_MNIST_FILES.trainLabels.name]: idxLabels(TRAIN_LABELS),
    [FASHION_MNIST_FILES.testImages.name]: idxImages(5, 28, 28, (i, p) => (255 - i - p) & 255),
    [FASHION_MNIST_FILES.testLabels.name]: idxLabels(TEST_LABELS),
  };
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, gzip ? zlib.gzipSync(v) : v]));
}

function writeFiles(dir: string, files: Record<string, Buffer>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
  return dir;
}

const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

describe('the format constants', () => {
  it('have the magic numbers of the MNIST page: 0x00000803 for images, 0x00000801 for labels', () => {
    expect(IDX_IMAGES_MAGIC).toBe(0x0803);
    expect(IDX_LABELS_MAGIC).toBe(0x0801);
  });
  it('list the README classes and MD5s', () => {
    expect(FASHION_MNIST_CLASSES).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(FASHION_MNIST_FILES.trainImages.md5).toBe('8d4fb7e6c68d591d4c3dfef9ec88bf0d');
    expect(FASHION_MNIST_BASE_URL).toBe('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/');
  });
});

describe('parseIdxImages', () => {
  it('reads the big-endian header: n = 258 is bytes 00 00 01 02, not 02 01 00 00', () => {
    const bytes = idxImages(258, 2, 3);
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 1, 2]);
    const images = parseIdxImages(bytes, 'file');
    expect([images.n, images.rows, images.cols]).toEqual([258, 2, 3]);
    expect(images.pixels.length).toBe(258 * 6);
    expect(images.pixels[6 * 5 + 4]).toBe((5 * 7 + 4) & 255); // image 5, pixel 4
  });
  it('rejects a file one byte short or one byte long: the length must be 16 + n·rows·cols', () => {
    const bytes = idxImages(3, 28, 28);
    expect(() => parseIdxImages(bytes.subarray(0, bytes.length - 1), 'short.idx')).toThrow(DataFormatError);
    expect(() => parseIdxImages(bytes.subarray(0, bytes.length - 1), 'short.idx')).toThrow(
      'parseIdxImages: short.idx has 2367 bytes but its header (n = 3, rows = 28, cols = 28) needs 16 + n·rows·cols = 2368; the file is truncated or not an IDX image file',
    );
    expect(() => parseIdxImages(Buffer.concat([bytes, Buffer.from([0])]), 'long.idx')).toThrow(/longer than its header says/);
  });
  it('rejects a label file, gzip bytes and a file shorter than the header, naming the magic found', () => {
    expect(() => parseIdxImages(idxLabels([1, 2]), 'labels.idx')).toThrow('parseIdxImages: labels.idx starts with magic number 2049 (0x00000801, IDX labels) but an IDX image file starts with 2051 (0x00000803)');
    expect(() => parseIdxImages(zlib.gzipSync(idxImages(1, 2, 2)), 'x.gz')).toThrow(/gzip data: decompress it first/);
    expect(() => parseIdxImages(idxImages(1, 2, 2).subarray(0, 10), 'tiny')).toThrow('parseIdxImages: tiny has 10 bytes, shorter than the 16-byte header of an IDX image file');
  });
});

describe('parseIdxLabels', () => {
  it('reads n labels after the 8-byte header', () => {
    expect(Array.from(parseIdxLabels(idxLabels([9, 2, 1, 1, 6]), 'l'))).toEqual([9, 2, 1, 1, 6]);
  });
  it('rejects a length other than 8 + n and a label above 9', () => {
    expect(() => parseIdxLabels(idxLabels([1, 2, 3]).subarray(0, 10), 'l')).toThrow('parseIdxLabels: l has 10 bytes but its header (n = 3) needs 8 + n = 11; the file is truncated or not an IDX label file');
    expect(() => parseIdxLabels(idxLabels([1, 10]), 'l')).toThrow('parseIdxLabels: l label 1 is 10; labels must be in 0..9');
  });
  it('rejects an image file', () => {
    expect(() => parseIdxLabels(idxImages(1, 1, 1), 'img')).toThrow(/magic number 2051 .*IDX images/);
  });
});

describe('isGzip', () => {
  it('looks at the magic bytes 1f 8b only', () => {
    expect(isGzip(zlib.gzipSync(Buffer.from('anything')))).toBe(true);
    expect(isGzip(idxLabels([1]))).toBe(false);
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false);
  });
});

describe('loadFashionMnist from a folder', () => {
  afterEach(() => {
    delete process.env.DL_COURSE_FASHION_MNIST;
  });

  it('reads gzip-compressed files into flat uint8 pixels and int32 labels', async () => {
    const dir = writeFiles(path.join(makeTmpDir(), 'fm'), syntheticFiles(true));
    const data = await loadFashionMnist({ source: dir });
    expect(data.origin).toBe('source');
    expect(data.source).toBe(dir);
    expect([data.train.n, data.train.imageShape![0], data.train.imageShape![1], data.test.n]).toEqual([12, 28, 28, 5]);
    expect(data.train.pixels.length).toBe(12 * 784);
    expect(data.train.pixels[784 * 3 + 10]).toBe((3 * 7 + 10) & 255);
    expect(Array.from(data.train.labels)).toEqual(TRAIN_LABELS);
    expect(Array.from(data.test.labels)).toEqual(TEST_LABELS);
    expect(data.classNames[9]).toBe('Ankle boot');
  });

  it('reads uncompressed files, and detects gzip by magic bytes, not by name', async () => {
    const files = syntheticFiles(false);
    const dir = makeTmpDir();
    // raw IDX stored under the .gz name, and gzip data stored under the name without .gz
    fs.writeFileSync(path.join(dir, FASHION_MNIST_FILES.trainImages.name), files[FASHION_MNIST_FILES.trainImages.name]);
    fs.writeFileSync(path.join(dir, FASHION_MNIST_FILES.trainLabels.name.replace('.gz', '')), zlib.gzipSync(files[FASHION_MNIST_FILES.trainLabels.name]));
    fs.writeFileSync(path.join(dir, FASHION_MNIST_FILES.testImages.name.replace('.gz', '')), files[FASHION_MNIST_FILES.testImages.name]);
    fs.writeFileSync(path.join(dir, FASHION_MNIST_FILES.testLabels.name), files[FASHION_MNIST_FILES.testLabels.name]);
    const data = await loadFashionMnist({ source: dir });
    expect(Array.from(data.train.labels)).toEqual(TRAIN_LABELS);
    expect(data.test.pixels[0]).toBe(255);
  });

  it('keeps the first trainSize / testSize images as copies', async () => {
    const dir = writeFiles(makeTmpDir(), syntheticFiles());
    const data = await loadFashionMnist({ source: dir, trainSize: 4, testSize: 2 });
    expect([data.train.n, data.train.pixels.length, data.test.n]).toEqual([4, 4 * 784, 2]);
    expect(Array.from(data.train.labels)).toEqual(TRAIN_LABELS.slice(0, 4));
    await expect(loadFashionMnist({ source: dir, trainSize: 13 })).rejects.toThrow('loadFashionMnist: trainSize must be <= 12 (examples in the train split), got number 13');
  });

  it('uses env DL_COURSE_FASHION_MNIST when no source is given', async () => {
    process.env.DL_COURSE_FASHION_MNIST = writeFiles(makeTmpDir(), syntheticFiles());
    const data = await loadFashionMnist();
    expect(data.origin).toBe('env');
    expect(data.train.n).toBe(12);
  });

  it('rejects a folder that lacks files, listing them, and a split whose counts differ', async () => {
    const dir = makeTmpDir();
    await expect(loadFashionMnist({ source: dir })).rejects.toThrow(ArgumentError);
    await expect(loadFashionMnist({ source: dir })).rejects.toThrow(/lacks train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz/);
    const files = syntheticFiles();
    files[FASHION_MNIST_FILES.testLabels.name] = zlib.gzipSync(idxLabels([1, 2, 3]));
    const bad = writeFiles(makeTmpDir(), files);
    await expect(loadFashionMnist({ source: bad })).rejects.toThrow(/the test split has 5 images .* but 3 labels/);
  });

  it('rejects a truncated gzip file with a DataFormatError that says to download again', async () => {
    const files = syntheticFiles();
    const name = FASHION_MNIST_FILES.trainImages.name;
    files[name] = files[name].subarray(0, files[name].length - 20);
    const dir = writeFiles(makeTmpDir(), files);
    await expect(loadFashionMnist({ source: dir })).rejects.toThrow(DataFormatError);
    await expect(loadFashionMnist({ source: dir })).rejects.toThrow(/is gzip data \(magic bytes 1f 8b\) but is truncated or corrupt/);
  });

  it('rejects bad options, naming them', async () => {
    await expect(loadFashionMnist({ trainSize: 0 })).rejects.toThrow(/trainSize must be an integer >= 1/);
    await expect(loadFashionMnist({ source: '' })).rejects.toThrow(/source must be a non-empty string/);
    await expect(loadFashionMnist({ md5: { trainImages: 'xyz' } })).rejects.toThrow(/md5.trainImages must be 32 hex digits/);
    await expect(loadFashionMnist({ systemDir: 3 as never })).rejects.toThrow(/systemDir must be a folder path or false/);
  });
});

describe('loadFashionMnist downloading (local HTTP server)', () => {
  const files = syntheticFiles();
  const checksums = Object.fromEntries(
    (Object.keys(FASHION_MNIST_FILES) as Array<keyof typeof FASHION_MNIST_FILES>).map((k) => [k, md5(files[FASHION_MNIST_FILES[k].name])]),
  );
  let server: LocalServer;
  let served: Record<string, Buffer> = {};

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const name = (req.url ?? '/').replace(/^\/data\//, '');
      const body = served[name];
      if (!body) {
        res.writeHead(404);
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Length': body.length });
      res.end(body);
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const options = (cacheDir: string) => ({ cacheDir, systemDir: false as const, baseUrl: `${server.origin}/data/`, md5: checksums, progress: false });

  it('downloads the four files once, verified by MD5, then reads them from the cache', async () => {
    served = files;
    const cacheDir = makeTmpDir();
    const before = server.requests();
    const data = await loadFashionMnist(options(cacheDir));
    expect(data.origin).toBe('download');
    expect(data.source).toBe(path.join(cacheDir, 'fashion-mnist'));
    expect(Array.from(data.test.labels)).toEqual(TEST_LABELS);
    expect(server.requests() - before).toBe(4);
    expect(fs.readdirSync(data.source).sort()).toEqual(Object.keys(files).sort()); // no temporary files left
    const again = await loadFashionMnist(options(cacheDir));
    expect(again.train.n).toBe(12);
    expect(server.requests() - before).toBe(4); // nothing downloaded the second time
  });

  it('downloads again a cached file whose MD5 is wrong', async () => {
    served = files;
    const cacheDir = makeTmpDir();
    await loadFashionMnist(options(cacheDir));
    const cached = path.join(cacheDir, 'fashion-mnist', FASHION_MNIST_FILES.testLabels.name);
    fs.writeFileSync(cached, 'corrupted');
    const before = server.requests();
    await loadFashionMnist(options(cacheDir));
    expect(server.requests() - before).toBe(1);
    expect(md5(fs.readFileSync(cached))).toBe(checksums.testLabels);
  });

  it('fails with a DownloadError on an MD5 mismatch and keeps no file under the final name', async () => {
    served = { ...files, [FASHION_MNIST_FILES.trainLabels.name]: zlib.gzipSync(idxLabels([0, 0, 0])) };
    const cacheDir = makeTmpDir();
    await expect(loadFashionMnist(options(cacheDir))).rejects.toThrow(DownloadError);
    await expect(loadFashionMnist(options(cacheDir))).rejects.toThrow(/MD5 of .*train-labels-idx1-ubyte.gz is [0-9a-f]{32}, expected/);
    expect(fs.existsSync(path.join(cacheDir, 'fashion-mnist', FASHION_MNIST_FILES.trainLabels.name))).toBe(false);
  });

  it('fails with a DownloadError naming the URL on HTTP 404', async () => {
    served = {};
    await expect(loadFashionMnist(options(makeTmpDir()))).rejects.toThrow(/train-images-idx3-ubyte.gz answered HTTP 404/);
  });
});

const haveDebian = FASHION_MNIST_FILES && fs.existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES.trainImages.name));
const requireDebian = process.env.CI === 'true';

describe.skipIf(!haveDebian && !requireDebian)("Debian's dataset-fashion-mnist files", () => {
  it('are found by default and hold the official data: 60,000 + 10,000 28×28 images, 6,000 + 1,000 per class', async () => {
    const data = await loadFashionMnist();
    expect(data.origin).toBe('system');
    expect([data.train.n, data.train.imageShape![0], data.train.imageShape![1], data.test.n]).toEqual([60000, 28, 28, 10000]);
    expect(Array.from(data.test.labels.slice(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]); // platform-facts.md
    const counts = (labels: Int32Array) => Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
    expect(counts(data.train.labels)).toEqual(new Array(10).fill(6000)); // the paper: 7,000 per class, 6,000 + 1,000
    expect(counts(data.test.labels)).toEqual(new Array(10).fill(1000));
    // the decompressed training images are byte for byte the upstream ones (SHA-256 in platform-facts.md)
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
    const sha = crypto.createHash('sha256').update(header).update(data.train.pixels).digest('hex');
    expect(sha).toBe('c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888');
  });
});
