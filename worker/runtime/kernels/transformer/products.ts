/**
 * Dense products for attention: the shared float32 `gemm()` (WebAssembly SIMD when installed),
 * with a plain loop for float64, which gemm does not take.
 *
 *   out[i*n + j] = alpha * sum_p a[i*k + p] * (transB ? b[j*k + p] : b[p*n + j])
 */
import { gemm, GemmCallOptions } from '../linalg/gemm';
import type { Floats } from './inputs';

/** One options record for every float32 product (gemm() does not keep it). */
const GEMM_OPTIONS = new GemmCallOptions();

export function matmulInto(
  m: number,
  n: number,
  k: number,
  a: Floats,
  aOffset: number,
  b: Floats,
  bOffset: number,
  out: Floats,
  outOffset: number,
  transB: boolean,
  alpha = 1,
): void {
  if (a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
    const options = GEMM_OPTIONS.reset();
    options.transB = transB;
    options.alpha = alpha;
    gemm(m, n, k, a, aOffset, b, bOffset, out, outOffset, options);
    return;
  }
  for (let i = 0; i < m; i++) {
    const aRow = aOffset + i * k;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      if (transB) {
        const bRow = bOffset + j * k;
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      } else {
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bOffset + p * n + j];
      }
      out[outOffset + i * n + j] = alpha * sum;
    }
  }
}
