// WebAssembly SIMD (f32x4) kernels for float32 GEMM, compiled ahead of time with AssemblyScript
// (`node scripts/build-wasm.mjs`). Everything works on raw byte addresses into linear memory; the
// JavaScript side (worker/runtime/wasm.ts) owns the memory layout and never calls an allocator here.
//
// Layout of a packed B ("panels"): B[k][n] is cut into panels of PANEL = 8 columns; panel p holds,
// for kk = 0..k-1, the 8 floats B[kk][8p .. 8p+8) contiguously (zero-padded past n). A microkernel
// then reads one panel row with two aligned-free v128 loads per k step.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

const PANEL: i32 = 8;

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
    const width = min(PANEL, n - j0);
    let out = dst + (<usize>p * <usize>panelK * PANEL) * 4;
    if (!trans) {
      if (width == PANEL) {
        for (let kk = 0; kk < k; kk++) {
          const row = src + <usize>kk * ldbBytes + <usize>j0 * 4;
          v128.store(out, v128.load(row));
          v128.store(out, v128.load(row, 16), 16);
          out += PANEL * 4;
        }
      } else {
        for (let kk = 0; kk < k; kk++) {
          const row = src + <usize>kk * ldbBytes + <usize>j0 * 4;
          v128.store(out, f32x4.splat(0));
          v128.store(out, f32x4.splat(0), 16);
          for (let j = 0; j < width; j++) store<f32>(out + <usize>j * 4, load<f32>(row + <usize>j * 4));
          out += PANEL * 4;
        }
      }
    } else if (width == PANEL) {
      // eight rows of B^T, four k at a time: two 4x4 transposes in registers
      const s0 = src + <usize>j0 * ldbBytes;
      const k4 = k & ~3;
      let kk = 0;
      for (; kk < k4; kk += 4) {
        const s = s0 + <usize>kk * 4;
        transpose4Store(
          v128.load(s), v128.load(s + ldbBytes), v128.load(s + 2 * ldbBytes), v128.load(s + 3 * ldbBytes), out,
        );
        transpose4Store(
          v128.load(s + 4 * ldbBytes), v128.load(s + 5 * ldbBytes), v128.load(s + 6 * ldbBytes), v128.load(s + 7 * ldbBytes), out + 16,
        );
        out += 4 * PANEL * 4;
      }
      for (; kk < k; kk++) {
        for (let j = 0; j < PANEL; j++) {
          store<f32>(out + <usize>j * 4, load<f32>(s0 + <usize>j * ldbBytes + <usize>kk * 4));
        }
        out += PANEL * 4;
      }
    } else {
      for (let kk = 0; kk < k; kk++) {
        v128.store(out, f32x4.splat(0));
        v128.store(out, f32x4.splat(0), 16);
        for (let j = 0; j < width; j++) {
          store<f32>(out + <usize>j * 4, load<f32>(src + <usize>(j0 + j) * ldbBytes + <usize>kk * 4));
        }
        out += PANEL * 4;
      }
    }
  }
}

/** Stores the transpose of the 4x4 block (rows r0..r3) as four vectors PANEL floats apart. */
// @ts-ignore: decorator
@inline
function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, out: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(out, i32x4.shuffle(t0, t1, 2, 3, 6, 7), PANEL * 4);
  v128.store(out, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 2 * PANEL * 4);
  v128.store(out, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 3 * PANEL * 4);
}

// Epilogue parameters, set once per gemm call (module globals keep the microkernels' signatures short).
let gAlpha: v128 = f32x4.splat(1);
let gLo: v128 = f32x4.splat(-Infinity);
let gHi: v128 = f32x4.splat(Infinity);
let gBias: usize = 0;
let gRowBias: usize = 0;
let gAccumulate: bool = false;

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
  return f32x4.min(f32x4.max(r, gLo), gHi);
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
    x = max(x, f32x4.extract_lane(gLo, 0));
    x = min(x, f32x4.extract_lane(gHi, 0));
    store<f32>(c + <usize>j * 4, x);
  }
}

