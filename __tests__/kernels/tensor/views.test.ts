import fc from 'fast-check';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import {
  dropoutKernel,
  flattenKernel,
  identityKernel,
  reshapeKernel,
  squeezeKernel,
  unsqueezeKernel,
} from '../../../worker/runtime/kernels/tensor/reshape';
import { sizeOf } from '../../../worker/runtime/tensor';
import { i64, iota, parseAttributes, runKernel, t, vals } from './harness';

describe('Reshape', () => {
  it('returns a view of the input data (no copy)', () => {
    const x = iota([2, 3, 4]);
    const [y] = runKernel(reshapeKernel, [x, i64([4, -1])]);
    expect(y.shape).toEqual([4, 6]);
    expect(y.data).toBe(x.data);
  });

  it('copies dimensions given as 0 and infers -1', () => {
    const [y] = runKernel(reshapeKernel, [iota([2, 3, 4]), i64([0, -1])]);
    expect(y.shape).toEqual([2, 12]);
  });

  it('keeps a literal 0 with allowzero=1', () => {
    const [y] = runKernel(reshapeKernel, [iota([0, 3, 4]), i64([3, 4, 0])], { attributes: { allowzero: 1 } });
    expect(y.shape).toEqual([3, 4, 0]);
  });

  it('reads the shape attribute in opset < 5', () => {
    const [y] = runKernel(reshapeKernel, [iota([6])], { opset: 1, attributes: { shape: [2, 3] } });
    expect(y.shape).toEqual([2, 3]);
  });

  it('works on int64 and string tensors', () => {
    const [a] = runKernel(reshapeKernel, [t('int64', [4], [1n, 2n, 3n, 4n]), i64([2, 2])]);
    expect(a.data).toEqual(new BigInt64Array([1n, 2n, 3n, 4n]));
    const [b] = runKernel(reshapeKernel, [t('string', [2], ['a', 'b']), i64([2, 1])]);
    expect(b.shape).toEqual([2, 1]);
    expect(vals(b)).toEqual(['a', 'b']);
  });

  it('explains a size mismatch', () => {
    expect(() => runKernel(reshapeKernel, [iota([2, 3]), i64([4, 2])])).toThrow(KernelError);
    expect(() => runKernel(reshapeKernel, [iota([2, 3]), i64([4, 2])])).toThrow(/cannot reshape input \[2, 3\] \(6 elements\) to \[4, 2\]/);
    expect(() => runKernel(reshapeKernel, [iota([2, 3]), i64([-1, -1])])).toThrow(/more than one -1/);
    expect(() => runKernel(reshapeKernel, [iota([2, 3]), i64([4, -1])])).toThrow(/-1 cannot be inferred/);
    expect(() => runKernel(reshapeKernel, [iota([2, 3]), i64([1, 1, 0])])).toThrow(/copies dimension 2/);
  });

  it('preserves the element count for any valid target (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.nat(), (shape, pick) => {
        const x = iota(shape);
        const inferAt = pick % shape.length;
        const target = shape.map((d, i) => (i === inferAt ? -1 : d)).reverse();
        const [y] = runKernel(reshapeKernel, [x, i64(target)]);
        expect(sizeOf(y.shape)).toBe(sizeOf(shape));
        expect(y.shape).toEqual(shape.slice().reverse());
      }),
    );
  });
});

describe('Flatten', () => {
  it.each([
    [0, [1, 24]],
    [1, [2, 12]],
    [3, [24, 1]],
    [-1, [6, 4]],
  ])('axis %d', (axis, shape) => {
    const [y] = runKernel(flattenKernel, [iota([2, 3, 4])], { attributes: { axis } });
    expect(y.shape).toEqual(shape);
  });

  it('rejects an axis beyond the rank', () => {
    expect(() => runKernel(flattenKernel, [iota([2, 3])], { attributes: { axis: 3 } })).toThrow(/axis 3 is out of range for rank 2/);
  });
});

