/**
 * erf, GELU and Softmax over float32 arrays: in WebAssembly SIMD (worker/wasm/activations.as.ts)
 * whenever the kernels module is installed, in JavaScript (float32-math.ts) otherwise. Both give
 * the same bits. There is no size threshold: the float32-exact JavaScript loops cost tens of
 * nanoseconds per element, so even the ten logits of a classifier are cheaper copied into
 * WebAssembly and back.
 */
import { span } from '../../tensor';
import { wasmKernels } from '../../wasm';
import { erfLoopF32, geluLoopF32, softmaxRowsF32 } from './float32-math';

/** y[i] = erf(x[i]) for the first n elements. */
export function erfIntoF32(x: Float32Array, y: Float32Array, n: number): void {
  const wk = n > 0 ? wasmKernels() : null;
  if (wk === null) {
    erfLoopF32(x, y, n);
    return;
  }
  wk.beginCall();
  const ptr = wk.allocScratch(n);
  wk.f32.set(span(x, 0, n), ptr >> 2);
  wk.exports.erfF32(ptr, ptr, n);
  y.set(wk.view(ptr, n));
}

/** y[i] = gelu(x[i] + bias[i % width]) for the first n elements (a multiple of width); bias null adds nothing. */
export function geluIntoF32(x: Float32Array, bias: Float32Array | null, width: number, y: Float32Array, n: number): void {
  const wk = n > 0 ? wasmKernels() : null;
  if (wk === null) {
    geluLoopF32(x, bias, width, y, n);
    return;
  }
  wk.beginCall();
  const ptr = wk.allocScratch(n);
  const biasPtr = bias === null ? 0 : wk.allocScratch(width);
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(span(x, 0, n), ptr >> 2);
  if (bias !== null) heap.set(span(bias, 0, width), biasPtr >> 2);
  if (bias === null) wk.exports.geluF32(ptr, 0, ptr, 1, n);
  else wk.exports.geluF32(ptr, biasPtr, ptr, n / width, width);
  y.set(wk.view(ptr, n));
}

/** Softmax over `rows` contiguous rows of `len` elements. */
export function softmaxIntoF32(x: Float32Array, y: Float32Array, rows: number, len: number): void {
  const n = rows * len;
  const wk = n > 0 ? wasmKernels() : null;
  if (wk === null) {
    softmaxRowsF32(x, y, rows, len);
    return;
  }
  wk.beginCall();
  const ptr = wk.allocScratch(n);
  wk.f32.set(span(x, 0, n), ptr >> 2);
  wk.exports.softmaxRows(ptr, ptr, rows, len, len);
  y.set(wk.view(ptr, n));
}
