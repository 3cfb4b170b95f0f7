/** @jest-environment ./__tests__/support/ort-environment.js */
/** Attention and MultiHeadAttention (com.microsoft) against onnxruntime-node. */
import { Tensor } from '../../../worker/runtime/tensor';
import { attentionKernel } from '../../../worker/runtime/kernels/contrib/attention';
import { multiHeadAttentionKernel } from '../../../worker/runtime/kernels/contrib/multi-head-attention';
import { attr, node, type AttrSpec } from '../../support/onnx-builder';
import { runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

const B = 2;
const S = 6;
const D = 16;
const heads = 4;
const x = seeded([B, S, D]);
const weights = seeded([D, 3 * D], -0.5, 0.5);
const bias = seeded([3 * D], -0.2, 0.2);
const int32 = (shape: number[], values: number[]): Tensor => Tensor.from('int32', shape, values);

function attention(extra: Record<string, Tensor | undefined>, attributes: Record<string, AttrSpec> = {}, w = weights, b: Tensor | undefined = bias) {
  const names = ['X', 'W', b ? 'bias' : '', extra.mask ? 'mask' : '', '', extra.attnBias ? 'attnBias' : ''];
  while (names[names.length - 1] === '') names.pop();
  const feeds: Record<string, Tensor> = { X: x };
  if (extra.mask) feeds.mask = extra.mask;
  if (extra.attnBias) feeds.attnBias = extra.attnBias;
  return expectMatchesOrt({
    nodes: [node('Attention', names, ['Y'], { num_heads: attr.int(heads), ...attributes }, MS)],
    feeds,
    initializers: b ? { W: w, bias: b } : { W: w },
    outputs: [['Y', 'float32']],
  });
}

describe('com.microsoft Attention matches onnxruntime', () => {
  it('no mask', () => attention({}));
  it('without the bias input', () => attention({}, {}, weights, undefined));
  it('mask_index as key lengths [B]', () => attention({ mask: int32([B], [4, 6]) }));
  it('mask_index as end and start positions [2B]', () => attention({ mask: int32([2 * B], [5, 6, 1, 2]) }));
  it('a raw [B, S] mask, one batch entry fully masked (uniform weights, not NaN)', () => attention({ mask: int32([B, S], [1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]) }));
  it('a raw [B, S, S] mask with a custom mask_filter_value', () =>
    attention({ mask: Tensor.from('int32', [B, S, S], Array.from({ length: B * S * S }, (_, i) => (i * 7) % 3 === 0 ? 0 : 1)) }, { mask_filter_value: attr.float(-500) }));
  it('unidirectional with a scale', () => attention({}, { unidirectional: attr.int(1), scale: attr.float(0.3) }));
  it('attention_bias [1, N, S, S] with key lengths', () => attention({ mask: int32([B], [5, 3]), attnBias: seeded([1, heads, S, S]) }));
  it('qkv_hidden_sizes with a narrower V', () =>
    attention({}, { qkv_hidden_sizes: attr.ints([D, D, 8]) }, seeded([D, 2 * D + 8], -0.5, 0.5), seeded([2 * D + 8])));

  it.each([
    ['a KV cache: past in, present out, unidirectional, a [B, P + S] mask', true],
    ['present without past', false],
  ])('%s', (_label, withPast) => {
    const P = 3;
    const feeds: Record<string, Tensor> = { X: x };
    if (withPast) {
      feeds.past = seeded([2, B, heads, P, D / heads]);
      feeds.mask = Tensor.from('int32', [B, P + S], Array.from({ length: B * (P + S) }, (_, i) => (i === 1 || i === P + S + 4 ? 0 : 1)));
    }
    return expectMatchesOrt({
      nodes: [node('Attention', ['X', 'W', 'bias', withPast ? 'mask' : '', withPast ? 'past' : ''], ['Y', 'present'], { num_heads: attr.int(heads), unidirectional: attr.int(withPast ? 1 : 0) }, MS)],
      feeds,
      initializers: { W: weights, bias },
      outputs: [['Y', 'float32'], ['present', 'float32']],
    });
  });

  it('names a past of the wrong shape and bad masks', () => {
    expect(() => runKernel(attentionKernel, [x, weights, bias, undefined, seeded([2, B, heads, 1, 3])], { attributes: { num_heads: heads } })).toThrow(/past must be float32 \[2, batch, num_heads, past_seq, head_size\] = \[2, 2, 4, 1, 4\]/);
    expect(() => runKernel(attentionKernel, [x, weights, bias, int32([3], [1, 1, 1])], { attributes: { num_heads: heads } })).toThrow(/mask_index \[3\] is not one of the supported forms/);
  });
});

describe('com.microsoft MultiHeadAttention matches onnxruntime', () => {
  const L = 5;
  const q = seeded([B, S, D]);
  const k = seeded([B, L, D]);
  const v = seeded([B, L, 8]);

  function mha(inputs: Record<string, Tensor>, names: string[], outputs: string[], attributes: Record<string, AttrSpec> = {}) {
    return expectMatchesOrt({
      nodes: [node('MultiHeadAttention', names, outputs, { num_heads: attr.int(heads), ...attributes }, MS)],
      feeds: inputs,
      outputs: outputs.filter((o) => o !== '').map((o) => [o, 'float32'] as const),
    });
  }

  it('cross-attention with a bias', () => mha({ q, k, v, bias: seeded([2 * D + 8]) }, ['q', 'k', 'v', 'bias'], ['Y']));
  it('key padding mask [B, L] and attention_bias [B, N, S, L]', () =>
    mha({ q, k, v, mask: int32([B, L], [1, 1, 1, 0, 0, 1, 0, 1, 1, 1]), ab: seeded([B, heads, S, L]) }, ['q', 'k', 'v', '', 'mask', 'ab'], ['Y']));
  it('key lengths [B] and a scale', () => mha({ q, k, v, mask: int32([B], [2, 5]) }, ['q', 'k', 'v', '', 'mask'], ['Y'], { scale: attr.float(0.5) }));
  it('self-attention with a KV cache: present_key / present_value, unidirectional', () => {
    const kSelf = seeded([B, S, D]);
    const vSelf = seeded([B, S, D]);
    return mha(
      { q, k: kSelf, v: vSelf, pk: seeded([B, heads, 3, 4]), pv: seeded([B, heads, 3, 4]) },
      ['q', 'k', 'v', '', '', '', 'pk', 'pv'],
      ['Y', 'present_key', 'present_value'],
      { unidirectional: attr.int(1) },
    );
  });

  it('key and value already split into heads [B, N, L, H] (a cross-attention cache), with a mask', () =>
    mha({ q, k: seeded([B, heads, L, 4]), v: seeded([B, heads, L, 4]), mask: int32([B], [5, 2]) }, ['q', 'k', 'v', '', 'mask'], ['Y']));

  it('refuses packed QKV (CUDA-only in onnxruntime) by name', () => {
    expect(() => runKernel(multiHeadAttentionKernel, [seeded([B, S, heads, 3, 4])], { attributes: { num_heads: heads } })).toThrow(/packed QKV \/ KV are not supported/);
  });
});
