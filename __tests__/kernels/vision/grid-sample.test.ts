import { gridSampleKernel, reflect } from '../../../worker/runtime/kernels/vision/grid-sample';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, run1, tensor } from '../kernel-harness';

// X = [[0, 1], [2, 3]] (1x1x2x2)
const x = tensor('float32', [1, 1, 2, 2], [0, 1, 2, 3]);
const grid = (pts: number[][]) => tensor('float32', [1, 1, pts.length, 2], pts.flat());

describe('GridSample', () => {
  it('samples corners and the centre bilinearly with align_corners', () => {
    const y = run1(gridSampleKernel, [x, grid([[-1, -1], [1, -1], [-1, 1], [0, 0]])], { attributes: { align_corners: 1 } });
    expect(y.shape).toEqual([1, 1, 1, 4]);
    expect(Array.from(y.data as Float32Array)).toEqual([0, 1, 2, 1.5]);
  });

  it('reads zeros outside with padding zeros, edges with border (align_corners 0)', () => {
    // x = 1 with align_corners 0 denormalizes to column 1.5: half of pixel 1, half outside; y = -0.5 -> row 0
    const z = run1(gridSampleKernel, [x, grid([[1, -0.5]])]);
    expect(Array.from(z.data as Float32Array)).toEqual([0.5]); // 0.5*X[0][1] + 0.5*0
    const b = run1(gridSampleKernel, [x, grid([[1, -0.5]])], { attributes: { padding_mode: 'border' } });
    expect(Array.from(b.data as Float32Array)).toEqual([1]);
  });

  it('nearest rounds half to even, as numpy rint does', () => {
    // align_corners 1: x=0 -> column 0.5 -> rint 0; y=0 -> row 0.5 -> 0
    const y = run1(gridSampleKernel, [x, grid([[0, 0]])], { attributes: { mode: 'nearest', align_corners: 1 } });
    expect(Array.from(y.data as Float32Array)).toEqual([0]);
  });

  it('cubic reproduces a constant image exactly inside', () => {
    const c = tensor('float32', [1, 1, 4, 4], new Array(16).fill(2));
    const y = run1(gridSampleKernel, [c, grid([[0.1, -0.2]])], { attributes: { mode: 'cubic', padding_mode: 'border' }, opset: 20 });
    expect((y.data as Float32Array)[0]).toBeCloseTo(2, 5);
  });

  it('reflects coordinates into the border range', () => {
    expect(reflect(-1, -0.5, 1.5)).toBe(0);
    expect(reflect(2.5, -0.5, 1.5)).toBe(0.5);
    expect(reflect(5, 0, 2)).toBe(1);
  });

  it('accepts the mode names of the node opset only', () => {
    expect(parseKernelAttributes(gridSampleKernel, { mode: 'bilinear' }, 16).mode).toBe('linear');
    expect(parseKernelAttributes(gridSampleKernel, { mode: 'cubic' }, 20).mode).toBe('cubic');
    expect(() => parseKernelAttributes(gridSampleKernel, { mode: 'bilinear' }, 20)).toThrow(ModelError);
    expect(() => parseKernelAttributes(gridSampleKernel, { padding_mode: 'wrap' }, 20)).toThrow(/padding_mode.*zeros, border, reflection/);
  });

  it('rejects a grid that does not fit X', () => {
    const bad = tensor('float32', [1, 1, 1, 3], [0, 0, 0]);
    expect(() => run1(gridSampleKernel, [x, bad])).toThrow(KernelError);
    expect(() => run1(gridSampleKernel, [x, bad])).toThrow(/grid must be \[N=1, O1, O2, 2\]/);
  });
});
