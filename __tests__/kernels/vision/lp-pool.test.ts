import { globalLpPoolKernel, lpPoolKernel } from '../../../worker/runtime/kernels/vision/lp-pool';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, run1, tensor } from '../kernel-harness';

/** Naive 2-D LpPool on one plane with zero padding. */
function reference(x: number[][], k: number, s: number, pad: number, p: number, out: number): number[] {
  const res: number[] = [];
  for (let oy = 0; oy < out; oy++) {
    for (let ox = 0; ox < out; ox++) {
      let sum = 0;
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          const v = x[oy * s - pad + ky]?.[ox * s - pad + kx] ?? 0;
          sum += Math.abs(v) ** p;
        }
      }
      res.push(sum ** (1 / p));
    }
  }
  return res;
}

const plane = [[1, -2, 3, 0], [4, 5, -6, 1], [-1, 2, 2, 3], [0, 1, -1, 2]];
const x = tensor('float32', [1, 1, 4, 4], plane.flat());

describe('LpPool', () => {
  it('matches a naive L2 pool with strides and pads', () => {
    const y = run1(lpPoolKernel, [x], { attributes: { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] } });
    expect(y.shape).toEqual([1, 1, 3, 3]);
    const want = reference(plane, 2, 2, 1, 2, 3);
    Array.from(y.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it('computes L1 and L3 norms of each window', () => {
    const l1 = run1(lpPoolKernel, [x], { attributes: { kernel_shape: [4, 4], p: 1 } });
    expect(Array.from(l1.data as Float32Array)).toEqual([34]);
    const l3 = run1(lpPoolKernel, [x], { attributes: { kernel_shape: [3, 3], p: 3 } });
    expect((l3.data as Float32Array)[0]).toBeCloseTo(reference(plane, 3, 1, 0, 3, 2)[0], 4);
  });

  it('ceil_mode adds a partial last window', () => {
    const y = run1(lpPoolKernel, [x], { attributes: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    // bottom-right window covers only the last row and column: 2^2 + ... of X[2..3][2..3]
    expect((y.data as Float32Array)[3]).toBeCloseTo(Math.sqrt(4 + 9 + 1 + 4), 5);
  });

  it('rejects bad attributes and inputs', () => {
    expect(() => parseKernelAttributes(lpPoolKernel, {})).toThrow(ModelError);
    expect(() => parseKernelAttributes(lpPoolKernel, { kernel_shape: [2], p: 0 })).toThrow(/"p" is 0/);
    expect(() => run1(lpPoolKernel, [tensor('float32', [4], [1, 2, 3, 4])], { attributes: { kernel_shape: [2] } })).toThrow(KernelError);
    expect(() => run1(lpPoolKernel, [x], { attributes: { kernel_shape: [2] } })).toThrow(/kernel_shape has 1 value/);
  });
});

describe('GlobalLpPool', () => {
  it('takes the Lp norm of every plane', () => {
    const t = tensor('float32', [1, 2, 1, 2], [3, -4, 1, 1]);
    const y = run1(globalLpPoolKernel, [t]);
    expect(y.shape).toEqual([1, 2, 1, 1]);
    expect((y.data as Float32Array)[0]).toBeCloseTo(5, 6);
    expect((y.data as Float32Array)[1]).toBeCloseTo(Math.SQRT2, 6);
    expect(Array.from(run1(globalLpPoolKernel, [t], { attributes: { p: 1 } }).data as Float32Array)).toEqual([7, 2]);
  });

  it('rejects inputs without spatial axes', () => {
    expect(() => run1(globalLpPoolKernel, [tensor('float32', [1, 2], [1, 2])])).toThrow(/X must be \[N, C, D1, \.\.\.\]/);
  });
});
