import { andKernel, equalKernel, greaterKernel, greaterOrEqualKernel, lessKernel, lessOrEqualKernel, orKernel, xorKernel } from '../../../worker/runtime/kernels/math/compare-logic';
import { bool, f32, i64, run1, tensor, values } from '../kernel-harness';

describe('comparisons', () => {
  it('produce bool with broadcasting', () => {
    const a = f32([2, 2], [1, 2, 3, 4]);
    const b = f32([2], [2, 3]);
    for (const [k, expected] of [
      [greaterKernel, [0, 0, 1, 1]],
      [greaterOrEqualKernel, [0, 0, 1, 1]],
      [lessKernel, [1, 1, 0, 0]],
      [lessOrEqualKernel, [1, 1, 0, 0]],
      [equalKernel, [0, 0, 0, 0]],
    ] as const) {
      const y = run1(k, [a, b]);
      expect(y.dtype).toBe('bool');
      expect(y.shape).toEqual([2, 2]);
      expect(values(y)).toEqual(expected);
    }
    expect(values(run1(greaterOrEqualKernel, [f32([2], [2, 1]), f32([], [2])]))).toEqual([1, 0]);
  });

  it('compares int64, strings and bools for Equal', () => {
    expect(values(run1(equalKernel, [i64([2], [2n ** 60n, 1n]), i64([2], [2n ** 60n, 2n])]))).toEqual([1, 0]);
    expect(values(run1(equalKernel, [tensor('string', [3], ['a', 'b', 'c']), tensor('string', [1], ['b'])]))).toEqual([0, 1, 0]);
    expect(values(run1(equalKernel, [bool([2], [1, 0]), bool([2], [1, 1])]))).toEqual([1, 0]);
  });

  it('treats NaN as unequal and unordered', () => {
    expect(values(run1(equalKernel, [f32([1], [NaN]), f32([1], [NaN])]))).toEqual([0]);
    expect(values(run1(lessKernel, [f32([1], [NaN]), f32([1], [1])]))).toEqual([0]);
  });

  it('rejects strings for ordering', () => {
    expect(() => run1(lessKernel, [tensor('string', [1], ['a']), tensor('string', [1], ['b'])])).toThrow(/input A has dtype string/);
  });
});

describe('logic', () => {
  it('And, Or, Xor on broadcast booleans', () => {
    const a = bool([2, 2], [0, 0, 1, 1]);
    const b = bool([2], [0, 1]);
    expect(values(run1(andKernel, [a, b]))).toEqual([0, 0, 0, 1]);
    expect(values(run1(orKernel, [a, b]))).toEqual([0, 1, 1, 1]);
    expect(values(run1(xorKernel, [a, b]))).toEqual([0, 1, 1, 0]);
  });

  it('accepts only bool', () => {
    expect(() => run1(andKernel, [f32([1], [1]), f32([1], [1])])).toThrow(/And node "n0": input A has dtype float32; expected one of bool/);
  });
});
