/**
 * The integer types the quantization ops produce and consume, their ranges, the rounding they
 * use (half to even, as numpy and onnxruntime do) and input checks shared by the family.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { DType, NumericArray, Tensor } from '../../tensor';

export type QuantDType = 'uint8' | 'int8' | 'uint16' | 'int16';
export type IntegerInputDType = QuantDType | 'int32';


/** ONNX TensorProto element types of the quantized outputs this runtime supports (output_dtype). */
export const QUANT_DTYPE_BY_ONNX_TYPE: Readonly<Record<number, QuantDType>> = { 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16' };

export function isQuantDType(d: DType): d is QuantDType {
  return d === 'uint8' || d === 'int8' || d === 'uint16' || d === 'int16';
}

/** Round half to even: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v); // half rounds up
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The input at `index` with one of `dtypes`, or a KernelError naming it and the types allowed. */
export function typedInput(
  inputs: ReadonlyArray<Tensor | undefined>,
  index: number,
  name: string,
  dtypes: readonly DType[],
  ctx: Pick<KernelContext, 'node'>,
): Tensor & { data: NumericArray } {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  if (!dtypes.includes(t.dtype)) kernelFail(ctx, `input ${name} must be ${dtypes.join(' or ')}, got ${t.dtype}`);
  return t as Tensor & { data: NumericArray };
}

export const FLOAT_TYPES: readonly DType[] = ['float32', 'float64'];
export const INT8_TYPES: readonly DType[] = ['uint8', 'int8'];

/** A scalar (or one-element) tensor's value, or a KernelError. */
export function scalarValue(t: Tensor & { data: NumericArray }, name: string, ctx: Pick<KernelContext, 'node'>): number {
  if (t.size !== 1) kernelFail(ctx, `input ${name} must be a scalar (per-tensor), got shape [${t.shape.join(', ')}]`);
  return t.data[0];
}
