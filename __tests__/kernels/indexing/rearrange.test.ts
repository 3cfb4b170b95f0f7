import { depthToSpaceKernel, spaceToDepthKernel } from '../../../worker/runtime/kernels/indexing/depth-space';
import { eyeLikeKernel } from '../../../worker/runtime/kernels/indexing/eye-like';
import { maxUnpoolKernel } from '../../../worker/runtime/kernels/indexing/max-unpool';
import { reverseSequenceKernel } from '../../../worker/runtime/kernels/indexing/reverse-sequence';
import { upsampleKernel } from '../../../worker/runtime/kernels/indexing/upsample';
import { f32, i64, iota, parseKernelAttributes, run1, values } from '../kernel-harness';

/** DepthToSpace by its definition: output[n, c, h*b + i, w*b + j] from the right input channel. */
function naiveDepthToSpace(x: number[], [n, c, h, w]: number[], b: number, mode: 'DCR' | 'CRD'): number[] {
  const d = c / (b * b);
  const out: number[] = [];
  for (let in_ = 0; in_ < n; in_++)
    for (let oc = 0; oc < d; oc++)
      for (let oh = 0; oh < h * b; oh++)
        for (let ow = 0; ow < w * b; ow++) {
          const i = oh % b;
          const j = ow % b;
          const ic = mode === 'DCR' ? (i * b + j) * d + oc : oc * b * b + i * b + j;
          out.push(x[((in_ * c + ic) * h + Math.floor(oh / b)) * w + Math.floor(ow / b)]);
        }
  return out;
}

describe('DepthToSpace / SpaceToDepth', () => {
  const shape = [2, 8, 2, 3];
  const x = iota(shape);

  it.each(['DCR', 'CRD'] as const)('DepthToSpace %s matches the definition', (mode) => {
    const y = run1(depthToSpaceKernel, [x], { attributes: { blocksize: 2, mode } });
    expect(y.shape).toEqual([2, 2, 4, 6]);
    expect(values(y)).toEqual(naiveDepthToSpace(values(x) as number[], shape, 2, mode));
  });

  it('SpaceToDepth inverts DepthToSpace DCR', () => {
    const y = run1(depthToSpaceKernel, [x], { attributes: { blocksize: 2 } });
    const back = run1(spaceToDepthKernel, [y], { attributes: { blocksize: 2 } });
    expect(back.shape).toEqual(shape);
    expect(values(back)).toEqual(values(x));
  });

  it('rejects shapes the block size does not divide', () => {
    expect(() => run1(depthToSpaceKernel, [iota([1, 6, 1, 1])], { attributes: { blocksize: 2 } })).toThrow(/channels \(6\) must be divisible by blocksize² \(4\)/);
    expect(() => run1(spaceToDepthKernel, [iota([1, 1, 3, 2])], { attributes: { blocksize: 2 } })).toThrow(/height \(3\) and width \(2\) must be divisible/);
    expect(() => run1(spaceToDepthKernel, [iota([1, 4, 4])], { attributes: { blocksize: 2 } })).toThrow(/must be 4-D/);
    expect(() => parseKernelAttributes(depthToSpaceKernel, { blocksize: 2, mode: 'XYZ' }, 13)).toThrow(/supported: DCR, CRD/);
  });
});

