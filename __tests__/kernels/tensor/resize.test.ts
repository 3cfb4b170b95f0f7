import { ModelError } from '../../../worker/runtime/errors';
import { resizeKernel } from '../../../worker/runtime/kernels/tensor/resize';
import type { Tensor } from '../../../worker/runtime/tensor';
import { i64, iota, parseAttributes, runKernel, t, vals } from './harness';

const img = t('float32', [1, 1, 2, 2], [1, 2, 3, 4]);
const none = undefined;
const scales = (...s: number[]): Tensor => t('float32', [s.length], s);

function close(actual: Tensor, expected: number[]): void {
  expect(actual.data.length).toBe(expected.length);
  (vals(actual) as number[]).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
}

describe('Resize', () => {
  it('nearest upsampling by scales (half_pixel, round_prefer_floor)', () => {
    const [y] = runKernel(resizeKernel, [img, none, scales(1, 1, 2, 3)], { opset: 19 });
    expect(y.shape).toEqual([1, 1, 4, 6]);
    expect(vals(y)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
  });

  it('nearest works for every dtype (int64, strings)', () => {
    const [a] = runKernel(resizeKernel, [t('int64', [2], [7n, 9n]), none, scales(2)], { opset: 19 });
    expect(a.data).toEqual(new BigInt64Array([7n, 7n, 9n, 9n]));
    const [b] = runKernel(resizeKernel, [t('string', [2], ['a', 'b']), none, none, i64([3])], { opset: 19, attributes: { coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' } });
    expect(vals(b)).toEqual(['a', 'a', 'b']);
  });

  it('bilinear upsampling (half_pixel and align_corners)', () => {
    const [y] = runKernel(resizeKernel, [img, none, scales(1, 1, 2, 2)], { opset: 19, attributes: { mode: 'linear' } });
    close(y, [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
    const [z] = runKernel(resizeKernel, [t('float32', [2], [1, 2]), none, scales(2)], {
      opset: 19,
      attributes: { mode: 'linear', coordinate_transformation_mode: 'align_corners' },
    });
    close(z, [1, 4 / 3, 5 / 3, 2]);
  });

  it('keeps the aspect ratio for sizes on selected axes', () => {
    const [y] = runKernel(resizeKernel, [img, none, none, i64([7, 8])], { opset: 19, attributes: { axes: [2, 3], keep_aspect_ratio_policy: 'not_larger' } });
    expect(y.shape).toEqual([1, 1, 7, 7]);
    const [z] = runKernel(resizeKernel, [img, none, none, i64([7, 8])], { opset: 19, attributes: { axes: [2, 3], keep_aspect_ratio_policy: 'not_smaller' } });
    expect(z.shape).toEqual([1, 1, 8, 8]);
  });

  it('crops and resizes with extrapolation outside the region', () => {
    const [y] = runKernel(resizeKernel, [iota([4]), t('float32', [2], [0.4, 1.2]), none, i64([3])], {
      opset: 19,
      attributes: { mode: 'linear', coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: 10 },
    });
    close(y, [1.2, 2.4, 10]);
  });

  it('nearest crop-and-resize fills whole extrapolated rows and columns', () => {
    const [y] = runKernel(resizeKernel, [iota([2, 2]), t('float32', [4], [0, 0, 2, 2]), none, i64([3, 3])], {
      opset: 19,
      attributes: { coordinate_transformation_mode: 'tf_crop_and_resize', extrapolation_value: 9 },
    });
    expect(vals(y)).toEqual([0, 1, 9, 2, 3, 9, 9, 9, 9]);
  });

  it('cubic keeps a constant image constant, also with exclude_outside', () => {
    const flat = t('float32', [3, 3], new Array(9).fill(5));
    for (const exclude_outside of [0, 1]) {
      const [y] = runKernel(resizeKernel, [flat, none, scales(1.7, 0.6)], { opset: 19, attributes: { mode: 'cubic', exclude_outside } });
      expect(y.shape).toEqual([5, 1]);
      close(y, [5, 5, 5, 5, 5]);
    }
  });

  it('antialiased linear downsampling widens the filter', () => {
    const [y] = runKernel(resizeKernel, [iota([4]), none, scales(0.5)], { opset: 19, attributes: { mode: 'linear', antialias: 1 } });
    close(y, [0.625, 2.375]);
    const [plain] = runKernel(resizeKernel, [iota([4]), none, scales(0.5)], { opset: 19, attributes: { mode: 'linear' } });
    close(plain, [0.5, 2.5]);
  });

  it('Resize-10 uses asymmetric coordinates and takes scales as input 1', () => {
    const [y] = runKernel(resizeKernel, [t('float32', [2], [1, 2]), scales(2)], { opset: 10, attributes: { mode: 'linear' } });
    close(y, [1, 1.5, 2, 2]);
  });

  it('rounds and clamps integer results of linear interpolation', () => {
    const [y] = runKernel(resizeKernel, [t('uint8', [2], [0, 255]), none, scales(2)], { opset: 19, attributes: { mode: 'linear', coordinate_transformation_mode: 'align_corners' } });
    expect(vals(y)).toEqual([0, 85, 170, 255]);
  });

  it('explains bad attributes and inputs', () => {
    expect(() => parseAttributes(resizeKernel, { mode: 'nearest', antialias: 1 }, 19)).toThrow(ModelError);
    expect(() => parseAttributes(resizeKernel, { mode: 'nearest', antialias: 1 }, 19)).toThrow(/antialias applies to mode "linear" or "cubic"/);
    expect(() => parseAttributes(resizeKernel, { mode: 'area' }, 19)).toThrow(/"mode" is "area"; supported: nearest, linear, cubic/);
    expect(() => parseAttributes(resizeKernel, { coordinate_transformation_mode: 'half_pixel_symmetric' }, 18)).toThrow(/supported/);
    expect(() => runKernel(resizeKernel, [img, none, scales(1, 1, 2, 2), i64([1, 1, 4, 4])], { opset: 19 })).toThrow(/either scales or sizes, not both/);
    expect(() => runKernel(resizeKernel, [img, none, scales(2, 2)], { opset: 19 })).toThrow(/scales has 2 values; expected 4/);
    expect(() => runKernel(resizeKernel, [img], { opset: 19 })).toThrow(/one of scales or sizes is required/);
    expect(() => runKernel(resizeKernel, [img, none, scales(1, 1, 0, 1)], { opset: 19 })).toThrow(/scales must be positive/);
    expect(() => runKernel(resizeKernel, [t('bool', [2], [1, 0]), none, scales(2)], { opset: 19, attributes: { mode: 'linear' } })).toThrow(/needs numbers/);
  });
});
