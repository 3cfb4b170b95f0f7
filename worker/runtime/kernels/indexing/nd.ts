/**
 * GatherND and ScatterND: the last axis of `indices` holds k coordinates into the leading axes of
 * `data` (after `batch_dims` shared batch axes, GatherND only); each such tuple addresses a
 * contiguous slice of data.shape[batch_dims + k:], copied out (GatherND) or written/merged in
 * (ScatterND, with reduction none/add/mul/max/min). The plans hold the shape checks, the slice
 * size and the buffer of tuple offsets.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { sameShape, sizeBetween, sizeOf, stridesOf } from '../../tensor';
import { copyRange } from '../tensor/common';
import type { Combine, Ctx, ScatterReduction } from './common';
import { combineFor, elements, parseReduction, resolveIndex } from './common';
import { expectIndexDType } from '../common/inputs';
import { singleOutput } from '../common/planned-output';
import { shapeText } from '../common/shape-text';

/**
 * The flat data offsets of every index tuple: tuple t of batch b starts at offsets[b * perBatch + t].
 * `first` is the first data axis the tuples index (batch_dims).
 */
function tupleOffsets(data: Tensor, indices: Tensor, first: number, ctx: Ctx, offsets: Int32Array): Int32Array {
  const raw = indices.data as ArrayLike<number | bigint>;
  const k = indices.shape[indices.rank - 1];
  const strides = stridesOf(data.shape);
  const tuples = offsets.length;
  const batchCount = sizeBetween(data.shape, 0, first);
  const perBatch = batchCount === 0 ? 0 : tuples / batchCount;
  const batchStride = first === 0 ? 0 : strides[first - 1];
  for (let t = 0; t < tuples; t++) {
    let offset = Math.floor(t / perBatch) * batchStride;
    for (let j = 0; j < k; j++) {
      const axis = first + j;
      offset += resolveIndex(Number(raw[t * k + j]), data.shape[axis], ctx, `indices${tupleText(t, j, indices.shape)} (coordinate ${j}, data axis ${axis}) =`) * strides[axis];
    }
    offsets[t] = offset;
  }
  return offsets;
}

function tupleText(tuple: number, coordinate: number, shape: readonly number[]): string {
  const lead = shape.slice(0, -1);
  const pos = new Array<number>(lead.length);
  for (let a = lead.length - 1; a >= 0; a--) {
    pos[a] = tuple % lead[a];
    tuple = Math.floor(tuple / lead[a]);
  }
  return `[${[...pos, coordinate].join(', ')}]`;
}

/** GatherND and ScatterND: the checked shapes, the slice size and the tuple offsets' buffer. */
interface NDPlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  /** elements of the slice each tuple addresses */
  readonly inner: number;
  /** data offsets of the tuples, filled every run from the indices */
  readonly offsets: Int32Array;
  readonly combine: Combine | undefined;
}

