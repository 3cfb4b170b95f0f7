import { topKKernel } from '../../../worker/runtime/kernels/tensor/topk';
import { i64, iota, runKernel, t, vals } from './harness';

describe('TopK', () => {
  it('returns the k largest values and their int64 indices along the last axis', () => {
    const [v, i] = runKernel(topKKernel, [iota([3, 4]), i64([3])], { outputs: 2 });
    expect(v.shape).toEqual([3, 3]);
    expect(vals(v)).toEqual([3, 2, 1, 7, 6, 5, 11, 10, 9]);
    expect(i.dtype).toBe('int64');
    expect(vals(i)).toEqual([3, 2, 1, 3, 2, 1, 3, 2, 1]);
  });

  it('puts lower indices first among equal values, largest or smallest', () => {
    const x = t('float32', [6], [1, 3, 3, 2, 1, 3]);
    const [v, i] = runKernel(topKKernel, [x, i64([4])], { outputs: 2 });
    expect(vals(v)).toEqual([3, 3, 3, 2]);
    expect(vals(i)).toEqual([1, 2, 5, 3]);
    const [s, j] = runKernel(topKKernel, [x, i64([3])], { outputs: 2, attributes: { largest: 0 } });
    expect(vals(s)).toEqual([1, 1, 2]);
    expect(vals(j)).toEqual([0, 4, 3]);
  });

  it('works along an inner axis, on int64, and with NaN as the largest', () => {
    const [v, i] = runKernel(topKKernel, [iota([3, 2]), i64([1])], { outputs: 2, attributes: { axis: 0 } });
    expect(vals(v)).toEqual([4, 5]);
    expect(vals(i)).toEqual([2, 2]);
    const [b] = runKernel(topKKernel, [t('int64', [3], [5n, -2n, 9n]), i64([2])], { outputs: 2 });
    expect(b.data).toEqual(new BigInt64Array([9n, 5n]));
    const [n, ni] = runKernel(topKKernel, [t('float32', [3], [1, NaN, 2]), i64([2])], { outputs: 2 });
    expect(vals(n)).toEqual([NaN, 2]);
    expect(vals(ni)).toEqual([1, 2]);
  });

  it('reads k from the attribute in opset 1', () => {
    const [v] = runKernel(topKKernel, [iota([5])], { outputs: 2, opset: 1, attributes: { k: 2 } });
    expect(vals(v)).toEqual([4, 3]);
  });

  it('rejects k beyond the axis and non-numeric input', () => {
    expect(() => runKernel(topKKernel, [iota([3]), i64([4])], { outputs: 2 })).toThrow(/k 4 must be between 0 and 3/);
    expect(() => runKernel(topKKernel, [t('string', [1], ['a']), i64([1])], { outputs: 2 })).toThrow(/type string is not supported/);
  });
});
