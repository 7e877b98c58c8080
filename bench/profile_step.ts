/**
 * Where the time of one training step goes: `tf.profile` around
 * `model.trainOnBatch` on a course backend, kernel times summed by kernel
 * name and input shapes, the median over the profiled steps, biggest first;
 * plus the step's wall time with and without the profiler and the share
 * outside kernels (host work: tf.layers bookkeeping, tape, optimizer, reads).
 * Results: docs/performance.md ("Where a ResNet step goes").
 *
 * Usage: `npm run build && npm run bench:profile -- [options]` (see HELP).
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, BackendChoice, initBackend } from '../lib/backend/backend';
import { ArgumentError } from '../lib/core/errors';
import { BenchModel, buildBenchModel, caseStudyResNet, describeModel, parseModels, parseResNetSpec } from './models';

const HELP = `Usage: node dist/bench/profile_step.js [options]
  --backend NAME    course backend: tensorflow, wasm or cpu (default wasm)
  --model NAME      cnn or resnet (default resnet)
  --resnet N:W/W/W  blocks per stage and stage widths (default: the case
                    study's, CHAPTER04B_CONFIG.full.resnet); 3:16/32/64 = ResNet-20
  --batch N         minibatch size (default 64)
  --steps N         profiled steps after 3 warm-up steps (default 5)
  --top N           rows of the table (default 25; 0: totals only)
  --by-name         aggregate by kernel name only (not by name and shapes)
  --json            print one JSON object as the last stdout line
  --help`;

function integer(name: string, text: string, min: number): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < min) throw new ArgumentError(`profile_step: --${name} must be an integer ≥ ${min}, got '${text}'`);
  return Number(text);
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row {
  kernel: string;
  /** Input shapes, e.g. `[64,32,32,8]×[8]` (empty with --by-name). */
  shapes: string;
  /** Calls per step. */
  calls: number;
  /** Median over the profiled steps of the summed kernel time per step, ms. */
  ms: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      model: { type: 'string', default: 'resnet' },
      resnet: { type: 'string' },
      batch: { type: 'string', default: '64' },
      steps: { type: 'string', default: '5' },
      top: { type: 'string', default: '25' },
      'by-name': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) throw new ArgumentError(`profile_step: --backend must be one of ${BACKEND_CHOICES.join(', ')}, got '${values.backend}'`);
  const [model] = parseModels(values.model) as [BenchModel];
  const spec = values.resnet === undefined ? caseStudyResNet() : parseResNetSpec(values.resnet);
  const batch = integer('batch', values.batch, 1);
  const steps = integer('steps', values.steps, 1);
  const top = integer('top', values.top, 0);

  const report = await initBackend({ backend: values.backend as BackendChoice });
  const loadStart = os.loadavg();
  const net = buildBenchModel(model, spec);
  // Pseudo-random images in [0, 1) and labels 0..9 (float32: tfjs-layers' sparse cross-entropy floors them).
  const x = tf.tidy(() => tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 1));
  const y = tf.tidy(() => tf.floor(tf.randomUniform([batch], 0, 10, 'float32', 2)));
  for (let i = 0; i < 3; i++) await net.trainOnBatch(x, y);

  // Wall time of an unprofiled step (the profiler adds a little per kernel).
  const wall: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await net.trainOnBatch(x, y); // awaits the loss value: one host read per step
    wall.push(performance.now() - t0);
  }

  const perStep: Map<string, { kernel: string; shapes: string; calls: number; ms: number }>[] = [];
  const profiledWall: number[] = [];
  const kernelSums: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const info = await tf.profile(async () => {
      await net.trainOnBatch(x, y);
    });
    profiledWall.push(performance.now() - t0);
    const m = new Map<string, { kernel: string; shapes: string; calls: number; ms: number }>();
    let sum = 0;
    for (const k of info.kernels) {
      // `fusedConv2d__op` and the like: an op with a custom gradient, recorded around the kernel it runs (FusedConv2D), which is recorded too.
      if (k.name.endsWith('__op')) continue;
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      sum += ms;
      const shapes = values['by-name'] ? '' : k.inputShapes.map((s) => `[${s ?? ''}]`).join('×');
      const key = `${k.name} ${shapes}`;
      const row = m.get(key) ?? { kernel: k.name, shapes, calls: 0, ms: 0 };
      row.calls++;
      row.ms += ms;
      m.set(key, row);
    }
    kernelSums.push(sum);
    perStep.push(m);
  }
  const keys = new Set(perStep.flatMap((m) => [...m.keys()]));
  const rows: Row[] = [...keys].map((key) => {
    const first = perStep.find((m) => m.has(key))!.get(key)!;
    return { kernel: first.kernel, shapes: first.shapes, calls: first.calls, ms: median(perStep.map((m) => m.get(key)?.ms ?? 0)) };
  });
  rows.sort((a, b) => b.ms - a.ms);
  const kernelMs = median(kernelSums);
  const stepMs = median(wall);
  const loadEnd = os.loadavg();

  console.log(`Backend ${report.backend} (${report.threads} threads${report.native ? `, TensorFlow ${report.native.version} from ${report.native.source}` : ''}); ${describeModel(model, spec)}; batch ${batch}`);
  console.log(`Load average ${loadStart[0].toFixed(2)} at the start, ${loadEnd[0].toFixed(2)} at the end (${os.cpus().length} cores)`);
  console.log(
    `Step: ${stepMs.toFixed(1)} ms unprofiled (median of ${steps}; ${((batch * 1000) / stepMs).toFixed(0)} img/s), ${median(profiledWall).toFixed(1)} ms profiled; ` +
      `kernels ${kernelMs.toFixed(1)} ms in ${perStep[0] ? [...perStep[0].values()].reduce((a, r) => a + r.calls, 0) : 0} calls; outside kernels ${(median(profiledWall) - kernelMs).toFixed(1)} ms`,
  );
  const shown = rows.slice(0, top);
  const w = Math.max(6, ...shown.map((r) => r.kernel.length));
  const ws = Math.max(6, ...shown.map((r) => r.shapes.length));
  console.log(`${'kernel'.padEnd(w)}  ${'inputs'.padEnd(ws)}  calls      ms  share`);
  for (const r of shown) console.log(`${r.kernel.padEnd(w)}  ${r.shapes.padEnd(ws)}  ${String(r.calls).padStart(5)}  ${r.ms.toFixed(2).padStart(6)}  ${((100 * r.ms) / kernelMs).toFixed(1).padStart(4)}%`);
  const rest = rows.slice(top);
  if (rest.length > 0) console.log(`${`(${rest.length} more)`.padEnd(w)}  ${''.padEnd(ws)}  ${String(rest.reduce((a, r) => a + r.calls, 0)).padStart(5)}  ${rest.reduce((a, r) => a + r.ms, 0).toFixed(2).padStart(6)}`);
  if (values.json) {
    console.log(JSON.stringify({ backend: report.backend, threads: report.threads, native: report.native, model, resnet: spec, batch, steps, loadAverage: { start: loadStart, end: loadEnd }, stepMs, profiledStepMs: median(profiledWall), kernelMs, rows }));
  }
  tf.dispose([x, y]);
  net.dispose();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
});
