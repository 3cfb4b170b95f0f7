/**
 * The matrix product the recurrent cells need, C = A * B^T, where A is [m, k], C is [m, n] (both
 * contiguous rows) and B is stored row-major as [n, k] (the layout of the ONNX W and R weights).
 *
 * float32 products big enough to pay for the copies go to the shared GEMM in ../linalg, which runs
 * in WebAssembly SIMD when the kernels module is installed (about 10x this file's JavaScript at
 * hidden size 128) and reuses the packed weights the node's plan keeps when B is a weight.
 * float64 goes to the shared float64 loop (gemmFloats); tiny float32 products, and all of them
 * without WebAssembly, run the local JavaScript below.
 */
import { gemm, GemmCallOptions, gemmFloats, gemmTuning, type PackedWeights } from '../linalg/gemm';
import { wasmKernels } from '../../wasm';
import type { Floats } from '../common/tensor-types';

export type FloatArray = Floats;

/** One options record for every call (gemm() does not keep it). */
const GEMM_OPTIONS = new GemmCallOptions();

export function matmulTransposedB(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  b: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  weights: PackedWeights | null,
): void {
  if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
    gemmFloats(m, n, k, a, aOff, b, bOff, c, cOff, true);
  } else if (m * n * k >= gemmTuning.wasmMinWork && wasmKernels() !== null) {
    const options = GEMM_OPTIONS.reset();
    options.transB = true;
    options.weights = weights;
    gemm(m, n, k, a, aOff, b, bOff, c, cOff, options);
  } else {
    gemmTransposedB(m, n, k, a, aOff, k, b, bOff, k, c, cOff, n, false);
  }
}

/**
 * The JavaScript product: four output columns are computed together so that each element of A is
 * loaded once per four products, with the reduction unrolled by two. For i < m, j < n: C[cOff + i*ldc + j] = (accumulate ? C[...] : 0) + sum_p A[aOff + i*lda + p] * B[bOff + j*ldb + p].
 */
export function gemmTransposedB(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  const n4 = n - (n % 4);
  const k2 = k - (k % 2);
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let j = 0;
    for (; j < n4; j += 4) {
      const b0 = bOff + j * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let p = 0;
      for (; p < k2; p += 2) {
        const x0 = a[ai + p];
        const x1 = a[ai + p + 1];
        s0 += x0 * b[b0 + p] + x1 * b[b0 + p + 1];
        s1 += x0 * b[b1 + p] + x1 * b[b1 + p + 1];
        s2 += x0 * b[b2 + p] + x1 * b[b2 + p + 1];
        s3 += x0 * b[b3 + p] + x1 * b[b3 + p + 1];
      }
      if (p < k) {
        const x0 = a[ai + p];
        s0 += x0 * b[b0 + p];
        s1 += x0 * b[b1 + p];
        s2 += x0 * b[b2 + p];
        s3 += x0 * b[b3 + p];
      }
      if (accumulate) {
        c[ci + j] += s0;
        c[ci + j + 1] += s1;
        c[ci + j + 2] += s2;
        c[ci + j + 3] += s3;
      } else {
        c[ci + j] = s0;
        c[ci + j + 1] = s1;
        c[ci + j + 2] = s2;
        c[ci + j + 3] = s3;
      }
    }
    for (; j < n; j++) {
      const bj = bOff + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[ci + j] = accumulate ? c[ci + j] + s : s;
    }
  }
}
