/**
 * Depthwise Conv (group == input channels, any channel multiplier M / C), 1-D or 2-D: each output
 * channel o convolves input channel floor(o / multiplier) with its own filter, a direct loop rather
 * than one tiny GEMM per channel. Every output sums its taps in (ky, kx) order in float32 from +0,
 * padding taps included as w * 0, then adds the bias and clamps (a fused Relu/Clip, as the GEMM's
 * epilogue does: v < lo ? lo : v > hi ? hi : v): the WebAssembly
 * kernel (worker/wasm/depthwise.as.ts) performs the same float32 operations in the same order, so
 * the two paths agree bit for bit.
 */
import { span, type Tensor } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import { convExports, copyToScratch, type WasmFilters } from './conv-exports';
import type { PlaneWindow, Window } from './spatial';

/** The window of a Conv of `groups` groups over `c` input channels that runs as a depthwise one here, else null. */
export function depthwisePlane(c: number, groups: number, win: Window): PlaneWindow | null {
  return groups === c && groups > 1 ? win.plane : null;
}

const f = Math.fround;

export function depthwiseJs(
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  pw: PlaneWindow, lo: number, hi: number,
): void {
  const X = x.data;
  const Wt = w.data;
  const Y = y.data;
  const n = x.shape[0];
  const c = x.shape[1];
  const m = w.shape[0];
  const multiplier = m / c;
  const { H, W, KH, KW, SH, SW, DH, DW, PH, PW, OH, OW } = pw;
  const taps = KH * KW;
  const low = f(lo);
  const high = f(hi);
  let out = 0;
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < m; o++) {
      const plane = (i * c + Math.floor(o / multiplier)) * H * W;
      const filter = o * taps;
      const bias = b ? b.data[o] : 0;
      for (let oy = 0; oy < OH; oy++) {
        const iy0 = oy * SH - PH;
        for (let ox = 0; ox < OW; ox++) {
          const ix0 = ox * SW - PW;
          let s = 0;
          let tap = filter;
          for (let ky = 0, iy = iy0; ky < KH; ky++, iy += DH) {
            const rowInside = iy >= 0 && iy < H;
            const line = plane + iy * W;
            for (let kx = 0, ix = ix0; kx < KW; kx++, ix += DW) {
              const v = rowInside && ix >= 0 && ix < W ? X[line + ix] : 0;
              s = f(s + f(Wt[tap++] * v));
            }
          }
          const v = f(s + bias);
          Y[out++] = v < low ? low : v > high ? high : v;
        }
      }
    }
  }
}

/** 3x3 without dilation at stride 1 or 2 (MobileNet's): padded in place by the module. */
function isPlain3x3(pw: PlaneWindow): boolean {
  return pw.KH === 3 && pw.KW === 3 && pw.DH === 1 && pw.DW === 1 && pw.SH === pw.SW && pw.SW <= 2 && pw.PW <= 4;
}

/**
 * Stride-1 rows of 2 to 4 blocks of 8 outputs (MobileNet's 14x14 and 28x28 planes), where the
 * blocks at the edges, which mask their lanes outside the row, are half of them or more: a
 * zero-padded copy of the planes, made in one pass, lets every block load plainly (measured faster;
 * slower at stride 2, on 7x7 planes and on wide rows).
 */
function isNarrowStride1(pw: PlaneWindow): boolean {
  return pw.SW === 1 && pw.OW > 8 && pw.OW <= 32;
}

/**
 * The same in WebAssembly: the images and bias are copied in per call, the filters once per node
 * when `filters` (the plan's) is given, and the output copied out. 3x3 windows at stride 1 or 2
 * are padded in place by the module (depthwiseConv3x3), but for narrow rows (isNarrowStride1),
 * which it runs on zero-padded copies; other windows convolve zero-padded copies of the planes
 * (padPlanes, then depthwiseConv).
 */
