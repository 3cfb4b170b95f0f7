// Float32 GEMM in WebAssembly SIMD (f32x4): packing B into panels, the microkernels (row tiles
// over one panel) and their shared epilogue. The convolution kernels reuse the tiles.
//
// Layout of a packed B ("panels"): B[k][n] is cut into panels of PANEL = 8 columns; panel p holds,
// for kk = 0..k-1, the 8 floats B[kk][8p .. 8p+8) contiguously (zero-padded past n). A microkernel
// then reads one panel row with two aligned-free v128 loads per k step.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

export const PANEL: i32 = 8;

/**
 * Packs B into panels at `dst`. Without `trans` B is k x n with row stride `ldb` (floats);
 * with `trans` the source is B^T stored n x k with row stride `ldb`. Panels are `panelK` rows
 * apart (panelK >= k): a caller packing B in slices of rows writes each slice at its row offset
 * within panels as tall as the whole B.
 */
export function packB(src: usize, ldb: i32, k: i32, n: i32, trans: i32, dst: usize, panelK: i32): void {
  const panels = (n + PANEL - 1) / PANEL;
  const ldbBytes = <usize>ldb * 4;
  for (let p = 0; p < panels; p++) {
    const j0 = p * PANEL;
    const from = trans ? src + <usize>j0 * ldbBytes : src + <usize>j0 * 4;
    packPanel(from, ldbBytes, k, min(PANEL, n - j0), trans, dst + (<usize>p * <usize>panelK * PANEL) * 4, PANEL * 4);
  }
}

/**
 * Packs one panel: `width` (<= PANEL) columns of B over k rows, zero-padded to PANEL floats per
 * row, rows `rowBytes` apart at `out` (PANEL * 4 for plain panels; wider where panels interleave).
 * `src` is B's first element of the panel: B[0][j0] (row stride `ldbBytes`) or, with `trans`,
 * B^T[j0][0] (B^T row stride `ldbBytes`). Inlined: packB's constant row stride stays a constant.
 */
// @ts-ignore: decorator
@inline
export function packPanel(src: usize, ldbBytes: usize, k: i32, width: i32, trans: i32, out: usize, rowBytes: usize): void {
  if (!trans) {
    if (width == PANEL) {
      for (let kk = 0; kk < k; kk++) {
        const row = src + <usize>kk * ldbBytes;
        v128.store(out, v128.load(row));
        v128.store(out, v128.load(row, 16), 16);
        out += rowBytes;
      }
    } else {
      for (let kk = 0; kk < k; kk++) {
        const row = src + <usize>kk * ldbBytes;
        v128.store(out, f32x4.splat(0));
        v128.store(out, f32x4.splat(0), 16);
        for (let j = 0; j < width; j++) store<f32>(out + <usize>j * 4, load<f32>(row + <usize>j * 4));
        out += rowBytes;
      }
    }
  } else if (width == PANEL) {
    // eight rows of B^T, four k at a time: two 4x4 transposes in registers
    const k4 = k & ~3;
    let kk = 0;
    for (; kk < k4; kk += 4) {
      const s = src + <usize>kk * 4;
      transpose4Store(
        v128.load(s), v128.load(s + ldbBytes), v128.load(s + 2 * ldbBytes), v128.load(s + 3 * ldbBytes), out, rowBytes,
      );
      transpose4Store(
        v128.load(s + 4 * ldbBytes), v128.load(s + 5 * ldbBytes), v128.load(s + 6 * ldbBytes), v128.load(s + 7 * ldbBytes), out + 16, rowBytes,
      );
      out += 4 * rowBytes;
    }
    for (; kk < k; kk++) {
      for (let j = 0; j < PANEL; j++) {
        store<f32>(out + <usize>j * 4, load<f32>(src + <usize>j * ldbBytes + <usize>kk * 4));
      }
      out += rowBytes;
    }
  } else {
    for (let kk = 0; kk < k; kk++) {
      v128.store(out, f32x4.splat(0));
      v128.store(out, f32x4.splat(0), 16);
      for (let j = 0; j < width; j++) {
        store<f32>(out + <usize>j * 4, load<f32>(src + <usize>j * ldbBytes + <usize>kk * 4));
      }
      out += rowBytes;
    }
  }
}

