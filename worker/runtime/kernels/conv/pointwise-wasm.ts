/**
 * Pointwise Conv (1x1, stride 1, no padding) in WebAssembly: per image and group a GEMM, without
 * im2col, one of two ways round:
 * - Y_g = W_g · X_g: the image's planes X_g (C_g x P) packed into the gemm's panels of 8 positions;
 * - Y^T = X^T · W^T (one group), when P is a few panels with a mostly empty last one (a network's
 *   7x7 layers: 49 = 6 panels + 1 position): the filters, packed once per plan, are the panels and
 *   the positions the rows, so no panel is padded; X and Y are transposed on the way in and out.
 * Both sum each output's channels in order from +0 and then add the bias and clamp, the same float32
 * operations as the JavaScript path.
 */
import { span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import { packedB, type PackedWeights } from '../linalg/gemm';
import { copyBias, copyToScratch, type WasmFilters } from './conv-exports';

const PANEL = 8;

export function pointwiseWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  groups: number, activation: { min: number; max: number } | undefined, filters: WasmFilters | null,
  weights: PackedWeights | null,
): void {
  const m = w.shape[0];
  const P = y.data.length / (x.shape[0] * m);
  if (groups === 1 && prefersTransposed(P, m)) transposedPointwise(wk, x, w, b, y, P, activation, weights);
  else plainPointwise(wk, x, w, b, y, P, groups, activation, filters);
}

/**
 * Positions as rows when the last panel of P positions would be mostly padding (over 1/20 of the
 * work wasted) and the filters fill whole panels; the two transposes then cost less than the
 * padding (measured on 7x7 planes).
 */
function prefersTransposed(P: number, m: number): boolean {
  const padded = Math.ceil(P / PANEL) * PANEL;
  return m % PANEL === 0 && (padded - P) * 20 > P;
}

function plainPointwise(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  P: number, groups: number, activation: { min: number; max: number } | undefined, filters: WasmFilters | null,
): void {
  const n = x.shape[0];
  const c = x.shape[1];
  const m = w.shape[0];
  const cg = c / groups;
  const mg = m / groups;
  wk.beginCall();
  const wPtr = filters ? filters.address(wk, w.data, m * cg) : copyToScratch(wk, w.data, m * cg);
  const xPtr = wk.allocScratch(n * c * P);
  const panelsPtr = wk.allocScratch(Math.ceil(P / PANEL) * PANEL * cg);
  const biasPtr = wk.allocScratch(m);
  const yPtr = wk.allocScratch(n * m * P);
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(span(x.data, 0, n * c * P), xPtr >> 2);
  copyBias(heap, b, m, biasPtr);
  const lo = activation?.min ?? -Infinity;
  const hi = activation?.max ?? Infinity;
  const e = wk.exports;
  for (let i = 0; i < n; i++) {
    for (let gi = 0; gi < groups; gi++) {
      e.packB(xPtr + (i * c + gi * cg) * P * 4, P, cg, P, 0, panelsPtr, cg);
      e.gemm(
        mg, P, cg, wPtr + gi * mg * cg * 4, cg, panelsPtr, yPtr + (i * m + gi * mg) * P * 4, P,
        1, 0, 0, lo, hi, biasPtr + gi * mg * 4,
      );
    }
  }
  y.data.set(wk.view(yPtr, n * m * P));
}

function transposedPointwise(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  P: number, activation: { min: number; max: number } | undefined, weights: PackedWeights | null,
): void {
  const n = x.shape[0];
  const c = x.shape[1];
  const m = w.shape[0];
  wk.beginCall();
  // W (m x c) is B^T of B = W^T (c x m): panels of 8 filters, packed once per plan
  const panelsPtr = packedB(wk, w.data, 0, true, c, m, weights);
  const xPtr = wk.allocScratch(n * c * P);
  const aPtr = wk.allocScratch(P * c);
  const tPtr = wk.allocScratch(P * m);
  const biasPtr = b ? wk.allocScratch(m) : 0;
  const yPtr = wk.allocScratch(n * m * P);
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(span(x.data, 0, n * c * P), xPtr >> 2);
  if (b) heap.set(span(b.data, 0, m), biasPtr >> 2);
  const lo = activation?.min ?? -Infinity;
  const hi = activation?.max ?? Infinity;
  const e = wk.exports;
  for (let i = 0; i < n; i++) {
    // A = X_i^T (P x c), C = Y_i^T (P x m), then Y_i = C^T
    e.stridedCopy32(xPtr + i * c * P * 4, aPtr, 1, 1, P, c, 0, 0, 1, P);
    e.gemm(P, m, c, aPtr, c, panelsPtr, tPtr, m, 1, biasPtr, 0, lo, hi, 0);
    e.stridedCopy32(tPtr, yPtr + i * m * P * 4, 1, 1, m, P, 0, 0, 1, m);
  }
  y.data.set(wk.view(yPtr, n * m * P));
}
