/**
 * lib/backend/bench_results.ts: the recorded bench runs in bench/results/
 * read back as throughput rows, checked against the bench's own printed
 * fields in the same files; malformed results rejected with the field named.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, BENCH_RESULTS_DIR, DataFormatError, benchThroughput, readBenchResults } from '../../lib';
import { ROOT } from '../helpers/notebook';

const DIR = path.join(ROOT, 'bench', 'results');

describe('readBenchResults on the committed bench/results', () => {
  const records = readBenchResults(DIR);
  it("BENCH_RESULTS_DIR, readBenchResults' default, is the repository's bench/results (from lib/ and from dist/)", async () => {
    expect(BENCH_RESULTS_DIR).toBe(DIR);
    const built = (await import(path.join(ROOT, 'dist', 'lib', 'index.js'))) as { BENCH_RESULTS_DIR: string };
    expect(built.BENCH_RESULTS_DIR).toBe(DIR);
    expect(readBenchResults().map((r) => r.file)).toEqual(records.map((r) => r.file));
  });
  it('one record per .json file, each with the command that produced it, its date and machine', () => {
    expect(records.map((r) => r.file)).toEqual(fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort());
    for (const r of records) {
      expect(r.command).toMatch(/^(\S+=\S+ )*npm run bench -- .*--json/);
      expect(Number.isNaN(Date.parse(r.recordedAt))).toBe(false);
      expect(r.machine).toMatch(/\d+ cores, Node v\d+/);
    }
  });
  it("each course row equals the file's rows[].oursTrain and oursInfer (the bench's median epoch and fastest inference); peers their train/infer", () => {
    for (const r of records) {
      const json = JSON.parse(fs.readFileSync(path.join(DIR, r.file), 'utf8')) as { rows: { backend: string; batch: number; oursTrain: number; oursInfer: number; peers: { name: string; train?: number }[] }[] };
      for (const row of json.rows) {
        const ours = r.rows.find((x) => x.kind === 'course' && x.runtime.startsWith(`TF.js ${row.backend}`) && x.batch === row.batch)!;
        expect(ours.trainImagesPerSecond).toBe(row.oursTrain);
        expect(ours.inferImagesPerSecond).toBe(row.oursInfer);
        for (const p of row.peers.filter((q) => q.train)) expect(r.rows.find((x) => x.kind === 'peer' && x.runtime === p.name && x.batch === row.batch)!.trainImagesPerSecond).toBe(p.train);
      }
    }
  });
});

describe('benchThroughput', () => {
  const result = {
    backends: [{ backend: 'wasm', threads: 2 }, { backend: 'cpu', threads: 1 }],
    rows: [
      { backend: 'wasm', batch: 32, oursTrain: 800, oursInfer: 1600, peers: [{ name: 'Keras', train: 1500, infer: 4000 }, { name: 'PyTorch', train: undefined }] },
      { backend: 'cpu', batch: 32, oursTrain: 7, oursInfer: 28, peers: [{ name: 'Keras', train: 1500, infer: 4000 }] },
    ],
  };
  it('course rows first with their threads, then each peer once per batch; a peer that did not run is left out', () => {
    expect(benchThroughput(result).map((r) => [r.runtime, r.kind, r.batch, r.trainImagesPerSecond])).toEqual([
      ['TF.js wasm (2 threads)', 'course', 32, 800],
      ['TF.js cpu (1 thread)', 'course', 32, 7],
      ['Keras', 'peer', 32, 1500],
    ]);
  });
  it('names the file and the field that is wrong', () => {
    expect(() => benchThroughput({ rows: [{ backend: 'wasm', batch: 0, oursTrain: 1 }] }, 'f.json')).toThrow(DataFormatError);
    expect(() => benchThroughput({ rows: [{ backend: 'wasm', batch: 0, oursTrain: 1 }] }, 'f.json')).toThrow('benchThroughput: f.json: rows[0].batch must be an integer > 0, got number 0');
    expect(() => benchThroughput([])).toThrow('must be the JSON object of npm run bench -- --json');
  });
  it('readBenchResults: a folder without results, a file without its command', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-bench-'));
    try {
      expect(() => readBenchResults(dir)).toThrow(ArgumentError);
      fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ recordedAt: '2026-01-01T00:00Z', machine: {}, rows: [] }));
      expect(() => readBenchResults(dir)).toThrow('readBenchResults: a.json: command must be the command that produced it, got undefined');
      fs.writeFileSync(path.join(dir, 'a.json'), '{');
      expect(() => readBenchResults(dir)).toThrow(/a\.json is not JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('benchThroughput with several models in one run', () => {
  it("keeps the chosen model's rows (rows without a model are the CNN's), so the ResNet never mixes into the CNN's chart", () => {
    const result = {
      backends: [{ backend: 'wasm', threads: 2 }],
      rows: [
        { model: 'cnn', backend: 'wasm', batch: 32, oursTrain: 800, peers: [{ name: 'Keras 3', train: 1500 }] },
        { model: 'resnet', backend: 'wasm', batch: 32, oursTrain: 90, peers: [{ name: 'Keras 3', train: 400 }] },
      ],
    };
    expect(benchThroughput(result).map((r) => r.trainImagesPerSecond)).toEqual([800, 1500]);
    expect(benchThroughput(result, 'x.json', 'resnet').map((r) => r.trainImagesPerSecond)).toEqual([90, 400]);
    expect(benchThroughput({ backends: [], rows: [{ backend: 'cpu', batch: 32, oursTrain: 7 }] }).map((r) => r.trainImagesPerSecond)).toEqual([7]);
  });
});
