/**
 * The dimensions of one Attention call, read from Q, K, V and the optional KV cache, with every
 * shape checked. 3-D inputs are [batch, seq, heads * head_size] (heads from the attributes);
 * 4-D inputs are [batch, heads, seq, head_size]. Both are read in place through strides.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { AttentionAttributes } from './attention-attributes';
import { shapeText } from '../common/shape-text';
import type { FloatTensor } from '../common/tensor-types';

/** Element offset of row `s` of head `h` in batch entry `b`: b*batch + h*head + s*row. */
export interface HeadStrides {
  readonly batch: number;
  readonly head: number;
  readonly row: number;
}

export interface AttentionLayout {
  readonly rank: 3 | 4;
  readonly batch: number;
  readonly qHeads: number;
  readonly kvHeads: number;
  readonly qSeq: number;
  readonly kvSeq: number;
  /** rows of past_key / past_value (0 without a cache) */
  readonly pastSeq: number;
  /** pastSeq + kvSeq: the key positions every query sees */
  readonly totalSeq: number;
  readonly headSize: number;
  readonly vHeadSize: number;
  readonly q: HeadStrides;
  readonly k: HeadStrides;
  readonly v: HeadStrides;
}

type Ctx = Pick<KernelContext, 'node'>;

export function attentionLayout(
  q: FloatTensor,
  k: FloatTensor,
  v: FloatTensor,
  pastKey: FloatTensor | undefined,
  pastValue: FloatTensor | undefined,
  attrs: AttentionAttributes,
  ctx: Ctx,
): AttentionLayout {
  if (q.rank !== 3 && q.rank !== 4) kernelFail(ctx, `Q must be 3-D [batch, seq, hidden] or 4-D [batch, heads, seq, head_size], got ${shapeText(q.shape)}`);
  if (k.rank !== q.rank || v.rank !== q.rank) {
    kernelFail(ctx, `Q, K and V must have the same rank; got Q ${shapeText(q.shape)}, K ${shapeText(k.shape)}, V ${shapeText(v.shape)}`);
  }
  const batch = q.shape[0];
  if (k.shape[0] !== batch || v.shape[0] !== batch) {
    kernelFail(ctx, `Q, K and V must share the batch dimension; got Q ${shapeText(q.shape)}, K ${shapeText(k.shape)}, V ${shapeText(v.shape)}`);
  }
  const dims = q.rank === 3 ? split3d(q, k, v, attrs, ctx) : read4d(q, k, v, attrs, ctx);
  const { qHeads, kvHeads, qSeq, kvSeq, headSize, vHeadSize } = dims;
  if (qHeads % kvHeads !== 0) {
    kernelFail(ctx, `q_num_heads (${qHeads}) must be a multiple of kv_num_heads (${kvHeads}) for grouped-query attention`);
  }
  if (k.shape[q.rank - 2] !== v.shape[q.rank - 2] && q.rank === 4) {
    kernelFail(ctx, `K and V must have the same sequence length; got K ${shapeText(k.shape)}, V ${shapeText(v.shape)}`);
  }
  if ((pastKey === undefined) !== (pastValue === undefined)) kernelFail(ctx, 'past_key and past_value must be given together');
  let pastSeq = 0;
  if (pastKey && pastValue) {
    pastSeq = pastKey.shape[2];
    const wantK = [batch, kvHeads, pastSeq, headSize];
    const wantV = [batch, kvHeads, pastSeq, vHeadSize];
    if (pastKey.rank !== 4 || pastKey.shape.some((d, i) => d !== wantK[i])) {
      kernelFail(ctx, `past_key must have shape [batch, kv_num_heads, past_seq, head_size] = ${shapeText(wantK)}, got ${shapeText(pastKey.shape)}`);
    }
    if (pastValue.rank !== 4 || pastValue.shape.some((d, i) => d !== wantV[i])) {
      kernelFail(ctx, `past_value must have shape [batch, kv_num_heads, past_seq, v_head_size] = ${shapeText(wantV)}, got ${shapeText(pastValue.shape)}`);
    }
  }
  const strides = (heads: number, seq: number, size: number): HeadStrides =>
    q.rank === 3 ? { batch: seq * heads * size, head: size, row: heads * size } : { batch: heads * seq * size, head: seq * size, row: size };
  return {
    rank: q.rank,
    batch,
    ...dims,
    pastSeq,
    totalSeq: pastSeq + kvSeq,
    q: strides(qHeads, qSeq, headSize),
    k: strides(kvHeads, kvSeq, headSize),
    v: strides(kvHeads, kvSeq, vHeadSize),
  };
}

interface HeadDims {
  readonly qHeads: number;
  readonly kvHeads: number;
  readonly qSeq: number;
  readonly kvSeq: number;
  readonly headSize: number;
  readonly vHeadSize: number;
}

function split3d(q: FloatTensor, k: FloatTensor, v: FloatTensor, attrs: AttentionAttributes, ctx: Ctx): HeadDims {
  const { qNumHeads: qHeads, kvNumHeads: kvHeads } = attrs;
  if (qHeads === undefined || kvHeads === undefined) {
    kernelFail(ctx, 'with 3-D inputs the attributes q_num_heads and kv_num_heads are required to split the hidden dimension into heads');
  }
  const per = (t: FloatTensor, heads: number, name: string, attr: string): number => {
    if (t.shape[2] % heads !== 0) kernelFail(ctx, `${name}'s hidden size ${t.shape[2]} (shape ${shapeText(t.shape)}) is not divisible by ${attr} = ${heads}`);
    return t.shape[2] / heads;
  };
  const headSize = per(q, qHeads, 'Q', 'q_num_heads');
  const kHeadSize = per(k, kvHeads, 'K', 'kv_num_heads');
  if (kHeadSize !== headSize) kernelFail(ctx, `Q's head size ${headSize} differs from K's ${kHeadSize}; Q and K heads must have one size`);
  if (k.shape[1] !== v.shape[1]) kernelFail(ctx, `K and V must have the same sequence length; got K ${shapeText(k.shape)}, V ${shapeText(v.shape)}`);
  return { qHeads, kvHeads, qSeq: q.shape[1], kvSeq: k.shape[1], headSize, vHeadSize: per(v, kvHeads, 'V', 'kv_num_heads') };
}

function read4d(q: FloatTensor, k: FloatTensor, v: FloatTensor, attrs: AttentionAttributes, ctx: Ctx): HeadDims {
  const [, qHeads, qSeq, headSize] = q.shape;
  const [, kvHeads, kvSeq, kHeadSize] = k.shape;
  if (v.shape[1] !== kvHeads) kernelFail(ctx, `K and V must have the same number of heads; got K ${shapeText(k.shape)}, V ${shapeText(v.shape)}`);
  if (kHeadSize !== headSize) kernelFail(ctx, `Q's head size ${headSize} differs from K's ${kHeadSize}; got Q ${shapeText(q.shape)}, K ${shapeText(k.shape)}`);
  if (attrs.qNumHeads !== undefined && attrs.qNumHeads !== qHeads) {
    kernelFail(ctx, `q_num_heads is ${attrs.qNumHeads} but Q ${shapeText(q.shape)} has ${qHeads} heads`);
  }
  if (attrs.kvNumHeads !== undefined && attrs.kvNumHeads !== kvHeads) {
    kernelFail(ctx, `kv_num_heads is ${attrs.kvNumHeads} but K ${shapeText(k.shape)} has ${kvHeads} heads`);
  }
  return { qHeads, kvHeads, qSeq, kvSeq, headSize, vHeadSize: v.shape[3] };
}
