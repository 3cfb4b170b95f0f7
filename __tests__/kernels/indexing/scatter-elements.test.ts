import { scatterElementsKernel, scatterKernel } from '../../../worker/runtime/kernels/indexing/scatter-elements';
import { f32, i32, i64, iota, run1, values } from '../kernel-harness';

/** ScatterElements written as the spec's nested loops for 2-D data. */
function naive2D(data: number[], shape: [number, number], idx: number[], idxShape: [number, number], upd: number[], axis: number, combine: (a: number, b: number) => number): number[] {
  const out = data.slice();
  for (let i = 0; i < idxShape[0]; i++) {
    for (let j = 0; j < idxShape[1]; j++) {
      const p = i * idxShape[1] + j;
      let r = idx[p];
      r = r < 0 ? r + shape[axis] : r;
      const at = axis === 0 ? r * shape[1] + j : i * shape[1] + r;
      out[at] = combine(out[at], upd[p]);
    }
  }
  return out;
}

describe('ScatterElements', () => {
  it('scatters along axis 0 and 1 with negative indices, like the spec loops', () => {
    const data = iota([3, 3]);
    const idx = [1, 0, 2, 0, 2, -2];
    const upd = [10, 11, 12, 13, 14, 15];
    for (const axis of [0, 1]) {
      const y = run1(scatterElementsKernel, [data, i64([2, 3], idx), f32([2, 3], upd)], { attributes: { axis } });
      expect(values(y)).toEqual(naive2D(values(data) as number[], [3, 3], idx, [2, 3], upd, axis, (_, b) => b));
    }
  });

  it.each([
    ['add', (a: number, b: number) => a + b],
    ['mul', (a: number, b: number) => a * b],
    ['max', (a: number, b: number) => Math.max(a, b)],
    ['min', (a: number, b: number) => Math.min(a, b)],
  ] as const)('reduction %s merges duplicates', (reduction, combine) => {
    const data = f32([1, 5], [1, 2, 3, 4, 5]);
    const idx = [1, 1, 3];
    const upd = [1.5, 7, -2];
    const y = run1(scatterElementsKernel, [data, i64([1, 3], idx), f32([1, 3], upd)], { attributes: { axis: 1, reduction }, opset: 18 });
    expect(values(y)).toEqual(naive2D([1, 2, 3, 4, 5], [1, 5], idx, [1, 3], upd, 1, combine));
  });

  it('Scatter (opset 9-10) is ScatterElements without reduction', () => {
    const y = run1(scatterKernel, [i32([1, 3], [0, 0, 0]), i32([1, 2], [2, 0]), i32([1, 2], [5, 6])], { attributes: { axis: 1 }, opset: 10 });
    expect(values(y)).toEqual([6, 0, 5]);
  });

  it('names the bad index and its range', () => {
    expect(() => run1(scatterElementsKernel, [iota([2, 2]), i64([1, 2], [0, 2]), f32([1, 2], [0, 0])], { attributes: { axis: 1 } })).toThrow(
      /indices\[0, 1\] = 2 is out of range for an axis of 2 elements \(expected -2..1\)/,
    );
    expect(() => run1(scatterElementsKernel, [iota([2, 2]), i64([2], [0, 0]), f32([2], [0, 0])])).toThrow(/must have the same rank as data/);
    expect(() => run1(scatterElementsKernel, [iota([2, 2]), i64([1, 2], [0, 0]), f32([2, 1], [0, 0])])).toThrow(/must have the shape of indices/);
    expect(() => run1(scatterElementsKernel, [iota([2, 2]), i64([1, 3], [0, 0, 0]), f32([1, 3], [0, 0, 0])])).toThrow(/exceed data \[2, 2\] along axis 1/);
  });
});
