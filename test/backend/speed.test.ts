/** lib/backend/speed.ts: the matrix-product rate of the current backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, matMulSpeed } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('matMulSpeed', () => {
  it('reports 2·n³ FLOPs per product, a positive rate and the backend, leaving no tensors', () => {
    const before = tf.memory().numTensors;
    const s = matMulSpeed(32, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(s.flopsPerProduct).toBe(2 * 32 ** 3);
    expect(s.bestSeconds).toBeGreaterThan(0);
    expect(s.flopsPerSecond).toBeCloseTo(s.flopsPerProduct / s.bestSeconds, 6);
    expect(s.backend).toBe('cpu');
  });
  it.each([[0, 1, 'size'], [8, 1.5, 'repeats'], ['8', 1, 'size']])('matMulSpeed(%j, %j) names %s', (size, repeats, arg) => {
    expect(() => matMulSpeed(size as number, repeats as number)).toThrow(ArgumentError);
    expect(() => matMulSpeed(size as number, repeats as number)).toThrow(`matMulSpeed: ${arg} must be an integer >= 1`);
  });
});
