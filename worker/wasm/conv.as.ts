// Convolution in WebAssembly SIMD: convGroup computes a whole group as GEMM tiles (gemm.as.ts)
// written straight into NCHW output, and padPlanes makes zero-padded copies of the images.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

import {
  PANEL, setEpilogue, storeTile, tile1x8, tile1x8Direct, tile2x8, tile2x8Direct, tile4x8RowBias, tile4x8DirectRowBias,
} from './gemm.as';
import { maxOfQuads } from './pool.as';

// Convolution as GEMM: filters (M x C*KH*KW, row-major as stored) times the image columns
// (column p holds the input values under the kernel at output position p).

/** One panel of im2col: output positions (oy, ox0 .. ox0 + 8) of the image at `image`. */
function im2colPanel(
  image: usize, C: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, DH: i32, DW: i32,
  oy: i32, ox0: i32, dst: usize,
): void {
  let out = dst;
  const zero = f32x4.splat(0);
  for (let ci = 0; ci < C; ci++) {
    const plane = image + <usize>ci * <usize>H * <usize>W * 4;
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * SH - PH + ky * DH;
      if (iy < 0 || iy >= H) {
        for (let kx = 0; kx < KW; kx++) {
          v128.store(out, zero);
          v128.store(out, zero, 16);
          out += PANEL * 4;
        }
        continue;
      }
      const line = plane + <usize>iy * <usize>W * 4;
      const ixs = ox0 * 2 - PW;
      if (SW == 2 && KW == 3 && DW == 1 && ixs >= 0 && ixs + 2 * PANEL < W) {
        // the three taps of a row from the same four vectors (columns ixs .. ixs + 16)
        const src = line + <usize>ixs * 4;
        const a = v128.load(src), b = v128.load(src, 16), c = v128.load(src, 32), d = v128.load(src, 48);
        const e0 = i32x4.shuffle(a, b, 0, 2, 4, 6);
        const e1 = i32x4.shuffle(c, d, 0, 2, 4, 6);
        v128.store(out, e0);
        v128.store(out, e1, 16);
        v128.store(out, i32x4.shuffle(a, b, 1, 3, 5, 7), 32);
        v128.store(out, i32x4.shuffle(c, d, 1, 3, 5, 7), 48);
        v128.store(out, i32x4.shuffle(e0, e1, 1, 2, 3, 4), 64);
        v128.store(out, i32x4.shuffle(e1, v128.load32_zero(src, 64), 1, 2, 3, 4), 80);
        out += 3 * PANEL * 4;
        continue;
      }
      for (let kx = 0; kx < KW; kx++) {
        const ix0 = ox0 * SW - PW + kx * DW;
        if (SW == 1 && ix0 >= 0 && ix0 + PANEL <= W) {
          const src = line + <usize>ix0 * 4;
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        } else if (SW == 2 && ix0 >= 0 && ix0 + 2 * PANEL <= W) {
          // every other float of 16: the even lanes of four vectors
          const src = line + <usize>ix0 * 4;
          v128.store(out, i32x4.shuffle(v128.load(src), v128.load(src, 16), 0, 2, 4, 6));
          v128.store(out, i32x4.shuffle(v128.load(src, 32), v128.load(src, 48), 0, 2, 4, 6), 16);
        } else if (SW == 4 && ix0 >= 0 && ix0 + 4 * PANEL <= W) {
          // every fourth float of 32: lane 0 of eight vectors
          const src = line + <usize>ix0 * 4;
          v128.store(out, firstLanes(src));
          v128.store(out, firstLanes(src + 64), 16);
        } else {
          for (let l = 0; l < PANEL; l++) {
            const ix = ix0 + l * SW;
            store<f32>(out + <usize>l * 4, ix >= 0 && ix < W ? load<f32>(line + <usize>ix * 4) : 0);
          }
        }
        out += PANEL * 4;
      }
    }
  }
}

/** Lane 0 of the four vectors at `p`, `p + 16`, `p + 32`, `p + 48`: every fourth float. */
// @ts-ignore: decorator
@inline
function firstLanes(p: usize): v128 {
  const lo = i32x4.shuffle(v128.load(p), v128.load(p, 16), 0, 4, 0, 4);
  const hi = i32x4.shuffle(v128.load(p, 32), v128.load(p, 48), 0, 4, 0, 4);
  return i32x4.shuffle(lo, hi, 0, 1, 4, 5);
}

/** Filters in blocks of eight: block q holds, for kk = 0..K-1, W[8q .. 8q+8)[kk] contiguously. */
function packA8(w: usize, K: i32, M: i32, dst: usize): void {
  const kBytes = <usize>K * 4;
  let out = dst;
  for (let q = 0; q + 8 <= M; q += 8) {
    const r0 = w + <usize>q * kBytes;
    for (let kk = 0; kk < K; kk++) {
      const p = r0 + <usize>kk * 4;
      for (let r = 0; r < 8; r++) store<f32>(out + <usize>r * 4, load<f32>(p + <usize>r * kBytes));
      out += 32;
    }
  }
}

