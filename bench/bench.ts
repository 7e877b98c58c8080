/**
 * Performance of the course on this machine, in one run: training and
 * inference throughput of the CIFAR-10 tutorial CNN (lib/models/cnn.ts) and
 * of the case study's ResNet (lib/models/resnet.ts, bench/models.ts) on each
 * course backend that loads (wasm, native TensorFlow) with `model.fit` and
 * with the main job's own loop (`trainClassifier`), the time to read and
 * decode the CIFAR-10 archive, the main job's peak memory, the time of a
 * trivial notebook cell in the tslab kernel, and PyTorch and Keras on the same
 * models (bench/torch_cnn.py, bench/keras_cnn.py) with our/their ratios.
 * Results: docs/performance.md; recorded runs' JSON: bench/results/.
 *
 * Usage: `npm run build && npm run bench -- [options]` (see HELP); `--json`
 * prints one JSON object as the last stdout line.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, BackendChoice, BackendReport, formatBackendReport, initBackend } from '../lib/backend/backend';
import { imagesToTensor, labelsToTensor } from '../lib/core/examples';
import { loadCifar10 } from '../lib/data/cifar10';
import { ArgumentError } from '../lib/core/errors';
import { trainClassifier } from '../lib/train/classifier';
import { DEFAULT_DATA, ROOT, pythonWith, pythonsWith, runPython } from './peers';
import { BenchModel, ResNetSpec, buildBenchModel, caseStudyResNet, describeModel, formatResNetSpec, parseModels, parseResNetSpec } from './models';

/** Throughput of one minibatch size. */
interface OursResult {
  batch: number;
  /** Training images/s with `model.fit`, over all timed epochs (after a warm-up epoch). */
  trainImgPerS: number;
  /** Same, median epoch: the headline figure, robust to an epoch slowed by other processes on a shared machine. */
  trainMedianImgPerS: number;
  /** Same, fastest timed epoch (least disturbed by other processes). */
  trainBestImgPerS: number;
  /** Seconds of each timed `model.fit` epoch. */
  epochSeconds: number[];
  /** Training images/s of the main job's loop (`trainClassifier`: uint8 minibatches, shuffling, `trainOnBatch`), fastest timed epoch. */
  loopBestImgPerS: number;
  /** Seconds of each timed `trainClassifier` epoch. */
  loopEpochSeconds: number[];
  /** Inference images/s (`model.predict`, same minibatch size), fastest of 3. */
  inferImgPerS: number;
  /** Tensors left behind by one timed epoch (0 = no leak). */
  leakedTensors: number;
}

/** One row of `ours`: a model on a course backend at one minibatch size. */
type OursRow = OursResult & { model: BenchModel; backend: string; parameters: number };

interface ReferenceResult {
  batch: number;
  train_img_s: number;
  infer_img_s: number;
}

type Reference = { available: true; results: ReferenceResult[]; [k: string]: unknown } | { available: false; why: string };

/** Data read + decode time. */
type DataTiming = { available: true; source: string; seconds: number; trainImages: number; testImages: number; archiveBytes: number } | { available: false; why: string };

/** The main job under COURSE_QUICK=1, as a child process. */
type MainJob =
  | { available: true; command: string; peakRssMiB: number; wallSeconds: number; trainImagesPerSecond?: number; testAccuracy?: number }
  | { available: false; why: string };

/** A trivial cell in the tslab kernel. */
type NotebookCell = { available: true; kernel: string; start_s: number; first_cell_s: number; median_cell_s: number } | { available: false; why: string };

