/**
 * MatMulNBits in WebAssembly (worker/wasm/nbits.as.ts). The packed weights, scales and zero points
 * are copied into wasm memory once per kernels instance when they are weights (kept by the node's
 * plan through NBitsWasmWeights), per call otherwise; A is copied in and Y out every call.
 */
import type { Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { NBitsGeometry } from './matmul-nbits-geometry';

/** Where one node's weights live in a kernels instance's persistent memory. */
export class NBitsWasmWeights {
  /** the kernels instance's generation of persistent blocks the addresses below are in */
  generation: object | null = null;
  b = 0;
  scales = 0;
  zp = 0;
}

type ZeroPoints = Uint8Array | Float32Array | undefined;

function floatsFor(bytes: number): number {
  return Math.ceil(bytes / 4);
}

/** Copies B, the scales and the zero points to their byte addresses in wasm memory. */
function copyWeights(wk: WasmKernels, b: Uint8Array, scales: Float32Array, zp: ZeroPoints, bPtr: number, scalesPtr: number, zpPtr: number): void {
  wk.u8.set(b, bPtr);
  wk.f32.set(scales, scalesPtr >> 2);
  if (zp instanceof Float32Array) wk.f32.set(zp, zpPtr >> 2);
  else if (zp) wk.u8.set(zp, zpPtr);
}

/** Puts the weights in `wk`'s persistent memory (once per instance), or false when over the cache budget. */
function persist(wk: WasmKernels, b: Uint8Array, scales: Float32Array, zp: ZeroPoints, kept: NBitsWasmWeights): boolean {
  if (kept.generation === wk.persistentGeneration) return true;
  // one block for all three: a second request could start a new generation and drop the first
  const bFloats = floatsFor(b.byteLength);
  const zpFloats = zp ? floatsFor(zp.byteLength) : 0;
  const block = wk.allocPersistent(bFloats + scales.length + zpFloats, kept);
  if (block === null) return false;
  const bPtr = block;
  const scalesPtr = bPtr + bFloats * 4;
  const zpPtr = zp ? scalesPtr + scales.length * 4 : 0;
  copyWeights(wk, b, scales, zp, bPtr, scalesPtr, zpPtr);
  kept.generation = wk.persistentGeneration;
  kept.b = bPtr;
  kept.scales = scalesPtr;
  kept.zp = zpPtr;
  return true;
}

export function matMulNBitsWasm(
  wk: WasmKernels,
  g: NBitsGeometry,
  a: Float32Array,
  b: Uint8Array,
  scales: Float32Array,
  zp: ZeroPoints,
  bias: Float32Array | undefined,
  y: Tensor<'float32'>,
  kept: NBitsWasmWeights | null,
): void {
  const persistent = kept !== null && persist(wk, b, scales, zp, kept);
  wk.beginCall();
  const { m, k, n } = g;
  const bPtr = persistent ? kept!.b : wk.allocScratch(floatsFor(b.byteLength));
  const scalesPtr = persistent ? kept!.scales : wk.allocScratch(scales.length);
  const zpPtr = persistent ? kept!.zp : zp ? wk.allocScratch(floatsFor(zp.byteLength)) : 0;
  const aPtr = wk.allocScratch(m * k);
  const wPtr = wk.allocScratch(4 * g.kBlocks * g.blockSize);
  const yPtr = wk.allocScratch(m * n);
  const biasPtr = bias ? wk.allocScratch(n) : 0;
  if (!persistent) copyWeights(wk, b, scales, zp, bPtr, scalesPtr, zpPtr);
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(a, aPtr >> 2);
  if (bias) heap.set(bias, biasPtr >> 2);
  wk.exports.matMulNBits(aPtr, m, k, bPtr, scalesPtr, zpPtr, zp instanceof Float32Array ? 1 : 0, n, g.blockSize, g.kBlocks, biasPtr, wPtr, yPtr);
  y.data.set(wk.view(yPtr, m * n));
}
