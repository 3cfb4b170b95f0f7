import { batchNormalizationKernel } from '../../../worker/runtime/kernels/normalization/batch-normalization';
import { ModelError, KernelError } from '../../../worker/runtime/errors';
import { Tensor, sizeOf } from '../../../worker/runtime/tensor';
import { expectClose, f32, parseAttributes, randomFloats, runKernel } from './harness';

/** y[n,c,...] = (x - mean[c]) / sqrt(var[c] + eps) * scale[c] + B[c], straight from the spec. */
function reference(x: Tensor, scale: number[], bias: number[], mean: number[], variance: number[], eps: number): number[] {
  const [, channels] = x.shape;
  const inner = sizeOf(x.shape.slice(2));
  return Array.from(x.data as Float32Array, (v, i) => {
    const c = Math.floor(i / inner) % channels;
    return ((v - mean[c]) / Math.sqrt(variance[c] + eps)) * scale[c] + bias[c];
  });
}

describe('BatchNormalization', () => {
  const shape = [2, 3, 4, 5];
  const x = f32(shape, randomFloats(sizeOf(shape), 1, -3, 3));
  const scale = [0.5, 1.5, -2];
  const bias = [0.1, -0.2, 0.3];
  const mean = [0.2, -0.4, 0.05];
  const variance = [0.7, 1.2, 2.5];
  const params = [scale, bias, mean, variance].map((p) => f32([3], p));

  it('normalizes per channel with the stored statistics (float32)', () => {
    const [y] = runKernel(batchNormalizationKernel, [x, ...params], { attributes: { epsilon: 1e-2 }, opset: 15, outputs: ['y'] });
    expect(y.dtype).toBe('float32');
    expectClose(y, { shape, data: reference(x, scale, bias, mean, variance, 1e-2) });
  });

  it('computes float64 inputs in float64', () => {
    const x64 = Tensor.from('float64', shape, x.data);
    const p64 = [scale, bias, mean, variance].map((p) => Tensor.from('float64', [3], p));
    const [y] = runKernel(batchNormalizationKernel, [x64, ...p64], { opset: 15, outputs: ['y'] });
    expect(y.dtype).toBe('float64');
    expectClose(y, { shape, data: reference(x, scale, bias, mean, variance, 1e-5) }, 1e-12, 1e-12);
  });

  it('takes per-activation parameters when spatial = 0 (opset 7)', () => {
    const s = [1, 3, 2];
    const xs = f32(s, randomFloats(6, 2));
    const per = (seed: number, lo: number) => f32([3, 2], randomFloats(6, seed, lo, lo + 1));
    const [sc, b, m, v] = [per(3, 0.5), per(4, -0.5), per(5, -0.5), per(6, 0.5)];
    const [y] = runKernel(batchNormalizationKernel, [xs, sc, b, m, v], { attributes: { spatial: 0 }, opset: 7, outputs: ['y'] });
    const expected = Array.from(xs.data, (val, i) => ((val - m.data[i]) / Math.sqrt(v.data[i] + 1e-5)) * sc.data[i] + b.data[i]);
    expectClose(y, { shape: s, data: expected });
  });

  it('uses the batch statistics and blends running statistics in training mode', () => {
    const [y, runMean, runVar] = runKernel(batchNormalizationKernel, [x, ...params], {
      attributes: { training_mode: 1, momentum: 0.8 },
      opset: 15,
      outputs: ['y', 'm', 'v'],
    });
    const inner = 20;
    const batchMean: number[] = [];
    const batchVar: number[] = [];
    for (let c = 0; c < 3; c++) {
      const vals: number[] = [];
      for (let n = 0; n < 2; n++) for (let i = 0; i < inner; i++) vals.push(x.data[(n * 3 + c) * inner + i]);
      const mu = vals.reduce((a, b) => a + b, 0) / vals.length;
      batchMean.push(mu);
      batchVar.push(vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length);
    }
    expectClose(y, { shape, data: reference(x, scale, bias, batchMean, batchVar, 1e-5) });
    expectClose(runMean, { shape: [3], data: mean.map((m, c) => m * 0.8 + batchMean[c] * 0.2) });
    expectClose(runVar, { shape: [3], data: variance.map((v, c) => v * 0.8 + batchVar[c] * 0.2) });
  });

  it('rejects training outputs without training_mode', () => {
    expect(() => parseAttributes(batchNormalizationKernel, { opset: 15, outputs: ['y', 'm', 'v'] })).toThrow(ModelError);
    expect(() => parseAttributes(batchNormalizationKernel, { opset: 15, outputs: ['y', 'm', 'v'] })).toThrow(/only defined with training_mode = 1/);
    expect(() => parseAttributes(batchNormalizationKernel, { opset: 6, outputs: ['y', 'm', 'v', 'sm', 'sv'] })).toThrow(/export the model for inference/);
    expect(() => parseAttributes(batchNormalizationKernel, { opset: 15, outputs: ['y', '', ''] })).not.toThrow();
  });

  it('rejects parameters whose length does not match the channels', () => {
    const bad = [f32([4], [1, 1, 1, 1]), ...params.slice(1)];
    expect(() => runKernel(batchNormalizationKernel, [x, ...bad], { opset: 15, outputs: ['y'] })).toThrow(KernelError);
    expect(() => runKernel(batchNormalizationKernel, [x, ...bad], { opset: 15, outputs: ['y'] })).toThrow(
      /input scale must have shape \[3\] for X of shape \[2, 3, 4, 5\], got \[4\]/,
    );
  });

  it('rejects integer inputs and rank-1 X', () => {
    const xi = Tensor.from('int32', [1, 3], [1, 2, 3]);
    expect(() => runKernel(batchNormalizationKernel, [xi, ...params], { outputs: ['y'] })).toThrow(/input X must be float32 or float64/);
    expect(() => runKernel(batchNormalizationKernel, [f32([3], [1, 2, 3]), ...params], { outputs: ['y'] })).toThrow(/rank >= 2/);
  });
});
