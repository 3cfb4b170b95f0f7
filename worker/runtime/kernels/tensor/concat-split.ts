/**
 * Concat and Split: both move whole contiguous blocks (everything inside the axis is contiguous),
 * so each is one block copy per outer index and input/output.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { sizeOf } from '../../tensor';
import { copyRange, readInts } from './common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';

export const concatKernel = kernel({
  op: 'Concat',
  // Concat-1 defaulted the axis to 1; from opset 4 it is required
  attributes: (a, opset) => ({ axis: opset < 4 ? a.int('axis', 1) : a.int('axis') }),
  run(inputs, attrs, ctx) {
    const parts = inputs.filter((t): t is Tensor => t !== undefined);
    if (parts.length === 0) kernelFail(ctx, 'needs at least one input');
    const first = parts[0];
    const rank = first.rank;
    if (rank === 0) kernelFail(ctx, 'cannot concatenate scalars (rank 0); unsqueeze them first');
    const axis = normalizeAxis(attrs.axis, rank, ctx);
    let total = 0;
    for (const [i, t] of parts.entries()) {
      if (t.dtype !== first.dtype) kernelFail(ctx, `input ${i} is ${t.dtype} but input 0 is ${first.dtype}`);
      const same = t.rank === rank && t.shape.every((d, k) => k === axis || d === first.shape[k]);
      if (!same) {
        kernelFail(ctx, `input ${i} has shape ${shapeText(t.shape)}, which does not match input 0 ${shapeText(first.shape)} outside axis ${axis}`);
      }
      total += t.shape[axis];
    }
    const outShape = first.shape.slice();
    outShape[axis] = total;
    const out = ctx.output(0, first.dtype, outShape);
    const outer = sizeOf(first.shape.slice(0, axis));
    const inner = sizeOf(first.shape.slice(axis + 1));
    const outBlock = total * inner;
    let offset = 0;
    for (const t of parts) {
      const block = t.shape[axis] * inner;
      for (let o = 0; o < outer; o++) copyRange(t.data, o * block, out.data, o * outBlock + offset, block);
      offset += block;
    }
    return out;
  },
});

export interface SplitAttributes {
  axis: number;
  split?: number[];
  numOutputs?: number;
}

export const splitKernel = kernel<SplitAttributes>({
  op: 'Split',
  attributes: (a, opset) => {
    const split = opset < 13 && a.has('split') ? a.ints('split') : undefined;
    const numOutputs = opset >= 18 && a.has('num_outputs') ? a.int('num_outputs') : undefined;
    if (numOutputs !== undefined && numOutputs < 1) a.fail(`attribute "num_outputs" must be at least 1, got ${numOutputs}`);
    if (split?.some((s) => s < 0)) a.fail(`attribute "split" must not be negative: [${split.join(', ')}]`);
    return { axis: a.int('axis', 0), split, numOutputs };
  },
  run(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const axis = normalizeAxis(attrs.axis, x.rank, ctx);
    const dim = x.shape[axis];
    const count = ctx.node.outputs.length;
    const sizes = splitSizes(dim, count, attrs.split ?? (inputs[1] ? readInts(inputs[1], ctx, 'split') : undefined), attrs.numOutputs, ctx);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    const inBlock = dim * inner;
    const outputs: Tensor[] = [];
    let offset = 0;
    for (const [i, n] of sizes.entries()) {
      const shape = x.shape.slice();
      shape[axis] = n;
      const out = ctx.output(i, x.dtype, shape);
      const block = n * inner;
      for (let o = 0; o < outer; o++) copyRange(x.data, o * inBlock + offset, out.data, o * block, block);
      offset += block;
      outputs.push(out);
    }
    return outputs;
  },
});

function splitSizes(dim: number, count: number, split: number[] | undefined, numOutputs: number | undefined, ctx: Parameters<typeof kernelFail>[0]): number[] {
  if (split) {
    if (split.length !== count) kernelFail(ctx, `split [${split.join(', ')}] has ${split.length} parts but the node has ${count} outputs`);
    const sum = split.reduce((a, b) => a + b, 0);
    if (split.some((s) => s < 0) || sum !== dim) kernelFail(ctx, `split [${split.join(', ')}] sums to ${sum}, but the axis has ${dim} elements`);
    return split;
  }
  if (numOutputs !== undefined) {
    if (numOutputs !== count) kernelFail(ctx, `num_outputs is ${numOutputs} but the node has ${count} outputs`);
    // uneven: every chunk has ceil(dim / n) elements and the last takes the rest
    const chunk = Math.ceil(dim / numOutputs);
    const last = dim - chunk * (numOutputs - 1);
    if (last < 0) kernelFail(ctx, `cannot split ${dim} elements into ${numOutputs} chunks of ${chunk}`);
    return Array.from({ length: numOutputs }, (_, i) => (i === numOutputs - 1 ? last : chunk));
  }
  if (dim % count !== 0) kernelFail(ctx, `axis of ${dim} elements cannot be split evenly into ${count} outputs; give "split" sizes`);
  return new Array<number>(count).fill(dim / count);
}
