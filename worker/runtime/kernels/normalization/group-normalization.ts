/**
 * GroupNormalization: the channels of X [N, C, D1, ...] are split into num_groups contiguous
 * groups; each (sample, group) block is normalized by its own mean and variance,
 *   y = (x - mean) / sqrt(var + epsilon) * scale + bias
 * Opset 21 takes scale and bias per channel ([C]); opsets 18..20 took them per group
 * ([num_groups]), which is how models of those opsets were exported, so both are honoured.
 */
import { kernel, kernelFail } from '../../kernel';
import { sizeOf } from '../../tensor';
import { expectShape, floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';
import { deviationOf, meanOf } from './block-statistics';

export interface GroupNormalizationAttributes {
  readonly epsilon: number;
  readonly numGroups: number;
  /** true (opset 21+): scale/bias have one value per channel; false: one per group */
  readonly perChannel: boolean;
}

/** stash_type values the spec allows (float32, float16, float64, bfloat16); statistics are kept in double. */
const STASH_TYPES = [1, 10, 11, 16];

export const groupNormalizationKernel = kernel<GroupNormalizationAttributes>({
  op: 'GroupNormalization',
  attributes(attrs, opset) {
    const epsilon = attrs.float('epsilon', 1e-5);
    if (!(epsilon >= 0)) attrs.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
    const numGroups = attrs.int('num_groups');
    if (numGroups < 1) attrs.fail(`attribute "num_groups" must be a positive integer, got ${numGroups}`);
    const stash = attrs.int('stash_type', 1);
    if (!STASH_TYPES.includes(stash)) attrs.fail(`attribute "stash_type" is ${stash}; supported: ${STASH_TYPES.join(', ')}`);
    return { epsilon, numGroups, perChannel: opset >= 21 };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const scale = floatInput(inputs, 1, 'scale', ctx);
    const bias = floatInput(inputs, 2, 'bias', ctx);
    if (x.rank < 2) kernelFail(ctx, `input X must have rank >= 2 ([N, C, ...]), got ${shapeText(x.shape)}`);
    const [batch, channels] = x.shape;
    const groups = attrs.numGroups;
    if (channels % groups !== 0) {
      kernelFail(ctx, `the ${channels} channels of X ${shapeText(x.shape)} do not split into num_groups = ${groups} equal groups`);
    }
    const paramShape = [attrs.perChannel ? channels : groups];
    expectShape(scale, paramShape, 'scale', ctx);
    expectShape(bias, paramShape, 'bias', ctx);
    const inner = sizeOf(x.shape.slice(2));
    const channelsPerGroup = channels / groups;
    const blockSize = channelsPerGroup * inner;
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const xd = x.data;
    const yd = y.data;
    const sd = scale.data;
    const bd = bias.data;
    for (let block = 0; block < batch * groups; block++) {
      const start = block * blockSize;
      const end = start + blockSize;
      const mean = meanOf(xd, start, end);
      const inv = 1 / deviationOf(xd, start, end, mean, attrs.epsilon);
      const g = block % groups;
      for (let k = 0; k < channelsPerGroup; k++) {
        const p = attrs.perChannel ? g * channelsPerGroup + k : g;
        const a = sd[p] * inv;
        const b = bd[p] - mean * a;
        const base = start + k * inner;
        for (let i = base; i < base + inner; i++) yd[i] = xd[i] * a + b;
      }
    }
    return y;
  },
});
