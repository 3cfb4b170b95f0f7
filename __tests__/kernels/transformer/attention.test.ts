import { installWasmKernels } from '../../../lib/wasm-module';
import { gemmTuning } from '../../../worker/runtime/kernels/linalg/gemm';
import { attentionKernel } from '../../../worker/runtime/kernels/transformer/attention';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import type { Attributes } from '../../../worker/runtime/graph';
import { Tensor, type DType } from '../../../worker/runtime/tensor';
import { parseKernelAttributes, runKernel } from '../kernel-harness';
import { referenceAttention, type ReferenceCase } from './attention-reference';
import { expectClose, randomFloats } from './helpers';

let seed = 1;
const rand = (shape: number[], dtype: DType = 'float32'): Tensor =>
  Tensor.from(dtype, shape, randomFloats(shape.reduce((a, b) => a * b, 1), seed++));

/** Runs Attention with named outputs ('' = omitted), as a node in a model would. */
function run(inputs: Array<Tensor | undefined>, attributes: Attributes = {}, outputs = ['Y'], opset = 23): Tensor[] {
  return runKernel(attentionKernel, inputs, { attributes, outputs, opset });
}

function attributesOf(c: ReferenceCase): Attributes {
  const a: Record<string, number> = {};
  if (c.Q.rank === 3) Object.assign(a, { q_num_heads: c.qHeads!, kv_num_heads: c.kvHeads! });
  if (c.isCausal) a.is_causal = 1;
  if (c.scale !== undefined) a.scale = c.scale;
  if (c.softcap) a.softcap = c.softcap;
  if (c.qkMode !== undefined) a.qk_matmul_output_mode = c.qkMode;
  return a;
}

function check(c: ReferenceCase): void {
  const inputs = [c.Q, c.K, c.V, c.mask, c.pastKey, c.pastValue];
  const [y, presentKey, presentValue, qk] = run(inputs, attributesOf(c), ['Y', 'present_key', 'present_value', 'qk']);
  const want = referenceAttention(c);
  const tol = c.Q.dtype === 'float64' ? 1e-12 : 1e-5;
  expectClose(y, want.y.shape, want.y.data, tol);
  expectClose(presentKey, want.presentKey.shape, want.presentKey.data, 0, 0);
  expectClose(presentValue, want.presentValue.shape, want.presentValue.data, 0, 0);
  expectClose(qk, want.qk.shape, want.qk.data, tol);
}

