/**
 * Conv (1-D and 2-D) in WebAssembly, two ways:
 * - pointwise (1x1, stride 1, no padding): the module's gemm, without im2col (pointwise-wasm.ts);
 * - otherwise per group, Y_g[m][p] = W_g[m] · col[p] + bias[m], computed by the module's convGroup as
 *   GEMM tiles whose A is the filters as stored (M_g x C_g*KH*KW) and whose B panels (8 neighbouring
 *   output positions) are im2col'd one panel at a time, or, for groups of few filters, read straight
 *   from the image where every tap lies inside it (stride 1 across; padded images are then first
 *   copied into zero-padded planes, so that all their panels qualify).
 * Tiles store straight into NCHW output; bias (zeros without B) and a clamp (fused Relu) run in
 * their epilogue. Every output sums its taps in (channel, ky, kx) order in one chain, as the GEMM
 * does, so both ways give the same values. The filters are copied into the module's memory once
 * per plan (WasmFilters, or the GEMM's PackedWeights for pointwise ones computed transposed).
 */
import { span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { PackedWeights } from '../linalg/gemm';
import { copyBias, copyToScratch, type WasmFilters } from './conv-exports';
import { pointwiseWasm } from './pointwise-wasm';
import type { PlaneWindow, Window } from './spatial';

/** Whether convWasm handles this window (1 or 2 spatial axes). */
export function convWasmSupports(win: Window): boolean {
  return win.plane !== null;
}

/** A 1x1 window without stride or padding: the input planes already are the GEMM's B. */
export function isPointwise(p: PlaneWindow): boolean {
  return p.KH === 1 && p.KW === 1 && p.SH === 1 && p.SW === 1 && p.H === p.OH && p.W === p.OW;
}

export function convWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  win: Window, groups: number, activation?: { min: number; max: number }, filters: WasmFilters | null = null,
  weights: PackedWeights | null = null,
): void {
  const plane = win.plane;
  if (plane === null) throw new Error('convWasm runs 1-D and 2-D convolutions only; check convWasmSupports first');
  if (isPointwise(plane)) pointwiseWasm(wk, x, w, b, y, groups, activation, filters, weights);
  else convGroupsWasm(wk, x, w, b, y, plane, win, groups, activation, filters);
}

function convGroupsWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  plane: PlaneWindow, win: Window, groups: number, activation: { min: number; max: number } | undefined, filters: WasmFilters | null,
): void {
  const n = x.shape[0];
  const c = x.shape[1];
  const m = w.shape[0];
  const inFloats = n * c * plane.H * plane.W;
  const outFloats = n * m * plane.OH * plane.OW;
  wk.beginCall();
  const wPtr = convGroupsFilters(wk, w, filters);
  const xPtr = wk.allocScratch(inFloats + CONV_GROUPS_INPUT_SLACK);
  const yPtr = wk.allocScratch(outFloats);
  wk.f32.set(span(x.data, 0, inFloats), xPtr >> 2);
  convGroupsInHeap(wk, n, c, m, plane, win, groups, b, activation?.min ?? -Infinity, activation?.max ?? Infinity, wPtr, xPtr, yPtr);
  y.data.set(wk.view(yPtr, outFloats));
}

/** Floats past the images that convGroupsInHeap may read: panels read in place run on past the last stored lane. */
export const CONV_GROUPS_INPUT_SLACK = 8;

/** The filters' byte address in `wk`'s memory; call before the call's first `allocScratch`. */
export function convGroupsFilters(wk: WasmKernels, w: Tensor<'float32'>, filters: WasmFilters | null): number {
  const floats = w.data.length;
  return filters ? filters.address(wk, w.data, floats) : copyToScratch(wk, w.data, floats);
}

/**
 * Convolves the images at byte address `xPtr` into `yPtr` (both in `wk`'s memory), group by group;
 * with `pool4` (1-D only), writes the MaxPool (window 4, stride 4) of the output instead, OW / 4
 * values per filter.
 */
export function convGroupsInHeap(
  wk: WasmKernels, n: number, c: number, m: number, plane: PlaneWindow, win: Window, groups: number,
  b: Tensor<'float32'> | undefined, lo: number, hi: number, wPtr: number, xPtr: number, yPtr: number, pool4 = false,
): void {
  const { H, W, KH, KW, SH, SW, DH, DW, PH, PW, OH, OW } = plane;
  const two = win.inSize.length === 2;
  const PEH = two ? win.padsEnd[0] : 0;
  const PEW = win.padsEnd[two ? 1 : 0];
  const cg = c / groups;
  const mg = m / groups;
  const K = cg * KH * KW;
  const outPlane = pool4 ? OW >> 2 : OH * OW;
  const outImage = m * outPlane;
  const inPlace = readsPanelsInPlace(mg, OW);
  // Stride 1 across with padding: convolve zero-padded copies of the images (all panels in place)
  const padded = inPlace && SW === 1 && PH + PW + PEH + PEW > 0;
  const HP = padded ? H + PH + PEH : H;
  const WP = padded ? W + PW + PEW : W;
  const biasPtr = wk.allocScratch(m);
  const offsPtr = wk.allocScratch(K);
  const panelPtr = wk.allocScratch(K * 8);
  const apPtr = wk.allocScratch((mg - (mg % 8)) * K);
  const xpPtr = padded ? wk.allocScratch(n * c * HP * WP + CONV_GROUPS_INPUT_SLACK) : xPtr;
  const blockPtr = pool4 ? wk.allocScratch(mg * 8) : 0;
  copyBias(wk.f32, b, m, biasPtr);
  if (padded) wk.exports.padPlanes(xPtr, xpPtr, n * c, H, W, PH, PW, HP, WP);
  for (let gi = 0; gi < groups; gi++) {
    wk.exports.convGroup(
      xpPtr + gi * cg * HP * WP * 4, c * HP * WP, n, cg, HP, WP, KH, KW, SH, SW, padded ? 0 : PH, padded ? 0 : PW, DH, DW, OH, OW,
      wPtr + gi * mg * K * 4, mg, offsPtr, panelPtr, apPtr,
      yPtr + gi * mg * outPlane * 4, outImage, biasPtr + gi * mg * 4, lo, hi, inPlace ? 1 : 0, pool4 ? 1 : 0, blockPtr,
    );
  }
}

/**
 * Whether convGroup reads B's panels in place for a group of `filters` filters over output rows of
 * `width` positions (measured): a panel read in place spreads its K rows over as many cache lines,
 * where an im2col'd panel is K x 8 contiguous floats that every tile of the panel reads again. With
 * many filters (tiles per panel) the packed panel wins; with few, packing costs more than it saves,
 * most of all on narrow rows, whose edge panels im2col lane by lane.
 */
function readsPanelsInPlace(filters: number, width: number): boolean {
  return filters < 64 || (filters < 128 && width < 64);
}
