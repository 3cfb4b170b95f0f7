import { meanVarianceNormalizationKernel } from '../../../worker/runtime/kernels/normalization/mean-variance-normalization';
import { KernelError } from '../../../worker/runtime/errors';
import { expectClose, f32, randomFloats, runKernel } from './harness';

/** Normalizes each channel c of an [N, C, H, W] tensor over N, H, W (the default axes). */
function referencePerChannel(data: ArrayLike<number>, [n, c, h, w]: number[]): number[] {
  const y = new Array<number>(data.length);
  for (let ch = 0; ch < c; ch++) {
    const idx: number[] = [];
    for (let b = 0; b < n; b++) for (let i = 0; i < h * w; i++) idx.push((b * c + ch) * h * w + i);
    const vals = idx.map((k) => data[k]);
    const mu = vals.reduce((s, v) => s + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((s, v) => s + v * v, 0) / vals.length - mu * mu);
    idx.forEach((k, j) => (y[k] = (vals[j] - mu) / (sd + 1e-9)));
  }
  return y;
}

describe('MeanVarianceNormalization', () => {
  const shape = [2, 3, 2, 2];
  const x = f32(shape, randomFloats(24, 41, -2, 5));

  it('normalizes per channel over axes [0, 2, 3] by default', () => {
    const [y] = runKernel(meanVarianceNormalizationKernel, [x]);
    expectClose(y, { shape, data: referencePerChannel(x.data as Float32Array, shape) });
  });

  it('normalizes over the given axes (negative allowed)', () => {
    const [y] = runKernel(meanVarianceNormalizationKernel, [x], { attributes: { axes: [-1] } });
    const rows = Array.from({ length: 12 }, (_, r) => Array.from(x.data as Float32Array).slice(r * 2, r * 2 + 2));
    const expected = rows.flatMap(([a, b]) => {
      const mu = (a + b) / 2;
      const sd = Math.abs(a - b) / 2;
      return [(a - mu) / (sd + 1e-9), (b - mu) / (sd + 1e-9)];
    });
    expectClose(y, { shape, data: expected }, 1e-4, 1e-4);
  });

  it('rejects an axis out of range and a repeated axis', () => {
    expect(() => runKernel(meanVarianceNormalizationKernel, [x], { attributes: { axes: [4] } })).toThrow(KernelError);
    expect(() => runKernel(meanVarianceNormalizationKernel, [x], { attributes: { axes: [1, -3] } })).toThrow(/names axis 1 twice/);
  });
});
