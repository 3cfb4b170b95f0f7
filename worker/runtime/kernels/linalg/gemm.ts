/**
 * The float32 GEMM core shared by MatMul, Gemm, Conv, ConvTranspose, Attention (transformer/products.ts)
 * and the recurrent kernels (RNN, GRU, LSTM, through recurrent/gemm.ts):
 *
 *   out[i*n + j] (i < m, j < n) = clamp(alpha * sum_k op(A)[i][k] * op(B)[k][j]
 *                                       + bias[j] + (accumulate ? out[i*n + j] : 0)
 *                                       + (residual ? residual[i*n + j] : 0), min, max)
 *
 * followed by gelu(.) when `gelu` is set and by a softmax over each row of n when `softmax` is set
 * (a GELU or a Softmax the compiler folded into FusedMatMul).
 *
 * op(A) is m x k: A is stored row-major m x k from `aOffset`, or k x m when `transA`.
 * op(B) is k x n: B is stored row-major k x n from `bOffset`, or n x k when `transB`.
 * `out` is written m x n row-major from `outOffset`. Nothing else in the arrays is touched.
 *
 * Runs in WebAssembly SIMD when the kernels module is installed (see ../../wasm.ts), in blocked
 * JavaScript otherwise. Pass `weights` (a PackedWeights kept in the calling node's plan, for a B
 * that is a weight) to have B's packed form made once and reused; never pass it for activations.
 */
import type { PlanInput } from '../../kernel';
import { span } from '../../tensor';
import type { Floats } from '../common/tensor-types';
import { STAGING_FLOATS, wasmKernels, type WasmKernels } from '../../wasm';
import { geluLoopF32, softmaxRowsF32 } from '../math/float32-math';

export interface GemmOptions {
  /** @default false */
  readonly transA?: boolean;
  /** @default false */
  readonly transB?: boolean;
  /** @default 1 */
  readonly alpha?: number;
  /** n values added to every row (Gemm's vector C, Conv's per-channel bias). @default none */
  readonly bias?: Float32Array | null;
  /** Add the values already in `out` (Gemm's beta*C, pre-written by the caller). @default false */
  readonly accumulate?: boolean;
  /**
   * Values laid out as `out` (read from `outOffset`) added after the bias and before the clamp: a
   * residual Add folded into the product, (product + bias) + residual as the two nodes compute it.
   * Not with `accumulate`, which adds `out`'s own values at that step. @default none
   */
  readonly residual?: Float32Array | null;
  /** Fused activation as a clamp: Relu is {min: 0}. @default -Infinity / +Infinity */
  readonly min?: number;
  readonly max?: number;
  /**
   * Fused GELU after the clamp, in float32 arithmetic with the bits of a separate Gelu pass. It
   * applies to what this call writes: a caller splitting K over calls with `accumulate` must set
   * it on the last call only. @default false
   */
  readonly gelu?: boolean;
  /**
   * Softmax over each output row (its n values) after everything else, with the bits of a
   * separate Softmax pass over the last axis; like `gelu`, for the call that writes final sums.
   * @default false
   */
  readonly softmax?: boolean;
  /** The packed layouts of B, a weight, kept by the caller's plan. @default none (B packed per call) */
  readonly weights?: PackedWeights | null;
}

/**
 * A mutable GemmOptions for callers on the inference path: each call site keeps one and calls
 * `reset()` before setting the fields it needs, so that a GEMM call allocates no options object.
 * gemm() never keeps the options past the call, so one record per call site is enough.
 */
export class GemmCallOptions implements GemmOptions {
  transA = false;
  transB = false;
  alpha = 1;
  bias: Float32Array | null = null;
  accumulate = false;
  residual: Float32Array | null = null;
  min = -Infinity;
  max = Infinity;
  gelu = false;
  softmax = false;
  weights: PackedWeights | null = null;

  /** Back to the defaults (and returns this). */
  reset(): this {
    this.transA = false;
    this.transB = false;
    this.alpha = 1;
    this.bias = null;
    this.accumulate = false;
    this.residual = null;
    this.min = -Infinity;
    this.max = Infinity;
    this.gelu = false;
    this.softmax = false;
    this.weights = null;
    return this;
  }
}

const DEFAULT_OPTIONS: GemmOptions = Object.freeze({});

/** Products smaller than this (m*n*k) run in JavaScript even with wasm installed: copying costs more. */
export const gemmTuning = { wasmMinWork: 256 };

