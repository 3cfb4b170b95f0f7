/**
 * The pure view ops: Reshape, Flatten, Squeeze, Unsqueeze, Identity and (inference) Dropout.
 * None of them copies: each returns the input's data under a new shape. Their plans hold the
 * output shape when it follows from the signature; as views they state no planned outputs (the
 * shape probe runs them, which costs nothing).
 */
import type { AttributeReader, KernelContext, PlanInput } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { sizeBetween, sizeOf } from '../../tensor';
import { plannedInts, readInts, readScalar } from './common';
import { normalizeAxes } from '../common/axes';
import { shapeText } from '../common/shape-text';
import { wantsOutput } from '../common/work-buffers';

type Ctx = Pick<KernelContext, 'node'>;

/** The output shape of Reshape: 0 copies the input dimension (unless allowzero), -1 is inferred. */
export function reshapeTarget(inShape: readonly number[], target: readonly number[], allowZero: boolean, ctx: Ctx): number[] {
  const out: number[] = [];
  let inferred = -1;
  for (let i = 0; i < target.length; i++) {
    const d = target[i];
    if (d === 0 && !allowZero) {
      if (i >= inShape.length) kernelFail(ctx, `shape ${shapeText(target)} copies dimension ${i} (0) but the input ${shapeText(inShape)} has rank ${inShape.length}`);
      out.push(inShape[i]);
    } else if (d === -1) {
      if (inferred >= 0) kernelFail(ctx, `shape ${shapeText(target)} has more than one -1`);
      inferred = i;
      out.push(1);
    } else if (d < -1 || !Number.isInteger(d)) {
      kernelFail(ctx, `shape ${shapeText(target)} has an invalid dimension ${d}`);
    } else {
      out.push(d);
    }
  }
  const total = sizeOf(inShape);
  if (inferred >= 0) {
    if (allowZero && target.includes(0)) kernelFail(ctx, `shape ${shapeText(target)} combines -1 with 0 while allowzero=1`);
    const known = sizeOf(out);
    if (known === 0 || total % known !== 0) {
      kernelFail(ctx, `cannot reshape input ${shapeText(inShape)} (${total} elements) to ${shapeText(target)}: -1 cannot be inferred`);
    }
    out[inferred] = total / known;
  }
  if (sizeOf(out) !== total) {
    kernelFail(ctx, `cannot reshape input ${shapeText(inShape)} (${total} elements) to ${shapeText(target)} (${sizeOf(out)} elements)`);
  }
  return out;
}

/**
 * The plan of a view op: the output shape when it follows from the signature (null when it depends
 * on an input's values), and the last view made, handed out again while the input is the same
 * tensor (the producer's reused buffer), so that steady-state runs make no view.
 */
export interface ViewPlan {
  readonly outShape: readonly number[] | null;
  lastInput: Tensor | null;
  lastView: Tensor | null;
}

/** `x` under the plan's shape: the last view again when `x` is the tensor it was made of. */
function viewOf(x: Tensor, plan: ViewPlan, shape: readonly number[]): Tensor {
  if (plan.lastInput === x && plan.lastView !== null) return plan.lastView;
  const view = x.reshape(shape);
  plan.lastInput = x;
  plan.lastView = view;
  return view;
}

export const reshapeKernel = kernel({
  op: 'Reshape',
  attributes: (a, opset) => ({
    allowZero: a.int('allowzero', 0) === 1,
    // Reshape-1..4 carried the target shape as an attribute
    shape: opset < 5 ? a.ints('shape') : undefined,
  }),
  plan(inputs, attrs, ctx): ViewPlan {
    const x = required(inputs, 0, ctx);
    // the target is known from the signature when it is the attribute or a weight
    const weight = attrs.shape ? undefined : required(inputs, 1, ctx).value;
    const target = attrs.shape ?? (weight ? readInts(weight, ctx, 'shape') : null);
    return viewPlan(target ? reshapeTarget(x.shape, target, attrs.allowZero, ctx) : null);
  },
  run(inputs, attrs, ctx, plan) {
    const x = required(inputs, 0, ctx);
    if (plan.outShape !== null) return viewOf(x, plan, plan.outShape);
    return x.reshape(reshapeTarget(x.shape, readInts(required(inputs, 1, ctx), ctx, 'shape'), attrs.allowZero, ctx));
  },
});

export const flattenKernel = kernel({
  op: 'Flatten',
  attributes: (a) => ({ axis: a.int('axis', 1) }),
  plan(inputs, attrs, ctx): ViewPlan {
    const x = required(inputs, 0, ctx);
    const rank = x.shape.length;
    if (attrs.axis < -rank || attrs.axis > rank) kernelFail(ctx, `axis ${attrs.axis} is out of range for rank ${rank} (expected ${-rank}..${rank})`);
    const axis = attrs.axis < 0 ? attrs.axis + rank : attrs.axis;
    return viewPlan([sizeBetween(x.shape, 0, axis), sizeBetween(x.shape, axis)]);
  },
  run(inputs, _attrs, _ctx, plan) {
    return viewOf(inputs[0]!, plan, plan.outShape!);
  },
});

