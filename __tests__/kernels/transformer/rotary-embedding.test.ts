import { rotaryEmbeddingKernel } from '../../../worker/runtime/kernels/transformer/rotary-embedding';
import { ModelError } from '../../../worker/runtime/errors';
import { Tensor } from '../../../worker/runtime/tensor';
import { parseKernelAttributes, runKernel } from '../kernel-harness';
import { expectClose, randomFloats } from './helpers';

const f32 = (shape: number[], seed: number): Tensor => Tensor.from('float32', shape, randomFloats(shape.reduce((a, b) => a * b, 1), seed));

/**
 * Naive rotation from the definition: for head vector v at (b, t, h), pair p = (i, i + half) or
 * (2i, 2i + 1) is multiplied as a complex number by cos + i sin of the cache row for (b, t).
 */
function reference(x: Tensor, cos: Tensor, sin: Tensor, pos: Tensor | undefined, heads: number, rot: number, interleaved: boolean): number[] {
  const four = x.rank === 4;
  const [B] = x.shape;
  const S = four ? x.shape[2] : x.shape[1];
  const D = four ? x.shape[3] : x.shape[2] / heads;
  const R = rot || D;
  const W = cos.shape[cos.rank - 1];
  const out = Array.from(x.data as Float32Array);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < S; t++) {
      const row = pos ? Number(pos.data[b * S + t]) : b * S + t;
      for (let h = 0; h < heads; h++) {
        const at = (d: number) => (four ? ((b * heads + h) * S + t) * D + d : (b * S + t) * heads * D + h * D + d);
        for (let i = 0; i < R / 2; i++) {
          const [p, q] = interleaved ? [2 * i, 2 * i + 1] : [i, i + R / 2];
          const re = Number(x.data[at(p)]);
          const im = Number(x.data[at(q)]);
          const c = Number(cos.data[row * W + i]);
          const s = Number(sin.data[row * W + i]);
          out[at(p)] = re * c - im * s;
          out[at(q)] = re * s + im * c;
        }
      }
    }
  }
  return out;
}

describe('RotaryEmbedding', () => {
  it.each([
    ['4-D, whole head, halves', false, 0],
    ['4-D, whole head, interleaved', true, 0],
    ['4-D, first 4 of 8 values, halves', false, 4],
    ['4-D, first 4 of 8 values, interleaved', true, 4],
  ])('%s with position_ids', (_n, interleaved, rot) => {
    const x = f32([2, 3, 4, 8], 1);
    const cos = f32([10, 6], 2); // wider rows than needed: only the first rot/2 are read
    const sin = f32([10, 6], 3);
    const pos = Tensor.from('int64', [2, 4], [0, 3, 9, 1, 2, 2, 5, 7]);
    const attributes = { interleaved: interleaved ? 1 : 0, rotary_embedding_dim: rot };
    const y = runKernel(rotaryEmbeddingKernel, [x, cos, sin, pos], { attributes })[0];
    expectClose(y, x.shape, reference(x, cos, sin, pos, 3, rot, interleaved));
  });

  it('3-D input split by num_heads, caches per (batch, position) without position_ids', () => {
    const x = f32([2, 3, 2 * 6], 4);
    const cos = f32([2, 3, 3], 5);
    const sin = f32([2, 3, 3], 6);
    const y = runKernel(rotaryEmbeddingKernel, [x, cos, sin], { attributes: { num_heads: 2 } })[0];
    expectClose(y, x.shape, reference(x, cos, sin, undefined, 2, 0, false));
  });

  it('names bad attributes and inputs', () => {
    expect(() => parseKernelAttributes(rotaryEmbeddingKernel, { rotary_embedding_dim: 3 })).toThrow(ModelError);
    const x = f32([1, 2, 8], 7);
    const cache = f32([4, 4], 8);
    expect(() => runKernel(rotaryEmbeddingKernel, [x, cache, cache, Tensor.from('int64', [1, 2], [0, 1])])).toThrow(/num_heads is required/);
    expect(() => runKernel(rotaryEmbeddingKernel, [x, cache, cache, Tensor.from('int64', [1, 2], [0, 4])], { attributes: { num_heads: 1 } })).toThrow(/position_ids\[1\] = 4 is outside the caches' 4 positions/);
    expect(() => runKernel(rotaryEmbeddingKernel, [x, f32([4, 2], 9), f32([4, 2], 9), Tensor.from('int64', [1, 2], [0, 1])], { attributes: { num_heads: 1 } })).toThrow(/rows hold 2 values but the rotation needs 4/);
    expect(() => runKernel(rotaryEmbeddingKernel, [x, cache, cache], { attributes: { num_heads: 1 } })).toThrow(/without position_ids/);
  });
});
