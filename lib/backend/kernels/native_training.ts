/**
 * Fewer TensorFlow calls per training step on the native backend
 * (`tensorflow`, @tensorflow/tfjs-node): each TF.js kernel there is one eager
 * TensorFlow op call with a fixed cost of tens of microseconds, and a
 * gradient that TF.js composes from several kernels pays it several times.
 *
 * The ReLU gradient: TF.js computes `dy · cast(step(x))`, and tfjs-node's Step
 * kernel is itself six ops, two of them filling full-size tensors with ones
 * and with alpha (IsNan, Greater, Fill, Fill, Select, Select;
 * tfjs-node/src/kernels/Step.ts): eight op calls per ReLU layer, ~15% of the
 * case study's ResNet step on native TensorFlow (docs/performance.md, "Where a
 * ResNet step goes"). TensorFlow's own `ReluGrad` op does it in one call, as
 * Keras does. The one difference: where x is NaN, ReluGrad gives 0 and TF.js's
 * formula NaN (TensorFlow's ReluGrad: `dy` where `x > 0`, else 0).
 */
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-node's backend used here (nodejs_kernel_backend.ts). */
interface NodeBackendLike {
  binding: { TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeSingleOutput(name: string, opAttrs: Array<{ name: string; type: number; value: unknown }>, inputs: tf.TensorInfo[]): tf.Tensor;
}

let stockReluGrad: tf.GradConfig | undefined;

/**
 * The ReLU gradient, `dy` where `x > 0`, else 0: on `tensorflow` one native
 * `ReluGrad` op; on other backends TF.js's own formula `dy · cast(step(x))`.
 * dy, x float32 of the same shape → dx, same shape.
 */
const reluGrad: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    return {
      x: () => {
        if (tf.getBackend() === 'tensorflow' && g.dtype === 'float32' && x.dtype === 'float32') {
          const b = tf.backend() as unknown as NodeBackendLike;
          return b.executeSingleOutput('ReluGrad', [{ name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT }], [g, x]);
        }
        return tf.mul(g, tf.cast(tf.step(x), 'float32'));
      },
    };
  },
};

/**
 * Registers the native-backend gradients above (currently the ReLU gradient as
 * TensorFlow's `ReluGrad` op). Backends other than `tensorflow` keep TF.js's
 * formula, so it is safe to call whatever the backend. Idempotent;
 * `initBackend` (lib/backend/backend.ts) calls it for `tensorflow`.
 * @example
 * ```ts
 * registerFastNativeGradients();
 * tf.grad((x: tf.Tensor) => tf.relu(x).sum())(tf.tensor1d([-1, 2])).arraySync(); // [0, 1]
 * ```
 */
export function registerFastNativeGradients(): void {
  const current = tf.getGradient('Relu');
  if (current?.gradFunc === reluGrad.gradFunc) return;
  stockReluGrad = current;
  tf.registerGradient(reluGrad);
}

/**
 * Puts TF.js's own ReLU gradient back. For tests and comparisons.
 * @example
 * ```ts
 * unregisterFastNativeGradients();
 * tf.grad((x: tf.Tensor) => tf.relu(x).sum())(tf.tensor1d([-1, 2])).arraySync(); // [0, 1]
 * ```
 */
export function unregisterFastNativeGradients(): void {
  if (stockReluGrad !== undefined && tf.getGradient('Relu')?.gradFunc === reluGrad.gradFunc) tf.registerGradient(stockReluGrad);
}