/** Stores the transpose of the 4x4 block (rows r0..r3) as four vectors `rowBytes` apart. */
// @ts-ignore: decorator
@inline
function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, out: usize, rowBytes: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(out + rowBytes, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(out + 2 * rowBytes, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(out + 3 * rowBytes, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

// Epilogue parameters, set once per call (module globals keep the microkernels' signatures short);
// gemm and convGroup set them through setEpilogue.
let gAlpha: v128 = f32x4.splat(1);
let gLo: v128 = f32x4.splat(-Infinity);
let gHi: v128 = f32x4.splat(Infinity);
let gBias: usize = 0;
let gRowBias: usize = 0;
let gAccumulate: bool = false;
/** alpha 1, no column bias, no accumulation: the convolutions' epilogue, a row bias and the clamp */
let gRowBiasOnly: bool = false;

/** Sets the epilogue every tile applies: clamp(alpha * acc + bias[col] + rowBias[row] (+ C), lo, hi). */
// @ts-ignore: decorator
@inline
export function setEpilogue(alpha: f32, bias: usize, rowBias: usize, accumulate: bool, lo: f32, hi: f32): void {
  gAlpha = f32x4.splat(alpha);
  gRowBias = rowBias;
  gLo = f32x4.splat(lo);
  gHi = f32x4.splat(hi);
  gBias = bias;
  gAccumulate = accumulate;
  gRowBiasOnly = alpha == 1 && bias == 0 && !accumulate;
}

// @ts-ignore: decorator
@inline
function rowBias(row: i32): v128 {
  return gRowBias ? v128.load32_splat(gRowBias + <usize>row * 4) : f32x4.splat(0);
}

// @ts-ignore: decorator
@inline
function finish(v: v128, c: usize, col: i32, rb: v128): v128 {
  let r = f32x4.mul(v, gAlpha);
  if (gBias) r = f32x4.add(r, v128.load(gBias + <usize>col * 4));
  if (gRowBias) r = f32x4.add(r, rb);
  if (gAccumulate) r = f32x4.add(r, v128.load(c));
  return clamp(r, gLo, gHi);
}

/**
 * r < lo ? lo : r > hi ? hi : r per lane, the JavaScript path's clamp (NaN passes through). pmax and
 * pmin are one instruction each on x64, where max and min (IEEE NaN and signed-zero rules) lower to
 * several: with k = 16 they took a third of a tile's time.
 */
// @ts-ignore: decorator
@inline
export function clamp(r: v128, lo: v128, hi: v128): v128 {
  return f32x4.pmin(f32x4.pmax(r, lo), hi);
}

// Same as finish for a partial last panel: lanes past the matrix edge are neither read nor written.
function storePartial(v: v128, c: usize, col: i32, count: i32, rb: v128): void {
  let r = f32x4.mul(v, gAlpha);
  if (gRowBias) r = f32x4.add(r, rb);
  for (let j = 0; j < count; j++) {
    let x: f32 = 0;
    switch (j) {
      case 0: x = f32x4.extract_lane(r, 0); break;
      case 1: x = f32x4.extract_lane(r, 1); break;
      case 2: x = f32x4.extract_lane(r, 2); break;
      default: x = f32x4.extract_lane(r, 3); break;
    }
    if (gBias) x += load<f32>(gBias + <usize>(col + j) * 4);
    if (gAccumulate) x += load<f32>(c + <usize>j * 4);
    const lo = f32x4.extract_lane(gLo, 0);
    const hi = f32x4.extract_lane(gHi, 0);
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    store<f32>(c + <usize>j * 4, x);
  }
}

/**
 * A full panel's row under the gRowBiasOnly epilogue: finish's steps that apply (acc * 1 is acc;
 * acc + 0, without a row bias, is acc too, since a sum started at +0 is never -0).
 */
// @ts-ignore: decorator
@inline
function storeRowBiased(v0: v128, v1: v128, c: usize, rb: v128): void {
  const lo = gLo, hi = gHi;
  v128.store(c, clamp(f32x4.add(v0, rb), lo, hi));
  v128.store(c, clamp(f32x4.add(v1, rb), lo, hi), 16);
}

// @ts-ignore: decorator
@inline
export function storeTile(v0: v128, v1: v128, c: usize, col: i32, width: i32, row: i32): void {
  const rb = rowBias(row);
  if (gRowBiasOnly && width == PANEL) {
    storeRowBiased(v0, v1, c, rb);
  } else if (width == PANEL) {
    v128.store(c, finish(v0, c, col, rb));
    v128.store(c, finish(v1, c + 16, col + 4, rb), 16);
  } else if (width > 4) {
    v128.store(c, finish(v0, c, col, rb));
    storePartial(v1, c + 16, col + 4, width - 4, rb);
  } else if (width == 4) {
    v128.store(c, finish(v0, c, col, rb));
  } else {
    storePartial(v0, c, col, width, rb);
  }
}

/**
 * Where row kk of a panel of B is: packed panels advance PANEL floats per k; a convolution read in
 * place ("direct") finds row kk at `b` plus the byte offset offs[kk] of kernel tap kk in the image.
 */
// @ts-ignore: decorator
@inline
function panelRow(b: usize, offs: usize, kk: i32, direct: bool): usize {
  return direct ? b + <usize>load<u32>(offs + <usize>kk * 4) : b + <usize>kk * (PANEL * 4);
}

/**
 * Four rows of A against one panel of B: an 4x8 tile of C. The RowBias variants are for epilogues
 * with only a row bias (non-zero) and the clamp (gRowBiasOnly): they store full panels without
 * testing the epilogue's other steps, which with a short k is a tenth of the tile's time. (The
 * convolutions, whose epilogue that always is, read panels in place through tile4x8DirectRowBias.)
 */
export function tile4x8(a: usize, lda: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile4x8Body(a, lda, b, 0, k, c, ldc, col, width, row, false, false);
}
export function tile4x8RowBias(a: usize, lda: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile4x8Body(a, lda, b, 0, k, c, ldc, col, width, row, false, true);
}
export function tile4x8DirectRowBias(a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile4x8Body(a, lda, b, offs, k, c, ldc, col, width, row, true, true);
}
// @ts-ignore: decorator
@inline
function tile4x8Body(
  a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32, direct: bool,
  rowBiasOnly: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
  // Four k steps per iteration: loads take constant offsets, pointers move once per four steps.
  // The exit test after every step (k runs out there) is what keeps a step's arithmetic next to
  // its loads: TurboFan (Node 20) schedules all of a basic block's loads first, so a plain
  // four-step body held 24 loaded vectors plus 8 accumulators and spilled (slower than one step
  // per iteration). Each accumulator still adds its products one at a time in k order.
  let br = b, o = offs, left = k;
  let b0: v128, b1: v128, x: v128;
  if (left > 0) while (true) {
    if (direct) { br = b + <usize>load<u32>(o); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br); b1 = v128.load(br, 16); }
    x = v128.load32_splat(a0); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2); c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3); c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    if (left == 1) break;
    if (direct) { br = b + <usize>load<u32>(o, 4); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br, 32); b1 = v128.load(br, 48); }
    x = v128.load32_splat(a0, 4); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1, 4); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2, 4); c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3, 4); c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    if (left == 2) break;
    if (direct) { br = b + <usize>load<u32>(o, 8); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br, 64); b1 = v128.load(br, 80); }
    x = v128.load32_splat(a0, 8); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1, 8); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2, 8); c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3, 8); c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    if (left == 3) break;
    if (direct) { br = b + <usize>load<u32>(o, 12); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br, 96); b1 = v128.load(br, 112); }
    x = v128.load32_splat(a0, 12); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1, 12); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2, 12); c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3, 12); c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    left -= 4;
    a0 += 16; a1 += 16; a2 += 16; a3 += 16; o += 16; br += 4 * PANEL * 4;
    if (left == 0) break;
  }
  if (rowBiasOnly && width == PANEL) {
    const rb = gRowBias + <usize>row * 4;
    storeRowBiased(c00, c01, c, v128.load32_splat(rb));
    storeRowBiased(c10, c11, c + ldc, v128.load32_splat(rb, 4));
    storeRowBiased(c20, c21, c + 2 * ldc, v128.load32_splat(rb, 8));
    storeRowBiased(c30, c31, c + 3 * ldc, v128.load32_splat(rb, 12));
    return;
  }
  storeTile(c00, c01, c, col, width, row);
  storeTile(c10, c11, c + ldc, col, width, row + 1);
  storeTile(c20, c21, c + 2 * ldc, col, width, row + 2);
  storeTile(c30, c31, c + 3 * ldc, col, width, row + 3);
}

