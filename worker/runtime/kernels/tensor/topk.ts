/**
 * TopK: the k largest (or smallest) values along an axis and their int64 indices. Equal values
 * keep their original order (lower index first); NaN counts as larger than every number.
 * Output is always sorted, which `sorted=0` permits. The plan holds k and the output shape when k
 * is known, and the row buffers and comparator.
 */
import { kernel, kernelFail, required, type PlanContext } from '../../kernel';
import { sizeBetween, type DType } from '../../tensor';
import { readScalar } from './common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';

interface TopKPlan {
  readonly dtype: DType;
  readonly axis: number;
  /** k and the output shape when k is the attribute or a weight; null when read every run */
  readonly k: number | null;
  readonly outShape: readonly number[] | null;
  /** one slice along the axis and its positions in rank order, reused for every slice */
  readonly order: number[];
  readonly slice: Array<number | bigint>;
  readonly byRank: (a: number, b: number) => number;
}

export const topKKernel = kernel({
  op: 'TopK',
  attributes: (a, opset) => ({
    axis: a.int('axis', -1),
    largest: a.int('largest', 1) === 1,
    // TopK-1 carried k as an attribute; later opsets take it as input 1
    k: opset < 10 ? a.int('k') : undefined,
  }),
  plan(inputs, attrs, ctx): TopKPlan {
    const x = required(inputs, 0, ctx);
    if (x.dtype === 'string' || x.dtype === 'bool') kernelFail(ctx, `type ${x.dtype} is not supported; TopK needs numbers`);
    if (x.shape.length === 0) kernelFail(ctx, 'input must have rank >= 1, got a scalar');
    const axis = normalizeAxis(attrs.axis, x.shape.length, ctx);
    const kInput = attrs.k === undefined ? required(inputs, 1, ctx) : undefined;
    const k = attrs.k ?? (kInput!.value ? readScalar(kInput!.value, ctx, 'K') : null);
    const dim = x.shape[axis];
    const slice = new Array<number | bigint>(dim);
    const sign = attrs.largest ? 1 : -1;
    const byRank = (a: number, b: number): number => {
      const va = slice[a];
      const vb = slice[b];
      if (va === vb) return a - b;
      // NaN !== NaN, so NaN reaches here; rank it above every number
      const aNaN = va !== va;
      const bNaN = vb !== vb;
      if (aNaN || bNaN) return aNaN && bNaN ? a - b : aNaN ? -sign : sign;
      return (vb > va ? 1 : -1) * sign;
    };
    return { dtype: x.dtype, axis, k, outShape: k === null ? null : topKShape(x.shape, axis, k, ctx), order: new Array<number>(dim), slice, byRank };
  },
  outputs: (plan) =>
    plan.outShape === null
      ? undefined
      : [
          { dtype: plan.dtype, shape: plan.outShape },
          { dtype: 'int64', shape: plan.outShape },
        ],
  run(inputs, _attrs, ctx, plan) {
    const x = inputs[0]!;
    const { axis, order, slice, byRank } = plan;
    const k = plan.k ?? readScalar(inputs[1]!, ctx, 'K');
    const outShape = plan.outShape ?? topKShape(x.shape, axis, k, ctx);
    const values = ctx.output(0, x.dtype, outShape);
    const indices = ctx.output(1, 'int64', outShape);
    const dim = x.shape[axis];
    const outer = sizeBetween(x.shape, 0, axis);
    const inner = sizeBetween(x.shape, axis + 1);
    const src = x.data as ArrayLike<number | bigint>;
    const dstValues = values.data as unknown as { [i: number]: number | bigint };
    const dstIndices = indices.data as BigInt64Array;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * dim * inner + i;
        for (let j = 0; j < dim; j++) {
          order[j] = j;
          slice[j] = src[base + j * inner];
        }
        order.sort(byRank);
        const outBase = o * k * inner + i;
        for (let j = 0; j < k; j++) {
          dstValues[outBase + j * inner] = slice[order[j]];
          dstIndices[outBase + j * inner] = BigInt(order[j]);
        }
      }
    }
    return ctx.results(values, indices);
  },
});

/** The input's shape with k along the axis, once k is checked against the axis. */
function topKShape(shape: readonly number[], axis: number, k: number, ctx: Pick<PlanContext, 'node'>): number[] {
  const dim = shape[axis];
  if (!Number.isInteger(k) || k < 0 || k > dim) kernelFail(ctx, `k ${k} must be between 0 and ${dim}, the size of axis ${axis} of ${shapeText(shape)}`);
  const outShape = shape.slice();
  outShape[axis] = k;
  return outShape;
}
