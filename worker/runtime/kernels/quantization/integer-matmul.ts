/**
 * The integer matrix product under the quantized matmul ops (MatMulInteger, QLinearMatMul):
 *   acc[i][j] = sum_k (A[i][k] - aZero[i]) * (B[k][j] - bZero[j])
 * in int32 with wrap-around, as onnxruntime accumulates. Batch dims broadcast as in MatMul.
 * Plain JavaScript: exact integers first, speed second.
 */
import { kernelFail, type KernelContext } from '../../kernel';
import type { NumericArray, Tensor } from '../../tensor';
import { planMatMul, type MatMulPlan } from '../linalg/matmul';

/**
 * A zero point as one value per row of A (per column of B): a scalar / one-element tensor, a
 * vector over the rows (columns), or one value per matrix and row (shape [..., M, 1] / [..., 1, N]).
 */
export interface ZeroPoints {
  readonly data: NumericArray | null;
  /** values per matrix (0: shared by every matrix) */
  readonly perMatrix: number;
  /** 0: one value for all rows (columns); 1: one per row (column) */
  readonly perLine: 0 | 1;
}

export const NO_ZERO_POINT: ZeroPoints = { data: null, perMatrix: 0, perLine: 0 };

/**
 * Resolves a zero point of A (side 'row', lines = M) or B (side 'column', lines = N) against
 * the operand's matrix count, or a KernelError naming the shapes accepted.
 */
export function resolveZeroPoints(
  zp: Tensor & { data: NumericArray },
  lines: number,
  matrices: number,
  side: 'row' | 'column',
  name: string,
  ctx: Pick<KernelContext, 'node'>,
): ZeroPoints {
  if (zp.size === 1) return { data: zp.data, perMatrix: 0, perLine: 0 };
  if (zp.rank === 1 && zp.size === lines) return { data: zp.data, perMatrix: 0, perLine: 1 };
  if (zp.rank >= 2 && zp.size === lines * matrices && zp.shape[zp.rank - (side === 'row' ? 1 : 2)] === 1) {
    return { data: zp.data, perMatrix: lines, perLine: 1 };
  }
  kernelFail(ctx, `input ${name} of shape [${zp.shape.join(', ')}] must be a scalar or have one value per ${side} (${lines})`);
}

function zeroAt(z: ZeroPoints, matrix: number, line: number): number {
  return z.data === null ? 0 : z.data[matrix * z.perMatrix + line * z.perLine];
}

/** Plans the product and computes every batch's int32 accumulators into `out` (plan.outShape). */
export function integerMatMul(
  a: Tensor & { data: NumericArray },
  b: Tensor & { data: NumericArray },
  aZero: ZeroPoints,
  bZero: ZeroPoints,
  plan: MatMulPlan,
  out: Int32Array,
): void {
  const { m, k, n, matrices } = plan;
  const bCentered = new Int32Array(k * n);
  let lastB = -1;
  for (let t = 0; t < matrices.length / 2; t++) {
    const am = matrices[2 * t];
    const bm = matrices[2 * t + 1];
    if (bm !== lastB) {
      // B minus its column zero points, once per distinct B matrix
      for (let kk = 0; kk < k; kk++) {
        for (let j = 0; j < n; j++) bCentered[kk * n + j] = b.data[bm * k * n + kk * n + j] - zeroAt(bZero, bm, j);
      }
      lastB = bm;
    }
    const outBase = t * m * n;
    for (let i = 0; i < m; i++) {
      const row = outBase + i * n;
      out.fill(0, row, row + n);
      const za = zeroAt(aZero, am, i);
      const aRow = am * m * k + i * k;
      for (let kk = 0; kk < k; kk++) {
        const av = a.data[aRow + kk] - za;
        if (av === 0) continue;
        const bRow = kk * n;
        for (let j = 0; j < n; j++) out[row + j] = (out[row + j] + av * bCentered[bRow + j]) | 0;
      }
    }
  }
}

/** The matmul plan plus the number of A and B matrices (for per-matrix zero points). */
export function planIntegerMatMul(a: Tensor, b: Tensor, ctx: Pick<KernelContext, 'node'>): MatMulPlan & { aMatrices: number; bMatrices: number } {
  const plan = planMatMul(a.shape, b.shape, ctx);
  const aMatrices = a.size / Math.max(1, plan.m * plan.k) || 0;
  const bMatrices = b.size / Math.max(1, plan.k * plan.n) || 0;
  return { ...plan, aMatrices, bMatrices };
}