/** Two rows of A against one panel of B: a 2x8 tile of C (rows past the 4-row blocks). */
export function tile2x8(a: usize, lda: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile2x8Body(a, lda, b, 0, k, c, ldc, col, width, row, false);
}
export function tile2x8Direct(a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile2x8Body(a, lda, b, offs, k, c, ldc, col, width, row, true);
}
// @ts-ignore: decorator
@inline
function tile2x8Body(a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32, direct: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let a0 = a, a1 = a + lda;
  // four k steps per iteration, one basic block per step: see tile4x8Body
  let br = b, o = offs, left = k;
  let b0: v128, b1: v128, x: v128;
  if (left > 0) while (true) {
    if (direct) { br = b + <usize>load<u32>(o); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br); b1 = v128.load(br, 16); }
    x = v128.load32_splat(a0); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    if (left == 1) break;
    if (direct) { br = b + <usize>load<u32>(o, 4); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br, 32); b1 = v128.load(br, 48); }
    x = v128.load32_splat(a0, 4); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1, 4); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    if (left == 2) break;
    if (direct) { br = b + <usize>load<u32>(o, 8); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br, 64); b1 = v128.load(br, 80); }
    x = v128.load32_splat(a0, 8); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1, 8); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    if (left == 3) break;
    if (direct) { br = b + <usize>load<u32>(o, 12); b0 = v128.load(br); b1 = v128.load(br, 16); }
    else { b0 = v128.load(br, 96); b1 = v128.load(br, 112); }
    x = v128.load32_splat(a0, 12); c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1, 12); c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    left -= 4;
    a0 += 16; a1 += 16; o += 16; br += 4 * PANEL * 4;
    if (left == 0) break;
  }
  storeTile(c00, c01, c, col, width, row);
  storeTile(c10, c11, c + ldc, col, width, row + 1);
}

