/**
 * LpNormalization: every 1-D fibre of X along `axis` is divided by its L1 or L2 norm,
 *   y = x / ||x||_p
 * A fibre whose norm is 0 becomes zeros (as onnxruntime does) instead of 0/0 = NaN.
 */
import { kernel } from '../../kernel';
import { sizeOf } from '../../tensor';
import { normalizedAxis } from './row-parameters';
import { floatInput } from '../common/inputs';
import type { FloatTensor } from '../common/tensor-types';

export interface LpNormalizationAttributes {
  readonly axis: number;
  readonly p: 1 | 2;
}

export const lpNormalizationKernel = kernel<LpNormalizationAttributes>({
  op: 'LpNormalization',
  attributes(attrs) {
    const p = attrs.int('p', 2);
    if (p !== 1 && p !== 2) attrs.fail(`attribute "p" is ${p}; supported: 1 (L1 norm), 2 (L2 norm)`);
    return { axis: attrs.int('axis', -1), p: p === 1 ? 1 : 2 };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'input', ctx);
    const axis = normalizedAxis(attrs.axis, x.shape, ctx);
    const outer = sizeOf(x.shape.slice(0, axis));
    const len = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const xd = x.data;
    const yd = y.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const start = o * len * inner + i;
        const end = start + len * inner;
        let norm = 0;
        if (attrs.p === 1) for (let k = start; k < end; k += inner) norm += Math.abs(xd[k]);
        else {
          for (let k = start; k < end; k += inner) norm += xd[k] * xd[k];
          norm = Math.sqrt(norm);
        }
        const scale = norm === 0 ? 0 : 1 / norm;
        for (let k = start; k < end; k += inner) yd[k] = norm === 0 ? 0 : xd[k] * scale;
      }
    }
    return y;
  },
});
