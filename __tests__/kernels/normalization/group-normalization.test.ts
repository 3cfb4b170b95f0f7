import { groupNormalizationKernel } from '../../../worker/runtime/kernels/normalization/group-normalization';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import type { Tensor } from '../../../worker/runtime/tensor';
import { expectClose, f32, parseAttributes, randomFloats, runKernel } from './harness';

/** Naive GroupNormalization; `param(c, g)` picks the scale/bias index. */
function reference(x: Tensor, groups: number, scale: ArrayLike<number>, bias: ArrayLike<number>, eps: number, perChannel: boolean): number[] {
  const [n, c] = x.shape;
  const inner = x.size / (n * c);
  const per = c / groups;
  const y = new Array<number>(x.size);
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let ch = g * per; ch < (g + 1) * per; ch++) for (let i = 0; i < inner; i++) idx.push((b * c + ch) * inner + i);
      const vals = idx.map((k) => Number(x.data[k]));
      const mu = vals.reduce((s, v) => s + v, 0) / vals.length;
      const v = vals.reduce((s, t) => s + (t - mu) ** 2, 0) / vals.length;
      idx.forEach((k, j) => {
        const ch = Math.floor(k / inner) % c;
        const p = perChannel ? ch : g;
        y[k] = ((vals[j] - mu) / Math.sqrt(v + eps)) * scale[p] + bias[p];
      });
    }
  }
  return y;
}

describe('GroupNormalization', () => {
  const shape = [2, 6, 3, 2];
  const x = f32(shape, randomFloats(72, 21, -2, 3));

  it('opset 21: scale and bias per channel', () => {
    const scale = f32([6], randomFloats(6, 22, 0.5, 2));
    const bias = f32([6], randomFloats(6, 23));
    const [y] = runKernel(groupNormalizationKernel, [x, scale, bias], { attributes: { num_groups: 3, epsilon: 1e-3 }, opset: 21 });
    expectClose(y, { shape, data: reference(x, 3, scale.data, bias.data, 1e-3, true) });
  });

  it('opsets 18..20: scale and bias per group', () => {
    const scale = f32([2], [0.5, 2]);
    const bias = f32([2], [1, -1]);
    const [y] = runKernel(groupNormalizationKernel, [x, scale, bias], { attributes: { num_groups: 2 }, opset: 18 });
    expectClose(y, { shape, data: reference(x, 2, scale.data, bias.data, 1e-5, false) });
  });

  it('rejects channels that do not split, parameters of the wrong length and bad attributes', () => {
    const ones = (n: number) => f32([n], new Array(n).fill(1));
    expect(() => runKernel(groupNormalizationKernel, [x, ones(6), ones(6)], { attributes: { num_groups: 4 }, opset: 21 })).toThrow(KernelError);
    expect(() => runKernel(groupNormalizationKernel, [x, ones(6), ones(6)], { attributes: { num_groups: 4 }, opset: 21 })).toThrow(/6 channels .* num_groups = 4/);
    expect(() => runKernel(groupNormalizationKernel, [x, ones(3), ones(3)], { attributes: { num_groups: 3 }, opset: 21 })).toThrow(/input scale must have shape \[6\]/);
    expect(() => runKernel(groupNormalizationKernel, [x, ones(6), ones(6)], { attributes: { num_groups: 3 }, opset: 18 })).toThrow(/input scale must have shape \[3\]/);
    expect(() => parseAttributes(groupNormalizationKernel, { attributes: {} })).toThrow(ModelError);
    expect(() => parseAttributes(groupNormalizationKernel, { attributes: {} })).toThrow(/"num_groups" is required/);
    expect(() => parseAttributes(groupNormalizationKernel, { attributes: { num_groups: 0 } })).toThrow(/positive integer/);
  });
});
