/**
 * The exports of worker/wasm/kernels.wasm that only the convolution and pooling kernels call (the
 * module's shared ones, such as gemm and packB, are typed in worker/runtime/wasm.ts), and the
 * copies of filters that a Conv node's plan keeps in a kernels instance's memory.
 */
import { span } from '../../tensor';
import type { WasmKernels } from '../../wasm';

export interface ConvKernelExports {
  depthwiseConv(
    x: number, imageStride: number, images: number, h: number, w: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
    oh: number, ow: number, filters: number, m: number, multiplier: number, bias: number, lo: number, hi: number,
    y: number, outImageStride: number,
  ): void;
  depthwiseConv3x3(
    x: number, imageStride: number, images: number, h: number, w: number, stride: number, ph: number, pw: number,
    oh: number, ow: number, filters: number, m: number, multiplier: number, bias: number, lo: number, hi: number,
    y: number, outImageStride: number, zeroRow: number,
  ): void;
  maxPoolPlanes(
    x: number, y: number, channels: number, h: number, w: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number,
  ): void;
}

/** The convolution exports of `wk`'s module (a module built from this tree has them all). */
export function convExports(wk: WasmKernels): ConvKernelExports {
  return wk.exports as unknown as ConvKernelExports;
}

/**
 * A Conv node's filters copied once into one kernels instance's memory (persistent blocks), kept in
 * the node's plan while W is a weight. Past the instance's persistent budget, or for a W that is
 * not a weight, `address` copies into the call's scratch instead.
 */
export class WasmFilters {
  /** the kernels instance's generation of persistent blocks that `ptr` points into */
  private generation: object | null = null;
  private ptr = 0;

  /**
   * The byte address of `floats` floats of `w` in `wk`'s memory. Call before the call's first
   * `allocScratch` (a persistent allocation starts the scratch area afresh).
   */
  address(wk: WasmKernels, w: Float32Array, floats: number): number {
    if (this.generation === wk.persistentGeneration) return this.ptr;
    const ptr = wk.allocPersistent(floats, this);
    if (ptr === null) return copyToScratch(wk, w, floats);
    wk.f32.set(span(w, 0, floats), ptr >> 2);
    this.generation = wk.persistentGeneration;
    this.ptr = ptr;
    return ptr;
  }
}

/**
 * The m biases at byte address `ptr`, zeros without B: the tiles' row-bias epilogue adds a bias
 * unconditionally (acc + 0 is acc: a sum started at +0 is never -0).
 */
export function copyBias(heap: Float32Array, b: { readonly data: Float32Array } | undefined, m: number, ptr: number): void {
  if (b) heap.set(span(b.data, 0, m), ptr >> 2);
  else heap.fill(0, ptr >> 2, (ptr >> 2) + m);
}

/** `floats` floats of `w` copied into the call's scratch (a W that is not kept). */
export function copyToScratch(wk: WasmKernels, w: Float32Array, floats: number): number {
  const ptr = wk.allocScratch(floats);
  wk.f32.set(span(w, 0, floats), ptr >> 2);
  return ptr;
}
