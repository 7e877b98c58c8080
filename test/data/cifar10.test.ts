import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import {
  CIFAR10_CLASSES,
  CIFAR10_RECORD_BYTES,
  loadCifar10,
  parseCifar10Records,
} from '../../lib/data/cifar10';
import { defaultCacheDir } from '../../lib/data/cache';
import { imagesToTensor, labelsToTensor, sliceExamples as sliceSplit, type LabeledExamples as Cifar10Split } from '../../lib/core/examples';
import { ArgumentError, DataFormatError, DownloadError } from '../../lib/core/errors';
import {
  CLASS_NAMES,
  TEST_FIRST,
  buildTar,
  expectedLabel,
  expectedPixel,
  listRecursive,
  makeTmpDir,
  standardMembers,
  startServer,
  syntheticRecords,
  writeArchive,
  writeFolder,
  type Member,
} from './helpers';
import { CIFAR10_ARCHIVE, haveRealPhotos } from '../helpers/notebook';

const PER_BATCH = 3;
const TEST_N = 4;

/** Checks every pixel and label of `split` against images first..first+n-1 of the synthetic pattern. */
function expectSynthetic(split: Cifar10Split, first: number, n: number): void {
  expect(split.n).toBe(n);
  expect(split.pixels).toBeInstanceOf(Uint8Array);
  expect(split.labels).toBeInstanceOf(Int32Array);
  expect(split.pixels.length).toBe(n * 32 * 32 * 3);
  expect(split.labels.length).toBe(n);
  let mismatches = 0;
  for (let k = 0; k < n; k++) {
    if (split.labels[k] !== expectedLabel(first + k)) mismatches++;
    for (let r = 0; r < 32; r++) {
      for (let c = 0; c < 32; c++) {
        for (let ch = 0; ch < 3; ch++) {
          if (split.pixels[((k * 32 + r) * 32 + c) * 3 + ch] !== expectedPixel(first + k, r, c, ch)) mismatches++;
        }
      }
    }
  }
  expect(mismatches).toBe(0);
}

/** Replaces (or with data undefined, removes) a member of the standard set. */
function withMember(name: string, data: Buffer | string | undefined): Member[] {
  const members = standardMembers(PER_BATCH, TEST_N).filter((m) => m.name !== `cifar-10-batches-bin/${name}`);
  if (data !== undefined) members.push({ name: `cifar-10-batches-bin/${name}`, data });
  return members;
}

const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of ['DL_COURSE_CIFAR10', 'DL_COURSE_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME']) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

describe('parseCifar10Records', () => {
  it('runs the documented example', () => {
    const record = new Uint8Array(3073);
    record[0] = 7;
    record[1] = 200;
    record[1 + 1024] = 100;
    const split = parseCifar10Records(record, 'one.bin');
    expect(split.n).toBe(1);
    expect(split.labels[0]).toBe(7);
    expect(Array.from(split.pixels.subarray(0, 3))).toEqual([200, 100, 0]);
  });

  it('converts channel-planar records to NHWC pixel by pixel', () => {
    expectSynthetic(parseCifar10Records(syntheticRecords(5, 3), 'x.bin'), 5, 3);
  });

  it('accepts an empty buffer as zero records', () => {
    expect(parseCifar10Records(new Uint8Array(0), 'empty.bin').n).toBe(0);
  });

  it('rejects a length that is not a multiple of 3073 naming the file, size and remainder', () => {
    const bytes = new Uint8Array(2 * CIFAR10_RECORD_BYTES + 10);
    expect(() => parseCifar10Records(bytes, 'odd.bin')).toThrow(DataFormatError);
    expect(() => parseCifar10Records(bytes, 'odd.bin')).toThrow(/odd\.bin has 6156 bytes.*3073.*10 bytes left over/);
  });

  it('rejects a label greater than 9', () => {
    const bytes = syntheticRecords(0, 2);
    bytes[3073] = 10;
    expect(() => parseCifar10Records(bytes, 'bad.bin')).toThrow(DataFormatError);
    expect(() => parseCifar10Records(bytes, 'bad.bin')).toThrow(/bad\.bin record 1 has label 10/);
  });
});

