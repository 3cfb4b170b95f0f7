import { instanceNormalizationKernel } from '../../../worker/runtime/kernels/normalization/instance-normalization';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { Tensor, sizeOf } from '../../../worker/runtime/tensor';
import { expectClose, f32, parseAttributes, randomFloats, runKernel } from './harness';

function reference(x: Tensor, scale: number[], bias: number[], eps: number): number[] {
  const [batch, channels] = x.shape;
  const inner = sizeOf(x.shape.slice(2));
  const out = new Array<number>(x.size);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const vals = Array.from({ length: inner }, (_, i) => Number(x.data[(n * channels + c) * inner + i]));
      const mu = vals.reduce((a, b) => a + b, 0) / inner;
      const v = vals.reduce((a, b) => a + (b - mu) ** 2, 0) / inner;
      vals.forEach((val, i) => (out[(n * channels + c) * inner + i] = (scale[c] * (val - mu)) / Math.sqrt(v + eps) + bias[c]));
    }
  }
  return out;
}

describe('InstanceNormalization', () => {
  const shape = [2, 3, 4, 5];
  const x = f32(shape, randomFloats(sizeOf(shape), 7, -2, 4));
  const scale = [1.5, -0.5, 2];
  const bias = [0, 0.25, -1];

  it('normalizes each (sample, channel) plane', () => {
    const [y] = runKernel(instanceNormalizationKernel, [x, f32([3], scale), f32([3], bias)], { attributes: { epsilon: 0.01 } });
    expectClose(y, { shape, data: reference(x, scale, bias, 0.01) });
  });

  it('handles float64 and rank 3', () => {
    const x3 = Tensor.from('float64', [1, 3, 4], randomFloats(12, 3));
    const [y] = runKernel(instanceNormalizationKernel, [x3, Tensor.from('float64', [3], scale), Tensor.from('float64', [3], bias)]);
    expect(y.dtype).toBe('float64');
    expectClose(y, { shape: [1, 3, 4], data: reference(x3, scale, bias, 1e-5) }, 1e-12, 1e-12);
  });

  it('rejects a scale of the wrong length and a negative epsilon', () => {
    expect(() => runKernel(instanceNormalizationKernel, [x, f32([2], [1, 1]), f32([3], bias)])).toThrow(KernelError);
    expect(() => runKernel(instanceNormalizationKernel, [x, f32([2], [1, 1]), f32([3], bias)])).toThrow(/input scale must have shape \[3\], got \[2\]/);
    expect(() => parseAttributes(instanceNormalizationKernel, { attributes: { epsilon: -1 } })).toThrow(ModelError);
    expect(() => runKernel(instanceNormalizationKernel, [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([3], scale), f32([3], bias)])).toThrow(/rank >= 3/);
  });
});
