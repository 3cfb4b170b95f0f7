/**
 * InstanceNormalization: each (sample, channel) plane is normalized by its own mean and variance,
 *   y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c]
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf } from '../../tensor';
import { expectShape, floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';
import { deviationOf, meanOf } from './block-statistics';

export interface InstanceNormalizationAttributes {
  readonly epsilon: number;
}

export const instanceNormalizationKernel = kernel<InstanceNormalizationAttributes>({
  op: 'InstanceNormalization',
  attributes(attrs) {
    const epsilon = attrs.float('epsilon', 1e-5);
    if (!(epsilon >= 0)) attrs.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
    return { epsilon };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'input', ctx);
    const scale = floatInput(inputs, 1, 'scale', ctx);
    const bias = floatInput(inputs, 2, 'B', ctx);
    if (x.rank < 3) kernelFail(ctx, `input must have rank >= 3 ([N, C, D1, ...]), got ${shapeText(x.shape)}`);
    const [batch, channels] = x.shape;
    expectShape(scale, [channels], 'scale', ctx);
    expectShape(bias, [channels], 'B', ctx);
    const inner = sizeOf(x.shape.slice(2));
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const xd = x.data;
    const yd = y.data;
    for (let n = 0; n < batch; n++) {
      for (let c = 0; c < channels; c++) {
        const base = (n * channels + c) * inner;
        const end = base + inner;
        const mean = meanOf(xd, base, end);
        const a = scale.data[c] / deviationOf(xd, base, end, mean, attrs.epsilon);
        const b = bias.data[c] - mean * a;
        for (let i = base; i < end; i++) yd[i] = xd[i] * a + b;
      }
    }
    return y;
  },
});
