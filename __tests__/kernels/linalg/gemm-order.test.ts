/**
 * The GEMM core's summation order. Every output element is sum_k a[i][k] * b[k][j] added in k
 * order, whichever microkernel (4-row, 2-row x 16 or x 8, 1-row x 24 or x 8 columns; the one-row
 * layout's groups; conv panels read in place) computed it. So:
 * - in WebAssembly (float32 multiply, then float32 add, no fused multiply-add) the result is
 *   bitwise equal to a sequential float32 reference;
 * - equal columns of B give bitwise-equal outputs on both paths. Deep nets with constant weights
 *   (ONNX's light models) reach logits near 1e21 where one rounding step is ~1e14: a tile that
 *   summed in another order made the last 8 of 1000 softmax outputs 0.125 instead of 0.001.
 * Also covers the packed-weight cache past its memory cap (weights then packed per call).
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { gemm, gemmTuning, type GemmOptions } from '../../../worker/runtime/kernels/linalg/gemm';
import { useWasmKernels, wasmKernels, wasmTuning } from '../../../worker/runtime/wasm';
import { packedWeightsOf, random } from './helpers';

const f = Math.fround;

/** Sequential float32 reference with the core's epilogue order: alpha, bias, accumulate, clamp. */
function reference(m: number, n: number, k: number, a: Float32Array, b: Float32Array, o: GemmOptions, prior?: Float32Array): Float32Array {
  // op(A) rows and op(B) columns as contiguous vectors: keeps the k loop tight
  const rows = new Float32Array(m * k);
  const cols = new Float32Array(n * k);
  for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) rows[i * k + q] = o.transA ? a[q * m + i] : a[i * k + q];
  for (let j = 0; j < n; j++) for (let q = 0; q < k; q++) cols[j * k + q] = o.transB ? b[j * k + q] : b[q * n + j];
  const c = new Float32Array(m * n);
  const alpha = o.alpha ?? 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0, r = i * k, t = j * k; q < k; q++) s = f(s + f(rows[r + q] * cols[t + q]));
      let r = f(s * alpha);
      if (o.bias) r = f(r + o.bias[j]);
      if (prior) r = f(r + prior[i * n + j]);
      c[i * n + j] = Math.min(Math.max(r, o.min ?? -Infinity), o.max ?? Infinity);
    }
  }
  return c;
}

/** n values in [-1, 1) from a seed drawn from `next` (an inline LCG: megabytes of weights stay fast). */
function values(n: number, next: () => number): Float32Array {
  const v = new Float32Array(n);
  let s = Math.floor(next() * 2 ** 32) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

function firstDifference(actual: Float32Array, expected: Float32Array): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) return `element ${i}: expected ${expected[i]}, got ${actual[i]}`;
  }
  return undefined;
}

// every microkernel and its remainders: m around 1-, 2- and 4-row blocks; n around 8- and 32-column
// panels (1000 = the classifier head), in pairs of panels and one left over; k small and large; weights packed in several slices through
// the staging area (n=1000 with k=4096) and too wide for it (k=9000 transposed, n=65600 plain), in
// the one-row layout (m=1) and in plain panels (m=2)
const SHAPES: Array<[number, number, number]> = [
  [1, 9, 9000], [1, 65600, 2], [2, 9, 9000], [2, 65600, 2],
  [1, 1, 1], [1, 7, 3], [1, 8, 5], [1, 9, 2], [1, 31, 7], [1, 32, 9], [1, 33, 17], [1, 40, 64], [1, 1000, 1024], [1, 1000, 4096],
  [2, 1000, 2048], [3, 41, 33], [4, 8, 2], [4, 37, 19], [5, 33, 17], [6, 8, 3], [6, 1000, 257], [7, 13, 9], [10, 45, 100],
  [12, 64, 31], [13, 40, 31], [31, 17, 8], [32, 10, 128], [33, 120, 400], [64, 84, 120],
];

