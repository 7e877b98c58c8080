/**
 * The wasm kernels of lib/backend/kernels/wasm_training.ts against the stock
 * ones they replace, on the batch-normalisation shapes of the case study's
 * ResNet at one minibatch size: per case the fastest of `--reps` calls with
 * ours registered and with the stock kernels put back, alternating, in one
 * process (the minimum is the figure least disturbed by other processes on a
 * shared machine). Results: docs/performance.md ("What was changed").
 *
 * Usage: `npm run build && node dist/bench/kernel_ab.js [--batch 64] [--reps 20]`;
 * threads from DL_COURSE_WASM_THREADS as for the course.
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend } from '../lib/backend/backend';
import { registerFastWasmTrainingKernels, unregisterFastWasmTrainingKernels } from '../lib/backend/kernels/wasm_training';
import { caseStudyResNet } from './models';

function fastest(f: () => tf.Tensor, reps: number): number {
  for (let i = 0; i < 3; i++) tf.dispose(f()); // warm-up
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const out = f();
    out.dataSync(); // the kernel has run (wasm kernels are synchronous; this reads the result)
    best = Math.min(best, performance.now() - t0);
    out.dispose();
  }
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '64' }, reps: { type: 'string', default: '20' } }, strict: true });
  const batch = Number(values.batch);
  const reps = Number(values.reps);
  const report = await initBackend({ backend: 'wasm' });
  const load = os.loadavg()[0];
  const { widths } = caseStudyResNet();
  const sizes = [32, 16, 8];
  console.log(`wasm, ${report.threads} thread(s); batch ${batch}; fastest of ${reps} calls, ms; load average ${load.toFixed(2)} (${os.cpus().length} cores)`);
  console.log('| kernel | shapes | stock | ours | stock/ours |\n| --- | --- | ---: | ---: | ---: |');
  for (let s = 0; s < 3; s++) {
    const c = widths[s];
    const x = tf.randomUniform([batch, sizes[s], sizes[s], c]);
    const v = tf.randomUniform([c], 0.5, 1.5);
    const v4 = v.reshape([1, 1, 1, c]);
    const cases: Array<[string, string, () => tf.Tensor]> = [
      ['Multiply', `[${x.shape}]×[${c}]`, () => tf.mul(x, v)],
      ['Multiply', `[1,1,1,${c}]×[${x.shape}]`, () => tf.mul(v4, x)],
      ['Sub', `[${x.shape}]×[1,1,1,${c}]`, () => tf.sub(x, v4)],
      ['Mean', `[${x.shape}] over [0,1,2]`, () => tf.mean(x, [0, 1, 2], true)],
    ];
    for (const [name, shapes, f] of cases) {
      unregisterFastWasmTrainingKernels();
      const stock = fastest(f, reps);
      registerFastWasmTrainingKernels();
      const ours = fastest(f, reps);
      console.log(`| ${name} | ${shapes} | ${stock.toFixed(3)} | ${ours.toFixed(3)} | ${(stock / ours).toFixed(1)} |`);
    }
    tf.dispose([x, v, v4]);
  }
  console.log(`load average at the end ${os.loadavg()[0].toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exitCode = 1;
});
