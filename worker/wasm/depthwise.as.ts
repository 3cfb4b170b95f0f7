// Depthwise convolution (group == input channels) in WebAssembly SIMD over NCHW planes: each output
// channel convolves one input plane with its own KH x KW filter, vectorised along the output width
// (8 positions per step). Two kernels:
//   depthwiseConv3x3  3x3 at stride 1 or 2 without dilation (MobileNet's): two output rows per step
//                     (four accumulator chains), the nine taps in registers, padding handled in
//                     place (a zero row above and below, masked lanes at the row edges)
//   depthwiseConv     any other window, on planes zero-padded beforehand (padPlanes in conv.as.ts)
//
// Every output sums its taps in (ky, kx) order in one chain starting at +0 (a padding tap adds
// w * 0), then adds the bias and clamps: the same float32 operations, in the same order, as the
// JavaScript path (worker/runtime/kernels/conv/depthwise.ts), so the two agree bit for bit.
//
// A row's last step may compute up to 7 positions past the row's end: it stores them too, into the
// start of the next row (or plane), which a later step overwrites with its own values. Inputs and
// outputs therefore need slack after them (see depthwiseConv).

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

import { loadStrided } from './lanes.as';

// @ts-ignore: decorator
@inline
function finish(acc: v128, bias: v128, lo: v128, hi: v128): v128 {
  return f32x4.min(f32x4.max(f32x4.add(acc, bias), lo), hi);
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

/**
 * One channel, stride 1: two output rows per step (four accumulator chains: 2 rows x 8 positions),
 * every tap a load at a constant offset. Blocks run from the right end of the rows to the left, so
 * that the last block's overrun into the next row lands before that row's own first block.
 */
function plane3x3s1(
  plane: usize, H: i32, W: i32, PH: i32, PW: i32, OH: i32, OW: i32, filter: usize, b: v128, lo: v128, hi: v128, out: usize,
  zeroRow: usize,
): void {
  const k0 = v128.load32_splat(filter), k1 = v128.load32_splat(filter, 4), k2 = v128.load32_splat(filter, 8);
  const k3 = v128.load32_splat(filter, 12), k4 = v128.load32_splat(filter, 16), k5 = v128.load32_splat(filter, 20);
  const k6 = v128.load32_splat(filter, 24), k7 = v128.load32_splat(filter, 28), k8 = v128.load32_splat(filter, 32);
  const zero = f32x4.splat(0);
  const lanes = i32x4(0, 1, 2, 3);
  const width = i32x4.splat(W);
  const row = <usize>W * 4;
  const outRow = <usize>OW * 4;
  const lastBlock = (OW - 1) & ~7;
  let oy = 0;
  for (; oy + 2 <= OH; oy += 2) {
    const iy = oy - PH;
    const r0 = rowAt(plane, iy, H, row, zeroRow);
    const r1 = rowAt(plane, iy + 1, H, row, zeroRow);
    const r2 = rowAt(plane, iy + 2, H, row, zeroRow);
    const r3 = rowAt(plane, iy + 3, H, row, zeroRow);
    const d0 = out + <usize>oy * outRow;
    for (let ox = lastBlock; ox >= 0; ox -= 8) {
      const ix0 = ox - PW;
      const col = <usize>ix0 * 4;
      const p0 = r0 + col;
      const p1 = r1 + col;
      const p2 = r2 + col;
      const p3 = r3 + col;
      if (ix0 >= 0 && ix0 + 9 < W) {
        let a = f32x4.add(zero, f32x4.mul(k0, v128.load(p0)));
        let e = f32x4.add(zero, f32x4.mul(k0, v128.load(p0, 16)));
        let g = f32x4.add(zero, f32x4.mul(k0, v128.load(p1)));
        let h = f32x4.add(zero, f32x4.mul(k0, v128.load(p1, 16)));
        a = f32x4.add(a, f32x4.mul(k1, v128.load(p0, 4)));
        e = f32x4.add(e, f32x4.mul(k1, v128.load(p0, 20)));
        g = f32x4.add(g, f32x4.mul(k1, v128.load(p1, 4)));
        h = f32x4.add(h, f32x4.mul(k1, v128.load(p1, 20)));
        a = f32x4.add(a, f32x4.mul(k2, v128.load(p0, 8)));
        e = f32x4.add(e, f32x4.mul(k2, v128.load(p0, 24)));
        g = f32x4.add(g, f32x4.mul(k2, v128.load(p1, 8)));
        h = f32x4.add(h, f32x4.mul(k2, v128.load(p1, 24)));
        a = f32x4.add(a, f32x4.mul(k3, v128.load(p1)));
        e = f32x4.add(e, f32x4.mul(k3, v128.load(p1, 16)));
        g = f32x4.add(g, f32x4.mul(k3, v128.load(p2)));
        h = f32x4.add(h, f32x4.mul(k3, v128.load(p2, 16)));
        a = f32x4.add(a, f32x4.mul(k4, v128.load(p1, 4)));
        e = f32x4.add(e, f32x4.mul(k4, v128.load(p1, 20)));
        g = f32x4.add(g, f32x4.mul(k4, v128.load(p2, 4)));
        h = f32x4.add(h, f32x4.mul(k4, v128.load(p2, 20)));
        a = f32x4.add(a, f32x4.mul(k5, v128.load(p1, 8)));
        e = f32x4.add(e, f32x4.mul(k5, v128.load(p1, 24)));
        g = f32x4.add(g, f32x4.mul(k5, v128.load(p2, 8)));
        h = f32x4.add(h, f32x4.mul(k5, v128.load(p2, 24)));
        a = f32x4.add(a, f32x4.mul(k6, v128.load(p2)));
        e = f32x4.add(e, f32x4.mul(k6, v128.load(p2, 16)));
        g = f32x4.add(g, f32x4.mul(k6, v128.load(p3)));
        h = f32x4.add(h, f32x4.mul(k6, v128.load(p3, 16)));
        a = f32x4.add(a, f32x4.mul(k7, v128.load(p2, 4)));
        e = f32x4.add(e, f32x4.mul(k7, v128.load(p2, 20)));
        g = f32x4.add(g, f32x4.mul(k7, v128.load(p3, 4)));
        h = f32x4.add(h, f32x4.mul(k7, v128.load(p3, 20)));
        a = f32x4.add(a, f32x4.mul(k8, v128.load(p2, 8)));
        e = f32x4.add(e, f32x4.mul(k8, v128.load(p2, 24)));
        g = f32x4.add(g, f32x4.mul(k8, v128.load(p3, 8)));
        h = f32x4.add(h, f32x4.mul(k8, v128.load(p3, 24)));
        const q0 = d0 + <usize>ox * 4;
        const q1 = q0 + outRow;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
        v128.store(q1, finish(g, b, lo, hi));
        v128.store(q1, finish(h, b, lo, hi), 16);
      } else {
        const m00 = edgeMask(ix0 + 0, lanes, width);
        const m01 = edgeMask(ix0 + 4, lanes, width);
        const m10 = edgeMask(ix0 + 1, lanes, width);
        const m11 = edgeMask(ix0 + 5, lanes, width);
        const m20 = edgeMask(ix0 + 2, lanes, width);
        const m21 = edgeMask(ix0 + 6, lanes, width);
        let a = f32x4.add(zero, f32x4.mul(k0, v128.and(v128.load(p0), m00)));
        let e = f32x4.add(zero, f32x4.mul(k0, v128.and(v128.load(p0, 16), m01)));
        let g = f32x4.add(zero, f32x4.mul(k0, v128.and(v128.load(p1), m00)));
        let h = f32x4.add(zero, f32x4.mul(k0, v128.and(v128.load(p1, 16), m01)));
        a = f32x4.add(a, f32x4.mul(k1, v128.and(v128.load(p0, 4), m10)));
        e = f32x4.add(e, f32x4.mul(k1, v128.and(v128.load(p0, 20), m11)));
        g = f32x4.add(g, f32x4.mul(k1, v128.and(v128.load(p1, 4), m10)));
        h = f32x4.add(h, f32x4.mul(k1, v128.and(v128.load(p1, 20), m11)));
        a = f32x4.add(a, f32x4.mul(k2, v128.and(v128.load(p0, 8), m20)));
        e = f32x4.add(e, f32x4.mul(k2, v128.and(v128.load(p0, 24), m21)));
        g = f32x4.add(g, f32x4.mul(k2, v128.and(v128.load(p1, 8), m20)));
        h = f32x4.add(h, f32x4.mul(k2, v128.and(v128.load(p1, 24), m21)));
        a = f32x4.add(a, f32x4.mul(k3, v128.and(v128.load(p1), m00)));
        e = f32x4.add(e, f32x4.mul(k3, v128.and(v128.load(p1, 16), m01)));
        g = f32x4.add(g, f32x4.mul(k3, v128.and(v128.load(p2), m00)));
        h = f32x4.add(h, f32x4.mul(k3, v128.and(v128.load(p2, 16), m01)));
        a = f32x4.add(a, f32x4.mul(k4, v128.and(v128.load(p1, 4), m10)));
        e = f32x4.add(e, f32x4.mul(k4, v128.and(v128.load(p1, 20), m11)));
        g = f32x4.add(g, f32x4.mul(k4, v128.and(v128.load(p2, 4), m10)));
        h = f32x4.add(h, f32x4.mul(k4, v128.and(v128.load(p2, 20), m11)));
        a = f32x4.add(a, f32x4.mul(k5, v128.and(v128.load(p1, 8), m20)));
        e = f32x4.add(e, f32x4.mul(k5, v128.and(v128.load(p1, 24), m21)));
        g = f32x4.add(g, f32x4.mul(k5, v128.and(v128.load(p2, 8), m20)));
        h = f32x4.add(h, f32x4.mul(k5, v128.and(v128.load(p2, 24), m21)));
        a = f32x4.add(a, f32x4.mul(k6, v128.and(v128.load(p2), m00)));
        e = f32x4.add(e, f32x4.mul(k6, v128.and(v128.load(p2, 16), m01)));
        g = f32x4.add(g, f32x4.mul(k6, v128.and(v128.load(p3), m00)));
        h = f32x4.add(h, f32x4.mul(k6, v128.and(v128.load(p3, 16), m01)));
        a = f32x4.add(a, f32x4.mul(k7, v128.and(v128.load(p2, 4), m10)));
        e = f32x4.add(e, f32x4.mul(k7, v128.and(v128.load(p2, 20), m11)));
        g = f32x4.add(g, f32x4.mul(k7, v128.and(v128.load(p3, 4), m10)));
        h = f32x4.add(h, f32x4.mul(k7, v128.and(v128.load(p3, 20), m11)));
        a = f32x4.add(a, f32x4.mul(k8, v128.and(v128.load(p2, 8), m20)));
        e = f32x4.add(e, f32x4.mul(k8, v128.and(v128.load(p2, 24), m21)));
        g = f32x4.add(g, f32x4.mul(k8, v128.and(v128.load(p3, 8), m20)));
        h = f32x4.add(h, f32x4.mul(k8, v128.and(v128.load(p3, 24), m21)));
        const q0 = d0 + <usize>ox * 4;
        const q1 = q0 + outRow;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
        v128.store(q1, finish(g, b, lo, hi));
        v128.store(q1, finish(h, b, lo, hi), 16);
      }
    }
  }
  if (oy < OH) {
    const iy = oy - PH;
    const r0 = rowAt(plane, iy, H, row, zeroRow);
    const r1 = rowAt(plane, iy + 1, H, row, zeroRow);
    const r2 = rowAt(plane, iy + 2, H, row, zeroRow);
    const d0 = out + <usize>oy * outRow;
    for (let ox = lastBlock; ox >= 0; ox -= 8) {
      const ix0 = ox - PW;
      const col = <usize>ix0 * 4;
      const p0 = r0 + col;
      const p1 = r1 + col;
      const p2 = r2 + col;
      if (ix0 >= 0 && ix0 + 9 < W) {
        let a = f32x4.add(zero, f32x4.mul(k0, v128.load(p0)));
        let e = f32x4.add(zero, f32x4.mul(k0, v128.load(p0, 16)));
        a = f32x4.add(a, f32x4.mul(k1, v128.load(p0, 4)));
        e = f32x4.add(e, f32x4.mul(k1, v128.load(p0, 20)));
        a = f32x4.add(a, f32x4.mul(k2, v128.load(p0, 8)));
        e = f32x4.add(e, f32x4.mul(k2, v128.load(p0, 24)));
        a = f32x4.add(a, f32x4.mul(k3, v128.load(p1)));
        e = f32x4.add(e, f32x4.mul(k3, v128.load(p1, 16)));
        a = f32x4.add(a, f32x4.mul(k4, v128.load(p1, 4)));
        e = f32x4.add(e, f32x4.mul(k4, v128.load(p1, 20)));
        a = f32x4.add(a, f32x4.mul(k5, v128.load(p1, 8)));
        e = f32x4.add(e, f32x4.mul(k5, v128.load(p1, 24)));
        a = f32x4.add(a, f32x4.mul(k6, v128.load(p2)));
        e = f32x4.add(e, f32x4.mul(k6, v128.load(p2, 16)));
        a = f32x4.add(a, f32x4.mul(k7, v128.load(p2, 4)));
        e = f32x4.add(e, f32x4.mul(k7, v128.load(p2, 20)));
        a = f32x4.add(a, f32x4.mul(k8, v128.load(p2, 8)));
        e = f32x4.add(e, f32x4.mul(k8, v128.load(p2, 24)));
        const q0 = d0 + <usize>ox * 4;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
      } else {
        const m00 = edgeMask(ix0 + 0, lanes, width);
        const m01 = edgeMask(ix0 + 4, lanes, width);
        const m10 = edgeMask(ix0 + 1, lanes, width);
        const m11 = edgeMask(ix0 + 5, lanes, width);
        const m20 = edgeMask(ix0 + 2, lanes, width);
        const m21 = edgeMask(ix0 + 6, lanes, width);
        let a = f32x4.add(zero, f32x4.mul(k0, v128.and(v128.load(p0), m00)));
        let e = f32x4.add(zero, f32x4.mul(k0, v128.and(v128.load(p0, 16), m01)));
        a = f32x4.add(a, f32x4.mul(k1, v128.and(v128.load(p0, 4), m10)));
        e = f32x4.add(e, f32x4.mul(k1, v128.and(v128.load(p0, 20), m11)));
        a = f32x4.add(a, f32x4.mul(k2, v128.and(v128.load(p0, 8), m20)));
        e = f32x4.add(e, f32x4.mul(k2, v128.and(v128.load(p0, 24), m21)));
        a = f32x4.add(a, f32x4.mul(k3, v128.and(v128.load(p1), m00)));
        e = f32x4.add(e, f32x4.mul(k3, v128.and(v128.load(p1, 16), m01)));
        a = f32x4.add(a, f32x4.mul(k4, v128.and(v128.load(p1, 4), m10)));
        e = f32x4.add(e, f32x4.mul(k4, v128.and(v128.load(p1, 20), m11)));
        a = f32x4.add(a, f32x4.mul(k5, v128.and(v128.load(p1, 8), m20)));
        e = f32x4.add(e, f32x4.mul(k5, v128.and(v128.load(p1, 24), m21)));
        a = f32x4.add(a, f32x4.mul(k6, v128.and(v128.load(p2), m00)));
        e = f32x4.add(e, f32x4.mul(k6, v128.and(v128.load(p2, 16), m01)));
        a = f32x4.add(a, f32x4.mul(k7, v128.and(v128.load(p2, 4), m10)));
        e = f32x4.add(e, f32x4.mul(k7, v128.and(v128.load(p2, 20), m11)));
        a = f32x4.add(a, f32x4.mul(k8, v128.and(v128.load(p2, 8), m20)));
        e = f32x4.add(e, f32x4.mul(k8, v128.and(v128.load(p2, 24), m21)));
        const q0 = d0 + <usize>ox * 4;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
      }
    }
  }
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

/** As plane3x3s1 at stride 2: output rows oy and oy + 1 read input rows 2oy .. 2oy + 4. */
function plane3x3s2(
  plane: usize, H: i32, W: i32, PH: i32, PW: i32, OH: i32, OW: i32, filter: usize, b: v128, lo: v128, hi: v128, out: usize,
  zeroRow: usize,
): void {
  const k0 = v128.load32_splat(filter), k1 = v128.load32_splat(filter, 4), k2 = v128.load32_splat(filter, 8);
  const k3 = v128.load32_splat(filter, 12), k4 = v128.load32_splat(filter, 16), k5 = v128.load32_splat(filter, 20);
  const k6 = v128.load32_splat(filter, 24), k7 = v128.load32_splat(filter, 28), k8 = v128.load32_splat(filter, 32);
  const zero = f32x4.splat(0);
  const lanes = i32x4(0, 2, 4, 6);
  const width = i32x4.splat(W);
  const row = <usize>W * 4;
  const outRow = <usize>OW * 4;
  const lastBlock = (OW - 1) & ~7;
  let oy = 0;
  for (; oy + 2 <= OH; oy += 2) {
    const iy = 2 * oy - PH;
    const r0 = rowAt(plane, iy, H, row, zeroRow);
    const r1 = rowAt(plane, iy + 1, H, row, zeroRow);
    const r2 = rowAt(plane, iy + 2, H, row, zeroRow);
    const r3 = rowAt(plane, iy + 3, H, row, zeroRow);
    const r4 = rowAt(plane, iy + 4, H, row, zeroRow);
    const d0 = out + <usize>oy * outRow;
    for (let ox = lastBlock; ox >= 0; ox -= 8) {
      const ix0 = 2 * ox - PW;
      const col = <usize>ix0 * 4;
      const p0 = r0 + col;
      const p1 = r1 + col;
      const p2 = r2 + col;
      const p3 = r3 + col;
      const p4 = r4 + col;
      if (ix0 >= 0 && ix0 + 17 < W) {
        let a = f32x4.add(zero, f32x4.mul(k0, even(p0)));
        let e = f32x4.add(zero, f32x4.mul(k0, even(p0 + 32)));
        let g = f32x4.add(zero, f32x4.mul(k0, even(p2)));
        let h = f32x4.add(zero, f32x4.mul(k0, even(p2 + 32)));
        a = f32x4.add(a, f32x4.mul(k1, odd(p0)));
        e = f32x4.add(e, f32x4.mul(k1, odd(p0 + 32)));
        g = f32x4.add(g, f32x4.mul(k1, odd(p2)));
        h = f32x4.add(h, f32x4.mul(k1, odd(p2 + 32)));
        a = f32x4.add(a, f32x4.mul(k2, even(p0 + 8)));
        e = f32x4.add(e, f32x4.mul(k2, even(p0 + 40)));
        g = f32x4.add(g, f32x4.mul(k2, even(p2 + 8)));
        h = f32x4.add(h, f32x4.mul(k2, even(p2 + 40)));
        a = f32x4.add(a, f32x4.mul(k3, even(p1)));
        e = f32x4.add(e, f32x4.mul(k3, even(p1 + 32)));
        g = f32x4.add(g, f32x4.mul(k3, even(p3)));
        h = f32x4.add(h, f32x4.mul(k3, even(p3 + 32)));
        a = f32x4.add(a, f32x4.mul(k4, odd(p1)));
        e = f32x4.add(e, f32x4.mul(k4, odd(p1 + 32)));
        g = f32x4.add(g, f32x4.mul(k4, odd(p3)));
        h = f32x4.add(h, f32x4.mul(k4, odd(p3 + 32)));
        a = f32x4.add(a, f32x4.mul(k5, even(p1 + 8)));
        e = f32x4.add(e, f32x4.mul(k5, even(p1 + 40)));
        g = f32x4.add(g, f32x4.mul(k5, even(p3 + 8)));
        h = f32x4.add(h, f32x4.mul(k5, even(p3 + 40)));
        a = f32x4.add(a, f32x4.mul(k6, even(p2)));
        e = f32x4.add(e, f32x4.mul(k6, even(p2 + 32)));
        g = f32x4.add(g, f32x4.mul(k6, even(p4)));
        h = f32x4.add(h, f32x4.mul(k6, even(p4 + 32)));
        a = f32x4.add(a, f32x4.mul(k7, odd(p2)));
        e = f32x4.add(e, f32x4.mul(k7, odd(p2 + 32)));
        g = f32x4.add(g, f32x4.mul(k7, odd(p4)));
        h = f32x4.add(h, f32x4.mul(k7, odd(p4 + 32)));
        a = f32x4.add(a, f32x4.mul(k8, even(p2 + 8)));
        e = f32x4.add(e, f32x4.mul(k8, even(p2 + 40)));
        g = f32x4.add(g, f32x4.mul(k8, even(p4 + 8)));
        h = f32x4.add(h, f32x4.mul(k8, even(p4 + 40)));
        const q0 = d0 + <usize>ox * 4;
        const q1 = q0 + outRow;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
        v128.store(q1, finish(g, b, lo, hi));
        v128.store(q1, finish(h, b, lo, hi), 16);
      } else {
        const m00 = edgeMask(ix0 + 0, lanes, width);
        const m01 = edgeMask(ix0 + 8, lanes, width);
        const m10 = edgeMask(ix0 + 1, lanes, width);
        const m11 = edgeMask(ix0 + 9, lanes, width);
        const m20 = edgeMask(ix0 + 2, lanes, width);
        const m21 = edgeMask(ix0 + 10, lanes, width);
        let a = f32x4.add(zero, f32x4.mul(k0, v128.and(even(p0), m00)));
        let e = f32x4.add(zero, f32x4.mul(k0, v128.and(even(p0 + 32), m01)));
        let g = f32x4.add(zero, f32x4.mul(k0, v128.and(even(p2), m00)));
        let h = f32x4.add(zero, f32x4.mul(k0, v128.and(even(p2 + 32), m01)));
        a = f32x4.add(a, f32x4.mul(k1, v128.and(odd(p0), m10)));
        e = f32x4.add(e, f32x4.mul(k1, v128.and(odd(p0 + 32), m11)));
        g = f32x4.add(g, f32x4.mul(k1, v128.and(odd(p2), m10)));
        h = f32x4.add(h, f32x4.mul(k1, v128.and(odd(p2 + 32), m11)));
        a = f32x4.add(a, f32x4.mul(k2, v128.and(even(p0 + 8), m20)));
        e = f32x4.add(e, f32x4.mul(k2, v128.and(even(p0 + 40), m21)));
        g = f32x4.add(g, f32x4.mul(k2, v128.and(even(p2 + 8), m20)));
        h = f32x4.add(h, f32x4.mul(k2, v128.and(even(p2 + 40), m21)));
        a = f32x4.add(a, f32x4.mul(k3, v128.and(even(p1), m00)));
        e = f32x4.add(e, f32x4.mul(k3, v128.and(even(p1 + 32), m01)));
        g = f32x4.add(g, f32x4.mul(k3, v128.and(even(p3), m00)));
        h = f32x4.add(h, f32x4.mul(k3, v128.and(even(p3 + 32), m01)));
        a = f32x4.add(a, f32x4.mul(k4, v128.and(odd(p1), m10)));
        e = f32x4.add(e, f32x4.mul(k4, v128.and(odd(p1 + 32), m11)));
        g = f32x4.add(g, f32x4.mul(k4, v128.and(odd(p3), m10)));
        h = f32x4.add(h, f32x4.mul(k4, v128.and(odd(p3 + 32), m11)));
        a = f32x4.add(a, f32x4.mul(k5, v128.and(even(p1 + 8), m20)));
        e = f32x4.add(e, f32x4.mul(k5, v128.and(even(p1 + 40), m21)));
        g = f32x4.add(g, f32x4.mul(k5, v128.and(even(p3 + 8), m20)));
        h = f32x4.add(h, f32x4.mul(k5, v128.and(even(p3 + 40), m21)));
        a = f32x4.add(a, f32x4.mul(k6, v128.and(even(p2), m00)));
        e = f32x4.add(e, f32x4.mul(k6, v128.and(even(p2 + 32), m01)));
        g = f32x4.add(g, f32x4.mul(k6, v128.and(even(p4), m00)));
        h = f32x4.add(h, f32x4.mul(k6, v128.and(even(p4 + 32), m01)));
        a = f32x4.add(a, f32x4.mul(k7, v128.and(odd(p2), m10)));
        e = f32x4.add(e, f32x4.mul(k7, v128.and(odd(p2 + 32), m11)));
        g = f32x4.add(g, f32x4.mul(k7, v128.and(odd(p4), m10)));
        h = f32x4.add(h, f32x4.mul(k7, v128.and(odd(p4 + 32), m11)));
        a = f32x4.add(a, f32x4.mul(k8, v128.and(even(p2 + 8), m20)));
        e = f32x4.add(e, f32x4.mul(k8, v128.and(even(p2 + 40), m21)));
        g = f32x4.add(g, f32x4.mul(k8, v128.and(even(p4 + 8), m20)));
        h = f32x4.add(h, f32x4.mul(k8, v128.and(even(p4 + 40), m21)));
        const q0 = d0 + <usize>ox * 4;
        const q1 = q0 + outRow;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
        v128.store(q1, finish(g, b, lo, hi));
        v128.store(q1, finish(h, b, lo, hi), 16);
      }
    }
  }
  if (oy < OH) {
    const iy = 2 * oy - PH;
    const r0 = rowAt(plane, iy, H, row, zeroRow);
    const r1 = rowAt(plane, iy + 1, H, row, zeroRow);
    const r2 = rowAt(plane, iy + 2, H, row, zeroRow);
    const d0 = out + <usize>oy * outRow;
    for (let ox = lastBlock; ox >= 0; ox -= 8) {
      const ix0 = 2 * ox - PW;
      const col = <usize>ix0 * 4;
      const p0 = r0 + col;
      const p1 = r1 + col;
      const p2 = r2 + col;
      if (ix0 >= 0 && ix0 + 17 < W) {
        let a = f32x4.add(zero, f32x4.mul(k0, even(p0)));
        let e = f32x4.add(zero, f32x4.mul(k0, even(p0 + 32)));
        a = f32x4.add(a, f32x4.mul(k1, odd(p0)));
        e = f32x4.add(e, f32x4.mul(k1, odd(p0 + 32)));
        a = f32x4.add(a, f32x4.mul(k2, even(p0 + 8)));
        e = f32x4.add(e, f32x4.mul(k2, even(p0 + 40)));
        a = f32x4.add(a, f32x4.mul(k3, even(p1)));
        e = f32x4.add(e, f32x4.mul(k3, even(p1 + 32)));
        a = f32x4.add(a, f32x4.mul(k4, odd(p1)));
        e = f32x4.add(e, f32x4.mul(k4, odd(p1 + 32)));
        a = f32x4.add(a, f32x4.mul(k5, even(p1 + 8)));
        e = f32x4.add(e, f32x4.mul(k5, even(p1 + 40)));
        a = f32x4.add(a, f32x4.mul(k6, even(p2)));
        e = f32x4.add(e, f32x4.mul(k6, even(p2 + 32)));
        a = f32x4.add(a, f32x4.mul(k7, odd(p2)));
        e = f32x4.add(e, f32x4.mul(k7, odd(p2 + 32)));
        a = f32x4.add(a, f32x4.mul(k8, even(p2 + 8)));
        e = f32x4.add(e, f32x4.mul(k8, even(p2 + 40)));
        const q0 = d0 + <usize>ox * 4;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
      } else {
        const m00 = edgeMask(ix0 + 0, lanes, width);
        const m01 = edgeMask(ix0 + 8, lanes, width);
        const m10 = edgeMask(ix0 + 1, lanes, width);
        const m11 = edgeMask(ix0 + 9, lanes, width);
        const m20 = edgeMask(ix0 + 2, lanes, width);
        const m21 = edgeMask(ix0 + 10, lanes, width);
        let a = f32x4.add(zero, f32x4.mul(k0, v128.and(even(p0), m00)));
        let e = f32x4.add(zero, f32x4.mul(k0, v128.and(even(p0 + 32), m01)));
        a = f32x4.add(a, f32x4.mul(k1, v128.and(odd(p0), m10)));
        e = f32x4.add(e, f32x4.mul(k1, v128.and(odd(p0 + 32), m11)));
        a = f32x4.add(a, f32x4.mul(k2, v128.and(even(p0 + 8), m20)));
        e = f32x4.add(e, f32x4.mul(k2, v128.and(even(p0 + 40), m21)));
        a = f32x4.add(a, f32x4.mul(k3, v128.and(even(p1), m00)));
        e = f32x4.add(e, f32x4.mul(k3, v128.and(even(p1 + 32), m01)));
        a = f32x4.add(a, f32x4.mul(k4, v128.and(odd(p1), m10)));
        e = f32x4.add(e, f32x4.mul(k4, v128.and(odd(p1 + 32), m11)));
        a = f32x4.add(a, f32x4.mul(k5, v128.and(even(p1 + 8), m20)));
        e = f32x4.add(e, f32x4.mul(k5, v128.and(even(p1 + 40), m21)));
        a = f32x4.add(a, f32x4.mul(k6, v128.and(even(p2), m00)));
        e = f32x4.add(e, f32x4.mul(k6, v128.and(even(p2 + 32), m01)));
        a = f32x4.add(a, f32x4.mul(k7, v128.and(odd(p2), m10)));
        e = f32x4.add(e, f32x4.mul(k7, v128.and(odd(p2 + 32), m11)));
        a = f32x4.add(a, f32x4.mul(k8, v128.and(even(p2 + 8), m20)));
        e = f32x4.add(e, f32x4.mul(k8, v128.and(even(p2 + 40), m21)));
        const q0 = d0 + <usize>ox * 4;
        v128.store(q0, finish(a, b, lo, hi));
        v128.store(q0, finish(e, b, lo, hi), 16);
      }
    }
  }
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