// @ts-ignore: decorator
@inline
function storeTile(v0: v128, v1: v128, c: usize, col: i32, width: i32, row: i32): void {
  const rb = rowBias(row);
  if (width == PANEL) {
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
 * Packs the first m - m % 6 rows of A (m x k, row stride lda floats) into blocks of six rows:
 * block q holds, for kk = 0..k-1, the floats A[6q .. 6q+6)[kk] contiguously.
 */
export function packA6(src: usize, lda: i32, m: i32, k: i32, dst: usize): void {
  const blocks = m / 6;
  const ldaBytes = <usize>lda * 4;
  for (let q = 0; q < blocks; q++) {
    const r0 = src + <usize>(q * 6) * ldaBytes;
    let out = dst + <usize>q * <usize>k * 24;
    for (let kk = 0; kk < k; kk++) {
      const p = r0 + <usize>kk * 4;
      store<f32>(out, load<f32>(p));
      store<f32>(out, load<f32>(p + ldaBytes), 4);
      store<f32>(out, load<f32>(p + 2 * ldaBytes), 8);
      store<f32>(out, load<f32>(p + 3 * ldaBytes), 12);
      store<f32>(out, load<f32>(p + 4 * ldaBytes), 16);
      store<f32>(out, load<f32>(p + 5 * ldaBytes), 20);
      out += 24;
    }
  }
}

/** A packed six-row block of A against one panel of B: a 6x8 tile of C (12 accumulators). */
function tile6x8(ap: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 16);
    c40 = f32x4.add(c40, f32x4.mul(x, b0));
    c41 = f32x4.add(c41, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 20);
    c50 = f32x4.add(c50, f32x4.mul(x, b0));
    c51 = f32x4.add(c51, f32x4.mul(x, b1));
    ap += 24;
    b += PANEL * 4;
  }
  storeTile(c00, c01, c, col, width, row);
  storeTile(c10, c11, c + ldc, col, width, row + 1);
  storeTile(c20, c21, c + 2 * ldc, col, width, row + 2);
  storeTile(c30, c31, c + 3 * ldc, col, width, row + 3);
  storeTile(c40, c41, c + 4 * ldc, col, width, row + 4);
  storeTile(c50, c51, c + 5 * ldc, col, width, row + 5);
}

/** Four rows of A against one panel of B: an 4x8 tile of C. */
function tile4x8(a: usize, lda: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
  for (let kk = 0; kk < k; kk++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += 4; a1 += 4; a2 += 4; a3 += 4;
    b += PANEL * 4;
  }
  storeTile(c00, c01, c, col, width, row);
  storeTile(c10, c11, c + ldc, col, width, row + 1);
  storeTile(c20, c21, c + 2 * ldc, col, width, row + 2);
  storeTile(c30, c31, c + 3 * ldc, col, width, row + 3);
}

/** One row of A against four full panels of B (32 columns): eight independent accumulators. */
function tile1x32(a: usize, b: usize, panelBytes: usize, k: i32, c: usize, col: i32, row: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  let p0 = b, p1 = b + panelBytes, p2 = b + 2 * panelBytes, p3 = b + 3 * panelBytes;
  for (let kk = 0; kk < k; kk++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(p0)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(p0, 16)));
    c2 = f32x4.add(c2, f32x4.mul(x, v128.load(p1)));
    c3 = f32x4.add(c3, f32x4.mul(x, v128.load(p1, 16)));
    c4 = f32x4.add(c4, f32x4.mul(x, v128.load(p2)));
    c5 = f32x4.add(c5, f32x4.mul(x, v128.load(p2, 16)));
    c6 = f32x4.add(c6, f32x4.mul(x, v128.load(p3)));
    c7 = f32x4.add(c7, f32x4.mul(x, v128.load(p3, 16)));
    a += 4;
    p0 += PANEL * 4; p1 += PANEL * 4; p2 += PANEL * 4; p3 += PANEL * 4;
  }
  storeTile(c0, c1, c, col, PANEL, row);
  storeTile(c2, c3, c + 32, col + 8, PANEL, row);
  storeTile(c4, c5, c + 64, col + 16, PANEL, row);
  storeTile(c6, c7, c + 96, col + 24, PANEL, row);
}

/**
 * One row of A against one panel. One accumulator chain per column, summed in k order exactly as
 * every other tile does: a column's result must not depend on which tile computed it (equal
 * columns of B give bitwise-equal outputs, and a row's result does not depend on the batch size).
 */
function tile1x8(a: usize, b: usize, k: i32, c: usize, col: i32, width: i32, row: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let kk = 0; kk < k; kk++) {
    const x = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(x, v128.load(b)));
    c1 = f32x4.add(c1, f32x4.mul(x, v128.load(b, 16)));
    a += 4;
    b += PANEL * 4;
  }
  storeTile(c0, c1, c, col, width, row);
}

/**
 * C (m x n, row stride ldc floats) = clamp(alpha * A·B + bias + (accumulate ? C : 0), lo, hi)
 * where A is m x k row-major (row stride lda floats), B is packed panels (see packB) and bias, when
 * its address is non-zero, holds n floats padded with readable memory up to a multiple of 8.
 * `rowBias`, when non-zero, holds m floats added to each row (a convolution's per-filter bias).
 * `ap` is scratch for packA6 (at least (m - m % 6) * k floats); the first rows run from there.
 */
