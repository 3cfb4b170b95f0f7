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
 * Where row kk of a panel of B is: packed panels advance PANEL floats per k; a convolution read in
 * place ("direct") finds row kk at `b` plus the byte offset offs[kk] of kernel tap kk in the image.
 */
// @ts-ignore: decorator
@inline
function panelRow(b: usize, offs: usize, kk: i32, direct: bool): usize {
  return direct ? b + <usize>load<u32>(offs + <usize>kk * 4) : b + <usize>kk * (PANEL * 4);
}

/** Four rows of A against one panel of B: an 4x8 tile of C. */
function tile4x8(a: usize, lda: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile4x8Body(a, lda, b, 0, k, c, ldc, col, width, row, false);
}
function tile4x8Direct(a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile4x8Body(a, lda, b, offs, k, c, ldc, col, width, row, true);
}
// @ts-ignore: decorator
@inline
function tile4x8Body(a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32, direct: bool): void {
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
  storeTile(c00, c01, c, col, width, row);
  storeTile(c10, c11, c + ldc, col, width, row + 1);
  storeTile(c20, c21, c + 2 * ldc, col, width, row + 2);
  storeTile(c30, c31, c + 3 * ldc, col, width, row + 3);
}

/** Two rows of A against one panel of B: a 2x8 tile of C (rows past the 4-row blocks). */
function tile2x8(a: usize, lda: usize, b: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
  tile2x8Body(a, lda, b, 0, k, c, ldc, col, width, row, false);
}
function tile2x8Direct(a: usize, lda: usize, b: usize, offs: usize, k: i32, c: usize, ldc: usize, col: i32, width: i32, row: i32): void {
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
function tile1x8(a: usize, b: usize, k: i32, c: usize, col: i32, width: i32, row: i32): void {
  tile1x8Body(a, b, 0, k, c, col, width, row, false);
}
function tile1x8Direct(a: usize, b: usize, offs: usize, k: i32, c: usize, col: i32, width: i32, row: i32): void {
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
  if (m == 1) {
    // one row: three panels at once (six independent accumulator chains)
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
  // Four-row blocks of A read in place, then the m % 4 rows left, panel by panel: each panel of B
  // is read from memory once and stays in cache for all the row tiles. (A 6x8 tile keeps 12
  // accumulators plus its operands in the 16 vector registers only by spilling: 4x8 is faster.)
  const m4 = m & ~3;
  const m2 = m - m4 >= 2 ? m4 + 2 : m4;
  for (let p = 0; p < panels; p++) {
    const col = p * PANEL;
    const width = min(PANEL, n - col);
    const b = bp + <usize>p * panelBytes;
    const cp = c + <usize>col * 4;
    for (let i = 0; i < m4; i += 4) {
      tile4x8(a + <usize>i * ldaBytes, ldaBytes, b, k, cp + <usize>i * ldcBytes, ldcBytes, col, width, i);
    }
    if (m2 > m4) tile2x8(a + <usize>m4 * ldaBytes, ldaBytes, b, k, cp + <usize>m4 * ldcBytes, ldcBytes, col, width, m4);
    if (m > m2) tile1x8(a + <usize>m2 * ldaBytes, b, k, cp + <usize>m2 * ldcBytes, col, width, m2);
  }
}

// ---------------------------------------------------------------------------------------------
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
 * Panels of 8 output positions whose taps all lie inside the image (stride 1 across) read B in
 * place: row kk of the panel is the image at a fixed byte offset offs[kk] from the panel's first
 * tap. Other panels (padding, strides) are im2col'd one at a time into `panel` (K x 8 floats).
 *
 * `w` is the group's filters (M x K, row-major), `offs` scratch for K u32, `ap` scratch for
 * packA8 ((M - M % 8) * K floats). Images are `imageStride` floats apart in `x` (which must be followed by
 * at least 8 readable floats), `outImageStride` in `y`.
 */
export function convGroup(
  x: usize, imageStride: i32, images: i32, C: i32, H: i32, W: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, DH: i32, DW: i32,
  OH: i32, OW: i32, w: usize, M: i32, offs: usize, panel: usize, ap: usize,
  y: usize, outImageStride: i32, rowBias: usize, lo: f32, hi: f32,
): void {
  gAlpha = f32x4.splat(1);
  gRowBias = rowBias;
  gLo = f32x4.splat(lo);
  gHi = f32x4.splat(hi);
  gBias = 0;
  gAccumulate = false;
  const K = C * KH * KW;
  const kBytes = <usize>K * 4;
  const m8 = M & ~7;
  if (m8 > 0) packA8(w, K, M, ap);
  for (let ci = 0, kk = 0; ci < C; ci++) {
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++, kk++) {
        store<u32>(offs + <usize>kk * 4, <u32>(((ci * H + ky * DH) * W + kx * DW) * 4));
      }
    }
  }
  const ldc = <usize>OH * <usize>OW * 4;
  const lastTapY = (KH - 1) * DH;
  const lastTapX = (KW - 1) * DW;
  for (let img = 0; img < images; img++) {
    const image = x + <usize>img * <usize>imageStride * 4;
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PH;
      const rowInside = iy0 >= 0 && iy0 + lastTapY < H;
      const cRow = y + (<usize>img * <usize>outImageStride + <usize>oy * <usize>OW) * 4;
      for (let ox0 = 0; ox0 < OW; ox0 += PANEL) {
        const width = min(PANEL, OW - ox0);
        const ix0 = ox0 * SW - PW;
        // taps of the lanes that are stored must lie inside the row; lanes past OW read on harmlessly
        const direct = rowInside && SW == 1 && ix0 >= 0 && ix0 + width - 1 + lastTapX < W;
        let b: usize;
        if (direct) {
          b = image + (<usize>iy0 * <usize>W + <usize>ix0) * 4;
        } else {
          im2colPanel(image, C, H, W, KH, KW, SH, SW, PH, PW, DH, DW, oy, ox0, panel);
          b = panel;
        }
        const c = cRow + <usize>ox0 * 4;
        // half panels (narrow outputs) in blocks of eight filters, then 4-, 2- and 1-row tiles
        let r0 = 0;
        if (direct && width <= 4) {
          for (; r0 < m8; r0 += 8) tile8x4Direct(ap + <usize>r0 * kBytes, b, offs, K, c + <usize>r0 * ldc, ldc, ox0, width, r0);
        }
        const m4 = r0 + ((M - r0) & ~3);
        const m2 = M - m4 >= 2 ? m4 + 2 : m4;
        for (let i = r0; i < m4; i += 4) {
          const a = w + <usize>i * kBytes;
          if (direct) tile4x8Direct(a, kBytes, b, offs, K, c + <usize>i * ldc, ldc, ox0, width, i);
          else tile4x8(a, kBytes, b, K, c + <usize>i * ldc, ldc, ox0, width, i);
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
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// MaxPool 2x2 (no padding or dilation, every window inside the image), as the JavaScript kernel
// computes it: best = x00, then x01, x10, x11 each replace it only when greater (`best < v`), which
// is exactly f32x4.pmax and keeps the JavaScript path's NaN and signed-zero results. Branch-free.

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
 * Copies `planes` planes of H x W floats from `src` into zero-padded planes of HP x WP at `dst`,
 * each at row PT and column PL. A convolution over the padded planes needs no padding of its own,
 * so every stride-1 panel reads its taps in place (a padding tap reads 0, the value im2col writes).
 */
export function padPlanes(src: usize, dst: usize, planes: i32, H: i32, W: i32, PT: i32, PL: i32, HP: i32, WP: i32): void {
  memory.fill(dst, 0, <usize>planes * <usize>HP * <usize>WP * 4);
  const rowBytes = <usize>W * 4;
  for (let p = 0; p < planes; p++) {
    let s = src + <usize>p * <usize>H * rowBytes;
    let d = dst + ((<usize>p * <usize>HP + <usize>PT) * <usize>WP + <usize>PL) * 4;
    for (let y = 0; y < H; y++) {
      memory.copy(d, s, rowBytes);
      s += rowBytes;
      d += <usize>WP * 4;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// LayerNormalization over float32 rows, statistics in double as the JavaScript kernel computes
// them (sum and sum of squares, var = E[x^2] - mean^2), and each output
//   y = f32((f64(x) - mean) * inv * f64(scale) + f64(bias))
// with the same operations in the same order as the JavaScript loop.

/** Rows of `inner` floats at x -> y; `bias` 0 means none. */
export function layerNorm(x: usize, y: usize, scale: usize, bias: usize, outer: i32, inner: i32, epsilon: f64): void {
  const inner4 = inner & ~3;
  const rowBytes = <usize>inner * 4;
  const invInner = 1.0 / <f64>inner;
  for (let r = 0; r < outer; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    let sLo = f64x2.splat(0);
    let sHi = f64x2.splat(0);
    let qLo = f64x2.splat(0);
    let qHi = f64x2.splat(0);
    let j = 0;
    for (; j < inner4; j += 4) {
      const v = v128.load(xr + <usize>j * 4);
      const lo = f64x2.promote_low_f32x4(v);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
      sLo = f64x2.add(sLo, lo);
      sHi = f64x2.add(sHi, hi);
      qLo = f64x2.add(qLo, f64x2.mul(lo, lo));
      qHi = f64x2.add(qHi, f64x2.mul(hi, hi));
    }
    const s2 = f64x2.add(sLo, sHi);
    const q2 = f64x2.add(qLo, qHi);
    let s = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let q = f64x2.extract_lane(q2, 0) + f64x2.extract_lane(q2, 1);
    for (; j < inner; j++) {
      const v = <f64>load<f32>(xr + <usize>j * 4);
      s += v;
      q += v * v;
    }
    const mean = s * invInner;
    const variance = max(0.0, q * invInner - mean * mean);
    const inv = 1.0 / sqrt(variance + epsilon);
    const m2 = f64x2.splat(mean);
    const i2 = f64x2.splat(inv);
    j = 0;
    for (; j < inner4; j += 4) {
      const off = <usize>j * 4;
      const v = v128.load(xr + off);
      const sv = v128.load(scale + off);
      let lo = f64x2.mul(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), m2), i2), f64x2.promote_low_f32x4(sv));
      let hi = f64x2.mul(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), m2), i2), f64x2.promote_low_f32x4(i32x4.shuffle(sv, sv, 2, 3, 0, 1)));
      if (bias != 0) {
        const bv = v128.load(bias + off);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(bv));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(bv, bv, 2, 3, 0, 1)));
      }
      v128.store(yr + off, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
    for (; j < inner; j++) {
      const off = <usize>j * 4;
      let v = (<f64>load<f32>(xr + off) - mean) * inv * <f64>load<f32>(scale + off);
      if (bias != 0) v += <f64>load<f32>(bias + off);
      store<f32>(yr + off, <f32>v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tree ensembles whose splits are all BRANCH_LEQ on float32 thresholds and whose leaves carry one
// float32 weight each, summed (the common regressor / gradient-boosting case). Nodes are 16 bytes:
//   [0] byte offset of the feature in a row, [4] threshold (f32), [8] address of the false child
//   (the true child follows it, 16 bytes on), [12] the leaf's weight (f32).
// A step is branch-free: next = child + 16 * (x[feature] <= threshold). A leaf has threshold NaN
// (the comparison is false) and child = itself, so every row of a tree can take the tree's full
// depth in steps, and eight rows walk in lockstep. f32.le is exactly onnxruntime's float32
// comparison: NaN goes to the false child, -0 equals +0. Each row adds its trees in order.

// @ts-ignore: decorator
@inline
function treeStep(a: usize, xr: usize): usize {
  return <usize>load<u32>(a, 8) + (<usize>(load<f32>(xr + <usize>load<u32>(a)) <= load<f32>(a, 4)) << 4);
}

// @ts-ignore: decorator
@inline
function addLeaf(a: usize, nodes: usize, targets: usize, row: i32, nTargets: i32, score: usize, has: usize, double: bool): void {
  const j = <usize>(row * nTargets + load<i32>(targets + ((a - nodes) >> 2)));
  const w = load<f32>(a, 12);
  if (double) store<f64>(score + (j << 3), load<f64>(score + (j << 3)) + <f64>w);
  else store<f32>(score + (j << 2), load<f32>(score + (j << 2)) + w);
  store<u8>(has + j, 1);
}

/**
 * Adds, for rows 0..n-1 of x (row stride rowBytes), the leaf weight of every tree (roots: node
 * addresses, depths: steps, both i32 per tree) into score[row * nTargets + target] (f64 when
 * `double`, else f32) and sets has[...] = 1. targets: i32 per node (the leaf's target).
 */
export function treeSums(nodes: usize, targets: usize, roots: usize, depths: usize, trees: i32, x: usize, rowBytes: i32, n: i32, nTargets: i32, score: usize, has: usize, double: i32): void {
  const dbl = double != 0;
  const rb = <usize>rowBytes;
  let row = 0;
  for (; row + 8 <= n; row += 8) {
    const x0 = x + <usize>row * rb;
    const x1 = x0 + rb;
    const x2 = x1 + rb;
    const x3 = x2 + rb;
    const x4 = x3 + rb;
    const x5 = x4 + rb;
    const x6 = x5 + rb;
    const x7 = x6 + rb;
    for (let t = 0; t < trees; t++) {
      const root = <usize>load<u32>(roots + (<usize>t << 2));
      const steps = load<i32>(depths + (<usize>t << 2));
      let a0 = root, a1 = root, a2 = root, a3 = root, a4 = root, a5 = root, a6 = root, a7 = root;
      for (let s = 0; s < steps; s++) {
        a0 = treeStep(a0, x0);
        a1 = treeStep(a1, x1);
        a2 = treeStep(a2, x2);
        a3 = treeStep(a3, x3);
        a4 = treeStep(a4, x4);
        a5 = treeStep(a5, x5);
        a6 = treeStep(a6, x6);
        a7 = treeStep(a7, x7);
      }
      addLeaf(a0, nodes, targets, row, nTargets, score, has, dbl);
      addLeaf(a1, nodes, targets, row + 1, nTargets, score, has, dbl);
      addLeaf(a2, nodes, targets, row + 2, nTargets, score, has, dbl);
      addLeaf(a3, nodes, targets, row + 3, nTargets, score, has, dbl);
      addLeaf(a4, nodes, targets, row + 4, nTargets, score, has, dbl);
      addLeaf(a5, nodes, targets, row + 5, nTargets, score, has, dbl);
      addLeaf(a6, nodes, targets, row + 6, nTargets, score, has, dbl);
      addLeaf(a7, nodes, targets, row + 7, nTargets, score, has, dbl);
    }
  }
  for (; row < n; row++) {
    const xr = x + <usize>row * rb;
    for (let t = 0; t < trees; t++) {
      let a = <usize>load<u32>(roots + (<usize>t << 2));
      const steps = load<i32>(depths + (<usize>t << 2));
      for (let s = 0; s < steps; s++) a = treeStep(a, xr);
      addLeaf(a, nodes, targets, row, nTargets, score, has, dbl);
    }
  }
}
