/**
 * QLinearMatMul (opsets 10, 21): a quantized matrix product,
 *   y = saturate(round((A - a_zp) x (B - b_zp) * a_scale * b_scale / y_scale) + y_zp)
 * A's scale and zero point per tensor (or per row), B's per tensor or per column, y's per tensor.
 * The output type is y_zero_point's.
 */
import { kernel, kernelFail } from '../../kernel';
import type { NumericArray } from '../../tensor';
import { integerMatMul, planIntegerMatMul, resolveZeroPoints } from './integer-matmul';
import { multiplierOf, outputQuantization, requantizeAll } from './requantize';
import { FLOAT_TYPES, INT8_TYPES, typedInput } from './quant-types';

export const qLinearMatMulKernel = kernel({
  op: 'QLinearMatMul',
  run(inputs, _attrs, ctx) {
    const a = typedInput(inputs, 0, 'a', INT8_TYPES, ctx);
    const aScale = typedInput(inputs, 1, 'a_scale', FLOAT_TYPES, ctx);
    const aZeroT = typedInput(inputs, 2, 'a_zero_point', [a.dtype], ctx);
    const b = typedInput(inputs, 3, 'b', INT8_TYPES, ctx);
    const bScale = typedInput(inputs, 4, 'b_scale', FLOAT_TYPES, ctx);
    const bZeroT = typedInput(inputs, 5, 'b_zero_point', [b.dtype], ctx);
    const { scale: yScale, zeroPoint: yZero, dtype } = outputQuantization(inputs, ctx);
    const plan = planIntegerMatMul(a, b, ctx);
    const aZero = resolveZeroPoints(aZeroT, plan.m, plan.aMatrices, 'row', 'a_zero_point', ctx);
    const bZero = resolveZeroPoints(bZeroT, plan.n, plan.bMatrices, 'column', 'b_zero_point', ctx);
    // one multiplier per (row of A, column of B) pair of scales: rows x columns, mostly 1 x 1
    const aPerRow = aScale.size !== 1;
    const bPerColumn = bScale.size !== 1;
    if (aPerRow && !(aScale.rank === 1 && aScale.size === plan.m)) kernelFail(ctx, `a_scale of shape [${aScale.shape.join(', ')}] must be a scalar or have ${plan.m} values (one per row)`);
    if (bPerColumn && !(bScale.rank === 1 && bScale.size === plan.n)) kernelFail(ctx, `b_scale of shape [${bScale.shape.join(', ')}] must be a scalar or have ${plan.n} values (one per column)`);
    const rows = aPerRow ? plan.m : 1;
    const cols = bPerColumn ? plan.n : 1;
    const multipliers = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) multipliers[r * cols + c] = multiplierOf(aScale.data[r], bScale.data[c], yScale);

    const acc = new Int32Array(plan.outShape.reduce((s, d) => s * d, 1));
    integerMatMul(a, b, aZero, bZero, plan, acc);
    const y = ctx.output(0, dtype, plan.outShape);
    const { m, n } = plan;
    requantizeAll(acc, y.data as NumericArray, multipliers, yZero, dtype, (i) => {
      const r = aPerRow ? Math.floor(i / n) % m : 0;
      const c = bPerColumn ? i % n : 0;
      return r * cols + c;
    });
    return y;
  },
});
