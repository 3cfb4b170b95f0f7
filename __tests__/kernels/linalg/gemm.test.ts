import { installWasmKernels } from '../../../lib/wasm-module';
import { gemm, gemmTuning } from '../../../worker/runtime/kernels/linalg/gemm';
import { useWasmKernels, wasmKernels } from '../../../worker/runtime/wasm';
import { expectClose, packedWeightsOf, random } from './helpers';

function naive(m: number, n: number, k: number, a: Float32Array, b: Float32Array, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (transA ? a[q * m + i] : a[i * k + q]) * (transB ? b[j * k + q] : b[q * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

function values(n: number, next: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => next() * 2 - 1);
}

// odd sizes around the microkernels' blocks (6 and 4 rows, 8- and 32-column panels)
const SIZES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 10, 784], [2, 3, 4], [3, 5, 7], [4, 8, 2], [5, 33, 17], [6, 8, 3], [7, 13, 9], [13, 40, 31], [32, 64, 100], [9, 1, 5],
];

describe.each([
  ['JavaScript', false],
  ['WebAssembly SIMD', true],
])('gemm (%s)', (_label, wasm) => {
  const saved = gemmTuning.wasmMinWork;
  beforeAll(() => {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
    gemmTuning.wasmMinWork = 0; // every size takes the path under test
  });
  afterAll(() => {
    useWasmKernels(null);
    gemmTuning.wasmMinWork = saved;
  });

  it('runs on the intended path', () => {
    expect(wasmKernels() !== null).toBe(wasm);
  });

  it.each(SIZES)('m=%i n=%i k=%i, every transpose combination, alpha and bias', (m, n, k) => {
    const next = random(m * 1000 + n * 10 + k);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = values(m * k, next);
        const b = values(k * n, next);
        const bias = values(n, next);
        const out = new Float32Array(m * n + 2).fill(7);
        gemm(m, n, k, a, 0, b, 0, out, 1, { transA, transB, alpha: 0.5, bias });
        expect([out[0], out[m * n + 1]]).toEqual([7, 7]); // nothing outside the region is touched
        const ref = naive(m, n, k, a, b, transA, transB).map((v, i) => 0.5 * v + bias[i % n]);
        expectClose(out.subarray(1, 1 + m * n), ref);
      }
    }
  });

  it('accumulates into the existing output and clamps (fused Relu)', () => {
    const next = random(7);
    const [m, n, k] = [7, 11, 5];
    const a = values(m * k, next);
    const b = values(k * n, next);
    const prior = values(m * n, next);
    const out = prior.slice();
    gemm(m, n, k, a, 0, b, 0, out, 0, { accumulate: true, min: 0 });
    const ref = naive(m, n, k, a, b, false, false).map((v, i) => Math.max(0, v + prior[i]));
    expectClose(out, ref);
  });

  it('reads operands at offsets', () => {
    const next = random(11);
    const [m, n, k] = [5, 9, 6];
    const a = values(3 + m * k, next);
    const b = values(4 + k * n, next);
    const out = new Float32Array(m * n);
    gemm(m, n, k, a, 3, b, 4, out, 0);
    expectClose(out, naive(m, n, k, a.subarray(3), b.subarray(4), false, false));
  });

  it('caches a constant B and keeps distinct slices of it apart', () => {
    const next = random(5);
    const [m, n, k] = [3, 10, 4];
    const b = values(2 * k * n, next); // two stacked weight matrices in one array
    const a = values(m * k, next);
    for (let round = 0; round < 2; round++) {
      for (const offset of [0, k * n]) {
        const out = new Float32Array(m * n);
        gemm(m, n, k, a, 0, b, offset, out, 0, { weights: packedWeightsOf(b) });
        expectClose(out, naive(m, n, k, a, b.subarray(offset), false, false));
      }
    }
  });

  it('re-reads a B that is not declared constant on every call', () => {
    const next = random(9);
    const [m, n, k] = [4, 8, 3];
    const a = values(m * k, next);
    const b = values(k * n, next);
    const out = new Float32Array(m * n);
    gemm(m, n, k, a, 0, b, 0, out, 0);
    b.set(values(k * n, next));
    gemm(m, n, k, a, 0, b, 0, out, 0);
    expectClose(out, naive(m, n, k, a, b, false, false));
  });

  it('propagates NaN and Infinity', () => {
    const a = Float32Array.from([1, NaN, 2, 0]);
    const b = Float32Array.from([1, 2, 3, 4]);
    const out = new Float32Array(4);
    gemm(2, 2, 2, a, 0, b, 0, out, 0);
    expect(Number.isNaN(out[0]) && Number.isNaN(out[1])).toBe(true);
    expect([out[2], out[3]]).toEqual([2, 4]);
  });
});

describe('wasm memory growth', () => {
  afterAll(() => useWasmKernels(null));
  it('stays correct across memory.grow (views are re-derived)', () => {
    installWasmKernels();
    const next = random(3);
    const [m, n, k] = [64, 300, 700]; // several MiB of scratch: forces the memory to grow
    const a = values(m * k, next);
    const b = values(k * n, next);
    const out = new Float32Array(m * n);
    gemm(m, n, k, a, 0, b, 0, out, 0, { weights: packedWeightsOf(b) });
    expectClose(out, naive(m, n, k, a, b, false, false));
  });
});
