// MaxPool over float32 planes, as the JavaScript kernel computes it: a window's first element inside
// the image is taken as is, later ones replace it only when greater (`best < v`), which is exactly
// f32x4.pmax and keeps the JavaScript path's NaN and signed-zero results. Padding never wins (taps
// outside the image are skipped). Branch-free on the data.
//   maxPool2x2   2x2 windows without padding or dilation, every window inside the image
//   maxPoolPlanes any 1-D or 2-D window (1-D as height 1): strides, dilations, padding, ceil_mode;
//                windows of 4 at stride 4 read as four vectors transposed, not lane by lane

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

import { loadStrided } from './lanes.as';

/**
 * `channels` planes of H x W floats at `x` pooled into planes of OH x OW at `y`, stride (SH, SW).
 * Stride 2 across runs four windows per step (eight floats of each of the two rows).
 */
export function maxPool2x2(x: usize, y: usize, channels: i32, H: i32, W: i32, OH: i32, OW: i32, SH: i32, SW: i32): void {
  const rowBytes = <usize>W * 4;
  const vecs = SW == 2 ? OW & ~3 : 0;
  let out = y;
  for (let ch = 0; ch < channels; ch++) {
    const plane = x + <usize>ch * <usize>H * rowBytes;
    for (let oy = 0; oy < OH; oy++) {
      const r0 = plane + <usize>(oy * SH) * rowBytes;
      const r1 = r0 + rowBytes;
      let ox = 0;
      for (; ox < vecs; ox += 4) {
        const p = <usize>(ox * 2) * 4;
        const a0 = v128.load(r0 + p);
        const a1 = v128.load(r0 + p, 16);
        const b0 = v128.load(r1 + p);
        const b1 = v128.load(r1 + p, 16);
        let best = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
        best = f32x4.pmax(best, i32x4.shuffle(a0, a1, 1, 3, 5, 7));
        best = f32x4.pmax(best, i32x4.shuffle(b0, b1, 0, 2, 4, 6));
        best = f32x4.pmax(best, i32x4.shuffle(b0, b1, 1, 3, 5, 7));
        v128.store(out, best);
        out += 16;
      }
      for (; ox < OW; ox++) {
        const p = <usize>(ox * SW) * 4;
        let best = load<f32>(r0 + p);
        let v = load<f32>(r0 + p, 4);
        best = select<f32>(v, best, best < v);
        v = load<f32>(r1 + p);
        best = select<f32>(v, best, best < v);
        v = load<f32>(r1 + p, 4);
        best = select<f32>(v, best, best < v);
        store<f32>(out, best);
        out += 4;
      }
    }
  }
}

/**
 * `channels` planes of H x W floats at `x` max-pooled into planes of OH x OW at `y` with any
 * window (KH x KW, strides, dilations, padding at the top and left; ends follow from OH and OW).
 * Rows of a window outside the image are skipped per output row; output columns whose taps all lie
 * inside the row run 4 at a time, the others lane by lane. `x` must be followed by 8 readable floats.
 */
