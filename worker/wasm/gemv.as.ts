// One row of A times B (m == 1, a GEMV) in WebAssembly SIMD, over B packed in its own layout.
//
// A GEMV reads every weight once and does two flops per float loaded, so its speed is the rate at
// which B streams in from memory. Over plain panels (see gemm.as.ts) three panels at a time are
// three streams k * 32 bytes apart; here B is laid out so that the same three panels are one
// stream ("groups"): group g holds, for kk = 0..k-1, the 24 floats B[kk][24g .. 24g+24), i.e.
// panels 3g, 3g+1 and 3g+2 interleaved row by row. The columns past the last whole group follow as
// plain zero-padded panels of PANEL columns. The packed size equals the plain panels' size.
//
// The arithmetic is the other tiles' (see tile1x8): one accumulator chain per column, products
// added in k order, so a row's result does not depend on the layout, the tile or the batch size.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

import { PANEL, packPanel, setEpilogue, storeTile, tile1x8 } from './gemm.as';

/** Columns per group: three panels. */
const GROUP: i32 = 3 * PANEL;
const GROUP_ROW_BYTES: usize = GROUP * 4;

/**
 * Packs rows k0 .. k0+rows and columns j0 .. j0+cols of B into the GEMV layout of a k x n B at
 * `dst` (the whole packed block), so that B can arrive in slices. Without `trans`, `src` holds the
 * slice row-major (rows x cols, row stride `ldb` floats); with `trans` it holds the slice of B^T
 * (cols x rows, row stride `ldb`). j0 is a multiple of GROUP, or of PANEL past the last whole group.
 */
export function packGemv(src: usize, ldb: i32, trans: i32, rows: i32, cols: i32, k0: i32, j0: i32, dst: usize, k: i32, n: i32): void {
  const ldbBytes = <usize>ldb * 4;
  const groups = n / GROUP;
  const groupBytes = <usize>k * GROUP_ROW_BYTES;
  const tail = dst + <usize>groups * groupBytes;
  for (let j = j0; j < j0 + cols; j += PANEL) {
    const from = trans ? src + <usize>(j - j0) * ldbBytes : src + <usize>(j - j0) * 4;
    const width = min(PANEL, n - j);
    const g = j / GROUP;
    if (g < groups) {
      const out = dst + <usize>g * groupBytes + <usize>k0 * GROUP_ROW_BYTES + <usize>(j - g * GROUP) * 4;
      packPanel(from, ldbBytes, rows, width, trans, out, GROUP_ROW_BYTES);
    } else {
      const p = (j - groups * GROUP) / PANEL;
      packPanel(from, ldbBytes, rows, width, trans, tail + (<usize>p * <usize>k + <usize>k0) * PANEL * 4, PANEL * 4);
    }
  }
}

/**
 * c (n floats, padded to a multiple of PANEL) = clamp(alpha * a·B + bias + (accumulate ? c : 0),
 * lo, hi) for one row `a` of k floats and B packed by packGemv; bias as in gemm.
 */
export function gemv(n: i32, k: i32, a: usize, bp: usize, c: usize, alpha: f32, bias: usize, accumulate: i32, lo: f32, hi: f32): void {
  setEpilogue(alpha, bias, 0, accumulate != 0, lo, hi);
  const groups = n / GROUP;
  const groupBytes = <usize>k * GROUP_ROW_BYTES;
  for (let g = 0; g < groups; g++) {
    tileGroup(a, bp + <usize>g * groupBytes, k, c + <usize>g * GROUP_ROW_BYTES, g * GROUP);
  }
  const tail = bp + <usize>groups * groupBytes;
  const panelBytes = <usize>k * PANEL * 4;
  for (let col = groups * GROUP, p = 0; col < n; col += PANEL, p++) {
    tile1x8(a, tail + <usize>p * panelBytes, k, c + <usize>col * 4, col, min(PANEL, n - col), 0);
  }
}

/**
 * One row of A against one group (24 columns): six accumulator chains, enough to keep the adds
 * busy, fed by one contiguous stream of 96 bytes per k step. Four k steps per iteration, one basic
 * block per step, for the register reasons given at tile1x24 in gemm.as.ts.
 */
function tileGroup(a: usize, b: usize, k: i32, c: usize, col: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  let left = k;
  let x: v128;
  if (left > 0) while (true) {
    x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 32))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 48)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(b, 64))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(b, 80)));
    if (left == 1) break;
    x = v128.load32_splat(a, 4);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b, 96))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 112)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 128))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 144)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(b, 160))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(b, 176)));
    if (left == 2) break;
    x = v128.load32_splat(a, 8);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b, 192))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 208)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 224))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 240)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(b, 256))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(b, 272)));
    if (left == 3) break;
    x = v128.load32_splat(a, 12);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b, 288))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 304)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 320))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 336)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(b, 352))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(b, 368)));
    left -= 4;
    a += 16; b += 4 * GROUP_ROW_BYTES;
    if (left == 0) break;
  }
  storeTile(c0, c1, c, col, PANEL, 0);
  storeTile(c2, c3, c + 32, col + 8, PANEL, 0);
  storeTile(c4, c5, c + 64, col + 16, PANEL, 0);
}
