/**
 * Input checks every family uses, with errors that name the input and what it must be. They take
 * tensors or, in a kernel's plan, the inputs' descriptions (dtype and shape).
 */
import { kernelFail, type PlanContext, type PlanInput } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { shapeText } from './shape-text';
import type { FloatTensor } from './tensor-types';

type Ctx = Pick<PlanContext, 'node'>;
type Described = Pick<PlanInput, 'dtype' | 'shape'>;

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

/** Fails unless `t` has the dtype of `like` (both float inputs of one node compute in one type). */
export function expectSameFloat(t: Described, like: Described, name: string, likeName: string, ctx: Ctx): void {
  if (t.dtype !== like.dtype) kernelFail(ctx, `input ${name} is ${t.dtype} but ${likeName} is ${like.dtype}; they must match`);
}

/** Raises unless `t` has exactly `shape`. */
export function expectShape(t: Described, shape: readonly number[], name: string, ctx: Ctx): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    kernelFail(ctx, `input ${name} must have shape ${shapeText(shape)}, got ${shapeText(t.shape)}`);
  }
}

/** Fails unless `t` has one of the given ranks. */
export function expectRank(t: Described, ranks: readonly number[], name: string, ctx: Ctx): void {
  if (!ranks.includes(t.shape.length)) {
    kernelFail(ctx, `input ${name} must have rank ${ranks.join(' or ')}, got shape ${shapeText(t.shape)}`);
  }
}

/** Fails with a message naming the input, its dtype and the accepted ones. */
export function expectDType(ctx: Ctx, t: Pick<Described, 'dtype'>, allowed: readonly DType[], what = 'input 0'): void {
  if (!allowed.includes(t.dtype)) {
    kernelFail(ctx, `${what} has dtype ${t.dtype}; expected one of ${allowed.join(', ')}`);
  }
}

/** Fails unless every given input has the dtype of the first one. */
export function expectSameDType(ctx: Ctx, tensors: ReadonlyArray<Pick<Described, 'dtype'>>): void {
  for (let i = 1; i < tensors.length; i++) {
    if (tensors[i].dtype !== tensors[0].dtype) {
      kernelFail(ctx, `input ${i} has dtype ${tensors[i].dtype} but input 0 has ${tensors[0].dtype}; the inputs must share one dtype`);
    }
  }
}

/** Fails unless an index input (indices, positions) is int64 or int32. */
export function expectIndexDType(t: Pick<Described, 'dtype'>, ctx: Ctx, what = 'indices'): void {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') kernelFail(ctx, `${what} must be int64 or int32, got ${t.dtype}`);
}