export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  out: Float32Array,
  outOffset: number,
  options: GemmOptions = DEFAULT_OPTIONS,
): void {
  if (m === 0 || n === 0) return;
  if (options.residual && options.accumulate === true) {
    throw new Error('gemm: `residual` and `accumulate` both add values after the bias; pass one of them (add the residual into out first and set accumulate)');
  }
  const wk = wasmKernels();
  if (wk !== null && m * n * k >= gemmTuning.wasmMinWork) gemmWasm(wk, m, n, k, a, aOffset, b, bOffset, out, outOffset, options);
  else gemmJs(m, n, k, a, aOffset, b, bOffset, out, outOffset, options);
}

/** One options record for gemmFloats' float32 calls (gemm() does not keep it). */
const FLOATS_OPTIONS = new GemmCallOptions();

/**
 * gemm() for float32 or float64 data, for callers that take either (attention, the recurrent
 * cells): out = alpha * A * op(B) with A m x k and B k x n (or n x k when `transB`), all rows
 * contiguous. float32 goes to gemm(); float64, which gemm does not take, runs this plain loop.
 */
export function gemmFloats(
  m: number, n: number, k: number,
  a: Floats, aOffset: number,
  b: Floats, bOffset: number,
  out: Floats, outOffset: number,
  transB: boolean, alpha = 1, weights: PackedWeights | null = null,
): void {
  if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
    const options = FLOATS_OPTIONS.reset();
    options.transB = transB;
    options.alpha = alpha;
    options.weights = weights;
    gemm(m, n, k, a, aOffset, b, bOffset, out, outOffset, options);
    return;
  }
  for (let i = 0; i < m; i++) {
    const aRow = aOffset + i * k;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      if (transB) {
        const bRow = bOffset + j * k;
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      } else {
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bOffset + p * n + j];
      }
      out[outOffset + i * n + j] = alpha * sum;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// WebAssembly path

const PANEL = 8;
/** Columns per group of the one-row layout (worker/wasm/gemv.as.ts): three panels. */
const GEMV_GROUP = 3 * PANEL;

/**
 * How B is packed in wasm memory: plain panels for the GEMM tiles (worker/wasm/gemm.as.ts), or the
 * one-row layout, where panels are interleaved in groups of three so that a GEMV (m == 1) streams
 * B as one sequence (worker/wasm/gemv.as.ts). Both take the same number of floats.
 */
type BLayout = 'panels' | 'gemv';

interface PackedB {
  readonly offset: number;
  readonly trans: boolean;
  readonly layout: BLayout;
  readonly k: number;
  readonly n: number;
  readonly ptr: number;
}

interface TransposedB {
  readonly offset: number;
  readonly k: number;
  readonly n: number;
  readonly data: Float32Array;
}

/**
 * The packed layouts of one weight used as B: panels in WebAssembly memory (per kernels instance)
 * and, for the JavaScript path, B^T made row-major. A node's plan owns one per weight input (and
 * carries it over when it plans again), so each layout is made once per session and node.
 */
export class PackedWeights {
  /** the kernels instance's generation of persistent blocks that `packed` points into */
  private generation: object | null = null;
  private packed: PackedB[] = [];
  private readonly transposed: TransposedB[] = [];

  /** The wasm copy of B at (offset, trans, k, n) in `layout` in `wk`'s memory, if packed before. */
  findPacked(wk: WasmKernels, offset: number, trans: boolean, layout: BLayout, k: number, n: number): number | undefined {
    if (this.generation !== wk.persistentGeneration) return undefined;
    const list = this.packed;
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (p.offset === offset && p.trans === trans && p.layout === layout && p.k === k && p.n === n) return p.ptr;
    }
    return undefined;
  }

  addPacked(wk: WasmKernels, offset: number, trans: boolean, layout: BLayout, k: number, n: number, ptr: number): void {
    if (this.generation !== wk.persistentGeneration) {
      // another kernels instance or generation: the old panels are in memory given back
      this.generation = wk.persistentGeneration;
      this.packed = [];
    }
    this.packed.push({ offset, trans, layout, k, n, ptr });
  }

  /** B^T of the n x k block at `offset`, row-major k x n (made on first use). */
  transposedOf(b: Float32Array, offset: number, k: number, n: number): Float32Array {
    const list = this.transposed;
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (t.offset === offset && t.k === k && t.n === n) return t.data;
    }
    const data = transpose(b, offset, n, k, new Float32Array(k * n));
    list.push({ offset, k, n, data });
    return data;
  }
}

function packedFloats(k: number, n: number): number {
  return Math.ceil(n / PANEL) * PANEL * k;
}

