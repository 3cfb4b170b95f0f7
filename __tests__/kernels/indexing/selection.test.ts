import { compressKernel } from '../../../worker/runtime/kernels/indexing/compress';
import { nonZeroKernel } from '../../../worker/runtime/kernels/indexing/nonzero';
import { uniqueKernel } from '../../../worker/runtime/kernels/indexing/unique';
import { bool, f32, i64, iota, run1, runKernel, scalar, tensor, values } from '../kernel-harness';

describe('NonZero', () => {
  it('lists coordinates of non-zero elements per axis, NaN counting as non-zero', () => {
    const y = run1(nonZeroKernel, [f32([2, 3], [0, 1, 0, NaN, 0, -2])]);
    expect(y.dtype).toBe('int64');
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([0, 1, 1, 1, 0, 2]);
  });

  it('handles bool, int64, all-zero and scalar inputs', () => {
    expect(values(run1(nonZeroKernel, [bool([3], [1, 0, 1])]))).toEqual([0, 2]);
    expect(values(run1(nonZeroKernel, [i64([2], [0n, 5n])]))).toEqual([1]);
    expect(run1(nonZeroKernel, [f32([2, 2], [0, 0, 0, 0])]).shape).toEqual([2, 0]);
    const s = run1(nonZeroKernel, [scalar('float32', 3)]);
    expect(s.shape).toEqual([1, 1]);
    expect(values(s)).toEqual([0]);
  });
});

describe('Compress', () => {
  const x = iota([3, 2]);

  it('keeps the slices whose condition is true along an axis', () => {
    const a = run1(compressKernel, [x, bool([3], [0, 1, 1])], { attributes: { axis: 0 } });
    expect(a.shape).toEqual([2, 2]);
    expect(values(a)).toEqual([2, 3, 4, 5]);
    const b = run1(compressKernel, [x, bool([2], [0, 1])], { attributes: { axis: -1 } });
    expect(b.shape).toEqual([3, 1]);
    expect(values(b)).toEqual([1, 3, 5]);
  });

  it('flattens without an axis and accepts a shorter condition', () => {
    const y = run1(compressKernel, [x, bool([4], [1, 0, 0, 1])]);
    expect(y.shape).toEqual([2]);
    expect(values(y)).toEqual([0, 3]);
    expect(run1(compressKernel, [x, bool([1], [0])], { attributes: { axis: 0 } }).shape).toEqual([0, 2]);
  });

  it('rejects a condition longer than the axis', () => {
    expect(() => run1(compressKernel, [x, bool([4], [1, 1, 1, 1])], { attributes: { axis: 0 } })).toThrow(/condition has 4 values but axis 0 of the input \[3, 2\] has 3/);
    expect(() => run1(compressKernel, [x, bool([1, 1], [1])])).toThrow(/condition must be 1-D/);
  });
});

/** numpy.unique(x, return_index, return_inverse, return_counts) for a flat list, sorted. */
function naiveUnique(xs: number[]): { y: number[]; indices: number[]; inverse: number[]; counts: number[] } {
  const y = [...new Set(xs)].sort((a, b) => a - b);
  return {
    y,
    indices: y.map((v) => xs.indexOf(v)),
    inverse: xs.map((v) => y.indexOf(v)),
    counts: y.map((v) => xs.filter((w) => w === v).length),
  };
}

describe('Unique', () => {
  it('matches a naive sorted reference on all four outputs', () => {
    const xs = [2, 1, 1, 3, 4, 3, 0, 2];
    const [y, indices, inverse, counts] = runKernel(uniqueKernel, [f32([8], xs)], { outputs: 4 });
    const ref = naiveUnique(xs);
    expect(values(y)).toEqual(ref.y);
    expect(values(indices)).toEqual(ref.indices);
    expect(values(inverse)).toEqual(ref.inverse);
    expect(values(counts)).toEqual(ref.counts);
    expect([indices.dtype, inverse.dtype, counts.dtype]).toEqual(['int64', 'int64', 'int64']);
  });

  it('keeps first-occurrence order when sorted=0', () => {
    const [y, indices, inverse, counts] = runKernel(uniqueKernel, [f32([6], [2, 1, 1, 3, 4, 3])], { outputs: 4, attributes: { sorted: 0 } });
    expect(values(y)).toEqual([2, 1, 3, 4]);
    expect(values(indices)).toEqual([0, 1, 3, 4]);
    expect(values(inverse)).toEqual([0, 1, 1, 2, 3, 2]);
    expect(values(counts)).toEqual([1, 2, 2, 1]);
  });

  it('finds unique slices along an axis, ordered lexicographically', () => {
    const x = f32([3, 3], [1, 0, 0, 1, 0, 0, 2, 3, 4]);
    const [y, indices, inverse, counts] = runKernel(uniqueKernel, [x], { outputs: 4, attributes: { axis: 0 } });
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([1, 0, 0, 2, 3, 4]);
    expect(values(indices)).toEqual([0, 2]);
    expect(values(inverse)).toEqual([0, 0, 1]);
    expect(values(counts)).toEqual([2, 1]);
    const [cols] = runKernel(uniqueKernel, [f32([2, 3], [2, 1, 2, 0, 5, 0])], { outputs: 4, attributes: { axis: -1 } });
    expect(cols.shape).toEqual([2, 2]);
    expect(values(cols)).toEqual([1, 2, 5, 0]);
  });

  it('works on strings and int64', () => {
    expect(values(runKernel(uniqueKernel, [tensor('string', [4], ['b', 'a', 'b', 'c'])], { outputs: 4 })[0])).toEqual(['a', 'b', 'c']);
    expect(values(runKernel(uniqueKernel, [i64([3], [9n, -1n, 9n])], { outputs: 4 })[0])).toEqual([-1, 9]);
  });
});
