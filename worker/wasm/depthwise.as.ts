// Depthwise convolution (group == input channels) in WebAssembly SIMD over NCHW planes: each output
// channel convolves one input plane with its own KH x KW filter, vectorised along the output width
// (8 positions per step). Two kernels:
//   depthwiseConv3x3  3x3 at stride 1 or 2 without dilation (MobileNet's): two output rows per step
//                     (four accumulator chains), the nine taps in registers, padding handled in
//                     place (a zero row above and below, masked lanes at the row edges)
//   depthwiseConv     any other window, on planes zero-padded beforehand (padPlanes in conv.as.ts)
//
// Every output sums its taps in (ky, kx) order in one chain starting at +0 (a padding tap adds
// w * 0), then adds the bias and clamps (v < lo ? lo : v > hi ? hi : v): the same float32 operations, in the same order, as the
// JavaScript path (worker/runtime/kernels/conv/depthwise.ts), so the two agree bit for bit.
//
// A row's last step may compute up to 7 positions past the row's end: it stores them too, into the
// start of the next row (or plane), which a later step overwrites with its own values. Inputs and
// outputs therefore need slack after them (see depthwiseConv).

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

import { clamp } from './gemm.as';
import { loadStrided } from './lanes.as';

// @ts-ignore: decorator
@inline
function finish(acc: v128, bias: v128, lo: v128, hi: v128): v128 {
  return clamp(f32x4.add(acc, bias), lo, hi);
}

/**
 * Y[img][o] = clamp(conv(X[img][o / multiplier], W[o]) + bias[o], lo, hi) for M output channels,
 * over input planes of H x W floats already padded (no padding here). `w` holds M filters of
 * KH x KW floats; `bias` is 0 (none) or M floats. Images are `imageStride` floats apart in `x`, which
 * must be followed by 8 * SW + 8 readable floats; `y` (images `outImageStride` floats apart) must
 * have 8 writable floats after its last image.
 */
export function depthwiseConv(
  x: usize, imageStride: i32, images: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32,
  OH: i32, OW: i32, w: usize, M: i32, multiplier: i32, bias: usize, lo: f32, hi: f32,
  y: usize, outImageStride: i32,
): void {
  const filterBytes = <usize>(KH * KW) * 4;
  const planeBytes = <usize>H * <usize>W * 4;
  const outPlaneBytes = <usize>OH * <usize>OW * 4;
  const loV = f32x4.splat(lo);
  const hiV = f32x4.splat(hi);
  for (let img = 0; img < images; img++) {
    const image = x + <usize>img * <usize>imageStride * 4;
    for (let o = 0; o < M; o++) {
      const plane = image + <usize>(o / multiplier) * planeBytes;
      const filter = w + <usize>o * filterBytes;
      const b = bias ? v128.load32_splat(bias + <usize>o * 4) : f32x4.splat(0);
      const out = y + (<usize>img * <usize>outImageStride * 4) + <usize>o * outPlaneBytes;
      if (KH == 3 && KW == 3) plane3x3(plane, W, SH, SW, DH, DW, OH, OW, filter, b, loV, hiV, out);
      else planeAny(plane, W, KH, KW, SH, SW, DH, DW, OH, OW, filter, b, loV, hiV, out);
    }
  }
}

/**
 * 3x3 depthwise convolution without dilation at stride 1 or 2 (MobileNet's), on unpadded planes:
 * rows above and below the image read a row of zeros (`zeroRow`, readable from 4 floats before it
 * to (OW + 8) * stride + 4 floats after), and in blocks that reach past the left or right edge of
 * the row, lanes whose tap lies outside are masked to +0 (the value a padded copy would hold). No
 * padded copy of the input, which costs a pass over memory. `x` must be followed by 8 * stride + 8
 * readable floats and preceded by 4.
 */
