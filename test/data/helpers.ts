/** Test helpers for lib/data: synthetic CIFAR-10 records and archives, temp folders, a local HTTP server. */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tar from 'tar-stream';
import type { AddressInfo } from 'net';

/** The real-image subset shipped next to the repo (may be absent). */
export const SUBSET_ARCHIVE = path.resolve(__dirname, '../../../shared/data/cifar10-subset/cifar-10-binary.tar.gz');

export const CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** A fresh empty folder under the OS temp folder. */
export function makeTmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dl-course-data-'));
}

/** Every file and folder under `dir`, relative, sorted. */
export function listRecursive(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort();
}

/** Known pixel value of image `i` (global index) at row r, column c, channel ch (0 R, 1 G, 2 B). */
export function expectedPixel(i: number, r: number, c: number, ch: number): number {
  if (ch === 0) return (i * 7 + r * 32 + c) & 255;
  if (ch === 1) return (i * 13 + r * 5 + c * 3 + 1) & 255;
  return 255 - ((i * 11 + r + c * 32) & 255);
}

/** Known label of image `i`. */
export function expectedLabel(i: number): number {
  return (i * 3 + 1) % 10;
}

/** `n` binary records for images first..first+n-1, channel-planar as in the CIFAR-10 files. */
export function syntheticRecords(first: number, n: number): Buffer {
  const out = Buffer.alloc(n * 3073);
  for (let k = 0; k < n; k++) {
    const i = first + k;
    const base = k * 3073;
    out[base] = expectedLabel(i);
    for (let ch = 0; ch < 3; ch++) {
      for (let r = 0; r < 32; r++) {
        for (let c = 0; c < 32; c++) out[base + 1 + ch * 1024 + r * 32 + c] = expectedPixel(i, r, c, ch);
      }
    }
  }
  return out;
}

export interface Member {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'directory';
}

/**
 * The members of a valid synthetic archive: `perBatch` records in each
 * data_batch (train image indices 0..5*perBatch-1 in order) and `testN` test
 * records (indices 1000..1000+testN-1).
 */
export function standardMembers(perBatch: number, testN: number): Member[] {
  const members: Member[] = [{ name: 'cifar-10-batches-bin/', type: 'directory' }];
  members.push({ name: 'cifar-10-batches-bin/batches.meta.txt', data: CLASS_NAMES.join('\n') + '\n\n' });
  for (let b = 0; b < 5; b++) {
    members.push({ name: `cifar-10-batches-bin/data_batch_${b + 1}.bin`, data: syntheticRecords(b * perBatch, perBatch) });
  }
  members.push({ name: 'cifar-10-batches-bin/test_batch.bin', data: syntheticRecords(TEST_FIRST, testN) });
  members.push({ name: 'cifar-10-batches-bin/readme.html', data: '<html>readme</html>' });
  return members;
}

/** Global index of the first synthetic test image. */
export const TEST_FIRST = 1000;

/** Builds an uncompressed tar of `members` with tar-stream. */
export async function buildTar(members: Member[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const m of members) {
    await new Promise<void>((resolve, reject) => {
      if (m.type === 'directory') pack.entry({ name: m.name, type: 'directory' }, (err) => (err ? reject(err) : resolve()));
      else pack.entry({ name: m.name }, Buffer.from(m.data ?? ''), (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Builds a .tar.gz of `members` at `file` and returns its bytes. */
export async function writeArchive(file: string, members: Member[]): Promise<Buffer> {
  const gz = zlib.gzipSync(await buildTar(members));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gz);
  return gz;
}

/** Writes the file members of `members` as an extracted folder under `root`. */
export function writeFolder(root: string, members: Member[]): void {
  for (const m of members) {
    const target = path.join(root, m.name);
    if (m.type === 'directory') fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, m.data ?? '');
    }
  }
}

export interface LocalServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Requests received so far. */
  requests: () => number;
  close: () => Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1, port chosen by the OS. */
export async function startServer(handler: http.RequestListener): Promise<LocalServer> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