/**
 * Two rows of A against two panels of B (a 2x16 tile of C): eight accumulator chains, as many as
 * tile4x8's, over two streams of B. The first row block over a pair of panels fetches both panels
 * from memory at once; see gemm.
 */
function tile2x16(a: usize, lda: usize, b: usize, panelBytes: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  let a0 = a, a1 = a + lda;
  let p0 = b, p1 = b + panelBytes, left = k;
  let b0: v128, b1: v128, b2: v128, b3: v128, x: v128;
  // four k steps per iteration, one basic block per step: see tile4x8Body
  if (left > 0) while (true) {
    b0 = v128.load(p0); b1 = v128.load(p0, 16); b2 = v128.load(p1); b3 = v128.load(p1, 16);
    x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1)); c02 = f32x4.add(c02, f32x4.mul(x, b2)); c03 = f32x4.add(c03, f32x4.mul(x, b3));
    x = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1)); c12 = f32x4.add(c12, f32x4.mul(x, b2)); c13 = f32x4.add(c13, f32x4.mul(x, b3));
    if (left == 1) break;
    b0 = v128.load(p0, 32); b1 = v128.load(p0, 48); b2 = v128.load(p1, 32); b3 = v128.load(p1, 48);
    x = v128.load32_splat(a0, 4);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1)); c02 = f32x4.add(c02, f32x4.mul(x, b2)); c03 = f32x4.add(c03, f32x4.mul(x, b3));
    x = v128.load32_splat(a1, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1)); c12 = f32x4.add(c12, f32x4.mul(x, b2)); c13 = f32x4.add(c13, f32x4.mul(x, b3));
    if (left == 2) break;
    b0 = v128.load(p0, 64); b1 = v128.load(p0, 80); b2 = v128.load(p1, 64); b3 = v128.load(p1, 80);
    x = v128.load32_splat(a0, 8);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1)); c02 = f32x4.add(c02, f32x4.mul(x, b2)); c03 = f32x4.add(c03, f32x4.mul(x, b3));
    x = v128.load32_splat(a1, 8);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1)); c12 = f32x4.add(c12, f32x4.mul(x, b2)); c13 = f32x4.add(c13, f32x4.mul(x, b3));
    if (left == 3) break;
    b0 = v128.load(p0, 96); b1 = v128.load(p0, 112); b2 = v128.load(p1, 96); b3 = v128.load(p1, 112);
    x = v128.load32_splat(a0, 12);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1)); c02 = f32x4.add(c02, f32x4.mul(x, b2)); c03 = f32x4.add(c03, f32x4.mul(x, b3));
    x = v128.load32_splat(a1, 12);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1)); c12 = f32x4.add(c12, f32x4.mul(x, b2)); c13 = f32x4.add(c13, f32x4.mul(x, b3));
    left -= 4;
    a0 += 16; a1 += 16; p0 += 4 * PANEL * 4; p1 += 4 * PANEL * 4;
    if (left == 0) break;
  }
  storeTile(c00, c01, c, col, PANEL, row);
  storeTile(c02, c03, c + 32, col + 8, width, row);
  storeTile(c10, c11, c + ldc, col, PANEL, row + 1);
  storeTile(c12, c13, c + ldc + 32, col + 8, width, row + 1);
}

