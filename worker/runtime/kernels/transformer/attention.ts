/**
 * Attention (ai.onnx opset 23/24): scaled dot-product attention over heads, with grouped-query
 * heads (each K/V head serves q_num_heads / kv_num_heads consecutive query heads), a KV cache
 * (past_key/past_value in, present_key/present_value out), boolean or additive masks, causal
 * masking, softcap and the optional qk_matmul_output. Per (batch, query head):
 *
 *   S = scale * Q K^T                      gemm (float32) with K read transposed in place
 *   S = softcap * tanh(S / softcap)        if softcap > 0, before the mask so -inf stays -inf
 *   S += mask, causal and padding bias     see attention-bias.ts
 *   P = softmax(S) along keys              in double; a row with every key masked is NaN
 *   Y = P V                                gemm (float32)
 */
import { kernel } from '../../kernel';
import { Tensor } from '../../tensor';
import { parseAttentionAttributes, QkOutputMode, type AttentionAttributes } from './attention-attributes';
import { addBias, attentionBias } from './attention-bias';
import { attentionLayout, type AttentionLayout, type HeadStrides } from './attention-layout';
import { wantsOutput, workBuffer } from '../common/work-buffers';
import { gemmFloats } from '../linalg/gemm';
import { expectSameFloat, floatInput, optionalFloatInput } from '../common/inputs';
import type { FloatTensor, Floats } from '../common/tensor-types';

const INPUT = { Q: 0, K: 1, V: 2, mask: 3, pastKey: 4, pastValue: 5, nonpad: 6 } as const;
const OUTPUT = { Y: 0, presentKey: 1, presentValue: 2, qk: 3 } as const;

export const attentionKernel = kernel<AttentionAttributes>({
  op: 'Attention',
  attributes: (r) => parseAttentionAttributes(r),
  run(inputs, attrs, ctx) {
    const q = floatInput(inputs, INPUT.Q, 'Q', ctx);
    const k = floatInput(inputs, INPUT.K, 'K', ctx);
    const v = floatInput(inputs, INPUT.V, 'V', ctx);
    const pastKey = optionalFloatInput(inputs, INPUT.pastKey, 'past_key', ctx);
    const pastValue = optionalFloatInput(inputs, INPUT.pastValue, 'past_value', ctx);
    for (const [t, name] of [[k, 'K'], [v, 'V'], [pastKey, 'past_key'], [pastValue, 'past_value']] as const) {
      if (t) expectSameFloat(t, q, name, 'Q', ctx);
    }
    const L = attentionLayout(q, k, v, pastKey, pastValue, attrs, ctx);
    const bias = attentionBias(L, inputs[INPUT.mask], inputs[INPUT.nonpad], attrs.isCausal, q.dtype, ctx);
    const dtype = q.dtype;

    const yShape = L.rank === 4 ? [L.batch, L.qHeads, L.qSeq, L.vHeadSize] : [L.batch, L.qSeq, L.qHeads * L.vHeadSize];
    const y = ctx.output(OUTPUT.Y, dtype, yShape) as FloatTensor;
    const presentKeyShape = [L.batch, L.kvHeads, L.totalSeq, L.headSize];
    const presentValueShape = [L.batch, L.kvHeads, L.totalSeq, L.vHeadSize];
    const presentKey = wantsOutput(ctx, OUTPUT.presentKey) ? (ctx.output(OUTPUT.presentKey, dtype, presentKeyShape) as FloatTensor) : undefined;
    const presentValue = wantsOutput(ctx, OUTPUT.presentValue) ? (ctx.output(OUTPUT.presentValue, dtype, presentValueShape) as FloatTensor) : undefined;
    const qk = wantsOutput(ctx, OUTPUT.qk) ? (ctx.output(OUTPUT.qk, dtype, [L.batch, L.qHeads, L.qSeq, L.totalSeq]) as FloatTensor) : undefined;

    // One working buffer, split: a gathered Q head, the scores, a Y head, and the concatenated
    // keys/values when they are not outputs themselves.
    const kvKeys = L.batch * L.kvHeads * L.totalSeq * L.headSize;
    const kvValues = L.batch * L.kvHeads * L.totalSeq * L.vHeadSize;
    const sizes = [L.qSeq * L.headSize, L.qSeq * L.totalSeq, L.qSeq * L.vHeadSize, presentKey ? 0 : kvKeys, presentValue ? 0 : kvValues];
    const work = workBuffer(ctx, dtype, sizes.reduce((a, b) => a + b, 0));
    const parts: Floats[] = [];
    for (let i = 0, at = 0; i < sizes.length; at += sizes[i], i++) parts.push(work.subarray(at, at + sizes[i]));
    const [qHead, scores, yHead] = parts;
    const keys = presentKey ? presentKey.data : parts[3];
    const values = presentValue ? presentValue.data : parts[4];
    concatCache(keys, pastKey?.data, k.data, L, L.k, L.headSize);
    concatCache(values, pastValue?.data, v.data, L, L.v, L.vHeadSize);

    const scale = attrs.scale ?? 1 / Math.sqrt(L.headSize);
    const groups = L.qHeads / L.kvHeads;
    const { qSeq, totalSeq, headSize: hs, vHeadSize: vhs } = L;
    for (let b = 0; b < L.batch; b++) {
      for (let h = 0; h < L.qHeads; h++) {
        const g = Math.floor(h / groups);
        const kvHead = b * L.kvHeads + g;
        // Q for this head as qSeq x hs rows: in place for 4-D, gathered for 3-D.
        const qBase = b * L.q.batch + h * L.q.head;
        let qData: Floats = q.data;
        let qOffset = qBase;
        if (L.rank === 3) {
          for (let s = 0; s < qSeq; s++) qHead.set(q.data.subarray(qBase + s * L.q.row, qBase + s * L.q.row + hs), s * hs);
          qData = qHead;
          qOffset = 0;
        }
        gemmFloats(qSeq, totalSeq, hs, qData, qOffset, keys, kvHead * totalSeq * hs, scores, 0, true, scale);
        const qkBase = ((b * L.qHeads + h) * qSeq) * totalSeq;
        for (let i = 0; i < qSeq; i++) {
          const r = i * totalSeq;
          const keep = (mode: QkOutputMode): void => {
            if (qk && attrs.qkOutputMode === mode) qk.data.set(scores.subarray(r, r + totalSeq), qkBase + r);
          };
          keep(QkOutputMode.Product);
          if (attrs.softcap > 0) softcap(scores, r, totalSeq, attrs.softcap);
          keep(QkOutputMode.Softcapped);
          addBias(bias, scores, r, totalSeq, b, h, i);
          keep(QkOutputMode.Biased);
          softmaxRow(scores, r, totalSeq);
          keep(QkOutputMode.Softmax);
        }
        const vOffset = kvHead * totalSeq * vhs;
        if (L.rank === 4) {
          productOrZeros(qSeq, vhs, totalSeq, scores, values, vOffset, y.data, ((b * L.qHeads + h) * qSeq) * vhs);
        } else {
          productOrZeros(qSeq, vhs, totalSeq, scores, values, vOffset, yHead, 0);
          const rowStride = L.qHeads * vhs;
          for (let s = 0; s < qSeq; s++) y.data.set(yHead.subarray(s * vhs, (s + 1) * vhs), b * qSeq * rowStride + s * rowStride + h * vhs);
        }
      }
    }
    return [y, presentKey ?? EMPTY[dtype], presentValue ?? EMPTY[dtype], ...(qk ? [qk] : [])];
  },
});

