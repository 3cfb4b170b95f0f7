/**
 * SoftmaxCrossEntropyLoss (opset 12+): log-softmax of the scores [N, C, d1..dk] along the class
 * axis, then the negative log-likelihood of the labels (loss-core.ts). The optional second output
 * is that log-probability tensor.
 */
import { kernel } from '../../kernel';
import { lossOperands, lossShape, negativeLogLikelihood, parseLossAttributes, type LossAttributes } from './loss-core';
import type { FloatTensor } from '../common/tensor-types';
import { wantsOutput, workBuffer } from '../common/work-buffers';
import type { Floats } from '../common/tensor-types';

export const softmaxCrossEntropyLossKernel = kernel<LossAttributes>({
  op: 'SoftmaxCrossEntropyLoss',
  attributes: (r) => parseLossAttributes(r),
  run(inputs, attrs, ctx) {
    const ops = lossOperands(inputs[0], inputs[1], inputs[2], ['scores', 'labels', 'weights'], ctx);
    const { input } = ops;
    const wantsLogProb = wantsOutput(ctx, 1);
    const logProbTensor = wantsLogProb ? (ctx.output(1, input.dtype, input.shape) as FloatTensor) : undefined;
    const logProb = logProbTensor ? logProbTensor.data : workBuffer(ctx, input.dtype, input.size);
    logSoftmaxOverClasses(input.data, logProb, ops.n, ops.c, ops.d);
    const out = ctx.output(0, input.dtype, lossShape(ops, attrs.reduction)) as FloatTensor;
    negativeLogLikelihood(ops, logProb, attrs, out.data, ctx);
    return logProbTensor ? ctx.results(out, logProbTensor) : out;
  },
});

/** y[n, :, j] = x[n, :, j] - max - log(sum(exp(x[n, :, j] - max))), per column of C values. */
function logSoftmaxOverClasses(x: Floats, y: Floats, n: number, c: number, d: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const base = i * c * d + j;
      const end = base + c * d;
      let max = -Infinity;
      for (let p = base; p < end; p += d) if (x[p] > max) max = x[p];
      let sum = 0;
      for (let p = base; p < end; p += d) sum += Math.exp(x[p] - max);
      const shift = max + Math.log(sum);
      for (let p = base; p < end; p += d) y[p] = x[p] - shift;
    }
  }
}