/** Squeeze/Unsqueeze take axes as an attribute before opset 13 and as an input from 13. */
const axesAttribute = (a: AttributeReader, opset: number) => ({
  axes: opset < 13 && a.has('axes') ? a.ints('axes') : undefined,
});

function axesOf(inputs: ReadonlyArray<Tensor | undefined>, attrs: { axes?: number[] }, ctx: Ctx): number[] | undefined {
  if (attrs.axes) return attrs.axes;
  return inputs[1] ? readInts(inputs[1], ctx, 'axes') : undefined;
}

/** The axes as a plan sees them: null when they arrive as an activation (read every run). */
function plannedAxes(inputs: ReadonlyArray<PlanInput | undefined>, attrs: { axes?: number[] }, ctx: Ctx): number[] | null | undefined {
  return attrs.axes ?? plannedInts(inputs[1], ctx, 'axes');
}

const viewPlan = (outShape: readonly number[] | null): ViewPlan => ({ outShape, lastInput: null, lastView: null });

export function squeezeShape(shape: readonly number[], axes: readonly number[] | undefined, ctx: Ctx): number[] {
  if (!axes) return shape.filter((d) => d !== 1);
  const drop = normalizeAxes(axes, shape.length, ctx);
  for (const a of drop) {
    if (shape[a] !== 1) kernelFail(ctx, `cannot squeeze axis ${a} of shape ${shapeText(shape)}: its size is ${shape[a]}, not 1`);
  }
  return shape.filter((_, i) => !drop.includes(i));
}

export function unsqueezeShape(shape: readonly number[], axes: readonly number[], ctx: Ctx): number[] {
  const rank = shape.length + axes.length;
  const add = normalizeAxes(axes, rank, ctx);
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(add.includes(i) ? 1 : shape[j++]);
  return out;
}

/** Squeeze or Unsqueeze: the axes (attribute before opset 13, input 1 from 13) give the shape. */
function axesViewKernel(op: string, shapeOf: (shape: readonly number[], axes: readonly number[] | undefined, ctx: Ctx) => number[]) {
  return kernel({
    op,
    attributes: axesAttribute,
    plan(inputs, attrs, ctx): ViewPlan {
      const x = required(inputs, 0, ctx);
      const axes = plannedAxes(inputs, attrs, ctx);
      return viewPlan(axes === null ? null : shapeOf(x.shape, axes, ctx));
    },
    run(inputs, attrs, ctx, plan) {
      const x = inputs[0]!;
      if (plan.outShape !== null) return viewOf(x, plan, plan.outShape);
      return x.reshape(shapeOf(x.shape, axesOf(inputs, attrs, ctx), ctx));
    },
  });
}

export const squeezeKernel = axesViewKernel('Squeeze', squeezeShape);
export const unsqueezeKernel = axesViewKernel('Unsqueeze', (shape, axes, ctx) => {
  if (!axes) kernelFail(ctx, 'axes are required (input 1 from opset 13, attribute "axes" before)');
  return unsqueezeShape(shape, axes, ctx);
});

export const identityKernel = kernel({
  op: 'Identity',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    return x.reshape(x.shape);
  },
});

/**
 * Dropout at inference is the identity; its optional mask output is all true (bool from opset 10,
 * the input's type before). Training mode with a positive ratio is random and is refused.
 */
export const dropoutKernel = kernel({
  op: 'Dropout',
  attributes: (a, opset) => ({ ratio: opset < 12 ? a.float('ratio', 0.5) : undefined, opset }),
  run(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const training = attrs.opset >= 12 && inputs[2] !== undefined && readScalar(inputs[2], ctx, 'training_mode') !== 0;
    if (training) {
      const ratio = inputs[1] ? readScalar(inputs[1], ctx, 'ratio') : 0.5;
      if (ratio !== 0) {
        kernelFail(ctx, `training_mode is true with ratio ${ratio}: random dropout is not supported at inference; export the model in eval mode or feed training_mode=false`);
      }
    }
    const outputs: Tensor[] = [x.reshape(x.shape)];
    if (wantsOutput(ctx, 1)) {
      const maskType = attrs.opset >= 10 ? 'bool' : x.dtype;
      if (maskType === 'string') kernelFail(ctx, 'a mask of string type is not defined');
      const mask = ctx.output(1, maskType, x.shape);
      (mask.data as Uint8Array).fill((maskType === 'int64' || maskType === 'uint64' ? 1n : 1) as number);
      outputs.push(mask);
    }
    return outputs;
  },
});
