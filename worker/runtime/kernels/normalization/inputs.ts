/**
 * Input checks shared by the normalization kernels: every input they take is a float tensor, and
 * the per-channel parameters must have exactly the length the data's channel axis implies.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';

export type FloatTensor = Tensor<'float32'> | Tensor<'float64'>;

/** The input at `index` as a float32/float64 tensor, or a KernelError naming it. */
export function floatInput(
  inputs: ReadonlyArray<Tensor | undefined>,
  index: number,
  name: string,
  ctx: Pick<KernelContext, 'node'>,
): FloatTensor {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    kernelFail(ctx, `input ${name} must be float32 or float64 (float16 is carried as float32), got ${t.dtype}`);
  }
  return t as FloatTensor;
}

/** Raises unless `t` has exactly `shape`. */
export function expectShape(t: Tensor, shape: readonly number[], name: string, ctx: Pick<KernelContext, 'node'>): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    kernelFail(ctx, `input ${name} must have shape [${shape.join(', ')}], got [${t.shape.join(', ')}]`);
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
