import { padKernel } from '../../../worker/runtime/kernels/tensor/pad';
import { i64, iota, parseAttributes, runKernel, t, vals } from './harness';

const x = t('float32', [3, 2], [1, 1.2, 2.3, 3.4, 4.5, 5.7]);

describe('Pad', () => {
  it('pads with a constant value (opset 11 inputs)', () => {
    const [y] = runKernel(padKernel, [x, i64([0, 2, 0, 0]), t('float32', [], [0])]);
    expect(y.shape).toEqual([3, 4]);
    expect(vals(y)).toEqual([0, 0, 1, 1.2, 0, 0, 2.3, 3.4, 0, 0, 4.5, 5.7].map(Math.fround));
  });

  it('reflects, repeats the edge and wraps', () => {
    const pads = i64([0, 2, 0, 0]);
    expect(vals(runKernel(padKernel, [x, pads], { attributes: { mode: 'reflect' } })[0])).toEqual(
      [1, 1.2, 1, 1.2, 2.3, 3.4, 2.3, 3.4, 4.5, 5.7, 4.5, 5.7].map(Math.fround),
    );
    expect(vals(runKernel(padKernel, [x, pads], { attributes: { mode: 'edge' } })[0])).toEqual(
      [1, 1, 1, 1.2, 2.3, 2.3, 2.3, 3.4, 4.5, 4.5, 4.5, 5.7].map(Math.fround),
    );
    const [w] = runKernel(padKernel, [iota([3]), i64([4, 2])], { attributes: { mode: 'wrap' } });
    expect(vals(w)).toEqual([2, 0, 1, 2, 0, 1, 2, 0, 1]);
  });

  it('reflects further than the axis length like numpy', () => {
    const [y] = runKernel(padKernel, [iota([3]), i64([5, 0])], { attributes: { mode: 'reflect' } });
    expect(vals(y)).toEqual([1, 0, 1, 2, 1, 0, 1, 2]);
  });

  it('crops with negative pads and pads only the listed axes (opset 18)', () => {
    const [a] = runKernel(padKernel, [iota([4]), i64([-1, 1]), t('float32', [], [9])]);
    expect(vals(a)).toEqual([1, 2, 3, 9]);
    const [b] = runKernel(padKernel, [iota([2, 2]), i64([1, 0]), t('float32', [], [7]), i64([-1])]);
    expect(b.shape).toEqual([2, 3]);
    expect(vals(b)).toEqual([7, 0, 1, 7, 2, 3]);
  });

  it('reads pads and value attributes before opset 11 and pads int64 data', () => {
    const [y] = runKernel(padKernel, [t('int64', [2], [5n, 6n])], { opset: 2, attributes: { pads: [1, 1], value: 3 } });
    expect(y.data).toEqual(new BigInt64Array([3n, 5n, 6n, 3n]));
  });

  it('explains bad pads and modes', () => {
    expect(() => runKernel(padKernel, [iota([2, 2]), i64([1, 1])])).toThrow(/pads has 2 values; input \[2, 2\] needs 4/);
    expect(() => runKernel(padKernel, [iota([2]), i64([-3, 0])])).toThrow(/crop more than the 2 elements of axis 0/);
    expect(() => runKernel(padKernel, [t('float32', [0], []), i64([1, 0])], { attributes: { mode: 'edge' } })).toThrow(/cannot edge-pad axis 0/);
    expect(() => parseAttributes(padKernel, { mode: 'wrap' }, 18)).toThrow(/"mode" is "wrap"; supported: constant, reflect, edge/);
  });
});
