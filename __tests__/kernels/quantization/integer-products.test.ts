import { convIntegerKernel } from '../../../worker/runtime/kernels/quantization/conv-integer';
import { matMulIntegerKernel } from '../../../worker/runtime/kernels/quantization/matmul-integer';
import { qLinearConvKernel } from '../../../worker/runtime/kernels/quantization/qlinear-conv';
import { qLinearMatMulKernel } from '../../../worker/runtime/kernels/quantization/qlinear-matmul';
import { KernelError } from '../../../worker/runtime/errors';
import { f32, run1, tensor, values } from '../kernel-harness';

/** Naive (A - za[row]) x (B - zb[col]) for row-major m x k and k x n. */
function naiveMatMul(a: number[], b: number[], m: number, k: number, n: number, za: (i: number) => number, zb: (j: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += (a[i * k + t] - za(i)) * (b[t * n + j] - zb(j));
      out.push(s);
    }
  }
  return out;
}

describe('MatMulInteger', () => {
  const a = [11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0];
  const b = [1, 4, 2, 5, 3, 6];

  it('per-tensor and per-row / per-column zero points', () => {
    const y = run1(matMulIntegerKernel, [tensor('uint8', [4, 3], a), tensor('uint8', [3, 2], b), tensor('uint8', [], [12]), tensor('uint8', [], [0])]);
    expect(y.dtype).toBe('int32');
    expect(values(y)).toEqual(naiveMatMul(a, b, 4, 3, 2, () => 12, () => 0));
    const za = [1, 2, 3, 4];
    const zb = [1, 2];
    const y2 = run1(matMulIntegerKernel, [tensor('uint8', [4, 3], a), tensor('uint8', [3, 2], b), tensor('uint8', [4], za), tensor('uint8', [2], zb)]);
    expect(values(y2)).toEqual(naiveMatMul(a, b, 4, 3, 2, (i) => za[i], (j) => zb[j]));
  });

  it('int8 operands with a broadcast batch', () => {
    const ai = a.map((v) => v - 6);
    const y = run1(matMulIntegerKernel, [tensor('int8', [2, 2, 3], ai), tensor('int8', [3, 2], b.map((v) => -v))]);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(values(y)).toEqual(naiveMatMul(ai, b.map((v) => -v), 4, 3, 2, () => 0, () => 0));
  });

  it('rejects mismatched inner dimensions and zero points of the wrong length', () => {
    expect(() => run1(matMulIntegerKernel, [tensor('uint8', [4, 3], a), tensor('uint8', [2, 3], b)])).toThrow(KernelError);
    expect(() => run1(matMulIntegerKernel, [tensor('uint8', [4, 3], a), tensor('uint8', [3, 2], b), tensor('uint8', [3], [1, 2, 3])])).toThrow(/one value per row \(4\)/);
  });
});

describe('QLinearMatMul', () => {
  it('requantizes the integer product with a_scale * b_scale / y_scale', () => {
    const a = [208, 236, 0, 238, 3, 214, 255, 29];
    const b = [152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247];
    const acc = naiveMatMul(a, b, 2, 4, 3, () => 113, () => 114);
    const mult = Math.fround(Math.fround(Math.fround(0.0066) * Math.fround(0.00705)) / Math.fround(0.0107));
    const expected = acc.map((v) => Math.min(255, Math.max(0, Math.round(Math.fround(v * mult)) + 118)));
    const y = run1(qLinearMatMulKernel, [
      tensor('uint8', [2, 4], a), f32([], [0.0066]), tensor('uint8', [], [113]),
      tensor('uint8', [4, 3], b), f32([], [0.00705]), tensor('uint8', [], [114]),
      f32([], [0.0107]), tensor('uint8', [], [118]),
    ]);
    expect(y.dtype).toBe('uint8');
    expect(values(y)).toEqual(expected);
  });

  it('rejects a y_scale that is not a scalar', () => {
    const q = (shape: number[], v: number[]) => tensor('int8', shape, v);
    expect(() => run1(qLinearMatMulKernel, [q([1, 1], [1]), f32([], [1]), q([], [0]), q([1, 1], [1]), f32([], [1]), q([], [0]), f32([2], [1, 1]), q([], [0])])).toThrow(/y_scale must be a scalar/);
  });
});

describe('ConvInteger and QLinearConv', () => {
  // x: 1x1x3x3, w: 1x1x2x2
  const x = [2, 3, 4, 5, 6, 7, 8, 9, 10];
  const w = [1, 1, 1, 1];

  it('ConvInteger subtracts the zero points and pads with the zero point', () => {
    const y = run1(convIntegerKernel, [tensor('uint8', [1, 1, 3, 3], x), tensor('uint8', [1, 1, 2, 2], w), tensor('uint8', [], [1])]);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(values(y)).toEqual([12, 16, 24, 28]);
    const padded = run1(convIntegerKernel, [tensor('uint8', [1, 1, 3, 3], x), tensor('uint8', [1, 1, 2, 2], w), tensor('uint8', [], [1])], { attributes: { pads: [1, 1, 0, 0] } });
    expect(values(padded)).toEqual([1, 3, 5, 5, 12, 16, 11, 24, 28]);
  });

  it('QLinearConv adds the int32 bias and requantizes per output channel', () => {
    const y = run1(qLinearConvKernel, [
      tensor('uint8', [1, 1, 3, 3], x), f32([], [1]), tensor('uint8', [], [1]),
      tensor('int8', [2, 1, 2, 2], [1, 1, 1, 1, 2, 2, 2, 2]), f32([2], [0.5, 1]), tensor('int8', [2], [0, 1]),
      f32([], [2]), tensor('uint8', [], [10]), tensor('int32', [2], [4, 0]),
    ]);
    // channel 0: (acc + 4) * 0.25 + 10; channel 1: acc(w-1 = 1) * 0.5 + 10
    expect(values(y)).toEqual([14, 15, 17, 18, 16, 18, 22, 24]);
  });

  it('rejects weights whose channels do not match the input', () => {
    expect(() => run1(convIntegerKernel, [tensor('uint8', [1, 2, 3, 3], new Array(18).fill(0)), tensor('uint8', [1, 1, 2, 2], w)])).toThrow(/w has 1 input channels per group/);
  });
});
