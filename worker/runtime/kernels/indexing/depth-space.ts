/**
 * DepthToSpace and SpaceToDepth on NCHW tensors: both are a reshape to 6-D, a transpose and a
 * reshape back, done as one strided copy (tensor/strided.ts) over the permuted 6-D view.
 * DepthToSpace mode DCR (default) takes depth as [block, block, C'], CRD as [C', block, block].
 * The plan holds the output shape and the view.
 */
import type { AttributeReader, KernelContext, PlanInput } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { stridesOf } from '../../tensor';
import { coalesce, stridedCopy, type StridedView } from '../tensor/strided';
import { singleOutput } from '../common/planned-output';
import type { Ctx } from './common';
import { shapeText } from '../common/shape-text';

function blocksize(a: AttributeReader): number {
  const b = a.int('blocksize');
  if (b < 1) a.fail(`attribute "blocksize" must be >= 1, got ${b}`);
  return b;
}

function expect4D(x: PlanInput, ctx: Ctx): [number, number, number, number] {
  if (x.shape.length !== 4) kernelFail(ctx, `input must be 4-D [N, C, H, W], got shape ${shapeText(x.shape)}`);
  return x.shape as [number, number, number, number];
}

/** The output shape and the input viewed as 6-D with its axes permuted, coalesced. */
interface RearrangePlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  readonly view: StridedView;
}

/** x of dtype `dtype` viewed as the 6-D shape `split`, axes permuted by `perm`, into `outShape`. */
function rearrangePlan(dtype: DType, outShape: readonly number[], split: readonly number[], perm: readonly number[]): RearrangePlan {
  const strides = stridesOf(split);
  return { dtype, outShape, view: coalesce({ shape: perm.map((p) => split[p]), strides: perm.map((p) => strides[p]), offset: 0 }) };
}

function runRearrange(inputs: ReadonlyArray<Tensor | undefined>, ctx: KernelContext, plan: RearrangePlan): Tensor {
  const out = ctx.output(0, plan.dtype, plan.outShape);
  stridedCopy(inputs[0]!.data, plan.view, out.data);
  return out;
}

export const depthToSpaceKernel = kernel({
  op: 'DepthToSpace',
  attributes: (a, opset) => ({ blocksize: blocksize(a), mode: opset >= 11 ? a.oneOf('mode', ['DCR', 'CRD'], 'DCR') : 'DCR' }),
  plan(inputs, { blocksize: b, mode }, ctx) {
    const x = required(inputs, 0, ctx);
    const [n, c, h, w] = expect4D(x, ctx);
    if (c % (b * b) !== 0) kernelFail(ctx, `channels (${c}) must be divisible by blocksize² (${b * b})`);
    const depth = c / (b * b);
    const outShape = [n, depth, h * b, w * b];
    if (mode === 'DCR') return rearrangePlan(x.dtype, outShape, [n, b, b, depth, h, w], [0, 3, 4, 1, 5, 2]);
    return rearrangePlan(x.dtype, outShape, [n, depth, b, b, h, w], [0, 1, 4, 2, 5, 3]);
  },
  outputs: singleOutput,
  run: (inputs, _attrs, ctx, plan) => runRearrange(inputs, ctx, plan),
});

export const spaceToDepthKernel = kernel({
  op: 'SpaceToDepth',
  attributes: (a) => ({ blocksize: blocksize(a) }),
  plan(inputs, { blocksize: b }, ctx) {
    const x = required(inputs, 0, ctx);
    const [n, c, h, w] = expect4D(x, ctx);
    if (h % b !== 0 || w % b !== 0) kernelFail(ctx, `height (${h}) and width (${w}) must be divisible by blocksize (${b})`);
    return rearrangePlan(x.dtype, [n, c * b * b, h / b, w / b], [n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4]);
  },
  outputs: singleOutput,
  run: (inputs, _attrs, ctx, plan) => runRearrange(inputs, ctx, plan),
});