const HELP = `Usage: node dist/bench/bench.js [options]
  --models LIST       models to time: cnn (the chapter-05 CNN), resnet (the
                      case study's ResNet, CHAPTER04B_CONFIG.full.resnet);
                      default cnn,resnet
  --resnet N:W/W/W    the ResNet's blocks per stage and stage widths instead
                      (e.g. 3:16/32/64 = ResNet-20); the peers build the same
  --batch-sizes LIST  comma-separated minibatch sizes (default 32,64)
  --n N               images per epoch (default 2048)
  --epochs N          timed epochs after one warm-up epoch (default 3)
  --backends LIST     course backends to time, in one run: tensorflow, wasm, cpu
                      (default tensorflow,wasm: each that loads; tensorflow =
                      tfjs-node, e.g. from npm run setup:native; wasm threads
                      from DL_COURSE_WASM_THREADS, default all cores)
  --backend NAME      same as --backends NAME
  --data PATH         CIFAR-10 archive or folder: timed read + decode, training
                      images, and the main job's data (default
                      ../shared/data/cifar10-subset/cifar-10-binary.tar.gz when
                      present, else random images and no data / main-job timing)
  --no-loop           skip the main job's loop (trainClassifier) timing
  --no-main-job       skip the main job's peak-memory run
  --no-notebook       skip the tslab notebook-cell timing
  --peer-threads N    PyTorch's threads (default: the cores, at most 8, as
                      wasm); on a machine busy with other work, 1 (with
                      DL_COURSE_WASM_THREADS=1) avoids threads waiting for
                      each other
  --no-torch          skip the PyTorch reference
  --no-keras          skip the Keras reference
  --json              print one JSON object as the last stdout line
  --record FILE       also write that object to FILE (e.g. bench/results/NAME.json,
                      which chapter 08 charts), with the command, date and commit
  --help`;

function positiveInt(name: string, text: string): number {
  const v = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(v) || v < 1) throw new ArgumentError(`bench: --${name} must be a positive integer, got '${text}'`);
  return v;
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function benchOurs(
  which: BenchModel, spec: ResNetSpec, batch: number, n: number, epochs: number, x: tf.Tensor4D, y: tf.Tensor1D, pixels: Uint8Array, labels: Int32Array, loop: boolean,
): Promise<OursResult> {
  const model = buildBenchModel(which, spec);
  const fitArgs = { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 as const, yieldEvery: 'never' as const };
  await model.fit(x, y, fitArgs); // warm-up: kernel setup, XNNPACK operators, optimizer slots

  const epochSeconds: number[] = [];
  let leakedTensors = 0;
  for (let e = 0; e < epochs; e++) {
    const before = tf.memory().numTensors;
    const t0 = process.hrtime.bigint();
    const h = await model.fit(x, y, fitArgs);
    epochSeconds.push(seconds(t0));
    leakedTensors = Math.max(leakedTensors, tf.memory().numTensors - before);
    if (!Number.isFinite(h.history.loss[0] as number)) throw new Error(`bench: training loss is ${h.history.loss[0]} at batch ${batch}`);
  }
  const trainImgPerS = (n * epochs) / epochSeconds.reduce((a, b) => a + b, 0);
  const sorted = [...epochSeconds].sort((a, b) => a - b);
  const medianSeconds = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

  // The main job's loop on the same images (uint8 → float32 minibatches built per step).
  const loopEpochSeconds: number[] = [];
  if (loop) {
    const train = { n, pixels, labels };
    for (let e = 0; e < epochs; e++) {
      const r = await trainClassifier(model, train, { epochs: 1, batchSize: batch, seed: e, progress: 'none' });
      loopEpochSeconds.push(r.trainSeconds);
    }
  }

  tf.dispose(model.predict(x, { batchSize: batch }) as tf.Tensor); // warm-up
  let inferSeconds = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    const p = model.predict(x, { batchSize: batch }) as tf.Tensor;
    await p.data(); // wait for the values, not only the dispatch
    inferSeconds = Math.min(inferSeconds, seconds(t0));
    tf.dispose(p);
  }
  model.dispose();
  return {
    batch,
    trainImgPerS,
    trainMedianImgPerS: n / medianSeconds,
    trainBestImgPerS: n / Math.min(...epochSeconds),
    epochSeconds,
    loopBestImgPerS: loop ? n / Math.min(...loopEpochSeconds) : NaN,
    loopEpochSeconds,
    inferImgPerS: n / inferSeconds,
    leakedTensors,
  };
}

async function timeData(source: string): Promise<DataTiming> {
  const t0 = process.hrtime.bigint();
  const data = await loadCifar10({ source, progress: false });
  const s = seconds(t0);
  const archiveBytes = fs.statSync(source).isFile() ? fs.statSync(source).size : 0;
  return { available: true, source, seconds: s, trainImages: data.train.n, testImages: data.test.n, archiveBytes };
}

