// Depthwise convolution (group == input channels) in WebAssembly SIMD over NCHW planes: each output
// channel convolves one input plane with its own KH x KW filter, vectorised along the output width
// (8 positions per step in two f32x4 chains). The planes arrive zero-padded (padPlanes in conv.as.ts),
// so every tap is a plain load; 3x3 filters keep their nine taps in registers.
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

/** One channel with a 3x3 filter, its taps splat once into registers. */
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
