/**
 * BatchNormalization (opsets 1..15). Inference uses the stored statistics:
 *   y = (x - mean) / sqrt(var + epsilon) * scale + B
 * folded into one multiply-add per element. `spatial = 0` (opsets 1..8) takes per-activation
 * parameters of shape X.shape[1:]. `training_mode = 1` (opset 14+) normalizes with the batch's own
 * statistics and also returns the updated running mean and variance, as the spec describes.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import { sizeOf, type Tensor } from '../../tensor';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';

export interface BatchNormalizationAttributes {
  readonly epsilon: number;
  readonly momentum: number;
  /** true: one parameter per channel; false: one per activation (X.shape[1:]) */
  readonly spatial: boolean;
  readonly trainingMode: boolean;
}

export const batchNormalizationKernel = kernel<BatchNormalizationAttributes>({
  op: 'BatchNormalization',
  attributes(attrs, opset) {
    const epsilon = attrs.float('epsilon', 1e-5);
    const momentum = attrs.float('momentum', 0.9);
    const spatial = opset < 9 ? attrs.int('spatial', 1) !== 0 : true;
    const trainingMode = opset >= 14 ? attrs.int('training_mode', 0) !== 0 : false;
    if (!(epsilon >= 0)) attrs.fail(`attribute "epsilon" must be >= 0, got ${epsilon}`);
    const extraOutputs = attrs.node.outputs.slice(1).filter((name) => name !== '').length;
    if (extraOutputs > 0 && !trainingMode) {
      attrs.fail(
        opset >= 14
          ? 'outputs running_mean and running_var are only defined with training_mode = 1; remove them for inference'
          : `training outputs (mean, var, saved_mean, saved_var) of opset ${opset} are not supported; export the model for inference (only Y)`,
      );
    }
    if (trainingMode && attrs.node.outputs.length > 3) attrs.fail('training_mode = 1 has at most 3 outputs (Y, running_mean, running_var)');
    return { epsilon, momentum, spatial, trainingMode };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const names = ['scale', 'B', 'input_mean', 'input_var'];
    const params = names.map((name, i) => floatInput(inputs, i + 1, name, ctx));
    if (x.rank < 2) kernelFail(ctx, `input X must have rank >= 2 ([N, C, ...]), got ${shapeText(x.shape)}`);
    const channels = x.shape[1];
    const inner = sizeOf(x.shape.slice(2));
    // per-activation parameters cover C x D1 x ... (spatial = 0); otherwise one value per channel
    const paramSize = attrs.spatial ? channels : channels * inner;
    const paramShape = attrs.spatial ? [channels] : x.shape.slice(1);
    params.forEach((p, i) => {
      if (p.size !== paramSize || (attrs.spatial && p.rank !== 1)) {
        kernelFail(ctx, `input ${names[i]} must have shape ${shapeText(paramShape)} for X of shape ${shapeText(x.shape)}, got ${shapeText(p.shape)}`);
      }
    });
    const [scale, bias, mean, variance] = params;
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    if (attrs.trainingMode) return runTraining(x, scale, bias, mean, variance, attrs, y, ctx);

    const batch = x.shape[0];
    const xd = x.data;
    const yd = y.data;
    const perChannel = attrs.spatial ? inner : 1;
    const groups = attrs.spatial ? channels : channels * inner;
    for (let g = 0; g < groups; g++) {
      const a = scale.data[g] / Math.sqrt(variance.data[g] + attrs.epsilon);
      const b = bias.data[g] - mean.data[g] * a;
      for (let n = 0; n < batch; n++) {
        let o = (n * groups + g) * perChannel;
        const end = o + perChannel;
        for (; o < end; o++) yd[o] = xd[o] * a + b;
      }
    }
    return y;
  },
});

/** Normalizes with the batch statistics and blends them into the running ones. */
function runTraining(
  x: FloatTensor,
  scale: FloatTensor,
  bias: FloatTensor,
  runningMean: FloatTensor,
  runningVar: FloatTensor,
  attrs: BatchNormalizationAttributes,
  y: FloatTensor,
  ctx: KernelContext,
): Tensor[] {
  const [batch, channels] = x.shape;
  const inner = sizeOf(x.shape.slice(2));
  const count = batch * inner;
  const outMean = ctx.output(1, runningMean.dtype, [channels]) as FloatTensor;
  const outVar = ctx.output(2, runningVar.dtype, [channels]) as FloatTensor;
  const xd = x.data;
  const yd = y.data;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = 0; i < inner; i++) sum += xd[base + i];
    }
    const mu = sum / count;
    let sq = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const d = xd[base + i] - mu;
        sq += d * d;
      }
    }
    const sigma2 = sq / count;
    const a = scale.data[c] / Math.sqrt(sigma2 + attrs.epsilon);
    const b = bias.data[c] - mu * a;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * inner;
      for (let i = 0; i < inner; i++) yd[base + i] = xd[base + i] * a + b;
    }
    outMean.data[c] = runningMean.data[c] * attrs.momentum + mu * (1 - attrs.momentum);
    outVar.data[c] = runningVar.data[c] * attrs.momentum + sigma2 * (1 - attrs.momentum);
  }
  return [y, outMean, outVar];
}
