/**
 * Transpose. The permutation becomes a strided view of the input, which is coalesced (axes that
 * stay neighbours merge, size-1 axes vanish). Most real permutations then collapse to a batch of
 * 2-D transposes (matrix transpose, NCHW <-> NHWC, head split/merge in attention), which run
 * four output rows at a time; anything else falls back to the shared strided copy, whose innermost
 * loop writes contiguously. The plan holds the output shape and the coalesced view; large float32
 * tensors copy in WebAssembly when it is installed.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, TensorData } from '../../tensor';
import { stridesOf } from '../../tensor';
import type { StridedView } from './strided';
import { coalesce, stepOdometer, stridedCopy } from './strided';
import { shapeText } from '../common/shape-text';
import { singleOutput } from '../common/planned-output';
import { wasmKernels } from '../../wasm';

interface TransposePlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  /** the permuted input as a coalesced strided view */
  readonly view: StridedView;
  /** whether the view is a batch of 2-D transposes */
  readonly batched2d: boolean;
  /** the batch axes' counter of batchedTranspose2d, reused by every run */
  readonly counter: number[];
}

export const transposeKernel = kernel({
  op: 'Transpose',
  attributes: (a) => {
    const perm = a.has('perm') ? a.ints('perm') : undefined;
    if (perm && !isPermutation(perm)) a.fail(`attribute "perm" [${perm.join(', ')}] is not a permutation of 0..${perm.length - 1}`);
    return { perm };
  },
  plan(inputs, attrs, ctx): TransposePlan {
    const x = required(inputs, 0, ctx);
    const rank = x.shape.length;
    const perm = attrs.perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    if (perm.length !== rank) kernelFail(ctx, `perm [${perm.join(', ')}] has ${perm.length} axes but the input ${shapeText(x.shape)} has rank ${rank}`);
    const view = permutedView(x.shape, perm);
    return { dtype: x.dtype, outShape: perm.map((p) => x.shape[p]), view, batched2d: isBatched2d(view), counter: new Array<number>(view.shape.length).fill(0) };
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const x = inputs[0]!;
    const out = ctx.output(0, plan.dtype, plan.outShape);
    copyView(x.data, plan.view, plan.batched2d, out.data, plan.counter);
    return out;
  },
});

function isPermutation(perm: readonly number[]): boolean {
  const seen = new Set<number>();
  for (const p of perm) {
    if (p < 0 || p >= perm.length || seen.has(p)) return false;
    seen.add(p);
  }
  return true;
}

/** Writes the input (shape `shape`, data `src`) permuted by `perm` into `dst`, outside a plan. */
export function transposeInto(src: TensorData, shape: readonly number[], perm: readonly number[], dst: TensorData): void {
  const view = permutedView(shape, perm);
  copyView(src, view, isBatched2d(view), dst, new Array<number>(view.shape.length).fill(0));
}

/** The input of `shape` read in the order of `perm`, coalesced. */
function permutedView(shape: readonly number[], perm: readonly number[]): StridedView {
  const strides = stridesOf(shape);
  return coalesce({ shape: perm.map((p) => shape[p]), strides: perm.map((p) => strides[p]), offset: 0 });
}

/** [...batch, M, N] read from a source laid out as [...batch, N, M] (its rows any stride apart). */
function isBatched2d(view: StridedView): boolean {
  const r = view.shape.length;
  return r >= 2 && view.strides[r - 2] === 1;
}

function copyView(src: TensorData, view: StridedView, batched2d: boolean, dst: TensorData, counter: number[]): void {
  if (dst.length === 0) return;
  if (src instanceof Float32Array && dst instanceof Float32Array && transposeWasm(src, view, dst)) return;
  if (batched2d) batchedTranspose2d(src, view, dst, counter);
  else stridedCopy(src, view, dst);
}

/** float32 tensors from this size on go to WebAssembly: the copies in and out are plain memcpy. */
const WASM_MIN_ELEMENTS = 4096;

/**
 * The float32 copy in WebAssembly (views of rank <= 4, which covers the attention and image
 * layouts), when the kernels module is installed; false otherwise. Same bits as the JavaScript loops.
 */
function transposeWasm(src: Float32Array, view: StridedView, dst: Float32Array): boolean {
  const r = view.shape.length;
  if (r > 4 || dst.length < WASM_MIN_ELEMENTS) return false;
  const wk = wasmKernels();
  if (wk === null) return false;
  wk.beginCall();
  const srcPtr = wk.allocScratch(src.length);
  const dstPtr = wk.allocScratch(dst.length);
  wk.f32.set(src, srcPtr >> 2);
  const { shape, strides } = view;
  // leading axes of size 1 pad the view to rank 4
  wk.exports.stridedCopy32(
    srcPtr + 4 * view.offset, dstPtr,
    r >= 4 ? shape[r - 4] : 1, r >= 3 ? shape[r - 3] : 1, r >= 2 ? shape[r - 2] : 1, r >= 1 ? shape[r - 1] : 1,
    r >= 4 ? strides[r - 4] : 0, r >= 3 ? strides[r - 3] : 0, r >= 2 ? strides[r - 2] : 0, r >= 1 ? strides[r - 1] : 0,
  );
  dst.set(wk.view(dstPtr, dst.length));
  return true;
}

/**
 * view: [...batch, M, N] whose M axis is contiguous in the source (a source laid out as
 * [...batch, N, M] with its N rows `ld` apart: the key transpose of attention reads rows of
 * one head out of a wider hidden dimension). Output rows are produced four
 * at a time: each step reads four neighbouring source elements (one cache line) and appends one
 * element to each of four output rows, so both sides stream. This beats square tiling, which
 * suffers from cache-set aliasing when the row length is a power of two. `counter` (at least the
 * view's rank long) is the caller's scratch for the batch axes.
 */
function batchedTranspose2d(src: TensorData, view: StridedView, dst: TensorData, counter: number[]): void {
  const r = view.shape.length;
  const m = view.shape[r - 2];
  const n = view.shape[r - 1];
  const ld = view.strides[r - 1];
  const s = src as unknown as { [i: number]: unknown };
  const d = dst as unknown as { [i: number]: unknown };
  const batchRank = r - 2;
  counter.fill(0, 0, batchRank);
  const m4 = m - (m % 4);
  let srcBase = view.offset;
  let dstBase = 0;
  for (;;) {
    for (let i0 = 0; i0 < m4; i0 += 4) {
      const q0 = dstBase + i0 * n;
      for (let j = 0, p = srcBase + i0, q = q0; j < n; j++, p += ld, q++) {
        d[q] = s[p];
        d[q + n] = s[p + 1];
        d[q + 2 * n] = s[p + 2];
        d[q + 3 * n] = s[p + 3];
      }
    }
    for (let i = m4; i < m; i++) {
      const row = dstBase + i * n;
      for (let j = 0, p = srcBase + i; j < n; j++, p += ld) d[row + j] = s[p];
    }
    dstBase += m * n;
    // the odometer walks the leading batchRank axes of the view
    srcBase = stepOdometer(counter, view.shape, view.strides, batchRank, srcBase);
    if (srcBase < 0) return;
  }
}
