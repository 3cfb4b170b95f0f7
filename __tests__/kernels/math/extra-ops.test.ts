import {
  celuKernel, mishKernel, shrinkKernel, swishKernel, thresholdedReluKernel,
} from '../../../worker/runtime/kernels/math/activations';
import { bitCastKernel } from '../../../worker/runtime/kernels/math/bitcast';
import { bitShiftKernel, bitwiseAndKernel, bitwiseNotKernel, bitwiseOrKernel, bitwiseXorKernel } from '../../../worker/runtime/kernels/math/bitwise';
import { detKernel } from '../../../worker/runtime/kernels/math/det';
import { hardmaxKernel } from '../../../worker/runtime/kernels/math/hardmax';
import { isInfKernel, isNaNKernel } from '../../../worker/runtime/kernels/math/predicates';
import { blackmanWindowKernel, hammingWindowKernel, hannWindowKernel } from '../../../worker/runtime/kernels/math/windows';
import { f32, f64, i32, i64, parseKernelAttributes, run1, scalar, tensor, values } from '../kernel-harness';

const xs = [-3, -0.5, 0, 0.5, 3];

function expectClose(actual: (number | string)[], expected: number[], digits = 12): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v as number).toBeCloseTo(expected[i], digits));
}

describe('extra activations', () => {
  it('Celu = max(0, x) + min(0, alpha (exp(x / alpha) - 1)), and alpha 0 is refused', () => {
    const celu = (a: number) => xs.map((v) => Math.max(0, v) + Math.min(0, a * (Math.exp(v / a) - 1)));
    expectClose(values(run1(celuKernel, [f64([5], xs)])), celu(1));
    expectClose(values(run1(celuKernel, [f64([5], xs)], { attributes: { alpha: 2 } })), celu(2));
    expect(() => parseKernelAttributes(celuKernel, { alpha: 0 })).toThrow(/"alpha" is 0/);
  });

  it('ThresholdedRelu keeps values strictly above alpha', () => {
    expect(values(run1(thresholdedReluKernel, [f64([5], xs)]))).toEqual([0, 0, 0, 0, 3]);
    expect(values(run1(thresholdedReluKernel, [f64([5], xs)], { attributes: { alpha: 0.25 } }))).toEqual([0, 0, 0, 0.5, 3]);
  });

  it('Shrink: hard (bias 0) and soft, on floats and integers', () => {
    expect(values(run1(shrinkKernel, [f64([5], xs)], { attributes: { lambd: 1 } }))).toEqual([-3, 0, 0, 0, 3]);
    expect(values(run1(shrinkKernel, [f64([5], xs)], { attributes: { lambd: 0.25, bias: 0.25 } }))).toEqual([-2.75, -0.25, 0, 0.25, 2.75]);
    expect(values(run1(shrinkKernel, [i32([4], [-5, -1, 1, 5])], { attributes: { lambd: 1.5, bias: 1 } }))).toEqual([-4, 0, 0, 4]);
  });

  it('Mish and Swish match their definitions and stay finite for large |x|', () => {
    const sp = (v: number) => Math.log(1 + Math.exp(v));
    expectClose(values(run1(mishKernel, [f64([5], xs)])), xs.map((v) => v * Math.tanh(sp(v))));
    expect(values(run1(mishKernel, [f64([2], [-1000, 1000])]))).toEqual([-0, 1000]);
    expectClose(values(run1(swishKernel, [f64([5], xs)], { attributes: { alpha: 1.5 } })), xs.map((v) => v / (1 + Math.exp(-1.5 * v))));
    expect(values(run1(swishKernel, [f64([2], [-1000, 1000])]))).toEqual([-0, 1000]);
  });
});

describe('IsNaN and IsInf', () => {
  const x = f32([5], [NaN, Infinity, -Infinity, 0, 1]);
  it('output bool', () => {
    expect(run1(isNaNKernel, [x]).dtype).toBe('bool');
    expect(values(run1(isNaNKernel, [x]))).toEqual([1, 0, 0, 0, 0]);
    expect(values(run1(isInfKernel, [x]))).toEqual([0, 1, 1, 0, 0]);
    expect(values(run1(isInfKernel, [x], { attributes: { detect_negative: 0 } }))).toEqual([0, 1, 0, 0, 0]);
    expect(values(run1(isInfKernel, [x], { attributes: { detect_positive: 0 } }))).toEqual([0, 0, 1, 0, 0]);
    expect(() => run1(isNaNKernel, [i32([1], [1])])).toThrow(/input X has dtype int32/);
  });
});

