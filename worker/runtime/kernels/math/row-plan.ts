/**
 * Iteration plans for broadcasting element-wise ops.
 *
 * The output is walked as `rows` rows of `inner` contiguous elements. Adjacent dimensions that
 * every input reads the same way are merged first, so [N, C] + [C] becomes N rows of C where the
 * second input restarts at 0, and [N, C, H, W] * [C, 1, 1] becomes N*C rows of H*W where the
 * second input is one value per row. Within a row each input's stride is 0 (one repeated value)
 * or 1 (contiguous), so the loops need no per-element index arithmetic.
 */
import { broadcastStrides } from '../common/broadcast';

export interface RowPlan {
  readonly rows: number;
  readonly inner: number;
  /** per input: 0 or 1, its step along a row */
  readonly innerStrides: readonly number[];
  /** per input: the flat index where each row starts */
  readonly rowStarts: readonly Int32Array[];
}

export function planRows(shapes: ReadonlyArray<readonly number[]>, outShape: readonly number[]): RowPlan {
  const k = shapes.length;
  const strides = shapes.map((s) => broadcastStrides(s, outShape));
  // Merged dimensions, innermost first: size plus each input's stride.
  const sizes: number[] = [];
  const groupStrides: number[][] = [];
  for (let d = outShape.length - 1; d >= 0; d--) {
    const size = outShape[d];
    if (size === 1) continue;
    const last = sizes.length - 1;
    if (last >= 0 && strides.every((s, i) => s[d] === groupStrides[last][i] * sizes[last])) {
      sizes[last] *= size;
    } else {
      sizes.push(size);
      groupStrides.push(strides.map((s) => s[d]));
    }
  }
  let total = 1;
  for (const d of outShape) total *= d;
  if (sizes.length === 0 || total === 0) {
    const rows = total === 0 ? 0 : 1;
    return { rows, inner: total === 0 ? 0 : 1, innerStrides: new Array(k).fill(0), rowStarts: shapes.map(() => new Int32Array(rows)) };
  }
  const inner = sizes[0];
  const innerStrides = groupStrides[0].slice();
  const outerSizes = sizes.slice(1).reverse();
  const outerStrides = groupStrides.slice(1).reverse();
  const rows = total / inner;
  const rowStarts = shapes.map(() => new Int32Array(rows));
  const rank = outerSizes.length;
  const counter = new Array<number>(rank).fill(0);
  const offsets = new Array<number>(k).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) rowStarts[i][r] = offsets[i];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      for (let i = 0; i < k; i++) offsets[i] += outerStrides[d][i];
      if (counter[d] < outerSizes[d]) break;
      for (let i = 0; i < k; i++) offsets[i] -= outerStrides[d][i] * outerSizes[d];
      counter[d] = 0;
    }
  }
  return { rows, inner, innerStrides, rowStarts };
}
