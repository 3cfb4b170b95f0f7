/**
 * Scale / zero-point pairs of the com.microsoft QLinear* ops: per-tensor float32 scales and
 * uint8/int8 zero points (optional: 0), and float32 requantization rounded half to even.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { INTEGER_RANGES } from '../common/dtypes';
import { INT8_TYPES, roundHalfEven, scalarValue, typedInput } from '../quantization/quant-types';

export type Int8DType = 'uint8' | 'int8';

export interface QParams {
  readonly scale: number;
  readonly zero: number;
}

/** The scale at `scaleIndex` and the zero point after it (0 when omitted, checked against `dtype`). */
export function qParams(inputs: ReadonlyArray<Tensor | undefined>, scaleIndex: number, name: string, dtype: Int8DType, ctx: Pick<KernelContext, 'node'>): QParams {
  const scale = scalarValue(typedInput(inputs, scaleIndex, `${name}_scale`, ['float32'], ctx), `${name}_scale`, ctx);
  if (!(scale > 0) || !Number.isFinite(scale)) kernelFail(ctx, `${name}_scale must be a positive finite number, got ${scale}`);
  const zp = inputs[scaleIndex + 1];
  const zero = zp ? scalarValue(typedInput(inputs, scaleIndex + 1, `${name}_zero_point`, [dtype], ctx), `${name}_zero_point`, ctx) : 0;
  return { scale, zero };
}

/** A quantized input: uint8 or int8. */
export function quantizedInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Pick<KernelContext, 'node'>): Tensor & { data: Uint8Array | Int8Array; dtype: Int8DType } {
  return typedInput(inputs, index, name, INT8_TYPES, ctx) as Tensor & { data: Uint8Array | Int8Array; dtype: Int8DType };
}

/** saturate(round_half_even(v) + zero) in `dtype`'s range, v already divided by the scale. */
export function saturate(v: number, zero: number, dtype: Int8DType): number {
  const [lo, hi] = INTEGER_RANGES[dtype];
  const q = roundHalfEven(v) + zero;
  return q < lo ? lo : q > hi ? hi : q;
}
