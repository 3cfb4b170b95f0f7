/**
 * TopK: the k largest (or smallest) values along an axis and their int64 indices. Equal values
 * keep their original order (lower index first); NaN counts as larger than every number.
 * Output is always sorted, which `sorted=0` permits.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sizeOf } from '../../tensor';
import { readScalar } from './common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';

export const topKKernel = kernel({
  op: 'TopK',
  attributes: (a, opset) => ({
    axis: a.int('axis', -1),
    largest: a.int('largest', 1) === 1,
    // TopK-1 carried k as an attribute; later opsets take it as input 1
    k: opset < 10 ? a.int('k') : undefined,
  }),
  run(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype === 'string' || x.dtype === 'bool') kernelFail(ctx, `type ${x.dtype} is not supported; TopK needs numbers`);
    if (x.rank === 0) kernelFail(ctx, 'input must have rank >= 1, got a scalar');
    const axis = normalizeAxis(attrs.axis, x.rank, ctx);
    const k = attrs.k ?? readScalar(required(inputs, 1, ctx), ctx, 'K');
    const dim = x.shape[axis];
    if (!Number.isInteger(k) || k < 0 || k > dim) kernelFail(ctx, `k ${k} must be between 0 and ${dim}, the size of axis ${axis} of ${shapeText(x.shape)}`);
    const outShape = x.shape.slice();
    outShape[axis] = k;
    const values = ctx.output(0, x.dtype, outShape);
    const indices = ctx.output(1, 'int64', outShape);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const src = x.data as ArrayLike<number | bigint>;
    const dstValues = values.data as unknown as { [i: number]: number | bigint };
    const dstIndices = indices.data as BigInt64Array;
    const order = new Array<number>(dim);
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
