import fc from 'fast-check';
import { sliceKernel } from '../../../worker/runtime/kernels/tensor/slice';
import { stridesOf } from '../../../worker/runtime/tensor';
import { i64, iota, runKernel, t, vals } from './harness';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** numpy-style reference: python slice semantics per axis, element by element. */
function naiveSlice(data: number[], shape: number[], starts: number[], ends: number[], axes: number[], steps: number[]) {
  const picks = shape.map((d) => Array.from({ length: d }, (_, i) => i));
  axes.forEach((axisRaw, k) => {
    const axis = axisRaw < 0 ? axisRaw + shape.length : axisRaw;
    const d = shape[axis];
    const step = steps[k];
    let s = starts[k] < 0 ? starts[k] + d : starts[k];
    let e = ends[k] < 0 ? ends[k] + d : ends[k];
    const sel: number[] = [];
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
      for (let i = s; i < e; i += step) sel.push(i);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
      for (let i = s; i > e; i += step) sel.push(i);
    }
    picks[axis] = sel;
  });
  const strides = stridesOf(shape);
  let out: number[] = [0];
  picks.forEach((sel, axis) => (out = out.flatMap((base) => sel.map((i) => base + i * strides[axis]))));
  return { shape: picks.map((p) => p.length), values: out.map((o) => data[o]) };
}

describe('Slice', () => {
  it('slices with starts, ends, axes and steps inputs', () => {
    const x = iota([3, 4]);
    const [y] = runKernel(sliceKernel, [x, i64([0, 1]), i64([2, 4]), i64([0, 1]), i64([1, 2])]);
    expect(y.shape).toEqual([2, 2]);
    expect(vals(y)).toEqual([1, 3, 5, 7]);
  });

  it('walks backwards with negative steps and INT64 sentinels', () => {
    const x = iota([5]);
    const [y] = runKernel(sliceKernel, [x, t('int64', [1], [-1n]), t('int64', [1], [INT64_MIN]), i64([0]), i64([-1])]);
    expect(vals(y)).toEqual([4, 3, 2, 1, 0]);
    const [z] = runKernel(sliceKernel, [x, i64([1]), t('int64', [1], [INT64_MAX])]);
    expect(vals(z)).toEqual([1, 2, 3, 4]);
  });

  it('uses the attribute form before opset 10', () => {
    const [y] = runKernel(sliceKernel, [iota([3, 4])], { opset: 9, attributes: { starts: [1], ends: [1000], axes: [0] } });
    expect(y.shape).toEqual([2, 4]);
    expect(vals(y)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('yields an empty tensor for an empty range and slices strings', () => {
    expect(runKernel(sliceKernel, [iota([4]), i64([3]), i64([1])])[0].shape).toEqual([0]);
    const [s] = runKernel(sliceKernel, [t('string', [3], ['a', 'b', 'c']), i64([1]), i64([3])]);
    expect(vals(s)).toEqual(['b', 'c']);
  });

  it('explains bad arguments', () => {
    const x = iota([4]);
    expect(() => runKernel(sliceKernel, [x, i64([0]), i64([2]), i64([0]), i64([0])])).toThrow(/step for axis 0 is 0/);
    expect(() => runKernel(sliceKernel, [x, i64([0]), i64([2, 3])])).toThrow(/starts has 1 values but ends has 2/);
    expect(() => runKernel(sliceKernel, [x, i64([0]), i64([2]), i64([1])])).toThrow(/axis 1 is out of range/);
    expect(() => runKernel(sliceKernel, [x, t('float32', [1], [0]), i64([2])])).toThrow(/starts must be int64 or int32, got float32/);
  });

  it('matches a naive reference (property)', () => {
    const arb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.uniqueArray(fc.integer({ min: 0, max: shape.length - 1 }), { minLength: 1, maxLength: shape.length }).chain((axes) =>
          fc.tuple(
            fc.constant(axes),
            fc.array(fc.integer({ min: -7, max: 7 }), { minLength: axes.length, maxLength: axes.length }),
            fc.array(fc.integer({ min: -7, max: 7 }), { minLength: axes.length, maxLength: axes.length }),
            fc.array(fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0), { minLength: axes.length, maxLength: axes.length }),
            fc.boolean(),
          ),
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, [axes, starts, ends, steps, negativeAxes]]) => {
        const x = iota(shape);
        const givenAxes = negativeAxes ? axes.map((a) => a - shape.length) : axes;
        const [y] = runKernel(sliceKernel, [x, i64(starts), i64(ends), i64(givenAxes), i64(steps)]);
        const expected = naiveSlice(vals(x) as number[], shape, starts, ends, givenAxes, steps);
        expect(y.shape).toEqual(expected.shape);
        expect(vals(y)).toEqual(expected.values);
      }),
    );
  });
});
