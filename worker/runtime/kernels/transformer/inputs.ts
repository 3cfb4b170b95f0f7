/**
 * Input checks shared by the transformer kernels: float tensors (float16 arrives as float32) and
 * exact ranks, with errors that name the input.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { formatShape } from '../math/dtypes';

export type FloatTensor = Tensor<'float32'> | Tensor<'float64'>;
export type Floats = Float32Array | Float64Array;

type Ctx = Pick<KernelContext, 'node'>;

/** The input at `index` as a float32/float64 tensor, or a KernelError naming it. */
export function floatInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Ctx): FloatTensor {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  return asFloat(t, name, ctx);
}

/** The optional input at `index` (absent or ''), checked like `floatInput` when present. */
export function optionalFloatInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Ctx): FloatTensor | undefined {
  const t = inputs[index];
  return t ? asFloat(t, name, ctx) : undefined;
}

function asFloat(t: Tensor, name: string, ctx: Ctx): FloatTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    kernelFail(ctx, `input ${name} must be float32 or float64 (float16 is carried as float32), got ${t.dtype}`);
  }
  return t as FloatTensor;
}

/** Fails unless `t` has one of the given ranks. */
export function expectRank(t: Tensor, ranks: readonly number[], name: string, ctx: Ctx): void {
  if (!ranks.includes(t.rank)) {
    kernelFail(ctx, `input ${name} must have rank ${ranks.join(' or ')}, got shape ${formatShape(t.shape)}`);
  }
}

/** Fails unless `t` has the dtype of `like` (both float inputs of one node compute in one type). */
export function expectSameFloat(t: Tensor, like: Tensor, name: string, likeName: string, ctx: Ctx): void {
  if (t.dtype !== like.dtype) kernelFail(ctx, `input ${name} is ${t.dtype} but ${likeName} is ${like.dtype}; they must match`);
}

/** Whether output `index` is requested by the node ('' or missing marks an omitted output). */
export function wantsOutput(ctx: Ctx, index: number): boolean {
  return (ctx.node.outputs[index] ?? '') !== '';
}

/** A float working buffer: the node's reusable scratch for float32, a fresh array for float64. */
export function workBuffer(ctx: Pick<KernelContext, 'scratch'>, dtype: 'float32' | 'float64', length: number): Floats {
  return dtype === 'float32' ? ctx.scratch(length) : new Float64Array(length);
}
