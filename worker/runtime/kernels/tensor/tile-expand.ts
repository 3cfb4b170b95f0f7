/**
 * Expand and Tile: both are a read of the input with stride 0 along repeated axes, so both are one
 * call of the shared strided copy (which turns a broadcast innermost axis into a `fill`). When the
 * target shape or the repeats are a weight, the plan holds the output shape and the view.
 */
import { kernel, kernelFail, required, type PlanContext } from '../../kernel';
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

/** Expand or Tile: input 1 (`what`) and the input's shape give the layout. */
function repeatKernel(op: string, what: string, layoutOf: (shape: readonly number[], values: readonly number[], ctx: Ctx) => RepeatLayout) {
  return kernel({
    op,
    plan(inputs, _attrs, ctx): RepeatPlan {
      const x = required(inputs, 0, ctx);
      const values = plannedInts(required(inputs, 1, ctx), ctx, what);
      return { dtype: x.dtype, layout: values ? layoutOf(x.shape, values, ctx) : null };
    },
    outputs: (plan) => (plan.layout ? [{ dtype: plan.dtype, shape: plan.layout.outShape }] : undefined),
    run(inputs, _attrs, ctx, plan) {
      const x = inputs[0]!;
      const layout = plan.layout ?? layoutOf(x.shape, readInts(inputs[1]!, ctx, what), ctx);
      const out = ctx.output(0, x.dtype, layout.outShape);
      stridedCopy(x.data, layout.view, out.data);
      return out;
    },
  });
}

export const expandKernel = repeatKernel('Expand', 'shape', expandLayout);
export const tileKernel = repeatKernel('Tile', 'repeats', tileLayout);
