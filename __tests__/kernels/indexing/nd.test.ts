import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { gatherNDKernel, scatterNDKernel } from '../../../worker/runtime/kernels/indexing/nd';
import { f32, i32, i64, iota, parseKernelAttributes, run1, tensor, values } from '../kernel-harness';

/** numpy-style GatherND, written the obvious way over nested index tuples. */
function naiveGatherND(data: number[], dataShape: number[], idx: number[], idxShape: number[], batchDims: number): number[] {
  const k = idxShape[idxShape.length - 1];
  const strides = dataShape.map((_, i) => dataShape.slice(i + 1).reduce((a, b) => a * b, 1));
  const tuples = idx.length / k;
  const perBatch = tuples / dataShape.slice(0, batchDims).reduce((a, b) => a * b, 1);
  const inner = dataShape.slice(batchDims + k).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let t = 0; t < tuples; t++) {
    let base = batchDims ? Math.floor(t / perBatch) * strides[batchDims - 1] : 0;
    for (let j = 0; j < k; j++) {
      const raw = idx[t * k + j];
      const dim = dataShape[batchDims + j];
      base += (raw < 0 ? raw + dim : raw) * strides[batchDims + j];
    }
    for (let i = 0; i < inner; i++) out.push(data[base + i]);
  }
  return out;
}

describe('GatherND', () => {
  it('picks elements and slices (the spec examples)', () => {
    const data = i32([2, 2], [0, 1, 2, 3]);
    expect(values(run1(gatherNDKernel, [data, i64([2, 2], [0, 0, 1, 1])]))).toEqual([0, 3]);
    const rows = run1(gatherNDKernel, [data, i64([2, 1], [1, 0])]);
    expect(rows.shape).toEqual([2, 2]);
    expect(values(rows)).toEqual([2, 3, 0, 1]);
    const d3 = i32([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    const y = run1(gatherNDKernel, [d3, i64([2, 1, 2], [0, 1, 1, 0])]);
    expect(y.shape).toEqual([2, 1, 2]);
    expect(values(y)).toEqual([2, 3, 4, 5]);
  });

  it('honours batch_dims and negative indices like a naive reference', () => {
    const data = iota([2, 3, 4]);
    const idx = [1, -1, 0, 2, -3, 3, 2, 0];
    const y = run1(gatherNDKernel, [data, i64([2, 2, 2], idx)], { attributes: { batch_dims: 1 } });
    expect(y.shape).toEqual([2, 2]);
    expect(values(y)).toEqual(naiveGatherND(values(data) as number[], [2, 3, 4], idx, [2, 2, 2], 1));
    const z = run1(gatherNDKernel, [data, i64([3, 1], [1, 0, -1])]);
    expect(z.shape).toEqual([3, 3, 4]);
    expect(values(z)).toEqual(naiveGatherND(values(data) as number[], [2, 3, 4], [1, 0, -1], [3, 1], 0));
  });

  it('gathers strings', () => {
    expect(values(run1(gatherNDKernel, [tensor('string', [2, 2], ['a', 'b', 'c', 'd']), i64([1, 2], [1, 0])]))).toEqual(['c']);
  });

  it('names the bad index and its range', () => {
    expect(() => run1(gatherNDKernel, [iota([2, 3]), i64([2, 2], [0, 0, 1, 3])])).toThrow(
      /indices\[1, 1\] \(coordinate 1, data axis 1\) = 3 is out of range for an axis of 3 elements \(expected -3..2\)/,
    );
    expect(() => run1(gatherNDKernel, [iota([2, 3]), i64([1, 3], [0, 0, 0])])).toThrow(/last dimension of indices \[1, 3\] is 3; expected 1..2/);
    expect(() => run1(gatherNDKernel, [iota([2, 3]), i64([3, 1], [0, 0, 0])], { attributes: { batch_dims: 1 } })).toThrow(/batch axis 0 differs/);
    expect(() => run1(gatherNDKernel, [iota([2]), f32([1], [0])])).toThrow(KernelError);
    expect(() => parseKernelAttributes(gatherNDKernel, { batch_dims: -1 })).toThrow(ModelError);
  });
});

describe('ScatterND', () => {
  const data = () => f32([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);

  it('writes slices at the indexed positions and leaves the input untouched', () => {
    const x = data();
    const y = run1(scatterNDKernel, [x, i64([2, 1], [3, -4]), f32([2, 2], [10, 11, 12, 13])]);
    expect(values(y)).toEqual([12, 13, 3, 4, 5, 6, 10, 11]);
    expect(values(x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const e = run1(scatterNDKernel, [x, i64([1, 2], [2, 1]), f32([1], [-1])]);
    expect(values(e)).toEqual([1, 2, 3, 4, 5, -1, 7, 8]);
  });

  it.each([
    ['add', [1 + 10 + 20, 2 + 11 + 21]],
    ['mul', [1 * 10 * 20, 2 * 11 * 21]],
    ['max', [20, 21]],
    ['min', [1, 2]],
  ])('merges duplicate indices with reduction %s', (reduction, first) => {
    const y = run1(scatterNDKernel, [data(), i64([2, 1], [0, 0]), f32([2, 2], [10, 11, 20, 21])], { attributes: { reduction }, opset: 18 });
    expect(values(y)).toEqual([...first, 3, 4, 5, 6, 7, 8]);
  });

  it('reduces int64 data as bigints', () => {
    const y = run1(scatterNDKernel, [i64([3], [1, 2, 3]), i64([2, 1], [2, 2]), i64([2], [5, 6])], { attributes: { reduction: 'add' }, opset: 16 });
    expect(y.data).toEqual(new BigInt64Array([1n, 2n, 14n]));
  });

  it('rejects mismatched updates, bad indices and reductions its opset lacks', () => {
    expect(() => run1(scatterNDKernel, [data(), i64([1, 1], [0]), f32([3], [1, 2, 3])])).toThrow(/updates has shape \[3\]; expected \[1, 2\]/);
    expect(() => run1(scatterNDKernel, [data(), i64([1, 1], [4]), f32([1, 2], [1, 2])])).toThrow(/indices\[0, 0\] \(coordinate 0, data axis 0\) = 4 is out of range for an axis of 4 elements \(expected -4..3\)/);
    expect(() => run1(scatterNDKernel, [data(), i64([1, 1], [0]), i64([1, 2], [1, 2])])).toThrow(/updates has dtype int64; it must match data \(float32\)/);
    expect(() => parseKernelAttributes(scatterNDKernel, { reduction: 'max' }, 16)).toThrow(/reduction.*supported: none, add, mul/);
    expect(() => run1(scatterNDKernel, [tensor('string', [1], ['a']), i64([1, 1], [0]), tensor('string', [1], ['b'])], { attributes: { reduction: 'add' } })).toThrow(
      /string data supports only reduction "none"/,
    );
  });
});

