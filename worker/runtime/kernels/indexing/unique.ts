/**
 * Unique: the distinct elements of the flattened input, or the distinct slices along `axis`, with
 * all four outputs: Y (the unique values), indices (first occurrence of each in the input),
 * inverse_indices (for each input element/slice, its position in Y) and counts, all int64.
 * sorted=1 (default) orders Y ascending (slices lexicographically); sorted=0 keeps the order of
 * first occurrence. Output sizes depend on the data, so everything is computed before allocating.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { sizeOf } from '../../tensor';
import { copyRange } from '../tensor/common';
import { normalizeAxis } from '../common/axes';

interface UniqueAttributes {
  readonly sorted: boolean;
  readonly axis: number | undefined;
}

type Value = number | bigint | string;

/** Orders two values ascending; NaN sorts last, as numpy does. */
function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const uniqueKernel = kernel<UniqueAttributes>({
  op: 'Unique',
  attributes: (a) => ({ sorted: a.int('sorted', 1) !== 0, axis: a.has('axis') ? a.int('axis') : undefined }),
  run(inputs, { sorted, axis: axisAttr }, ctx) {
    const x = required(inputs, 0, ctx);
    if (axisAttr !== undefined && x.rank === 0) kernelFail(ctx, 'input must have rank >= 1 when axis is given');
    const shape = axisAttr === undefined ? [x.size] : x.shape;
    const axis = axisAttr === undefined ? 0 : normalizeAxis(axisAttr, x.rank, ctx);
    const slices = shape[axis];
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const src = x.data as ArrayLike<Value>;
    // slice s is the elements (o * slices + s) * inner + i for every o, i
    const sliceValues = (s: number): Value[] => {
      const v = new Array<Value>(outer * inner);
      for (let o = 0, j = 0; o < outer; o++) for (let i = 0; i < inner; i++) v[j++] = src[(o * slices + s) * inner + i];
      return v;
    };
    const keyOf = inner * outer === 1 ? (s: number): Value => src[s] : (s: number): string => JSON.stringify(sliceValues(s).map(String));
    const firstOf = new Map<Value, number>(); // key -> unique id (order of first occurrence)
    const first: number[] = [];
    const counts: number[] = [];
    const inverse = new Int32Array(slices);
    for (let s = 0; s < slices; s++) {
      const key = keyOf(s);
      let id = firstOf.get(key);
      if (id === undefined) {
        id = first.length;
        firstOf.set(key, id);
        first.push(s);
        counts.push(0);
      }
      counts[id]++;
      inverse[s] = id;
    }
    const order = first.map((_, id) => id);
    if (sorted) {
      const values = first.map((s) => sliceValues(s));
      order.sort((a, b) => {
        const va = values[a];
        const vb = values[b];
        for (let i = 0; i < va.length; i++) {
          const c = compareValues(va[i], vb[i]);
          if (c !== 0) return c;
        }
        return 0;
      });
    }
    const rankOf = new Int32Array(order.length); // unique id -> position in Y
    order.forEach((id, pos) => (rankOf[id] = pos));
    const u = order.length;
    const yShape = shape.slice();
    yShape[axis] = u;
    const y = ctx.output(0, x.dtype, yShape);
    for (let o = 0; o < outer; o++) {
      for (let pos = 0; pos < u; pos++) copyRange(x.data, (o * slices + first[order[pos]]) * inner, y.data, (o * u + pos) * inner, inner);
    }
    const indices = int64Output(ctx, 1, order.map((id) => first[id]));
    const inverseIndices = int64Output(ctx, 2, Array.from(inverse, (id) => rankOf[id]));
    const countsOut = int64Output(ctx, 3, order.map((id) => counts[id]));
    return [y, indices, inverseIndices, countsOut];
  },
});

function int64Output(ctx: { output(i: number, dtype: 'int64', shape: readonly number[]): Tensor<'int64'> }, index: number, values: readonly number[]): Tensor<'int64'> {
  const t = ctx.output(index, 'int64', [values.length]);
  for (let i = 0; i < values.length; i++) t.data[i] = BigInt(values[i]);
  return t;
}
