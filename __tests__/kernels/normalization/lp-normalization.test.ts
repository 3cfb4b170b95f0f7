import { lpNormalizationKernel } from '../../../worker/runtime/kernels/normalization/lp-normalization';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { expectClose, f32, parseAttributes, runKernel } from './harness';

describe('LpNormalization', () => {
  const x = f32([2, 3], [3, 4, 0, -1, 2, -2]);

  it('divides by the L2 norm along the last axis by default', () => {
    const [y] = runKernel(lpNormalizationKernel, [x]);
    expectClose(y, { shape: [2, 3], data: [0.6, 0.8, 0, -1 / 3, 2 / 3, -2 / 3] });
  });

  it('divides by the L1 norm along axis 0', () => {
    const [y] = runKernel(lpNormalizationKernel, [x], { attributes: { p: 1, axis: 0 } });
    expectClose(y, { shape: [2, 3], data: [0.75, 4 / 6, 0, -0.25, 2 / 6, -1] });
  });

  it('maps a fibre whose norm is zero to zeros', () => {
    const [y] = runKernel(lpNormalizationKernel, [f32([2, 2], [0, 0, 1, 1])], { attributes: { axis: 1 } });
    expectClose(y, { shape: [2, 2], data: [0, 0, Math.SQRT1_2, Math.SQRT1_2] });
  });

  it('rejects p other than 1 or 2 and an axis out of range', () => {
    expect(() => parseAttributes(lpNormalizationKernel, { attributes: { p: 3 } })).toThrow(ModelError);
    expect(() => parseAttributes(lpNormalizationKernel, { attributes: { p: 3 } })).toThrow(/"p" is 3; supported: 1/);
    expect(() => runKernel(lpNormalizationKernel, [x], { attributes: { axis: 2 } })).toThrow(KernelError);
  });
});
