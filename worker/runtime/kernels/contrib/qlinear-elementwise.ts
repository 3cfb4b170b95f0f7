/**
 * Quantized element-wise ops of com.microsoft (onnxruntime's QOperator format), per-tensor
 * parameters, float32 arithmetic in onnxruntime's order:
 *   QLinearAdd      C = sat(rne(a_s/c_s * (A - a_zp) + b_s/c_s * (B - b_zp)) + c_zp)     A, B broadcast
 *   QLinearMul      C = sat(rne((A - a_zp) * (B - b_zp) * (a_s * b_s / c_s)) + c_zp)
 *   QLinearSigmoid  Y = sat(rne(sigmoid((X - x_zp) * x_s) / y_s) + y_zp)
 * Inputs: A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point (optional),
 * and X, X_scale, X_zero_point, Y_scale, Y_zero_point for QLinearSigmoid.
 */
import { kernel, kernelFail, required, type Kernel } from '../../kernel';
import { broadcastIndex, broadcastShapes } from '../common/broadcast';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';
import { qParams, quantizedInput, saturate, type QParams } from './qlinear-params';

const fround = Math.fround;

type Combine = (a: number, b: number, pa: QParams, pb: QParams, pc: QParams) => number;

interface BroadcastPlan {
  readonly shape: readonly number[];
  /** per output element, the element of A and of B */
  readonly ia: Int32Array;
  readonly ib: Int32Array;
}

function qLinearBinary(op: string, combine: Combine): Kernel<undefined, BroadcastPlan> {
  return kernel<undefined, BroadcastPlan>({
    op,
    domain: MICROSOFT_DOMAIN,
    plan(inputs, _attrs, ctx) {
      const a = required(inputs, 0, ctx);
      const b = required(inputs, 3, ctx);
      const shape = broadcastShapes(a.shape, b.shape);
      if (!shape) kernelFail(ctx, `A ${shapeText(a.shape)} and B ${shapeText(b.shape)} do not broadcast`);
      const [ia, ib] = broadcastIndex([a.shape, b.shape], shape);
      return { shape, ia, ib };
    },
    run(inputs, _attrs, ctx, plan) {
      const a = quantizedInput(inputs, 0, 'A', ctx);
      const b = quantizedInput(inputs, 3, 'B', ctx);
      if (b.dtype !== a.dtype) kernelFail(ctx, `A is ${a.dtype} but B is ${b.dtype}; both must have one type`);
      const pa = qParams(inputs, 1, 'A', a.dtype, ctx);
      const pb = qParams(inputs, 4, 'B', a.dtype, ctx);
      const pc = qParams(inputs, 6, 'C', a.dtype, ctx);
      const { ia, ib } = plan;
      const c = ctx.output(0, a.dtype, plan.shape);
      const cd = c.data;
      for (let i = 0; i < cd.length; i++) cd[i] = saturate(combine(a.data[ia[i]], b.data[ib[i]], pa, pb, pc), pc.zero, a.dtype);
      return c;
    },
  });
}

export const qLinearAddKernel = qLinearBinary('QLinearAdd', (a, b, pa, pb, pc) => {
  const ra = fround(pa.scale / pc.scale);
  const rb = fround(pb.scale / pc.scale);
  return fround(fround(ra * (a - pa.zero)) + fround(rb * (b - pb.zero)));
});

export const qLinearMulKernel = qLinearBinary('QLinearMul', (a, b, pa, pb, pc) => {
  const multiplier = fround(fround(pa.scale * pb.scale) / pc.scale);
  return fround((a - pa.zero) * (b - pb.zero) * multiplier);
});

export const qLinearSigmoidKernel = kernel({
  op: 'QLinearSigmoid',
  domain: MICROSOFT_DOMAIN,
  run(inputs, _attrs, ctx) {
    const x = quantizedInput(inputs, 0, 'X', ctx);
    const px = qParams(inputs, 1, 'X', x.dtype, ctx);
    const py = qParams(inputs, 3, 'Y', x.dtype, ctx);
    const y = ctx.output(0, x.dtype, x.shape);
    const yd = y.data;
    for (let i = 0; i < yd.length; i++) {
      const v = fround(fround(x.data[i] - px.zero) * px.scale);
      const s = fround(1 / (1 + Math.exp(-v)));
      yd[i] = saturate(fround(s / py.scale), py.zero, x.dtype);
    }
    return y;
  },
});
