/**
 * Loader of our own WebAssembly SIMD kernels (lib/backend/kernels/simd/kernels.c,
 * compiled into lib/backend/kernels/simd_module.ts) for the `wasm` backend: the module
 * imports the backend's own WebAssembly.Memory (shared in the threaded build,
 * plain in the single-threaded one), so it reads and writes tensors in place
 * at their heap offsets. One instance per backend instance.
 */
import * as tf from '@tensorflow/tfjs';
import { SIMD_MODULE_PLAIN, SIMD_MODULE_SHARED } from './simd_module';

/** The exported functions of kernels.c; pointers are byte offsets in the backend's heap. */
export interface SimdKernels {
  /** See kernels.c: x, dy, dx pointers; then b, h, w, c, oh, ow. */
  max_pool_grad_2x2(x: number, dy: number, dx: number, b: number, h: number, w: number, c: number, oh: number, ow: number): void;
  /** See kernels.c: xc [c, b, h, w] and pt [fh·fw·c, b·oh·ow] pointers; then c, b, h, w, fh, fw, sh, sw, top, left, oh, ow. */
  im2col_t(
    xc: number, pt: number, c: number, b: number, h: number, w: number, fh: number, fw: number, sh: number, sw: number, top: number, left: number, oh: number, ow: number,
  ): void;
  /** See kernels.c: cols [b·oh·ow, fh·fw·c] and dx [b, h, w, c] pointers; then b, h, w, c, fh, fw, sh, sw, top, left, oh, ow. */
  col2im(
    cols: number, dx: number, b: number, h: number, w: number, c: number, fh: number, fw: number, sh: number, sw: number, top: number, left: number, oh: number, ow: number,
  ): void;
  /** See kernels.c: x [n, c], out [c] float32 and acc [c] float64 scratch pointers; then n, c. */
  sum_rows(x: number, out: number, acc: number, n: number, c: number): void;
}

interface WasmModuleLike {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

const instances = new WeakMap<object, SimdKernels | null>();
const compiled = new Map<string, WebAssembly.Module>();

/** The backend's memory: `Module.wasmMemory` (threaded build) or the module's exported `memory` (single-threaded). */
function memoryOf(backend: tf.KernelBackend): WebAssembly.Memory | undefined {
  const wasm = (backend as unknown as { wasm?: WasmModuleLike }).wasm;
  return wasm?.wasmMemory ?? wasm?.asm?.memory;
}

/**
 * Our SIMD kernels bound to `backend`'s heap, or `null` when they cannot be
 * (not a wasm backend, no WebAssembly SIMD, an unexpected memory): the callers
 * then use their JavaScript versions. Set `DL_COURSE_SIMD_KERNELS=0` to force that.
 * @example
 * ```ts
 * // On the wasm backend (the default) the kernels are available:
 * simdKernels(tf.backend()) !== null; // true
 * // e.g. simdKernels(tf.backend())?.max_pool_grad_2x2(x, dy, dx, 32, 30, 30, 32, 15, 15) with heap offsets.
 * ```
 */
export function simdKernels(backend: tf.KernelBackend): SimdKernels | null {
  const cached = instances.get(backend);
  if (cached !== undefined) return cached;
  let kernels: SimdKernels | null = null;
  const memory = memoryOf(backend);
  if (memory !== undefined && process.env.DL_COURSE_SIMD_KERNELS !== '0') {
    const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    try {
      const key = shared ? 'shared' : 'plain';
      let module = compiled.get(key);
      if (module === undefined) {
        module = new WebAssembly.Module(Buffer.from(shared ? SIMD_MODULE_SHARED : SIMD_MODULE_PLAIN, 'base64'));
        compiled.set(key, module);
      }
      kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
    } catch {
      kernels = null; // e.g. a runtime without WebAssembly SIMD: the JavaScript kernels run
    }
  }
  instances.set(backend, kernels);
  return kernels;
}

/** The heap offset (bytes) of a tensor of the wasm backend. */
export function heapOffset(backend: tf.KernelBackend, info: tf.TensorInfo): number {
  const data = (backend as unknown as { dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined } }).dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('heapOffset (dl-course wasm kernel): the tensor is not in the wasm backend');
  return data.memoryOffset;
}