describe('Squeeze / Unsqueeze', () => {
  it('squeezes listed axes (input in opset 13+, attribute before)', () => {
    expect(runKernel(squeezeKernel, [iota([1, 3, 1, 2]), i64([0, -2])])[0].shape).toEqual([3, 2]);
    expect(runKernel(squeezeKernel, [iota([1, 3, 1, 2])], { opset: 11, attributes: { axes: [2] } })[0].shape).toEqual([1, 3, 2]);
  });

  it('squeezes every size-1 axis when no axes are given', () => {
    expect(runKernel(squeezeKernel, [iota([1, 3, 1, 2])])[0].shape).toEqual([3, 2]);
  });

  it('refuses to squeeze an axis whose size is not 1', () => {
    expect(() => runKernel(squeezeKernel, [iota([1, 3]), i64([1])])).toThrow(/cannot squeeze axis 1 of shape \[1, 3\]: its size is 3/);
  });

  it('unsqueezes at positions of the output, in any order', () => {
    const x = iota([3, 4]);
    expect(runKernel(unsqueezeKernel, [x, i64([0, 3])])[0].shape).toEqual([1, 3, 4, 1]);
    expect(runKernel(unsqueezeKernel, [x, i64([-1, 0])])[0].shape).toEqual([1, 3, 4, 1]);
    expect(runKernel(unsqueezeKernel, [x], { opset: 11, attributes: { axes: [1] } })[0].shape).toEqual([3, 1, 4]);
  });

  it('rejects repeated and out-of-range axes', () => {
    expect(() => runKernel(unsqueezeKernel, [iota([3]), i64([0, 0])])).toThrow(/repeat an axis/);
    expect(() => runKernel(unsqueezeKernel, [iota([3]), i64([5])])).toThrow(/axis 5 is out of range for a tensor of rank 2/);
    expect(() => runKernel(unsqueezeKernel, [iota([3])])).toThrow(/axes are required/);
  });

  it('Squeeze undoes Unsqueeze (property)', () => {
    fc.assert(
      fc.property(
        // output layout: a number is an input dimension, null an inserted axis
        fc.array(fc.option(fc.integer({ min: 2, max: 4 }), { nil: null }), { minLength: 1, maxLength: 6 }).filter((l) => l.includes(null)),
        fc.boolean(),
        (layout, negative) => {
          const shape = layout.filter((d): d is number => d !== null);
          const axes = layout.flatMap((d, i) => (d === null ? [negative ? i - layout.length : i] : [])).reverse();
          const x = iota(shape);
          const [u] = runKernel(unsqueezeKernel, [x, i64(axes)]);
          expect(u.rank).toBe(shape.length + axes.length);
          expect(u.shape).toEqual(layout.map((d) => d ?? 1));
          const [s] = runKernel(squeezeKernel, [u, i64(axes)]);
          expect(s.shape).toEqual(shape);
          expect(s.data).toBe(x.data);
        },
      ),
    );
  });
});

describe('Identity / Dropout', () => {
  it('Identity shares the data', () => {
    const x = iota([2, 2]);
    expect(runKernel(identityKernel, [x])[0].data).toBe(x.data);
  });

  it('Dropout is the identity at inference with an all-true mask', () => {
    const x = iota([2, 3]);
    const [y, mask] = runKernel(dropoutKernel, [x, t('float32', [], [0.3])], { outputs: 2, opset: 22 });
    expect(y.data).toBe(x.data);
    expect(mask.dtype).toBe('bool');
    expect(vals(mask)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('Dropout accepts training_mode with ratio 0 and refuses random dropout', () => {
    const x = iota([2]);
    const on = t('bool', [], [1]);
    expect(runKernel(dropoutKernel, [x, t('float32', [], [0]), on], { opset: 22 })[0].data).toBe(x.data);
    expect(() => runKernel(dropoutKernel, [x, t('float32', [], [0.5]), on], { opset: 22 })).toThrow(/training_mode is true with ratio 0.5/);
  });

  it('Dropout before opset 10 gives a mask of the input type', () => {
    const [, mask] = runKernel(dropoutKernel, [iota([2])], { outputs: 2, opset: 7 });
    expect(mask.dtype).toBe('float32');
    expect(vals(mask)).toEqual([1, 1]);
  });

  it('parses attributes per opset', () => {
    expect(parseAttributes(dropoutKernel, { ratio: 0.2 }, 7)).toEqual({ ratio: 0.2, opset: 7 });
    expect(() => parseAttributes(reshapeKernel, {}, 4)).toThrow(ModelError);
  });
});