describe('gemm in WebAssembly sums every element in k order (bitwise equal to a float32 reference)', () => {
  const saved = gemmTuning.wasmMinWork;
  beforeAll(() => {
    installWasmKernels();
    gemmTuning.wasmMinWork = 0;
  });
  afterAll(() => {
    useWasmKernels(null);
    gemmTuning.wasmMinWork = saved;
  });

  it.each(SHAPES)('m=%i n=%i k=%i, B plain and transposed, A plain and transposed', (m, n, k) => {
    const next = random(m * 7919 + n * 31 + k);
    for (const transB of [false, true]) {
      // A's layout is copied before the kernels run: one transposed case per shape is enough for big ones
      for (const transA of m * n * k > 1e6 ? [transB] : [false, true]) {
        const a = values(m * k, next);
        const b = values(k * n, next);
        const options: GemmOptions = { transA, transB, alpha: 1.5, bias: values(n, next) };
        const out = new Float32Array(m * n);
        gemm(m, n, k, a, 0, b, 0, out, 0, options);
        const why = firstDifference(out, reference(m, n, k, a, b, options));
        if (why) throw new Error(`transA=${transA} transB=${transB}: ${why}`);
      }
    }
  });

  it('accumulates and clamps in the same order', () => {
    const [m, n, k] = [9, 37, 50];
    const next = random(99);
    const a = values(m * k, next);
    const b = values(k * n, next);
    const prior = values(m * n, next);
    const options: GemmOptions = { accumulate: true, min: 0, max: 2, alpha: 0.75, bias: values(n, next) };
    const out = prior.slice();
    gemm(m, n, k, a, 0, b, 0, out, 0, options);
    expect(firstDifference(out, reference(m, n, k, a, b, options, prior))).toBeUndefined();
  });

  it.each([[9, 37, 50], [1, 40, 64], [128, 48, 16]])('adds a residual after the bias and before the clamp (m %i, n %i, k %i)', (m, n, k) => {
    const next = random(m + n);
    const a = values(m * k, next);
    const b = values(k * n, next);
    const residual = values(2 * m * n, next);
    const options: GemmOptions = { residual, min: -1.5, max: 2, alpha: 0.75, bias: values(n, next), weights: packedWeightsOf(b) };
    // the second of two outputs: the residual is read at the output's offset
    const out = new Float32Array(2 * m * n).fill(NaN);
    gemm(m, n, k, a, 0, b, 0, out, m * n, options);
    expect(firstDifference(out.subarray(m * n), reference(m, n, k, a, b, options, residual.subarray(m * n)))).toBeUndefined();
  });

  it('refuses a residual together with accumulate', () => {
    const x = new Float32Array(16);
    expect(() => gemm(4, 4, 1, x, 0, x, 0, new Float32Array(16), 0, { residual: x, accumulate: true })).toThrow(/pass one of them/);
  });

  it('gives each row the same values at batch 1 and at batch 32', () => {
    const [n, k] = [1000, 512];
    const next = random(5);
    const b = values(k * n, next);
    const a = values(32 * k, next);
    const batch = new Float32Array(32 * n);
    gemm(32, n, k, a, 0, b, 0, batch, 0, { transB: true, weights: packedWeightsOf(b) });
    for (const row of [0, 5, 30, 31]) {
      const single = new Float32Array(n);
      gemm(1, n, k, a, row * k, b, 0, single, 0, { transB: true, weights: packedWeightsOf(b) });
      expect(firstDifference(single, batch.subarray(row * n, (row + 1) * n))).toBeUndefined();
    }
  });

  describe('with more constant weights than the packed-weight cache holds', () => {
    const savedLimit = wasmTuning.persistentLimitBytes;
    beforeAll(() => {
      installWasmKernels(); // a fresh instance: an empty cache
      wasmTuning.persistentLimitBytes = 1 << 20;
    });
    afterAll(() => {
      wasmTuning.persistentLimitBytes = savedLimit;
    });

    it('stays exact for every weight, packed once and cached or packed per call', () => {
      const [m, n, k] = [3, 1000, 96]; // 384 KB packed per weight: the cap holds two of twelve
      const next = random(2024);
      const weights = Array.from({ length: 12 }, () => values(k * n, next));
      const a = values(m * k, next);
      const expected = weights.map((w, t) => reference(m, n, k, a, w, { transB: t % 2 === 1 }));
      for (let round = 0; round < 3; round++) {
        weights.forEach((w, t) => {
          // three rows (plain panels), then the first row alone (the one-row layout) of the same weight
          for (const rows of [m, 1]) {
            const out = new Float32Array(rows * n);
            gemm(rows, n, k, a, 0, w, 0, out, 0, { transB: t % 2 === 1, weights: packedWeightsOf(w) });
            const why = firstDifference(out, expected[t].subarray(0, rows * n));
            if (why) throw new Error(`round ${round}, weight ${t}, ${rows} rows: ${why}`);
          }
        });
      }
      // the cache stayed within its cap (plus one block's alignment)
      const top = (wasmKernels() as unknown as { top: number }).top;
      expect(top - 64 * 1024).toBeLessThanOrEqual(1 << 20);
    });

    it.each([
      ['one row, then three', [1, 3]],
      ['three rows, then one', [3, 1]],
    ])('runs a weight kept in one layout at the other batch size when the cap has no room for both (%s)', (_label, order) => {
      installWasmKernels(); // a fresh instance: an empty cache
      const [n, k] = [1000, 160]; // 640 KB packed: one layout fits the cap, two do not
      const next = random(77);
      const w = values(k * n, next);
      const a = values(3 * k, next);
      const expected = reference(3, n, k, a, w, { transB: true });
      const scratch = jest.spyOn(wasmKernels()!, 'allocScratch');
      for (let round = 0; round < 2; round++) {
        for (const rows of order) {
          const out = new Float32Array(rows * n);
          gemm(rows, n, k, a, 0, w, 0, out, 0, { transB: true, weights: packedWeightsOf(w) });
          const why = firstDifference(out, expected.subarray(0, rows * n));
          if (why) throw new Error(`round ${round}, ${rows} rows: ${why}`);
        }
      }
      // one copy kept, and the second batch size used it instead of packing B per call
      expect(wasmKernels()!.persistentBytes).toBe(k * n * 4);
      expect(scratch.mock.calls.filter(([floats]) => floats >= k * n)).toEqual([]);
      scratch.mockRestore();
    });
  });
});

