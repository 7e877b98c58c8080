import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, checkNhwc, flattenImages } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('checkNhwc', () => {
  it('accepts NHWC batches: CIFAR-10 [batch, 32, 32, 3] and Fashion-MNIST [batch, 28, 28, 1]', () => {
    expect(checkNhwc('f', 'X', [8, 32, 32, 3])).toEqual([8, 32, 32, 3]);
    expect(checkNhwc('f', 'X', [8, 28, 28, 1], [28, 28, 1])).toEqual([8, 28, 28, 1]);
  });
  it('recognises channels-first [batch, 3, 32, 32] and names NHWC and the transpose that fixes it', () => {
    const call = () => checkNhwc('conv', 'X', [8, 3, 32, 32]);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(
      'conv: X is [8, 3, 32, 32], which looks channels-first (NCHW: [batch, channels, height, width]); ' +
        'this layer expects NHWC [batch, height, width, channels], here [8, 32, 32, 3]. Transpose it: tf.transpose(X, [0, 2, 3, 1])',
    );
  });
  it('recognises channels-first grey images [batch, 1, 28, 28] against an expected [28, 28, 1]', () => {
    expect(() => checkNhwc('f', 'X', [2, 1, 28, 28], [28, 28, 1])).toThrow(/looks channels-first.*expects NHWC/);
  });
  it('rejects another image size than the expected one', () => {
    expect(() => checkNhwc('f', 'X', [2, 32, 32, 3], [28, 28, 1])).toThrow('f: X is [2, 32, 32, 3] but the layer expects NHWC images [batch, 28, 28, 1] ([batch, height, width, channels])');
  });
  it('rejects a rank other than 4, suggesting expandDims for a single image', () => {
    expect(() => checkNhwc('f', 'X', [28, 28, 1])).toThrow(/must be a batch of images \[batch, height, width, channels\] \(NHWC, rank 4\), got shape \[28, 28, 1\]; for one image use expandDims\(0\)/);
  });
});

describe('flattenImages', () => {
  it('turns [batch, height, width, channels] into [batch, height·width·channels] rows, row-major', () => {
    // value = 100·row + 10·col + channel, so the flat order can be read off
    const vals: number[] = [];
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) for (let ch = 0; ch < 2; ch++) vals.push(100 * r + 10 * c + ch);
    const flat = flattenImages(tf.tensor4d(vals, [1, 2, 3, 2]));
    expect(flat.shape).toEqual([1, 12]);
    expect(Array.from(flat.dataSync())).toEqual([0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]);
  });
  it('rejects channels-first images, naming NHWC', () => {
    expect(() => flattenImages(tf.zeros([2, 3, 32, 32]) as tf.Tensor4D)).toThrow(/flattenImages: images is \[2, 3, 32, 32\], which looks channels-first.*NHWC/);
  });
});
