import { ModelError } from '../../../worker/runtime/errors';
import { castKernel, castLikeKernel } from '../../../worker/runtime/kernels/math/cast';
import { clipKernel } from '../../../worker/runtime/kernels/math/clip';
import { roundToFloat16 } from '../../../worker/runtime/tensor';
import { bool, f32, f64, i32, i64, parseKernelAttributes, run1, scalar, tensor, values } from '../kernel-harness';

const to = (code: number) => ({ attributes: { to: code } });

describe('Cast', () => {
  it('truncates floats toward zero for integer targets', () => {
    const y = run1(castKernel, [f32([4], [1.7, -1.7, 300, -0.2])], to(6));
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual([1, -1, 300, 0]);
    expect(values(run1(castKernel, [f32([2], [2.9, -2.9])], to(7)))).toEqual([2, -2]);
    expect(values(run1(castKernel, [f32([1], [300])], to(2)))).toEqual([300 % 256]);
  });

  it('converts between int64 and numbers', () => {
    const y = run1(castKernel, [i64([2], [2n ** 40n, -3n])], to(1));
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([2 ** 40, -3]);
    expect(Array.from(run1(castKernel, [i32([2], [-1, 5])], to(13)).data as BigUint64Array)).toEqual([2n ** 64n - 1n, 5n]);
  });

  it('rounds to half precision for float16', () => {
    const y = run1(castKernel, [f64([3], [0.1, 65504, 1e6])], to(10));
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([roundToFloat16(0.1), 65504, Infinity]);
  });

  it('casts to and from bool and string', () => {
    expect(values(run1(castKernel, [f32([3], [0, 0.5, NaN])], to(9)))).toEqual([0, 1, 1]);
    expect(values(run1(castKernel, [bool([2], [1, 0])], to(1)))).toEqual([1, 0]);
    expect(values(run1(castKernel, [f32([4], [1, 0.5, Infinity, NaN])], to(8)))).toEqual(['1', '0.5', 'INF', 'NaN']);
    expect(values(run1(castKernel, [tensor('string', [4], ['1.5', ' -2 ', 'inf', 'NaN'])], to(11)))).toEqual([1.5, -2, Infinity, NaN]);
    expect(Array.from(run1(castKernel, [tensor('string', [1], ['9007199254740993'])], to(7)).data as BigInt64Array)).toEqual([9007199254740993n]);
  });

  it('fails on strings that are not numbers', () => {
    expect(() => run1(castKernel, [tensor('string', [1], ['abc'])], to(1))).toThrow(/cannot cast the string "abc" to a number/);
  });

  it('returns a view for a same-dtype cast', () => {
    const x = f32([2], [1, 2]);
    expect(run1(castKernel, [x], to(1)).data).toBe(x.data);
  });

  it('names unsupported target types', () => {
    expect(() => parseKernelAttributes(castKernel, { to: 16 })).toThrow(ModelError);
    expect(() => parseKernelAttributes(castKernel, { to: 16 })).toThrow(/attribute "to" is 16 \(bfloat16\)/);
    expect(() => parseKernelAttributes(castKernel, {})).toThrow(/attribute "to" is required/);
  });

  it('CastLike takes the dtype of its second input', () => {
    const y = run1(castLikeKernel, [f32([2], [1.5, 2.5]), i64([0], [])]);
    expect(y.dtype).toBe('int64');
    expect(values(y)).toEqual([1, 2]);
  });
});

describe('Clip', () => {
  it('takes bounds from inputs from opset 11, either optional', () => {
    const x = f32([4], [-2, 0, 2, NaN]);
    expect(values(run1(clipKernel, [x, scalar('float32', -1), scalar('float32', 1)]))).toEqual([-1, 0, 1, NaN]);
    expect(values(run1(clipKernel, [x, undefined, scalar('float32', 1)]))).toEqual([-2, 0, 1, NaN]);
    expect(values(run1(clipKernel, [x]))).toEqual([-2, 0, 2, NaN]);
  });

  it('takes bounds from attributes before opset 11', () => {
    expect(values(run1(clipKernel, [f32([3], [-2, 0, 2])], { opset: 6, attributes: { min: -1, max: 0.5 } }))).toEqual([-1, 0, 0.5]);
  });

  it('yields max everywhere when min > max', () => {
    expect(values(run1(clipKernel, [f32([3], [-2, 0, 2]), scalar('float32', 1), scalar('float32', 0)]))).toEqual([0, 0, 0]);
  });

  it('clips integers and int64', () => {
    expect(values(run1(clipKernel, [tensor('int8', [3], [-100, 5, 100]), scalar('int8', -10), scalar('int8', 10)]))).toEqual([-10, 5, 10]);
    expect(values(run1(clipKernel, [i64([2], [-5, 5]), i64([], [0])]))).toEqual([0, 5]);
  });

  it('requires scalar bounds of the same dtype', () => {
    expect(() => run1(clipKernel, [f32([1], [1]), f32([2], [0, 1])])).toThrow(/input min must be a scalar, got shape \[2\]/);
    expect(() => run1(clipKernel, [f32([1], [1]), f64([], [0])])).toThrow(/input min has dtype float64 but X has float32/);
  });
});