/**
 * Packs B into `dst` (which must not be scratch handed out later) in `layout`. B goes into wasm
 * memory a slice at a time through the staging area (one `set` per slice, then SIMD packing inside
 * the module), so the only fresh memory touched is the packed copy itself.
 */
function packInto(wk: WasmKernels, dst: number, b: Float32Array, bOffset: number, trans: boolean, layout: BLayout, k: number, n: number): void {
  // B (k x n) goes in slices of its rows, each written at its row offset in every panel or group;
  // B^T (n x k) in slices of whole panels (8 of its rows) or GEMV groups (24)
  const outer = trans ? n : k;
  const inner = trans ? k : n;
  const unit = trans ? (layout === 'gemv' ? GEMV_GROUP : PANEL) : 1;
  const step = Math.floor(STAGING_FLOATS / (inner * unit)) * unit;
  if (step === 0) {
    // B too wide for the staging area: copied whole into scratch and packed from there
    const raw = wk.allocScratch(k * n);
    wk.f32.set(b.subarray(bOffset, bOffset + k * n), raw >> 2);
    packSlice(wk, layout, trans, raw, 0, outer, dst, k, n);
    return;
  }
  const staging = wk.staging;
  for (let r0 = 0; r0 < outer; r0 += step) {
    const count = Math.min(step, outer - r0);
    wk.f32.set(b.subarray(bOffset + r0 * inner, bOffset + (r0 + count) * inner), staging >> 2);
    packSlice(wk, layout, trans, staging, r0, count, dst, k, n);
  }
}

/** Packs `count` stored rows of B (or B^T) from `r0` on, read at `src`, into their places at `dst`. */
function packSlice(wk: WasmKernels, layout: BLayout, trans: boolean, src: number, r0: number, count: number, dst: number, k: number, n: number): void {
  const e = wk.exports;
  if (layout === 'gemv') {
    if (trans) e.packGemv(src, k, 1, k, count, 0, r0, dst, k, n);
    else e.packGemv(src, n, 0, count, n, r0, 0, dst, k, n);
  } else if (trans) {
    e.packB(src, k, k, count, 1, dst + (r0 / PANEL) * k * PANEL * 4, k);
  } else {
    e.packB(src, n, count, n, 0, dst + r0 * PANEL * 4, k);
  }
}

/**
 * The kept copy of the weight B in `layout`, packed now on first use; undefined when the
 * persistent budget has no room for it. Starts a new call (scratch handed out before is free).
 */
function keptB(wk: WasmKernels, b: Float32Array, bOffset: number, trans: boolean, layout: BLayout, k: number, n: number, weights: PackedWeights): number | undefined {
  const hit = weights.findPacked(wk, bOffset, trans, layout, k, n);
  if (hit !== undefined) return hit;
  const ptr = wk.allocPersistent(packedFloats(k, n), weights);
  if (ptr === null) return undefined;
  wk.beginCall();
  packInto(wk, ptr, b, bOffset, trans, layout, k, n);
  wk.beginCall();
  weights.addPacked(wk, bOffset, trans, layout, k, n, ptr);
  return ptr;
}

/**
 * The wasm panels of B (k x n, or B^T n x k stored when `trans`) at `bOffset` of `b`: kept once per
 * kernels instance in `weights`' persistent blocks when given (and within the budget), else packed
 * into the call's scratch. Call right after `beginCall`: a persistent pack starts the scratch afresh.
 */
export function packedB(wk: WasmKernels, b: Float32Array, bOffset: number, trans: boolean, k: number, n: number, weights: PackedWeights | null | undefined): number {
  const kept = weights ? keptB(wk, b, bOffset, trans, 'panels', k, n, weights) : undefined;
  if (kept !== undefined) return kept;
  const ptr = wk.allocScratch(packedFloats(k, n));
  packInto(wk, ptr, b, bOffset, trans, 'panels', k, n);
  return ptr;
}

