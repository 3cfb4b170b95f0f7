/**
 * Where(condition, X, Y): three-way broadcasting select; X and Y may have any dtype. The plan holds
 * the broadcast shape and the row geometry.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { broadcastShapes } from '../common/broadcast';
import type { AnyArray } from './binary-loop';
import { planRows, type RowPlan } from './row-plan';
import type { DType } from '../../tensor';
import { ALL, BOOL } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

interface WherePlan {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly rows: RowPlan;
}

export const whereKernel = kernel<undefined, WherePlan>({
  op: 'Where',
  plan(inputs, _attrs, ctx) {
    const cond = required(inputs, 0, ctx);
    const x = required(inputs, 1, ctx);
    const y = required(inputs, 2, ctx);
    expectDType(ctx, cond, BOOL, 'input condition');
    expectDType(ctx, x, ALL, 'input X');
    if (y.dtype !== x.dtype) kernelFail(ctx, `input Y has dtype ${y.dtype} but X has ${x.dtype}; they must match`);
    const shape = broadcastShapes(cond.shape, x.shape, y.shape);
    if (!shape) {
      kernelFail(ctx, `cannot broadcast condition ${shapeText(cond.shape)}, X ${shapeText(x.shape)} and Y ${shapeText(y.shape)}`);
    }
    return { dtype: x.dtype, shape, rows: planRows([cond.shape, x.shape, y.shape], shape) };
  },
  outputs: (plan) => [{ dtype: plan.dtype, shape: plan.shape }],
  run(inputs, _attrs, ctx, plan) {
    const out = ctx.output(0, plan.dtype, plan.shape);
    const o = out.data as AnyArray;
    const c = inputs[0]!.data as Uint8Array;
    const a = inputs[1]!.data as AnyArray;
    const b = inputs[2]!.data as AnyArray;
    const { rows } = plan;
    const [sc, sa, sb] = rows.innerStrides;
    const [rc, ra, rb] = rows.rowStarts;
    const inner = rows.inner;
    for (let r = 0; r < rows.rows; r++) {
      let ic = rc[r];
      let ia = ra[r];
      let ib = rb[r];
      const base = r * inner;
      for (let i = 0; i < inner; i++, ic += sc, ia += sa, ib += sb) o[base + i] = c[ic] ? a[ia] : b[ib];
    }
    return out;
  },
});