describe('ReverseSequence', () => {
  it('reverses the first sequence_lens steps per batch entry (time axis 0)', () => {
    // [time 4, batch 2]
    const y = run1(reverseSequenceKernel, [iota([4, 2]), i64([2], [3, 1])]);
    expect(values(y)).toEqual([4, 1, 2, 3, 0, 5, 6, 7]);
  });

  it('reverses with batch axis 0 and inner elements', () => {
    // [batch 2, time 3, 2]
    const y = run1(reverseSequenceKernel, [iota([2, 3, 2]), i64([2], [2, 3])], { attributes: { batch_axis: 0, time_axis: 1 } });
    expect(values(y)).toEqual([2, 3, 0, 1, 4, 5, 10, 11, 8, 9, 6, 7]);
  });

  it('rejects lengths beyond the time axis and equal axes', () => {
    expect(() => run1(reverseSequenceKernel, [iota([4, 2]), i64([2], [5, 1])])).toThrow(/sequence_lens\[0\] = 5 is out of range \(expected 0..4/);
    expect(() => run1(reverseSequenceKernel, [iota([4, 2]), i64([3], [1, 1, 1])])).toThrow(/one length per batch entry \(2\)/);
    expect(() => parseKernelAttributes(reverseSequenceKernel, { batch_axis: 1, time_axis: 1 })).toThrow(/must be 0 and 1/);
  });
});

describe('EyeLike', () => {
  it('puts ones on the k-th diagonal in the input dtype or the requested one', () => {
    expect(values(run1(eyeLikeKernel, [iota([3, 4])], { attributes: { k: 1 } }))).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const y = run1(eyeLikeKernel, [iota([3, 2])], { attributes: { k: -1, dtype: 7 } });
    expect(y.dtype).toBe('int64');
    expect(values(y)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(values(run1(eyeLikeKernel, [iota([2, 2])], { attributes: { k: 5 } }))).toEqual([0, 0, 0, 0]);
  });

  it('rejects non-2-D inputs and unknown dtype codes', () => {
    expect(() => run1(eyeLikeKernel, [iota([2])])).toThrow(/input must be 2-D/);
    expect(() => parseKernelAttributes(eyeLikeKernel, { dtype: 8 })).toThrow(/attribute "dtype" is 8/);
  });
});

describe('Upsample', () => {
  it('repeats pixels for nearest (opset 9, scales input)', () => {
    const y = run1(upsampleKernel, [f32([1, 1, 2, 2], [1, 2, 3, 4]), f32([4], [1, 1, 2, 3])], { opset: 9 });
    expect(y.shape).toEqual([1, 1, 4, 6]);
    expect(values(y)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4]);
  });

  it('interpolates linearly with asymmetric coordinates (opset 7, scales attribute)', () => {
    const y = run1(upsampleKernel, [f32([1, 2], [1, 3])], { opset: 7, attributes: { mode: 'linear', scales: [1, 2] } });
    expect(values(y)).toEqual([1, 2, 3, 3]);
  });

  it('rejects downsampling scales', () => {
    expect(() => run1(upsampleKernel, [f32([1, 2], [1, 3]), f32([2], [1, 0.5])], { opset: 9 })).toThrow(/scales\[1\] is 0.5; Upsample scales must be >= 1/);
    expect(() => parseKernelAttributes(upsampleKernel, { scales: [0.5] }, 7)).toThrow(/must all be >= 1/);
  });
});

describe('MaxUnpool', () => {
  it('scatters values to the recorded flat positions of a zero output', () => {
    const x = f32([1, 1, 2, 2], [5, 6, 7, 8]);
    const y = run1(maxUnpoolKernel, [x, i64([1, 1, 2, 2], [5, 7, 13, 15])], { attributes: { kernel_shape: [2, 2], strides: [2, 2] } });
    expect(y.shape).toEqual([1, 1, 4, 4]);
    expect(values(y)).toEqual([0, 0, 0, 0, 0, 5, 0, 6, 0, 0, 0, 0, 0, 7, 0, 8]);
  });

  it('takes an explicit output_shape and checks index ranges', () => {
    const x = f32([1, 1, 1, 1], [9]);
    const y = run1(maxUnpoolKernel, [x, i64([1, 1, 1, 1], [4]), i64([4], [1, 1, 3, 3])], { attributes: { kernel_shape: [2, 2], strides: [2, 2] } });
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expect(values(y)).toEqual([0, 0, 0, 0, 9, 0, 0, 0, 0]);
    expect(() => run1(maxUnpoolKernel, [x, i64([1, 1, 1, 1], [4])], { attributes: { kernel_shape: [2, 2], strides: [2, 2] } })).toThrow(
      /indices\[0, 0, 0, 0\] = 4 is out of range for an output of 4 elements \[1, 1, 2, 2\] \(expected 0..3\)/,
    );
  });
});

