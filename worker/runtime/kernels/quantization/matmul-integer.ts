/**
 * MatMulInteger (opset 10): the int32 product of uint8/int8 matrices minus their zero points,
 * (A - a_zero_point) x (B - b_zero_point); A's zero point per tensor or per row, B's per tensor
 * or per column. Batch dimensions broadcast as in MatMul.
 */
import { kernel } from '../../kernel';
import { integerMatMul, NO_ZERO_POINT, planIntegerMatMul, resolveZeroPoints } from './integer-matmul';
import { INT8_TYPES, typedInput } from './quant-types';

export const matMulIntegerKernel = kernel({
  op: 'MatMulInteger',
  run(inputs, _attrs, ctx) {
    const a = typedInput(inputs, 0, 'A', INT8_TYPES, ctx);
    const b = typedInput(inputs, 1, 'B', INT8_TYPES, ctx);
    const plan = planIntegerMatMul(a, b, ctx);
    const aZero = inputs[2] ? resolveZeroPoints(typedInput(inputs, 2, 'a_zero_point', [a.dtype], ctx), plan.m, plan.aMatrices, 'row', 'a_zero_point', ctx) : NO_ZERO_POINT;
    const bZero = inputs[3] ? resolveZeroPoints(typedInput(inputs, 3, 'b_zero_point', [b.dtype], ctx), plan.n, plan.bMatrices, 'column', 'b_zero_point', ctx) : NO_ZERO_POINT;
    const y = ctx.output(0, 'int32', plan.outShape);
    integerMatMul(a, b, aZero, bZero, plan, y.data);
    return y;
  },
});