export function gemm(
  m: i32, n: i32, k: i32,
  a: usize, lda: i32, ap: usize,
  bp: usize,
  c: usize, ldc: i32,
  alpha: f32, bias: usize, accumulate: i32, lo: f32, hi: f32, rowBias: usize,
): void {
  gAlpha = f32x4.splat(alpha);
  gRowBias = rowBias;
  gLo = f32x4.splat(lo);
  gHi = f32x4.splat(hi);
  gBias = bias;
  gAccumulate = accumulate != 0;
  const panels = (n + PANEL - 1) / PANEL;
  const panelBytes = <usize>k * PANEL * 4;
  const ldaBytes = <usize>lda * 4;
  const ldcBytes = <usize>ldc * 4;
  const m6 = m - m % 6;
  if (m6 > 0) packA6(a, lda, m, k, ap);
  const m4 = m - m % 6 >= 0 && m % 6 >= 4 ? m6 + 4 : m6;
  for (let p = 0; p < panels; p++) {
    const col = p * PANEL;
    const width = min(PANEL, n - col);
    const b = bp + <usize>p * panelBytes;
    for (let i = 0; i < m6; i += 6) {
      tile6x8(ap + <usize>i * <usize>k * 4, b, k, c + <usize>i * ldcBytes + <usize>col * 4, ldcBytes, col, width, i);
    }
    if (m4 > m6) tile4x8(a + <usize>m6 * ldaBytes, ldaBytes, b, k, c + <usize>m6 * ldcBytes + <usize>col * 4, ldcBytes, col, width, m6);
  }
  // Leftover rows (and the whole matrix when m < 4): one row at a time, four panels at once.
  for (let i = m4; i < m; i++) {
    const arow = a + <usize>i * ldaBytes;
    const crow = c + <usize>i * ldcBytes;
    let p = 0;
    const fullPanels = n / PANEL;
    for (; p + 4 <= fullPanels; p += 4) {
      tile1x32(arow, bp + <usize>p * panelBytes, panelBytes, k, crow + <usize>p * PANEL * 4, p * PANEL, i);
    }
    for (; p < panels; p++) {
      const col = p * PANEL;
      tile1x8(arow, bp + <usize>p * panelBytes, k, crow + <usize>col * 4, col, min(PANEL, n - col), i);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Convolution as GEMM: filters (M x C*KH*KW, row-major as stored) times the image columns.

/**
 * Writes the im2col matrix of `images` images straight into packed panels (see packB): column
 * j = (i * OH + oy) * OWP + ox holds the input values under output position (oy, ox) of image i,
 * row kk = (ci * KH + ky) * KW + kx (zero in padding). Output rows are padded to OWP, a multiple
 * of 8, so each panel covers 8 neighbouring positions of one output row; the lanes past OW are
 * computed and discarded. `x` is channel 0 of image 0; images are `imageStride` floats apart.
 * Only the output rows r = i * OH + oy in [row0, row0 + rows) are written (column 0 is row0's).
 */
export function im2colPanels(
  x: usize, imageStride: i32, C: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, DH: i32, DW: i32,
  OH: i32, OWP: i32, row0: i32, rows: i32, dst: usize,
): void {
  const panelsPerRow = OWP / PANEL;
  const panels = rows * panelsPerRow;
  let out = dst;
  const zero = f32x4.splat(0);
  for (let q = 0; q < panels; q++) {
    const ox0 = (q % panelsPerRow) * PANEL;
    const rowIndex = row0 + q / panelsPerRow;
    const oy = rowIndex % OH;
    const img = rowIndex / OH;
    const base = x + <usize>img * <usize>imageStride * 4;
    for (let ci = 0; ci < C; ci++) {
      const plane = base + <usize>ci * <usize>H * <usize>W * 4;
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
        for (let kx = 0; kx < KW; kx++) {
          const ix0 = ox0 * SW - PW + kx * DW;
          if (SW == 1 && ix0 >= 0 && ix0 + PANEL <= W) {
            const src = line + <usize>ix0 * 4;
            v128.store(out, v128.load(src));
            v128.store(out, v128.load(src, 16), 16);
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
}

/**
 * Copies the GEMM result C (M rows, row stride ldc floats, columns as in im2colPanels for the
 * output rows [row0, row0 + rows)) into NCHW order: filter m, image i, output row oy goes to
 * dst + i * imageStride + (m * OH + oy) * OW floats.
 */
export function scatterRows(
  c: usize, ldc: i32, M: i32, OH: i32, OW: i32, OWP: i32, row0: i32, rows: i32, dst: usize, imageStride: i32,
): void {
  const vecs = OW & ~3;
  for (let m = 0; m < M; m++) {
    const crow = c + <usize>m * <usize>ldc * 4;
    for (let r = 0; r < rows; r++) {
      const img = (row0 + r) / OH;
      const oy = (row0 + r) % OH;
      const s = crow + <usize>(r * OWP) * 4;
      const d = dst + (<usize>img * <usize>imageStride + (<usize>m * <usize>OH + <usize>oy) * <usize>OW) * 4;
      let j = 0;
      for (; j < vecs; j += 4) v128.store(d + <usize>j * 4, v128.load(s + <usize>j * 4));
      for (; j < OW; j++) store<f32>(d + <usize>j * 4, load<f32>(s + <usize>j * 4));
    }
  }
}
