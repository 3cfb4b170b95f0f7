/**
 * Concat and Split: both move whole contiguous blocks (everything inside the axis is contiguous),
 * so each is one block copy per outer index and input/output. The plans hold the shapes and block
 * sizes.
 */
import { kernel, kernelFail, required, type PlanInput } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { copyRange, plannedInts, readInts } from './common';
import { singleOutput } from '../common/planned-output';
import { sizeBetween } from '../../tensor';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';

interface ConcatPlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  /** the product of the dimensions before the axis: blocks per input */
  readonly outer: number;
  /** elements of one block of each present input, in order */
  readonly blocks: readonly number[];
  /** elements of one block of the output */
  readonly outBlock: number;
}

export const concatKernel = kernel({
  op: 'Concat',
  // Concat-1 defaulted the axis to 1; from opset 4 it is required
  attributes: (a, opset) => ({ axis: opset < 4 ? a.int('axis', 1) : a.int('axis') }),
  plan(inputs, attrs, ctx): ConcatPlan {
    const parts = inputs.filter((t): t is PlanInput => t !== undefined);
    if (parts.length === 0) kernelFail(ctx, 'needs at least one input');
    const first = parts[0];
    const rank = first.shape.length;
    if (rank === 0) kernelFail(ctx, 'cannot concatenate scalars (rank 0); unsqueeze them first');
    const axis = normalizeAxis(attrs.axis, rank, ctx);
    let total = 0;
    for (const [i, t] of parts.entries()) {
      if (t.dtype !== first.dtype) kernelFail(ctx, `input ${i} is ${t.dtype} but input 0 is ${first.dtype}`);
      const same = t.shape.length === rank && t.shape.every((d, k) => k === axis || d === first.shape[k]);
      if (!same) {
        kernelFail(ctx, `input ${i} has shape ${shapeText(t.shape)}, which does not match input 0 ${shapeText(first.shape)} outside axis ${axis}`);
      }
      total += t.shape[axis];
    }
    const outShape = first.shape.slice();
    outShape[axis] = total;
    const inner = sizeBetween(first.shape, axis + 1);
    return { dtype: first.dtype, outShape, outer: sizeBetween(first.shape, 0, axis), blocks: parts.map((t) => t.shape[axis] * inner), outBlock: total * inner };
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const out = ctx.output(0, plan.dtype, plan.outShape);
    const { outer, blocks, outBlock } = plan;
    let offset = 0;
    for (let i = 0, part = 0; i < inputs.length; i++) {
      const t = inputs[i];
      if (t === undefined) continue;
      const block = blocks[part++];
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

/** The output shapes and block sizes of a Split of the input's signature into known sizes. */
interface SplitLayout {
  readonly shapes: ReadonlyArray<readonly number[]>;
  readonly outer: number;
  readonly inner: number;
  readonly inBlock: number;
  readonly sizes: readonly number[];
}

interface SplitPlan {
  readonly dtype: DType;
  readonly axis: number;
  /** null when the sizes arrive as an activation input (read every run) */
  readonly layout: SplitLayout | null;
  /** the output list, reused by every run */
  readonly list: Tensor[];
}

export const splitKernel = kernel<SplitAttributes, SplitPlan>({
  op: 'Split',
  attributes: (a, opset) => {
    const split = opset < 13 && a.has('split') ? a.ints('split') : undefined;
    const numOutputs = opset >= 18 && a.has('num_outputs') ? a.int('num_outputs') : undefined;
    if (numOutputs !== undefined && numOutputs < 1) a.fail(`attribute "num_outputs" must be at least 1, got ${numOutputs}`);
    if (split?.some((s) => s < 0)) a.fail(`attribute "split" must not be negative: [${split.join(', ')}]`);
    return { axis: a.int('axis', 0), split, numOutputs };
  },
  plan(inputs, attrs, ctx): SplitPlan {
    const x = required(inputs, 0, ctx);
    const axis = normalizeAxis(attrs.axis, x.shape.length, ctx);
    const given = attrs.split ?? plannedInts(inputs[1], ctx, 'split');
    const layout = given === null ? null : splitLayout(x.shape, axis, splitSizes(x.shape[axis], ctx.node.outputs.length, given, attrs.numOutputs, ctx));
    return { dtype: x.dtype, axis, layout, list: [] };
  },
  outputs: (plan) => plan.layout?.shapes.map((shape) => ({ dtype: plan.dtype, shape })),
  run(inputs, attrs, ctx, plan) {
    const x = inputs[0]!;
    const layout = plan.layout ?? splitLayout(x.shape, plan.axis, splitSizes(x.shape[plan.axis], ctx.node.outputs.length, readInts(inputs[1]!, ctx, 'split'), attrs.numOutputs, ctx));
    const { shapes, outer, inner, inBlock, sizes } = layout;
    const outputs = plan.list;
    outputs.length = sizes.length;
    let offset = 0;
    for (let i = 0; i < sizes.length; i++) {
      const out = ctx.output(i, x.dtype, shapes[i]);
      const block = sizes[i] * inner;
      for (let o = 0; o < outer; o++) copyRange(x.data, o * inBlock + offset, out.data, o * block, block);
      offset += block;
      outputs[i] = out;
    }
    return outputs;
  },
});

function splitLayout(shape: readonly number[], axis: number, sizes: readonly number[]): SplitLayout {
  const inner = sizeBetween(shape, axis + 1);
  const shapes = sizes.map((n) => {
    const s = shape.slice();
    s[axis] = n;
    return s;
  });
  return { shapes, outer: sizeBetween(shape, 0, axis), inner, inBlock: shape[axis] * inner, sizes };
}

function splitSizes(dim: number, count: number, split: readonly number[] | undefined, numOutputs: number | undefined, ctx: Parameters<typeof kernelFail>[0]): readonly number[] {
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
