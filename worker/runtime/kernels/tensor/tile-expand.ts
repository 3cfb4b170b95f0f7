/**
 * Expand and Tile: both are a read of the input with stride 0 along repeated axes, so both are one
 * call of the shared strided copy (which turns a broadcast innermost axis into a `fill`).
 */
import { kernel, kernelFail, required } from '../../kernel';
import { stridesOf } from '../../tensor';
import { broadcastShapes, broadcastStrides } from '../common/broadcast';
import { readInts } from './common';
import { stridedCopy } from './strided';
import { shapeText } from '../common/shape-text';

export const expandKernel = kernel({
  op: 'Expand',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const target = readInts(required(inputs, 1, ctx), ctx, 'shape');
    if (target.some((d) => d < 0)) kernelFail(ctx, `shape ${shapeText(target)} has a negative dimension`);
    const outShape = broadcastShapes(x.shape, target);
    if (!outShape) kernelFail(ctx, `input ${shapeText(x.shape)} cannot be broadcast to ${shapeText(target)}`);
    const out = ctx.output(0, x.dtype, outShape);
    stridedCopy(x.data, { shape: outShape, strides: broadcastStrides(x.shape, outShape), offset: 0 }, out.data);
    return out;
  },
});

export const tileKernel = kernel({
  op: 'Tile',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const repeats = readInts(required(inputs, 1, ctx), ctx, 'repeats');
    if (repeats.length !== x.rank) {
      kernelFail(ctx, `repeats ${shapeText(repeats)} must have one entry per input axis (input ${shapeText(x.shape)})`);
    }
    if (repeats.some((r) => r < 0)) kernelFail(ctx, `repeats ${shapeText(repeats)} must not be negative`);
    // The output [r0*d0, r1*d1, ...] is, row-major, the same as [r0, d0, r1, d1, ...] where each
    // repeat axis reads the input with stride 0.
    const strides = stridesOf(x.shape);
    const shape: number[] = [];
    const viewStrides: number[] = [];
    for (let i = 0; i < x.rank; i++) {
      shape.push(repeats[i], x.shape[i]);
      viewStrides.push(0, strides[i]);
    }
    const out = ctx.output(0, x.dtype, x.shape.map((d, i) => d * repeats[i]));
    stridedCopy(x.data, { shape, strides: viewStrides, offset: 0 }, out.data);
    return out;
  },
});
