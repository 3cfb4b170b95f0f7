/**
 * RotaryEmbedding (ai.onnx opset 23): rotates the first rotary_embedding_dim values of every head
 * vector by position-dependent angles. X is [batch, seq, heads * head_size] (num_heads required)
 * or [batch, heads, seq, head_size]. cos/sin caches are [max_position, rotary_dim / 2 or more]
 * indexed by position_ids [batch, seq], or [batch, seq, rotary_dim / 2 or more] without them.
 * Pairs are (x[i], x[i + half]) by default and (x[2i], x[2i + 1]) when interleaved:
 *   x1' = cos * x1 - sin * x2,   x2' = sin * x1 + cos * x2
 * Values past rotary_embedding_dim pass through unchanged.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import { shapeText } from '../common/shape-text';
import { expectSameFloat, floatInput } from '../common/inputs';
import type { FloatTensor } from '../common/tensor-types';

interface RotaryAttributes {
  readonly interleaved: boolean;
  /** 0: the whole head */
  readonly rotaryDim: number;
  /** 0: not given (required for 3-D inputs) */
  readonly numHeads: number;
}

export const rotaryEmbeddingKernel = kernel<RotaryAttributes>({
  op: 'RotaryEmbedding',
  attributes(r) {
    const interleaved = r.int('interleaved', 0);
    if (interleaved !== 0 && interleaved !== 1) r.fail(`attribute "interleaved" must be 0 or 1, got ${interleaved}`);
    const rotaryDim = r.int('rotary_embedding_dim', 0);
    if (rotaryDim < 0 || rotaryDim % 2 !== 0) r.fail(`attribute "rotary_embedding_dim" must be an even number >= 0 (0 = the whole head), got ${rotaryDim}`);
    const numHeads = r.int('num_heads', 0);
    if (numHeads < 0) r.fail(`attribute "num_heads" must be positive, got ${numHeads}`);
    return { interleaved: interleaved === 1, rotaryDim, numHeads };
  },
  run(inputs, attrs, ctx) {
    const x = floatInput(inputs, 0, 'X', ctx);
    const cos = floatInput(inputs, 1, 'cos_cache', ctx);
    const sin = floatInput(inputs, 2, 'sin_cache', ctx);
    expectSameFloat(cos, x, 'cos_cache', 'X', ctx);
    expectSameFloat(sin, x, 'sin_cache', 'X', ctx);
    const positions = inputs[3];
    const g = geometry(x, attrs, ctx);
    const half = g.rotaryDim / 2;
    const rows = cacheRows(cos, sin, positions, g.batch, g.seq, half, ctx);
    const y = ctx.output(0, x.dtype, x.shape) as FloatTensor;
    const src = x.data;
    const dst = y.data;
    if (g.rotaryDim < g.headSize) dst.set(src); // the unrotated tail of every head
    const c = cos.data;
    const s = sin.data;
    const width = cos.shape[cos.rank - 1];
    for (let b = 0; b < g.batch; b++) {
      for (let t = 0; t < g.seq; t++) {
        const cacheAt = rows[b * g.seq + t] * width;
        for (let h = 0; h < g.heads; h++) {
          const at = x.rank === 4 ? ((b * g.heads + h) * g.seq + t) * g.headSize : ((b * g.seq + t) * g.heads + h) * g.headSize;
          for (let i = 0; i < half; i++) {
            const i1 = attrs.interleaved ? at + 2 * i : at + i;
            const i2 = attrs.interleaved ? i1 + 1 : i1 + half;
            const x1 = src[i1];
            const x2 = src[i2];
            const ci = c[cacheAt + i];
            const si = s[cacheAt + i];
            dst[i1] = ci * x1 - si * x2;
            dst[i2] = si * x1 + ci * x2;
          }
        }
      }
    }
    return y;
  },
});

interface Geometry {
  readonly batch: number;
  readonly seq: number;
  readonly heads: number;
  readonly headSize: number;
  readonly rotaryDim: number;
}

function geometry(x: FloatTensor, attrs: RotaryAttributes, ctx: Pick<KernelContext, 'node'>): Geometry {
  let heads: number;
  let seq: number;
  let headSize: number;
  if (x.rank === 4) {
    [, heads, seq, headSize] = x.shape;
    if (attrs.numHeads && attrs.numHeads !== heads) kernelFail(ctx, `num_heads is ${attrs.numHeads} but X ${shapeText(x.shape)} has ${heads} heads`);
  } else if (x.rank === 3) {
    if (!attrs.numHeads) kernelFail(ctx, `X ${shapeText(x.shape)} is 3-D [batch, seq, hidden]; the attribute num_heads is required to split it into heads`);
    heads = attrs.numHeads;
    seq = x.shape[1];
    if (x.shape[2] % heads !== 0) kernelFail(ctx, `X's hidden size ${x.shape[2]} is not divisible by num_heads = ${heads}`);
    headSize = x.shape[2] / heads;
  } else {
    kernelFail(ctx, `X must be 3-D [batch, seq, hidden] or 4-D [batch, heads, seq, head_size], got ${shapeText(x.shape)}`);
  }
  const rotaryDim = attrs.rotaryDim || headSize;
  if (rotaryDim > headSize || rotaryDim % 2 !== 0) {
    kernelFail(ctx, `the rotated part (${rotaryDim} values) must be even and fit the head size ${headSize}`);
  }
  return { batch: x.shape[0], seq, heads, headSize, rotaryDim };
}

/** The cache row for each (batch, position): position_ids[b, t], or b * seq + t without them. */
function cacheRows(cos: FloatTensor, sin: FloatTensor, positions: Tensor | undefined, batch: number, seq: number, half: number, ctx: Pick<KernelContext, 'node'>): Int32Array {
  if (cos.rank !== sin.rank || cos.shape.some((d, i) => d !== sin.shape[i])) {
    kernelFail(ctx, `cos_cache ${shapeText(cos.shape)} and sin_cache ${shapeText(sin.shape)} must have the same shape`);
  }
  const width = cos.shape[cos.rank - 1];
  if (width < half) kernelFail(ctx, `cos_cache/sin_cache rows hold ${width} values but the rotation needs ${half} (rotary dim / 2)`);
  const rows = new Int32Array(batch * seq);
  if (positions) {
    if (cos.rank !== 2) kernelFail(ctx, `with position_ids, cos_cache/sin_cache must be 2-D [max_position, rotary_dim / 2], got ${shapeText(cos.shape)}`);
    if (positions.dtype !== 'int64' && positions.dtype !== 'int32') kernelFail(ctx, `position_ids must be int64, got ${positions.dtype}`);
    if (positions.rank !== 2 || positions.shape[0] !== batch || positions.shape[1] !== seq) {
      kernelFail(ctx, `position_ids must have shape [batch, seq] = [${batch}, ${seq}], got ${shapeText(positions.shape)}`);
    }
    for (let i = 0; i < rows.length; i++) {
      const p = positions.number(i);
      if (!(p >= 0 && p < cos.shape[0])) kernelFail(ctx, `position_ids[${i}] = ${p} is outside the caches' ${cos.shape[0]} positions`);
      rows[i] = p;
    }
  } else {
    if (cos.rank !== 3 || cos.shape[0] !== batch || cos.shape[1] !== seq) {
      kernelFail(ctx, `without position_ids, cos_cache/sin_cache must be [batch, seq, rotary_dim / 2] with batch ${batch} and seq ${seq}, got ${shapeText(cos.shape)}`);
    }
    for (let i = 0; i < rows.length; i++) rows[i] = i;
  }
  return rows;
}
