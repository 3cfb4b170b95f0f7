/**
 * Conv (1-D and 2-D) in WebAssembly: per group, Y_g[m][p] = W_g[m] · col[p] + bias[m], computed as
 * one GEMM whose A is the filters as stored (M_g x C_g*KH*KW) and whose B is the im2col matrix,
 * written by the module straight into packed panels (no JavaScript im2row, no B packing, no
 * transposition of the result: a scatter in the module lays it out as NCHW). Bias and a clamp
 * (fused Relu) run in the GEMM's epilogue.
 *
 * Output rows are processed in chunks so that the column matrix stays near cache size however large
 * the image is.
 */
import type { Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { Window } from './spatial';

/** Floats of im2col panels per chunk (4 MiB); mutable for tests. */
export const convTuning = { chunkFloats: 1 << 20 };

/** Whether convWasm handles this window (1 or 2 spatial axes). */
export function convWasmSupports(win: Window): boolean {
  return win.inSize.length <= 2;
}

export function convWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  win: Window, groups: number, activation?: { min: number; max: number },
): void {
  const two = win.inSize.length === 2;
  const [H, W] = two ? win.inSize : [1, win.inSize[0]];
  const [KH, KW] = two ? win.kernel : [1, win.kernel[0]];
  const [SH, SW] = two ? win.strides : [1, win.strides[0]];
  const [DH, DW] = two ? win.dilations : [1, win.dilations[0]];
  const [PH, PW] = two ? win.padsBegin : [0, win.padsBegin[0]];
  const [OH, OW] = two ? win.outSize : [1, win.outSize[0]];
  const [n, c] = x.shape;
  const m = w.shape[0];
  const cg = c / groups;
  const mg = m / groups;
  const K = cg * KH * KW;
  const OWP = Math.ceil(OW / 8) * 8;
  const inImage = c * H * W;
  const outImage = m * OH * OW;
  const totalRows = n * OH;
  const chunkRows = Math.max(1, Math.min(totalRows, Math.floor(convTuning.chunkFloats / (K * OWP))));

  wk.beginCall();
  const xPtr = wk.allocScratch(n * inImage);
  const wPtr = wk.allocScratch(m * K);
  const biasPtr = b ? wk.allocScratch(m) : 0;
  const panelsPtr = wk.allocScratch(K * chunkRows * OWP);
  const apPtr = wk.allocScratch((mg - (mg % 6)) * K);
  const cPtr = wk.allocScratch(mg * chunkRows * OWP);
  const yPtr = wk.allocScratch(n * outImage);
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(x.data.subarray(0, n * inImage), xPtr >> 2);
  heap.set(w.data.subarray(0, m * K), wPtr >> 2);
  if (b) heap.set(b.data.subarray(0, m), biasPtr >> 2);
  const lo = activation?.min ?? -Infinity;
  const hi = activation?.max ?? Infinity;
  const e = wk.exports;
  for (let gi = 0; gi < groups; gi++) {
    for (let row0 = 0; row0 < totalRows; row0 += chunkRows) {
      const rows = Math.min(chunkRows, totalRows - row0);
      const cols = rows * OWP;
      e.im2colPanels(xPtr + gi * cg * H * W * 4, inImage, cg, H, W, KH, KW, SH, SW, PH, PW, DH, DW, OH, OWP, row0, rows, panelsPtr);
      e.gemm(mg, cols, K, wPtr + gi * mg * K * 4, K, apPtr, panelsPtr, cPtr, cols, 1, 0, 0, lo, hi, b ? biasPtr + gi * mg * 4 : 0);
      e.scatterRows(cPtr, cols, mg, OH, OW, OWP, row0, rows, yPtr + gi * mg * OH * OW * 4, outImage);
    }
  }
  y.data.set(heap.subarray(yPtr >> 2, (yPtr >> 2) + n * outImage));
}
