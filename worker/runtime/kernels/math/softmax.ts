/**
 * Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at `axis` (default 1) and
 * normalised over each row of the flattened trailing dimensions; from 13 on the op normalises
 * along the single `axis` (default -1). Both subtract the maximum first, so large inputs do not
 * overflow.
 */
import type { Kernel } from '../../kernel';
import { kernel, required } from '../../kernel';
import { sizeBetween } from '../../tensor';
import { FLOATS } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { normalizeAxis } from '../common/axes';
import type { Floats } from '../common/tensor-types';

interface SoftmaxAttrs {
  readonly axis: number;
  readonly coerce2d: boolean;
}


function softmaxOp(op: string, log: boolean): Kernel<SoftmaxAttrs> {
  return kernel<SoftmaxAttrs>({
    op,
    attributes: (r, opset) => ({ axis: r.int('axis', opset < 13 ? 1 : -1), coerce2d: opset < 13 }),
    run(inputs, { axis, coerce2d }, ctx) {
      const x = required(inputs, 0, ctx);
      expectDType(ctx, x, FLOATS, 'input');
      const out = ctx.output(0, x.dtype, x.shape);
      if (x.size === 0) return out;
      const a = normalizeAxis(axis, x.rank, ctx, 'axis', true);
      const outer = sizeBetween(x.shape, 0, a);
      const len = coerce2d ? sizeBetween(x.shape, a) : x.rank === 0 ? 1 : x.shape[a];
      const inner = coerce2d ? 1 : sizeBetween(x.shape, a + 1);
      const src = x.data as Floats;
      const dst = out.data as Floats;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) normalize(src, dst, o * len * inner + i, len, inner, log);
      }
      return out;
    },
  });
}

/** Normalises the `len` elements at base, base + step, ... */
function normalize(x: Floats, y: Floats, base: number, len: number, step: number, log: boolean): void {
  const end = base + len * step;
  let max = -Infinity;
  for (let j = base; j < end; j += step) if (x[j] > max) max = x[j];
  let sum = 0;
  if (log) {
    for (let j = base; j < end; j += step) sum += Math.exp(x[j] - max);
    const shift = max + Math.log(sum);
    for (let j = base; j < end; j += step) y[j] = x[j] - shift;
  } else {
    for (let j = base; j < end; j += step) {
      const e = Math.exp(x[j] - max);
      y[j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = base; j < end; j += step) y[j] *= inv;
  }
}

export const softmaxKernel = softmaxOp('Softmax', false);
export const logSoftmaxKernel = softmaxOp('LogSoftmax', true);
