/**
 * Trilu: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two axes and zeroes
 * the rest. Each row is one kept run and one zeroed run, so rows are block copies and fills.
 * The plan holds k when it is a weight.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { DType } from '../../tensor';
import { copyRange, fillRange, readScalar, zeroOf } from './common';
import { shapeText } from '../common/shape-text';
import { singleOutput } from '../common/planned-output';

interface TriluPlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  /** the diagonal offset when it is a weight or omitted (0); null when read every run */
  readonly k: number | null;
}

export const triluKernel = kernel({
  op: 'Trilu',
  attributes: (a) => {
    const upper = a.int('upper', 1);
    if (upper !== 0 && upper !== 1) a.fail(`attribute "upper" must be 0 or 1, got ${upper}`);
    return { upper: upper === 1 };
  },
  plan(inputs, _attrs, ctx): TriluPlan {
    const x = required(inputs, 0, ctx);
    if (x.shape.length < 2) kernelFail(ctx, `input must have rank >= 2, got ${shapeText(x.shape)}`);
    const k = inputs[1] === undefined ? 0 : inputs[1].value ? readScalar(inputs[1].value, ctx, 'k') : null;
    return { dtype: x.dtype, outShape: x.shape, k };
  },
  outputs: singleOutput,
  run(inputs, attrs, ctx, plan) {
    const x = inputs[0]!;
    const k = plan.k ?? readScalar(inputs[1]!, ctx, 'k');
    const rows = x.shape[x.rank - 2];
    const cols = x.shape[x.rank - 1];
    const matrices = rows * cols === 0 ? 0 : x.size / (rows * cols);
    const out = ctx.output(0, plan.dtype, plan.outShape);
    const zero = zeroOf(x);
    for (let m = 0; m < matrices; m++) {
      for (let i = 0; i < rows; i++) {
        const row = (m * rows + i) * cols;
        // the column where the kept and zeroed runs meet
        const edge = Math.min(Math.max(attrs.upper ? i + k : i + k + 1, 0), cols);
        if (attrs.upper) {
          fillRange(out.data, zero, row, edge);
          copyRange(x.data, row + edge, out.data, row + edge, cols - edge);
        } else {
          copyRange(x.data, row, out.data, row, edge);
          fillRange(out.data, zero, row + edge, cols - edge);
        }
      }
    }
    return out;
  },
});
