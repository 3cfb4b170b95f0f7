import { expandKernel, tileKernel } from '../../../worker/runtime/kernels/tensor/tile-expand';
import { i64, iota, runKernel, t, vals } from './harness';

describe('Expand', () => {
  it('broadcasts to a larger shape in both directions', () => {
    const [y] = runKernel(expandKernel, [t('float32', [3, 1], [1, 2, 3]), i64([2, 1, 6])]);
    expect(y.shape).toEqual([2, 3, 6]);
    expect(vals(y).slice(0, 12)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    const [z] = runKernel(expandKernel, [t('float32', [3, 1], [1, 2, 3]), i64([3, 4])]);
    expect(vals(z)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it('repeats rows and strings', () => {
    const [y] = runKernel(expandKernel, [t('string', [2], ['a', 'b']), i64([2, 2])]);
    expect(vals(y)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('rejects incompatible shapes', () => {
    expect(() => runKernel(expandKernel, [iota([3]), i64([4])])).toThrow(/input \[3\] cannot be broadcast to \[4\]/);
  });
});

describe('Tile', () => {
  it('repeats along each axis', () => {
    const [y] = runKernel(tileKernel, [t('float32', [2, 2], [0, 1, 2, 3]), i64([2, 2])]);
    expect(y.shape).toEqual([4, 4]);
    expect(vals(y)).toEqual([0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3]);
  });

  it('tiles int64 data and accepts zero repeats', () => {
    const [y] = runKernel(tileKernel, [i64([1, 2]), i64([3])]);
    expect(y.data).toEqual(new BigInt64Array([1n, 2n, 1n, 2n, 1n, 2n]));
    expect(runKernel(tileKernel, [iota([2]), i64([0])])[0].shape).toEqual([0]);
  });

  it('needs one repeat per axis', () => {
    expect(() => runKernel(tileKernel, [iota([2, 2]), i64([2])])).toThrow(/must have one entry per input axis/);
    expect(() => runKernel(tileKernel, [iota([2]), i64([-1])])).toThrow(/must not be negative/);
  });
});