/**
 * Eight filters (packed by packA8) against a half panel read in place (at most 4 output positions
 * stored): eight accumulator chains, where a 4-row tile on a half panel would have only four and
 * wait on the adds' latency.
 */
function tile8x4Direct(ap: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const bv = v128.load(b + <usize>load<u32>(offs + <usize>kk * 4));
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), bv));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(ap, 4), bv));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(ap, 8), bv));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(ap, 12), bv));
    c4 = f32x4.add(c4, f32x4.mul(v128.load32_splat(ap, 16), bv));
    c5 = f32x4.add(c5, f32x4.mul(v128.load32_splat(ap, 20), bv));
    c6 = f32x4.add(c6, f32x4.mul(v128.load32_splat(ap, 24), bv));
    c7 = f32x4.add(c7, f32x4.mul(v128.load32_splat(ap, 28), bv));
    ap += 32;
  }
  const z = f32x4.splat(0);
  storeTile(c0, z, c, col, width, row);
  storeTile(c1, z, c + ldc, col, width, row + 1);
  storeTile(c2, z, c + 2 * ldc, col, width, row + 2);
  storeTile(c3, z, c + 3 * ldc, col, width, row + 3);
  storeTile(c4, z, c + 4 * ldc, col, width, row + 4);
  storeTile(c5, z, c + 5 * ldc, col, width, row + 5);
  storeTile(c6, z, c + 6 * ldc, col, width, row + 6);
  storeTile(c7, z, c + 7 * ldc, col, width, row + 7);
}

/**
 * A whole convolution group as GEMM tiles written straight into NCHW output, without an im2col
 * matrix: Y[img][m][oy][ox] = clamp(sum_kk W[m][kk] * col(img, oy, ox)[kk] + rowBias[m], lo, hi)
 * summed in kk = (ci * KH + ky) * KW + kx order like every GEMM here (bitwise the same values).
 * With `inPlace`, panels of 8 output positions whose taps all lie inside the image (stride 1
 * across) read B in place: row kk of the panel is the image at a fixed byte offset offs[kk] from
 * the panel's first tap. Other panels (padding, strides, or all without `inPlace`) are im2col'd
 * one at a time into `panel` (K x 8 floats).
 *
 * `w` is the group's filters (M x K, row-major), `rowBias` their M biases (zeros for none: the
 * tiles add it unconditionally), `offs` scratch for K u32, `ap` scratch for packA8
 * ((M - M % 8) * K floats). Images are `imageStride` floats apart in `x` (which must be followed by
 * at least 8 readable floats), `outImageStride` in `y`. With `pool4` (a 1-D convolution, OH 1),
 * `y` receives the MaxPool of window 4 and stride 4 of the output instead (OW / 4 floats per
 * filter, rounded down): each panel's tiles store into `block` (M x 8 floats of scratch), and
 * poolBlock pools them from there.
 */
export function convGroup(
  x: usize, imageStride: i32, images: i32, C: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, DH: i32, DW: i32,
  OH: i32, OW: i32, w: usize, M: i32, offs: usize, panel: usize, ap: usize,
  y: usize, outImageStride: i32, rowBias: usize, lo: f32, hi: f32, inPlace: bool,
  pool4: bool, block: usize,
): void {
  setEpilogue(1, 0, rowBias, false, lo, hi);
  const K = C * KH * KW;
  const kBytes = <usize>K * 4;
  const m8 = M & ~7;
  // only a row's last panel can be a half panel (4 or fewer positions), and only a panel read in
  // place runs 8-row tiles: pack for them only then
  const tail = OW & 7;
  if (inPlace && m8 > 0 && tail != 0 && tail <= 4) packA8(w, K, M, ap);
  for (let ci = 0, kk = 0; ci < C; ci++) {
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++, kk++) {
        store<u32>(offs + <usize>kk * 4, <u32>(((ci * H + ky * DH) * W + kx * DW) * 4));
      }
    }
  }
  // with pool4 (one output row), each panel's tiles go to `block` (M rows of 8 floats) and are
  // max-pooled from there into rows of OW / 4 outputs
  const ldc = pool4 ? <usize>PANEL * 4 : <usize>OH * <usize>OW * 4;
  const pooledWidth = OW >> 2;
  const lastTapY = (KH - 1) * DH;
  const lastTapX = (KW - 1) * DW;
  for (let img = 0; img < images; img++) {
    const image = x + <usize>img * <usize>imageStride * 4;
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PH;
      const rowInside = iy0 >= 0 && iy0 + lastTapY < H;
      const cRow = pool4 ? y + <usize>img * <usize>outImageStride * 4 : y + (<usize>img * <usize>outImageStride + <usize>oy * <usize>OW) * 4;
      for (let ox0 = 0; ox0 < OW; ox0 += PANEL) {
        const width = min(PANEL, OW - ox0);
        const ix0 = ox0 * SW - PW;
        // taps of the lanes that are stored must lie inside the row; lanes past OW read on harmlessly
        const direct = inPlace && rowInside && SW == 1 && ix0 >= 0 && ix0 + width - 1 + lastTapX < W;
        let b: usize;
        if (direct) {
          b = image + (<usize>iy0 * <usize>W + <usize>ix0) * 4;
        } else {
          im2colPanel(image, C, H, W, KH, KW, SH, SW, PH, PW, DH, DW, oy, ox0, panel);
          b = panel;
        }
        const c = pool4 ? block : cRow + <usize>ox0 * 4;
        // half panels (narrow outputs) in blocks of eight filters, then 4-, 2- and 1-row tiles
        let r0 = 0;
        if (direct && width <= 4) {
          for (; r0 < m8; r0 += 8) tile8x4Direct(ap + <usize>r0 * kBytes, b, offs, K, c + <usize>r0 * ldc, ldc, ox0, width, r0);
        }
        const m4 = r0 + ((M - r0) & ~3);
        const m2 = M - m4 >= 2 ? m4 + 2 : m4;
        for (let i = r0; i < m4; i += 4) {
          const a = w + <usize>i * kBytes;
          if (direct) tile4x8DirectRowBias(a, kBytes, b, offs, K, c + <usize>i * ldc, ldc, ox0, width, i);
          else tile4x8RowBias(a, kBytes, b, K, c + <usize>i * ldc, ldc, ox0, width, i);
        }
        if (m2 > m4) {
          const a = w + <usize>m4 * kBytes;
          if (direct) tile2x8Direct(a, kBytes, b, offs, K, c + <usize>m4 * ldc, ldc, ox0, width, m4);
          else tile2x8(a, kBytes, b, K, c + <usize>m4 * ldc, ldc, ox0, width, m4);
        }
        if (M > m2) {
          const a = w + <usize>m2 * kBytes;
          if (direct) tile1x8Direct(a, b, offs, K, c + <usize>m2 * ldc, ox0, width, m2);
          else tile1x8(a, b, K, c + <usize>m2 * ldc, ox0, width, m2);
        }
        if (pool4) poolBlock(block, M, width >> 2, cRow + <usize>(ox0 >> 2) * 4, <usize>pooledWidth * 4);
      }
    }
  }
}

