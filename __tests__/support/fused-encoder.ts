/**
 * A MiniLM-class BERT encoder in the shape onnxruntime's transformer optimizer leaves it: the
 * embeddings fused into EmbedLayerNormalization, each layer as Attention (one QKV weight), an
 * output MatMul folded with the residual into SkipLayerNormalization, and the feed-forward block
 * as MatMul + FastGelu (or BiasGelu) + MatMul + SkipLayerNormalization. Seeded weights; int64
 * inputs cast to int32 as the optimizer does.
 */
import { Tensor } from '../../worker/runtime/tensor';
import { quantize4Bit } from './nbits-quantize';
import { attr, buildModel, input, node, output, type NodeSpec } from './onnx-builder';

export interface EncoderSize {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly intermediate: number;
  readonly vocab: number;
  readonly maxPositions: number;
}

export const MINI_ENCODER: EncoderSize = { layers: 2, hidden: 64, heads: 4, intermediate: 128, vocab: 96, maxPositions: 32 };

const MS = 'com.microsoft';

/** Deterministic weights: a small LCG, values in [-scale, scale). */
function weights(shape: number[], seed: number, scale = 0.1, offset = 0): Tensor<'float32'> {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = offset + scale * (2 * (s / 2 ** 32) - 1);
  }
  return new Tensor('float32', shape, data);
}

/**
 * The encoder; with `blockSize`, its MatMul weights quantized to 4 bits as MatMulNBits (what
 * onnxruntime's MatMulNBitsQuantizer does to the optimized model; Attention keeps float weights).
 */
export function fusedEncoderModel(size: EncoderSize = MINI_ENCODER, blockSize?: number): Uint8Array {
  const { hidden: H, intermediate: I } = size;
  let seed = 100;
  const init: Record<string, Tensor> = {
    word: weights([size.vocab, H], seed++, 0.5),
    pos: weights([size.maxPositions, H], seed++, 0.2),
    seg: weights([2, H], seed++, 0.2),
    emb_gamma: weights([H], seed++, 0.1, 1),
    emb_beta: weights([H], seed++, 0.05),
  };
  const nodes: NodeSpec[] = [
    node('Cast', ['input_ids'], ['ids32'], { to: attr.int(6) }),
    node('Cast', ['token_type_ids'], ['segs32'], { to: attr.int(6) }),
    node('Cast', ['attention_mask'], ['mask32'], { to: attr.int(6) }),
    node('EmbedLayerNormalization', ['ids32', 'segs32', 'word', 'pos', 'seg', 'emb_gamma', 'emb_beta', 'mask32'], ['h0', 'mask_index'], { epsilon: attr.float(1e-12) }, MS),
  ];
  /** MatMul by a [K, N] weight, or MatMulNBits by its 4-bit transpose when quantizing. */
  const matMul = (a: string, weight: string, out: string): NodeSpec => {
    if (blockSize === undefined) return node('MatMul', [a, weight], [out]);
    const w = init[weight] as Tensor<'float32'>;
    const [k, n] = w.shape;
    const transposed = new Float32Array(n * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) transposed[j * k + i] = w.data[i * n + j];
    const q = quantize4Bit(transposed, n, k, blockSize, false);
    delete init[weight];
    Object.assign(init, { [`${weight}_q`]: q.b, [`${weight}_scales`]: q.scales, [`${weight}_zp`]: q.zeroPoints! });
    const attributes = { K: attr.int(k), N: attr.int(n), bits: attr.int(4), block_size: attr.int(blockSize) };
    return node('MatMulNBits', [a, `${weight}_q`, `${weight}_scales`, `${weight}_zp`], [out], attributes, MS);
  };
  for (let l = 0; l < size.layers; l++) {
    const p = (name: string) => `l${l}_${name}`;
    Object.assign(init, {
      [p('qkv_w')]: weights([H, 3 * H], seed++, 0.15),
      [p('qkv_b')]: weights([3 * H], seed++, 0.05),
      [p('out_w')]: weights([H, H], seed++, 0.15),
      [p('out_b')]: weights([H], seed++, 0.05),
      [p('ln1_g')]: weights([H], seed++, 0.1, 1),
      [p('ln1_b')]: weights([H], seed++, 0.05),
      [p('ff1_w')]: weights([H, I], seed++, 0.15),
      [p('ff1_b')]: weights([I], seed++, 0.05),
      [p('ff2_w')]: weights([I, H], seed++, 0.15),
      [p('ff2_b')]: weights([H], seed++, 0.05),
      [p('ln2_g')]: weights([H], seed++, 0.1, 1),
      [p('ln2_b')]: weights([H], seed++, 0.05),
    });
    const h = `h${l}`;
    nodes.push(
      node('Attention', [h, p('qkv_w'), p('qkv_b'), 'mask_index'], [p('ctx')], { num_heads: attr.int(size.heads) }, MS),
      matMul(p('ctx'), p('out_w'), p('attn_out')),
      node('SkipLayerNormalization', [p('attn_out'), h, p('ln1_g'), p('ln1_b'), p('out_b')], [p('h_mid')], { epsilon: attr.float(1e-12) }, MS),
      matMul(p('h_mid'), p('ff1_w'), p('ff1')),
      // the optimizer emits FastGelu for tanh-approximated GELU and BiasGelu for the erf form
      l % 2 === 0
        ? node('FastGelu', [p('ff1'), p('ff1_b')], [p('act')], {}, MS)
        : node('BiasGelu', [p('ff1'), p('ff1_b')], [p('act')], {}, MS),
      matMul(p('act'), p('ff2_w'), p('ff2')),
      node('SkipLayerNormalization', [p('ff2'), p('h_mid'), p('ln2_g'), p('ln2_b'), p('ff2_b')], [`h${l + 1}`], { epsilon: attr.float(1e-12) }, MS),
    );
  }
  nodes.push(node('Identity', [`h${size.layers}`], ['last_hidden_state']));
  return buildModel({
    opsets: { '': 17, [MS]: 1 },
    inputs: [input('input_ids', 'int64', ['batch', 'seq']), input('token_type_ids', 'int64', ['batch', 'seq']), input('attention_mask', 'int64', ['batch', 'seq'])],
    outputs: [output('last_hidden_state', 'float32', ['batch', 'seq', H])],
    nodes,
    initializers: init,
  });
}

/** Token ids, segments and a padding mask for a batch: row b has `lengths[b]` real tokens. */
export function encoderFeeds(lengths: readonly number[], seq: number, size: EncoderSize = MINI_ENCODER): Record<string, Tensor> {
  const n = lengths.length * seq;
  const ids = new Array<number>(n);
  const segs = new Array<number>(n);
  const mask = new Array<number>(n);
  lengths.forEach((len, b) => {
    for (let s = 0; s < seq; s++) {
      const i = b * seq + s;
      ids[i] = s < len ? 1 + ((b * 31 + s * 17) % (size.vocab - 1)) : 0;
      segs[i] = s < len / 2 ? 0 : 1;
      mask[i] = s < len ? 1 : 0;
    }
  });
  const shape = [lengths.length, seq];
  return { input_ids: Tensor.from('int64', shape, ids), token_type_ids: Tensor.from('int64', shape, segs), attention_mask: Tensor.from('int64', shape, mask) };
}
