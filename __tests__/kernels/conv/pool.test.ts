import { ModelError } from '../../../worker/runtime/errors';
import {
  averagePoolKernel,
  globalAveragePoolKernel,
  globalMaxPoolKernel,
  maxPoolKernel,
} from '../../../worker/runtime/kernels/conv/pool';
import { Tensor } from '../../../worker/runtime/tensor';
import { runKernel } from '../linalg/helpers';

// 4x4 image 1..16
const img = Tensor.from('float32', [1, 1, 4, 4], Array.from({ length: 16 }, (_, i) => i + 1));
const values = (t: Tensor) => Array.from(t.data as ArrayLike<number | bigint>);

describe('MaxPool', () => {
  it('2x2 stride 2 with row-major and column-major indices', () => {
    const [y, idx] = runKernel(maxPoolKernel, [img], { kernel_shape: [2, 2], strides: [2, 2] }, 12, 2);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(values(y)).toEqual([6, 8, 14, 16]);
    expect(values(idx)).toEqual([5n, 7n, 13n, 15n]);
    const [, colMajor] = runKernel(maxPoolKernel, [img], { kernel_shape: [2, 2], strides: [2, 2], storage_order: 1 }, 12, 2);
    // (h, w) = (1, 1) -> 1 + 1*4 = 5; (1, 3) -> 1 + 3*4 = 13; (3, 1) -> 7; (3, 3) -> 15
    expect(values(colMajor)).toEqual([5n, 13n, 7n, 15n]);
  });

  it('indices count from the start of the batch, across channels', () => {
    const x = Tensor.from('float32', [2, 1, 1, 2], [1, 2, 4, 3]);
    const [, idx] = runKernel(maxPoolKernel, [x], { kernel_shape: [1, 2] }, 12, 2);
    expect(values(idx)).toEqual([1n, 2n]);
  });

  it('ceil_mode keeps a partial last window but none starting in the padding', () => {
    const [y] = runKernel(maxPoolKernel, [img], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(values(y)).toEqual([11, 12, 15, 16]);
    const x = Tensor.from('float32', [1, 1, 5], [1, 2, 3, 4, 5]);
    const [z] = runKernel(maxPoolKernel, [x], { kernel_shape: [2], strides: [2], pads: [1, 1], ceil_mode: 1 });
    // windows start at -1, 1, 3; one at 5 would start in the end padding
    expect(values(z)).toEqual([1, 3, 5]);
  });

  it('dilations and padding (padding never wins)', () => {
    const neg = Tensor.from('float32', [1, 1, 4, 4], Array.from({ length: 16 }, (_, i) => -(i + 1)));
    const [y] = runKernel(maxPoolKernel, [neg], { kernel_shape: [2, 2], dilations: [2, 2], pads: [1, 1, 1, 1] });
    expect(y.shape).toEqual([1, 1, 4, 4]);
    expect(values(y)[0]).toBe(-6); // window rows {-1, 1}, cols {-1, 1}: only (1, 1) is inside
  });

  it('uint8 input', () => {
    const x = Tensor.from('uint8', [1, 1, 1, 4], [3, 200, 7, 9]);
    const [y] = runKernel(maxPoolKernel, [x], { kernel_shape: [1, 2], strides: [1, 2] });
    expect(y.dtype).toBe('uint8');
    expect(values(y)).toEqual([200, 9]);
  });

  it('requires kernel_shape and valid storage_order', () => {
    expect(() => runKernel(maxPoolKernel, [img], {})).toThrow(/"kernel_shape" is required/);
    expect(() => runKernel(maxPoolKernel, [img], { kernel_shape: [2, 2], storage_order: 2 })).toThrow(ModelError);
    expect(() => runKernel(maxPoolKernel, [img], { kernel_shape: [2] })).toThrow(/kernel_shape has 1 value\(s\) but the input has 2 spatial axes/);
  });
});

describe('AveragePool', () => {
  it('excludes padding from the divisor by default and includes it with count_include_pad', () => {
    const attrs = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };
    const [y] = runKernel(averagePoolKernel, [img], attrs);
    expect(values(y)[0]).toBeCloseTo((1 + 2 + 5 + 6) / 4);
    const [z] = runKernel(averagePoolKernel, [img], { ...attrs, count_include_pad: 1 });
    expect(values(z)[0]).toBeCloseTo((1 + 2 + 5 + 6) / 9);
  });

  it('count_include_pad does not count a ceil_mode overhang beyond the end padding', () => {
    const x = Tensor.from('float32', [1, 1, 6], [1, 2, 3, 4, 5, 6]);
    const [y] = runKernel(averagePoolKernel, [x], { kernel_shape: [3], strides: [2], ceil_mode: 1, count_include_pad: 1 });
    // windows [0,3) [2,5) [4,7): the last is clipped to [4,6): (5 + 6) / 2
    expect(values(y)).toEqual([2, 4, 5.5]);
  });

  it('SAME_UPPER and SAME_LOWER pad the extra unit at opposite ends', () => {
    const x = Tensor.from('float32', [1, 1, 4], [1, 2, 3, 4]);
    const [u] = runKernel(averagePoolKernel, [x], { kernel_shape: [2], auto_pad: 'SAME_UPPER' });
    const [l] = runKernel(averagePoolKernel, [x], { kernel_shape: [2], auto_pad: 'SAME_LOWER' });
    expect(values(u)).toEqual([1.5, 2.5, 3.5, 4]);
    expect(values(l)).toEqual([1, 1.5, 2.5, 3.5]);
  });

  it('3-D with dilations', () => {
    const x = Tensor.from('float32', [1, 1, 3, 3, 3], Array.from({ length: 27 }, (_, i) => i));
    const [y] = runKernel(averagePoolKernel, [x], { kernel_shape: [2, 2, 2], dilations: [2, 2, 2] });
    expect(y.shape).toEqual([1, 1, 1, 1, 1]);
    expect(values(y)).toEqual([(0 + 2 + 6 + 8 + 18 + 20 + 24 + 26) / 8]);
  });
});

describe('global pools', () => {
  it('reduce every spatial axis to 1', () => {
    const x = Tensor.from('float32', [1, 2, 2, 2], [1, 2, 3, 4, -1, -2, -3, -4]);
    const [a] = runKernel(globalAveragePoolKernel, [x]);
    const [m] = runKernel(globalMaxPoolKernel, [x]);
    expect(a.shape).toEqual([1, 2, 1, 1]);
    expect(values(a)).toEqual([2.5, -2.5]);
    expect(values(m)).toEqual([4, -1]);
  });
});