describe('bit operations', () => {
  it('BitwiseAnd/Or/Xor broadcast on signed, unsigned and 64-bit integers', () => {
    expect(values(run1(bitwiseAndKernel, [i32([2, 2], [12, -1, 7, 5]), i32([2], [10, 6])]))).toEqual([8, 6, 2, 4]);
    expect(values(run1(bitwiseOrKernel, [tensor('uint8', [2], [0xf0, 1]), tensor('uint8', [1], [0x0f])]))).toEqual([0xff, 0x0f]);
    expect(values(run1(bitwiseXorKernel, [tensor('uint64', [1], [2n ** 64n - 1n]), tensor('uint64', [1], [1n])]))).toEqual([Number(2n ** 64n - 2n)]);
    expect(() => run1(bitwiseAndKernel, [f32([1], [1]), f32([1], [1])])).toThrow(/input A has dtype float32/);
  });

  it('BitwiseNot wraps into the element type', () => {
    expect(values(run1(bitwiseNotKernel, [tensor('uint8', [3], [0, 1, 255])]))).toEqual([255, 254, 0]);
    expect(values(run1(bitwiseNotKernel, [tensor('int16', [2], [0, -2])]))).toEqual([-1, 1]);
    expect(values(run1(bitwiseNotKernel, [tensor('uint32', [1], [0])]))).toEqual([2 ** 32 - 1]);
    expect((run1(bitwiseNotKernel, [i64([2], [0n, 5n])]).data as BigInt64Array)[1]).toBe(-6n);
    expect((run1(bitwiseNotKernel, [tensor('uint64', [1], [0n])]).data as BigUint64Array)[0]).toBe(2n ** 64n - 1n);
  });

  it('BitShift: LEFT drops bits beyond the type, shifts of the full width or more give 0', () => {
    const left = { attributes: { direction: 'LEFT' } };
    const right = { attributes: { direction: 'RIGHT' } };
    expect(values(run1(bitShiftKernel, [tensor('uint8', [4], [1, 255, 3, 3]), tensor('uint8', [4], [7, 1, 8, 9])], left))).toEqual([128, 254, 0, 0]);
    expect(values(run1(bitShiftKernel, [tensor('uint32', [2], [0x80000001, 16]), tensor('uint32', [2], [1, 2])], left))).toEqual([2, 64]);
    expect(values(run1(bitShiftKernel, [tensor('uint32', [2], [0x80000000, 16]), tensor('uint32', [1], [31])], right))).toEqual([1, 0]);
    expect((run1(bitShiftKernel, [tensor('uint64', [1], [2n ** 63n + 1n]), tensor('uint64', [1], [1n])], left).data as BigUint64Array)[0]).toBe(2n);
    expect(() => parseKernelAttributes(bitShiftKernel, {})).toThrow(/"direction" is required/);
    expect(() => parseKernelAttributes(bitShiftKernel, { direction: 'UP' })).toThrow(/supported: LEFT, RIGHT/);
    expect(() => run1(bitShiftKernel, [i32([1], [1]), i32([1], [1])], left)).toThrow(/dtype int32/);
  });

  it('BitCast reads the same bytes as another type of the same width', () => {
    expect(values(run1(bitCastKernel, [f32([2], [1, -2])], { attributes: { to: 6 } }))).toEqual([0x3f800000, -0x40000000]);
    expect(values(run1(bitCastKernel, [tensor('int8', [2], [-1, 5])], { attributes: { to: 2 } }))).toEqual([255, 5]);
    expect(() => run1(bitCastKernel, [f32([1], [1])], { attributes: { to: 7 } })).toThrow(/4-byte elements but int64 has 8/);
    expect(() => parseKernelAttributes(bitCastKernel, { to: 10 })).toThrow(/type code 10/);
  });
});

describe('Hardmax', () => {
  const x = f32([2, 3], [1, 3, 3, -1, -2, -5]);
  it('marks the first maximum along the axis (opset 13: one axis)', () => {
    expect(values(run1(hardmaxKernel, [x]))).toEqual([0, 1, 0, 1, 0, 0]);
    expect(values(run1(hardmaxKernel, [x], { attributes: { axis: 0 } }))).toEqual([1, 1, 1, 0, 0, 0]);
  });
  it('before opset 13, one 1 per row of the input flattened to 2-D at axis', () => {
    expect(values(run1(hardmaxKernel, [x], { opset: 11, attributes: { axis: 0 } }))).toEqual([0, 1, 0, 0, 0, 0]);
  });
});

describe('Det', () => {
  it('batches of square matrices, with pivoting and singular matrices', () => {
    const x = f64([3, 2, 2], [1, 2, 3, 4, 0, 1, 1, 0, 2, 4, 1, 2]);
    expectClose(values(run1(detKernel, [x])), [-2, -1, 0]);
    const m3 = f64([3, 3], [2, -3, 1, 2, 0, -1, 1, 4, 5]);
    expectClose(values(run1(detKernel, [m3])), [49]);
    expect(run1(detKernel, [m3]).shape).toEqual([]);
    expect(() => run1(detKernel, [f64([2, 3], [1, 2, 3, 4, 5, 6])])).toThrow(/square matrices/);
  });
});

describe('window functions', () => {
  const cosWindow = (n: number, denom: number, a0: number, a1: number, a2: number) =>
    Array.from({ length: n }, (_, i) => a0 - a1 * Math.cos((2 * Math.PI * i) / denom) + a2 * Math.cos((4 * Math.PI * i) / denom));
  it('periodic and symmetric Hann, Hamming and Blackman windows', () => {
    expectClose(values(run1(hannWindowKernel, [scalar('int32', 8)])), cosWindow(8, 8, 0.5, 0.5, 0), 6);
    expectClose(values(run1(hannWindowKernel, [scalar('int64', 8)], { attributes: { periodic: 0, output_datatype: 11 } })), cosWindow(8, 7, 0.5, 0.5, 0));
    expectClose(values(run1(hammingWindowKernel, [scalar('int32', 5)], { attributes: { output_datatype: 11 } })), cosWindow(5, 5, 25 / 46, 21 / 46, 0));
    expectClose(values(run1(blackmanWindowKernel, [scalar('int32', 6)], { attributes: { output_datatype: 11, periodic: 0 } })), cosWindow(6, 5, 0.42, 0.5, 0.08));
    expect(run1(hannWindowKernel, [scalar('int32', 0)]).shape).toEqual([0]);
    expect(() => run1(hannWindowKernel, [f32([], [4])])).toThrow(/int32 or int64 scalar/);
  });
});
