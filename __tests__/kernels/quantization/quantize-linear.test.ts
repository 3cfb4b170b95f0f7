import { dequantizeLinearKernel } from '../../../worker/runtime/kernels/quantization/dequantize-linear';
import { dynamicQuantizeLinearKernel } from '../../../worker/runtime/kernels/quantization/dynamic-quantize-linear';
import { quantizeLinearKernel } from '../../../worker/runtime/kernels/quantization/quantize-linear';
import { roundHalfEven } from '../../../worker/runtime/kernels/quantization/quant-types';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { f32, parseKernelAttributes, run1, runKernel, tensor, values } from '../kernel-harness';

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour and everything else to nearest', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3, -3]);
  });
});

describe('QuantizeLinear', () => {
  it('per tensor to uint8: rounds half to even, adds the zero point, saturates', () => {
    const x = f32([7], [0, 1, 3, -3, 5, 1000, -1000]);
    const y = run1(quantizeLinearKernel, [x, f32([], [2]), tensor('uint8', [], [128])]);
    expect(y.dtype).toBe('uint8');
    // 0.5 -> 0, 1.5 -> 2, -1.5 -> -2, 2.5 -> 2
    expect(values(y)).toEqual([128, 128, 130, 126, 130, 255, 0]);
  });

  it('without a zero point produces uint8, or output_dtype', () => {
    expect(run1(quantizeLinearKernel, [f32([2], [-4, 4]), f32([], [1])]).dtype).toBe('uint8');
    const y = run1(quantizeLinearKernel, [f32([2], [-4, 4]), f32([], [1])], { attributes: { output_dtype: 3 } });
    expect(y.dtype).toBe('int8');
    expect(values(y)).toEqual([-4, 4]);
  });

  it('per axis and blocked scales', () => {
    const x = f32([2, 4], [1, 2, 3, 4, 10, 20, 30, 40]);
    const perAxis = run1(quantizeLinearKernel, [x, f32([2], [1, 10]), tensor('int8', [2], [0, 1])], { attributes: { axis: 0 } });
    expect(values(perAxis)).toEqual([1, 2, 3, 4, 2, 3, 4, 5]);
    const blocked = run1(quantizeLinearKernel, [x, f32([2, 2], [1, 2, 10, 20]), tensor('int16', [2, 2], [0, 0, 0, 100])], { attributes: { axis: 1, block_size: 2 } });
    expect(blocked.dtype).toBe('int16');
    expect(values(blocked)).toEqual([1, 2, 2, 2, 1, 2, 102, 102]);
  });

  it('rejects scales that fit no layout, mismatched zero points and unsupported output types', () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(() => run1(quantizeLinearKernel, [x, f32([2], [1, 1])])).toThrow(KernelError);
    expect(() => run1(quantizeLinearKernel, [x, f32([2], [1, 1])])).toThrow(/neither per-tensor .* nor per-axis \(\[3\] for axis 1/);
    expect(() => run1(quantizeLinearKernel, [x, f32([2, 1], [1, 1])], { attributes: { block_size: 2 } })).toThrow(/expected \[2, 2\]/);
    expect(() => run1(quantizeLinearKernel, [x, f32([3], [1, 1, 1]), tensor('uint8', [2], [0, 0])])).toThrow(/y_zero_point of shape \[2\] must have the shape of y_scale \[3\]/);
    expect(() => parseKernelAttributes(quantizeLinearKernel, { output_dtype: 17 })).toThrow(ModelError);
    expect(() => run1(quantizeLinearKernel, [x, f32([], [1]), tensor('int8', [], [0])], { attributes: { output_dtype: 2 } })).toThrow(/must agree/);
  });
});

describe('DequantizeLinear', () => {
  it('per tensor, per axis and blocked; int32 input without zero point', () => {
    const x = tensor('uint8', [2, 2], [0, 128, 255, 10]);
    expect(values(run1(dequantizeLinearKernel, [x, f32([], [0.5]), tensor('uint8', [], [128])]))).toEqual([-64, 0, 63.5, -59]);
    expect(values(run1(dequantizeLinearKernel, [x, f32([2], [1, 2])], { attributes: { axis: 0 } }))).toEqual([0, 128, 510, 20]);
    expect(values(run1(dequantizeLinearKernel, [x, f32([1, 2], [1, 2])], { attributes: { axis: 0, block_size: 2 } }))).toEqual([0, 256, 255, 20]);
    const y = run1(dequantizeLinearKernel, [tensor('int32', [2], [-70000, 5]), f32([], [0.5])]);
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([-35000, 2.5]);
  });

  it('rejects a zero point of another type and a float x', () => {
    expect(() => run1(dequantizeLinearKernel, [tensor('int8', [1], [1]), f32([], [1]), tensor('uint8', [], [0])])).toThrow(/x_zero_point must be int8/);
    expect(() => run1(dequantizeLinearKernel, [f32([1], [1]), f32([], [1])])).toThrow(/input x must be uint8 or int8/);
  });
});

describe('DynamicQuantizeLinear', () => {
  it('widens the range to include 0 and returns scale and zero point', () => {
    const [y, scale, zero] = runKernel(dynamicQuantizeLinearKernel, [f32([4], [1, 2, 3, 5.1])], { outputs: 3 });
    expect(values(scale)[0]).toBeCloseTo(5.1 / 255, 7);
    expect(values(zero)).toEqual([0]);
    expect(values(y)).toEqual([50, 100, 150, 255]);
    const [y2, , zero2] = runKernel(dynamicQuantizeLinearKernel, [f32([3], [-1, 0, 1])], { outputs: 3 });
    // float32 scale 2/255 puts -min/scale just below 127.5
    expect(values(zero2)).toEqual([127]);
    expect(values(y2)).toEqual([0, 127, 254]);
  });

  it('uses scale 1 for an all-zero input and rejects NaN', () => {
    const [, scale, zero] = runKernel(dynamicQuantizeLinearKernel, [f32([2], [0, 0])], { outputs: 3 });
    expect(values(scale)).toEqual([1]);
    expect(values(zero)).toEqual([0]);
    expect(() => runKernel(dynamicQuantizeLinearKernel, [f32([2], [1, NaN])], { outputs: 3 })).toThrow(/NaN/);
  });
});