/** Writes [batch, kv_heads, past + seq, size]: each head's past rows, then its new rows. */
function concatCache(dst: Floats, past: Floats | undefined, cur: Floats, L: AttentionLayout, src: HeadStrides, size: number): void {
  const { pastSeq, kvSeq, totalSeq } = L;
  for (let b = 0; b < L.batch; b++) {
    for (let g = 0; g < L.kvHeads; g++) {
      const head = b * L.kvHeads + g;
      const at = head * totalSeq * size;
      if (past && pastSeq > 0) dst.set(past.subarray(head * pastSeq * size, (head + 1) * pastSeq * size), at);
      const from = b * src.batch + g * src.head;
      if (src.row === size) dst.set(cur.subarray(from, from + kvSeq * size), at + pastSeq * size);
      else for (let s = 0; s < kvSeq; s++) dst.set(cur.subarray(from + s * src.row, from + s * src.row + size), at + (pastSeq + s) * size);
    }
  }
}

function softcap(row: Floats, offset: number, n: number, cap: number): void {
  for (let j = offset; j < offset + n; j++) row[j] = cap * Math.tanh(row[j] / cap);
}

function softmaxRow(row: Floats, offset: number, n: number): void {
  const end = offset + n;
  let max = -Infinity;
  for (let j = offset; j < end; j++) if (row[j] > max) max = row[j];
  if (max === -Infinity) {
    row.fill(NaN, offset, end); // every key masked: 0/0, as the reference computes it
    return;
  }
  let sum = 0;
  for (let j = offset; j < end; j++) {
    const e = Math.exp(row[j] - max);
    row[j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = offset; j < end; j++) row[j] *= inv;
}

/** P V, or zeros when there are no keys at all. */
function productOrZeros(m: number, n: number, k: number, p: Floats, v: Floats, vOffset: number, out: Floats, outOffset: number): void {
  if (k === 0) out.fill(0, outOffset, outOffset + m * n);
  else gemmFloats(m, n, k, p, 0, v, vOffset, out, outOffset, false);
}

/** The placeholder in the slot of an omitted optional output (empty, so safe to share). */
const EMPTY = { float32: new Tensor('float32', [0], new Float32Array(0)), float64: new Tensor('float64', [0], new Float64Array(0)) };