describe.each([
  ['JavaScript', false],
  ['WebAssembly SIMD', true],
])('gemm (%s): equal columns of B give equal outputs', (_label, wasm) => {
  const saved = gemmTuning.wasmMinWork;
  beforeAll(() => {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
    gemmTuning.wasmMinWork = 0;
  });
  afterAll(() => {
    useWasmKernels(null);
    gemmTuning.wasmMinWork = saved;
  });

  it.each([
    [1, 1000, 1024],
    [1, 1000, 2048],
    [2, 1000, 4096],
    [7, 100, 300],
    [33, 45, 64],
  ])('m=%i n=%i k=%i with activations near 1e18 (a classifier head with constant weights)', (m, n, k) => {
    const next = random(n + k);
    const a = values(m * k, next).map((v) => 1e18 * (1.5 + v));
    for (const transB of [false, true]) {
      const b = new Float32Array(k * n).fill(0.02);
      const out = new Float32Array(m * n);
      gemm(m, n, k, a, 0, b, 0, out, 0, { transB, weights: packedWeightsOf(b) });
      for (let i = 0; i < m; i++) {
        const row = out.subarray(i * n, (i + 1) * n);
        const j = row.findIndex((v) => v !== row[0]);
        if (j >= 0) throw new Error(`transB=${transB}, row ${i}: column ${j} is ${row[j]} but column 0 is ${row[0]}`);
      }
    }
  });
});
