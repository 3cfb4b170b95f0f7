import { erf } from '../../../worker/runtime/kernels/math/erf';
import { absKernel, ceilKernel, erfKernel, expKernel, floorKernel, negKernel, notKernel, reciprocalKernel, roundKernel, signKernel, sqrtKernel, tanhKernel } from '../../../worker/runtime/kernels/math/unary';
import { bool, f32, f64, i32, i64, run1, tensor, values } from '../kernel-harness';
import { referenceErf } from './helpers';

describe('unary math', () => {
  it('computes in double and stores float32', () => {
    const y = run1(expKernel, [f32([3], [0, 1, -1])]);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.data as Float32Array)).toEqual([1, Math.fround(Math.E), Math.fround(Math.exp(-1))]);
    expect(values(run1(tanhKernel, [f64([2], [0.5, -20])]))).toEqual([Math.tanh(0.5), -1]);
    expect(values(run1(sqrtKernel, [f32([2], [4, -1])]))).toEqual([2, NaN]);
    expect(values(run1(reciprocalKernel, [f32([2], [4, 0])]))).toEqual([0.25, Infinity]);
  });

  it('rounds with Ceil, Floor and Round (half to even)', () => {
    expect(values(run1(ceilKernel, [f32([3], [1.2, -1.2, 2])]))).toEqual([2, -1, 2]);
    expect(values(run1(floorKernel, [f32([3], [1.8, -1.2, 2])]))).toEqual([1, -2, 2]);
    expect(values(run1(roundKernel, [f32([7], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4])]))).toEqual([0, 2, 2, -0, -2, -2, 2]);
  });

  it('supports integer and int64 data for Abs, Neg and Sign', () => {
    expect(values(run1(absKernel, [i32([3], [-3, 0, 4])]))).toEqual([3, 0, 4]);
    expect(values(run1(negKernel, [tensor('int8', [2], [5, -128])]))).toEqual([-5, -128]);
    const big = run1(absKernel, [i64([2], [-(2n ** 62n), 5n])]);
    expect(big.dtype).toBe('int64');
    expect(Array.from(big.data as BigInt64Array)).toEqual([2n ** 62n, 5n]);
    expect(values(run1(signKernel, [i64([3], [-9, 0, 9])]))).toEqual([-1, 0, 1]);
    expect(values(run1(signKernel, [f32([3], [-0.5, 0, 2])]))).toEqual([-1, 0, 1]);
  });

  it('negates booleans with Not', () => {
    const y = run1(notKernel, [bool([3], [1, 0, 1])]);
    expect(y.dtype).toBe('bool');
    expect(values(y)).toEqual([0, 1, 0]);
  });

  it('rejects dtypes an op does not define', () => {
    expect(() => run1(expKernel, [i32([1], [1])])).toThrow(/Exp node "n0": input X has dtype int32; expected one of float32, float64/);
    expect(() => run1(notKernel, [f32([1], [1])])).toThrow(/input X has dtype float32; expected one of bool/);
    expect(() => run1(negKernel, [tensor('uint8', [1], [1])])).toThrow(/input X has dtype uint8/);
  });

  it('keeps the shape, including scalars and empty tensors', () => {
    expect(run1(expKernel, [f32([], [0])]).shape).toEqual([]);
    expect(run1(expKernel, [f32([2, 0], [])]).shape).toEqual([2, 0]);
  });
});

describe('erf', () => {
  it('is accurate to 1e-13 relative over the whole line', () => {
    let worst = 0;
    for (let i = -7000; i <= 7000; i++) {
      const x = i / 1000 + 1e-4;
      const ref = referenceErf(x);
      worst = Math.max(worst, Math.abs(erf(x) - ref) / Math.abs(ref));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('matches known values and limits', () => {
    expect(erf(0)).toBe(0);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
  });

  it('runs as the Erf kernel', () => {
    expect(values(run1(erfKernel, [f64([2], [0.5, -3])]))).toEqual([erf(0.5), erf(-3)]);
  });
});
