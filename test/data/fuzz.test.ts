/**
 * Property-based (fast-check) tests of the binary readers: CIFAR-10 records and
 * archives, IDX image/label files and their gzip handling, and model folders
 * (loadModel).
 *
 * Properties, for every generated input:
 * - bounded: each run ends within RUN_TIMEOUT_MS (async runs are cut by
 *   fast-check's timeout plugin; sync calls are timed);
 * - typed: a failure is one of the library's error classes (DataFormatError
 *   for bad data), whose message names the function and the file; any
 *   TypeError/RangeError/Error from Node or a dependency is a failure;
 * - no huge allocation: a header that lies about its size fails without
 *   allocating what it claims (arrayBuffers growth is measured);
 * - faithful: a valid input parses to exactly what the generator put in.
 *
 * Fixed seed, modest numRuns: the file runs in a few seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ArgumentError, DataFormatError, DownloadError, NonFiniteLossError, StorageError } from '../../lib/core/errors';
import { CIFAR10_RECORD_BYTES, loadCifar10, parseCifar10Records } from '../../lib/data/cifar10';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, isGzip, loadFashionMnist, parseIdxImages, parseIdxLabels } from '../../lib/data/fashion_mnist';
import { buildTar, makeTmpDir, type Member } from './helpers';

/**
 * Fixed for reproducible runs. To explore: FUZZ_SEED (another seed), FUZZ_RUNS (multiplies numRuns),
 * FUZZ_NO_SHRINK=1 (report the first failure as found; a hang shrinks at RUN_TIMEOUT_MS per step).
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261203;
const RUNS_FACTOR = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 1;
const RUN_TIMEOUT_MS = 5_000;
/** Bound on one synchronous parse of a small (< 64 kB) input. */
const SYNC_LIMIT_MS = 250;

function params<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns: Math.round(numRuns * RUNS_FACTOR), plugins: [fc.timeout(RUN_TIMEOUT_MS)], endOnFailure: !!process.env.FUZZ_NO_SHRINK };
}

const LIBRARY_ERRORS = [ArgumentError, DataFormatError, DownloadError, StorageError, NonFiniteLossError];

/** Fails unless `err` is a DataFormatError whose message starts with one of `fns` and mentions `mentions`. */
function expectDataFormatError(err: unknown, fns: string[], mentions: string): void {
  if (!LIBRARY_ERRORS.some((E) => err instanceof E)) {
    throw new Error(`expected a library error, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}\n${(err as Error)?.stack}`);
  }
  expect(err, (err as Error).message).toBeInstanceOf(DataFormatError);
  const message = (err as Error).message;
  expect(fns.some((fn) => message.startsWith(`${fn}: `)), message).toBe(true);
  expect(message).toContain(mentions);
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function attempt<T>(f: () => T): Outcome<T> & { ms: number } {
  const t0 = performance.now();
  try {
    const value = f();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  }
}

/** Runs `f`, sampling `process.memoryUsage().arrayBuffers`; returns the outcome and the peak growth in bytes. */
async function attemptAsync<T>(f: () => Promise<T>): Promise<Outcome<T> & { peak: number }> {
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
  };
  const timer = setInterval(sample, 1);
  try {
    const value = await f();
    sample();
    return { ok: true, value, peak };
  } catch (error) {
    sample();
    return { ok: false, error, peak };
  } finally {
    clearInterval(timer);
  }
}

/** Deterministic bytes from a seed (mulberry32), so a generated record's pixels cost one integer to shrink. */
function seededBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 255;
  }
  return out;
}

/** A multi-member gzip stream of `mb` MiB of zeros, about 1 kB per MiB: a small "gzip bomb". */
function zeroBomb(mb: number, prefix?: Uint8Array): Buffer {
  const oneMb = zlib.gzipSync(Buffer.alloc(1 << 20), { level: 9 });
  const parts = prefix ? [zlib.gzipSync(prefix)] : [];
  for (let i = 0; i < mb; i++) parts.push(oneMb);
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------
// Byte-level mutations shared by the generators.

type Mutation =
  | { kind: 'none' }
  | { kind: 'flip'; flips: { at: number; xor: number }[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; extra: Uint8Array }
  | { kind: 'random'; bytes: Uint8Array; gzipMagic: boolean };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      flips: fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 2048 }), gzipMagic: fc.boolean() }),
    weight: 1,
  },
);

function mutate(bytes: Uint8Array, m: Mutation): Buffer {
  switch (m.kind) {
    case 'none':
      return Buffer.from(bytes);
    case 'flip': {
      const out = Buffer.from(bytes);
      if (out.length > 0) for (const { at, xor } of m.flips) out[at % out.length] ^= xor;
      return out;
    }
    case 'truncate':
      return Buffer.from(bytes.subarray(0, bytes.length === 0 ? 0 : m.at % bytes.length));
    case 'append':
      return Buffer.concat([bytes, m.extra]);
    case 'random':
      return m.gzipMagic ? Buffer.concat([Buffer.from([0x1f, 0x8b]), m.bytes]) : Buffer.from(m.bytes);
  }
}

