import { maxKernel, meanKernel, minKernel, sumKernel } from '../../../worker/runtime/kernels/math/variadic';
import { whereKernel } from '../../../worker/runtime/kernels/math/where';
import { bool, f32, i32, i64, run1, tensor, values } from '../kernel-harness';

describe('Max Min Mean Sum', () => {
  it('fold any number of inputs with broadcasting', () => {
    const a = f32([3], [1, 5, 3]);
    const b = f32([2, 1], [2, 4]);
    const c = f32([], [0]);
    expect(run1(maxKernel, [a, b, c]).shape).toEqual([2, 3]);
    expect(values(run1(maxKernel, [a, b, c]))).toEqual([2, 5, 3, 4, 5, 4]);
    expect(values(run1(minKernel, [a, b, c]))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(values(run1(sumKernel, [a, b, c]))).toEqual([3, 7, 5, 5, 9, 7]);
    expect(values(run1(meanKernel, [a, b]))).toEqual([1.5, 3.5, 2.5, 2.5, 4.5, 3.5]);
  });

  it('copies a single input', () => {
    const a = f32([2], [1, 2]);
    const y = run1(sumKernel, [a]);
    expect(values(y)).toEqual([1, 2]);
    expect(y.data).not.toBe(a.data);
  });

  it('supports integer and int64 Max/Min', () => {
    expect(values(run1(maxKernel, [i32([2], [1, -5]), i32([2], [0, 3])]))).toEqual([1, 3]);
    expect(values(run1(minKernel, [i64([2], [2n ** 62n, -1n]), i64([1], [0n])]))).toEqual([0, -1]);
  });

  it('propagates NaN in Max and Min', () => {
    expect(values(run1(maxKernel, [f32([2], [NaN, 1]), f32([2], [1, NaN])]))).toEqual([NaN, NaN]);
    expect(values(run1(minKernel, [f32([2], [NaN, 1]), f32([2], [1, NaN])]))).toEqual([NaN, NaN]);
  });

  it('reports shapes that do not broadcast and mixed dtypes', () => {
    expect(() => run1(sumKernel, [f32([2], [1, 2]), f32([3], [1, 2, 3])])).toThrow(/Sum node "n0": cannot broadcast shapes \[2\], \[3\]/);
    expect(() => run1(maxKernel, [f32([1], [1]), i32([1], [1])])).toThrow(/input 1 has dtype int32 but input 0 has float32/);
    expect(() => run1(meanKernel, [i32([1], [1])])).toThrow(/input 0 has dtype int32/);
  });
});

describe('Where', () => {
  it('selects with three-way broadcasting', () => {
    const cond = bool([2, 1], [1, 0]);
    const x = f32([3], [1, 2, 3]);
    const y = f32([], [-1]);
    const out = run1(whereKernel, [cond, x, y]);
    expect(out.shape).toEqual([2, 3]);
    expect(values(out)).toEqual([1, 2, 3, -1, -1, -1]);
  });

  it('selects strings and int64', () => {
    expect(values(run1(whereKernel, [bool([2], [0, 1]), tensor('string', [2], ['a', 'b']), tensor('string', [2], ['c', 'd'])]))).toEqual(['c', 'b']);
    expect(values(run1(whereKernel, [bool([2], [1, 0]), i64([2], [1, 2]), i64([1], [9])]))).toEqual([1, 9]);
  });

  it('requires a bool condition and matching X/Y dtypes', () => {
    expect(() => run1(whereKernel, [f32([1], [1]), f32([1], [1]), f32([1], [1])])).toThrow(/input condition has dtype float32/);
    expect(() => run1(whereKernel, [bool([1], [1]), f32([1], [1]), i32([1], [1])])).toThrow(/input Y has dtype int32 but X has float32/);
    expect(() => run1(whereKernel, [bool([2], [1, 1]), f32([3], [1, 1, 1]), f32([1], [1])])).toThrow(/cannot broadcast condition \[2\], X \[3\] and Y \[1\]/);
  });
});
