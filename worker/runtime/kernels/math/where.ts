/**
 * Where(condition, X, Y): three-way broadcasting select; X and Y may have any dtype.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { broadcastShapes } from '../common/broadcast';
import type { AnyArray } from './binary-loop';
import { planRows } from './row-plan';
import { ALL, BOOL } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export const whereKernel = kernel({
  op: 'Where',
  run(inputs, _attrs, ctx) {
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
    const out = ctx.output(0, x.dtype, shape);
    const o = out.data as AnyArray;
    const c = cond.data as Uint8Array;
    const a = x.data as AnyArray;
    const b = y.data as AnyArray;
    const plan = planRows([cond.shape, x.shape, y.shape], shape);
    const [sc, sa, sb] = plan.innerStrides;
    const [rc, ra, rb] = plan.rowStarts;
    const inner = plan.inner;
    for (let r = 0; r < plan.rows; r++) {
      let ic = rc[r];
      let ia = ra[r];
      let ib = rb[r];
      const base = r * inner;
      for (let i = 0; i < inner; i++, ic += sc, ia += sa, ib += sb) o[base + i] = c[ic] ? a[ia] : b[ib];
    }
    return out;
  },
});
