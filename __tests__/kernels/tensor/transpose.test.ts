import fc from 'fast-check';
import { ModelError } from '../../../worker/runtime/errors';
import { transposeKernel } from '../../../worker/runtime/kernels/tensor/transpose';
import { stridesOf } from '../../../worker/runtime/tensor';
import { iota, parseAttributes, runKernel, t, vals } from './harness';

/** Element-by-element reference: out[i0..] = in[i_perm...]. */
function naiveTranspose(data: readonly (number | string)[], shape: readonly number[], perm: readonly number[]): (number | string)[] {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = stridesOf(shape);
  const size = data.length;
  const out: (number | string)[] = [];
  for (let i = 0; i < size; i++) {
    let rem = i;
    let src = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      const c = rem % outShape[d];
      rem = Math.floor(rem / outShape[d]);
      src += c * inStrides[perm[d]];
    }
    out.push(data[src]);
  }
  return out;
}

describe('Transpose', () => {
  it('reverses the axes by default (2-D matrix transpose)', () => {
    const [y] = runKernel(transposeKernel, [iota([2, 3])]);
    expect(y.shape).toEqual([3, 2]);
    expect(vals(y)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('converts NCHW to NHWC and back', () => {
    const x = iota([2, 3, 4, 5]);
    const [nhwc] = runKernel(transposeKernel, [x], { attributes: { perm: [0, 2, 3, 1] } });
    expect(nhwc.shape).toEqual([2, 4, 5, 3]);
    expect(vals(nhwc)).toEqual(naiveTranspose(vals(x), x.shape, [0, 2, 3, 1]));
    const [back] = runKernel(transposeKernel, [nhwc], { attributes: { perm: [0, 3, 1, 2] } });
    expect(vals(back)).toEqual(vals(x));
  });

  it('handles a large tiled matrix', () => {
    const x = iota([70, 45]);
    const [y] = runKernel(transposeKernel, [x]);
    expect(vals(y)).toEqual(naiveTranspose(vals(x), x.shape, [1, 0]));
  });

  it('moves int64, bool and string data', () => {
    const [a] = runKernel(transposeKernel, [t('int64', [2, 2], [1n, 2n, 3n, 4n])]);
    expect(a.data).toEqual(new BigInt64Array([1n, 3n, 2n, 4n]));
    const [s] = runKernel(transposeKernel, [t('string', [1, 2, 3], ['a', 'b', 'c', 'd', 'e', 'f'])], { attributes: { perm: [2, 0, 1] } });
    expect(s.shape).toEqual([3, 1, 2]);
    expect(vals(s)).toEqual(['a', 'd', 'b', 'e', 'c', 'f']);
  });

  it('rejects a perm that is not a permutation, or of the wrong rank', () => {
    expect(() => parseAttributes(transposeKernel, { perm: [0, 0] })).toThrow(ModelError);
    expect(() => parseAttributes(transposeKernel, { perm: [0, 0] })).toThrow(/not a permutation of 0..1/);
    expect(() => runKernel(transposeKernel, [iota([2, 3, 4])], { attributes: { perm: [1, 0] } })).toThrow(/has 2 axes but the input \[2, 3, 4\] has rank 3/);
  });

  it('matches the naive reference, and the inverse permutation restores the input (property)', () => {
    const shapeAndPerm = fc
      .array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 5 })
      .chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length, maxLength: shape.length })));
    fc.assert(
      fc.property(shapeAndPerm, ([shape, perm]) => {
        const x = iota(shape);
        const [y] = runKernel(transposeKernel, [x], { attributes: { perm } });
        expect(vals(y)).toEqual(naiveTranspose(vals(x), shape, perm));
        const inverse = perm.map((_, i) => perm.indexOf(i));
        const [z] = runKernel(transposeKernel, [y], { attributes: { perm: inverse } });
        expect(z.shape).toEqual(shape);
        expect(vals(z)).toEqual(vals(x));
      }),
    );
  });

  it.each([
    ['head split', [2, 6, 3, 4], [0, 2, 1, 3]],
    ['key split (rows of a head read out of the hidden dimension)', [2, 6, 3, 4], [0, 2, 3, 1]],
    ['head merge', [2, 3, 6, 4], [0, 2, 1, 3]],
  ])('the attention %s matches the naive reference for float32 and int64', (_label, shape, perm) => {
    for (const dtype of ['float32', 'int64'] as const) {
      const x = iota(shape, dtype);
      const [y] = runKernel(transposeKernel, [x], { attributes: { perm } });
      expect(y.shape).toEqual(perm.map((p) => shape[p]));
      expect(vals(y)).toEqual(naiveTranspose(vals(x), shape, perm));
    }
  });
});
