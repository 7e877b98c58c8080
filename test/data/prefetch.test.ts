import { describe, expect, it } from 'vitest';
import { ArgumentError, prefetch } from '../../lib';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('prefetch', () => {
  it('the docstring example: yields the items in order and starts item k + 1 before item k is consumed', async () => {
    const started: number[] = [];
    const items = prefetch(async (i) => { started.push(i); return i * 10; }, 3);
    const first = await items.next();
    expect(first).toEqual({ value: 0, done: false });
    expect(started).toEqual([0, 1]);
    const all = [first.value];
    for await (const v of items) all.push(v as number);
    expect(all).toEqual([0, 10, 20]);
  });

  it('keeps at most depth + 1 loads in flight, and none ahead with depth 0', async () => {
    for (const depth of [0, 1, 3]) {
      let inFlight = 0;
      let most = 0;
      const out: number[] = [];
      for await (const v of prefetch(async (i) => { inFlight++; most = Math.max(most, inFlight); await sleep(5); inFlight--; return i; }, 8, depth)) {
        out.push(v);
        await sleep(5); // a slow consumer
      }
      expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(most).toBe(depth + 1);
    }
  });

  it('overlaps loading with the consumer: 6 loads of 40 ms and 6 steps of 40 ms take ~280 ms with depth 1, ~480 ms without', async () => {
    const time = async (depth: number) => {
      const t0 = performance.now();
      for await (const _ of prefetch(() => sleep(40), 6, depth)) await sleep(40);
      return performance.now() - t0;
    };
    const without = await time(0);
    const withPrefetch = await time(1);
    expect(without).toBeGreaterThan(460);
    expect(withPrefetch).toBeLessThan(without - 120); // 40 + 6·40 = 280 ideally; timers are coarse on a busy machine
  });

  it('throws a failed load when its item is reached, after the items before it', async () => {
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const v of prefetch(async (i) => { if (i === 2) throw new Error('bad file 2'); return i; }, 4)) got.push(v);
      })(),
    ).rejects.toThrow('bad file 2');
    expect(got).toEqual([0, 1]);
  });

  it('count 0 yields nothing; bad arguments are named', async () => {
    for await (const _ of prefetch(async () => 1, 0)) throw new Error('no items expected');
    await expect(prefetch(async () => 1, -1).next()).rejects.toThrow(/prefetch: count must be an integer >= 0/);
    await expect(prefetch(async () => 1, 2, 1.5).next()).rejects.toThrow(ArgumentError);
    await expect(prefetch(null as never, 2).next()).rejects.toThrow(/prefetch: load must be a function/);
  });
});