/**
 * One row of A against three full panels of B (24 columns): six independent accumulator chains,
 * enough to keep the adds busy. Four k steps per iteration, one basic block per step (see
 * tile4x8Body): a step's 7 loads and the 6 accumulators fit the 15 vector registers V8 allocates
 * on x64 (it keeps one as scratch), where four panels (8 accumulators, 9 loads) spilled an
 * accumulator to the stack: 30% slower in Node 20 (about 3% faster in workerd, whose compiler
 * keeps program order).
 */
function tile1x24(a: usize, b: usize, panelBytes: usize, k: i32, c: usize, col: i32, row: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  let p0 = b, p1 = b + panelBytes, p2 = b + 2 * panelBytes;
  let left = k;
  let x: v128;
  if (left > 0) while (true) {
    x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(p0))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(p0, 16)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(p1))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(p1, 16)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(p2))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(p2, 16)));
    if (left == 1) break;
    x = v128.load32_splat(a, 4);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(p0, 32))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(p0, 48)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(p1, 32))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(p1, 48)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(p2, 32))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(p2, 48)));
    if (left == 2) break;
    x = v128.load32_splat(a, 8);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(p0, 64))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(p0, 80)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(p1, 64))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(p1, 80)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(p2, 64))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(p2, 80)));
    if (left == 3) break;
    x = v128.load32_splat(a, 12);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(p0, 96))); c1 = f32x4.add(c1, f32x4.mul(x, v128.load(p0, 112)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(p1, 96))); c3 = f32x4.add(c3, f32x4.mul(x, v128.load(p1, 112)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(p2, 96))); c5 = f32x4.add(c5, f32x4.mul(x, v128.load(p2, 112)));
    left -= 4;
    a += 16; p0 += 4 * PANEL * 4; p1 += 4 * PANEL * 4; p2 += 4 * PANEL * 4;
    if (left == 0) break;
  }
  storeTile(c0, c1, c, col, PANEL, row);
  storeTile(c2, c3, c + 32, col + 8, PANEL, row);
  storeTile(c4, c5, c + 64, col + 16, PANEL, row);
}

/**
 * One row of A against one panel. One accumulator chain per column, summed in k order exactly as
 * every other tile does: a column's result must not depend on which tile computed it (equal
 * columns of B give bitwise-equal outputs, and a row's result does not depend on the batch size).
 */
export function tile1x8(a: usize, b: usize, k: i32, c: usize, col: i32, width: i32, row: i32): void {
  tile1x8Body(a, b, 0, k, c, col, width, row, false);
}
export function tile1x8Direct(a: usize, b: usize, offs: usize, k: i32, c: usize, col: i32, width: i32, row: i32): void {
  tile1x8Body(a, b, offs, k, c, col, width, row, true);
}
// @ts-ignore: decorator
@inline
function tile1x8Body(a: usize, b: usize, offs: usize, k: i32, c: usize, col: i32, width: i32, row: i32, direct: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const br = panelRow(b, offs, kk, direct);
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(br)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(br, 16)));
    a += 4;
  }
  storeTile(c0, c1, c, col, width, row);
}

/**
 * C (m x n, row stride ldc floats) = clamp(alpha * A·B + bias + (accumulate ? C : 0), lo, hi)
 * where A is m x k row-major (row stride lda floats), B is packed panels (see packB) and bias, when
 * its address is non-zero, holds n floats padded with readable memory up to a multiple of 8.
 * `rowBias`, when non-zero, holds m floats added to each row (a convolution's per-filter bias).
 */
