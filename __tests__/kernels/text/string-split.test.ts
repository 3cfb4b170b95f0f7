import { stringSplitKernel } from '../../../worker/runtime/kernels/text/string-split';
import { KernelError } from '../../../worker/runtime/errors';
import { runKernel, tensor } from '../kernel-harness';

const split = (values: string[], attributes = {}) => {
  const [y, z] = runKernel(stringSplitKernel, [tensor('string', [values.length], values)], { attributes, outputs: 2 });
  return { shape: y.shape, y: y.data, z: Array.from(z.data as BigInt64Array, Number) };
};

describe('StringSplit', () => {
  it('splits on a delimiter, keeping empty pieces, and pads rows with ""', () => {
    expect(split(['a,,b', 'c'], { delimiter: ',' })).toEqual({ shape: [2, 3], y: ['a', '', 'b', 'c', '', ''], z: [3, 1] });
  });

  it('splits on whitespace runs when the delimiter is absent or empty', () => {
    const want = { shape: [2, 2], y: ['a', 'b', '', ''], z: [2, 0] };
    expect(split([' a \t b\n', '   '])).toEqual(want);
    expect(split([' a \t b\n', '   '], { delimiter: '' })).toEqual(want);
  });

  it('stops after maxsplit splits, as Python does', () => {
    expect(split(['a-b-c'], { delimiter: '-', maxsplit: 1 }).y).toEqual(['a', 'b-c']);
    expect(split(['  a  b c '], { maxsplit: 1 }).y).toEqual(['a', 'b c ']);
  });

  it('gives an empty string one piece with a delimiter, and keeps multi-character delimiters whole', () => {
    expect(split([''], { delimiter: ';' })).toEqual({ shape: [1, 1], y: [''], z: [1] });
    expect(split(['x<>y<>'], { delimiter: '<>' }).y).toEqual(['x', 'y', '']);
  });

  it('handles an empty tensor and rejects non-strings', () => {
    const [y, z] = runKernel(stringSplitKernel, [tensor('string', [0], [])], { outputs: 2 });
    expect(y.shape).toEqual([0, 0]);
    expect(z.shape).toEqual([0]);
    expect(() => runKernel(stringSplitKernel, [tensor('float32', [1], [1])], { outputs: 2 })).toThrow(KernelError);
  });
});