let tmpRoot: string;
let runCounter = 0;
beforeAll(() => {
  tmpRoot = makeTmpDir();
});
afterAll(() => {
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = path.join(tmpRoot, `run-${runCounter++}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------
// CIFAR-10 records

interface GenRecord {
  label: number;
  seed: number;
}
const recordArb: fc.Arbitrary<GenRecord> = fc.record({ label: fc.integer({ min: 0, max: 9 }), seed: fc.nat() });

function encodeRecords(records: GenRecord[]): Buffer {
  const out = Buffer.alloc(records.length * CIFAR10_RECORD_BYTES);
  records.forEach((r, k) => {
    out[k * CIFAR10_RECORD_BYTES] = r.label;
    out.set(seededBytes(r.seed, 3072), k * CIFAR10_RECORD_BYTES + 1);
  });
  return out;
}

/** Reference decoding of concatenated records: planar [3, 32, 32] -> NHWC. */
function referenceDecode(bytes: Uint8Array): { labels: number[]; pixels: Uint8Array } {
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const pixels = new Uint8Array(n * 3072);
  const labels: number[] = [];
  for (let k = 0; k < n; k++) {
    const base = k * CIFAR10_RECORD_BYTES;
    labels.push(bytes[base]);
    for (let ch = 0; ch < 3; ch++) {
      for (let p = 0; p < 1024; p++) pixels[k * 3072 + p * 3 + ch] = bytes[base + 1 + ch * 1024 + p];
    }
  }
  return { labels, pixels };
}

describe('fuzz: parseCifar10Records', () => {
  it('decodes generated records exactly (labels, NHWC pixels)', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 4 }), (records) => {
        const bytes = encodeRecords(records);
        const split = parseCifar10Records(bytes, 'gen.bin');
        expect(split.n).toBe(records.length);
        expect(Array.from(split.labels)).toEqual(records.map((r) => r.label));
        expect(Buffer.from(split.pixels).equals(Buffer.from(referenceDecode(bytes).pixels))).toBe(true);
        expect(split.imageShape).toEqual([32, 32, 3]);
      }),
      params(60),
    );
  });

  it('on arbitrary bytes either decodes consistently or throws DataFormatError naming the file, quickly', () => {
    const lengthArb = fc.oneof(
      fc.uint8Array({ maxLength: 4000 }),
      // lengths at and around whole records, with random (often invalid) labels
      fc
        .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -2, max: 2 }), fc.nat())
        .map(([n, d, seed]) => seededBytes(seed, Math.max(0, n * CIFAR10_RECORD_BYTES + d))),
      // whole records with labels 0..9 and one mutated byte
      fc
        .tuple(fc.array(recordArb, { minLength: 1, maxLength: 3 }), fc.nat(), fc.integer({ min: 1, max: 255 }))
        .map(([records, at, xor]) => {
          const b = encodeRecords(records);
          b[at % b.length] ^= xor;
          return new Uint8Array(b);
        }),
    );
    fc.assert(
      fc.property(lengthArb, (bytes) => {
        const r = attempt(() => parseCifar10Records(bytes, 'fuzz.bin'));
        expect(r.ms).toBeLessThan(SYNC_LIMIT_MS);
        const ref = bytes.length % CIFAR10_RECORD_BYTES === 0 ? referenceDecode(bytes) : undefined;
        if (r.ok) {
          expect(ref).toBeDefined();
          expect(ref!.labels.every((l) => l <= 9)).toBe(true);
          expect(Array.from(r.value.labels)).toEqual(ref!.labels);
          expect(Buffer.from(r.value.pixels).equals(Buffer.from(ref!.pixels))).toBe(true);
        } else {
          expectDataFormatError(r.error, ['parseCifar10Records'], 'fuzz.bin');
          expect(ref === undefined || ref.labels.some((l) => l > 9)).toBe(true);
        }
      }),
      params(200),
    );
  });
});

// ---------------------------------------------------------------------------
// CIFAR-10 archives (.tar.gz) and folders

const FOLDER = 'cifar-10-batches-bin';

interface GenArchive {
  batches: GenRecord[][];
  test: GenRecord[];
  classNames: string[];
  dotSlash: boolean;
}
const archiveArb: fc.Arbitrary<GenArchive> = fc.record({
  batches: fc.array(fc.array(recordArb, { minLength: 1, maxLength: 2 }), { minLength: 5, maxLength: 5 }),
  test: fc.array(recordArb, { minLength: 1, maxLength: 2 }),
  classNames: fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z_-]{0,11}$/), { minLength: 10, maxLength: 10 }),
  dotSlash: fc.boolean(),
});

function archiveMembers(a: GenArchive): Member[] {
  const p = a.dotSlash ? './' : '';
  return [
    { name: `${p}${FOLDER}/`, type: 'directory' },
    { name: `${p}${FOLDER}/batches.meta.txt`, data: a.classNames.join('\n') + '\n\n' },
    ...a.batches.map((records, b) => ({ name: `${p}${FOLDER}/data_batch_${b + 1}.bin`, data: encodeRecords(records) })),
    { name: `${p}${FOLDER}/test_batch.bin`, data: encodeRecords(a.test) },
    { name: `${p}${FOLDER}/readme.html`, data: '<html>readme</html>' },
  ];
}

function expectArchiveContent(data: Awaited<ReturnType<typeof loadCifar10>>, a: GenArchive): void {
  const train = a.batches.flat();
  expect(data.classNames).toEqual(a.classNames);
  expect(data.train.n).toBe(train.length);
  expect(Array.from(data.train.labels)).toEqual(train.map((r) => r.label));
  expect(Buffer.from(data.train.pixels).equals(Buffer.from(referenceDecode(encodeRecords(train)).pixels))).toBe(true);
  expect(data.test.n).toBe(a.test.length);
  expect(Array.from(data.test.labels)).toEqual(a.test.map((r) => r.label));
  expect(Buffer.from(data.test.pixels).equals(Buffer.from(referenceDecode(encodeRecords(a.test)).pixels))).toBe(true);
}

/** Offsets of the 512-byte member headers of a tar. */
function tarHeaderOffsets(tarBytes: Buffer): number[] {
  const offsets: number[] = [];
  let off = 0;
  while (off + 512 <= tarBytes.length && tarBytes[off] !== 0) {
    offsets.push(off);
    const size = parseInt(tarBytes.toString('latin1', off + 124, off + 135), 8) || 0;
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return offsets;
}

/** Overwrites a tar header's 12-byte size field and recomputes its checksum, so tar-stream accepts the header. */
function setTarSize(tarBytes: Buffer, headerOffset: number, field: Buffer): void {
  setTarField(tarBytes, headerOffset, 124, field.subarray(0, 12));
}

/** Overwrites bytes of a tar header at `at` (the checksum field excluded) and recomputes its checksum. */
function setTarField(tarBytes: Buffer, headerOffset: number, at: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length && at + i < 512; i++) {
    if (at + i < 148 || at + i >= 156) tarBytes[headerOffset + at + i] = bytes[i];
  }
  tarBytes.fill(0x20, headerOffset + 148, headerOffset + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tarBytes[headerOffset + i];
  tarBytes.write(sum.toString(8).padStart(6, '0') + '\0 ', headerOffset + 148, 'latin1');
}

/** Size fields: huge octal, huge base-256 (positive and multiple of 3073), negative base-256, garbage. */
const sizeFieldArb: fc.Arbitrary<{ label: string; field: Buffer }> = fc.oneof(
  fc.constant({ label: 'octal 8 GiB - 1', field: Buffer.from('77777777777\0', 'latin1') }),
  fc.integer({ min: 1, max: 2 ** 20 }).map((k) => ({
    label: `octal ${k * CIFAR10_RECORD_BYTES} (multiple of 3073)`,
    field: Buffer.from((k * CIFAR10_RECORD_BYTES).toString(8).padStart(11, '0') + '\0', 'latin1'),
  })),
  fc.constantFrom(1e9 * CIFAR10_RECORD_BYTES, 2 ** 52, 2 ** 62).map((v) => {
    const field = Buffer.alloc(12);
    field[0] = 0x80;
    let num = v;
    for (let i = 11; i > 0; i--) {
      field[i] = num % 256;
      num = Math.floor(num / 256);
    }
    return { label: `base-256 ${v}`, field };
  }),
  fc.constant({ label: 'base-256 negative', field: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, 0x00]) }),
  fc.constant({ label: 'base-256 invalid lead byte', field: Buffer.from([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]) }),
  fc.constant({ label: 'non-octal digits', field: Buffer.from('0000000z9a8\0', 'latin1') }),
);

type ArchiveMutation =
  | { kind: 'gz'; m: Mutation }
  | { kind: 'tar'; m: Mutation }
  | { kind: 'size'; member: number; size: { label: string; field: Buffer } }
  | { kind: 'header'; member: number; at: number; bytes: Uint8Array }
  | { kind: 'gzipOfRandom'; bytes: Uint8Array };

/** Tar type flags (file, links, devices, folder, fifo, pax, GNU long names) and a few invalid ones. */
const typeFlagArb = fc.constantFrom(...'01234567xgLKSV\0Z'.split('').map((c) => c.charCodeAt(0)), 0xff);

const archiveMutationArb: fc.Arbitrary<ArchiveMutation> = fc.oneof(
  fc.record({ kind: fc.constant('gz' as const), m: mutationArb }),
  fc.record({ kind: fc.constant('tar' as const), m: mutationArb }),
  fc.record({ kind: fc.constant('size' as const), member: fc.nat(), size: sizeFieldArb }),
  // a header field rewritten with a valid checksum, so tar-stream parses it: the type flag, or random bytes anywhere
  fc.record({ kind: fc.constant('header' as const), member: fc.nat(), at: fc.constant(156), bytes: typeFlagArb.map((t) => Uint8Array.of(t)) }),
  fc.record({ kind: fc.constant('header' as const), member: fc.nat(), at: fc.integer({ min: 0, max: 511 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('gzipOfRandom' as const), bytes: fc.uint8Array({ maxLength: 4096 }) }),
);

async function buildMutatedArchive(a: GenArchive, mut: ArchiveMutation): Promise<Buffer> {
  const tarBytes = await buildTar(archiveMembers(a));
  switch (mut.kind) {
    case 'gz':
      return mutate(zlib.gzipSync(tarBytes), mut.m);
    case 'tar':
      return zlib.gzipSync(mutate(tarBytes, mut.m));
    case 'size': {
      const offsets = tarHeaderOffsets(tarBytes);
      setTarSize(tarBytes, offsets[mut.member % offsets.length], mut.size.field);
      return zlib.gzipSync(tarBytes);
    }
    case 'header': {
      const offsets = tarHeaderOffsets(tarBytes);
      setTarField(tarBytes, offsets[mut.member % offsets.length], mut.at, mut.bytes);
      return zlib.gzipSync(tarBytes);
    }
    case 'gzipOfRandom':
      return zlib.gzipSync(mut.bytes);
  }
}

function isUnmutated(mut: ArchiveMutation): boolean {
  return (mut.kind === 'gz' || mut.kind === 'tar') && mut.m.kind === 'none';
}

describe('fuzz: loadCifar10 archive reader', () => {
  it('reads a generated .tar.gz exactly, and a mutated one fails with DataFormatError naming the archive', async () => {
    await fc.assert(
      fc.asyncProperty(archiveArb, archiveMutationArb, async (a, mut) => {
        const file = path.join(freshDir(), 'cifar-10-binary.tar.gz');
        const bytes = await buildMutatedArchive(a, mut);
        fs.writeFileSync(file, bytes);
        const r = await attemptAsync(() => loadCifar10({ source: file }));
        // the decoded splits are ~2.5× the (small) decompressed archive; nothing may scale with a claimed size
        expect(r.peak).toBeLessThan(32 * 2 ** 20);
        if (isUnmutated(mut)) {
          if (!r.ok) throw r.error;
          expectArchiveContent(r.value, a);
          expect(r.value.source).toBe(file);
        } else if (r.ok) {
          // a benign mutation (a flipped pixel, bytes after the end, an unread member): still well-formed
          expect(r.value.classNames).toHaveLength(10);
          expect(r.value.train.pixels.length).toBe(r.value.train.n * 3072);
          expect(r.value.train.labels.every((l) => l >= 0 && l <= 9)).toBe(true);
          expect(r.value.test.pixels.length).toBe(r.value.test.n * 3072);
        } else {
          expectDataFormatError(r.error, ['loadCifar10', 'parseCifar10Records'], file);
        }
      }),
      params(120),
    );
  });

  it('arbitrary bytes as a .tar.gz fail with DataFormatError naming the archive', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (raw, gzipMagic) => {
        const file = path.join(freshDir(), 'x.tar.gz');
        fs.writeFileSync(file, gzipMagic ? Buffer.concat([Buffer.from([0x1f, 0x8b]), raw]) : raw);
        const r = await attemptAsync(() => loadCifar10({ source: file }));
        expect(r.ok).toBe(false);
        if (!r.ok) expectDataFormatError(r.error, ['loadCifar10'], file);
      }),
      params(100),
    );
  });

  it('an extracted folder with random or mutated members is read exactly or fails with DataFormatError', async () => {
    const memberArb = fc.record({
      index: fc.integer({ min: 0, max: 6 }),
      m: mutationArb,
    });
    await fc.assert(
      fc.asyncProperty(archiveArb, fc.array(memberArb, { maxLength: 2 }), fc.boolean(), async (a, muts, nested) => {
        const root = freshDir();
        const dir = nested ? path.join(root, FOLDER) : root;
        fs.mkdirSync(dir, { recursive: true });
        const files = archiveMembers({ ...a, dotSlash: false }).filter((m) => m.type !== 'directory' && !m.name.endsWith('readme.html'));
        for (const m of files) fs.writeFileSync(path.join(dir, path.basename(m.name)), m.data!);
        for (const { index, m } of muts) {
          const target = path.join(dir, path.basename(files[index].name));
          fs.writeFileSync(target, mutate(fs.readFileSync(target), m));
        }
        const r = await attemptAsync(() => loadCifar10({ source: root }));
        if (muts.every(({ m }) => m.kind === 'none')) {
          if (!r.ok) throw r.error;
          expectArchiveContent(r.value, a);
        } else if (r.ok) {
          expect(r.value.classNames).toHaveLength(10);
          expect(r.value.train.labels.every((l) => l >= 0 && l <= 9)).toBe(true);
        } else {
          expectDataFormatError(r.error, ['loadCifar10', 'parseCifar10Records'], root);
        }
      }),
      params(60),
    );
  });

  it('a member header claiming ~3 TB (10^9 records) over 1 kB of data fails fast, without allocating', async () => {
    const a: GenArchive = { batches: [[], [], [], [], []].map(() => [{ label: 1, seed: 1 }]), test: [{ label: 2, seed: 2 }], classNames: 'abcdefghij'.split(''), dotSlash: false };
    const tarBytes = await buildTar(archiveMembers(a));
    const offsets = tarHeaderOffsets(tarBytes);
    for (const which of [2, 1]) {
      // 2: data_batch_1.bin (3073 * 10^9 bytes); 1: batches.meta.txt (same claim)
      const t = Buffer.from(tarBytes);
      const field = Buffer.alloc(12);
      field[0] = 0x80;
      let num = 1e9 * CIFAR10_RECORD_BYTES;
      for (let i = 11; i > 0; i--) {
        field[i] = num % 256;
        num = Math.floor(num / 256);
      }
      setTarSize(t, offsets[which], field);
      const file = path.join(freshDir(), 'huge.tar.gz');
      fs.writeFileSync(file, zlib.gzipSync(t.subarray(0, offsets[which] + 512 + 1024)));
      const t0 = performance.now();
      const r = await attemptAsync(() => loadCifar10({ source: file }));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(r.peak).toBeLessThan(4 * 2 ** 20);
      expect(r.ok).toBe(false);
      if (!r.ok) expectDataFormatError(r.error, ['loadCifar10', 'parseCifar10Records'], file);
    }
  });

  it('a small gzip bomb (64 MiB of zeros in 64 kB) in a member fails with DataFormatError, bounded', async () => {
    // a valid tar header for batches.meta.txt claiming 64 MiB, then 64 MiB of zeros
    const t = await buildTar([{ name: `${FOLDER}/batches.meta.txt`, data: 'x' }]);
    const header = Buffer.from(t.subarray(0, 512));
    setTarSize(header, 0, Buffer.from((64 * 2 ** 20).toString(8).padStart(11, '0') + '\0', 'latin1'));
    const file = path.join(freshDir(), 'bomb.tar.gz');
    fs.writeFileSync(file, Buffer.concat([zlib.gzipSync(header), zeroBomb(64)]));
    expect(fs.statSync(file).size).toBeLessThan(128 * 1024);
    const t0 = performance.now();
    const r = await attemptAsync(() => loadCifar10({ source: file }));
    expect(performance.now() - t0).toBeLessThan(RUN_TIMEOUT_MS);
    expect(r.peak).toBeLessThan(16 * 2 ** 20);
    expect(r.ok).toBe(false);
    if (!r.ok) expectDataFormatError(r.error, ['loadCifar10'], file);
  });
});

// ---------------------------------------------------------------------------
// IDX files

function idxImages(n: number, rows: number, cols: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(IDX_IMAGES_MAGIC, 0);
  head.writeUInt32BE(n, 4);
  head.writeUInt32BE(rows, 8);
  head.writeUInt32BE(cols, 12);
  return Buffer.concat([head, payload]);
}

function idxLabels(n: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(IDX_LABELS_MAGIC, 0);
  head.writeUInt32BE(n, 4);
  return Buffer.concat([head, payload]);
}

const uint32Arb = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 28, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000, 0xffffffff, 1e9),
);

describe('fuzz: IDX parsers', () => {
  it('parseIdxImages returns exactly the generated n, rows, cols and pixels', () => {
    const arb = fc
      .record({ n: fc.integer({ min: 0, max: 5 }), rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 8 }), seed: fc.nat() })
      .map((g) => ({ ...g, pixels: seededBytes(g.seed, g.n * g.rows * g.cols) }));
    fc.assert(
      fc.property(arb, ({ n, rows, cols, pixels }) => {
        const images = parseIdxImages(idxImages(n, rows, cols, pixels), 'gen-images');
        expect([images.n, images.rows, images.cols]).toEqual([n, rows, cols]);
        expect(Buffer.from(images.pixels).equals(Buffer.from(pixels))).toBe(true);
      }),
      params(100),
    );
  });

  it('parseIdxLabels returns exactly the generated labels', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 50 }), (labels) => {
        expect(Array.from(parseIdxLabels(idxLabels(labels.length, Uint8Array.from(labels)), 'gen-labels'))).toEqual(labels);
      }),
      params(100),
    );
  });

  it('arbitrary bytes: consistent result or DataFormatError naming the file, fast', () => {
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array(Buffer.concat([Buffer.from([0, 0, 8, 3]), b]))),
      fc.uint8Array({ maxLength: 64 }).map((b) => new Uint8Array(Buffer.concat([Buffer.from([0, 0, 8, 1]), b]))),
    );
    fc.assert(
      fc.property(bytesArb, fc.integer({ min: 0, max: 7 }), (bytes, offset) => {
        // also a view at an odd offset into a larger buffer (DataView must honour byteOffset)
        const backing = new Uint8Array(offset + bytes.length);
        backing.set(bytes, offset);
        const view = backing.subarray(offset);
        const images = attempt(() => parseIdxImages(view, 'fuzz-images'));
        expect(images.ms).toBeLessThan(SYNC_LIMIT_MS);
        if (images.ok) {
          const { n, rows, cols } = images.value;
          expect(BigInt(16) + BigInt(n) * BigInt(rows) * BigInt(cols)).toBe(BigInt(bytes.length));
          expect(Buffer.from(images.value.pixels).equals(Buffer.from(bytes.subarray(16)))).toBe(true);
        } else expectDataFormatError(images.error, ['parseIdxImages'], 'fuzz-images');
        const labels = attempt(() => parseIdxLabels(view, 'fuzz-labels'));
        expect(labels.ms).toBeLessThan(SYNC_LIMIT_MS);
        if (labels.ok) {
          expect(labels.value.length + 8).toBe(bytes.length);
          expect(Array.from(labels.value)).toEqual(Array.from(bytes.subarray(8)));
        } else expectDataFormatError(labels.error, ['parseIdxLabels'], 'fuzz-labels');
      }),
      params(300),
    );
  });

  it('lying image headers (n·rows·cols ≥ 2^32, or far beyond the file) fail fast with DataFormatError and allocate nothing', () => {
    const arb = fc.oneof(
      fc.record({ n: uint32Arb, rows: uint32Arb, cols: uint32Arb, payload: fc.uint8Array({ maxLength: 1024 }) }),
      // the payload length equals n·rows·cols mod 2^32: caught only if the product is not computed in 32 bits
      fc
        .record({ n: uint32Arb, rows: uint32Arb, cols: uint32Arb, extra: fc.integer({ min: 0, max: 1024 }) })
        .filter(({ n, rows, cols }) => BigInt(n) * BigInt(rows) * BigInt(cols) >= 2n ** 32n)
        .map(({ n, rows, cols, extra }) => {
          const wrapped = Number((BigInt(n) * BigInt(rows) * BigInt(cols)) % 2n ** 32n);
          return { n, rows, cols, payload: new Uint8Array(wrapped <= 4096 ? wrapped : extra) };
        }),
      fc.constantFrom(
        { n: 0x10000, rows: 0x10000, cols: 1, payload: new Uint8Array(0) },
        { n: 1, rows: 0x10000, cols: 0x10000, payload: new Uint8Array(0) },
        { n: 0x10001, rows: 0x10000, cols: 1, payload: new Uint8Array(0x10000) },
        { n: 1e9, rows: 28, cols: 28, payload: new Uint8Array(1024) },
        { n: 0xffffffff, rows: 0xffffffff, cols: 0xffffffff, payload: new Uint8Array(1024) },
        // 4e9 images of 0 × 28 pixels "fit" in a 16-byte file
        { n: 0xffffffff, rows: 0, cols: 28, payload: new Uint8Array(0) },
        { n: 60000, rows: 28, cols: 0, payload: new Uint8Array(0) },
      ),
    );
    fc.assert(
      fc.property(arb, ({ n, rows, cols, payload }) => {
        const bytes = idxImages(n, rows, cols, payload);
        const truth = BigInt(n) * BigInt(rows) * BigInt(cols) === BigInt(payload.length);
        const before = process.memoryUsage().arrayBuffers;
        const r = attempt(() => parseIdxImages(bytes, 'lying-images'));
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 20);
        expect(r.ms).toBeLessThan(SYNC_LIMIT_MS);
        if (r.ok) {
          expect(truth).toBe(true);
          expect([r.value.n, r.value.rows, r.value.cols]).toEqual([n, rows, cols]);
          // an image has at least one pixel: a 16-byte file cannot hold 4e9 images of 0 × 0 pixels
          if (r.value.n > 0) expect(r.value.rows * r.value.cols).toBeGreaterThan(0);
        } else {
          expectDataFormatError(r.error, ['parseIdxImages'], 'lying-images');
          expect(truth && rows > 0 && cols > 0).toBe(false);
        }
      }),
      params(300),
    );
  });

  it('lying label headers (n up to 2^32 - 1 over ≤ 1 kB) fail fast with DataFormatError and allocate nothing', () => {
    fc.assert(
      fc.property(uint32Arb, fc.uint8Array({ maxLength: 1024 }), (n, payload) => {
        const bytes = idxLabels(n, payload);
        const before = process.memoryUsage().arrayBuffers;
        const r = attempt(() => parseIdxLabels(bytes, 'lying-labels', 256));
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 20);
        expect(r.ms).toBeLessThan(SYNC_LIMIT_MS);
        if (r.ok) expect(Array.from(r.value)).toEqual(Array.from(payload));
        else {
          expectDataFormatError(r.error, ['parseIdxLabels'], 'lying-labels');
          expect(n).not.toBe(payload.length);
        }
      }),
      params(200),
    );
  });

  it('10^9 labels claimed by a 1 kB file: DataFormatError before any allocation', () => {
    const bytes = idxLabels(1e9, new Uint8Array(1024 - 8));
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    expect(() => parseIdxLabels(bytes, 'billion-labels')).toThrow(DataFormatError);
    expect(() => parseIdxLabels(bytes, 'billion-labels')).toThrow(/parseIdxLabels: billion-labels has 1024 bytes but its header \(n = 1000000000\) needs 8 \+ n = 1000000008/);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 20);
  });

  it('isGzip is exactly "starts with 1f 8b"', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b]))), (b) => {
        expect(isGzip(b)).toBe(b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b);
      }),
      params(100),
    );
  });
});

// ---------------------------------------------------------------------------
// loadFashionMnist on a folder of four (possibly gzipped, possibly mutated) files

const FM_NAMES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;
type FmKey = keyof typeof FM_NAMES;
const FM_KEYS = Object.keys(FM_NAMES) as FmKey[];

interface GenSplit {
  labels: number[];
  seed: number;
}
interface GenFashion {
  rows: number;
  cols: number;
  train: GenSplit;
  test: GenSplit;
  gzip: Record<FmKey, boolean>;
  dropGz: Record<FmKey, boolean>;
}
const splitArb = fc.record({ labels: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }), seed: fc.nat() });
const perFileBool = fc.record({ trainImages: fc.boolean(), trainLabels: fc.boolean(), testImages: fc.boolean(), testLabels: fc.boolean() });
const fashionArb: fc.Arbitrary<GenFashion> = fc.record({
  rows: fc.integer({ min: 1, max: 6 }),
  cols: fc.integer({ min: 1, max: 6 }),
  train: splitArb,
  test: splitArb,
  gzip: perFileBool,
  dropGz: perFileBool,
});

function fashionPlain(g: GenFashion): Record<FmKey, Buffer> {
  const img = (s: GenSplit) => idxImages(s.labels.length, g.rows, g.cols, seededBytes(s.seed, s.labels.length * g.rows * g.cols));
  return {
    trainImages: img(g.train),
    trainLabels: idxLabels(g.train.labels.length, Uint8Array.from(g.train.labels)),
    testImages: img(g.test),
    testLabels: idxLabels(g.test.labels.length, Uint8Array.from(g.test.labels)),
  };
}

type FileMutation = { kind: 'bytes'; m: Mutation } | { kind: 'bomb'; labels: boolean };
const fileMutationArb: fc.Arbitrary<FileMutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('bytes' as const), m: mutationArb }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('bomb' as const), labels: fc.boolean() }), weight: 1 },
);

/** A valid-looking IDX header (1 image of 28 × 28, or 1 label) followed by 32 MiB of zeros, gzipped into ~32 kB. */
const BOMBS = {
  images: zeroBomb(32, idxImages(1, 28, 28, new Uint8Array(0))),
  labels: zeroBomb(32, idxLabels(1, new Uint8Array(0))),
};

describe('fuzz: loadFashionMnist gzip detection and decompression', () => {
  it('a folder of four generated files (gzip or not, any name) loads exactly; mutated files give DataFormatError naming the file', async () => {
    const mutsArb = fc.array(fc.record({ key: fc.constantFrom(...FM_KEYS), mut: fileMutationArb }), { maxLength: 2 });
    await fc.assert(
      fc.asyncProperty(fashionArb, mutsArb, async (g, muts) => {
        const dir = freshDir();
        const plain = fashionPlain(g);
        const written = {} as Record<FmKey, string>;
        for (const key of FM_KEYS) {
          let bytes = g.gzip[key] ? zlib.gzipSync(plain[key]) : plain[key];
          for (const { key: k, mut } of muts) {
            if (k !== key) continue;
            bytes = mut.kind === 'bomb' ? (mut.labels ? BOMBS.labels : BOMBS.images) : mutate(bytes, mut.m);
          }
          written[key] = path.join(dir, g.dropGz[key] ? FM_NAMES[key].replace(/\.gz$/, '') : FM_NAMES[key]);
          fs.writeFileSync(written[key], bytes);
        }
        const r = await attemptAsync(() => loadFashionMnist({ source: dir, systemDir: false, progress: false }));
        // the largest genuine file here is < 200 bytes; a bomb must be stopped at its header's length, not inflated
        expect(r.peak, `peak arrayBuffers growth ${r.peak}`).toBeLessThan(8 * 2 ** 20);
        const mutated = muts.some(({ mut }) => mut.kind === 'bomb' || mut.m.kind !== 'none');
        if (!mutated) {
          if (!r.ok) throw r.error;
          for (const [which, s] of [['train', g.train], ['test', g.test]] as const) {
            const split = r.value[which];
            expect(split.n).toBe(s.labels.length);
            expect(Array.from(split.labels)).toEqual(s.labels);
            expect(Buffer.from(split.pixels).equals(Buffer.from(seededBytes(s.seed, s.labels.length * g.rows * g.cols)))).toBe(true);
            expect(split.imageShape).toEqual([g.rows, g.cols, 1]);
          }
        } else if (r.ok) {
          for (const split of [r.value.train, r.value.test]) {
            expect(split.labels.length).toBe(split.n);
            expect(split.pixels.length).toBe(split.n * split.imageShape![0] * split.imageShape![1]);
            expect(split.labels.every((l) => l >= 0 && l <= 9)).toBe(true);
          }
        } else {
          expectDataFormatError(r.error, ['loadFashionMnist', 'parseIdxImages', 'parseIdxLabels'], dir);
        }
      }),
      params(120),
    );
  });

  it('valid files gzipped as several members, split anywhere (inside the header too), of several zlib chunks, load exactly', async () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 400 }), // up to 313 kB of 28 × 28 pixels: several 64 kB chunks
      seed: fc.nat(),
      cuts: fc.array(fc.nat(), { maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ n, seed, cuts }) => {
        const dir = freshDir();
        const labels = Array.from(seededBytes(seed + 1, n), (b) => b % 10);
        const pixels = seededBytes(seed, n * 784);
        const plain: Record<FmKey, Buffer> = {
          trainImages: idxImages(n, 28, 28, pixels),
          trainLabels: idxLabels(n, Uint8Array.from(labels)),
          testImages: idxImages(1, 28, 28, new Uint8Array(784)),
          testLabels: idxLabels(1, Uint8Array.of(3)),
        };
        for (const key of FM_KEYS) {
          const bytes = plain[key];
          const at = [...new Set(cuts.map((c) => c % bytes.length))].sort((x, y) => x - y);
          const parts = [0, ...at, bytes.length].slice(1).map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
          fs.writeFileSync(path.join(dir, FM_NAMES[key]), Buffer.concat(parts.map((p) => zlib.gzipSync(p))));
        }
        const t0 = performance.now();
        const data = await loadFashionMnist({ source: dir, systemDir: false, progress: false });
        expect(performance.now() - t0).toBeLessThan(2000);
        expect(data.train.n).toBe(n);
        expect(Array.from(data.train.labels)).toEqual(labels);
        expect(Buffer.from(data.train.pixels).equals(Buffer.from(pixels))).toBe(true);
        expect(Array.from(data.test.labels)).toEqual([3]);
      }),
      params(25),
    );
  });

  it('a gzip bomb behind a valid header (784 pixels declared, 64 MiB inflated) stops at the declared length', async () => {
    const dir = freshDir();
    const plain = fashionPlain({ rows: 28, cols: 28, train: { labels: [1], seed: 1 }, test: { labels: [2], seed: 2 }, gzip: perFalse(), dropGz: perFalse() });
    for (const key of FM_KEYS) fs.writeFileSync(path.join(dir, FM_NAMES[key]), zlib.gzipSync(plain[key]));
    const bomb = zeroBomb(64, idxImages(1, 28, 28, new Uint8Array(0)));
    fs.writeFileSync(path.join(dir, FM_NAMES.trainImages), bomb);
    const t0 = performance.now();
    const r = await attemptAsync(() => loadFashionMnist({ source: dir, systemDir: false, progress: false }));
    expect(performance.now() - t0).toBeLessThan(RUN_TIMEOUT_MS);
    expect(r.peak).toBeLessThan(8 * 2 ** 20);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expectDataFormatError(r.error, ['loadFashionMnist', 'parseIdxImages'], path.join(dir, FM_NAMES.trainImages));
      expect((r.error as Error).message).toMatch(/longer than its header says/);
    }
  });
});

function perFalse(): Record<FmKey, boolean> {
  return { trainImages: false, trainLabels: false, testImages: false, testLabels: false };
}

// ---------------------------------------------------------------------------
// loadModel on a folder with a random or mutated model.json / weights.bin.
// lib/models/io.ts was being rewritten when this was written. The io.ts of
// 51392d7 failed this property (TypeError on `null` JSON, a non-array
// manifest/paths/shape, EISDIR for paths ["."], TF.js ValueErrors passed
// through, and weights read from "../outside.bin"); the rewrite in 80eb20f
// passes it. If a later rewrite fails it for reasons in io.ts, mark it
// it.skip('… (io.ts rewrite in progress)') rather than weaken it.

describe('fuzz: loadModel (model folders)', () => {
  it('random/mutated model.json and weights.bin: a model or DataFormatError, never another error, never a file outside the folder', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { loadModel, saveModel } = await import('../../lib/models/io');
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const base = await saveModel(model, path.join(freshDir(), 'base'));
    const goodJson = JSON.parse(fs.readFileSync(path.join(base, 'model.json'), 'utf8'));
    const goodWeights = fs.readFileSync(path.join(base, 'weights.bin'));
    type ModelMutation =
      | { kind: 'json'; value: unknown }
      | { kind: 'text'; m: Mutation }
      | { kind: 'manifest'; value: unknown }
      | { kind: 'shape'; value: unknown }
      | { kind: 'paths'; value: unknown }
      | { kind: 'weights'; m: Mutation }
      | { kind: 'symlink' };
    const mutArb: fc.Arbitrary<ModelMutation> = fc.oneof(
      fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({ kind: fc.constant('text' as const), m: mutationArb }),
      fc.record({ kind: fc.constant('manifest' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({ kind: fc.constant('shape' as const), value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.array(fc.integer({ min: -5, max: 2 ** 31 }), { maxLength: 3 })) }),
      fc.record({ kind: fc.constant('paths' as const), value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant(['../outside.bin']), fc.constant(['.']), fc.constant([])) }),
      fc.record({ kind: fc.constant('weights' as const), m: mutationArb }),
      fc.constant({ kind: 'symlink' as const }),
    );
    await fc.assert(
      fc.asyncProperty(mutArb, async (mut) => {
        const root = freshDir();
        const dir = path.join(root, 'model');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(root, 'outside.bin'), goodWeights);
        const json = structuredClone(goodJson);
        let text: Buffer | string = JSON.stringify(json);
        let weights: Buffer = goodWeights;
        if (mut.kind === 'json') text = JSON.stringify(mut.value) ?? 'undefined';
        if (mut.kind === 'text') text = mutate(Buffer.from(text), mut.m);
        if (mut.kind === 'manifest') text = JSON.stringify({ ...json, weightsManifest: mut.value });
        if (mut.kind === 'shape') {
          json.weightsManifest[0].weights[0].shape = mut.value;
          text = JSON.stringify(json);
        }
        if (mut.kind === 'paths') {
          json.weightsManifest[0].paths = mut.value;
          text = JSON.stringify(json);
        }
        if (mut.kind === 'weights') weights = mutate(goodWeights, mut.m);
        fs.writeFileSync(path.join(dir, 'model.json'), text);
        if (mut.kind === 'symlink') fs.symlinkSync(path.join(root, 'outside.bin'), path.join(dir, 'weights.bin'));
        else fs.writeFileSync(path.join(dir, 'weights.bin'), weights);
        const r = await attemptAsync(() => loadModel(dir));
        if (r.ok) {
          // a model may only come from files inside the folder
          expect(mut.kind === 'symlink' || (mut.kind === 'paths' && JSON.stringify(mut.value).includes('..'))).toBe(false);
        } else {
          expectDataFormatError(r.error, ['loadModel'], dir);
        }
      }),
      params(80),
    );
  });
});
