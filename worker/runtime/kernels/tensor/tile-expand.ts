/**
 * Expand and Tile: both are a read of the input with stride 0 along repeated axes, so both are one
 * call of the shared strided copy (which turns a broadcast innermost axis into a `fill`). When the
 * target shape or the repeats are a weight, the plan holds the output shape and the view.
 */
import { kernel, kernelFail, required, type OutputSignature, type PlanContext } from '../../kernel';
import { stridesOf, type DType } from '../../tensor';
import { broadcastShapes, broadcastStrides } from '../common/broadcast';
import { plannedInts, readInts } from './common';
import { stridedCopy, type StridedView } from './strided';
import { shapeText } from '../common/shape-text';

type Ctx = Pick<PlanContext, 'node'>;

/** The output and the strided view of the input that fills it. */
interface RepeatLayout {
  readonly outShape: readonly number[];
  readonly view: StridedView;
}

interface RepeatPlan {
  readonly dtype: DType;
  /** null when the shape or repeats arrive as an activation (read every run) */
  readonly layout: RepeatLayout | null;
}

const repeatOutputs = (plan: RepeatPlan): readonly OutputSignature[] | undefined => (plan.layout ? [{ dtype: plan.dtype, shape: plan.layout.outShape }] : undefined);

function expandLayout(shape: readonly number[], target: readonly number[], ctx: Ctx): RepeatLayout {
  if (target.some((d) => d < 0)) kernelFail(ctx, `shape ${shapeText(target)} has a negative dimension`);
  const outShape = broadcastShapes(shape, target);
  if (!outShape) kernelFail(ctx, `input ${shapeText(shape)} cannot be broadcast to ${shapeText(target)}`);
  return { outShape, view: { shape: outShape, strides: broadcastStrides(shape, outShape), offset: 0 } };
}

function tileLayout(shape: readonly number[], repeats: readonly number[], ctx: Ctx): RepeatLayout {
  if (repeats.length !== shape.length) {
    kernelFail(ctx, `repeats ${shapeText(repeats)} must have one entry per input axis (input ${shapeText(shape)})`);
  }
  if (repeats.some((r) => r < 0)) kernelFail(ctx, `repeats ${shapeText(repeats)} must not be negative`);
  // The output [r0*d0, r1*d1, ...] is, row-major, the same as [r0, d0, r1, d1, ...] where each
  // repeat axis reads the input with stride 0.
  const strides = stridesOf(shape);
  const viewShape: number[] = [];
  const viewStrides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    viewShape.push(repeats[i], shape[i]);
    viewStrides.push(0, strides[i]);
  }
  return { outShape: shape.map((d, i) => d * repeats[i]), view: { shape: viewShape, strides: viewStrides, offset: 0 } };
}

export const expandKernel = kernel({
  op: 'Expand',
  plan(inputs, _attrs, ctx): RepeatPlan {
    const x = required(inputs, 0, ctx);
    const target = plannedInts(required(inputs, 1, ctx), ctx, 'shape');
    return { dtype: x.dtype, layout: target ? expandLayout(x.shape, target, ctx) : null };
  },
  outputs: repeatOutputs,
  run(inputs, _attrs, ctx, plan) {
    const x = inputs[0]!;
    const layout = plan.layout ?? expandLayout(x.shape, readInts(inputs[1]!, ctx, 'shape'), ctx);
    const out = ctx.output(0, x.dtype, layout.outShape);
    stridedCopy(x.data, layout.view, out.data);
    return out;
  },
});

export const tileKernel = kernel({
  op: 'Tile',
  plan(inputs, _attrs, ctx): RepeatPlan {
    const x = required(inputs, 0, ctx);
    const repeats = plannedInts(required(inputs, 1, ctx), ctx, 'repeats');
    return { dtype: x.dtype, layout: repeats ? tileLayout(x.shape, repeats, ctx) : null };
  },
  outputs: repeatOutputs,
  run(inputs, _attrs, ctx, plan) {
    const x = inputs[0]!;
    const layout = plan.layout ?? tileLayout(x.shape, readInts(inputs[1]!, ctx, 'repeats'), ctx);
    const out = ctx.output(0, x.dtype, layout.outShape);
    stridedCopy(x.data, layout.view, out.data);
    return out;
  },
});
