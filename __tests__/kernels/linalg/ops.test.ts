import { installWasmKernels } from '../../../lib/wasm-module';
import { ModelError, KernelError } from '../../../worker/runtime/errors';
import { einsumKernel } from '../../../worker/runtime/kernels/linalg/einsum';
import { gemmTuning } from '../../../worker/runtime/kernels/linalg/gemm';
import { gemmKernel } from '../../../worker/runtime/kernels/linalg/gemm-op';
import { matMulKernel } from '../../../worker/runtime/kernels/linalg/matmul';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { Tensor, sizeOf, stridesOf } from '../../../worker/runtime/tensor';
import { KernelReplay } from '../kernel-harness';
import { expectClose, randomTensor, runKernel } from './helpers';

/** numpy.matmul on small inputs, straight from the definition */
function refMatMul(a: Tensor<'float32'>, b: Tensor<'float32'>): { shape: number[]; data: Float64Array } {
  const as = a.rank === 1 ? [1, a.shape[0]] : [...a.shape];
  const bs = b.rank === 1 ? [b.shape[0], 1] : [...b.shape];
  const [m, k] = as.slice(-2);
  const n = bs[bs.length - 1];
  const ab = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const pa = [...new Array(rank - ab.length).fill(1), ...ab];
  const pb = [...new Array(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const count = sizeOf(batch);
  const data = new Float64Array(count * m * n);
  const bst = stridesOf(batch);
  for (let t = 0; t < count; t++) {
    const idx = bst.map((s, i) => Math.floor(t / s) % batch[i]);
    const ai = idx.reduce((acc, v, i) => acc * pa[i] + (pa[i] === 1 ? 0 : v), 0);
    const bi = idx.reduce((acc, v, i) => acc * pb[i] + (pb[i] === 1 ? 0 : v), 0);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a.data[ai * m * k + i * k + q] * b.data[bi * k * n + q * n + j];
        data[t * m * n + i * n + j] = s;
      }
    }
  }
  const shape = [...batch];
  if (a.rank > 1) shape.push(m);
  if (b.rank > 1) shape.push(n);
  return { shape, data };
}

describe.each([
  ['JavaScript', false],
  ['WebAssembly SIMD', true],
])('linalg ops (%s)', (_label, wasm) => {
  const saved = gemmTuning.wasmMinWork;
  beforeAll(() => {
    if (wasm) installWasmKernels();
    gemmTuning.wasmMinWork = 0;
  });
  afterAll(() => {
    useWasmKernels(null);
    gemmTuning.wasmMinWork = saved;
  });

  it.each([
    [[3, 4], [4, 5]],
    [[4], [4]],
    [[4], [2, 4, 3]],
    [[2, 3, 4], [4]],
    [[2, 3, 4], [4, 7]],
    [[2, 1, 3, 4], [5, 4, 2]],
    [[1, 9, 17], [3, 17, 10]],
    [[33, 70], [70, 35]],
  ])('MatMul %j x %j matches numpy semantics', (as, bs) => {
    const a = randomTensor(as, 1);
    const b = randomTensor(bs, 2);
    const [y] = runKernel(matMulKernel, [a, b]);
    const ref = refMatMul(a, b);
    expect(y.shape).toEqual(ref.shape);
    expectClose(y.data as Float32Array, ref.data);
  });

  it('MatMul with a constant (cached) weight stays correct when the activation changes', () => {
    const w = randomTensor([20, 12], 3);
    const node = new KernelReplay(matMulKernel, 2, { weights: [1] });
    for (const seed of [4, 5]) {
      const x = randomTensor([6, 20], seed);
      const [y] = node.run([x, w]);
      expectClose(y.data as Float32Array, refMatMul(x, w).data);
    }
  });

  it('MatMul on int64', () => {
    const a = Tensor.from('int64', [2, 2], [1, 2, 3, 4]);
    const b = Tensor.from('int64', [2, 1], [5, 6]);
    const [y] = runKernel(matMulKernel, [a, b]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([17n, 39n]);
  });

  it.each([
    [{}, [3, 5], [5, 4], [4]],
    [{ transA: 1 }, [5, 3], [5, 4], [1, 4]],
    [{ transB: 1, alpha: 0.25 }, [3, 5], [4, 5], [3, 4]],
    [{ transA: 1, transB: 1, alpha: 2, beta: 0.5 }, [5, 3], [4, 5], [3, 1]],
    [{ beta: 3 }, [3, 5], [5, 4], [1]],
    [{ beta: 0.5 }, [7, 9], [9, 10], [10]],
    [{}, [7, 9], [9, 10], null],
  ])('Gemm %j A%j B%j C%j', (attrs, as, bs, cs) => {
    const a = randomTensor(as, 6);
    const b = randomTensor(bs, 7);
    const c = cs ? randomTensor(cs, 8) : undefined;
    const at = attrs as Record<string, number>;
    const [y] = runKernel(gemmKernel, [a, b, c], attrs);
    const m = at.transA ? as[1] : as[0];
    const k = at.transA ? as[0] : as[1];
    const n = at.transB ? bs[0] : bs[1];
    const ref = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += (at.transA ? a.data[q * m + i] : a.data[i * k + q]) * (at.transB ? b.data[j * k + q] : b.data[q * n + j]);
        let cv = 0;
        if (c) {
          const c2 = [1, 1, ...c.shape].slice(-2);
          cv = c.data[(c2[0] === 1 ? 0 : i) * c2[1] + (c2[1] === 1 ? 0 : j)];
        }
        ref[i * n + j] = (at.alpha ?? 1) * s + (at.beta ?? 1) * cv;
      }
    }
    expect(y.shape).toEqual([m, n]);
    expectClose(y.data as Float32Array, ref);
  });
});