describe('sliceSplit, imagesToTensor and labelsToTensor', () => {
  const split = parseCifar10Records(syntheticRecords(0, 6), 'six.bin');

  it('sliceSplit returns records [start, end) as views', () => {
    const part = sliceSplit(split, 2, 5);
    expectSynthetic(part, 2, 3);
    expect(part.pixels.buffer).toBe(split.pixels.buffer);
    expect(sliceSplit(split, 4, 4).n).toBe(0);
  });

  it('imagesToTensor gives float32 pixel / 255 in NHWC', () => {
    const before = tf.memory().numTensors;
    const X = imagesToTensor(split, 1, 3);
    expect(X.shape).toEqual([2, 32, 32, 3]);
    expect(X.dtype).toBe('float32');
    const values = X.dataSync();
    for (const [k, r, c, ch] of [[0, 0, 0, 0], [1, 31, 31, 2], [0, 5, 17, 1], [1, 12, 3, 0]]) {
      expect(values[((k * 32 + r) * 32 + c) * 3 + ch]).toBeCloseTo(expectedPixel(1 + k, r, c, ch) / 255, 6);
    }
    X.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imagesToTensor and labelsToTensor default to the whole split', () => {
    const X = imagesToTensor(split);
    const y = labelsToTensor(split);
    expect(X.shape).toEqual([6, 32, 32, 3]);
    expect(y.shape).toEqual([6]);
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([0, 1, 2, 3, 4, 5].map(expectedLabel));
    tf.dispose([X, y]);
  });

  it('rejects ranges outside [0, n] naming the argument', () => {
    expect(() => sliceSplit(split, 0, 7)).toThrow(ArgumentError);
    expect(() => sliceSplit(split, 0, 7)).toThrow(/end/);
    expect(() => imagesToTensor(split, -1, 2)).toThrow(/start/);
    expect(() => labelsToTensor(split, 3, 2)).toThrow(/end/);
    expect(() => sliceSplit(split, 1.5, 2)).toThrow(/start/);
  });
});

