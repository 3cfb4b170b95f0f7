/**
 * Compress: keeps the slices along `axis` whose condition is true (numpy.compress). Without an
 * axis the input is flattened first. The condition may be shorter than the axis (the rest is
 * dropped) but not longer. The output size depends on the condition, so it is counted first.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sizeOf } from '../../tensor';
import { copyRange } from '../tensor/common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';

export const compressKernel = kernel({
  op: 'Compress',
  attributes: (a) => ({ axis: a.has('axis') ? a.int('axis') : undefined }),
  run(inputs, { axis: axisAttr }, ctx) {
    const x = required(inputs, 0, ctx);
    const condition = required(inputs, 1, ctx);
    if (condition.rank !== 1) kernelFail(ctx, `condition must be 1-D, got shape ${shapeText(condition.shape)}`);
    if (condition.dtype === 'string') kernelFail(ctx, 'condition must be bool, got string');
    const shape = axisAttr === undefined ? [x.size] : x.shape;
    if (axisAttr !== undefined && x.rank === 0) kernelFail(ctx, 'input must have rank >= 1 when axis is given');
    const axis = axisAttr === undefined ? 0 : normalizeAxis(axisAttr, x.rank, ctx);
    const dim = shape[axis];
    if (condition.size > dim) {
      kernelFail(ctx, `condition has ${condition.size} values but axis ${axis} of the input ${shapeText(shape)} has ${dim}; it may be shorter, not longer`);
    }
    const cond = condition.data as ArrayLike<number | bigint>;
    const kept: number[] = [];
    for (let i = 0; i < cond.length; i++) if (cond[i]) kept.push(i);
    const outShape = shape.slice();
    outShape[axis] = kept.length;
    const out = ctx.output(0, x.dtype, outShape);
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    let at = 0;
    for (let o = 0; o < outer; o++) {
      for (const i of kept) {
        copyRange(x.data, (o * dim + i) * inner, out.data, at, inner);
        at += inner;
      }
    }
    return out;
  },
});