export function depthwiseConv3x3(
  x: usize, imageStride: i32, images: i32, H: i32, W: i32, stride: i32, PH: i32, PW: i32,
  OH: i32, OW: i32, w: usize, M: i32, multiplier: i32, bias: usize, lo: f32, hi: f32,
  y: usize, outImageStride: i32, zeroRow: usize,
): void {
  const planeBytes = <usize>H * <usize>W * 4;
  const outPlaneBytes = <usize>OH * <usize>OW * 4;
  const loV = f32x4.splat(lo);
  const hiV = f32x4.splat(hi);
  for (let img = 0; img < images; img++) {
    const image = x + <usize>img * <usize>imageStride * 4;
    for (let o = 0; o < M; o++) {
      const plane = image + <usize>(o / multiplier) * planeBytes;
      const filter = w + <usize>o * 36;
      const b = bias ? v128.load32_splat(bias + <usize>o * 4) : f32x4.splat(0);
      const out = y + (<usize>img * <usize>outImageStride * 4) + <usize>o * outPlaneBytes;
      if (stride == 1) plane3x3s1(plane, H, W, PH, PW, OH, OW, filter, b, loV, hiV, out, zeroRow);
      else plane3x3s2(plane, H, W, PH, PW, OH, OW, filter, b, loV, hiV, out, zeroRow);
    }
  }
}

/** Row iy of the plane, or the zero row when iy lies in the padding. */
// @ts-ignore: decorator
@inline
function rowAt(plane: usize, iy: i32, H: i32, rowBytes: usize, zeroRow: usize): usize {
  return iy >= 0 && iy < H ? plane + <usize>iy * rowBytes : zeroRow;
}

/** All ones in the lanes whose column first + lanes[l] lies inside [0, width), zeros elsewhere. */
// @ts-ignore: decorator
@inline
function edgeMask(first: i32, lanes: v128, width: v128): v128 {
  const ix = i32x4.add(i32x4.splat(first), lanes);
  return v128.and(i32x4.ge_s(ix, i32x4.splat(0)), i32x4.lt_s(ix, width));
}

/** One channel, stride 1: rows oy and oy + 1 of the output read input rows oy .. oy + 3. */
function plane3x3s1(
  plane: usize, H: i32, W: i32, PH: i32, PW: i32, OH: i32, OW: i32, filter: usize, b: v128, lo: v128, hi: v128, out: usize,
  zeroRow: usize,
): void {
  plane3x3Strided(1, plane, H, W, PH, PW, OH, OW, filter, b, lo, hi, out, zeroRow);
}

/** One channel, stride 2: rows oy and oy + 1 of the output read input rows 2oy .. 2oy + 4. */
function plane3x3s2(
  plane: usize, H: i32, W: i32, PH: i32, PW: i32, OH: i32, OW: i32, filter: usize, b: v128, lo: v128, hi: v128, out: usize,
  zeroRow: usize,
): void {
  plane3x3Strided(2, plane, H, W, PH, PW, OH, OW, filter, b, lo, hi, out, zeroRow);
}

/**
 * One channel at `stride` 1 or 2, a constant (each caller gets its own straight-line copy): two
 * output rows per step (four accumulator chains: 2 rows x 8 positions), the nine taps in registers.
 * Blocks run from the right end of the rows to the left, so that the last block's overrun into the
 * next row lands before that row's own first block. Blocks wholly inside the row load plainly; the
 * others mask the lanes outside it.
 */
