import fc from 'fast-check';
import { KernelError } from '../../../worker/runtime/errors';
import { addKernel, divKernel, modKernel, mulKernel, powKernel, subKernel } from '../../../worker/runtime/kernels/math/binary';
import { greaterKernel } from '../../../worker/runtime/kernels/math/compare-logic';
import { Tensor } from '../../../worker/runtime/tensor';
import { f32, f64, i32, i64, iota, run1, tensor, values } from '../kernel-harness';
import { naiveBinary } from './helpers';

describe('Add/Sub/Mul/Div on floats', () => {
  it('adds tensors of the same shape and rounds to float32', () => {
    const y = run1(addKernel, [f32([3], [1, 2, 0.1]), f32([3], [10, 20, 0.2])]);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([3]);
    expect(Array.from(y.data as Float32Array)).toEqual([11, 22, Math.fround(Math.fround(0.1) + Math.fround(0.2))]);
  });

  it('broadcasts a scalar on either side', () => {
    expect(values(run1(subKernel, [f32([2, 2], [1, 2, 3, 4]), f32([], [1])]))).toEqual([0, 1, 2, 3]);
    expect(values(run1(subKernel, [f32([1], [10]), f32([2, 2], [1, 2, 3, 4])]))).toEqual([9, 8, 7, 6]);
  });

  it('adds a bias over the last dimension: [N, C] + [C]', () => {
    const y = run1(addKernel, [iota([2, 3]), f32([3], [100, 200, 300])]);
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([100, 201, 302, 103, 204, 305]);
  });

  it('scales channels: [N, C, H, W] * [C, 1, 1]', () => {
    const y = run1(mulKernel, [iota([1, 2, 2, 2]), f32([2, 1, 1], [1, -1])]);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    expect(values(y)).toEqual([0, 1, 2, 3, -4, -5, -6, -7]);
  });

  it('broadcasts both ways: [3, 1] / [1, 2]', () => {
    const y = run1(divKernel, [f64([3, 1], [2, 4, 6]), f64([1, 2], [1, 2])]);
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([3, 2]);
    expect(values(y)).toEqual([2, 1, 4, 2, 6, 3]);
  });

  it('follows IEEE for division by zero', () => {
    expect(values(run1(divKernel, [f32([3], [1, -1, 0]), f32([1], [0])]))).toEqual([Infinity, -Infinity, NaN]);
  });

  it('handles empty tensors', () => {
    const y = run1(addKernel, [f32([0, 3], []), f32([3], [1, 2, 3])]);
    expect(y.shape).toEqual([0, 3]);
    expect(y.size).toBe(0);
  });

  it('names both shapes when they do not broadcast', () => {
    expect(() => run1(addKernel, [f32([2, 3], [0, 0, 0, 0, 0, 0]), f32([2], [0, 0])])).toThrow(KernelError);
    expect(() => run1(addKernel, [f32([2, 3], [0, 0, 0, 0, 0, 0]), f32([2], [0, 0])])).toThrow(
      /Add node "n0": cannot broadcast shapes \[2, 3\] and \[2\]/,
    );
  });

  it('rejects mixed dtypes and strings', () => {
    expect(() => run1(addKernel, [f32([1], [1]), f64([1], [1])])).toThrow(/input 1 has dtype float64 but input 0 has float32/);
    expect(() => run1(addKernel, [tensor('string', [1], ['a']), tensor('string', [1], ['b'])])).toThrow(/input A has dtype string/);
  });
});

describe('integer arithmetic', () => {
  it('wraps int32 overflow like C, including Mul', () => {
    expect(values(run1(addKernel, [i32([1], [2147483647]), i32([1], [1])]))).toEqual([-2147483648]);
    expect(values(run1(mulKernel, [i32([1], [65537]), i32([1], [65537 * 2])]))).toEqual([Math.imul(65537, 131074)]);
  });

  it('truncates integer division toward zero and gives 0 for division by zero', () => {
    expect(values(run1(divKernel, [i32([4], [7, -7, 7, 1]), i32([4], [2, 2, -2, 0])]))).toEqual([3, -3, -3, 0]);
    expect(values(run1(divKernel, [i64([3], [7, -7, 5]), i64([3], [2, 2, 0])]))).toEqual([3, -3, 0]);
  });

  it('keeps int64 exact beyond 2^53', () => {
    const big = 2n ** 60n + 1n;
    const y = run1(addKernel, [i64([1], [big]), i64([1], [1n])]);
    expect((y.data as BigInt64Array)[0]).toBe(big + 1n);
  });

  it('works on small unsigned types with wrap-around', () => {
    const y = run1(subKernel, [tensor('uint8', [2], [1, 200]), tensor('uint8', [2], [2, 100])]);
    expect(y.dtype).toBe('uint8');
    expect(values(y)).toEqual([255, 100]);
  });
});

