/**
 * The additive mask of com.microsoft Attention and MultiHeadAttention, as onnxruntime builds it:
 * masked keys get mask_filter_value (-10000 by default, not -inf, so a row with every key masked
 * becomes uniform rather than NaN), and attention_bias ([B or 1, N, S, T]) is added on top.
 *
 * mask_index / key_padding_mask (int32) takes these forms:
 *   [B]        key lengths: keys j >= len[b] are masked
 *   [2B]       end positions then start positions: keys j >= end[b] or j < start[b] are masked
 *   [B, T]     raw mask over the keys: 0 masks
 *   [B, S, T]  raw mask per query
 * unidirectional masks keys j > past + i for query i.
 */
import { kernelFail, type PlanContext, type PlanInput } from '../../kernel';
import type { Tensor } from '../../tensor';
import { shapeText } from '../common/shape-text';

export interface MaskGeometry {
  readonly batch: number;
  readonly heads: number;
  readonly seq: number;
  /** key positions: past + new */
  readonly total: number;
  readonly past: number;
}

export enum MaskForm {
  None,
  KeyLengths,
  KeyRanges,
  Keys2D,
  Keys3D,
}

/** Which form the mask input has, checked against the geometry (plan time). */
export function maskForm(mask: PlanInput | undefined, g: MaskGeometry, name: string, ctx: Pick<PlanContext, 'node'>): MaskForm {
  if (!mask) return MaskForm.None;
  if (mask.dtype !== 'int32') kernelFail(ctx, `${name} must be int32, got ${mask.dtype}`);
  const s = mask.shape;
  if (s.length === 1 && s[0] === g.batch) return MaskForm.KeyLengths;
  if (s.length === 1 && s[0] === 2 * g.batch) return MaskForm.KeyRanges;
  if (s.length === 2 && s[0] === g.batch && s[1] === g.total) return MaskForm.Keys2D;
  if (s.length === 3 && s[0] === g.batch && s[1] === g.seq && s[2] === g.total) return MaskForm.Keys3D;
  kernelFail(
    ctx,
    `${name} ${shapeText(s)} is not one of the supported forms: [batch] key lengths, [2 * batch] end and start positions, ` +
      `[batch, total_seq] or [batch, seq, total_seq] with batch ${g.batch}, seq ${g.seq}, total_seq ${g.total}`,
  );
}

/** Heads of the mask tensor: N when attention_bias is given (it varies per head), else 1. */
export function checkAttentionBias(bias: PlanInput | undefined, g: MaskGeometry, ctx: Pick<PlanContext, 'node'>): number {
  if (!bias) return 1;
  const s = bias.shape;
  if (bias.dtype !== 'float32' || s.length !== 4 || (s[0] !== 1 && s[0] !== g.batch) || s[1] !== g.heads || s[2] !== g.seq || s[3] !== g.total) {
    kernelFail(ctx, `attention_bias must be float32 [batch or 1, num_heads, seq, total_seq] = [${g.batch} or 1, ${g.heads}, ${g.seq}, ${g.total}], got ${bias.dtype} ${shapeText(s)}`);
  }
  return g.heads;
}

/** Writes the additive mask, shape [B, heads, S, T] (`heads` is 1 or N), into `dst`. */
export function fillMask(
  dst: Float32Array,
  heads: number,
  g: MaskGeometry,
  form: MaskForm,
  mask: Tensor | undefined,
  bias: Tensor | undefined,
  causal: boolean,
  filter: number,
): void {
  const { batch, seq, total, past } = g;
  const md = mask?.data as Int32Array | undefined;
  for (let b = 0; b < batch; b++) {
    let start = 0;
    let end = total;
    if (form === MaskForm.KeyLengths || form === MaskForm.KeyRanges) end = Math.max(0, Math.min(total, md![b]));
    if (form === MaskForm.KeyRanges) start = Math.max(0, Math.min(total, md![batch + b]));
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < seq; i++) {
        const row = ((b * heads + h) * seq + i) * total;
        for (let j = 0; j < total; j++) {
          let keep = j >= start && j < end;
          if (form === MaskForm.Keys2D) keep = md![b * total + j] !== 0;
          else if (form === MaskForm.Keys3D) keep = md![(b * seq + i) * total + j] !== 0;
          if (causal && j > past + i) keep = false;
          dst[row + j] = keep ? 0 : filter;
        }
        if (bias) {
          const from = (((bias.shape[0] === 1 ? 0 : b) * heads + h) * seq + i) * total;
          const bd = bias.data as Float32Array;
          for (let j = 0; j < total; j++) dst[row + j] += bd[from + j];
        }
      }
    }
  }
}
