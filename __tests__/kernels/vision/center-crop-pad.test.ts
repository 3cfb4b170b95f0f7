import { centerCropPadKernel } from '../../../worker/runtime/kernels/vision/center-crop-pad';
import { KernelError } from '../../../worker/runtime/errors';
import { run1, tensor } from '../kernel-harness';

const shape = (...d: number[]) => tensor('int64', [d.length], d);

describe('CenterCropPad', () => {
  it('crops the centre, dropping floor((in - out) / 2) in front', () => {
    const x = tensor('float32', [5], [0, 1, 2, 3, 4]);
    expect(Array.from(run1(centerCropPadKernel, [x, shape(2)]).data as Float32Array)).toEqual([1, 2]);
  });

  it('pads with zeros, floor((out - in) / 2) in front, over reused buffers', () => {
    const x = tensor('float32', [2, 1], [7, 8]);
    const y = run1(centerCropPadKernel, [x, shape(3, 4)]);
    expect(y.shape).toEqual([3, 4]);
    expect(Array.from(y.data as Float32Array)).toEqual([0, 7, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0]);
  });

  it('crops and pads chosen (negative) axes of strings', () => {
    const x = tensor('string', [1, 3], ['a', 'b', 'c']);
    const y = run1(centerCropPadKernel, [x, shape(2, 1)], { attributes: { axes: [0, -1] } });
    expect(y.shape).toEqual([2, 1]);
    expect(y.data).toEqual(['b', '']);
  });

  it('rejects a shape whose length does not match the axes', () => {
    const x = tensor('float32', [2, 2], [1, 2, 3, 4]);
    expect(() => run1(centerCropPadKernel, [x, shape(1)])).toThrow(KernelError);
    expect(() => run1(centerCropPadKernel, [x, shape(1, 1)], { attributes: { axes: [0, 2] } })).toThrow(/axis 2 is out of range/);
  });
});
