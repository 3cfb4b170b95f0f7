import { col2ImKernel } from '../../../worker/runtime/kernels/vision/col2im';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, run1, tensor } from '../kernel-harness';

const ints = (...d: number[]) => tensor('int64', [d.length], d);

/** Naive 1-D fold: out[l*s - p + k*d] += col[k][l]. */
function fold1d(col: number[][], len: number, stride: number, pad: number, dil: number): number[] {
  const out = new Array<number>(len).fill(0);
  col.forEach((row, k) => row.forEach((v, l) => {
    const i = l * stride - pad + k * dil;
    if (i >= 0 && i < len) out[i] += v;
  }));
  return out;
}

describe('Col2Im', () => {
  it('sums overlapping 2x2 patches of a 3x3 image', () => {
    // every column entry 1: each pixel counts the patches covering it
    const x = tensor('float32', [1, 4, 4], new Array(16).fill(1));
    const y = run1(col2ImKernel, [x, ints(3, 3), ints(2, 2)]);
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });

  it('matches a naive fold with strides, pads and dilations (1 x W images)', () => {
    const col = [[1, 2, 3], [4, 5, 6]]; // kernel 2, L 3
    // width 5, pads 1+1, dilation 2, stride 2: blocks = floor((5 + 2 - 3) / 2) + 1 = 3
    const x = tensor('float32', [1, 2, 3], col.flat());
    const y = run1(col2ImKernel, [x, ints(1, 5), ints(1, 2)], { attributes: { strides: [1, 2], pads: [0, 1, 0, 1], dilations: [1, 2] } });
    expect(Array.from(y.data as Float32Array)).toEqual(fold1d(col, 5, 2, 1, 2));
  });

  it('rejects a column count that does not match the blocks', () => {
    const x = tensor('float32', [1, 4, 3], new Array(12).fill(1));
    expect(() => run1(col2ImKernel, [x, ints(3, 3), ints(2, 2)])).toThrow(KernelError);
    expect(() => run1(col2ImKernel, [x, ints(3, 3), ints(2, 2)])).toThrow(/input must be \[N, C\*4, 4\]/);
    expect(() => parseKernelAttributes(col2ImKernel, { strides: [0, 1] })).toThrow(ModelError);
  });
});
