/**
 * What Attention adds to the scores before the softmax: the attn_mask (boolean: false masks a
 * key; float: added as is), the causal mask and the key padding of nonpad_kv_seqlen, all summed.
 *
 * - attn_mask broadcasts (right-aligned) to [batch, q_heads, q_seq, L] with L <= total_seq;
 *   key positions at or past L are masked (opset 24 lets a mask cover only the leading keys).
 * - Causal masking is bottom-right aligned: query i may see key j iff j <= i + offset, where
 *   offset is the past length with a KV cache, nonpad_kv_seqlen[b] - q_seq with only the padding
 *   lengths, and 0 otherwise.
 * - nonpad_kv_seqlen[b] masks key positions j >= nonpad_kv_seqlen[b].
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { Tensor } from '../../tensor';
import type { AttentionLayout } from './attention-layout';
import { shapeText } from '../common/shape-text';
import type { Floats } from '../common/tensor-types';

interface MaskView {
  readonly data: Floats | Uint8Array;
  readonly bool: boolean;
  /** key positions the mask covers */
  readonly length: number;
  /** element strides for batch, q head and query row (0 where broadcast) */
  readonly batch: number;
  readonly head: number;
  readonly row: number;
}

export interface AttentionBias {
  readonly mask: MaskView | undefined;
  readonly causal: boolean;
  /** per batch entry: the causal offset, and the number of valid keys */
  readonly causalOffset: Int32Array;
  readonly validKeys: Int32Array;
}

type Ctx = Pick<KernelContext, 'node'>;

export function attentionBias(
  layout: AttentionLayout,
  mask: Tensor | undefined,
  nonpad: Tensor | undefined,
  isCausal: boolean,
  qDType: string,
  ctx: Ctx,
): AttentionBias {
  const { batch, qSeq, totalSeq, pastSeq } = layout;
  const validKeys = new Int32Array(batch).fill(totalSeq);
  const causalOffset = new Int32Array(batch).fill(pastSeq);
  if (nonpad) {
    if (nonpad.dtype !== 'int64' && nonpad.dtype !== 'int32') kernelFail(ctx, `nonpad_kv_seqlen must be int64, got ${nonpad.dtype}`);
    if (nonpad.rank !== 1 || nonpad.shape[0] !== batch) kernelFail(ctx, `nonpad_kv_seqlen must have shape [batch] = [${batch}], got ${shapeText(nonpad.shape)}`);
    for (let b = 0; b < batch; b++) {
      const n = nonpad.number(b);
      if (!(n >= 0 && n <= totalSeq)) kernelFail(ctx, `nonpad_kv_seqlen[${b}] = ${n} is outside [0, ${totalSeq}] (the key sequence length)`);
      validKeys[b] = n;
      if (pastSeq === 0) causalOffset[b] = n - qSeq;
    }
  }
  return { mask: mask ? maskView(mask, layout, qDType, ctx) : undefined, causal: isCausal, causalOffset, validKeys };
}

function maskView(mask: Tensor, layout: AttentionLayout, qDType: string, ctx: Ctx): MaskView {
  const bool = mask.dtype === 'bool';
  if (!bool && mask.dtype !== qDType) kernelFail(ctx, `attn_mask must be bool or ${qDType} (the dtype of Q), got ${mask.dtype}`);
  if (mask.rank < 1 || mask.rank > 4) kernelFail(ctx, `attn_mask must have rank 1 to 4, got ${shapeText(mask.shape)}`);
  const length = mask.shape[mask.rank - 1];
  if (length > layout.totalSeq) {
    kernelFail(ctx, `attn_mask's last dimension ${length} exceeds the ${layout.totalSeq} key positions (past + current); shape ${shapeText(mask.shape)}`);
  }
  const target = [layout.batch, layout.qHeads, layout.qSeq];
  const strides = [0, 0, 0];
  let stride = length;
  for (let axis = mask.rank - 2, t = 2; axis >= 0; axis--, t--) {
    const d = mask.shape[axis];
    if (d !== 1 && d !== target[t]) {
      kernelFail(ctx, `attn_mask of shape ${shapeText(mask.shape)} does not broadcast to [batch, q_heads, q_seq, keys] = ${shapeText([...target, layout.totalSeq])}`);
    }
    strides[t] = d === 1 ? 0 : stride;
    stride *= d;
  }
  return { data: mask.data as Floats | Uint8Array, bool, length, batch: strides[0], head: strides[1], row: strides[2] };
}

/** Adds the bias for query row `i` of head `h` in batch entry `b` to `row[offset .. offset + totalSeq)`. */
export function addBias(bias: AttentionBias, row: Floats, offset: number, totalSeq: number, b: number, h: number, i: number): void {
  const { mask } = bias;
  if (mask) {
    const base = b * mask.batch + h * mask.head + i * mask.row;
    const d = mask.data;
    if (mask.bool) {
      for (let j = 0; j < mask.length; j++) if (d[base + j] === 0) row[offset + j] = -Infinity;
    } else {
      for (let j = 0; j < mask.length; j++) row[offset + j] += d[base + j];
    }
    for (let j = mask.length; j < totalSeq; j++) row[offset + j] = -Infinity;
  }
  const limit = bias.causal ? Math.min(bias.validKeys[b], Math.max(0, i + bias.causalOffset[b] + 1)) : bias.validKeys[b];
  for (let j = limit; j < totalSeq; j++) row[offset + j] = -Infinity;
}
