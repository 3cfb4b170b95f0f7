/**
 * XXH32's stripe loop in the WebAssembly kernels (worker/wasm/checksum.as.ts): the bytes are
 * outside wasm memory, so they are copied into the staging area a slice at a time (a slice stays in
 * cache between the copy and the hash, and no new wasm memory is touched), with the four lanes kept
 * just before it.
 */
import { STAGING_FLOATS, wasmKernels, type WasmKernels } from '../runtime/wasm';
import { xxh32, type StripeLoop } from './xxh32';

const LANES_BYTES = 64;
/** A slice: the staging area after the lanes, a whole number of stripes. */
const SLICE_BYTES = STAGING_FLOATS * 4 - LANES_BYTES;

/** The stripe loop over `kernels`. */
export function wasmStripes(kernels: WasmKernels): StripeLoop {
  return (lanes, bytes) => {
    const state = kernels.staging;
    const slice = state + LANES_BYTES;
    const whole = bytes.byteLength & ~15;
    const memory = kernels.u8;
    new Int32Array(memory.buffer, state, 4).set(lanes);
    for (let at = 0; at < whole; at += SLICE_BYTES) {
      const n = Math.min(SLICE_BYTES, whole - at);
      memory.set(bytes.subarray(at, at + n), slice);
      kernels.exports.xxh32Stripes(state, slice, n);
    }
    lanes.set(new Int32Array(memory.buffer, state, 4));
  };
}

/** XXH32 (seed 0) of `bytes`, in WebAssembly when the kernels are installed, else in JavaScript. */
export function fastXxh32(bytes: Uint8Array): number {
  const kernels = wasmKernels();
  return kernels ? xxh32(bytes, wasmStripes(kernels)) : xxh32(bytes);
}
