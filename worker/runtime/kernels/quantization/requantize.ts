/**
 * Requantization of int32 accumulators to the output type of QLinearMatMul / QLinearConv:
 *   y = saturate(round_half_even(acc * multiplier) + y_zero_point),
 *   multiplier = a_scale * b_scale / y_scale
 * with float32 arithmetic throughout, as onnxruntime requantizes.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import { FLOAT_TYPES, INT8_TYPES, isQuantDType, roundHalfEven, scalarValue, typedInput, type QuantDType } from './quant-types';
import { INTEGER_RANGES } from '../common/dtypes';
import type { NumericArray, Tensor } from '../../tensor';

/** y's per-tensor quantization: inputs 6 (y_scale) and 7 (y_zero_point, whose type y takes). */
export interface OutputQuantization {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly dtype: QuantDType;
}

export function outputQuantization(inputs: ReadonlyArray<Tensor | undefined>, ctx: Pick<KernelContext, 'node'>): OutputQuantization {
  const scale = scalarValue(typedInput(inputs, 6, 'y_scale', FLOAT_TYPES, ctx), 'y_scale', ctx);
  const zero = typedInput(inputs, 7, 'y_zero_point', INT8_TYPES, ctx);
  const zeroPoint = scalarValue(zero, 'y_zero_point', ctx);
  if (!isQuantDType(zero.dtype)) kernelFail(ctx, `y_zero_point type ${zero.dtype} is not supported`);
  return { scale, zeroPoint, dtype: zero.dtype };
}

/** float32 a_scale * b_scale / y_scale */
export function multiplierOf(aScale: number, bScale: number, yScale: number): number {
  return Math.fround(Math.fround(Math.fround(aScale) * Math.fround(bScale)) / Math.fround(yScale));
}

export function requantize(acc: number, multiplier: number, zeroPoint: number, dtype: QuantDType): number {
  const [lo, hi] = INTEGER_RANGES[dtype];
  const q = roundHalfEven(Math.fround(Math.fround(acc) * multiplier)) + zeroPoint;
  return q < lo ? lo : q > hi ? hi : q;
}

/** Requantizes `count` accumulators; `multipliers[p(i)]` with p = i % period / stride picks per-column or per-channel values. */
export function requantizeAll(
  acc: Int32Array,
  out: NumericArray,
  multipliers: Float64Array,
  zeroPoint: number,
  dtype: QuantDType,
  paramOf: (i: number) => number,
): void {
  for (let i = 0; i < acc.length; i++) out[i] = requantize(acc[i], multipliers[paramOf(i)], zeroPoint, dtype);
}
