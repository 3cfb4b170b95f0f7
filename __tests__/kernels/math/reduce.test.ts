import fc from 'fast-check';
import { argMaxKernel, argMinKernel } from '../../../worker/runtime/kernels/math/arg-reduce';
import {
  reduceL1Kernel, reduceL2Kernel, reduceLogSumKernel, reduceLogSumExpKernel, reduceMaxKernel, reduceMeanKernel, reduceMinKernel, reduceProdKernel, reduceSumKernel, reduceSumSquareKernel,
} from '../../../worker/runtime/kernels/math/reduce';
import { bool, f32, f64, i32, i64, iota, parseKernelAttributes, run1, tensor, values } from '../kernel-harness';
import { naiveReduce } from './helpers';

const x = () => f32([2, 3], [1, -2, 3, 4, 5, -6]);
const axes = (...a: number[]) => i64([a.length], a);

describe('Reduce* with axes as an input (opset 18)', () => {
  it('reduces one axis with and without keepdims', () => {
    const y = run1(reduceSumKernel, [x(), axes(1)]);
    expect(y.shape).toEqual([2, 1]);
    expect(values(y)).toEqual([2, 3]);
    const z = run1(reduceSumKernel, [x(), axes(0)], { attributes: { keepdims: 0 } });
    expect(z.shape).toEqual([3]);
    expect(values(z)).toEqual([5, 3, -3]);
  });

  it('computes every fold', () => {
    const cases: [typeof reduceSumKernel, number[]][] = [
      [reduceMeanKernel, [2 / 3, 1]],
      [reduceMaxKernel, [3, 5]],
      [reduceMinKernel, [-2, -6]],
      [reduceProdKernel, [-6, -120]],
      [reduceSumSquareKernel, [14, 77]],
      [reduceL1Kernel, [6, 15]],
      [reduceL2Kernel, [Math.sqrt(14), Math.sqrt(77)]],
      [reduceLogSumExpKernel, [Math.log(Math.exp(1) + Math.exp(-2) + Math.exp(3)), Math.log(Math.exp(4) + Math.exp(5) + Math.exp(-6))]],
    ];
    for (const [k, expected] of cases) {
      const got = values(run1(k, [x(), axes(-1)]));
      got.forEach((v, i) => expect(v as number).toBeCloseTo(expected[i], 5));
    }
    expect(values(run1(reduceLogSumKernel, [f32([2], [1, 3]), axes(0)]))).toEqual([Math.fround(Math.log(4))]);
  });

  it('keeps LogSumExp finite for large inputs', () => {
    expect(values(run1(reduceLogSumExpKernel, [f64([2], [1000, 1000]), axes(0)]))).toEqual([1000 + Math.log(2)]);
  });

  it('reduces everything when no axes are given, or nothing with noop_with_empty_axes', () => {
    const all = run1(reduceSumKernel, [x()]);
    expect(all.shape).toEqual([1, 1]);
    expect(values(all)).toEqual([5]);
    expect(values(run1(reduceMaxKernel, [x(), i64([0], [])], { attributes: { keepdims: 0 } }))).toEqual([5]);
    const same = run1(reduceSumKernel, [x(), i64([0], [])], { attributes: { noop_with_empty_axes: 1 } });
    expect(same.shape).toEqual([2, 3]);
    expect(values(same)).toEqual(values(x()));
  });

  it('gives each fold its identity over an empty set', () => {
    const empty = f32([2, 0], []);
    expect(values(run1(reduceSumKernel, [empty, axes(1)]))).toEqual([0, 0]);
    expect(values(run1(reduceProdKernel, [empty, axes(1)]))).toEqual([1, 1]);
    expect(values(run1(reduceMaxKernel, [empty, axes(1)]))).toEqual([-Infinity, -Infinity]);
    expect(values(run1(reduceMinKernel, [empty, axes(1)]))).toEqual([Infinity, Infinity]);
    expect(values(run1(reduceLogSumExpKernel, [empty, axes(1)]))).toEqual([-Infinity, -Infinity]);
    expect(values(run1(reduceL2Kernel, [empty, axes(1)]))).toEqual([0, 0]);
  });

  it('reduces integers, exact int64 and bool', () => {
    expect(values(run1(reduceSumKernel, [i32([2, 2], [1, 2, 3, 4]), axes(0)]))).toEqual([4, 6]);
    expect(values(run1(reduceMeanKernel, [i32([3], [1, 2, 4]), axes(0)]))).toEqual([2]);
    const big = run1(reduceSumKernel, [i64([2], [2n ** 60n, 1n]), axes(0)]);
    expect(Array.from(big.data as BigInt64Array)).toEqual([2n ** 60n + 1n]);
    expect(values(run1(reduceMaxKernel, [i64([3], [-5, -2, -9]), axes(0)]))).toEqual([-2]);
    expect(values(run1(reduceMaxKernel, [bool([2, 2], [0, 1, 0, 0]), axes(1)]))).toEqual([1, 0]);
    expect(values(run1(reduceMinKernel, [bool([2, 2], [1, 1, 0, 1]), axes(1)]))).toEqual([1, 0]);
  });

  it('reports bad axes', () => {
    expect(() => run1(reduceSumKernel, [x(), axes(2)])).toThrow(/ReduceSum node "n0": axis 2 is out of range for input of rank 2/);
    expect(() => run1(reduceSumKernel, [x(), axes(1, -1)])).toThrow(/axis -1 is listed twice/);
    expect(() => run1(reduceSumKernel, [x(), i32([1], [0])])).toThrow(/input axes has dtype int32; expected int64/);
  });
});

