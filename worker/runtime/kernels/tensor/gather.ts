/**
 * Gather (whole slices picked along an axis) and GatherElements (one element per index).
 * Indices are int32 or int64 (BigInt64Array), may be negative (counted from the end), and are
 * checked against the axis: an index out of range is the caller's error, not undefined data.
 */
import type { KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { sizeOf, stridesOf } from '../../tensor';
import { copyRange } from './common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';
import { expectIndicesWithin, nextElementBase } from '../common/elements-walk';

/** The indices as non-negative positions into an axis of `dim` elements. */
export function resolveIndices(indices: Tensor, dim: number, ctx: Pick<KernelContext, 'node'>): Int32Array {
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32') kernelFail(ctx, `indices must be int64 or int32, got ${indices.dtype}`);
  const src = indices.data as ArrayLike<number | bigint>;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const raw = Number(src[i]);
    const idx = raw < 0 ? raw + dim : raw;
    if (!(idx >= 0 && idx < dim)) {
      kernelFail(ctx, `index ${raw} (at position ${i}) is out of range for an axis of ${dim} elements (expected ${-dim}..${dim - 1})`);
    }
    out[i] = idx;
  }
  return out;
}

export const gatherKernel = kernel({
  op: 'Gather',
  attributes: (a) => ({ axis: a.int('axis', 0) }),
  run(inputs, attrs, ctx) {
    const data = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    if (data.rank === 0) kernelFail(ctx, 'data must have rank >= 1, got a scalar');
    const axis = normalizeAxis(attrs.axis, data.rank, ctx);
    const dim = data.shape[axis];
    const idx = resolveIndices(indices, dim, ctx);
    const outShape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    const out = ctx.output(0, data.dtype, outShape);
    const outer = sizeOf(data.shape.slice(0, axis));
    const inner = sizeOf(data.shape.slice(axis + 1));
    const n = idx.length;
    const src = data.data;
    const dst = out.data;
    if (inner === 1) {
      const s = src as unknown as { [i: number]: unknown };
      const d = dst as unknown as { [i: number]: unknown };
      for (let o = 0; o < outer; o++) {
        const base = o * dim;
        const outBase = o * n;
        for (let j = 0; j < n; j++) d[outBase + j] = s[base + idx[j]];
      }
    } else {
      // each index selects a contiguous run of `inner` elements (a whole row when axis is 0)
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < n; j++) copyRange(src, (o * dim + idx[j]) * inner, dst, (o * n + j) * inner, inner);
      }
    }
    return out;
  },
});

export const gatherElementsKernel = kernel({
  op: 'GatherElements',
  attributes: (a) => ({ axis: a.int('axis', 0) }),
  run(inputs, attrs, ctx) {
    const data = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    const rank = data.rank;
    if (rank === 0) kernelFail(ctx, 'data must have rank >= 1, got a scalar');
    if (indices.rank !== rank) {
      kernelFail(ctx, `indices ${shapeText(indices.shape)} must have the same rank as data ${shapeText(data.shape)}`);
    }
    const axis = normalizeAxis(attrs.axis, rank, ctx);
    const idx = resolveIndices(indices, data.shape[axis], ctx);
    expectIndicesWithin(indices.shape, data.shape, axis, ctx);
    const out = ctx.output(0, data.dtype, indices.shape);
    const s = data.data as unknown as { [i: number]: unknown };
    const d = out.data as unknown as { [i: number]: unknown };
    const strides = stridesOf(data.shape);
    const axisStride = strides[axis];
    const counter = new Array<number>(rank).fill(0);
    let base = 0; // data offset of the current position, without the axis component
    for (let i = 0; i < idx.length; i++) {
      d[i] = s[base + idx[i] * axisStride];
      base = nextElementBase(counter, indices.shape, strides, axis, base);
    }
    return out;
  },
});