describe('loadCifar10 from a local archive or folder', () => {
  let tmp: string;
  let archive: string;

  beforeAll(async () => {
    tmp = makeTmpDir();
    archive = path.join(tmp, 'good', 'cifar-10-binary.tar.gz');
    await writeArchive(archive, standardMembers(PER_BATCH, TEST_N));
  });

  it('reads a synthetic archive pixel by pixel, train in batch order', async () => {
    const data = await loadCifar10({ source: archive });
    expectSynthetic(data.train, 0, 5 * PER_BATCH);
    expectSynthetic(data.test, TEST_FIRST, TEST_N);
    expect(data.classNames).toEqual(CLASS_NAMES);
    expect(data.source).toBe(archive);
  });

  it('reports a member that is a folder as a DataFormatError naming it, not a raw EISDIR', async () => {
    const root = path.join(tmp, 'member-is-folder');
    writeFolder(root, standardMembers(PER_BATCH, TEST_N));
    const member = path.join(root, 'cifar-10-batches-bin', 'data_batch_1.bin');
    fs.rmSync(member);
    fs.mkdirSync(member);
    await expect(loadCifar10({ source: root })).rejects.toThrow(DataFormatError);
    await expect(loadCifar10({ source: root })).rejects.toThrow(`loadCifar10: ${member} is a folder, not a CIFAR-10 member file`);
  });

  it('reads an extracted folder given as its parent or as cifar-10-batches-bin itself', async () => {
    const root = path.join(tmp, 'extracted');
    writeFolder(root, standardMembers(PER_BATCH, TEST_N));
    for (const source of [root, path.join(root, 'cifar-10-batches-bin')]) {
      const data = await loadCifar10({ source });
      expectSynthetic(data.train, 0, 5 * PER_BATCH);
      expectSynthetic(data.test, TEST_FIRST, TEST_N);
      expect(data.classNames).toEqual(CLASS_NAMES);
    }
  });

  it('uses env DL_COURSE_CIFAR10 when no source is given', async () => {
    process.env.DL_COURSE_CIFAR10 = archive;
    const data = await loadCifar10({ progress: false });
    expect(data.source).toBe(archive);
    expect(data.train.n).toBe(5 * PER_BATCH);
  });

  it('keeps the first trainSize and testSize records', async () => {
    const data = await loadCifar10({ source: archive, trainSize: 4, testSize: 1 });
    expectSynthetic(data.train, 0, 4);
    expectSynthetic(data.test, TEST_FIRST, 1);
  });

  it('rejects a member whose size is not a multiple of 3073 bytes, naming it', async () => {
    const file = path.join(tmp, 'odd.tar.gz');
    await writeArchive(file, withMember('data_batch_2.bin', Buffer.concat([syntheticRecords(0, 2), Buffer.alloc(100)])));
    const err = await loadCifar10({ source: file }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toContain('3073');
    expect(err.message).toContain('data_batch_2.bin');
    expect(err.message).toContain('100 bytes left over');
  });

  it('rejects a truncated .tar.gz as truncated, naming the path', async () => {
    const file = path.join(tmp, 'truncated.tar.gz');
    const whole = fs.readFileSync(archive);
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const err = await loadCifar10({ source: file }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toMatch(/truncated or corrupt/);
    expect(err.message).toContain(file);
  });

  it('rejects a complete gzip holding a tar that ends mid-member', async () => {
    const file = path.join(tmp, 'short-tar.tar.gz');
    const tarBytes = await buildTar(standardMembers(PER_BATCH, TEST_N));
    fs.writeFileSync(file, zlib.gzipSync(tarBytes.subarray(0, 20_000)));
    const err = await loadCifar10({ source: file }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toMatch(/truncated or corrupt/);
  });

  it('rejects an HTML page saved as .tar.gz as not gzip', async () => {
    const file = path.join(tmp, 'page.tar.gz');
    fs.writeFileSync(file, '<!DOCTYPE html>\n<html><body>Not Found</body></html>\n');
    const err = await loadCifar10({ source: file }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toContain(`loadCifar10: ${file} is not a gzip archive (starts with "<!DOCTYPE html>..."); delete it and download again`);
  });

  it('rejects an archive without a member, naming it', async () => {
    const file = path.join(tmp, 'missing.tar.gz');
    await writeArchive(file, withMember('data_batch_3.bin', undefined));
    const err = await loadCifar10({ source: file }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toContain('cifar-10-batches-bin/data_batch_3.bin');
    expect(err.message).not.toContain('lacks cifar-10-batches-bin/data_batch_1.bin');
  });

  it('rejects a folder without a member, naming it', async () => {
    const root = path.join(tmp, 'folder-missing');
    writeFolder(root, withMember('test_batch.bin', undefined));
    await expect(loadCifar10({ source: root })).rejects.toThrow(/lacks cifar-10-batches-bin\/test_batch\.bin/);
  });

  it('rejects batches.meta.txt without exactly 10 class names', async () => {
    const file = path.join(tmp, 'meta.tar.gz');
    await writeArchive(file, withMember('batches.meta.txt', CLASS_NAMES.slice(0, 9).join('\n')));
    await expect(loadCifar10({ source: file })).rejects.toThrow(/lists 9 class names, expected 10/);
  });

  it('rejects a label greater than 9 inside an archive', async () => {
    const file = path.join(tmp, 'label.tar.gz');
    const bytes = syntheticRecords(0, 2);
    bytes[0] = 200;
    await writeArchive(file, withMember('test_batch.bin', bytes));
    await expect(loadCifar10({ source: file })).rejects.toThrow(/test_batch\.bin record 0 has label 200/);
  });

  it('ignores ../evil, absolute-path and readme.html members and writes nothing to disk', async () => {
    const dir = path.join(tmp, 'evil-case');
    const file = path.join(dir, 'a', 'evil.tar.gz');
    const members = standardMembers(PER_BATCH, TEST_N);
    members.push({ name: '../evil', data: 'x' });
    members.push({ name: 'cifar-10-batches-bin/../../evil2', data: 'x' });
    members.push({ name: '/tmp/dl-course-evil-abs', data: 'x' });
    await writeArchive(file, members);
    const before = listRecursive(dir);
    const data = await loadCifar10({ source: file });
    expectSynthetic(data.test, TEST_FIRST, TEST_N);
    expect(listRecursive(dir)).toEqual(before);
    expect(fs.existsSync('/tmp/dl-course-evil-abs')).toBe(false);
    expect(fs.existsSync(path.join(dir, 'evil'))).toBe(false);
  });

  it('rejects a source that does not exist with an ArgumentError', async () => {
    await expect(loadCifar10({ source: path.join(tmp, 'nope.tar.gz') })).rejects.toThrow(ArgumentError);
  });

  it('rejects bad trainSize values naming trainSize', async () => {
    for (const bad of [0, '10', 10.5, -1, null]) {
      const err = await loadCifar10({ source: archive, trainSize: bad as unknown as number }).catch((e) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      expect(err.message).toContain('trainSize');
    }
    const err = await loadCifar10({ source: archive, trainSize: 5 * PER_BATCH + 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain('trainSize');
    expect(err.message).toContain(String(5 * PER_BATCH));
  });

  it('rejects bad testSize values naming testSize', async () => {
    await expect(loadCifar10({ source: archive, testSize: 0 })).rejects.toThrow(/testSize/);
    await expect(loadCifar10({ source: archive, testSize: TEST_N + 1 })).rejects.toThrow(/testSize must be <= 4/);
  });
});

describe('loadCifar10 downloading into the cache', () => {
  let body: Buffer;
  let md5: string;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    const tmp = makeTmpDir();
    body = await writeArchive(path.join(tmp, 'served.tar.gz'), standardMembers(PER_BATCH, TEST_N));
    md5 = crypto.createHash('md5').update(body).digest('hex');
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

  it('downloads, verifies and reads the archive, then reuses the cached copy without a request', async () => {
    const cacheDir = makeTmpDir();
    const options = { url: `${server.origin}/cifar-10-binary.tar.gz`, md5, expectedSize: body.length, cacheDir, progress: false };
    const before = server.requests();
    const data = await loadCifar10(options);
    expect(server.requests() - before).toBe(1);
    const cached = path.join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz');
    expect(data.source).toBe(cached);
    expect(fs.readFileSync(cached).equals(body)).toBe(true);
    expect(fs.readdirSync(path.join(cacheDir, 'cifar10'))).toEqual(['cifar-10-binary.tar.gz']);
    expectSynthetic(data.train, 0, 5 * PER_BATCH);
    expectSynthetic(data.test, TEST_FIRST, TEST_N);

    const again = await loadCifar10(options);
    expect(server.requests() - before).toBe(1);
    expect(again.train.n).toBe(5 * PER_BATCH);
  });

  it('downloads again when the cached file has the wrong size', async () => {
    const cacheDir = makeTmpDir();
    const cached = path.join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz');
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.writeFileSync(cached, '<!DOCTYPE html>');
    const before = server.requests();
    await loadCifar10({ url: `${server.origin}/cifar-10-binary.tar.gz`, md5, expectedSize: body.length, cacheDir, progress: false });
    expect(server.requests() - before).toBe(1);
    expect(fs.readFileSync(cached).equals(body)).toBe(true);
  });

  it('uses DL_COURSE_CACHE_DIR as the default cache folder', async () => {
    const cacheDir = makeTmpDir();
    process.env.DL_COURSE_CACHE_DIR = cacheDir;
    delete process.env.DL_COURSE_CIFAR10;
    await loadCifar10({ url: `${server.origin}/cifar-10-binary.tar.gz`, md5, expectedSize: body.length, progress: false });
    expect(fs.existsSync(path.join(cacheDir, 'cifar10', 'cifar-10-binary.tar.gz'))).toBe(true);
  });

  it('leaves no file in the cache when the checksum does not match', async () => {
    const cacheDir = makeTmpDir();
    const err = await loadCifar10({
      url: `${server.origin}/cifar-10-binary.tar.gz`,
      md5: 'f'.repeat(32),
      expectedSize: body.length,
      cacheDir,
      progress: false,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(fs.readdirSync(path.join(cacheDir, 'cifar10'))).toEqual([]);
  });
});

describe('defaultCacheDir', () => {
  it('prefers DL_COURSE_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    process.env.DL_COURSE_CACHE_DIR = '/srv/cache';
    process.env.XDG_CACHE_HOME = '/xdg';
    expect(defaultCacheDir()).toBe('/srv/cache');
    delete process.env.DL_COURSE_CACHE_DIR;
    expect(defaultCacheDir()).toBe('/xdg/dl-course');
    delete process.env.XDG_CACHE_HOME;
    expect(defaultCacheDir()).toBe(path.join(os.homedir(), '.cache', 'dl-course'));
  });
});

// The run's archive (test/setup/global.ts): the real subset, else a synthetic
// archive of the same shape (5 × 2,000 training and 2,000 test images, classes
// balanced), so these run either way.
const RUN_ARCHIVE = CIFAR10_ARCHIVE;

describe(`loadCifar10 on the run's subset-sized archive (${haveRealPhotos ? 'real photos' : 'synthetic'})`, () => {
  let data: Awaited<ReturnType<typeof loadCifar10>>;

  beforeAll(async () => {
    data = await loadCifar10({ source: RUN_ARCHIVE });
  });

  it('reads 10000 train and 2000 test images with the 10 class names', () => {
    expect(data.train.n).toBe(10000);
    expect(data.test.n).toBe(2000);
    expect(data.train.pixels.length).toBe(10000 * 32 * 32 * 3);
    expect(data.classNames).toEqual([...CIFAR10_CLASSES]);
    expect(data.classNames[3]).toBe('cat');
  });

  it('has 1000 train and 200 test images per class', () => {
    const count = (labels: Int32Array) => {
      const counts = new Array(10).fill(0);
      for (const l of labels) counts[l]++;
      return counts;
    };
    expect(count(data.train.labels)).toEqual(new Array(10).fill(1000));
    expect(count(data.test.labels)).toEqual(new Array(10).fill(200));
  });

  it('imagesToTensor gives float32 values in [0, 1] and labelsToTensor int32 in 0..9', () => {
    const before = tf.memory().numTensors;
    const X = imagesToTensor(data.test);
    const y = labelsToTensor(data.test, 0, 32);
    expect(X.shape).toEqual([2000, 32, 32, 3]);
    expect(X.dtype).toBe('float32');
    const [min, max] = tf.tidy(() => [X.min().dataSync()[0], X.max().dataSync()[0]]);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.9); // not integer-divided to zeros
    expect(y.shape).toEqual([32]);
    expect(y.dtype).toBe('int32');
    tf.dispose([X, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the first trainSize and testSize records of the real data', async () => {
    const small = await loadCifar10({ source: RUN_ARCHIVE, trainSize: 500, testSize: 100 });
    expect(small.train.n).toBe(500);
    expect(small.test.n).toBe(100);
    expect(Array.from(small.train.labels)).toEqual(Array.from(data.train.labels.subarray(0, 500)));
    expect(Buffer.from(small.test.pixels).equals(Buffer.from(data.test.pixels.subarray(0, 100 * 3072)))).toBe(true);
  });

  it('rejects a trainSize larger than the 10000 records available', async () => {
    await expect(loadCifar10({ source: RUN_ARCHIVE, trainSize: 10001 })).rejects.toThrow(/trainSize must be <= 10000/);
  });
});
