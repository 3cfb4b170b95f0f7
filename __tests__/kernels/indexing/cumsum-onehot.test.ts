import { cumSumKernel } from '../../../worker/runtime/kernels/indexing/cumsum';
import { oneHotKernel } from '../../../worker/runtime/kernels/indexing/one-hot';
import { f32, i32, i64, iota, run1, scalar, tensor, values } from '../kernel-harness';

/** Cumulative sum along one axis of a [rows, cols] matrix, the obvious way. */
function naiveCumSum2D(x: number[], rows: number, cols: number, axis: number, exclusive: boolean, reverse: boolean): number[] {
  const out = new Array<number>(x.length).fill(0);
  const len = axis === 0 ? rows : cols;
  const other = axis === 0 ? cols : rows;
  const at = (i: number, o: number) => (axis === 0 ? i * cols + o : o * cols + i);
  for (let o = 0; o < other; o++) {
    for (let i = 0; i < len; i++) {
      let sum = 0;
      for (let j = 0; j < len; j++) {
        const included = reverse ? (exclusive ? j > i : j >= i) : exclusive ? j < i : j <= i;
        if (included) sum += x[at(j, o)];
      }
      out[at(i, o)] = sum;
    }
  }
  return out;
}

describe('CumSum', () => {
  const x = iota([3, 4]);
  const cases = [0, 1, -1].flatMap((axis) => [false, true].flatMap((exclusive) => [false, true].map((reverse) => [axis, exclusive, reverse] as const)));

  it.each(cases)('axis %d exclusive=%s reverse=%s matches the naive sums', (axis, exclusive, reverse) => {
    const y = run1(cumSumKernel, [x, i64([], [axis])], { attributes: { exclusive: Number(exclusive), reverse: Number(reverse) } });
    expect(values(y)).toEqual(naiveCumSum2D(values(x) as number[], 3, 4, axis < 0 ? axis + 2 : axis, exclusive, reverse));
  });

  it('sums int32 and int64 in their own types, with an int32 axis', () => {
    expect(values(run1(cumSumKernel, [i32([4], [1, 2, 3, 4]), tensor('int32', [1], [0])], { attributes: { exclusive: 1 } }))).toEqual([0, 1, 3, 6]);
    expect(run1(cumSumKernel, [i64([3], [1, 2, 3]), scalar('int64', 0)]).data).toEqual(new BigInt64Array([1n, 3n, 6n]));
  });

  it('rejects an axis out of range or not a scalar', () => {
    expect(() => run1(cumSumKernel, [x, i64([], [2])])).toThrow(/axis 2 is out of range for a tensor of rank 2 \(expected -2..1\)/);
    expect(() => run1(cumSumKernel, [x, i64([2], [0, 1])])).toThrow(/axis must be a scalar/);
    expect(() => run1(cumSumKernel, [x, f32([], [0])])).toThrow(/axis must be int64 or int32/);
  });
});

describe('OneHot', () => {
  const onOff = f32([2], [0, 5]);

  it('puts on-values at each index along the last axis by default, negative indices from the end', () => {
    const y = run1(oneHotKernel, [i64([3], [0, -1, 7]), scalar('int64', 3), onOff]);
    expect(y.shape).toEqual([3, 3]);
    // 7 is outside -3..2: an all-off row
    expect(values(y)).toEqual([5, 0, 0, 0, 0, 5, 0, 0, 0]);
  });

  it('inserts the depth axis where axis says, with float indices and depth', () => {
    const y = run1(oneHotKernel, [f32([2, 2], [1, 0, 2.7, 1]), f32([1], [3]), i32([2], [-1, 1])], { attributes: { axis: 1 } });
    expect(y.shape).toEqual([2, 3, 2]);
    expect(y.dtype).toBe('int32');
    // y[i, d, j] = on where trunc(indices[i, j]) == d
    expect(values(y)).toEqual([-1, 1, 1, -1, -1, -1, -1, -1, -1, 1, 1, -1]);
    expect(run1(oneHotKernel, [i64([2], [0, 1]), scalar('int64', 2), onOff], { attributes: { axis: -2 } }).shape).toEqual([2, 2]);
  });

  it('rejects a bad depth, values or axis', () => {
    expect(() => run1(oneHotKernel, [i64([1], [0]), scalar('int64', 0), onOff])).toThrow(/depth must be at least 1, got 0/);
    expect(() => run1(oneHotKernel, [i64([1], [0]), scalar('int64', 2), f32([3], [0, 1, 2])])).toThrow(/values must be a 2-element vector/);
    expect(() => run1(oneHotKernel, [i64([1], [0]), scalar('int64', 2), onOff], { attributes: { axis: 2 } })).toThrow(/axis 2 is out of range/);
  });
});