export const gatherNDKernel = kernel({
  op: 'GatherND',
  attributes: (a, opset) => {
    const batchDims = opset >= 12 ? a.int('batch_dims', 0) : 0;
    if (batchDims < 0) a.fail(`attribute "batch_dims" must be >= 0, got ${batchDims}`);
    return { batchDims };
  },
  plan(inputs, { batchDims }, ctx): NDPlan {
    const data = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    const dataRank = data.shape.length;
    const indicesRank = indices.shape.length;
    if (dataRank < 1 || indicesRank < 1) kernelFail(ctx, `data ${shapeText(data.shape)} and indices ${shapeText(indices.shape)} must both have rank >= 1`);
    if (batchDims >= Math.min(dataRank, indicesRank)) {
      kernelFail(ctx, `batch_dims ${batchDims} must be less than the ranks of data (${dataRank}) and indices (${indicesRank})`);
    }
    for (let b = 0; b < batchDims; b++) {
      if (data.shape[b] !== indices.shape[b]) {
        kernelFail(ctx, `batch axis ${b} differs: data ${shapeText(data.shape)}, indices ${shapeText(indices.shape)} (the first ${batchDims} dimensions must match)`);
      }
    }
    const k = indices.shape[indicesRank - 1];
    if (k < 1 || k > dataRank - batchDims) {
      kernelFail(ctx, `the last dimension of indices ${shapeText(indices.shape)} is ${k}; expected 1..${dataRank - batchDims} (data ${shapeText(data.shape)}, batch_dims ${batchDims})`);
    }
    const sliceShape = data.shape.slice(batchDims + k);
    const tuples = indices.shape.slice(0, -1);
    expectIndexDType(indices, ctx, 'indices');
    return { dtype: data.dtype, outShape: [...tuples, ...sliceShape], inner: sizeOf(sliceShape), offsets: new Int32Array(sizeOf(tuples)), combine: undefined };
  },
  outputs: singleOutput,
  run(inputs, { batchDims }, ctx, plan) {
    const data = inputs[0]!;
    const out = ctx.output(0, plan.dtype, plan.outShape);
    const offsets = tupleOffsets(data, inputs[1]!, batchDims, ctx, plan.offsets);
    const inner = plan.inner;
    if (inner === 1) {
      const s = elements(data.data);
      const d = elements(out.data);
      for (let t = 0; t < offsets.length; t++) d[t] = s[offsets[t]];
    } else {
      for (let t = 0; t < offsets.length; t++) copyRange(data.data, offsets[t], out.data, t * inner, inner);
    }
    return out;
  },
});

export const scatterNDKernel = kernel<{ reduction: ScatterReduction }, NDPlan>({
  op: 'ScatterND',
  attributes: (a, opset) => ({ reduction: parseReduction(a, opset) }),
  plan(inputs, { reduction }, ctx) {
    const data = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    const updates = required(inputs, 2, ctx);
    const dataRank = data.shape.length;
    if (dataRank < 1 || indices.shape.length < 1) kernelFail(ctx, `data ${shapeText(data.shape)} and indices ${shapeText(indices.shape)} must both have rank >= 1`);
    if (updates.dtype !== data.dtype) kernelFail(ctx, `updates has dtype ${updates.dtype}; it must match data (${data.dtype})`);
    const k = indices.shape[indices.shape.length - 1];
    if (k < 1 || k > dataRank) kernelFail(ctx, `the last dimension of indices ${shapeText(indices.shape)} is ${k}; expected 1..${dataRank} (data ${shapeText(data.shape)})`);
    const tuples = indices.shape.slice(0, -1);
    const expected = [...tuples, ...data.shape.slice(k)];
    if (!sameShape(updates.shape, expected)) {
      kernelFail(ctx, `updates has shape ${shapeText(updates.shape)}; expected ${shapeText(expected)} (indices.shape[:-1] + data.shape[${k}:])`);
    }
    const combine = combineFor(reduction, data.dtype, ctx);
    expectIndexDType(indices, ctx, 'indices');
    return { dtype: data.dtype, outShape: data.shape, inner: sizeBetween(data.shape, k), offsets: new Int32Array(sizeOf(tuples)), combine };
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const data = inputs[0]!;
    const updates = inputs[2]!;
    const offsets = tupleOffsets(data, inputs[1]!, 0, ctx, plan.offsets);
    const out = ctx.output(0, plan.dtype, plan.outShape);
    copyRange(data.data, 0, out.data, 0, data.size);
    const { inner, combine } = plan;
    if (!combine) {
      for (let t = 0; t < offsets.length; t++) copyRange(updates.data, t * inner, out.data, offsets[t], inner);
    } else {
      const u = elements(updates.data);
      const d = elements(out.data);
      for (let t = 0; t < offsets.length; t++) {
        const base = offsets[t];
        for (let i = 0; i < inner; i++) d[base + i] = combine(d[base + i], u[t * inner + i]);
      }
    }
    return out;
  },
});
