/** @jest-environment ./__tests__/support/ort-environment.js */
/** RotaryEmbedding (com.microsoft) against onnxruntime-node. */
import { Tensor } from '../../../worker/runtime/tensor';
import { rotaryEmbeddingKernel } from '../../../worker/runtime/kernels/contrib/rotary-embedding';
import { attr, node, type AttrSpec } from '../../support/onnx-builder';
import { runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

const B = 2;
const S = 5;
const heads = 3;
const headSize = 8;
const maxSeq = 16;

function caches(half: number): { cos: Tensor; sin: Tensor } {
  const cos = new Float32Array(maxSeq * half);
  const sin = new Float32Array(maxSeq * half);
  for (let p = 0; p < maxSeq; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p / 10000 ** ((2 * i) / (2 * half));
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos: new Tensor('float32', [maxSeq, half], cos), sin: new Tensor('float32', [maxSeq, half], sin) };
}

function rotary(x: Tensor, positions: Tensor, attributes: Record<string, AttrSpec>, half = headSize / 2) {
  const { cos, sin } = caches(half);
  return expectMatchesOrt({
    nodes: [node('RotaryEmbedding', ['X', 'pos', 'cos', 'sin'], ['Y'], attributes, MS)],
    feeds: { X: x, pos: positions },
    initializers: { cos, sin },
    outputs: [['Y', 'float32']],
  });
}

const positions = Tensor.from('int64', [B, S], [0, 1, 2, 3, 4, 3, 4, 5, 6, 7]);

describe('com.microsoft RotaryEmbedding matches onnxruntime', () => {
  it('3-D input, num_heads inferred from the cache', () => rotary(seeded([B, S, heads * headSize]), positions, {}));
  it('3-D input, interleaved, num_heads given', () => rotary(seeded([B, S, heads * headSize]), positions, { interleaved: attr.int(1), num_heads: attr.int(heads) }));
  it('a one-element position offset', () => rotary(seeded([B, S, heads * headSize]), Tensor.from('int64', [1], [4]), {}));
  it('4-D input [batch, heads, seq, head_size]', () => rotary(seeded([B, heads, S, headSize]), positions, {}));
  it('partial rotation (rotary_embedding_dim < head_size)', () =>
    rotary(seeded([B, S, heads * headSize]), positions, { rotary_embedding_dim: attr.int(4), num_heads: attr.int(heads) }, 2));

  it('names position_ids of the wrong shape', () => {
    const { cos, sin } = caches(4);
    expect(() => runKernel(rotaryEmbeddingKernel, [seeded([B, S, 24]), Tensor.from('int64', [S], [0, 1, 2, 3, 4]), cos, sin])).toThrow(/position_ids must be \[batch, seq\] = \[2, 5\] or a one-element offset/);
  });
});
