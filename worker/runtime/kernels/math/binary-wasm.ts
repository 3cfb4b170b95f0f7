/**
 * Add, Sub, Mul and Div of two float32 tensors of the same shape (a transformer's residual sums) in
 * WebAssembly SIMD, when the kernels module is installed and the tensors are large enough to repay
 * the copies. The float32 operation equals JavaScript's double operation rounded to float32, so
 * both paths give the same values.
 */
import { wasmKernels } from '../../wasm';
import type { Arith } from './binary-loop';

/** Tensors smaller than this stay in JavaScript. */
const WASM_MIN_ELEMENTS = 4096;

/** out = a op b over n elements; false (nothing written) when the JavaScript loop should run. */
export function arithmeticWasm(op: Arith, out: Float32Array, a: Float32Array, b: Float32Array, n: number): boolean {
  if (n < WASM_MIN_ELEMENTS) return false;
  const wk = wasmKernels();
  if (wk === null) return false;
  wk.beginCall();
  const aPtr = wk.allocScratch(n);
  const bPtr = wk.allocScratch(n);
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(a.length === n ? a : a.subarray(0, n), aPtr >> 2);
  heap.set(b.length === n ? b : b.subarray(0, n), bPtr >> 2);
  wk.exports.arithF32(op, aPtr, bPtr, aPtr, n);
  out.set(wk.view(aPtr, n));
  return true;
}
