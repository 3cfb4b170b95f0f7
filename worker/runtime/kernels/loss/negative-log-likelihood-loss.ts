/**
 * NegativeLogLikelihoodLoss (opset 12+): input holds log-probabilities [N, C, d1..dk], target the
 * class of each [N, d1..dk] element; see loss-core.ts for weights, ignore_index and reductions.
 */
import { kernel } from '../../kernel';
import { lossOperands, lossShape, negativeLogLikelihood, parseLossAttributes, type LossAttributes } from './loss-core';
import type { FloatTensor } from '../common/tensor-types';

export const negativeLogLikelihoodLossKernel = kernel<LossAttributes>({
  op: 'NegativeLogLikelihoodLoss',
  attributes: (r) => parseLossAttributes(r),
  run(inputs, attrs, ctx) {
    const ops = lossOperands(inputs[0], inputs[1], inputs[2], ['input', 'target', 'weight'], ctx);
    const out = ctx.output(0, ops.input.dtype, lossShape(ops, attrs.reduction)) as FloatTensor;
    negativeLogLikelihood(ops, ops.input.data, attrs, out.data, ctx);
    return out;
  },
});
