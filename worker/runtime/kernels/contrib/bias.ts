/**
 * The optional bias of the fused contrib ops (FastGelu, BiasGelu, BiasAdd, SkipLayerNormalization):
 * a vector over X's last dimension, added to every row.
 */
import { kernelFail, type PlanContext, type PlanInput } from '../../kernel';
import { shapeText } from '../common/shape-text';

/** Fails unless `bias` is 1-D with X's last dimension (`name` names it in the error). */
export function expectRowBias(bias: Pick<PlanInput, 'shape'>, x: Pick<PlanInput, 'shape'>, name: string, ctx: Pick<PlanContext, 'node'>): void {
  const width = x.shape[x.shape.length - 1];
  if (bias.shape.length !== 1 || bias.shape[0] !== width) {
    kernelFail(ctx, `input ${name} must be 1-D with X's last dimension ${width}, got ${shapeText(bias.shape)} (X is ${shapeText(x.shape)})`);
  }
}