describe('Mod', () => {
  it('follows the sign of the divisor for integers by default', () => {
    const y = run1(modKernel, [i32([4], [-4, 7, -7, 5]), i32([4], [3, -3, -3, 0])]);
    expect(values(y)).toEqual([2, -2, -1, 0]);
    const z = run1(modKernel, [i64([2], [-4, 7]), i64([2], [3, -3])]);
    expect(values(z)).toEqual([2, -2]);
  });

  it('follows the sign of the dividend with fmod=1', () => {
    expect(values(run1(modKernel, [i32([2], [-4, 7]), i32([2], [3, -3])], { attributes: { fmod: 1 } }))).toEqual([-1, 1]);
    const y = run1(modKernel, [f32([2], [-4.5, 7.5]), f32([1], [2])], { attributes: { fmod: 1 } });
    expect(values(y)).toEqual([-0.5, 1.5]);
  });

  it('rejects a bad fmod attribute', () => {
    expect(() => run1(modKernel, [i32([1], [1]), i32([1], [1])], { attributes: { fmod: 2 } })).toThrow(/attribute "fmod" is 2/);
  });
});

describe('Pow', () => {
  it('raises floats to float powers', () => {
    expect(values(run1(powKernel, [f32([3], [2, 4, -8]), f32([1], [0.5])]))).toEqual([Math.fround(Math.SQRT2), 2, NaN]);
  });

  it('keeps the base dtype with an exponent of another dtype', () => {
    const a = run1(powKernel, [f32([2], [2, 3]), i64([2], [3, 2])]);
    expect(a.dtype).toBe('float32');
    expect(values(a)).toEqual([8, 9]);
    const b = run1(powKernel, [i64([2], [2, 3]), f32([2], [0.5, 2])]);
    expect(b.dtype).toBe('int64');
    expect(values(b)).toEqual([1, 9]);
    const c = run1(powKernel, [i32([2], [2, -3]), i32([2], [10, 3])]);
    expect(values(c)).toEqual([1024, -27]);
  });

  it('handles negative int64 exponents exactly', () => {
    expect(values(run1(powKernel, [i64([3], [2, 1, -1]), i64([3], [-1, -5, -3])]))).toEqual([0, 1, -1]);
  });

  it('requires matching dtypes before opset 12', () => {
    expect(() => run1(powKernel, [f32([1], [2]), i64([1], [2])], { opset: 7 })).toThrow(/before opset 12/);
  });
});

// Shapes that broadcast against each other: start from one shape and knock dimensions to 1 or drop
// leading ones on either side.
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.nat({ max: shape.length }),
      fc.nat({ max: shape.length }),
    ),
  )
  .map(([shape, onesA, onesB, dropA, dropB]) => ({
    a: shape.map((d, i) => (onesA[i] ? 1 : d)).slice(dropA),
    b: shape.map((d, i) => (onesB[i] ? 1 : d)).slice(dropB),
  }));

function randomTensor(dtype: 'float32' | 'int32', shape: number[], seed: number): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(dtype, shape, Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 201) - 100));
}

describe('broadcasting (property)', () => {
  it('Add on float32 equals an index-based reference on random shapes (fast path)', () => {
    fc.assert(
      fc.property(broadcastPair, fc.nat(1000), ({ a, b }, seed) => {
        const ta = randomTensor('float32', a, seed);
        const tb = randomTensor('float32', b, seed + 1);
        const y = run1(addKernel, [ta, tb]);
        const ref = naiveBinary(ta, tb, (x, z) => x + z);
        expect(y.shape).toEqual(ref.shape);
        expect(values(y)).toEqual(ref.values);
      }),
      { numRuns: 300 },
    );
  });

  it('Sub on int32 and Greater equal the reference (scalar-function path)', () => {
    fc.assert(
      fc.property(broadcastPair, fc.nat(1000), ({ a, b }, seed) => {
        const ta = randomTensor('int32', a, seed);
        const tb = randomTensor('int32', b, seed + 1);
        expect(values(run1(subKernel, [ta, tb]))).toEqual(naiveBinary(ta, tb, (x, z) => x - z).values);
        expect(values(run1(greaterKernel, [ta, tb]))).toEqual(naiveBinary(ta, tb, (x, z) => (x > z ? 1 : 0)).values);
      }),
      { numRuns: 200 },
    );
  });
});
