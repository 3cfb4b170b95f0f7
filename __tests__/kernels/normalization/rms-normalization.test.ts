import { rmsNormalizationKernel } from '../../../worker/runtime/kernels/normalization/rms-normalization';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { sizeOf, type Tensor } from '../../../worker/runtime/tensor';
import { expectClose, f32, parseAttributes, randomFloats, runKernel } from './harness';

function reference(x: Tensor, axis: number, scale: ArrayLike<number>, eps: number): number[] {
  const inner = sizeOf(x.shape.slice(axis));
  const y: number[] = [];
  for (let r = 0; r < x.size / inner; r++) {
    const vals = Array.from({ length: inner }, (_, i) => Number(x.data[r * inner + i]));
    const rms = Math.sqrt(vals.reduce((s, v) => s + v * v, 0) / inner + eps);
    vals.forEach((v, i) => y.push((v / rms) * scale[i]));
  }
  return y;
}

describe('RMSNormalization', () => {
  const shape = [2, 3, 5];
  const x = f32(shape, randomFloats(30, 31, -3, 3));

  it.each([
    [-1, [5]],
    [1, [3, 5]],
    [0, [2, 3, 5]],
  ])('normalizes over axis %d', (axis, normShape) => {
    const scale = f32(normShape, randomFloats(sizeOf(normShape), 32, 0.5, 1.5));
    const [y] = runKernel(rmsNormalizationKernel, [x, scale], { attributes: { axis, epsilon: 0.01 }, opset: 23 });
    expectClose(y, { shape, data: reference(x, axis < 0 ? axis + 3 : axis, scale.data, 0.01) });
  });

  it('broadcasts a scale of shape [1, 5] over the rows of axis 1', () => {
    const scale = f32([1, 5], [1, 2, 3, 4, 5]);
    const expandedScale = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5];
    const [y] = runKernel(rmsNormalizationKernel, [x, scale], { attributes: { axis: 1 }, opset: 23 });
    expectClose(y, { shape, data: reference(x, 1, expandedScale, 1e-5) });
  });

  it('rejects a bad axis, a scale that does not broadcast and an unknown stash_type', () => {
    expect(() => runKernel(rmsNormalizationKernel, [x, f32([5], [1, 1, 1, 1, 1])], { attributes: { axis: -4 } })).toThrow(KernelError);
    expect(() => runKernel(rmsNormalizationKernel, [x, f32([4], [1, 1, 1, 1])])).toThrow(/input scale of shape \[4\] does not broadcast to the normalized shape \[5\]/);
    expect(() => parseAttributes(rmsNormalizationKernel, { attributes: { stash_type: 3 } })).toThrow(ModelError);
  });
});
