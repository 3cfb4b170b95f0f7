import { lrnKernel } from '../../../worker/runtime/kernels/normalization/lrn';
import { ModelError } from '../../../worker/runtime/errors';
import { sizeOf } from '../../../worker/runtime/tensor';
import { expectClose, f32, parseAttributes, randomFloats, runKernel } from './harness';

describe('LRN', () => {
  const shape = [2, 5, 3, 2];
  const x = f32(shape, randomFloats(sizeOf(shape), 11, -2, 2));

  function reference(size: number, alpha: number, beta: number, bias: number): number[] {
    const [N, C, H, W] = shape;
    const at = (n: number, c: number, h: number, w: number) => x.data[((n * C + c) * H + h) * W + w];
    const out: number[] = [];
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++)
        for (let h = 0; h < H; h++)
          for (let w = 0; w < W; w++) {
            let sq = 0;
            for (let k = Math.max(0, c - Math.floor((size - 1) / 2)); k <= Math.min(C - 1, c + Math.ceil((size - 1) / 2)); k++) sq += at(n, k, h, w) ** 2;
            out.push(at(n, c, h, w) / (bias + (alpha / size) * sq) ** beta);
          }
    return out;
  }

  it('uses the default alpha, beta and bias', () => {
    const [y] = runKernel(lrnKernel, [x], { attributes: { size: 3 } });
    expectClose(y, { shape, data: reference(3, 1e-4, 0.75, 1) });
  });

  it('uses an even, asymmetric window and explicit coefficients', () => {
    const [y] = runKernel(lrnKernel, [x], { attributes: { size: 4, alpha: 0.5, beta: 0.6, bias: 2 } });
    expectClose(y, { shape, data: reference(4, 0.5, 0.6, 2) });
  });

  it('requires a positive size', () => {
    expect(() => parseAttributes(lrnKernel, {})).toThrow(ModelError);
    expect(() => parseAttributes(lrnKernel, {})).toThrow(/attribute "size" is required/);
    expect(() => parseAttributes(lrnKernel, { attributes: { size: 0 } })).toThrow(/"size" must be a positive integer/);
  });
});
