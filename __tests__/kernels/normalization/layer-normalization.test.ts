import { layerNormalizationKernel } from '../../../worker/runtime/kernels/normalization/layer-normalization';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { Tensor, sizeOf } from '../../../worker/runtime/tensor';
import { expectClose, f32, parseAttributes, randomFloats, runKernel } from './harness';

/** Rows are X.shape[axis:]; Scale/B given already expanded to one row. */
function reference(x: Tensor, axis: number, scale: ArrayLike<number>, bias: ArrayLike<number> | null, eps: number) {
  const inner = sizeOf(x.shape.slice(axis));
  const rows = x.size / inner;
  const y: number[] = [];
  const means: number[] = [];
  const invs: number[] = [];
  for (let r = 0; r < rows; r++) {
    const vals = Array.from({ length: inner }, (_, i) => Number(x.data[r * inner + i]));
    const mu = vals.reduce((a, b) => a + b, 0) / inner;
    const inv = 1 / Math.sqrt(vals.reduce((a, b) => a + (b - mu) ** 2, 0) / inner + eps);
    vals.forEach((v, i) => y.push((v - mu) * inv * scale[i] + (bias ? bias[i] : 0)));
    means.push(mu);
    invs.push(inv);
  }
  return { y, means, invs };
}

describe('LayerNormalization', () => {
  const shape = [2, 3, 4];
  const x = f32(shape, randomFloats(24, 5, -3, 3));

  it.each([
    [-1, [4]],
    [1, [3, 4]],
    [0, [2, 3, 4]],
    [-2, [3, 4]],
  ])('normalizes over axis %d and returns Mean and InvStdDev', (axis, normShape) => {
    const n = sizeOf(normShape);
    const scale = f32(normShape, randomFloats(n, 8, 0.5, 1.5));
    const bias = f32(normShape, randomFloats(n, 9));
    const [y, mean, inv] = runKernel(layerNormalizationKernel, [x, scale, bias], { attributes: { axis, epsilon: 0.1 } });
    const ref = reference(x, axis < 0 ? axis + 3 : axis, scale.data, bias.data, 0.1);
    const a = axis < 0 ? axis + 3 : axis;
    const statShape = shape.map((d, i) => (i < a ? d : 1));
    expectClose(y, { shape, data: ref.y });
    expectClose(mean, { shape: statShape, data: ref.means });
    expectClose(inv, { shape: statShape, data: ref.invs });
    expect(mean.dtype).toBe('float32');
  });

  it.each([1, 5, 7])('handles rows of odd width %d on the float32 path, with and without B', (width) => {
    const x5 = f32([3, width], randomFloats(3 * width, 11, -4, 6));
    const scale = f32([width], randomFloats(width, 12, 0.5, 1.5));
    const bias = f32([width], randomFloats(width, 13));
    const [y] = runKernel(layerNormalizationKernel, [x5, scale, bias], { outputs: ['y'] });
    expectClose(y, { shape: [3, width], data: reference(x5, 1, scale.data, bias.data, 1e-5).y });
    const [z] = runKernel(layerNormalizationKernel, [x5, scale], { outputs: ['y'] });
    expectClose(z, { shape: [3, width], data: reference(x5, 1, scale.data, null, 1e-5).y });
  });

  it('works without B, with Y only, and broadcasts a size-1 scale', () => {
    const scale = f32([1], [2]);
    const [y] = runKernel(layerNormalizationKernel, [x, scale], { outputs: ['y'] });
    expectClose(y, { shape, data: reference(x, 2, [2, 2, 2, 2], null, 1e-5).y });
  });

  it('keeps float64 and stashes statistics as float64 when stash_type = 11', () => {
    const x64 = Tensor.from('float64', shape, x.data);
    const scale = Tensor.from('float64', [4], [1, 2, 3, 4]);
    const [y, mean] = runKernel(layerNormalizationKernel, [x64, scale], { attributes: { stash_type: 11 } });
    expect(y.dtype).toBe('float64');
    expect(mean.dtype).toBe('float64');
    expectClose(y, { shape, data: reference(x64, 2, [1, 2, 3, 4], null, 1e-5).y }, 1e-12, 1e-12);
  });

  it('rejects a bad axis, a mismatched Scale and an unknown stash_type', () => {
    expect(() => runKernel(layerNormalizationKernel, [x, f32([4], [1, 1, 1, 1])], { attributes: { axis: 3 } })).toThrow(KernelError);
    expect(() => runKernel(layerNormalizationKernel, [x, f32([4], [1, 1, 1, 1])], { attributes: { axis: 3 } })).toThrow(/axis = 3 is out of range/);
    expect(() => runKernel(layerNormalizationKernel, [x, f32([3], [1, 1, 1])])).toThrow(/input Scale of shape \[3\] does not broadcast to the normalized shape \[4\]/);
    expect(() => parseAttributes(layerNormalizationKernel, { attributes: { stash_type: 7 } })).toThrow(ModelError);
    expect(() => parseAttributes(layerNormalizationKernel, { attributes: { stash_type: 7 } })).toThrow(/stash_type" is 7/);
  });
});
