/**
 * OneHot (ai.onnx): each index becomes a vector of `depth` elements along a new axis (default
 * last), all `values[0]` (off) except `values[1]` (on) at the index. Negative indices count from
 * the end (index + depth); indices outside -depth..depth-1 give an all-off vector, as the spec
 * defines. Float indices and depth are truncated to integers. The output takes the values' dtype.
 */
import { kernel, kernelFail, required, type PlanContext } from '../../kernel';
import { sizeBetween, sizeOf, type DType, type Tensor } from '../../tensor';
import { singleOutput } from '../common/planned-output';
import { fillRange, readScalar } from '../tensor/common';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';

interface OneHotPlan {
  readonly dtype: DType;
  readonly axis: number;
  /** depth and the output shape when depth is a weight; null when read every run */
  readonly depth: number | null;
  readonly outShape: readonly number[] | null;
}

export const oneHotKernel = kernel({
  op: 'OneHot',
  attributes: (a) => ({ axis: a.int('axis', -1) }),
  plan(inputs, { axis: axisAttr }, ctx): OneHotPlan {
    const indices = required(inputs, 0, ctx);
    const depthInput = required(inputs, 1, ctx);
    const valuesInput = required(inputs, 2, ctx);
    if (indices.dtype === 'string' || indices.dtype === 'bool') kernelFail(ctx, `indices must be numeric, got ${indices.dtype}`);
    if (depthInput.dtype === 'bool') kernelFail(ctx, 'depth must be numeric, got bool');
    if (depthInput.shape.length > 1) kernelFail(ctx, `depth must be a scalar or a 1-element vector, got shape ${shapeText(depthInput.shape)}`);
    const depth = depthInput.value ? depthOf(depthInput.value, ctx) : null;
    if (sizeOf(valuesInput.shape) !== 2 || valuesInput.shape.length !== 1) kernelFail(ctx, `values must be a 2-element vector [off, on], got shape ${shapeText(valuesInput.shape)}`);
    const axis = normalizeAxis(axisAttr, indices.shape.length + 1, ctx);
    return { dtype: valuesInput.dtype, axis, depth, outShape: depth === null ? null : oneHotShape(indices.shape, axis, depth) };
  },
  outputs: singleOutput,
  run(inputs, _attrs, ctx, plan) {
    const indices = inputs[0]!;
    const valuesInput = inputs[2]!;
    const { axis } = plan;
    const depth = plan.depth ?? depthOf(inputs[1]!, ctx);
    const out = ctx.output(0, plan.dtype, plan.outShape ?? oneHotShape(indices.shape, axis, depth));
    const v = valuesInput.data as unknown as { [i: number]: unknown };
    const off = v[0];
    const on = v[1];
    fillRange(out.data, off, 0, out.size);
    const outer = sizeBetween(indices.shape, 0, axis);
    const inner = sizeBetween(indices.shape, axis);
    const src = indices.data as ArrayLike<number | bigint>;
    const d = out.data as unknown as { [i: number]: unknown };
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const raw = Math.trunc(Number(src[o * inner + i]));
        const idx = raw < 0 ? raw + depth : raw;
        if (idx >= 0 && idx < depth) d[(o * depth + idx) * inner + i] = on;
      }
    }
    return out;
  },
});

function depthOf(depthInput: Tensor, ctx: Pick<PlanContext, 'node'>): number {
  const depth = Math.trunc(readScalar(depthInput, ctx, 'depth'));
  if (!(depth >= 1)) kernelFail(ctx, `depth must be at least 1, got ${readScalar(depthInput, ctx, 'depth')}`);
  return depth;
}

function oneHotShape(shape: readonly number[], axis: number, depth: number): number[] {
  return [...shape.slice(0, axis), depth, ...shape.slice(axis)];
}