/**
 * MaxPool (window 4, stride 4) of a panel's outputs: `rows` rows of 8 floats at `block` into
 * `windows` (0 to 2) outputs per row at `out`, rows `rowBytes` apart. Each window folds its taps in
 * order (`best < v` replaces), as pool.as.ts does, so the values equal a separate MaxPool's.
 */
function poolBlock(block: usize, rows: i32, windows: i32, out: usize, rowBytes: usize): void {
  let r = 0;
  if (windows == 2) {
    // two rows at once: their four windows side by side (16 floats) give [r.0, r.1, r+1.0, r+1.1]
    for (; r + 2 <= rows; r += 2) {
      const q = maxOfQuads(block + <usize>r * PANEL * 4, f32x4.splat(0), true);
      const o = out + <usize>r * rowBytes;
      v128.store64_lane(o, q, 0);
      v128.store64_lane(o + rowBytes, q, 1);
    }
  }
  for (; r < rows; r++) {
    const src = block + <usize>r * PANEL * 4;
    for (let j = 0; j < windows; j++) {
      const p = src + <usize>j * 16;
      let best = load<f32>(p);
      for (let t = 1; t < 4; t++) {
        const v = load<f32>(p + <usize>t * 4);
        best = select<f32>(v, best, best < v);
      }
      store<f32>(out + <usize>r * rowBytes + <usize>j * 4, best);
    }
  }
}

/**
 * Copies `planes` planes of H x W floats from `src` into zero-padded planes of HP x WP at `dst`,
 * each at row PT and column PL. A convolution over the padded planes needs no padding of its own,
 * so every stride-1 panel reads its taps in place (a padding tap reads 0, the value im2col writes).
 * Only the padding is zeroed, and rows are copied a vector at a time (memory.copy costs a call per
 * row, which on the narrow planes of a network's last layers is most of the copy).
 */
export function padPlanes(src: usize, dst: usize, planes: i32, H: i32, W: i32, PT: i32, PL: i32, HP: i32, WP: i32): void {
  const rowBytes = <usize>W * 4;
  const paddedRowBytes = <usize>WP * 4;
  const topBytes = <usize>PT * paddedRowBytes;
  const bottomBytes = <usize>(HP - PT - H) * paddedRowBytes;
  const rightFloats = WP - PL - W;
  const vectorBytes = rowBytes & ~15;
  let s = src;
  let d = dst;
  for (let p = 0; p < planes; p++) {
    if (topBytes) memory.fill(d, 0, topBytes);
    d += topBytes;
    for (let y = 0; y < H; y++) {
      for (let i = 0; i < PL; i++) store<f32>(d + <usize>i * 4, 0);
      const row = d + <usize>PL * 4;
      let i: usize = 0;
      for (; i < vectorBytes; i += 16) v128.store(row + i, v128.load(s + i));
      for (; i < rowBytes; i += 4) store<f32>(row + i, load<f32>(s + i));
      for (let j = 0; j < rightFloats; j++) store<f32>(row + rowBytes + <usize>j * 4, 0);
      s += rowBytes;
      d += paddedRowBytes;
    }
    if (bottomBytes) memory.fill(d, 0, bottomBytes);
    d += bottomBytes;
  }
}
