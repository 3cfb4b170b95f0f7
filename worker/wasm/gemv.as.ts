// One row of A times B (m == 1, a GEMV) in WebAssembly SIMD, over B packed in its own layout.
//
// A GEMV reads every weight once and does two flops per float loaded, so its speed is the rate at
// which B streams in from memory. Over plain panels (see gemm.as.ts) three panels at a time are
// three streams k * 32 bytes apart; here B is laid out so that the same three panels are one
// stream ("groups"): B is cut into panels of PANEL columns as for the GEMM (the last zero-padded),
// and group g holds panels 3g, 3g+1 and 3g+2 interleaved row by row: for kk = 0..k-1, the 24
// floats B[kk][24g .. 24g+24). The last group holds the one or two panels left, interleaved the
// same way. Groups are k * 96 bytes apart; the packed size equals the plain panels' size.
//
// Each column's sum is one chain of dependent adds, so a tile runs at one k step per add latency
// at best: three panels (six chains) keep the adds busy; two panels left over run as one tile of
// four chains rather than two of two, which would take twice as long.
//
// The arithmetic is the other tiles' (see tile1x8): one accumulator chain per column, products
// added in k order, so a row's result does not depend on the layout, the tile or the batch size.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

import { PANEL, packPanel, setEpilogue, storeTile, tile1x8 } from './gemm.as';

/** Panels per group, and the bytes of one row of a whole group. */
const GROUP_PANELS: i32 = 3;
const GROUP_ROW_BYTES: usize = GROUP_PANELS * PANEL * 4;

/**
 * Packs rows k0 .. k0+rows and columns j0 .. j0+cols of B into the GEMV layout of a k x n B at
 * `dst` (the whole packed block), so that B can arrive in slices. Without `trans`, `src` holds the
 * slice row-major (rows x cols, row stride `ldb` floats); with `trans` it holds the slice of B^T
 * (cols x rows, row stride `ldb`). j0 is a multiple of a group's columns (24).
 */
export function packGemv(src: usize, ldb: i32, trans: i32, rows: i32, cols: i32, k0: i32, j0: i32, dst: usize, k: i32, n: i32): void {
  const ldbBytes = <usize>ldb * 4;
  const panels = (n + PANEL - 1) / PANEL;
  for (let j = j0; j < j0 + cols; j += PANEL) {
    const from = trans ? src + <usize>(j - j0) * ldbBytes : src + <usize>(j - j0) * 4;
    const p = j / PANEL;
    const g = p / GROUP_PANELS;
    const rowBytes = <usize>min(GROUP_PANELS, panels - g * GROUP_PANELS) * PANEL * 4;
    const out = dst + <usize>g * <usize>k * GROUP_ROW_BYTES + <usize>k0 * rowBytes + <usize>(p - g * GROUP_PANELS) * PANEL * 4;
    packPanel(from, ldbBytes, rows, min(PANEL, n - j), trans, out, rowBytes);
  }
}

/**
 * c (n floats) = clamp(alpha * a·B + bias + (accumulate ? c : 0), lo, hi) for one row `a` of k
 * floats and B packed by packGemv; bias as in gemm (readable up to a multiple of PANEL floats).
 */
export function gemv(n: i32, k: i32, a: usize, bp: usize, c: usize, alpha: f32, bias: usize, accumulate: i32, lo: f32, hi: f32): void {
  setEpilogue(alpha, bias, 0, accumulate != 0, lo, hi);
  const panels = (n + PANEL - 1) / PANEL;
  const whole = panels / GROUP_PANELS;
  const groupBytes = <usize>k * GROUP_ROW_BYTES;
  for (let g = 0; g < whole; g++) {
    const col = g * GROUP_PANELS * PANEL;
    tileGroup(a, bp + <usize>g * groupBytes, k, c + <usize>col * 4, col, n - col);
  }
  const col = whole * GROUP_PANELS * PANEL;
  const last = bp + <usize>whole * groupBytes;
  const left = panels - whole * GROUP_PANELS;
  if (left == 2) tilePair(a, last, k, c + <usize>col * 4, col, n - col);
  else if (left == 1) tile1x8(a, last, k, c + <usize>col * 4, col, n - col, 0);
}

/**
 * One row of A against one group (24 columns): six accumulator chains, enough to keep the adds
 * busy, fed by one contiguous stream of 96 bytes per k step. Four k steps per iteration, one basic
 * block per step, for the register reasons given at tile1x24 in gemm.as.ts.
 */
function tileGroup(a: usize, b: usize, k: i32, c: usize, col: i32, width: i32): void {
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
  storeTile(c4, c5, c + 64, col + 16, min(PANEL, width - 16), 0);
}

/** The last group when it holds two panels (16 columns, rows 64 bytes apart): four chains. */
function tilePair(a: usize, b: usize, k: i32, c: usize, col: i32, width: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let left = k;
  let x: v128;
  if (left > 0) while (true) {
    x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 32))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 48)));
    if (left == 1) break;
    x = v128.load32_splat(a, 4);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b, 64))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 80)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 96))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 112)));
    if (left == 2) break;
    x = v128.load32_splat(a, 8);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b, 128))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 144)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 160))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 176)));
    if (left == 3) break;
    x = v128.load32_splat(a, 12);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b, 192))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 208)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(b, 224))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(b, 240)));
    left -= 4;
    a += 16; b += 256;
    if (left == 0) break;
  }
  storeTile(c0, c1, c, col, PANEL, 0);
  storeTile(c2, c3, c + 32, col + 8, min(PANEL, width - 8), 0);
}
