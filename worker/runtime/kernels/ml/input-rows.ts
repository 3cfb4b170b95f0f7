/** Reading [N, C] (or [C]) numeric inputs of the ai.onnx.ml ops as plain numbers. */
import { type KernelContext, kernelFail } from '../../kernel';
import type { Tensor } from '../../tensor';

export interface Rows {
  data: ArrayLike<number>;
  /** rows */
  n: number;
  /** columns */
  c: number;
}

/** Numeric data of a tensor as numbers; int64 is converted (values beyond 2^53 lose precision). */
export function numbersOf(x: Tensor, ctx: Pick<KernelContext, 'node'>): ArrayLike<number> {
  switch (x.dtype) {
    case 'float32':
    case 'float64':
    case 'int32':
      return x.data as ArrayLike<number>;
    case 'int64': {
      const src = x.data as BigInt64Array;
      const out = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
      return out;
    }
    default:
      return kernelFail(ctx, `input type ${x.dtype} is not supported; use float, double, int64 or int32`);
  }
}

/** A 1-D input is one row; a 2-D input is [rows, columns]. */
export function rowsOfMatrix(x: Tensor, ctx: Pick<KernelContext, 'node'>): Rows {
  return { data: matrixNumbers(x, ctx), n: rowCount(x), c: columnCount(x) };
}

/** rowsOfMatrix's data alone, for kernels on the inference path (no record per call). */
export function matrixNumbers(x: Tensor, ctx: Pick<KernelContext, 'node'>): ArrayLike<number> {
  if (x.rank === 0 || x.rank > 2) kernelFail(ctx, `input must be 1-D or 2-D, got shape [${x.shape.join(', ')}]`);
  return numbersOf(x, ctx);
}

/** Rows of a 1-D (one row) or 2-D input. */
export function rowCount(x: Tensor): number {
  return x.rank === 1 ? 1 : x.shape[0];
}

/** Columns of a 1-D (one row) or 2-D input. */
export function columnCount(x: Tensor): number {
  return x.rank === 1 ? x.shape[0] : x.shape[1];
}
