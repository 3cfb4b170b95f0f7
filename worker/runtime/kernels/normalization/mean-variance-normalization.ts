/**
 * MeanVarianceNormalization: X is normalized by the mean and standard deviation it has over
 * `axes` (default [0, 2, 3]: per channel of an NCHW batch), exactly as the op's function body
 * defines it:
 *   y = (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9)
 */
import { kernel, kernelFail } from '../../kernel';
import { stridesOf } from '../../tensor';
import { floatInput } from '../common/inputs';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';

export interface MeanVarianceNormalizationAttributes {
  readonly axes: readonly number[];
}

const EPSILON = 1e-9;

export const meanVarianceNormalizationKernel = kernel<MeanVarianceNormalizationAttributes>({
  op: 'MeanVarianceNormalization',
  attributes(attrs) {
    const axes = attrs.ints('axes', [0, 2, 3]);
    return { axes };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const rank = x.rank;
    const reduced = new Array<boolean>(rank).fill(false);
    for (const a of attrs.axes) {
      if (a < -rank || a >= rank) kernelFail(ctx, `attribute axes contains ${a}, out of range for X of shape ${shapeText(x.shape)}`);
      const axis = a < 0 ? a + rank : a;
      if (reduced[axis]) kernelFail(ctx, `attribute axes names axis ${axis} twice`);
      reduced[axis] = true;
    }
    // each element belongs to the group given by its coordinates on the kept axes
    let groups = 1;
    const groupStride = new Array<number>(rank).fill(0);
    for (let d = rank - 1; d >= 0; d--) {
      if (!reduced[d]) {
        groupStride[d] = groups;
        groups *= x.shape[d];
      }
    }
    const count = x.size / groups;
    const groupOf = new Int32Array(x.size);
    const strides = stridesOf(x.shape);
    for (let i = 0; i < x.size; i++) {
      let rest = i;
      let g = 0;
      for (let d = 0; d < rank; d++) {
        const coord = Math.floor(rest / strides[d]);
        rest -= coord * strides[d];
        g += coord * groupStride[d];
      }
      groupOf[i] = g;
    }
    const sum = new Float64Array(groups);
    const sumSq = new Float64Array(groups);
    const xd = x.data;
    for (let i = 0; i < xd.length; i++) {
      sum[groupOf[i]] += xd[i];
      sumSq[groupOf[i]] += xd[i] * xd[i];
    }
    for (let g = 0; g < groups; g++) {
      const mean = sum[g] / count;
      sum[g] = mean;
      sumSq[g] = 1 / (Math.sqrt(Math.max(0, sumSq[g] / count - mean * mean)) + EPSILON);
    }
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const yd = y.data;
    for (let i = 0; i < xd.length; i++) yd[i] = (xd[i] - sum[groupOf[i]]) * sumSq[groupOf[i]];
    return y;
  },
});
