/**
 * Helpers shared by the indexing kernels: reading index tensors (int32 or int64, negative values
 * counted from the end) with range errors that name the index and the allowed range, and the
 * element-wise reductions of the Scatter ops.
 */
import type { AttributeReader, KernelContext } from '../../kernel';
import { kernelFail } from '../../kernel';
import type { Tensor, TensorData } from '../../tensor';
import { expectIndexDType } from '../common/inputs';

export type Ctx = Pick<KernelContext, 'node'>;

/**
 * Element access for any numeric tensor data. int64/uint64 data holds bigints; the arithmetic the
 * indexing kernels do (+, *, <, >) behaves the same on two bigints as on two numbers, so one loop
 * serves both as long as every operand comes from the same tensor (or a zero of its type).
 */
export type Elements = { [i: number]: number; length: number };

export function elements(data: TensorData): Elements {
  return data as unknown as Elements;
}

/** Asserts an index tensor is int64 or int32 and returns its data for `Number(...)` reads. */
export function indexData(t: Tensor, ctx: Ctx, what: string): ArrayLike<number | bigint> {
  expectIndexDType(t, ctx, what);
  return t.data as ArrayLike<number | bigint>;
}

/** Maps an index into [0, dim), counting negative values from the end; fails outside -dim..dim-1. */
export function resolveIndex(raw: number, dim: number, ctx: Ctx, what: string): number {
  const idx = raw < 0 ? raw + dim : raw;
  if (!(idx >= 0 && idx < dim)) {
    kernelFail(ctx, `${what} ${raw} is out of range for an axis of ${dim} element${dim === 1 ? '' : 's'} (expected ${-dim}..${dim - 1})`);
  }
  return idx;
}

/** Position of a flat element index as "[i, j, k]" for error messages. */
export function positionText(flat: number, shape: readonly number[]): string {
  const pos = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k] || 1;
    pos[k] = flat % d;
    flat = Math.floor(flat / d);
  }
  return `[${pos.join(', ')}]`;
}

export type ScatterReduction = 'none' | 'add' | 'mul' | 'max' | 'min';

/** The combine step of a scatter: how an update merges with the value already there. */
export type Combine = (current: number, update: number) => number;

/**
 * The combine function for `reduction` on data of `dtype`, or undefined for plain assignment.
 * Bool data keeps 0/1 (add/max act as or, mul/min as and); strings only support 'none'. max/min
 * follow std::max/std::min as onnxruntime does (a NaN already there stays).
 */
export function combineFor(reduction: ScatterReduction, dtype: Tensor['dtype'], ctx: Ctx): Combine | undefined {
  if (reduction === 'none') return undefined;
  if (dtype === 'string') kernelFail(ctx, `reduction "${reduction}" needs numbers; string data supports only reduction "none"`);
  const base: Combine =
    reduction === 'add'
      ? (a, b) => a + b
      : reduction === 'mul'
        ? (a, b) => a * b
        : reduction === 'max'
          ? (a, b) => (a < b ? b : a)
          : (a, b) => (b < a ? b : a);
  if (dtype === 'bool') return (a, b) => (base(a, b) ? 1 : 0);
  return base;
}

/** The `reduction` attribute: none before opset 16, add/mul from 16, max/min from 18. */
export function parseReduction(a: AttributeReader, opset: number): ScatterReduction {
  if (opset < 16) return 'none';
  return a.oneOf<ScatterReduction>('reduction', opset >= 18 ? ['none', 'add', 'mul', 'max', 'min'] : ['none', 'add', 'mul'], 'none');
}
