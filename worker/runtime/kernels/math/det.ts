/**
 * Det: determinants of the square matrices in the last two dimensions ([..., M, M] -> [...]),
 * by LU decomposition with partial pivoting in double precision.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sizeOf } from '../../tensor';
import { FLOATS } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';

export const detKernel = kernel({
  op: 'Det',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    expectDType(ctx, x, FLOATS, 'input X');
    if (x.rank < 2 || x.shape[x.rank - 1] !== x.shape[x.rank - 2]) {
      kernelFail(ctx, `input must be square matrices [..., M, M], got ${shapeText(x.shape)}`);
    }
    const m = x.shape[x.rank - 1];
    const batchShape = x.shape.slice(0, -2);
    const out = ctx.output(0, x.dtype, batchShape);
    const src = x.data as Float32Array | Float64Array;
    const lu = new Float64Array(m * m);
    for (let b = 0, n = sizeOf(batchShape); b < n; b++) {
      lu.set(src.subarray(b * m * m, (b + 1) * m * m));
      out.data[b] = determinant(lu, m);
    }
    return out;
  },
});

/** Determinant of the m x m matrix in `a` (destroyed). */
function determinant(a: Float64Array, m: number): number {
  let det = 1;
  for (let k = 0; k < m; k++) {
    let pivot = k;
    for (let r = k + 1; r < m; r++) if (Math.abs(a[r * m + k]) > Math.abs(a[pivot * m + k])) pivot = r;
    const p = a[pivot * m + k];
    if (p === 0) return 0;
    if (pivot !== k) {
      for (let c = 0; c < m; c++) {
        const t = a[k * m + c];
        a[k * m + c] = a[pivot * m + c];
        a[pivot * m + c] = t;
      }
      det = -det;
    }
    det *= p;
    for (let r = k + 1; r < m; r++) {
      const f = a[r * m + k] / p;
      if (f === 0) continue;
      for (let c = k + 1; c < m; c++) a[r * m + c] -= f * a[k * m + c];
    }
  }
  return det;
}
