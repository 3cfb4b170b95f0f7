/**
 * The walk behind every Reduce* op. Adjacent dimensions that are both reduced or both kept are
 * merged, size-1 dimensions dropped, and the input is visited row by row (its last merged
 * dimension). A reduced last dimension folds into one local double per row; a kept one
 * accumulates element-wise into the output, so both common layouts run without index math.
 */
export interface ReduceLayout {
  /** merged dimensions, outermost first */
  readonly sizes: readonly number[];
  readonly reduced: readonly boolean[];
  /** elements folded into each output element */
  readonly count: number;
  readonly outSize: number;
}

export function reduceLayout(shape: readonly number[], axes: ReadonlySet<number>): ReduceLayout {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  let count = 1;
  let outSize = 1;
  shape.forEach((size, d) => {
    const r = axes.has(d);
    if (r) count *= size;
    else outSize *= size;
    if (size === 1) return;
    const last = sizes.length - 1;
    if (last >= 0 && reduced[last] === r) sizes[last] *= size;
    else {
      sizes.push(size);
      reduced.push(r);
    }
  });
  return { sizes, reduced, count, outSize };
}

/**
 * Calls `row(xStart, outStart, length, lastReduced)` for every row of the input, in order.
 * Does nothing for empty inputs.
 */
export function forEachRow(layout: ReduceLayout, row: (xi: number, oi: number, length: number, lastReduced: boolean) => void): void {
  const { sizes, reduced } = layout;
  const rank = sizes.length;
  if (rank === 0) {
    if (layout.count * layout.outSize !== 0) row(0, 0, 1, true);
    return;
  }
  if (sizes.some((s) => s === 0)) return;
  const length = sizes[rank - 1];
  const lastReduced = reduced[rank - 1];
  // output strides of the outer dimensions: 0 along reduced ones
  const outStrides = new Array<number>(rank).fill(0);
  let s = lastReduced ? 1 : length;
  for (let d = rank - 2; d >= 0; d--) {
    if (!reduced[d]) {
      outStrides[d] = s;
      s *= sizes[d];
    }
  }
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= sizes[d];
  const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let oi = 0;
  for (let r = 0; r < rows; r++) {
    row(r * length, oi, length, lastReduced);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]++;
      oi += outStrides[d];
      if (counter[d] < sizes[d]) break;
      oi -= outStrides[d] * sizes[d];
      counter[d] = 0;
    }
  }
}