// @ts-ignore: decorator
@inline
function plane3x3Strided(
  stride: i32, plane: usize, H: i32, W: i32, PH: i32, PW: i32, OH: i32, OW: i32, filter: usize, b: v128, lo: v128,
  hi: v128, out: usize, zeroRow: usize,
): void {
  const k0 = v128.load32_splat(filter), k1 = v128.load32_splat(filter, 4), k2 = v128.load32_splat(filter, 8);
  const k3 = v128.load32_splat(filter, 12), k4 = v128.load32_splat(filter, 16), k5 = v128.load32_splat(filter, 20);
  const k6 = v128.load32_splat(filter, 24), k7 = v128.load32_splat(filter, 28), k8 = v128.load32_splat(filter, 32);
  const lanes = stride == 1 ? i32x4(0, 1, 2, 3) : i32x4(0, 2, 4, 6);
  const width = i32x4.splat(W);
  const row = <usize>W * 4;
  const outRow = <usize>OW * 4;
  const lastBlock = (OW - 1) & ~7;
  const lastColumn = 8 * stride + 1; // a block reads input columns ix0 .. ix0 + lastColumn
  let oy = 0;
  for (; oy + 2 <= OH; oy += 2) {
    const iy = stride * oy - PH;
    const r0 = rowAt(plane, iy, H, row, zeroRow);
    const r1 = rowAt(plane, iy + 1, H, row, zeroRow);
    const r2 = rowAt(plane, iy + 2, H, row, zeroRow);
    const r3 = rowAt(plane, iy + 3, H, row, zeroRow);
    const r4 = stride == 2 ? rowAt(plane, iy + 4, H, row, zeroRow) : zeroRow;
    const d0 = out + <usize>oy * outRow;
    for (let ox = lastBlock; ox >= 0; ox -= 8) {
      const ix0 = stride * ox - PW;
      const col = <usize>ix0 * 4;
      const p0 = r0 + col, p1 = r1 + col, p2 = r2 + col, p3 = r3 + col, p4 = r4 + col;
      const q = d0 + <usize>ox * 4;
      if (ix0 >= 0 && ix0 + lastColumn < W) {
        block3x3(2, stride, false, p0, p1, p2, p3, p4, ix0, lanes, width, k0, k1, k2, k3, k4, k5, k6, k7, k8, b, lo, hi, q, outRow);
      } else {
        block3x3(2, stride, true, p0, p1, p2, p3, p4, ix0, lanes, width, k0, k1, k2, k3, k4, k5, k6, k7, k8, b, lo, hi, q, outRow);
      }
    }
  }
  if (oy < OH) {
    const iy = stride * oy - PH;
    const r0 = rowAt(plane, iy, H, row, zeroRow);
    const r1 = rowAt(plane, iy + 1, H, row, zeroRow);
    const r2 = rowAt(plane, iy + 2, H, row, zeroRow);
    const d0 = out + <usize>oy * outRow;
    for (let ox = lastBlock; ox >= 0; ox -= 8) {
      const ix0 = stride * ox - PW;
      const col = <usize>ix0 * 4;
      const p0 = r0 + col, p1 = r1 + col, p2 = r2 + col;
      const q = d0 + <usize>ox * 4;
      if (ix0 >= 0 && ix0 + lastColumn < W) {
        block3x3(1, stride, false, p0, p1, p2, 0, 0, ix0, lanes, width, k0, k1, k2, k3, k4, k5, k6, k7, k8, b, lo, hi, q, outRow);
      } else {
        block3x3(1, stride, true, p0, p1, p2, 0, 0, ix0, lanes, width, k0, k1, k2, k3, k4, k5, k6, k7, k8, b, lo, hi, q, outRow);
      }
    }
  }
}

/**
 * One block of 8 output positions (two chains of 4) in `rows` (1 or 2) output rows, stored at `q`
 * and `q + outRow`. Input rows p0, p1, p2 (pointing at input column ix0) feed the first output row;
 * the second reads the rows `stride` below them (p1 .. p3 at stride 1, p2 .. p4 at stride 2). With
 * `masked`, lanes whose input column lies outside [0, W) read +0, as a padded copy would hold.
 * `rows`, `stride` and `masked` are constants at every call, so each call inlines to straight-line
 * code. Every chain adds its taps in (ky, kx) order from +0, tap by tap across the chains: written
 * a chain (or a filter row) at a time, the block measured about 10% slower at stride 2.
 */