describe('Attention against a naive reference', () => {
  it('4-D, one head per K/V head, default scale', () => {
    check({ Q: rand([2, 3, 4, 8]), K: rand([2, 3, 6, 8]), V: rand([2, 3, 6, 5]) });
  });

  it('3-D inputs split into heads, grouped-query (6 query heads over 2 KV heads)', () => {
    check({ Q: rand([2, 3, 6 * 4]), K: rand([2, 5, 2 * 4]), V: rand([2, 5, 2 * 3]), qHeads: 6, kvHeads: 2 });
  });

  it('KV cache with a 2-D boolean mask over past + new keys', () => {
    const mask = Tensor.from('bool', [3, 7], randomFloats(21, 9).map((x) => (x > -0.5 ? 1 : 0)));
    for (let i = 0; i < 3; i++) mask.data[i * 7] = 1; // keep one key per row
    check({ Q: rand([2, 3, 3 * 4]), K: rand([2, 3, 3 * 4]), V: rand([2, 3, 3 * 2]), qHeads: 3, kvHeads: 3, pastKey: rand([2, 3, 4, 4]), pastValue: rand([2, 3, 4, 2]), mask });
  });

  it('causal with a cache is bottom-right aligned, combined with an additive [B, 1, q, T] mask', () => {
    check({ Q: rand([2, 2, 3, 4]), K: rand([2, 2, 3, 4]), V: rand([2, 2, 3, 4]), pastKey: rand([2, 2, 2, 4]), pastValue: rand([2, 2, 2, 4]), mask: rand([2, 1, 3, 5]), isCausal: true });
  });

  it.each([0, 1, 2, 3])('softcap, scale and qk_matmul_output_mode %i', (qkMode) => {
    check({ Q: rand([1, 2, 3, 4]), K: rand([1, 2, 5, 4]), V: rand([1, 2, 5, 4]), mask: rand([3, 5]), scale: 3, softcap: 1.5, qkMode });
  });

  it('float64 inputs (plain loops instead of gemm)', () => {
    check({ Q: rand([1, 4, 3, 4], 'float64'), K: rand([1, 2, 5, 4], 'float64'), V: rand([1, 2, 5, 3], 'float64'), mask: rand([1, 4, 3, 5], 'float64'), isCausal: true });
  });

  it('a mask shorter than the keys masks the rest (opset 24), and nonpad_kv_seqlen masks padding', () => {
    const c = { Q: rand([2, 1, 2, 4]), K: rand([2, 1, 4, 4]), V: rand([2, 1, 4, 4]) };
    const [short] = run([c.Q, c.K, c.V, Tensor.from('float32', [2, 3], [0, 0, 0, 0, 0, 0])], {}, ['Y'], 24);
    const want = referenceAttention({ ...c, mask: Tensor.from('float32', [2, 4], [0, 0, 0, -Infinity, 0, 0, 0, -Infinity]) });
    expectClose(short, want.y.shape, want.y.data);
    const lengths = Tensor.from('int64', [2], [2, 4]);
    const [padded] = run([c.Q, c.K, c.V, undefined, undefined, undefined, lengths], {}, ['Y'], 24);
    const pad = referenceAttention({ ...c, mask: Tensor.from('bool', [2, 1, 1, 4], [1, 1, 0, 0, 1, 1, 1, 1]) });
    expectClose(padded, pad.y.shape, pad.y.data);
  });

  it('omitted present outputs still yield qk_matmul_output in the fourth slot', () => {
    const c = { Q: rand([1, 1, 2, 4]), K: rand([1, 1, 3, 4]), V: rand([1, 1, 3, 4]), qkMode: 3 };
    const out = run([c.Q, c.K, c.V], { qk_matmul_output_mode: 3 }, ['Y', '', '', 'qk']);
    expect(out[1].size).toBe(0);
    expect(out[2].size).toBe(0);
    const want = referenceAttention(c);
    expectClose(out[3], want.qk.shape, want.qk.data);
  });

  it('a query row with every key masked is NaN, as 0/0 in the reference', () => {
    const [y] = run([rand([1, 1, 2, 4]), rand([1, 1, 2, 4]), rand([1, 1, 2, 4]), Tensor.from('bool', [2, 2], [0, 0, 1, 1])]);
    expect(Array.from(y.data as Float32Array).slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(Array.from(y.data as Float32Array).slice(4).every(Number.isFinite)).toBe(true);
  });
});

describe('Attention input and attribute errors', () => {
  const q = rand([1, 2, 3, 4]);
  const kv = rand([1, 2, 3, 4]);

  it('rejects bad attributes at compile time', () => {
    expect(() => parseKernelAttributes(attentionKernel, { qk_matmul_output_mode: 4 })).toThrow(ModelError);
    expect(() => parseKernelAttributes(attentionKernel, { qk_matmul_output_mode: 4 })).toThrow(/qk_matmul_output_mode.*supported/);
    expect(() => parseKernelAttributes(attentionKernel, { softcap: -1 })).toThrow(/softcap.*>= 0/);
    expect(() => parseKernelAttributes(attentionKernel, { q_num_heads: 0 })).toThrow(/q_num_heads.*positive/);
    expect(() => parseKernelAttributes(attentionKernel, { softmax_precision: 7 })).toThrow(/softmax_precision.*supported/);
  });

  it('names the problem with shapes that do not fit', () => {
    expect(() => run([rand([1, 3, 8]), rand([1, 3, 8]), rand([1, 3, 8])])).toThrow(/q_num_heads and kv_num_heads are required/);
    expect(() => run([rand([1, 3, 8]), rand([1, 3, 8]), rand([1, 3, 8])], { q_num_heads: 3, kv_num_heads: 2 })).toThrow(/hidden size 8 .* not divisible by q_num_heads = 3/);
    expect(() => run([rand([1, 3, 3, 4]), kv, kv])).toThrow(/q_num_heads \(3\) must be a multiple of kv_num_heads \(2\)/);
    expect(() => run([q, kv, kv, rand([3, 3, 3])])).toThrow(/attn_mask of shape \[3, 3, 3\] does not broadcast/);
    expect(() => run([q, kv, kv, rand([3, 4])])).toThrow(/last dimension 4 exceeds the 3 key positions/);
    expect(() => run([q, kv, kv, undefined, rand([1, 2, 1, 4])])).toThrow(/past_key and past_value must be given together/);
    expect(() => run([q, kv, rand([1, 2, 3, 4], 'float64')])).toThrow(KernelError);
    expect(() => run([q, kv, kv, Tensor.from('int32', [3, 3], new Array(9).fill(0))])).toThrow(/attn_mask must be bool or float32/);
  });
});

describe('Attention with the WebAssembly gemm', () => {
  const saved = gemmTuning.wasmMinWork;
  beforeAll(() => {
    installWasmKernels();
    gemmTuning.wasmMinWork = 0; // every product takes the wasm path, whatever its size
  });
  afterAll(() => {
    useWasmKernels(null);
    gemmTuning.wasmMinWork = saved;
  });

  it('matches the reference for 4-D heads read in place and 3-D heads with a cache', () => {
    check({ Q: rand([2, 4, 5, 8]), K: rand([2, 2, 7, 8]), V: rand([2, 2, 7, 6]), mask: rand([5, 7]), softcap: 2, qkMode: 2 });
    check({ Q: rand([1, 3, 2 * 8]), K: rand([1, 3, 2 * 8]), V: rand([1, 3, 2 * 4]), qHeads: 2, kvHeads: 2, pastKey: rand([1, 2, 5, 8]), pastValue: rand([1, 2, 5, 4]), isCausal: true });
  });
});
