import { cumProdKernel } from '../../../worker/runtime/kernels/indexing/cumsum';
import { f64, i32, i64, run1, values } from '../kernel-harness';

/** Naive running product of a rows x cols matrix along `axis`. */
function naiveCumProd2D(x: number[], rows: number, cols: number, axis: number, exclusive: boolean, reverse: boolean): number[] {
  const out = new Array<number>(x.length);
  const [lines, len] = axis === 0 ? [cols, rows] : [rows, cols];
  const at = (line: number, k: number) => (axis === 0 ? k * cols + line : line * cols + k);
  for (let line = 0; line < lines; line++) {
    let acc = 1;
    for (let j = 0; j < len; j++) {
      const k = reverse ? len - 1 - j : j;
      if (exclusive) {
        out[at(line, k)] = acc;
        acc *= x[at(line, k)];
      } else {
        acc *= x[at(line, k)];
        out[at(line, k)] = acc;
      }
    }
  }
  return out;
}

describe('CumProd', () => {
  const x = f64([3, 4], [1, 2, 3, 4, 0.5, -1, 2, 3, 1.5, 2, -2, 0.25]);
  it.each([
    [0, false, false],
    [1, true, false],
    [-1, false, true],
    [0, true, true],
  ])('axis %i, exclusive %s, reverse %s', (axis, exclusive, reverse) => {
    const y = run1(cumProdKernel, [x, i64([], [axis])], { attributes: { exclusive: Number(exclusive), reverse: Number(reverse) } });
    expect(values(y)).toEqual(naiveCumProd2D(values(x) as number[], 3, 4, axis < 0 ? axis + 2 : axis, exclusive, reverse));
  });

  it('integers: exclusive starts at 1 (1n for int64) and int32 products wrap like C', () => {
    expect(values(run1(cumProdKernel, [i32([4], [1, 2, 3, 4]), i32([], [0])], { attributes: { exclusive: 1 } }))).toEqual([1, 1, 2, 6]);
    expect(run1(cumProdKernel, [i64([3], [2, 3, 4]), i64([], [0])], { attributes: { exclusive: 1 } }).data).toEqual(new BigInt64Array([1n, 2n, 6n]));
    // 123456789 * 987654321 exceeds 2^53, so a double product would already have lost the low bits
    const wrapped = Number((123456789n * 987654321n) & 0xffffffffn) | 0;
    expect(values(run1(cumProdKernel, [i32([2], [123456789, 987654321]), i32([], [0])]))).toEqual([123456789, wrapped]);
  });
});