export function maxPoolPlanes(
  x: usize, y: usize, channels: i32, H: i32, W: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, DH: i32, DW: i32,
): void {
  const rowBytes = <usize>W * 4;
  const vecFrom = min(OW, (PW + SW - 1) / SW);
  const lastFit = W - 1 + PW - (KW - 1) * DW;
  const inside = lastFit >= 0 ? min(OW, lastFit / SW + 1) : 0;
  const vecTo = inside > vecFrom ? vecFrom + ((inside - vecFrom) & ~3) : vecFrom;
  const tapBytes = <usize>DW * 4;
  let out = y;
  for (let ch = 0; ch < channels; ch++) {
    const plane = x + <usize>ch * <usize>H * rowBytes;
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PH;
      const kyFrom = iy0 >= 0 ? 0 : (DH - 1 - iy0) / DH;
      const kyTo = min(KH, (H - iy0 + DH - 1) / DH);
      if (kyFrom >= kyTo) {
        // every row of these windows lies in the padding
        for (let ox = 0; ox < OW; ox++) store<f32>(out + <usize>ox * 4, -Infinity);
        out += <usize>OW * 4;
        continue;
      }
      const firstRow = plane + <usize>(iy0 + kyFrom * DH) * rowBytes;
      const rowStep = <usize>DH * rowBytes;
      for (let ox = 0; ox < vecFrom; ox++) {
        store<f32>(out, maxAt(firstRow, rowStep, kyTo - kyFrom, W, KW, DW, ox * SW - PW));
        out += 4;
      }
      if (SW == 4 && KW == 4 && DW == 1) {
        // four windows of four floats side by side (an audio net's pool 4)
        for (let ox = vecFrom; ox < vecTo; ox += 4) {
          let row = firstRow + <usize>(ox * 4 - PW) * 4;
          let best = maxOfQuads(row, f32x4.splat(0), true);
          for (let ky = kyFrom + 1; ky < kyTo; ky++) {
            row += rowStep;
            best = maxOfQuads(row, best, false);
          }
          v128.store(out, best);
          out += 16;
        }
      } else for (let ox = vecFrom; ox < vecTo; ox += 4) {
        let row = firstRow + <usize>(ox * SW - PW) * 4;
        let best = loadStrided(row, SW);
        for (let kx = 1; kx < KW; kx++) best = f32x4.pmax(best, loadStrided(row + <usize>kx * tapBytes, SW));
        for (let ky = kyFrom + 1; ky < kyTo; ky++) {
          row += rowStep;
          for (let kx = 0; kx < KW; kx++) best = f32x4.pmax(best, loadStrided(row + <usize>kx * tapBytes, SW));
        }
        v128.store(out, best);
        out += 16;
      }
      for (let ox = vecTo; ox < OW; ox++) {
        store<f32>(out, maxAt(firstRow, rowStep, kyTo - kyFrom, W, KW, DW, ox * SW - PW));
        out += 4;
      }
    }
  }
}

/**
 * Folds four windows of four adjacent floats at `p` (16 floats) into `best` tap by tap, in tap
 * order as the strided loads would (a 4x4 transpose gives each tap's four lanes); with `first`,
 * tap 0 starts the maximum instead (and `best` is not read).
 */
// @ts-ignore: decorator
@inline
export function maxOfQuads(p: usize, best: v128, first: bool): v128 {
  const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
  const ab01 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const cd01 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const ab23 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const cd23 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  const t0 = i32x4.shuffle(ab01, cd01, 0, 1, 4, 5);
  let m = first ? t0 : f32x4.pmax(best, t0);
  m = f32x4.pmax(m, i32x4.shuffle(ab01, cd01, 2, 3, 6, 7));
  m = f32x4.pmax(m, i32x4.shuffle(ab23, cd23, 0, 1, 4, 5));
  return f32x4.pmax(m, i32x4.shuffle(ab23, cd23, 2, 3, 6, 7));
}

/** One window's maximum over `rows` rows from `firstRow`, columns ix0 + kx * DW clipped to [0, W). */
function maxAt(firstRow: usize, rowStep: usize, rows: i32, W: i32, KW: i32, DW: i32, ix0: i32): f32 {
  const kxFrom = ix0 >= 0 ? 0 : (DW - 1 - ix0) / DW;
  const kxTo = min(KW, (W - ix0 + DW - 1) / DW);
  if (kxFrom >= kxTo) return -Infinity;
  let best: f32 = load<f32>(firstRow + <usize>(ix0 + kxFrom * DW) * 4);
  let row = firstRow;
  for (let r = 0; r < rows; r++) {
    for (let kx = r == 0 ? kxFrom + 1 : kxFrom; kx < kxTo; kx++) {
      const v = load<f32>(row + <usize>(ix0 + kx * DW) * 4);
      best = select<f32>(v, best, best < v);
    }
    row += rowStep;
  }
  return best;
}
