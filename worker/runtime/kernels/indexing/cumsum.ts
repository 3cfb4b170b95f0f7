/**
 * CumSum: running sums along the axis given by the second input (a scalar, possibly negative),
 * optionally exclusive (each sum leaves out its own element) and/or reversed (summing from the
 * end). Each step adds to the previous output element, so the sum rounds in the output's type as
 * onnxruntime's does.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sizeOf } from '../../tensor';
import { normalizeAxis, readInts, zeroOf } from '../tensor/common';
import { elements } from './common';

interface CumSumAttributes {
  readonly exclusive: boolean;
  readonly reverse: boolean;
}

export const cumSumKernel = kernel<CumSumAttributes>({
  op: 'CumSum',
  attributes: (a) => ({ exclusive: a.int('exclusive', 0) !== 0, reverse: a.int('reverse', 0) !== 0 }),
  run(inputs, { exclusive, reverse }, ctx) {
    const x = required(inputs, 0, ctx);
    const axisInput = required(inputs, 1, ctx);
    if (x.dtype === 'string' || x.dtype === 'bool') kernelFail(ctx, `input must be numeric, got ${x.dtype}`);
    if (x.rank === 0) kernelFail(ctx, 'input must have rank >= 1, got a scalar');
    if (axisInput.size !== 1 || axisInput.rank > 1) kernelFail(ctx, `axis must be a scalar, got shape [${axisInput.shape.join(', ')}]`);
    const axis = normalizeAxis(readInts(axisInput, ctx, 'axis')[0], x.rank, ctx);
    const out = ctx.output(0, x.dtype, x.shape);
    const len = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const outer = sizeOf(x.shape.slice(0, axis));
    const s = elements(x.data);
    const d = elements(out.data);
    const zero = zeroOf(x) as number;
    const step = reverse ? -inner : inner;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let p = o * len * inner + i + (reverse ? (len - 1) * inner : 0);
        if (len === 0) continue;
        d[p] = exclusive ? zero : s[p];
        for (let j = 1; j < len; j++, p += step) d[p + step] = d[p] + s[exclusive ? p : p + step];
      }
    }
    return [out];
  },
});