describe('Reduce* with axes as an attribute (old opsets)', () => {
  it('reads axes from the attribute', () => {
    expect(values(run1(reduceMeanKernel, [x()], { opset: 13, attributes: { axes: [0] } }))).toEqual([2.5, 1.5, -1.5]);
    expect(values(run1(reduceSumKernel, [x()], { opset: 11, attributes: { axes: [1], keepdims: 0 } }))).toEqual([2, 3]);
  });

  it('refuses the attribute once axes became an input', () => {
    expect(() => parseKernelAttributes(reduceSumKernel, { axes: [0] }, 13)).toThrow(/attribute "axes" was replaced by an input in opset 13/);
    expect(() => parseKernelAttributes(reduceMaxKernel, { axes: [0] }, 18)).toThrow(/replaced by an input in opset 18/);
    expect(() => parseKernelAttributes(reduceMaxKernel, { keepdims: 2 }, 18)).toThrow(/attribute "keepdims" is 2; use 0 or 1/);
  });
});

describe('reductions (property)', () => {
  const shapeAndAxes = fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
    .chain((shape) => fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i), { minLength: 1 })));

  it('ReduceSum, ReduceMax and ReduceProd equal an index-based reference on random shapes and axes', () => {
    fc.assert(
      fc.property(shapeAndAxes, ([shape, ax]) => {
        const n = shape.reduce((p, d) => p * d, 1);
        const t = f64(shape, Array.from({ length: n }, (_, i) => ((i * 37) % 11) - 5));
        const a = axes(...ax);
        expect(values(run1(reduceSumKernel, [t, a]))).toEqual(naiveReduce(t, ax, 0, (s, v) => s + v));
        expect(values(run1(reduceMaxKernel, [t, a]))).toEqual(naiveReduce(t, ax, -Infinity, Math.max));
        expect(values(run1(reduceProdKernel, [t, a]))).toEqual(naiveReduce(t, ax, 1, (s, v) => s * v));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ArgMax / ArgMin', () => {
  const m = () => f32([2, 3], [1, 7, 7, 9, 0, 9]);

  it('returns int64 indices along an axis', () => {
    const y = run1(argMaxKernel, [m()], { attributes: { axis: 1 } });
    expect(y.dtype).toBe('int64');
    expect(y.shape).toEqual([2, 1]);
    expect(values(y)).toEqual([1, 0]);
    expect(values(run1(argMinKernel, [m()], { attributes: { axis: 0, keepdims: 0 } }))).toEqual([0, 1, 0]);
    expect(run1(argMinKernel, [m()], { attributes: { axis: 0, keepdims: 0 } }).shape).toEqual([3]);
  });

  it('picks the last of equal values with select_last_index', () => {
    expect(values(run1(argMaxKernel, [m()], { attributes: { axis: -1, select_last_index: 1 } }))).toEqual([2, 2]);
    expect(values(run1(argMinKernel, [tensor('int32', [3], [2, 1, 1])], { attributes: { select_last_index: 1 } }))).toEqual([2]);
  });

  it('rejects a bad axis and an empty axis', () => {
    expect(() => run1(argMaxKernel, [m()], { attributes: { axis: 2 } })).toThrow(/ArgMax node "n0": axis 2 is out of range for a tensor of rank 2/);
    expect(() => run1(argMaxKernel, [f32([2, 0], [])], { attributes: { axis: 1 } })).toThrow(/axis 1 of size 0/);
  });

  it('handles a middle axis of a 3-D tensor', () => {
    const t = iota([2, 3, 2]);
    expect(values(run1(argMaxKernel, [t], { attributes: { axis: 1, keepdims: 0 } }))).toEqual([2, 2, 2, 2]);
  });
});