/**
 * Runs the main job (dist/lib/cli/cifar10.js) with COURSE_QUICK=1 in a child
 * Node and reads its peak resident memory from `process.resourceUsage().maxRSS`
 * in the child at exit (worker threads included: they live in the same process).
 */
function runMainJob(data: string): MainJob {
  const cli = path.join(ROOT, 'dist', 'lib', 'cli', 'cifar10.js');
  if (!fs.existsSync(cli)) return { available: false, why: `${path.relative(ROOT, cli)} not found (run npm run build)` };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-course-bench-'));
  const rssFile = path.join(out, 'rss.json');
  // Reports maxRSS (KiB) at exit, then runs the CLI as if started directly.
  const wrapper =
    `const fs = require('fs');` +
    `process.on('exit', () => fs.writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })));` +
    `process.argv = [process.argv[0], ${JSON.stringify(cli)}, ...process.argv.slice(1)];` +
    `require(${JSON.stringify(cli)});`;
  const args = ['--data', data, '--out', out, '--json'];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', wrapper, '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, COURSE_QUICK: '1' },
    timeout: 20 * 60 * 1000,
  });
  const wallSeconds = seconds(t0);
  try {
    if (r.status !== 0) return { available: false, why: `the main job exited with status ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' | ')}` };
    const { maxRssKiB } = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { maxRssKiB: number };
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as { trainImagesPerSecond?: number; testAccuracy?: number };
    return {
      available: true,
      command: `COURSE_QUICK=1 node dist/lib/cli/cifar10.js ${args.slice(0, 2).join(' ')} --out TMP --json`,
      peakRssMiB: maxRssKiB / 1024,
      wallSeconds,
      trainImagesPerSecond: summary.trainImagesPerSecond,
      testAccuracy: summary.testAccuracy,
    };
  } catch (err) {
    return { available: false, why: `could not read the main job's result: ${(err as Error).message}` };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) ? '–' : (a / b).toFixed(2);
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'batch-sizes': { type: 'string', default: '32,64' },
      models: { type: 'string', default: 'cnn,resnet' },
      resnet: { type: 'string' },
      n: { type: 'string', default: '2048' },
      epochs: { type: 'string', default: '3' },
      backend: { type: 'string' },
      backends: { type: 'string' },
      data: { type: 'string' },
      'no-loop': { type: 'boolean', default: false },
      'no-main-job': { type: 'boolean', default: false },
      'no-notebook': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'peer-threads': { type: 'string' },
      'no-keras': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      record: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const models = parseModels(values.models);
  const spec = values.resnet === undefined ? caseStudyResNet() : parseResNetSpec(values.resnet);
  const batchSizes = values['batch-sizes'].split(',').map((s) => positiveInt('batch-sizes', s.trim()));
  let n = positiveInt('n', values.n);
  const epochs = positiveInt('epochs', values.epochs);
  const backendList = (values.backends ?? values.backend ?? 'tensorflow,wasm').split(',').map((b) => b.trim());
  for (const b of backendList) {
    if (!(BACKEND_CHOICES as readonly string[]).includes(b)) throw new ArgumentError(`bench: --backends must list ${BACKEND_CHOICES.join(', ')}, got '${b}'`);
  }
  const explicitBackends = values.backends !== undefined || values.backend !== undefined;
  const dataPath = values.data ?? (fs.existsSync(DEFAULT_DATA) ? DEFAULT_DATA : undefined);
  if (dataPath !== undefined && !fs.existsSync(dataPath)) throw new ArgumentError(`bench: --data ${dataPath} does not exist`);

  const loadStart = os.loadavg();
  const reports: BackendReport[] = [];
  const backendSkips: { backend: string; why: string }[] = [];
  for (const b of backendList) {
    try {
      reports.push(await initBackend({ backend: b as BackendChoice }));
    } catch (err) {
      if (explicitBackends) throw err;
      backendSkips.push({ backend: b, why: (err as Error).message });
    }
  }
  if (reports.length === 0) throw new Error(`bench: no course backend loaded: ${backendSkips.map((s) => s.why).join('; ')}`);
  const report = reports[0];
  const cpus = os.cpus();
  const machine = { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, platform: `${os.platform()} ${os.release()}`, node: process.version, memoryGiB: os.totalmem() / 2 ** 30 };
  console.log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}; Node ${machine.node}`);
  console.log(`Load average at start: ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  for (const r of reports) console.log(formatBackendReport(r));
  for (const s of backendSkips) console.log(`Course backend ${s.backend}: not timed (${s.why.split('\n')[0]})`);
  for (const m of models) console.log(`Model ${m}: ${describeModel(m, spec)}, Adam 1e-3, sparse categorical cross-entropy`);

  // 1. Reading and decoding the archive.
  let dataTiming: DataTiming = { available: false, why: 'no --data and the default subset archive is absent' };
  if (dataPath !== undefined) {
    dataTiming = await timeData(dataPath);
    if (dataTiming.available) {
      console.log(
        `Data: read + decode ${dataPath} (${(dataTiming.archiveBytes / 2 ** 20).toFixed(1)} MiB, ${dataTiming.trainImages} + ${dataTiming.testImages} images) in ${dataTiming.seconds.toFixed(2)} s`,
      );
    }
  }

  // 2. Training and inference, on each course backend in turn (the same images).
  let pixels: Uint8Array; // [n, 32, 32, 3] uint8
  let labels: Int32Array; // [n] class indices 0..9
  if (dataPath !== undefined) {
    const data = await loadCifar10({ source: dataPath, testSize: 1, progress: false });
    n = Math.min(n, data.train.n);
    pixels = data.train.pixels.slice(0, n * 32 * 32 * 3);
    labels = data.train.labels.slice(0, n);
    console.log(`Training data: the first ${n} training images of ${data.source}; 1 warm-up epoch + ${epochs} timed`);
  } else {
    pixels = Uint8Array.from({ length: n * 32 * 32 * 3 }, (_, i) => (Math.imul(i, 2654435761) >>> 24) & 255);
    labels = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 10);
    console.log(`Training data: ${n} pseudo-random images [${n}, 32, 32, 3], labels 0..9; 1 warm-up epoch + ${epochs} timed`);
  }
  const examples = { n, pixels, labels, imageShape: [32, 32, 3] as [number, number, number] };
  const ours: OursRow[] = [];
  for (const r0 of reports) {
    await initBackend({ backend: r0.backend as BackendChoice });
    const x = imagesToTensor(examples, 0, n); // [n, 32, 32, 3] float32 in [0, 1]
    // [n] float32: tfjs-layers' sparse cross-entropy floors its labels, which rejects int32
    const y = tf.tidy(() => tf.cast(labelsToTensor(examples, 0, n), 'float32')) as tf.Tensor1D;
    for (const m of models) for (const batch of batchSizes) {
      const r = await benchOurs(m, spec, batch, n, epochs, x, y, pixels, labels, !values['no-loop']);
      const probe = buildBenchModel(m, spec);
      ours.push({ model: m, backend: r0.backend, parameters: probe.countParams(), ...r });
      probe.dispose();
      console.log(
        `TF.js ${m} on ${r0.backend} (${r0.threads} threads) batch ${batch}: model.fit median epoch ${fmt(r.trainMedianImgPerS)} img/s, mean ${fmt(r.trainImgPerS)}, best ${fmt(r.trainBestImgPerS)} ` +
          `(epochs ${r.epochSeconds.map((s) => s.toFixed(2)).join(', ')} s); trainClassifier best ${fmt(r.loopBestImgPerS)} img/s; inference ${fmt(r.inferImgPerS)} img/s` +
          (r.leakedTensors > 0 ? `; LEAK: ${r.leakedTensors} tensors per epoch` : ''),
      );
    }
    tf.dispose([x, y]);
  }

  // 3. The main job's peak memory.
  let mainJob: MainJob = { available: false, why: 'skipped (--no-main-job)' };
  if (!values['no-main-job']) {
    if (dataPath === undefined) mainJob = { available: false, why: 'no CIFAR-10 data (--data) to run it on' };
    else {
      console.log('Running the main job with COURSE_QUICK=1 (node dist/lib/cli/cifar10.js) for its peak memory...');
      mainJob = runMainJob(dataPath);
    }
  }
  console.log(
    mainJob.available
      ? `Main job (COURSE_QUICK=1): peak RSS ${mainJob.peakRssMiB.toFixed(0)} MiB, ${mainJob.wallSeconds.toFixed(1)} s wall, ${fmt(mainJob.trainImagesPerSecond)} training img/s`
      : `Main job: not measured: ${mainJob.why}`,
  );

  // 4. A notebook cell in the tslab kernel.
  let notebook: NotebookCell = { available: false, why: 'skipped (--no-notebook)' };
  if (!values['no-notebook']) {
    const jupyterPath = path.join(ROOT, '.jupyter', 'share', 'jupyter');
    const env = { ...process.env, JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter) };
    notebook = runPython<NotebookCell>('/usr/bin/python3', 'notebook_cell.py', ['--kernel', 'tslab'], env, 300);
  }
  console.log(
    notebook.available
      ? `tslab notebook: kernel start ${notebook.start_s.toFixed(2)} s, first cell \`1 + 1\` ${(notebook.first_cell_s * 1000).toFixed(0)} ms, then median ${(notebook.median_cell_s * 1000).toFixed(0)} ms`
      : `tslab notebook cell: not measured: ${notebook.why}`,
  );

  // 5. Peers on the same model, data sizes and minibatch sizes: PyTorch with
  // every Python that has it (e.g. a pip PyTorch 2 in .venv-tf and Debian's
  // 1.13), Keras with the first Python that has TensorFlow.
  // Threads: as many as the wasm backend's default (the cores, at most 8).
  const peerThreads = values['peer-threads'] !== undefined ? positiveInt('peer-threads', values['peer-threads']) : Math.max(1, Math.min(8, machine.cores));
  const peers: { name: string; model: BenchModel; python?: string; result: Reference }[] = [];
  for (const m of models) {
    const refArgs = ['--model', m, '--resnet', formatResNetSpec(spec), '--batch-sizes', batchSizes.join(','), '--n', String(n), '--epochs', String(epochs)];
    if (!values['no-torch']) {
      const withTorch = pythonsWith('torch');
      if (withTorch.length === 0) {
        const w = pythonWith('torch');
        peers.push({ name: 'PyTorch', model: m, result: { available: false, why: 'why' in w ? w.why : 'not found' } });
      }
      for (const py of withTorch) {
        console.log(`Running PyTorch reference (${py} bench/torch_cnn.py --model ${m}, ${peerThreads} threads)...`);
        const result = runPython<Reference>(py, 'torch_cnn.py', [...refArgs, '--threads', String(peerThreads)]);
        peers.push({ name: result.available ? `PyTorch ${String(result.torch).split('+')[0]}` : 'PyTorch', model: m, python: py, result });
      }
    }
    if (!values['no-keras']) {
      const k = pythonWith('tensorflow');
      if ('why' in k) peers.push({ name: 'Keras', model: m, result: { available: false, why: k.why } });
      else {
        console.log(`Running Keras reference (${k.python} bench/keras_cnn.py --model ${m})...`);
        const result = runPython<Reference>(k.python, 'keras_cnn.py', refArgs);
        peers.push({ name: result.available ? `Keras ${String(result.keras)} / TF ${String(result.tensorflow)}` : 'Keras', model: m, python: k.python, result });
      }
    }
  }
  for (const p of peers) if (!p.result.available && p.model === models[0]) console.log(`${p.name} not available: ${p.result.why}`);
  // Same architecture: the peers' parameter counts against TF.js's countParams.
  for (const p of peers) {
    const ourCount = ours.find((r) => r.model === p.model)?.parameters;
    if (p.result.available && ourCount !== undefined && p.result.parameters !== ourCount) {
      console.log(`WARNING: ${p.name} ${p.model} has ${String(p.result.parameters)} parameters, TF.js ${ourCount}: not the same architecture`);
    }
  }
  const firstPeer = (prefix: string, why: string) =>
    (peers.find((p) => p.name.startsWith(prefix) && p.model === models[0])?.result ?? ({ available: false, why } as Reference));
  const torch = firstPeer('PyTorch', 'skipped (--no-torch)');
  const keras = firstPeer('Keras', 'skipped (--no-keras)');

  const ref = (r: Reference, batch: number) => (r.available ? r.results.find((q) => q.batch === batch) : undefined);
  const available = peers.filter((p) => p.result.available);
  const peerNames = [...new Set(available.map((p) => p.name))];
  const rows = ours.map((r) => ({
    model: r.model,
    parameters: r.parameters,
    backend: r.backend,
    batch: r.batch,
    oursTrain: r.trainMedianImgPerS,
    oursTrainMean: r.trainImgPerS,
    oursTrainBest: r.trainBestImgPerS,
    oursLoopBest: r.loopBestImgPerS,
    oursInfer: r.inferImgPerS,
    peers: available.filter((p) => p.model === r.model).map((p) => {
      const q = ref(p.result, r.batch);
      return { name: p.name, parameters: p.result.available ? (p.result.parameters as number | undefined) : undefined, train: q?.train_img_s, infer: q?.infer_img_s, trainRatio: q ? r.trainMedianImgPerS / q.train_img_s : undefined, inferRatio: q ? r.inferImgPerS / q.infer_img_s : undefined };
    }),
  }));
  const loadEnd = os.loadavg();
  const peerCells = (r: (typeof rows)[number], pick: (q: (typeof rows)[number]['peers'][number]) => number | undefined, ours_: number) =>
    peerNames.flatMap((name) => {
      const q = r.peers.find((p) => p.name === name);
      return [fmt(q && pick(q)), ratio(ours_, q && pick(q))];
    });
  for (const m of models) {
    const mine = rows.filter((r) => r.model === m);
    console.log(
      `\n${describeModel(m, spec)}: training images per second (higher is better; ours = model.fit, median of the ${epochs} timed epochs, mean and best beside it; ` +
        `peers: mean of their timed epochs; ratio = ours / peer; load average ${loadEnd[0].toFixed(2)} at the end):`,
    );
    console.log(
      table(
        ['backend', 'batch', 'train', 'mean', 'best', 'trainClassifier best', ...peerNames.flatMap((name) => [name, 'ratio'])],
        mine.map((r) => [r.backend, String(r.batch), fmt(r.oursTrain), fmt(r.oursTrainMean), fmt(r.oursTrainBest), fmt(r.oursLoopBest), ...peerCells(r, (q) => q.train, r.oursTrain)]),
      ),
    );
    console.log(`\n${m}: inference images per second (model.predict, fastest of 3):`);
    console.log(
      table(
        ['backend', 'batch', 'ours', ...peerNames.flatMap((name) => [name, 'ratio'])],
        mine.map((r) => [r.backend, String(r.batch), fmt(r.oursInfer), ...peerCells(r, (q) => q.infer, r.oursInfer)]),
      ),
    );
    const byBackend = (b: string, batch: number) => mine.find((r) => r.backend === b && r.batch === batch)?.oursTrain;
    if (reports.length > 1) {
      for (const batch of batchSizes) {
        const [a, b] = [reports[0].backend, reports[1].backend];
        console.log(`${m} batch ${batch}: training ${a}/${b} ${ratio(byBackend(a, batch), byBackend(b, batch))}, ${b}/${a} ${ratio(byBackend(b, batch), byBackend(a, batch))}`);
      }
    }
  }

  const result = {
    command: `node dist/bench/bench.js ${process.argv.slice(2).join(' ')}`,
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('DL_COURSE_'))),
    machine,
    loadAverage: { start: loadStart, end: loadEnd },
    backend: report,
    backends: reports,
    backendSkips,
    data: dataTiming,
    trainingData: dataPath ?? 'pseudo-random',
    n,
    epochs,
    models,
    resnet: spec,
    peerThreads,
    ours,
    mainJob,
    notebook,
    torch,
    keras,
    peers,
    rows,
  };
  if (values.json) console.log(JSON.stringify(result));
  if (values.record !== undefined) {
    // The command, date and commit beside the result, so that a reader (chapter 08, readBenchResults) can say where each number comes from.
    const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || 'unknown';
    const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
    const tmp = `${values.record}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify({ ...result, command, recordedAt: new Date().toISOString(), commit }, null, 1)}\n`);
    fs.renameSync(tmp, values.record);
    console.log(`Recorded in ${values.record}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
});