export function depthwiseWasm(
  wk: WasmKernels,
  x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | undefined, y: Tensor<'float32'>,
  pw: PlaneWindow, lo: number, hi: number, filters: WasmFilters | null,
): void {
  const n = x.shape[0];
  const c = x.shape[1];
  const m = w.shape[0];
  const inFloats = n * c * pw.H * pw.W;
  const outFloats = n * m * pw.OH * pw.OW;
  wk.beginCall();
  const wPtr = depthwiseFilters(wk, w, m, pw, filters);
  // 4 floats of slack before: the first block of a row padded in place reads (and masks) them
  const xPtr = wk.allocScratch(inFloats + depthwiseInputSlack(pw) + 4) + 16;
  // ... and stores up to 7 floats past it
  const yPtr = wk.allocScratch(outFloats + 8);
  wk.f32.set(span(x.data, 0, inFloats), xPtr >> 2);
  depthwiseInHeap(wk, n, c, m, pw, wPtr, b, lo, hi, xPtr, yPtr);
  y.data.set(wk.view(yPtr, outFloats));
}

/** The filters' byte address in `wk`'s memory; call before the call's first `allocScratch`. */
export function depthwiseFilters(wk: WasmKernels, w: Tensor<'float32'>, m: number, pw: PlaneWindow, filters: WasmFilters | null): number {
  const floats = m * pw.KH * pw.KW;
  return filters ? filters.address(wk, w.data, floats) : copyToScratch(wk, w.data, floats);
}

/**
 * Floats past the images that depthwiseInHeap may read when it reads them in place: a row's last
 * step reads up to 8 strides (and one float) past the row. It also reads the 4 floats before them.
 */
export function depthwiseInputSlack(pw: PlaneWindow): number {
  return 8 * pw.SW + 8;
}

/**
 * Convolves the images at byte address `xPtr` into `yPtr` (both in `wk`'s memory; see
 * depthwiseInputSlack for what is read around the images, and the output takes 8 floats more).
 */
export function depthwiseInHeap(
  wk: WasmKernels, n: number, c: number, m: number, pw: PlaneWindow, wPtr: number, b: Tensor<'float32'> | undefined,
  lo: number, hi: number, xPtr: number, yPtr: number,
): void {
  const { H, W, KH, KW, SW, PH, PW, PEH, PEW, OH, OW } = pw;
  const inImage = c * H * W;
  const outImage = m * OH * OW;
  const plain = isPlain3x3(pw);
  const narrow = plain && isNarrowStride1(pw);
  const padded = (!plain || narrow) && PH + PW + PEH + PEW > 0;
  const HP = padded ? H + PH + PEH : H;
  // narrow rows run on past their end to the last block's last column, zeros too
  const WP = narrow ? Math.max(W + PW + PEW, ((OW - 1) & ~7) + 10) : padded ? W + PW + PEW : W;
  const xpPtr = padded ? wk.allocScratch(n * c * HP * WP + depthwiseInputSlack(pw)) : xPtr;
  // the rows above and below the image, for depthwiseConv3x3 (4 floats readable before it)
  const zeroFloats = plain ? (OW + 8) * SW + 16 : 0;
  const zeroPtr = plain ? wk.allocScratch(zeroFloats) : 0;
  const biasPtr = b ? wk.allocScratch(m) : 0;
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  if (b) heap.set(span(b.data, 0, m), biasPtr >> 2);
  const e = convExports(wk);
  if (narrow) {
    heap.fill(0, zeroPtr >> 2, (zeroPtr >> 2) + zeroFloats);
    if (padded) wk.exports.padPlanes(xPtr, xpPtr, n * c, H, W, PH, PW, HP, WP);
    e.depthwiseConv3x3(xpPtr, c * HP * WP, n, HP, WP, SW, 0, 0, OH, OW, wPtr, m, m / c, biasPtr, lo, hi, yPtr, outImage, zeroPtr + 16);
  } else if (plain) {
    heap.fill(0, zeroPtr >> 2, (zeroPtr >> 2) + zeroFloats);
    e.depthwiseConv3x3(xPtr, inImage, n, H, W, SW, PH, PW, OH, OW, wPtr, m, m / c, biasPtr, lo, hi, yPtr, outImage, zeroPtr + 16);
  } else {
    if (padded) wk.exports.padPlanes(xPtr, xpPtr, n * c, H, W, PH, PW, HP, WP);
    e.depthwiseConv(xpPtr, c * HP * WP, n, HP, WP, KH, KW, pw.SH, SW, pw.DH, pw.DW, OH, OW, wPtr, m, m / c, biasPtr, lo, hi, yPtr, outImage);
  }
}