// @ts-ignore: decorator
@inline
function block3x3(
  rows: i32, stride: i32, masked: bool, p0: usize, p1: usize, p2: usize, p3: usize, p4: usize,
  ix0: i32, lanes: v128, width: v128,
  k0: v128, k1: v128, k2: v128, k3: v128, k4: v128, k5: v128, k6: v128, k7: v128, k8: v128,
  b: v128, lo: v128, hi: v128, q: usize, outRow: usize,
): void {
  const zero = f32x4.splat(0);
  const two = rows == 2;
  const half = 4 * stride; // input columns between the two chains of a row
  const m00 = masked ? edgeMask(ix0 + 0, lanes, width) : zero;
  const m01 = masked ? edgeMask(ix0 + half, lanes, width) : zero;
  const m10 = masked ? edgeMask(ix0 + 1, lanes, width) : zero;
  const m11 = masked ? edgeMask(ix0 + 1 + half, lanes, width) : zero;
  const m20 = masked ? edgeMask(ix0 + 2, lanes, width) : zero;
  const m21 = masked ? edgeMask(ix0 + 2 + half, lanes, width) : zero;
  const u0 = stride == 1 ? p1 : p2;
  const u1 = stride == 1 ? p2 : p3;
  const u2 = stride == 1 ? p3 : p4;
  let a = tap(zero, k0, p0, 0, 0, stride, masked, m00);
  let e = tap(zero, k0, p0, 0, 1, stride, masked, m01);
  let g = two ? tap(zero, k0, u0, 0, 0, stride, masked, m00) : zero;
  let h = two ? tap(zero, k0, u0, 0, 1, stride, masked, m01) : zero;
  a = tap(a, k1, p0, 1, 0, stride, masked, m10);
  e = tap(e, k1, p0, 1, 1, stride, masked, m11);
  if (two) g = tap(g, k1, u0, 1, 0, stride, masked, m10);
  if (two) h = tap(h, k1, u0, 1, 1, stride, masked, m11);
  a = tap(a, k2, p0, 2, 0, stride, masked, m20);
  e = tap(e, k2, p0, 2, 1, stride, masked, m21);
  if (two) g = tap(g, k2, u0, 2, 0, stride, masked, m20);
  if (two) h = tap(h, k2, u0, 2, 1, stride, masked, m21);
  a = tap(a, k3, p1, 0, 0, stride, masked, m00);
  e = tap(e, k3, p1, 0, 1, stride, masked, m01);
  if (two) g = tap(g, k3, u1, 0, 0, stride, masked, m00);
  if (two) h = tap(h, k3, u1, 0, 1, stride, masked, m01);
  a = tap(a, k4, p1, 1, 0, stride, masked, m10);
  e = tap(e, k4, p1, 1, 1, stride, masked, m11);
  if (two) g = tap(g, k4, u1, 1, 0, stride, masked, m10);
  if (two) h = tap(h, k4, u1, 1, 1, stride, masked, m11);
  a = tap(a, k5, p1, 2, 0, stride, masked, m20);
  e = tap(e, k5, p1, 2, 1, stride, masked, m21);
  if (two) g = tap(g, k5, u1, 2, 0, stride, masked, m20);
  if (two) h = tap(h, k5, u1, 2, 1, stride, masked, m21);
  a = tap(a, k6, p2, 0, 0, stride, masked, m00);
  e = tap(e, k6, p2, 0, 1, stride, masked, m01);
  if (two) g = tap(g, k6, u2, 0, 0, stride, masked, m00);
  if (two) h = tap(h, k6, u2, 0, 1, stride, masked, m01);
  a = tap(a, k7, p2, 1, 0, stride, masked, m10);
  e = tap(e, k7, p2, 1, 1, stride, masked, m11);
  if (two) g = tap(g, k7, u2, 1, 0, stride, masked, m10);
  if (two) h = tap(h, k7, u2, 1, 1, stride, masked, m11);
  a = tap(a, k8, p2, 2, 0, stride, masked, m20);
  e = tap(e, k8, p2, 2, 1, stride, masked, m21);
  if (two) g = tap(g, k8, u2, 2, 0, stride, masked, m20);
  if (two) h = tap(h, k8, u2, 2, 1, stride, masked, m21);
  v128.store(q, finish(a, b, lo, hi));
  v128.store(q, finish(e, b, lo, hi), 16);
  if (two) {
    v128.store(q + outRow, finish(g, b, lo, hi));
    v128.store(q + outRow, finish(h, b, lo, hi), 16);
  }
}

