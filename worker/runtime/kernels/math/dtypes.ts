/**
 * Dtype groups the math kernels accept, and the one check every kernel runs on its inputs.
 */
import type { KernelContext } from '../../kernel';
import { kernelFail } from '../../kernel';
import type { DType, Tensor } from '../../tensor';

export const FLOATS: readonly DType[] = ['float32', 'float64'];
export const SIGNED_INTS: readonly DType[] = ['int8', 'int16', 'int32', 'int64'];
export const UNSIGNED_INTS: readonly DType[] = ['uint8', 'uint16', 'uint32', 'uint64'];
export const INTS: readonly DType[] = [...SIGNED_INTS, ...UNSIGNED_INTS];
export const SIGNED_NUMERIC: readonly DType[] = [...FLOATS, ...SIGNED_INTS];
export const NUMERIC: readonly DType[] = [...FLOATS, ...INTS];
export const BOOL: readonly DType[] = ['bool'];
export const ALL: readonly DType[] = [...NUMERIC, 'bool', 'string'];

/** Fails with a message naming the input, its dtype and the accepted ones. */
export function expectDType(ctx: Pick<KernelContext, 'node'>, t: Pick<Tensor, 'dtype'>, allowed: readonly DType[], what = 'input 0'): void {
  if (!allowed.includes(t.dtype)) {
    kernelFail(ctx, `${what} has dtype ${t.dtype}; expected one of ${allowed.join(', ')}`);
  }
}

/** Fails unless every given input has the dtype of the first one. */
export function expectSameDType(ctx: Pick<KernelContext, 'node'>, tensors: ReadonlyArray<Pick<Tensor, 'dtype'>>): void {
  for (let i = 1; i < tensors.length; i++) {
    if (tensors[i].dtype !== tensors[0].dtype) {
      kernelFail(ctx, `input ${i} has dtype ${tensors[i].dtype} but input 0 has ${tensors[0].dtype}; the inputs must share one dtype`);
    }
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Normalises a possibly negative axis for a tensor of `rank`, failing when out of range. */
export function normalizeAxis(ctx: Pick<KernelContext, 'node'>, axis: number, rank: number, what = 'axis'): number {
  if (axis < -rank || axis >= Math.max(rank, 1)) kernelFail(ctx, `${what} ${axis} is out of range for a tensor of rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}