describe('MatMul and Gemm errors', () => {
  it('names mismatched inner dimensions', () => {
    expect(() => runKernel(matMulKernel, [randomTensor([2, 3], 1), randomTensor([4, 5], 2)])).toThrow(/A has 3 columns but B has 4 rows/);
    expect(() => runKernel(gemmKernel, [randomTensor([2, 3], 1), randomTensor([4, 5], 2)])).toThrow(KernelError);
  });
  it('rejects batch dimensions that do not broadcast', () => {
    expect(() => runKernel(matMulKernel, [randomTensor([2, 2, 3], 1), randomTensor([3, 3, 4], 2)])).toThrow(/do not broadcast/);
  });
  it('rejects a C that does not broadcast to [M, N]', () => {
    expect(() => runKernel(gemmKernel, [randomTensor([2, 3], 1), randomTensor([3, 4], 2), randomTensor([3], 3)])).toThrow(/does not broadcast to \[2, 4\]/);
  });
  it('rejects a transA that is not 0 or 1', () => {
    expect(() => runKernel(gemmKernel, [randomTensor([2, 3], 1), randomTensor([3, 4], 2)], { transA: 2 })).toThrow(ModelError);
  });
});

describe('Einsum', () => {
  const run = (eq: string, ...ts: Tensor[]) => runKernel(einsumKernel, ts, { equation: eq })[0];

  it('matrix product, transpose, trace, diagonal, sum', () => {
    const a = Tensor.from('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
    const b = Tensor.from('float32', [3, 2], [1, 0, 0, 1, 1, 1]);
    expect(Array.from(run('ij,jk->ik', a, b).data as Float32Array)).toEqual([4, 5, 10, 11]);
    expect(run('ij->ji', a).shape).toEqual([3, 2]);
    expect(Array.from(run('ij->ji', a).data as Float32Array)).toEqual([1, 4, 2, 5, 3, 6]);
    const sq = Tensor.from('float32', [2, 2], [1, 2, 3, 4]);
    expect(Array.from(run('ii', sq).data as Float32Array)).toEqual([5]);
    expect(Array.from(run('ii->i', sq).data as Float32Array)).toEqual([1, 4]);
    expect(Array.from(run('ij->', a).data as Float32Array)).toEqual([21]);
  });

  it('implicit output: labels appearing once, in alphabetical order', () => {
    const a = randomTensor([2, 3], 1);
    const b = randomTensor([3, 4], 2);
    const y = run('ba,ac', a, b); // -> "bc"
    expect(y.shape).toEqual([2, 4]);
    expectClose(y.data as Float32Array, refMatMul(a, b).data);
  });

  it('batched product with a broadcasting ellipsis', () => {
    const a = randomTensor([2, 3, 4, 5], 3);
    const b = randomTensor([3, 5, 2], 4);
    const y = run('...ij,...jk->...ik', a, b);
    expect(y.shape).toEqual([2, 3, 4, 2]);
    expectClose(y.data as Float32Array, refMatMul(a, b).data);
  });

  it('batch diagonal and outer product', () => {
    const a = Tensor.from('float32', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(run('...ii->...i', a).data as Float32Array)).toEqual([1, 4, 5, 8]);
    const u = Tensor.from('float32', [2], [1, 2]);
    const v = Tensor.from('float32', [3], [1, 10, 100]);
    expect(Array.from(run('i,j->ij', u, v).data as Float32Array)).toEqual([1, 10, 100, 2, 20, 200]);
  });

  it('int64 operands', () => {
    const a = Tensor.from('int64', [3], [1, 2, 3]);
    expect(Array.from(run('i,i', a, a).data as BigInt64Array)).toEqual([14n]);
  });

  it('explains bad equations and mismatched sizes', () => {
    expect(() => run('ij,jk->ikz', randomTensor([2, 2], 1), randomTensor([2, 2], 2))).toThrow(/output label "z" appears in no input/);
    expect(() => run('ij,jk', randomTensor([2, 3], 1), randomTensor([4, 2], 2))).toThrow(/label "j" has size 3/);
    expect(() => run('ij', randomTensor([2, 3, 4], 1))).toThrow(/rank 3/);
    expect(() => run('i1->i', randomTensor([2, 3], 1))).toThrow(ModelError);
  });
});
