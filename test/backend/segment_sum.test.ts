// Tests for lib/backend/kernels/segment_sum.ts: the one-pass UnsortedSegmentSum against the
// stock cpu kernel (before it is replaced) and a hand count, on cpu and on wasm (which has no
// stock kernel), and the gradient of an embedding lookup (tf.gather) it serves.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SEGMENT_SUM_BACKENDS, registerSegmentSumKernels } from '../../lib/backend/kernels/segment_sum';

const xValues = [1, 2, 3, 4, 5, 6, 7, 8]; // x [4, 2]
const ids = [1, 0, 1, 3]; // segment 2 gets nothing
// By hand: segment 0 = row 1 (3, 4); segment 1 = rows 0 + 2 (1 + 5, 2 + 6); segment 2 = 0; segment 3 = row 3 (7, 8).
const byHand = [[3, 4], [6, 8], [0, 0], [7, 8]];

function segmentSum(values: number[], segmentIds: number[], numSegments: number, dtype: 'float32' | 'int32' = 'float32'): number[][] {
  return tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(values, [segmentIds.length, values.length / segmentIds.length], dtype), tf.tensor1d(segmentIds, 'int32'), numSegments).arraySync() as number[][]);
}

describe('UnsortedSegmentSum (dl-course kernel)', () => {
  it('the stock cpu kernel gives the hand count (the reference)', async () => {
    await tf.setBackend('cpu');
    expect(segmentSum(xValues, ids, 4)).toEqual(byHand);
  });

  it('registers on cpu and wasm, replacing the stock cpu kernel, idempotently', () => {
    const stockCpu = tf.getKernel('UnsortedSegmentSum', 'cpu');
    registerSegmentSumKernels();
    registerSegmentSumKernels();
    expect(SEGMENT_SUM_BACKENDS).toEqual(['cpu', 'wasm']);
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc).not.toBe(stockCpu?.kernelFunc);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')?.kernelFunc).toBe(tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc);
  });

  for (const backend of SEGMENT_SUM_BACKENDS) {
    it(`on ${backend}: the hand count, int32 too, ids outside [0, numSegments) dropped`, async () => {
      registerSegmentSumKernels();
      await tf.setBackend(backend);
      expect(segmentSum(xValues, ids, 4)).toEqual(byHand);
      expect(segmentSum(xValues, ids, 4, 'int32')).toEqual(byHand);
      expect(segmentSum(xValues, [1, -1, 1, 7], 2)).toEqual([[0, 0], [6, 8]]);
    });

    it(`on ${backend}: the gradient of an embedding lookup sums the upstream gradient per id`, async () => {
      registerSegmentSumKernels();
      await tf.setBackend(backend);
      // E [5, 3]; ids [[0, 2, 2], [4, 2, 0]]: loss = Σ gather(E, ids) · w, so dL/dE[v] = Σ over positions using v of w.
      const w = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], [2, 3, 3]);
      const idsT = tf.tensor2d([[0, 2, 2], [4, 2, 0]], [2, 3], 'int32');
      const g = tf.grad((E: tf.Tensor) => tf.sum(tf.mul(tf.gather(E, idsT), w)))(tf.zeros([5, 3]));
      expect(g.arraySync()).toEqual([
        [1 + 16, 2 + 17, 3 + 18], // id 0: positions (0, 0) and (1, 2)
        [0, 0, 0],
        [4 + 7 + 13, 5 + 8 + 14, 6 + 9 + 15], // id 2: positions (0, 1), (0, 2), (1, 1)
        [0, 0, 0],
        [10, 11, 12], // id 4: position (1, 0)
      ]);
      tf.dispose([w, idsT, g]);
    });
  }
});
