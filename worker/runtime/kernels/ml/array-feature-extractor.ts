/**
 * ai.onnx.ml ArrayFeatureExtractor: selects columns (last axis) of X by the int64 indices in Y.
 * Output shape is X's with the last axis replaced by the number of indices; a 1-D X gives [1, k].
 */
import { kernel, kernelFail, required } from '../../kernel';

export const arrayFeatureExtractorKernel = kernel({
  op: 'ArrayFeatureExtractor',
  domain: 'ai.onnx.ml',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const y = required(inputs, 1, ctx);
    if (y.dtype !== 'int64') kernelFail(ctx, `indices must be int64, got ${y.dtype}`);
    if (x.rank === 0) kernelFail(ctx, 'input must have at least one dimension');
    const stride = x.shape[x.rank - 1];
    const k = y.size;
    if (k === 0) kernelFail(ctx, 'no indices given');
    const indices = y.data as BigInt64Array;
    for (let i = 0; i < k; i++) {
      const v = indices[i];
      if (v < 0n || v >= BigInt(stride)) kernelFail(ctx, `index ${v} is out of range: the last axis has ${stride} entries`);
    }
    const shape = x.rank === 1 ? [1, k] : [...x.shape.slice(0, -1), k];
    const out = ctx.output(0, x.dtype, shape);
    const src = x.data as unknown as ArrayLike<unknown>;
    const dst = out.data as unknown as { [i: number]: unknown };
    const rows = x.size / stride;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) dst[r * k + i] = src[r * stride + Number(indices[i])];
    }
    return out;
  },
});
