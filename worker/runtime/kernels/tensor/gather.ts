/**
 * Gather (whole slices picked along an axis) and GatherElements (one element per index).
 * Indices are int32 or int64 (BigInt64Array), may be negative (counted from the end), and are
 * checked against the axis: an index out of range is the caller's error, not undefined data. The
 * plans hold the output shape and, when the indices are a weight, their resolved positions.
 */
import type { KernelContext, PlanInput } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { sizeBetween, sizeOf, stridesOf } from '../../tensor';
import { copyRange } from './common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';
import { expectIndicesWithin, nextElementBase } from '../common/elements-walk';
import { singleOutput } from '../common/planned-output';
import { expectIndexDType } from '../common/inputs';

/** Writes the indices as non-negative positions into an axis of `dim` elements into `out`. */
function resolveIndicesInto(indices: Tensor, dim: number, ctx: Pick<KernelContext, 'node'>, out: Int32Array): Int32Array {
  expectIndexDType(indices, ctx);
  const src = indices.data as ArrayLike<number | bigint>;
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

/** Gather and GatherElements: the output and the indices resolved (once when they are a weight). */
interface GatherPlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  readonly axis: number;
  /** the indices as positions: resolved in the plan when they are a weight, else every run */
  readonly positions: Int32Array;
  readonly positionsPlanned: boolean;
}

function planGather(data: PlanInput, indices: PlanInput, axis: number, outShape: readonly number[], ctx: Pick<KernelContext, 'node'>): GatherPlan {
  expectIndexDType(indices, ctx);
  const positions = new Int32Array(sizeOf(indices.shape));
  if (indices.value) resolveIndicesInto(indices.value, data.shape[axis], ctx, positions);
  return { dtype: data.dtype, outShape, axis, positions, positionsPlanned: indices.value !== undefined };
}

function positionsOf(plan: GatherPlan, indices: Tensor, dim: number, ctx: Pick<KernelContext, 'node'>): Int32Array {
  return plan.positionsPlanned ? plan.positions : resolveIndicesInto(indices, dim, ctx, plan.positions);
}

export const gatherKernel = kernel({
  op: 'Gather',
  attributes: (a) => ({ axis: a.int('axis', 0) }),
  plan(inputs, attrs, ctx): GatherPlan {
    const data = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    if (data.shape.length === 0) kernelFail(ctx, 'data must have rank >= 1, got a scalar');
    const axis = normalizeAxis(attrs.axis, data.shape.length, ctx);
    const outShape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
    return planGather(data, indices, axis, outShape, ctx);
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const data = inputs[0]!;
    const { axis } = plan;
    const dim = data.shape[axis];
    const idx = positionsOf(plan, inputs[1]!, dim, ctx);
    const out = ctx.output(0, plan.dtype, plan.outShape);
    const outer = sizeBetween(data.shape, 0, axis);
    const inner = sizeBetween(data.shape, axis + 1);
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
  plan(inputs, attrs, ctx): GatherPlan {
    const data = required(inputs, 0, ctx);
    const indices = required(inputs, 1, ctx);
    const rank = data.shape.length;
    if (rank === 0) kernelFail(ctx, 'data must have rank >= 1, got a scalar');
    if (indices.shape.length !== rank) {
      kernelFail(ctx, `indices ${shapeText(indices.shape)} must have the same rank as data ${shapeText(data.shape)}`);
    }
    const axis = normalizeAxis(attrs.axis, rank, ctx);
    const plan = planGather(data, indices, axis, indices.shape, ctx);
    expectIndicesWithin(indices.shape, data.shape, axis, ctx);
    return plan;
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const data = inputs[0]!;
    const indices = inputs[1]!;
    const { axis } = plan;
    const idx = positionsOf(plan, indices, data.shape[axis], ctx);
    const out = ctx.output(0, plan.dtype, plan.outShape);
    const s = data.data as unknown as { [i: number]: unknown };
    const d = out.data as unknown as { [i: number]: unknown };
    const strides = stridesOf(data.shape);
    const axisStride = strides[axis];
    const counter = new Array<number>(data.rank).fill(0);
    let base = 0; // data offset of the current position, without the axis component
    for (let i = 0; i < idx.length; i++) {
      d[i] = s[base + idx[i] * axisStride];
      base = nextElementBase(counter, indices.shape, strides, axis, base);
    }
    return out;
  },
});
