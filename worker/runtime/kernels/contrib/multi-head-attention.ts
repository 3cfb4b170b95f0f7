/**
 * MultiHeadAttention (com.microsoft): attention over separate query [B, S, D], key [B, L, D] and
 * value [B, L, Dv] (already projected), with an optional bias [D + D + Dv] added to them, a key
 * padding mask, attention_bias, and a KV cache: past_key / past_value [B, N, P, H] in,
 * present_key / present_value [B, N, P + L, H] out. Key and value may also come split into heads,
 * [B, N, L, H] (a cross-attention cache). Packed QKV / KV (CUDA-only in onnxruntime) are not supported.
 */
import { kernel, kernelFail, required, type PlanInput } from '../../kernel';
import { Tensor } from '../../tensor';
import { readHeadAttributes, type ContribAttentionAttributes } from './attention';
import { checkAttentionBias, fillMask, maskForm, MaskForm, type MaskGeometry } from './attention-mask';
import { InnerAttention } from './scaled-dot-product';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';

const INPUT = { query: 0, key: 1, value: 2, bias: 3, keyPaddingMask: 4, attentionBias: 5, pastKey: 6, pastValue: 7 } as const;

type MhaAttributes = Omit<ContribAttentionAttributes, 'qkvHiddenSizes'>;

interface MhaPlan {
  readonly widths: readonly [number, number, number];
  /** bias-added copies of query, key and value (only with a bias) */
  readonly biased: readonly [Tensor<'float32'>, Tensor<'float32'>, Tensor<'float32'>] | undefined;
  /** 4-D key and value with their heads merged back into [B, L, N * H] */
  readonly merged: readonly [Tensor<'float32'>, Tensor<'float32'>] | undefined;
  readonly geometry: MaskGeometry;
  readonly maskForm: MaskForm;
  readonly mask: Tensor<'float32'> | undefined;
  readonly maskHeads: number;
  readonly inner: InnerAttention;
}

