/**
 * Training and inference throughput of the CIFAR-10 tutorial CNN
 * (lib/models/cnn.ts) on this machine's TF.js backend, next to PyTorch on the
 * same model and minibatch sizes (bench/torch_cnn.py).
 *
 * Usage: `npm run build && npm run bench -- [--batch-sizes 64,32] [--n 2048]
 * [--epochs 2] [--backend wasm|cpu|tensorflow] [--data PATH] [--no-torch] [--json]`.
 * `--json` prints one JSON object as the last stdout line.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, BackendChoice, BackendReport, formatBackendReport, initBackend } from '../lib/backend';
import { ArgumentError } from '../lib/errors';
import { imagesToTensor, labelsToTensor, loadCifar10 } from '../lib/data/cifar10';
import { buildCifar10Cnn, compileClassifier } from '../lib/models/cnn';

/** Throughput of one minibatch size. */
interface OursResult {
  batch: number;
  /** Training images per second over the timed epochs (after a warm-up epoch). */
  trainImgPerS: number;
  /** Training images per second of the fastest timed epoch (least disturbed by other processes). */
  trainBestImgPerS: number;
  /** Seconds of each timed epoch. */
  epochSeconds: number[];
  /** Inference images per second (model.predict, same minibatch size). */
  inferImgPerS: number;
  /** Tensors left behind by one timed epoch (0 = no leak). */
  leakedTensors: number;
}

interface TorchResult {
  batch: number;
  train_img_s: number;
  infer_img_s: number;
}

type TorchOutcome = { available: true; torch: string; threads: number; results: TorchResult[] } | { available: false; why: string };

const HELP = `Usage: node dist/bench/bench.js [options]
  --batch-sizes LIST  comma-separated minibatch sizes (default 64,32)
  --n N               random images per epoch (default 2048)
  --epochs N          timed epochs after one warm-up epoch (default 2)
  --backend NAME      tensorflow | wasm | cpu (default: initBackend's choice)
  --data PATH         train on the first N images of a CIFAR-10 archive or folder
                      instead of random ones (PyTorch still gets random data:
                      speed does not depend on the values)
  --no-torch          skip the PyTorch reference
  --json              print one JSON object as the last stdout line
  --help`;

function positiveInt(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`bench: --${name} must be a positive integer, got '${text}'`);
  return v;
}

async function benchOurs(batch: number, n: number, epochs: number, x: tf.Tensor4D, y: tf.Tensor1D): Promise<OursResult> {
  const model = compileClassifier(buildCifar10Cnn({ seed: 1 }), { learningRate: 1e-3 });
  const fitArgs = { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 as const, yieldEvery: 'never' as const };
  await model.fit(x, y, fitArgs); // warm-up: kernel setup, XNNPACK operators, optimizer slots

  const epochSeconds: number[] = [];
  let leakedTensors = 0;
  for (let e = 0; e < epochs; e++) {
    const before = tf.memory().numTensors;
    const t0 = process.hrtime.bigint();
    const h = await model.fit(x, y, fitArgs);
    epochSeconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    leakedTensors = Math.max(leakedTensors, tf.memory().numTensors - before);
    if (!Number.isFinite(h.history.loss[0] as number)) throw new Error(`bench: training loss is ${h.history.loss[0]} at batch ${batch}`);
  }
  const trainImgPerS = (n * epochs) / epochSeconds.reduce((a, b) => a + b, 0);

  tf.dispose(model.predict(x, { batchSize: batch }) as tf.Tensor); // warm-up
  const t0 = process.hrtime.bigint();
  const p = model.predict(x, { batchSize: batch }) as tf.Tensor;
  await p.data(); // wait for the values, not only the dispatch
  const inferImgPerS = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  tf.dispose(p);
  model.dispose();
  return { batch, trainImgPerS, trainBestImgPerS: n / Math.min(...epochSeconds), epochSeconds, inferImgPerS, leakedTensors };
}

/** Finds bench/torch_cnn.py whether we run from dist/bench/ or from the sources. */
function torchScript(): string | undefined {
  const candidates = [path.join(__dirname, 'torch_cnn.py'), path.resolve(__dirname, '..', '..', 'bench', 'torch_cnn.py')];
  return candidates.find((p) => fs.existsSync(p));
}

