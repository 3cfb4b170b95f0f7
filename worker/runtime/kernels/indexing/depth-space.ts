/**
 * DepthToSpace and SpaceToDepth on NCHW tensors: both are a reshape to 6-D, a transpose and a
 * reshape back, done as one strided copy (tensor/strided.ts) over the permuted 6-D view.
 * DepthToSpace mode DCR (default) takes depth as [block, block, C'], CRD as [C', block, block].
 */
import type { AttributeReader } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { stridesOf } from '../../tensor';
import { stridedCopy } from '../tensor/strided';
import type { Ctx } from './common';
import { shapeText } from '../common/shape-text';

function blocksize(a: AttributeReader): number {
  const b = a.int('blocksize');
  if (b < 1) a.fail(`attribute "blocksize" must be >= 1, got ${b}`);
  return b;
}

function expect4D(x: Tensor, ctx: Ctx): [number, number, number, number] {
  if (x.rank !== 4) kernelFail(ctx, `input must be 4-D [N, C, H, W], got shape ${shapeText(x.shape)}`);
  return x.shape as [number, number, number, number];
}

/** Copies x viewed as the 6-D shape `split`, with axes permuted by `perm`, into out. */
function permuteInto(x: Tensor, split: readonly number[], perm: readonly number[], out: Tensor): void {
  const strides = stridesOf(split);
  stridedCopy(x.data, { shape: perm.map((p) => split[p]), strides: perm.map((p) => strides[p]), offset: 0 }, out.data);
}

export const depthToSpaceKernel = kernel({
  op: 'DepthToSpace',
  attributes: (a, opset) => ({ blocksize: blocksize(a), mode: opset >= 11 ? a.oneOf('mode', ['DCR', 'CRD'], 'DCR') : 'DCR' }),
  run(inputs, { blocksize: b, mode }, ctx) {
    const x = required(inputs, 0, ctx);
    const [n, c, h, w] = expect4D(x, ctx);
    if (c % (b * b) !== 0) kernelFail(ctx, `channels (${c}) must be divisible by blocksize² (${b * b})`);
    const depth = c / (b * b);
    const out = ctx.output(0, x.dtype, [n, depth, h * b, w * b]);
    if (mode === 'DCR') permuteInto(x, [n, b, b, depth, h, w], [0, 3, 4, 1, 5, 2], out);
    else permuteInto(x, [n, depth, b, b, h, w], [0, 1, 4, 2, 5, 3], out);
    return out;
  },
});

export const spaceToDepthKernel = kernel({
  op: 'SpaceToDepth',
  attributes: (a) => ({ blocksize: blocksize(a) }),
  run(inputs, { blocksize: b }, ctx) {
    const x = required(inputs, 0, ctx);
    const [n, c, h, w] = expect4D(x, ctx);
    if (h % b !== 0 || w % b !== 0) kernelFail(ctx, `height (${h}) and width (${w}) must be divisible by blocksize (${b})`);
    const out = ctx.output(0, x.dtype, [n, c * b * b, h / b, w / b]);
    permuteInto(x, [n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4], out);
    return out;
  },
});
