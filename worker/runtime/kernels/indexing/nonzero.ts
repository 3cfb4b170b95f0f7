/**
 * NonZero: the coordinates of the non-zero elements, as int64 [rank, count] in row-major order
 * (numpy.nonzero stacked). The count depends on the values, so it is found first and the output
 * is allocated after. A scalar is treated as a 1-element vector ([1, 0 or 1]), as onnxruntime does.
 * Strings count as non-zero unless empty.
 */
import { kernel, required } from '../../kernel';

export const nonZeroKernel = kernel({
  op: 'NonZero',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const src = x.data as ArrayLike<unknown>;
    const n = src.length;
    let count = 0;
    // 0, 0n, '' and false are falsy; NaN is non-zero in ONNX (numpy), so test it explicitly
    for (let i = 0; i < n; i++) if (src[i] || src[i] !== src[i]) count++;
    const shape = x.rank === 0 ? [1] : x.shape;
    const rank = shape.length;
    const out = ctx.output(0, 'int64', [rank, count]);
    const d = out.data;
    const pos = new Array<number>(rank).fill(0);
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (src[i] || src[i] !== src[i]) {
        for (let k = 0; k < rank; k++) d[k * count + j] = BigInt(pos[k]);
        j++;
      }
      for (let k = rank - 1; k >= 0; k--) {
        if (++pos[k] < shape[k]) break;
        pos[k] = 0;
      }
    }
    return out;
  },
});
