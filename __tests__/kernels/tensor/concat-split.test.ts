import { concatKernel, splitKernel } from '../../../worker/runtime/kernels/tensor/concat-split';
import { i64, iota, parseAttributes, runKernel, t, vals } from './harness';

describe('Concat', () => {
  it('joins along an inner axis', () => {
    const [y] = runKernel(concatKernel, [iota([2, 2]), t('float32', [2, 1], [9, 8])], { attributes: { axis: 1 } });
    expect(y.shape).toEqual([2, 3]);
    expect(vals(y)).toEqual([0, 1, 9, 2, 3, 8]);
  });

  it('joins along a negative axis, with empty inputs, for strings and int64', () => {
    const [a] = runKernel(concatKernel, [t('string', [1], ['a']), t('string', [0], []), t('string', [2], ['b', 'c'])], { attributes: { axis: -1 } });
    expect(vals(a)).toEqual(['a', 'b', 'c']);
    const [b] = runKernel(concatKernel, [i64([1, 2]), i64([3])], { attributes: { axis: 0 } });
    expect(b.data).toEqual(new BigInt64Array([1n, 2n, 3n]));
  });

  it('copies long contiguous blocks', () => {
    const [y] = runKernel(concatKernel, [iota([2, 10]), iota([3, 10])], { attributes: { axis: 0 } });
    expect(vals(y)).toEqual([...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 30 }, (_, i) => i)]);
  });

  it('explains mismatched inputs', () => {
    expect(() => runKernel(concatKernel, [iota([2, 2]), iota([3, 3])], { attributes: { axis: 0 } })).toThrow(
      /input 1 has shape \[3, 3\], which does not match input 0 \[2, 2\] outside axis 0/,
    );
    expect(() => runKernel(concatKernel, [iota([2]), i64([1])], { attributes: { axis: 0 } })).toThrow(/input 1 is int64 but input 0 is float32/);
    expect(() => runKernel(concatKernel, [iota([2])], { attributes: { axis: 1 } })).toThrow(/axis 1 is out of range/);
    expect(() => parseAttributes(concatKernel, {}, 13)).toThrow(/attribute "axis" is required/);
  });
});

describe('Split', () => {
  it('splits evenly into the node outputs', () => {
    const outs = runKernel(splitKernel, [iota([6])], { outputs: 3 });
    expect(outs.map(vals)).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  it('splits by sizes from the input (opset 13) or the attribute (before)', () => {
    const a = runKernel(splitKernel, [iota([2, 4]), i64([1, 3])], { outputs: 2, attributes: { axis: 1 } });
    expect(a.map((x) => x.shape)).toEqual([[2, 1], [2, 3]]);
    expect(a.map(vals)).toEqual([[0, 4], [1, 2, 3, 5, 6, 7]]);
    const b = runKernel(splitKernel, [iota([5])], { outputs: 2, opset: 11, attributes: { split: [2, 3] } });
    expect(b.map(vals)).toEqual([[0, 1], [2, 3, 4]]);
  });

  it('gives the last chunk the rest with num_outputs (opset 18), and allows zero-size parts', () => {
    const a = runKernel(splitKernel, [iota([7])], { outputs: 3, opset: 18, attributes: { num_outputs: 3 } });
    expect(a.map(vals)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    const b = runKernel(splitKernel, [iota([3]), i64([0, 3])], { outputs: 2 });
    expect(b.map((x) => x.shape)).toEqual([[0], [3]]);
  });

  it('explains sizes that do not add up', () => {
    expect(() => runKernel(splitKernel, [iota([5])], { outputs: 2 })).toThrow(/cannot be split evenly into 2 outputs/);
    expect(() => runKernel(splitKernel, [iota([5]), i64([2, 2])], { outputs: 2 })).toThrow(/sums to 4, but the axis has 5 elements/);
    expect(() => runKernel(splitKernel, [iota([5]), i64([5])], { outputs: 2 })).toThrow(/has 1 parts but the node has 2 outputs/);
    expect(() => parseAttributes(splitKernel, { num_outputs: 0 }, 18)).toThrow(/"num_outputs" must be at least 1/);
  });
});
