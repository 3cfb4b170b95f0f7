/**
 * Conv (1-D and 2-D) in WebAssembly: per group, Y_g[m][p] = W_g[m] · col[p] + bias[m], computed by
 * the module's convGroup as GEMM tiles whose A is the filters as stored (M_g x C_g*KH*KW) and whose
 * B panels (8 neighbouring output positions) are read straight from the image where every tap lies
 * inside it (stride 1 across; padded images are first copied into zero-padded planes, so that all
 * their panels qualify), and im2col'd one panel at a time elsewhere. Tiles store straight
 * into NCHW output; bias and a clamp (fused Relu) run in their epilogue. Every output sums its taps
 * in (channel, ky, kx) order in one chain, as the GEMM does.
 */
import { span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { Window } from './spatial';

/** Whether convWasm handles this window (1 or 2 spatial axes). */
export function convWasmSupports(win: Window): boolean {
  return win.inSize.length <= 2;
}

export function convWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  win: Window, groups: number, activation?: { min: number; max: number },
): void {
  // a 1-D window is a 2-D one of height 1 (read by index: no arrays per call)
  const two = win.inSize.length === 2;
  const H = two ? win.inSize[0] : 1;
  const W = win.inSize[two ? 1 : 0];
  const KH = two ? win.kernel[0] : 1;
  const KW = win.kernel[two ? 1 : 0];
  const SH = two ? win.strides[0] : 1;
  const SW = win.strides[two ? 1 : 0];
  const DH = two ? win.dilations[0] : 1;
  const DW = win.dilations[two ? 1 : 0];
  const PH = two ? win.padsBegin[0] : 0;
  const PW = win.padsBegin[two ? 1 : 0];
  const PEH = two ? win.padsEnd[0] : 0;
  const PEW = win.padsEnd[two ? 1 : 0];
  const OH = two ? win.outSize[0] : 1;
  const OW = win.outSize[two ? 1 : 0];
  const n = x.shape[0];
  const c = x.shape[1];
  const m = w.shape[0];
  const cg = c / groups;
  const mg = m / groups;
  const K = cg * KH * KW;
  const inImage = c * H * W;
  const outImage = m * OH * OW;
  // Stride 1 across with padding: convolve zero-padded copies of the images (all panels in place)
  const padded = SW === 1 && PH + PW + PEH + PEW > 0;
  const HP = padded ? H + PH + PEH : H;
  const WP = padded ? W + PW + PEW : W;

  wk.beginCall();
  // 8 floats of slack: panels read in place run on past the last stored lane
  const xPtr = wk.allocScratch(n * inImage + 8);
  const wPtr = wk.allocScratch(m * K);
  const biasPtr = b ? wk.allocScratch(m) : 0;
  const offsPtr = wk.allocScratch(K);
  const panelPtr = wk.allocScratch(K * 8);
  const apPtr = wk.allocScratch((mg - (mg % 8)) * K);
  const yPtr = wk.allocScratch(n * outImage);
  const xpPtr = padded ? wk.allocScratch(n * c * HP * WP + 8) : xPtr;
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  heap.set(span(x.data, 0, n * inImage), xPtr >> 2);
  heap.set(span(w.data, 0, m * K), wPtr >> 2);
  if (b) heap.set(span(b.data, 0, m), biasPtr >> 2);
  if (padded) wk.exports.padPlanes(xPtr, xpPtr, n * c, H, W, PH, PW, HP, WP);
  const lo = activation?.min ?? -Infinity;
  const hi = activation?.max ?? Infinity;
  for (let gi = 0; gi < groups; gi++) {
    wk.exports.convGroup(
      xpPtr + gi * cg * HP * WP * 4, c * HP * WP, n, cg, HP, WP, KH, KW, SH, SW, padded ? 0 : PH, padded ? 0 : PW, DH, DW, OH, OW,
      wPtr + gi * mg * K * 4, mg, offsPtr, panelPtr, apPtr,
      yPtr + gi * mg * OH * OW * 4, outImage, b ? biasPtr + gi * mg * 4 : 0, lo, hi,
    );
  }
  y.data.set(wk.view(yPtr, n * outImage));
}