function runTorch(batchSizes: number[], n: number, epochs: number): TorchOutcome {
  const python = '/usr/bin/python3';
  const script = torchScript();
  if (script === undefined) return { available: false, why: 'bench/torch_cnn.py not found' };
  if (!fs.existsSync(python)) return { available: false, why: `${python} not found` };
  const r = spawnSync(python, [script, '--batch-sizes', batchSizes.join(','), '--n', String(n), '--epochs', String(epochs), '--threads', '2'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30 * 60 * 1000,
  });
  if (r.error) return { available: false, why: `${python} failed to start: ${r.error.message}` };
  const lines = (r.stdout ?? '').trim().split('\n');
  const last = lines[lines.length - 1];
  try {
    return JSON.parse(last) as TorchOutcome;
  } catch {
    const err = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    return { available: false, why: `${path.basename(script)} exited with status ${r.status} without a result: ${err || last}` };
  }
}

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'batch-sizes': { type: 'string', default: '64,32' },
      n: { type: 'string', default: '2048' },
      epochs: { type: 'string', default: '2' },
      backend: { type: 'string' },
      data: { type: 'string' },
      'no-torch': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const batchSizes = values['batch-sizes'].split(',').map((s) => positiveInt('batch-sizes', s.trim()));
  let n = positiveInt('n', values.n);
  const epochs = positiveInt('epochs', values.epochs);
  if (values.backend !== undefined && !(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new ArgumentError(`bench: --backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${values.backend}'`);
  }

  const report: BackendReport = await initBackend(values.backend ? { backend: values.backend as BackendChoice } : {});
  const cpus = os.cpus();
  const machine = { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, platform: `${os.platform()} ${os.release()}`, node: process.version };
  console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.platform}; Node ${machine.node}`);
  console.log(formatBackendReport(report));
  console.log(`Model: buildCifar10Cnn (167,562 parameters), Adam 1e-3, sparse categorical cross-entropy`);
  let x: tf.Tensor4D; // [n, height, width, channels] float32 in [0, 1]
  let y: tf.Tensor1D; // [n] class indices 0..9
  // Labels are float32, not int32: tfjs-layers' sparse categorical
  // cross-entropy applies tf.floor to them, which rejects int32.
  if (values.data !== undefined) {
    const data = await loadCifar10({ source: values.data, testSize: 1, progress: false });
    n = Math.min(n, data.train.n);
    x = imagesToTensor(data.train, 0, n);
    const yInt = labelsToTensor(data.train, 0, n);
    y = tf.cast(yInt, 'float32');
    yInt.dispose();
    console.log(`Data: the first ${n} training images of ${data.source}; 1 warm-up epoch + ${epochs} timed`);
  } else {
    x = tf.randomUniform([n, 32, 32, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    y = tf.tensor1d(Float32Array.from({ length: n }, (_, i) => (i * 7919) % 10), 'float32');
    console.log(`Data: ${n} random float32 images [${n}, 32, 32, 3] in [0, 1), integer labels 0..9 (float32); 1 warm-up epoch + ${epochs} timed`);
  }
  const ours: OursResult[] = [];
  for (const batch of batchSizes) {
    const r = await benchOurs(batch, n, epochs, x, y);
    ours.push(r);
    console.log(
      `TF.js ${report.backend} batch ${batch}: train ${fmt(r.trainImgPerS)} img/s, best epoch ${fmt(r.trainBestImgPerS)} img/s ` +
        `(epochs ${r.epochSeconds.map((s) => s.toFixed(2)).join(', ')} s), inference ${fmt(r.inferImgPerS)} img/s` +
        (r.leakedTensors > 0 ? `, LEAK: ${r.leakedTensors} tensors per epoch` : ''),
    );
  }
  tf.dispose([x, y]);

  let torch: TorchOutcome;
  if (values['no-torch']) {
    torch = { available: false, why: 'skipped (--no-torch)' };
  } else {
    console.log('Running PyTorch reference (/usr/bin/python3 bench/torch_cnn.py, 2 threads)...');
    torch = runTorch(batchSizes, n, epochs);
  }
  if (!torch.available) console.log(`PyTorch not available: ${torch.why}`);

  const rows = ours.map((r) => {
    const t = torch.available ? torch.results.find((q) => q.batch === r.batch) : undefined;
    return {
      batch: r.batch,
      oursTrain: r.trainImgPerS,
      torchTrain: t?.train_img_s,
      trainRatio: t ? r.trainImgPerS / t.train_img_s : undefined,
      oursInfer: r.inferImgPerS,
      torchInfer: t?.infer_img_s,
      inferRatio: t ? r.inferImgPerS / t.infer_img_s : undefined,
    };
  });
  const head = ['batch', `train ours (${report.backend})`, 'train PyTorch', 'ours/PyTorch', 'infer ours', 'infer PyTorch', 'ours/PyTorch'];
  const body = rows.map((r) => [
    String(r.batch),
    fmt(r.oursTrain),
    fmt(r.torchTrain),
    r.trainRatio === undefined ? '–' : r.trainRatio.toFixed(2),
    fmt(r.oursInfer),
    fmt(r.torchInfer),
    r.inferRatio === undefined ? '–' : r.inferRatio.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
  console.log(`\nImages per second (higher is better; training = mean over the timed epochs; load average ${os.loadavg()[0].toFixed(2)}):`);
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const b of body) console.log(line(b));

  if (values.json) {
    console.log(JSON.stringify({ machine, backend: report, data: values.data ?? 'random', n, epochs, ours, torch, rows }));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
});
