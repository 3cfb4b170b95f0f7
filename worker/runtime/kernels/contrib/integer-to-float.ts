/**
 * The integer products with float outputs of onnxruntime's dynamic quantizer (com.microsoft):
 *   MatMulIntegerToFloat   Y = (A - a_zp) x (B - b_zp) * (a_scale * b_scale) + bias
 *   DynamicQuantizeMatMul  the same with A float32, quantized to uint8 first from its own range
 *                          (as DynamicQuantizeLinear does)
 * a_scale per tensor; b_scale and b_zero_point per tensor or per column of B; bias [N]. The
 * int32 product is MatMulInteger's (quantization/integer-matmul.ts); the float epilogue is
 * float32: f32(f32(acc) * f32(a_scale * b_scale[j])) + bias[j], as onnxruntime's.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import { Tensor, type NumericArray } from '../../tensor';
import { integerMatMul, NO_ZERO_POINT, planIntegerMatMul, resolveZeroPoints } from '../quantization/integer-matmul';
import { dynamicRange, quantizeUint8 } from '../quantization/dynamic-quantize-linear';
import { INT8_TYPES, scalarValue, typedInput } from '../quantization/quant-types';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';

type IntTensor = Tensor & { data: NumericArray };

const fround = Math.fround;

/** acc -> float32 outputs with per-column (or shared) scales and an optional bias. */
function integerProductToFloat(
  a: IntTensor,
  b: IntTensor,
  aZeroT: IntTensor | undefined,
  aScale: number,
  inputs: ReadonlyArray<Tensor | undefined>,
  first: number,
  ctx: KernelContext,
): Tensor {
  const plan = planIntegerMatMul(a, b, ctx);
  const { n } = plan;
  const bScale = typedInput(inputs, first, 'b_scale', ['float32'], ctx);
  if (bScale.size !== 1 && !(bScale.rank === 1 && bScale.size === n)) kernelFail(ctx, `b_scale ${shapeText(bScale.shape)} must be a scalar or have ${n} values (one per column of B)`);
  const bZeroT = inputs[first + 1] ? typedInput(inputs, first + 1, 'b_zero_point', [b.dtype], ctx) : undefined;
  const bias = inputs[first + 2] ? typedInput(inputs, first + 2, 'bias', ['float32'], ctx) : undefined;
  if (bias && !(bias.rank === 1 && bias.size === n)) kernelFail(ctx, `bias ${shapeText(bias.shape)} must be [${n}] (one value per column of B)`);
  const aZero = aZeroT ? resolveZeroPoints(aZeroT, plan.m, plan.aMatrices, 'row', 'a_zero_point', ctx) : NO_ZERO_POINT;
  if (aZeroT && aZeroT.size !== 1) kernelFail(ctx, `a_zero_point must be a scalar, got ${shapeText(aZeroT.shape)}`);
  const bZero = bZeroT ? resolveZeroPoints(bZeroT, n, plan.bMatrices, 'column', 'b_zero_point', ctx) : NO_ZERO_POINT;
  const y = ctx.output(0, 'float32', plan.outShape);
  const acc = new Int32Array(y.size);
  integerMatMul(a, b, aZero, bZero, plan, acc);
  const perColumn = bScale.size !== 1;
  const bd = bias?.data;
  for (let i = 0; i < acc.length; i++) {
    const j = i % n;
    const scale = fround(aScale * bScale.data[perColumn ? j : 0]);
    const v = fround(fround(acc[i]) * scale);
    y.data[i] = bd ? fround(v + bd[j]) : v;
  }
  return y;
}

export const matMulIntegerToFloatKernel = kernel({
  op: 'MatMulIntegerToFloat',
  domain: MICROSOFT_DOMAIN,
  run(inputs, _attrs, ctx) {
    const a = typedInput(inputs, 0, 'A', INT8_TYPES, ctx);
    const b = typedInput(inputs, 1, 'B', INT8_TYPES, ctx);
    const aScale = scalarValue(typedInput(inputs, 2, 'a_scale', ['float32'], ctx), 'a_scale', ctx);
    const aZero = inputs[4] ? typedInput(inputs, 4, 'a_zero_point', [a.dtype], ctx) : undefined;
    // inputs: A, B, a_scale, b_scale, a_zero_point, b_zero_point, bias
    const reordered = [inputs[0], inputs[1], inputs[3], inputs[5], inputs[6]];
    return integerProductToFloat(a, b, aZero, aScale, reordered, 2, ctx);
  },
});

export const dynamicQuantizeMatMulKernel = kernel({
  op: 'DynamicQuantizeMatMul',
  domain: MICROSOFT_DOMAIN,
  run(inputs, _attrs, ctx) {
    const x = typedInput(inputs, 0, 'A', ['float32'], ctx);
    const b = typedInput(inputs, 1, 'B', INT8_TYPES, ctx);
    const range = dynamicRange(x.data as Float32Array, 'A', ctx);
    const a = Tensor.zeros('uint8', x.shape) as IntTensor;
    quantizeUint8(x.data as Float32Array, range, a.data as Uint8Array);
    const aZero = new Tensor('uint8', [], Uint8Array.of(range.zero)) as IntTensor;
    // inputs: A, B, b_scale, b_zero_point, bias
    return integerProductToFloat(a, b, aZero, range.scale, inputs, 2, ctx);
  },
});
