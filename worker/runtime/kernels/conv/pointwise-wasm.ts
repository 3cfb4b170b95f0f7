/**
 * Pointwise Conv (1x1, stride 1, no padding) in WebAssembly: per image and group a GEMM, without
 * im2col, one of two ways round:
 * - Y_g = W_g · X_g: the image's planes X_g (C_g x P) packed into the gemm's panels of 8 positions;
 * - Y^T = X^T · W^T (one group), when P is a few panels with a mostly empty last one (a network's
 *   7x7 layers: 49 = 6 panels + 1 position): the filters, packed once per plan, are the panels and
 *   the positions the rows, so no panel is padded; X and Y are transposed on the way in and out.
 * Both sum each output's channels in order from +0 and then add the bias and clamp, the same float32
 * operations as the JavaScript path. With `accumulate`, the output already holds a residual that
 * the epilogue adds after the bias and before the clamp: (acc + bias) + residual, as Conv then Add.
 *
 * `pointwiseFilters` finds the filters' address (before the call's first scratch allocation, as
 * persistent blocks require) and `pointwiseInHeap` convolves images already in the module's memory
 * into its memory; `pointwiseWasm` is the two with the copies in and out.
 */
import { span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import { packedB, type PackedWeights } from '../linalg/gemm';
import { copyBias, copyToScratch, type WasmFilters } from './conv-exports';

const PANEL = 8;

/** The sizes of one pointwise convolution. */
export interface PointwiseShape {
  readonly n: number;
  readonly c: number;
  readonly m: number;
  /** positions per plane */
  readonly P: number;
  readonly groups: number;
}

export function pointwiseWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  groups: number, activation: { min: number; max: number } | undefined, filters: WasmFilters | null,
  weights: PackedWeights | null,
): void {
  const n = x.shape[0];
  const m = w.shape[0];
  const shape: PointwiseShape = { n, c: x.shape[1], m, P: y.data.length / (n * m), groups };
  wk.beginCall();
  const wPtr = pointwiseFilters(wk, shape, w, filters, weights);
  const xPtr = wk.allocScratch(n * shape.c * shape.P);
  const yPtr = wk.allocScratch(n * m * shape.P);
  wk.f32.set(span(x.data, 0, n * shape.c * shape.P), xPtr >> 2);
  pointwiseInHeap(wk, shape, wPtr, b, activation?.min ?? -Infinity, activation?.max ?? Infinity, xPtr, yPtr, false);
  y.data.set(wk.view(yPtr, n * m * shape.P));
}

/**
 * Positions as rows when the last panel of P positions would be mostly padding (over 1/20 of the
 * work wasted) and the filters fill whole panels; the two transposes then cost less than the
 * padding (measured on 7x7 planes).
 */
function prefersTransposed(s: PointwiseShape): boolean {
  const padded = Math.ceil(s.P / PANEL) * PANEL;
  return s.groups === 1 && s.m % PANEL === 0 && (padded - s.P) * 20 > s.P;
}

/**
 * The filters' byte address in `wk`'s memory: W as stored (m x C_g), or packed into panels of 8
 * filters for the transposed way. Call before the call's first `allocScratch`.
 */
export function pointwiseFilters(wk: WasmKernels, s: PointwiseShape, w: Tensor<'float32'>, filters: WasmFilters | null, weights: PackedWeights | null): number {
  const cg = s.c / s.groups;
  // W (m x c) is B^T of B = W^T (c x m): panels of 8 filters, packed once per plan
  if (prefersTransposed(s)) return packedB(wk, w.data, 0, true, s.c, s.m, weights);
  return filters ? filters.address(wk, w.data, s.m * cg) : copyToScratch(wk, w.data, s.m * cg);
}

/** Convolves the images at byte address `xPtr` into `yPtr` (both in `wk`'s memory). */
export function pointwiseInHeap(
  wk: WasmKernels, s: PointwiseShape, wPtr: number, b: Tensor<'float32'> | undefined, lo: number, hi: number,
  xPtr: number, yPtr: number, accumulate: boolean,
): void {
  if (prefersTransposed(s)) transposedInHeap(wk, s, wPtr, b, lo, hi, xPtr, yPtr, accumulate);
  else plainInHeap(wk, s, wPtr, b, lo, hi, xPtr, yPtr, accumulate);
}

function plainInHeap(
  wk: WasmKernels, s: PointwiseShape, wPtr: number, b: Tensor<'float32'> | undefined, lo: number, hi: number,
  xPtr: number, yPtr: number, accumulate: boolean,
): void {
  const { n, c, m, P, groups } = s;
  const cg = c / groups;
  const mg = m / groups;
  const panelsPtr = wk.allocScratch(Math.ceil(P / PANEL) * PANEL * cg);
  const biasPtr = wk.allocScratch(m);
  copyBias(wk.f32, b, m, biasPtr);
  const e = wk.exports;
  for (let i = 0; i < n; i++) {
    for (let gi = 0; gi < groups; gi++) {
      e.packB(xPtr + (i * c + gi * cg) * P * 4, P, cg, P, 0, panelsPtr, cg);
      e.gemm(
        mg, P, cg, wPtr + gi * mg * cg * 4, cg, panelsPtr, yPtr + (i * m + gi * mg) * P * 4, P,
        1, 0, accumulate ? 1 : 0, lo, hi, biasPtr + gi * mg * 4,
      );
    }
  }
}

function transposedInHeap(
  wk: WasmKernels, s: PointwiseShape, panelsPtr: number, b: Tensor<'float32'> | undefined, lo: number, hi: number,
  xPtr: number, yPtr: number, accumulate: boolean,
): void {
  const { n, c, m, P } = s;
  const aPtr = wk.allocScratch(P * c);
  const tPtr = wk.allocScratch(P * m);
  const biasPtr = b ? wk.allocScratch(m) : 0;
  if (b) wk.f32.set(span(b.data, 0, m), biasPtr >> 2);
  const e = wk.exports;
  for (let i = 0; i < n; i++) {
    const yi = yPtr + i * m * P * 4;
    // A = X_i^T (P x c), C = Y_i^T (P x m), then Y_i = C^T
    e.stridedCopy32(xPtr + i * c * P * 4, aPtr, 1, 1, P, c, 0, 0, 1, P);
    if (accumulate) e.stridedCopy32(yi, tPtr, 1, 1, P, m, 0, 0, 1, P);
    e.gemm(P, m, c, aPtr, c, panelsPtr, tPtr, m, 1, biasPtr, accumulate ? 1 : 0, lo, hi, 0);
    e.stridedCopy32(tPtr, yi, 1, 1, m, P, 0, 0, 1, m);
  }
}
