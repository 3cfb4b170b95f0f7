/**
 * ScatterElements (and Scatter, its opset 9-10 name): a copy of `data` where, for every position p
 * of `indices`, the element at p with its `axis` coordinate replaced by indices[p] receives
 * updates[p] (assigned, or merged by reduction add/mul/max/min). Updates apply in row-major order,
 * so with duplicate indices and reduction "none" the last one wins. The plan holds the checks of
 * the shapes and the combine step.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sameShape, stridesOf, type DType } from '../../tensor';
import { copyRange } from '../tensor/common';
import type { Combine, ScatterReduction } from './common';
import { combineFor, elements, parseReduction, positionText, resolveIndex } from './common';
import { expectIndexDType } from '../common/inputs';
import { singleOutput } from '../common/planned-output';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';
import { expectIndicesWithin, nextElementBase } from '../common/elements-walk';

interface ScatterElementsAttributes {
  readonly axis: number;
  readonly reduction: ScatterReduction;
}

interface ScatterElementsPlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  readonly axis: number;
  readonly combine: Combine | undefined;
}

function scatterElements(op: 'ScatterElements' | 'Scatter') {
  return kernel<ScatterElementsAttributes, ScatterElementsPlan>({
    op,
    attributes: (a, opset) => ({ axis: a.int('axis', 0), reduction: op === 'Scatter' ? 'none' : parseReduction(a, opset) }),
    plan(inputs, { axis: axisAttr, reduction }, ctx) {
      const data = required(inputs, 0, ctx);
      const indices = required(inputs, 1, ctx);
      const updates = required(inputs, 2, ctx);
      const rank = data.shape.length;
      if (rank < 1) kernelFail(ctx, 'data must have rank >= 1, got a scalar');
      if (indices.shape.length !== rank) kernelFail(ctx, `indices ${shapeText(indices.shape)} must have the same rank as data ${shapeText(data.shape)}`);
      if (!sameShape(updates.shape, indices.shape)) kernelFail(ctx, `updates ${shapeText(updates.shape)} must have the shape of indices ${shapeText(indices.shape)}`);
      if (updates.dtype !== data.dtype) kernelFail(ctx, `updates has dtype ${updates.dtype}; it must match data (${data.dtype})`);
      const axis = normalizeAxis(axisAttr, rank, ctx);
      expectIndicesWithin(indices.shape, data.shape, axis, ctx);
      expectIndexDType(indices, ctx, 'indices');
      return { dtype: data.dtype, outShape: data.shape, axis, combine: combineFor(reduction, data.dtype, ctx) };
    },
    outputs: singleOutput,
    run(inputs, _attrs, ctx, { axis, combine, outShape }) {
      const data = inputs[0]!;
      const indices = inputs[1]!;
      const updates = inputs[2]!;
      const raw = indices.data as ArrayLike<number | bigint>;
      const out = ctx.output(0, data.dtype, outShape);
      copyRange(data.data, 0, out.data, 0, data.size);
      const dim = data.shape[axis];
      const strides = stridesOf(data.shape);
      const axisStride = strides[axis];
      const u = elements(updates.data);
      const d = elements(out.data);
      const counter = new Array<number>(data.rank).fill(0);
      let base = 0; // output offset of the current position, without the axis component
      for (let i = 0; i < raw.length; i++) {
        const r = Number(raw[i]);
        const idx = r >= 0 && r < dim ? r : resolveIndex(r, dim, ctx, `indices${positionText(i, indices.shape)} =`);
        const at = base + idx * axisStride;
        d[at] = combine ? combine(d[at], u[i]) : u[i];
        base = nextElementBase(counter, indices.shape, strides, axis, base);
      }
      return out;
    },
  });
}

export const scatterElementsKernel = scatterElements('ScatterElements');
/** Scatter-9/10 is ScatterElements without reduction (deprecated in opset 11). */
export const scatterKernel = scatterElements('Scatter');