export const multiHeadAttentionKernel = kernel<MhaAttributes, MhaPlan>({
  op: 'MultiHeadAttention',
  domain: MICROSOFT_DOMAIN,
  attributes: (r) => readHeadAttributes(r),
  plan(inputs, attrs, ctx) {
    const q = required(inputs, INPUT.query, ctx);
    const k = inputs[INPUT.key];
    const v = inputs[INPUT.value];
    if (!k || !v || q.shape.length !== 3 || k.shape.length !== v.shape.length || (k.shape.length !== 3 && k.shape.length !== 4)) {
      kernelFail(ctx, `query must be 3-D [batch, seq, hidden] and key / value both 3-D [batch, kv_seq, hidden] or both 4-D [batch, num_heads, kv_seq, head_size]; packed QKV / KV are not supported (got query ${shapeText(q.shape)}${k ? `, key ${shapeText(k.shape)}` : ', no key'}${v ? `, value ${shapeText(v.shape)}` : ', no value'})`);
    }
    for (const [t, name] of [[q, 'query'], [k, 'key'], [v, 'value']] as const) if (t.dtype !== 'float32') kernelFail(ctx, `${name} must be float32, got ${t.dtype}`);
    for (const i of [8, 9]) if (inputs[i]) kernelFail(ctx, `input ${i} (past_sequence_length / cache_indirection, beam search) is not supported`);
    const heads = attrs.numHeads;
    const [batch, seq, dq] = q.shape;
    const headed = k.shape.length === 4;
    if (headed) {
      if (k.shape[1] !== heads || v.shape[1] !== heads) kernelFail(ctx, `4-D key ${shapeText(k.shape)} and value ${shapeText(v.shape)} must have num_heads = ${heads} heads on axis 1`);
      if (inputs[INPUT.bias] || inputs[INPUT.pastKey] || (ctx.node.outputs[1] ?? '') !== '' || (ctx.node.outputs[2] ?? '') !== '') {
        kernelFail(ctx, '4-D (already split) key and value take no bias, past or present');
      }
    }
    const kvSeq = headed ? k.shape[2] : k.shape[1];
    const dk = headed ? heads * k.shape[3] : k.shape[2];
    const dv = headed ? heads * v.shape[3] : v.shape[2];
    if (dq !== dk || dq % heads !== 0 || dv % heads !== 0) {
      kernelFail(ctx, `query and key hidden sizes must be equal and, with value's, multiples of num_heads = ${heads}; got query ${shapeText(q.shape)}, key ${shapeText(k.shape)}, value ${shapeText(v.shape)}`);
    }
    if (k.shape[0] !== batch || v.shape[0] !== batch || (headed ? v.shape[2] : v.shape[1]) !== kvSeq) {
      kernelFail(ctx, `key and value must have query's batch and one kv_seq; got query ${shapeText(q.shape)}, key ${shapeText(k.shape)}, value ${shapeText(v.shape)}`);
    }
    const past = pastLength(inputs[INPUT.pastKey], inputs[INPUT.pastValue], ctx);
    const bias = inputs[INPUT.bias];
    if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== dq + dk + dv)) {
      kernelFail(ctx, `bias must be float32 [${dq + dk + dv}] (query, key and value widths), got ${bias.dtype} ${shapeText(bias.shape)}`);
    }
    const geometry: MaskGeometry = { batch, heads, seq, total: past + kvSeq, past };
    const form = maskForm(inputs[INPUT.keyPaddingMask], geometry, 'key_padding_mask', ctx);
    const maskHeads = checkAttentionBias(inputs[INPUT.attentionBias], geometry, ctx);
    const masked = form !== MaskForm.None || maskHeads > 1 || attrs.unidirectional;
    const copy = (t: PlanInput): Tensor<'float32'> => new Tensor('float32', t.shape, new Float32Array(t.shape[0] * t.shape[1] * t.shape[2]));
    const plan: MhaPlan = {
      widths: [dq, dk, dv],
      biased: bias ? [copy(q), copy(k), copy(v)] : undefined,
      merged: headed ? [merged(batch, kvSeq, dk), merged(batch, kvSeq, dv)] : undefined,
      geometry,
      maskForm: form,
      mask: masked ? new Tensor('float32', [batch, maskHeads, seq, geometry.total], new Float32Array(batch * maskHeads * seq * geometry.total)) : undefined,
      maskHeads,
      inner: new InnerAttention(ctx.node, heads, attrs.scale, 3),
    };
    plan.inner.inputs[3] = plan.mask;
    return plan;
  },
  run(inputs, attrs, ctx, plan) {
    const inner = plan.inner;
    const bias = inputs[INPUT.bias] as Tensor<'float32'> | undefined;
    for (let i = 0; i < 3; i++) {
      const t = inputs[i] as Tensor<'float32'>;
      const copy = plan.biased?.[i];
      if (copy && bias) {
        const offset = i === 0 ? 0 : i === 1 ? plan.widths[0] : plan.widths[0] + plan.widths[1];
        addRowBias(t.data, bias.data, offset, plan.widths[i], copy.data);
        inner.inputs[i] = copy;
      } else {
        inner.inputs[i] = t;
      }
    }
    if (plan.merged) {
      for (let i = 1; i < 3; i++) {
        mergeHeads(inputs[i] as Tensor<'float32'>, plan.merged[i - 1]);
        inner.inputs[i] = plan.merged[i - 1];
      }
    }
    inner.inputs[4] = inputs[INPUT.pastKey];
    inner.inputs[5] = inputs[INPUT.pastValue];
    if (plan.mask) {
      fillMask(plan.mask.data, plan.maskHeads, plan.geometry, plan.maskForm, inputs[INPUT.keyPaddingMask], inputs[INPUT.attentionBias], attrs.unidirectional, attrs.maskFilterValue);
    }
    return inner.run(ctx);
  },
});

/** The past length from past_key / past_value (0 without a cache); the inner Attention checks their shapes. */
function pastLength(pastKey: PlanInput | undefined, pastValue: PlanInput | undefined, ctx: Parameters<typeof kernelFail>[0]): number {
  if (!pastKey && !pastValue) return 0;
  if (!pastKey || !pastValue) kernelFail(ctx, 'past_key and past_value must be given together');
  if (pastKey.shape.length !== 4) kernelFail(ctx, `past_key must be 4-D [batch, num_heads, past_seq, head_size], got ${shapeText(pastKey.shape)}`);
  return pastKey.shape[2];
}

function merged(batch: number, seq: number, width: number): Tensor<'float32'> {
  return new Tensor('float32', [batch, seq, width], new Float32Array(batch * seq * width));
}

/** [B, N, L, H] -> [B, L, N * H]. */
function mergeHeads(src: Tensor<'float32'>, dst: Tensor<'float32'>): void {
  const [batch, heads, seq, size] = src.shape;
  const s = src.data;
  const d = dst.data;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < seq; t++) {
        const from = ((b * heads + h) * seq + t) * size;
        d.set(s.subarray(from, from + size), (b * seq + t) * heads * size + h * size);
      }
    }
  }
}

/** dst[r, j] = src[r, j] + bias[offset + j] for rows of `width` values. */
function addRowBias(src: Float32Array, bias: Float32Array, offset: number, width: number, dst: Float32Array): void {
  for (let i = 0, j = 0; i < src.length; i++) {
    dst[i] = src[i] + bias[offset + j];
    if (++j === width) j = 0;
  }
}
