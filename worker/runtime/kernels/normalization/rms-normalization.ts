/**
 * RMSNormalization (opset 23): each row of the trailing dims X.shape[axis:] is scaled by the
 * inverse of its root mean square,
 *   y = x / sqrt(mean(x^2) + epsilon) * scale
 * with scale broadcasting (right-aligned) over X.shape[axis:]. The mean is kept in double.
 */
import { kernel } from '../../kernel';
import { sizeBetween } from '../../tensor';
import { normalizedAxis, rowParameter } from './row-parameters';
import { floatInput } from '../common/inputs';
import type { FloatTensor, Floats } from '../common/tensor-types';

export interface RmsNormalizationAttributes {
  readonly axis: number;
  readonly epsilon: number;
}

export const rmsNormalizationKernel = kernel<RmsNormalizationAttributes>({
  op: 'RMSNormalization',
  attributes(attrs) {
    const epsilon = attrs.float('epsilon', 1e-5);
    if (!(epsilon >= 0)) attrs.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
    const stash = attrs.int('stash_type', 1);
    if (stash !== 1 && stash !== 11) attrs.fail(`attribute "stash_type" is ${stash}; supported: 1 (float32), 11 (float64)`);
    return { axis: attrs.int('axis', -1), epsilon };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const scale = floatInput(inputs, 1, 'scale', ctx);
    const axis = normalizedAxis(attrs.axis, x.shape, ctx);
    const inner = sizeBetween(x.shape, axis);
    const outer = sizeBetween(x.shape, 0, axis);
    const sd = rowParameter(scale, x.shape, axis, 'scale', ctx);
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    rmsNormRows(x.data, y.data, sd, outer, inner, attrs.epsilon);
    return y;
  },
});

/**
 * y = x / sqrt(mean(x^2) + epsilon) * scale over rows of `inner` values (the mean in double);
 * each row's 1 / sqrt(mean(x^2) + epsilon) goes to `invOut` when given.
 */
export function rmsNormRows(xd: Floats, yd: Floats, sd: Floats, outer: number, inner: number, epsilon: number, invOut: Floats | null = null): void {
  for (let r = 0, base = 0; r < outer; r++, base += inner) {
    let sq = 0;
    for (let j = 0; j < inner; j++) sq += xd[base + j] * xd[base + j];
    const inv = 1 / Math.sqrt(sq / inner + epsilon);
    for (let j = 0; j < inner; j++) yd[base + j] = xd[base + j] * inv * sd[j];
    if (invOut !== null) invOut[r] = inv;
  }
}
