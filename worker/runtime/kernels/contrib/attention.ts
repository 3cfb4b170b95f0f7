/**
 * Attention (com.microsoft), the fused self-attention of onnxruntime's transformer optimizer:
 *   QKV = input [B, S, D_in] x weights [D_in, Dq + Dk + Dv] + bias
 *   Y   = softmax(scale Q K^T + mask) V  per head, [B, S, Dv]
 * qkv_hidden_sizes splits QKV when the three widths differ (else thirds). The mask (see
 * attention-mask.ts) comes from mask_index, attention_bias and unidirectional. With a KV cache,
 * past [2, B, N, P, H] holds the earlier keys and values and present [2, B, N, P + S, H] returns
 * them with this call's appended (the shared-buffer mode, past_sequence_length, is not supported).
 */
import { kernel, kernelFail, outputsAsList, required, type AttributeReader } from '../../kernel';
import { Tensor } from '../../tensor';
import { gemm, GemmCallOptions, packedWeightsFor, type PackedWeights } from '../linalg/gemm';
import { checkAttentionBias, fillMask, maskForm, MaskForm, type MaskGeometry } from './attention-mask';
import { InnerAttention, StackHalves } from './scaled-dot-product';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';

const INPUT = { input: 0, weights: 1, bias: 2, maskIndex: 3, past: 4, attentionBias: 5, pastSequenceLength: 6 } as const;

export interface ContribAttentionAttributes {
  readonly numHeads: number;
  readonly qkvHiddenSizes: readonly number[] | undefined;
  readonly unidirectional: boolean;
  readonly scale: number | undefined;
  readonly maskFilterValue: number;
}

/** The attributes MultiHeadAttention shares with Attention. */
export function readHeadAttributes(r: AttributeReader): Omit<ContribAttentionAttributes, 'qkvHiddenSizes'> {
  const numHeads = r.int('num_heads');
  if (numHeads < 1) r.fail(`attribute "num_heads" must be >= 1, got ${numHeads}`);
  const unidirectional = r.int('unidirectional', 0);
  if (unidirectional !== 0 && unidirectional !== 1) r.fail(`attribute "unidirectional" must be 0 or 1, got ${unidirectional}`);
  const scale = r.has('scale') ? r.float('scale') : undefined;
  if (scale !== undefined && !(Number.isFinite(scale) && scale !== 0)) r.fail(`attribute "scale" must be a finite non-zero number, got ${scale}`);
  return { numHeads, unidirectional: unidirectional === 1, scale: scale || undefined, maskFilterValue: r.float('mask_filter_value', -10000) };
}

interface AttentionPlan {
  readonly rows: number;
  readonly widths: readonly [number, number, number];
  /** input x weights (+ bias), [B * S, Dq + Dk + Dv] */
  readonly qkv: Float32Array;
  readonly q: Tensor<'float32'>;
  readonly k: Tensor<'float32'>;
  readonly v: Tensor<'float32'>;
  readonly geometry: MaskGeometry;
  readonly maskForm: MaskForm;
  readonly mask: Tensor<'float32'> | undefined;
  readonly maskHeads: number;
  readonly weights: PackedWeights | null;
  readonly inner: InnerAttention;
  /** the key and value halves of the past input */
  readonly past: StackHalves;
}

const GEMM_OPTIONS = new GemmCallOptions();

