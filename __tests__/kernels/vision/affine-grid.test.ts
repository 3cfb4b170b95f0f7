import { affineGridKernel } from '../../../worker/runtime/kernels/vision/affine-grid';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, run1, tensor } from '../kernel-harness';

const identity2d = tensor('float32', [1, 2, 3], [1, 0, 0, 0, 1, 0]);
const size = (...d: number[]) => tensor('int64', [d.length], d);

describe('AffineGrid', () => {
  it('the identity gives pixel centres without align_corners', () => {
    const g = run1(affineGridKernel, [identity2d, size(1, 1, 2, 2)]);
    expect(g.shape).toEqual([1, 2, 2, 2]);
    expect(Array.from(g.data as Float32Array)).toEqual([-0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5]);
  });

  it('the identity gives pixel corners with align_corners, x along W', () => {
    const g = run1(affineGridKernel, [identity2d, size(1, 1, 2, 3)], { attributes: { align_corners: 1 } });
    expect(Array.from(g.data as Float32Array)).toEqual([-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1]);
  });

  it('applies translation and 3-D matrices', () => {
    // theta rows: x' = z, y' = 2, z' = x + 1
    const theta = tensor('float32', [1, 3, 4], [0, 0, 1, 0, 0, 0, 0, 2, 1, 0, 0, 1]);
    const g = run1(affineGridKernel, [theta, size(1, 1, 1, 1, 2)], { attributes: { align_corners: 1 } });
    expect(g.shape).toEqual([1, 1, 1, 2, 3]);
    // points (x, y, z) = (-1, -1, -1), (1, -1, -1)
    expect(Array.from(g.data as Float32Array)).toEqual([-1, 2, 0, -1, 2, 2]);
  });

  it('rejects mismatched theta and bad attributes', () => {
    expect(() => run1(affineGridKernel, [identity2d, size(2, 1, 2, 2)])).toThrow(KernelError);
    expect(() => run1(affineGridKernel, [identity2d, size(1, 1, 2, 2, 2)])).toThrow(/theta must be \[N=1, 3, 4\]/);
    expect(() => parseKernelAttributes(affineGridKernel, { align_corners: 2 })).toThrow(ModelError);
  });
});
