import { KernelError } from '../../../worker/runtime/errors';
import { gatherElementsKernel, gatherKernel } from '../../../worker/runtime/kernels/tensor/gather';
import { i64, iota, runKernel, t, vals } from './harness';

describe('Gather', () => {
  it('picks whole rows along axis 0 with int64 indices, negative ones from the end', () => {
    const x = iota([4, 10]);
    const [y] = runKernel(gatherKernel, [x, i64([3, -4], [2])]);
    expect(y.shape).toEqual([2, 10]);
    expect(vals(y)).toEqual([...Array.from({ length: 10 }, (_, i) => 30 + i), ...Array.from({ length: 10 }, (_, i) => i)]);
  });

  it('gathers along an inner axis with int32 index matrices', () => {
    const [y] = runKernel(gatherKernel, [iota([2, 3]), t('int32', [2, 2], [0, 2, 1, 1])], { attributes: { axis: 1 } });
    expect(y.shape).toEqual([2, 2, 2]);
    expect(vals(y)).toEqual([0, 2, 1, 1, 3, 5, 4, 4]);
  });

  it('gathers with a scalar index (drops the axis) and on strings', () => {
    const [y] = runKernel(gatherKernel, [iota([3, 2]), i64([1], [])]);
    expect(y.shape).toEqual([2]);
    expect(vals(y)).toEqual([2, 3]);
    const [s] = runKernel(gatherKernel, [t('string', [3], ['a', 'b', 'c']), i64([2, 0])]);
    expect(vals(s)).toEqual(['c', 'a']);
  });

  it('rejects out-of-range indices and non-integer index types', () => {
    expect(() => runKernel(gatherKernel, [iota([3]), i64([3])])).toThrow(KernelError);
    expect(() => runKernel(gatherKernel, [iota([3]), i64([0, -4])])).toThrow(/index -4 \(at position 1\) is out of range for an axis of 3 elements \(expected -3..2\)/);
    expect(() => runKernel(gatherKernel, [iota([3]), t('float32', [1], [0])])).toThrow(/indices must be int64 or int32, got float32/);
  });
});

describe('GatherElements', () => {
  it('picks one element per index along the axis', () => {
    const data = t('float32', [2, 2], [1, 2, 3, 4]);
    const [a] = runKernel(gatherElementsKernel, [data, i64([0, 0, 1, 0], [2, 2])], { attributes: { axis: 1 } });
    expect(vals(a)).toEqual([1, 1, 4, 3]);
    const [b] = runKernel(gatherElementsKernel, [iota([3, 3]), i64([1, 2, 0, 2, 0, -1], [2, 3])], { attributes: { axis: 0 } });
    expect(b.shape).toEqual([2, 3]);
    expect(vals(b)).toEqual([3, 7, 2, 6, 1, 8]);
  });

  it('rejects indices of another rank or out of range', () => {
    expect(() => runKernel(gatherElementsKernel, [iota([2, 2]), i64([0])])).toThrow(/must have the same rank as data/);
    expect(() => runKernel(gatherElementsKernel, [iota([2, 2]), i64([0, 2], [1, 2])], { attributes: { axis: 1 } })).toThrow(/index 2/);
  });
});
