/**
 * A scope for running TF.js kernels inside other kernels: it records every
 * intermediate so that one call frees them all (used by conv2d_grad.ts and
 * wasm_training.ts).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Runs kernels of one backend directly (no engine, no tensors), remembering
 * every intermediate so that {@link KernelScope.disposeAll} frees them. Used by
 * the kernels here and in lib/kernels/wasm_training.ts.
 * @example
 * ```ts
 * const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]); // [rows, cols]
 * const scope = new KernelScope(tf.backend(), tf.getBackend());
 * let out: tf.TensorInfo;
 * try {
 *   const t = scope.transpose(x, [1, 0]); // [cols, rows], an intermediate
 *   out = scope.keep(scope.reshape(t, [-1])); // the result survives
 * } finally {
 *   // Free the intermediates:
 *   scope.disposeAll();
 * }
 * tf.engine().makeTensorFromTensorInfo(out).arraySync(); // [1, 4, 2, 5, 3, 6]
 * ```
 */
export class KernelScope {
  private readonly intermediates: tf.TensorInfo[] = [];

  constructor(
    /** The backend whose kernels run and whose memory holds the intermediates. */
    readonly backend: tf.KernelBackend,
    /** Its registered name, e.g. `wasm` or `cpu`. */
    readonly backendName: string,
  ) {}

  /** Runs kernel `name`; its output is an intermediate unless {@link keep} is called on it. */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
    const config = tf.getKernel(name, this.backendName);
    if (config === undefined) {
      throw new Error(`KernelScope: kernel '${name}' is not registered for backend '${this.backendName}'`);
    }
    return this.runConfig(config, inputs, attrs);
  }

  /** Runs a given kernel config (e.g. a stock kernel kept aside); its output is an intermediate. */
  runConfig(config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs }) as tf.TensorInfo;
    this.intermediates.push(out);
    return out;
  }

  /** Removes `info` from the intermediates: it is the kernel's result. */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const i = this.intermediates.lastIndexOf(info);
    if (i >= 0) this.intermediates.splice(i, 1);
    return info;
  }

  /** Frees every intermediate (reshapes only drop a reference, as the backends count them). */
  disposeAll(): void {
    for (const info of this.intermediates) this.backend.disposeData(info.dataId);
    this.intermediates.length = 0;
  }

  /** Transpose kernel: output dimension `i` is input dimension `perm[i]`. */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Reshape kernel (same data, new shape; `-1` infers one dimension). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Zero padding; `paddings[d] = [before, after]`, both ≥ 0. */
  pad(x: tf.TensorInfo, paddings: Array<[number, number]>): tf.TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** Slice kernel: `size[d]` elements from `begin[d]` along each dimension. */
  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** A new float32 tensor in the backend, values not initialised (the wasm backend's `makeOutput`); an intermediate. */
  empty(shape: number[]): tf.TensorInfo {
    const info = (this.backend as unknown as { makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo }).makeOutput(shape, 'float32');
    this.intermediates.push(info);
    return info;
  }

  /** A new float32 tensor in the backend holding `values`; an intermediate. */
  constant(values: Float32Array, shape: number[]): tf.TensorInfo {
    const info: tf.TensorInfo = { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
    this.intermediates.push(info);
    return info;
  }

  /** Concatenation along `axis` (the Concat kernel takes an array of inputs). */
  concat(xs: tf.TensorInfo[], axis: number): tf.TensorInfo {
    return this.run('Concat', xs as unknown as tf.NamedTensorInfoMap, { axis });
  }

  /** Reverse kernel: flips the given dimensions (e.g. a filter's spatial axes). */
  reverse(x: tf.TensorInfo, dims: number[]): tf.TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }

  /** Forward NHWC convolution with explicit zero padding `[top, bottom]`, `[left, right]`. */
  conv2d(
    x: tf.TensorInfo,
    filter: tf.TensorInfo,
    padH: [number, number],
    padW: [number, number],
    dilations: [number, number],
  ): tf.TensorInfo {
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], padH, padW, [0, 0]];
    return this.run('Conv2D', { x, filter }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations });
  }
}
