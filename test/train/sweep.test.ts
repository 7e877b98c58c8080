import { describe, expect, it } from 'vitest';
import { ArgumentError, runSweep, trainMlpRun } from '../../lib';

describe('runSweep', () => {
  it('runs each value once, in order, one at a time, and keeps results and times', async () => {
    const order: number[] = [];
    let running = 0;
    const runs = await runSweep(
      'n',
      [3, 1, 2],
      async (n, i) => {
        running++;
        expect(running).toBe(1); // never two at once
        order.push(i);
        await new Promise((r) => setTimeout(r, 20 * n));
        running--;
        return n * 10;
      },
      { log: null },
    );
    expect(order).toEqual([0, 1, 2]);
    expect(runs.map((r) => [r.value, r.result])).toEqual([[3, 30], [1, 10], [2, 20]]);
    expect(runs[0].seconds).toBeGreaterThan(0.05); // 60 ms of waiting
    expect(runs[0].seconds).toBeGreaterThan(runs[1].seconds);
  });
  it('logs one progress line per run', async () => {
    const lines: string[] = [];
    await runSweep('learningRate', [0.1, 0.01], (x) => x, { log: (l) => lines.push(l) });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^sweep learningRate: run 2\/2, learningRate = 0\.01, \d+\.\d s$/);
  });
  it("names the value when a run fails, keeping the error's class", async () => {
    await expect(runSweep('x', [1, 2], (x) => { if (x === 2) throw new ArgumentError('boom'); return x; }, { log: null })).rejects.toThrow(/runSweep x = 2: boom/);
    await expect(runSweep('x', [1, 2], (x) => { if (x === 2) throw new ArgumentError('boom'); return x; }, { log: null })).rejects.toBeInstanceOf(ArgumentError);
  });
  it('rejects an empty list of values', async () => {
    await expect(runSweep('x', [], (x) => x)).rejects.toThrow(/runSweep: values must be a non-empty array/);
  });
});

describe('trainMlpRun', () => {
  const data = { n: 8, pixels: new Uint8Array([0, 255, 255, 0, 10, 250, 240, 20, 5, 200, 220, 9, 0, 255, 255, 0]), labels: new Int32Array([0, 1, 0, 1, 0, 1, 0, 1]) };
  it('counts the parameters of 2 → 8 → 10 by default (2·8 + 8 + 8·10 + 10 = 114) and measures a test accuracy in [0, 1]', async () => {
    const run = await trainMlpRun(data, data, { hiddenUnits: [8], epochs: 2, batchSize: 4, validationFraction: 0 });
    expect(run.parameters).toBe(114);
    expect(run.history).toHaveLength(2);
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(run.testAccuracy).toBeLessThanOrEqual(1);
    expect(run.diverged).toBeUndefined();
  });
  it('returns a diverged run as a result: NaN accuracy, the error message, the parameter count', async () => {
    const run = await trainMlpRun(data, data, { hiddenUnits: [8], optimizer: 'sgd', learningRate: 1e30, epochs: 3, batchSize: 4, validationFraction: 0 }, { numClasses: 2 });
    expect(run.testAccuracy).toBeNaN();
    expect(run.diverged).toMatch(/trainMlp: the loss became/);
    expect(run.parameters).toBe(42);
  });
  it('lets argument errors through', async () => {
    await expect(trainMlpRun(data, data, { epochs: 0 })).rejects.toThrow(/trainMlp: config.epochs must be an integer >= 1/);
  });
});
