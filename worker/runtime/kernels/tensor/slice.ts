/**
 * Slice: starts/ends/axes/steps as inputs (opset >= 10) or starts/ends/axes attributes (before).
 * The selection is expressed as a strided view of the input (negative steps are negative strides)
 * and copied by the shared strided loop. INT64_MAX / INT64_MIN ends ("to the end") saturate when
 * converted to numbers and are clamped like any other out-of-range bound. When the bounds are
 * attributes or weights, the plan holds the view.
 */
import type { KernelContext, PlanInput } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import { stridesOf, type DType, type Tensor } from '../../tensor';
import { plannedInts, readInts } from './common';
import type { StridedView } from './strided';
import { coalesce, stridedCopy } from './strided';
import { normalizeAxes } from '../common/axes';
import { singleOutput } from '../common/planned-output';

export interface SliceSpec {
  starts: readonly number[];
  ends: readonly number[];
  axes?: readonly number[];
  steps?: readonly number[];
}

/** The strided view of a tensor of `shape` that a Slice selects. */
export function sliceView(shape: readonly number[], spec: SliceSpec, ctx: Pick<KernelContext, 'node'>): StridedView {
  const { starts, ends } = spec;
  if (starts.length !== ends.length) kernelFail(ctx, `starts has ${starts.length} values but ends has ${ends.length}`);
  const axesIn = spec.axes ?? starts.map((_, i) => i);
  if (axesIn.length !== starts.length) kernelFail(ctx, `axes has ${axesIn.length} values but starts has ${starts.length}`);
  const steps = spec.steps ?? starts.map(() => 1);
  if (steps.length !== starts.length) kernelFail(ctx, `steps has ${steps.length} values but starts has ${starts.length}`);
  const axes = normalizeAxes(axesIn, shape.length, ctx);

  const base = stridesOf(shape);
  const outShape = shape.slice();
  const strides = base.slice();
  let offset = 0;
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i];
    const dim = shape[a];
    const step = steps[i];
    if (step === 0) kernelFail(ctx, `step for axis ${a} is 0`);
    let start = starts[i] < 0 ? starts[i] + dim : starts[i];
    let end = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (step > 0) {
      start = clamp(start, 0, dim);
      end = clamp(end, 0, dim);
    } else {
      start = clamp(start, 0, dim - 1);
      end = clamp(end, -1, dim - 1);
    }
    const count = Math.max(0, Math.ceil((end - start) / step));
    outShape[a] = count;
    if (count > 0) offset += start * base[a];
    strides[a] = base[a] * step;
  }
  return { shape: outShape, strides, offset };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

interface SlicePlan {
  readonly dtype: DType;
  /** null when starts, ends, axes or steps arrive as activations (read every run) */
  readonly outShape: readonly number[] | null;
  readonly view: StridedView | null;
}

export const sliceKernel = kernel({
  op: 'Slice',
  attributes: (a, opset) =>
    opset < 10
      ? { starts: a.ints('starts'), ends: a.ints('ends'), axes: a.has('axes') ? a.ints('axes') : undefined }
      : undefined,
  plan(inputs, attrs, ctx): SlicePlan {
    const x = required(inputs, 0, ctx);
    const spec = attrs ?? plannedSpec(inputs, ctx);
    if (spec === null) return { dtype: x.dtype, outShape: null, view: null };
    const view = sliceView(x.shape, spec, ctx);
    return { dtype: x.dtype, outShape: view.shape, view: coalesce(view) };
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const x = inputs[0]!;
    const view = plan.view ?? sliceView(x.shape, runSpec(inputs, ctx), ctx);
    const out = ctx.output(0, x.dtype, plan.outShape ?? view.shape);
    stridedCopy(x.data, view, out.data);
    return out;
  },
});

/** The spec from inputs 1-4 when all present ones are weights; null when one is an activation. */
function plannedSpec(inputs: ReadonlyArray<PlanInput | undefined>, ctx: Pick<KernelContext, 'node'>): SliceSpec | null {
  const starts = plannedInts(required(inputs, 1, ctx), ctx, 'starts');
  const ends = plannedInts(required(inputs, 2, ctx), ctx, 'ends');
  const axes = plannedInts(inputs[3], ctx, 'axes');
  const steps = plannedInts(inputs[4], ctx, 'steps');
  if (starts == null || ends == null || axes === null || steps === null) return null;
  return { starts, ends, axes, steps };
}

function runSpec(inputs: ReadonlyArray<Tensor | undefined>, ctx: Pick<KernelContext, 'node'>): SliceSpec {
  return {
    starts: readInts(required(inputs, 1, ctx), ctx, 'starts'),
    ends: readInts(required(inputs, 2, ctx), ctx, 'ends'),
    axes: inputs[3] ? readInts(inputs[3], ctx, 'axes') : undefined,
    steps: inputs[4] ? readInts(inputs[4], ctx, 'steps') : undefined,
  };
}