function gemmWasm(
  wk: WasmKernels,
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  out: Float32Array, outOffset: number,
  options: GemmOptions,
): void {
  wk.beginCall();
  const trans = options.transB === true;
  const weights = options.weights ?? null;
  // one row (a GEMV) streams B once: the layout that reads it as one sequence
  let layout: BLayout = m === 1 ? 'gemv' : 'panels';
  let bp = weights ? keptB(wk, b, bOffset, trans, layout, k, n, weights) : undefined;
  if (bp === undefined && weights) {
    // no room for this layout: a copy kept in the other one (a session that ran the other batch
    // size first) still costs less than packing B per call
    const other: BLayout = layout === 'gemv' ? 'panels' : 'gemv';
    bp = weights.findPacked(wk, bOffset, trans, other, k, n);
    if (bp !== undefined) layout = other;
  }
  if (bp === undefined) {
    bp = wk.allocScratch(packedFloats(k, n));
    packInto(wk, bp, b, bOffset, trans, layout, k, n);
  }
  const aPtr = wk.allocScratch(m * k);
  // C rows padded to whole panels: every tile store is a full vector store (no lane-by-lane tail)
  const ldc = Math.ceil(n / PANEL) * PANEL;
  const cPtr = wk.allocScratch(m * ldc);
  const bias = options.bias;
  const biasPtr = bias ? wk.allocScratch(Math.ceil(n / PANEL) * PANEL) : 0;
  const heap = wk.f32; // after the last allocation: no grow can detach it below
  const aBase = aPtr >> 2;
  if (options.transA) {
    for (let kk = 0; kk < k; kk++) {
      const src = aOffset + kk * m;
      for (let i = 0; i < m; i++) heap[aBase + i * k + kk] = a[src + i];
    }
  } else {
    heap.set(span(a, aOffset, aOffset + m * k), aBase);
  }
  if (bias) {
    heap.set(span(bias, 0, n), biasPtr >> 2);
    heap.fill(0, (biasPtr >> 2) + n, (biasPtr >> 2) + ldc);
  }
  // the values the epilogue adds after the bias go into C first: out's own or a residual's
  const addend = options.residual ?? (options.accumulate === true ? out : null);
  const accumulate = addend !== null;
  const cBase = cPtr >> 2;
  if (addend !== null) {
    if (ldc === n) heap.set(span(addend, outOffset, outOffset + m * n), cBase);
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) heap[cBase + i * ldc + j] = addend[outOffset + i * n + j];
  }
  const alpha = options.alpha ?? 1;
  const lo = options.min ?? -Infinity;
  const hi = options.max ?? Infinity;
  // plain panels take any m (one row over them: worker/wasm/gemm.as.ts); the one-row layout takes
  // rows one at a time (several only in the fallback above)
  if (layout === 'panels') wk.exports.gemm(m, ldc, k, aPtr, k, bp, cPtr, ldc, alpha, biasPtr, accumulate ? 1 : 0, lo, hi, 0);
  else for (let i = 0; i < m; i++) wk.exports.gemv(n, k, aPtr + i * k * 4, bp, cPtr + i * ldc * 4, alpha, biasPtr, accumulate ? 1 : 0, lo, hi);
  // GELU and softmax in place, before the copy out, with the loops of the Gelu and Softmax kernels
  // (the same bits): separate nodes would copy the product in and out again. One pass over C
  // timed faster than GELU inside the GEMM, whether each tile's rows were activated as they were
  // stored or each block of C once its tiles were done: GELU's cost is its arithmetic (long
  // dependency chains, which the pass runs four at a time), not reading C again, and a block of C
  // is a column strip whose rows, ldc apart, share a few cache sets. It also leaves the tiles
  // alone. The GELU of C's padding columns is computed and never read.
  if (options.gelu === true) wk.exports.geluF32(cPtr, 0, cPtr, 1, m * ldc);
  if (options.softmax === true) wk.exports.softmaxRows(cPtr, cPtr, m, n, ldc);
  if (ldc === n) out.set(wk.view(cPtr, m * n), outOffset);
  else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[outOffset + i * n + j] = heap[cBase + i * ldc + j];
}

// ---------------------------------------------------------------------------------------------
// JavaScript path: i-k-j order over 4 rows at a time, B read as contiguous rows.

let rowScratch = new Float32Array(256);
let bScratch = new Float32Array(256);
let rowsAfterScratch = new Float32Array(256);

/**
 * B as row-major k x n, transposing (once per weight, kept in its PackedWeights) when stored
 * n x k. A transposed copy starts at 0; B itself keeps `bOffset`.
 */
function rowMajorB(b: Float32Array, bOffset: number, transB: boolean, k: number, n: number, weights: PackedWeights | null | undefined): Float32Array {
  if (!transB) return b;
  if (weights) return weights.transposedOf(b, bOffset, k, n);
  if (bScratch.length < k * n) bScratch = new Float32Array(k * n);
  return transpose(b, bOffset, n, k, bScratch);
}

