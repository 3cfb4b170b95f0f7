/**
 * Hardmax: 1 at the first maximum along `axis`, 0 elsewhere. Like Softmax, before opset 13 the
 * input is coerced to 2-D at `axis` (default 1) and each flattened row gets one 1; from 13 on
 * the op works along the single `axis` (default -1).
 */
import { kernel, required } from '../../kernel';
import { sizeOf } from '../../tensor';
import { FLOATS } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { normalizeAxis } from '../common/axes';

interface HardmaxAttrs {
  readonly axis: number;
  readonly coerce2d: boolean;
}

export const hardmaxKernel = kernel<HardmaxAttrs>({
  op: 'Hardmax',
  attributes: (r, opset) => ({ axis: r.int('axis', opset < 13 ? 1 : -1), coerce2d: opset < 13 }),
  run(inputs, { axis, coerce2d }, ctx) {
    const x = required(inputs, 0, ctx);
    expectDType(ctx, x, FLOATS, 'input');
    const out = ctx.output(0, x.dtype, x.shape);
    const dst = out.data as Float32Array | Float64Array;
    dst.fill(0);
    if (x.size === 0) return out;
    const a = normalizeAxis(axis, x.rank, ctx, 'axis', true);
    const outer = sizeOf(x.shape.slice(0, a));
    const len = coerce2d ? sizeOf(x.shape.slice(a)) : x.rank === 0 ? 1 : x.shape[a];
    const inner = coerce2d ? 1 : sizeOf(x.shape.slice(a + 1));
    const src = x.data as Float32Array | Float64Array;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * len * inner + i;
        let best = base;
        for (let j = 1; j < len; j++) {
          const at = base + j * inner;
          if (src[at] > src[best]) best = at;
        }
        dst[best] = 1;
      }
    }
    return out;
  },
});