/**
 * acc + k * (the inputs under filter column kx for the chain `half` (0 or 1) of a block at p),
 * with the lanes outside the row (mask 0) read as +0 when `masked`.
 */
// @ts-ignore: decorator
@inline
function tap(acc: v128, k: v128, p: usize, kx: i32, half: i32, stride: i32, masked: bool, mask: v128): v128 {
  const v = stride == 1 ? tapRun(p, kx, half) : tapPairs(p, kx, half);
  return f32x4.add(acc, f32x4.mul(k, masked ? v128.and(v, mask) : v));
}

/**
 * At stride 1, the inputs under filter column kx for chain `half`: four floats in a row. A load's
 * offset must be a literal, hence one load per case (the constant arguments pick one when inlined).
 */
// @ts-ignore: decorator
@inline
function tapRun(p: usize, kx: i32, half: i32): v128 {
  if (half == 0) return kx == 0 ? v128.load(p) : kx == 1 ? v128.load(p, 4) : v128.load(p, 8);
  return kx == 0 ? v128.load(p, 16) : kx == 1 ? v128.load(p, 20) : v128.load(p, 24);
}

/**
 * At stride 2, the inputs under filter column kx for chain `half`: every other float, columns
 * 8 * half + kx + (0, 2, 4, 6) from p. Column 0 and 1 take the even and odd lanes of the same two
 * loads; column 2 shifts the even lanes on by one, taking the lane after them from the next chain's
 * even lanes (half 0) or a single float (half 1), rather than two more loads and a shuffle: about
 * 15% of a stride-2 block.
 */
// @ts-ignore: decorator
@inline
function tapPairs(p: usize, kx: i32, half: i32): v128 {
  const at = p + <usize>(32 * half);
  if (kx == 0) return even(at);
  if (kx == 1) return odd(at);
  const next = half == 0 ? even(p + 32) : v128.load32_zero(p + 64);
  return i32x4.shuffle(even(at), next, 1, 2, 3, 4);
}

/** Lanes 0, 2, 4, 6 of the 8 floats at `p` (stride-2 positions under one tap). */
// @ts-ignore: decorator
@inline
function even(p: usize): v128 {
  return i32x4.shuffle(v128.load(p), v128.load(p, 16), 0, 2, 4, 6);
}

/** Lanes 1, 3, 5, 7 of the 8 floats at `p`. */
// @ts-ignore: decorator
@inline
function odd(p: usize): v128 {
  return i32x4.shuffle(v128.load(p), v128.load(p, 16), 1, 3, 5, 7);
}

