/**
 * Shorthands for the tensor-family tests over the shared kernel harness (which hands out dirty
 * output buffers, as the session's reused ones are).
 */
import type { DType } from '../../../worker/runtime/tensor';
import { Tensor } from '../../../worker/runtime/tensor';
import { iota, parseKernelAttributes, runKernel, values } from '../kernel-harness';

export { iota, runKernel };
export const parseAttributes = parseKernelAttributes;
export const vals = values;

/** Shorthand for Tensor.from. */
export function t(dtype: DType, shape: readonly number[], data: ArrayLike<number | bigint | string | boolean>): Tensor {
  return Tensor.from(dtype, shape, data);
}

/** An int64 tensor of `values`, 1-D unless a shape is given. */
export const i64 = (data: readonly number[], shape: readonly number[] = [data.length]): Tensor => t('int64', shape, data);
