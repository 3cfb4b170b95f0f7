/**
 * Input checks shared by the vision kernels: float data tensors, integer shape tensors and the
 * optional scalar inputs (thresholds, limits) that arrive as one-element tensors.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { readInts, readScalar } from '../tensor/common';

export type FloatTensor = Tensor<'float32'> | Tensor<'float64'>;
type Ctx = Pick<KernelContext, 'node'>;

/** The input at `index` as a float32/float64 tensor, or a KernelError naming it. */
export function floatInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Ctx): FloatTensor {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    kernelFail(ctx, `input ${name} must be float32 or float64 (float16 is carried as float32), got ${t.dtype}`);
  }
  return t as FloatTensor;
}

/** A required 1-D int64/int32 input (a shape or a list of sizes) as numbers. */
export function intListInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Ctx): number[] {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  if (t.shape.length !== 1) kernelFail(ctx, `input ${name} must be 1-D, got shape [${t.shape.join(', ')}]`);
  return readInts(t, ctx, `input ${name}`);
}

/** An optional scalar input, or `fallback` when it is omitted. */
export function optionalScalar(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, fallback: number, ctx: Ctx): number {
  const t = inputs[index];
  return t ? readScalar(t, ctx, `input ${name}`) : fallback;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