/** One channel with a 3x3 filter (any stride or dilation), its taps splat once into registers. */
function plane3x3(
  plane: usize, W: i32, SH: i32, SW: i32, DH: i32, DW: i32, OH: i32, OW: i32,
  filter: usize, b: v128, lo: v128, hi: v128, out: usize,
): void {
  const k0 = v128.load32_splat(filter), k1 = v128.load32_splat(filter, 4), k2 = v128.load32_splat(filter, 8);
  const k3 = v128.load32_splat(filter, 12), k4 = v128.load32_splat(filter, 16), k5 = v128.load32_splat(filter, 20);
  const k6 = v128.load32_splat(filter, 24), k7 = v128.load32_splat(filter, 28), k8 = v128.load32_splat(filter, 32);
  const rowStep = <usize>DH * <usize>W * 4;
  const tap = <usize>DW * 4;
  const half = <usize>(4 * SW) * 4;
  let dst = out;
  for (let oy = 0; oy < OH; oy++) {
    const r0 = plane + <usize>(oy * SH) * <usize>W * 4;
    const r1 = r0 + rowStep;
    const r2 = r1 + rowStep;
    for (let ox = 0; ox < OW; ox += 8) {
      const col = <usize>(ox * SW) * 4;
      let a = f32x4.mul(k0, loadStrided(r0 + col, SW));
      let c = f32x4.mul(k0, loadStrided(r0 + col + half, SW));
      // a + k * v from +0: the first product alone is the same value (+0 + p == p for every p but -0)
      a = f32x4.add(f32x4.splat(0), a);
      c = f32x4.add(f32x4.splat(0), c);
      a = f32x4.add(a, f32x4.mul(k1, loadStrided(r0 + col + tap, SW)));
      c = f32x4.add(c, f32x4.mul(k1, loadStrided(r0 + col + tap + half, SW)));
      a = f32x4.add(a, f32x4.mul(k2, loadStrided(r0 + col + 2 * tap, SW)));
      c = f32x4.add(c, f32x4.mul(k2, loadStrided(r0 + col + 2 * tap + half, SW)));
      a = f32x4.add(a, f32x4.mul(k3, loadStrided(r1 + col, SW)));
      c = f32x4.add(c, f32x4.mul(k3, loadStrided(r1 + col + half, SW)));
      a = f32x4.add(a, f32x4.mul(k4, loadStrided(r1 + col + tap, SW)));
      c = f32x4.add(c, f32x4.mul(k4, loadStrided(r1 + col + tap + half, SW)));
      a = f32x4.add(a, f32x4.mul(k5, loadStrided(r1 + col + 2 * tap, SW)));
      c = f32x4.add(c, f32x4.mul(k5, loadStrided(r1 + col + 2 * tap + half, SW)));
      a = f32x4.add(a, f32x4.mul(k6, loadStrided(r2 + col, SW)));
      c = f32x4.add(c, f32x4.mul(k6, loadStrided(r2 + col + half, SW)));
      a = f32x4.add(a, f32x4.mul(k7, loadStrided(r2 + col + tap, SW)));
      c = f32x4.add(c, f32x4.mul(k7, loadStrided(r2 + col + tap + half, SW)));
      a = f32x4.add(a, f32x4.mul(k8, loadStrided(r2 + col + 2 * tap, SW)));
      c = f32x4.add(c, f32x4.mul(k8, loadStrided(r2 + col + 2 * tap + half, SW)));
      const at = dst + <usize>ox * 4;
      v128.store(at, finish(a, b, lo, hi));
      v128.store(at, finish(c, b, lo, hi), 16);
    }
    dst += <usize>OW * 4;
  }
}

/** One channel with any filter size, each tap splat as it is used. */
function planeAny(
  plane: usize, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, OH: i32, OW: i32,
  filter: usize, b: v128, lo: v128, hi: v128, out: usize,
): void {
  const rowStep = <usize>DH * <usize>W * 4;
  const tap = <usize>DW * 4;
  const half = <usize>(4 * SW) * 4;
  let dst = out;
  for (let oy = 0; oy < OH; oy++) {
    const top = plane + <usize>(oy * SH) * <usize>W * 4;
    for (let ox = 0; ox < OW; ox += 8) {
      let a = f32x4.splat(0);
      let c = f32x4.splat(0);
      let row = top + <usize>(ox * SW) * 4;
      let k = filter;
      for (let ky = 0; ky < KH; ky++) {
        let p = row;
        for (let kx = 0; kx < KW; kx++) {
          const wk = v128.load32_splat(k);
          a = f32x4.add(a, f32x4.mul(wk, loadStrided(p, SW)));
          c = f32x4.add(c, f32x4.mul(wk, loadStrided(p + half, SW)));
          p += tap;
          k += 4;
        }
        row += rowStep;
      }
      const at = dst + <usize>ox * 4;
      v128.store(at, finish(a, b, lo, hi));
      v128.store(at, finish(c, b, lo, hi), 16);
    }
    dst += <usize>OW * 4;
  }
}