/** dst (cols x rows) = transpose of src (rows x cols, from offset). */
function transpose(src: Float32Array, offset: number, rows: number, cols: number, dst: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) {
    const s = offset + r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s + c];
  }
  return dst;
}

function gemmJs(
  m: number, n: number, k: number,
  a: Float32Array, aOffset: number,
  b: Float32Array, bOffset: number,
  out: Float32Array, outOffset: number,
  options: GemmOptions,
): void {
  const B = rowMajorB(b, bOffset, options.transB === true, k, n, options.weights);
  const bo = options.transB === true ? 0 : bOffset;
  const transA = options.transA === true;
  // element (i, kk) of op(A)
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  if (rowScratch.length < 4 * n) rowScratch = new Float32Array(4 * n);
  const acc = rowScratch;
  const alpha = options.alpha ?? 1;
  const bias = options.bias ?? null;
  const accumulate = options.accumulate === true;
  const residual = options.residual ?? null;
  const lo = options.min ?? -Infinity;
  const hi = options.max ?? Infinity;
  const gelu = options.gelu === true;
  const softmax = options.softmax === true;
  const rowsAfter = gelu || softmax;
  if (rowsAfter && rowsAfterScratch.length < 4 * n) rowsAfterScratch = new Float32Array(4 * n);

  for (let i0 = 0; i0 < m; i0 += 4) {
    const rows = Math.min(4, m - i0);
    acc.fill(0, 0, rows * n);
    if (rows === 4) {
      const p0 = aOffset + i0 * aRow;
      const p1 = p0 + aRow;
      const p2 = p1 + aRow;
      const p3 = p2 + aRow;
      const n2 = 2 * n;
      const n3 = 3 * n;
      for (let kk = 0; kk < k; kk++) {
        const ak = kk * aCol;
        const x0 = a[p0 + ak];
        const x1 = a[p1 + ak];
        const x2 = a[p2 + ak];
        const x3 = a[p3 + ak];
        const br = bo + kk * n;
        for (let j = 0; j < n; j++) {
          const v = B[br + j];
          acc[j] += x0 * v;
          acc[n + j] += x1 * v;
          acc[n2 + j] += x2 * v;
          acc[n3 + j] += x3 * v;
        }
      }
    } else {
      for (let r = 0; r < rows; r++) {
        const p = aOffset + (i0 + r) * aRow;
        const base = r * n;
        for (let kk = 0; kk < k; kk++) {
          const x = a[p + kk * aCol];
          const br = bo + kk * n;
          for (let j = 0; j < n; j++) acc[base + j] += x * B[br + j];
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      const o = outOffset + (i0 + r) * n;
      const base = r * n;
      for (let j = 0; j < n; j++) {
        let v = alpha * acc[base + j];
        if (bias !== null) v += bias[j];
        if (accumulate) v += out[o + j];
        // the product rounded to float32 first, as the separate Add reads it
        if (residual !== null) v = Math.fround(v) + residual[o + j];
        v = v < lo ? lo : v > hi ? hi : v;
        // with GELU or softmax to follow, the float32 value waits in the accumulator row
        if (rowsAfter) acc[base + j] = v;
        else out[o + j] = v;
      }
    }
    if (rowsAfter) finishRows(acc, rows, n, gelu, softmax, out, outOffset + i0 * n);
  }
}

/** GELU and then softmax over `rows` finished rows of n in `acc`, written to `out` from `o`. */
function finishRows(acc: Float32Array, rows: number, n: number, gelu: boolean, softmax: boolean, out: Float32Array, o: number): void {
  let y = acc;
  if (gelu) {
    geluLoopF32(acc, null, 1, rowsAfterScratch, rows * n);
    y = rowsAfterScratch;
  }
  if (softmax) {
    softmaxRowsF32(y, rowsAfterScratch, rows, n);
    y = rowsAfterScratch;
  }
  for (let j = 0; j < rows * n; j++) out[o + j] = y[j];
}

/** The part of a plan that kernels over the GEMM share: the output shape and the weight's layouts. */
export interface WeightedPlan {
  readonly outShape: readonly number[];
  /** the packed layouts of the weight operand (B, W), when it is a weight */
  readonly weights: PackedWeights | null;
}

/**
 * The PackedWeights for a plan's B input: null unless B is a weight; the previous plan's when the
 * node plans again (the weight is the same tensor, so its layouts still hold).
 */
export function packedWeightsFor(b: PlanInput | undefined, previous: PackedWeights | null | undefined): PackedWeights | null {
  return b?.value === undefined ? null : previous ?? new PackedWeights();
}