export const attentionKernel = kernel<ContribAttentionAttributes, AttentionPlan>({
  op: 'Attention',
  domain: MICROSOFT_DOMAIN,
  attributes(r) {
    for (const name of ['do_rotary', 'past_present_share_buffer']) {
      if (r.int(name, 0) !== 0) r.fail(`attribute "${name}" is not supported; export the model without onnxruntime's transformer optimizer (or with MultiHeadAttention) instead`);
    }
    const sizes = r.has('qkv_hidden_sizes') ? r.ints('qkv_hidden_sizes') : undefined;
    if (sizes && (sizes.length !== 3 || sizes.some((s) => s < 1) || sizes[0] !== sizes[1])) {
      r.fail(`attribute "qkv_hidden_sizes" must be three positive widths [q, k, v] with q = k, got [${sizes.join(', ')}]`);
    }
    return { ...readHeadAttributes(r), qkvHiddenSizes: sizes };
  },
  plan(inputs, attrs, ctx, previous) {
    const x = required(inputs, INPUT.input, ctx);
    const w = required(inputs, INPUT.weights, ctx);
    if (x.dtype !== 'float32' || w.dtype !== 'float32') kernelFail(ctx, `input and weights must be float32, got ${x.dtype} and ${w.dtype}`);
    if (inputs[INPUT.pastSequenceLength]) {
      kernelFail(ctx, 'past_sequence_length (past_present_share_buffer) is not supported; export the decoder with separate past and present');
    }
    if (x.shape.length !== 3) kernelFail(ctx, `input must be 3-D [batch, seq, input_hidden], got ${shapeText(x.shape)}`);
    const [batch, seq, inHidden] = x.shape;
    const total = w.shape[1];
    if (w.shape.length !== 2 || w.shape[0] !== inHidden) kernelFail(ctx, `weights must be [input_hidden, Dq + Dk + Dv] with input_hidden ${inHidden}, got ${shapeText(w.shape)}`);
    const sizes = attrs.qkvHiddenSizes ?? [total / 3, total / 3, total / 3];
    if (sizes[0] + sizes[1] + sizes[2] !== total || !Number.isInteger(sizes[0])) {
      kernelFail(ctx, `weights have ${total} columns, which ${attrs.qkvHiddenSizes ? `is not the sum of qkv_hidden_sizes [${sizes.join(', ')}]` : 'is not three equal parts (set qkv_hidden_sizes)'}`);
    }
    const heads = attrs.numHeads;
    if (sizes[0] % heads !== 0 || sizes[2] % heads !== 0) kernelFail(ctx, `hidden sizes [${sizes.join(', ')}] must be multiples of num_heads = ${heads}`);
    const bias = inputs[INPUT.bias];
    if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== total)) {
      kernelFail(ctx, `bias must be float32 [${total}] (one value per column of weights), got ${bias.dtype} ${shapeText(bias.shape)}`);
    }
    const past = inputs[INPUT.past];
    const pastSeq = past ? past.shape[3] : 0;
    if (past) {
      const want = [2, batch, heads, pastSeq, sizes[0] / heads];
      if (past.dtype !== 'float32' || past.shape.length !== 5 || past.shape.some((d, i) => d !== want[i]) || sizes[2] !== sizes[0]) {
        kernelFail(ctx, `past must be float32 [2, batch, num_heads, past_seq, head_size] = [${want.join(', ')}] with equal Q, K and V widths, got ${past.dtype} ${shapeText(past.shape)}`);
      }
    }
    const geometry: MaskGeometry = { batch, heads, seq, total: pastSeq + seq, past: pastSeq };
    const form = maskForm(inputs[INPUT.maskIndex], geometry, 'mask_index', ctx);
    const maskHeads = checkAttentionBias(inputs[INPUT.attentionBias], geometry, ctx);
    const masked = form !== MaskForm.None || maskHeads > 1 || attrs.unidirectional;
    const rows = batch * seq;
    const part = (width: number): Tensor<'float32'> => new Tensor('float32', [batch, seq, width], new Float32Array(rows * width));
    const wantsPresent = (ctx.node.outputs[1] ?? '') !== '';
    const inner = new InnerAttention(ctx.node, heads, attrs.scale, 1, wantsPresent);
    const plan: AttentionPlan = {
      rows,
      widths: [sizes[0], sizes[1], sizes[2]],
      qkv: new Float32Array(rows * total),
      q: part(sizes[0]),
      k: part(sizes[1]),
      v: part(sizes[2]),
      geometry,
      maskForm: form,
      mask: masked ? new Tensor('float32', [batch, maskHeads, seq, geometry.total], new Float32Array(batch * maskHeads * seq * geometry.total)) : undefined,
      maskHeads,
      weights: packedWeightsFor(w, previous?.weights),
      inner,
      past: new StackHalves(),
    };
    inner.inputs[0] = plan.q;
    inner.inputs[1] = plan.k;
    inner.inputs[2] = plan.v;
    inner.inputs[3] = plan.mask;
    return plan;
  },
  run(inputs, attrs, ctx, plan) {
    const x = inputs[INPUT.input] as Tensor<'float32'>;
    const w = inputs[INPUT.weights] as Tensor<'float32'>;
    const bias = inputs[INPUT.bias] as Tensor<'float32'> | undefined;
    const [dq, dk, dv] = plan.widths;
    const total = dq + dk + dv;
    const options = GEMM_OPTIONS.reset();
    options.bias = bias ? bias.data : null;
    options.weights = plan.weights;
    gemm(plan.rows, total, x.shape[2], x.data, 0, w.data, 0, plan.qkv, 0, options);
    const qkv = plan.qkv;
    const q = plan.q.data;
    const k = plan.k.data;
    const v = plan.v.data;
    for (let r = 0; r < plan.rows; r++) {
      const at = r * total;
      q.set(qkv.subarray(at, at + dq), r * dq);
      k.set(qkv.subarray(at + dq, at + dq + dk), r * dk);
      v.set(qkv.subarray(at + dq + dk, at + total), r * dv);
    }
    if (plan.mask) {
      fillMask(plan.mask.data, plan.maskHeads, plan.geometry, plan.maskForm, inputs[INPUT.maskIndex], inputs[INPUT.attentionBias], attrs.unidirectional, attrs.maskFilterValue);
    }
    const past = inputs[INPUT.past];
    const inner = plan.inner;
    if (past) {
      const [pastKey, pastValue] = plan.past.of(past);
      inner.inputs[4] = pastKey;
      inner.inputs[5] = pastValue;
    } else {
      inner.inputs[4] = undefined;
      inner.inputs[5] = undefined;
    }
    const y = outputsAsList(inner.run(ctx))[0];
    const present = inner.stackedPresentOutput();
    return present ? ctx.results(y, present) : y;
  },
});