export function gemm(
  m: i32, n: i32, k: i32,
  a: usize, lda: i32,
  bp: usize,
  c: usize, ldc: i32,
  alpha: f32, bias: usize, accumulate: i32, lo: f32, hi: f32, rowBias: usize,
): void {
  setEpilogue(alpha, bias, rowBias, accumulate != 0, lo, hi);
  const panels = (n + PANEL - 1) / PANEL;
  const panelBytes = <usize>k * PANEL * 4;
  const ldaBytes = <usize>lda * 4;
  const ldcBytes = <usize>ldc * 4;
  if (m == 1) {
    // one row over plain panels (a pointwise convolution with one filter per group, or a weight
    // kept only in plain panels; linalg's one-row products otherwise pack B for gemv.as.ts):
    // three panels at once (six accumulator chains)
    let p = 0;
    const fullPanels = n / PANEL;
    for (; p + 3 <= fullPanels; p += 3) {
      tile1x24(a, bp + <usize>p * panelBytes, panelBytes, k, c + <usize>p * PANEL * 4, p * PANEL, 0);
    }
    for (; p < panels; p++) {
      const col = p * PANEL;
      tile1x8(a, bp + <usize>p * panelBytes, k, c + <usize>col * 4, col, min(PANEL, n - col), 0);
    }
    return;
  }
  // Four-row blocks of A read in place, then the m % 4 rows left. (A 6x8 tile keeps 12
  // accumulators plus its operands in the 16 vector registers only by spilling: 4x8 is faster.)
  const m4 = m & ~3;
  const m2 = m - m4 >= 2 ? m4 + 2 : m4;
  const rowBiasTiles = gRowBiasOnly && rowBias != 0;
  if (<usize>m4 * ldaBytes > <usize>panels * panelBytes) {
    // A is the larger operand (many rows, few columns: a network's last 1x1 convolutions): four
    // rows of A stay in cache across every panel, and B is what is read again
    for (let i = 0; i < m4; i += 4) {
      const ai = a + <usize>i * ldaBytes;
      const ci = c + <usize>i * ldcBytes;
      if (rowBiasTiles) {
        for (let p = 0; p < panels; p++) {
          const col = p * PANEL;
          tile4x8RowBias(ai, ldaBytes, bp + <usize>p * panelBytes, k, ci + <usize>col * 4, ldcBytes, col, min(PANEL, n - col), i);
        }
      } else {
        for (let p = 0; p < panels; p++) {
          const col = p * PANEL;
          tile4x8(ai, ldaBytes, bp + <usize>p * panelBytes, k, ci + <usize>col * 4, ldcBytes, col, min(PANEL, n - col), i);
        }
      }
    }
  } else {
    // B is the larger: each panel is read from memory once and stays in cache for all the row tiles.
    // Panels go in pairs whose first four rows take two 2x16 tiles: the first fetches both panels
    // from memory as two streams at once, where a 4x8 tile would wait on one stream at a time.
    let p = 0;
    if (!rowBiasTiles && m4 >= 4) {
      for (; p + 2 <= panels; p += 2) {
        const col = p * PANEL;
        const b = bp + <usize>p * panelBytes;
        const cp = c + <usize>col * 4;
        const width = min(PANEL, n - col - PANEL);
        tile2x16(a, ldaBytes, b, panelBytes, k, cp, ldcBytes, col, width, 0);
        tile2x16(a + 2 * ldaBytes, ldaBytes, b, panelBytes, k, cp + 2 * ldcBytes, ldcBytes, col, width, 2);
        for (let q = 0; q < 2; q++) {
          const bq = b + <usize>q * panelBytes;
          const cq = cp + <usize>q * PANEL * 4;
          const wq = min(PANEL, n - col - q * PANEL);
          for (let i = 4; i < m4; i += 4) {
            tile4x8(a + <usize>i * ldaBytes, ldaBytes, bq, k, cq + <usize>i * ldcBytes, ldcBytes, col + q * PANEL, wq, i);
          }
        }
      }
    }
    for (; p < panels; p++) {
      const col = p * PANEL;
      const width = min(PANEL, n - col);
      const b = bp + <usize>p * panelBytes;
      const cp = c + <usize>col * 4;
      if (rowBiasTiles) {
        for (let i = 0; i < m4; i += 4) {
          tile4x8RowBias(a + <usize>i * ldaBytes, ldaBytes, b, k, cp + <usize>i * ldcBytes, ldcBytes, col, width, i);
        }
      } else {
        for (let i = 0; i < m4; i += 4) {
          tile4x8(a + <usize>i * ldaBytes, ldaBytes, b, k, cp + <usize>i * ldcBytes, ldcBytes, col, width, i);
        }
      }
    }
  }
  if (m == m4) return;
  for (let p = 0; p < panels; p++) {
    const col = p * PANEL;
    const width = min(PANEL, n - col);
    const b = bp + <usize>p * panelBytes;
    const cp = c + <usize>col * 4;
    if (m2 > m4) tile2x8(a + <usize>m4 * ldaBytes, ldaBytes, b, k, cp + <usize>m4 * ldcBytes, ldcBytes, col, width, m4);
    if (m > m2) tile1x8(a + <usize>m2 * ldaBytes, b, k, cp + <usize>m2 * ldcBytes, col, width, m2);
  }
}

