/**
 * MatMul (numpy matmul semantics): 1-D operands are promoted to a matrix and the added dimension
 * removed from the result; leading (batch) dimensions broadcast. float32 goes through the shared
 * GEMM core; other numeric types use a plain loop.
 */
import { kernel, kernelFail, required, type KernelContext } from '../../kernel';
import { isBigIntDType, sizeOf, type Tensor } from '../../tensor';
import { broadcastShapes, broadcastStrides } from '../common/broadcast';
import { gemm, GemmCallOptions, PackedWeights, packedWeightsFor } from './gemm';
import { outputLikeFirstInput } from '../common/planned-output';

/** One options record for every float32 MatMul call (gemm() does not keep it). */
const GEMM_OPTIONS = new GemmCallOptions();

const SUPPORTED = new Set(['float32', 'float64', 'int32', 'int64', 'uint32', 'uint64']);

export interface MatMulPlan {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly batchShape: readonly number[];
  readonly outShape: readonly number[];
  /** per output batch index: the matrix index into A and B */
  readonly aBatchStrides: readonly number[];
  readonly bBatchStrides: readonly number[];
  /** for output batch t: A's matrix index at [2t], B's at [2t + 1] (made once per plan) */
  readonly matrices: Int32Array;
  /** one B for every batch and A not broadcast: the batches stack into one tall A */
  readonly stacked: boolean;
  /** B's packed layouts when B is a float32 weight */
  readonly weights: PackedWeights | null;
}

export function planMatMul(aShape: readonly number[], bShape: readonly number[], ctx: Pick<KernelContext, 'node'>, weights: PackedWeights | null = null): MatMulPlan {
  if (aShape.length === 0 || bShape.length === 0) kernelFail(ctx, 'MatMul inputs must have rank >= 1 (got a scalar)');
  const a2 = aShape.length === 1 ? [1, aShape[0]] : aShape;
  const b2 = bShape.length === 1 ? [bShape[0], 1] : bShape;
  const m = a2[a2.length - 2];
  const k = a2[a2.length - 1];
  const k2 = b2[b2.length - 2];
  const n = b2[b2.length - 1];
  if (k !== k2) {
    kernelFail(ctx, `cannot multiply A of shape [${aShape.join(', ')}] by B of shape [${bShape.join(', ')}]: A has ${k} columns but B has ${k2} rows`);
  }
  const aBatch = a2.slice(0, -2);
  const bBatch = b2.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch);
  if (!batchShape) {
    kernelFail(ctx, `batch dimensions [${aBatch.join(', ')}] of A and [${bBatch.join(', ')}] of B do not broadcast`);
  }
  const outShape = [...batchShape];
  if (aShape.length > 1) outShape.push(m);
  if (bShape.length > 1) outShape.push(n);
  const aBatchStrides = broadcastStrides(aBatch, batchShape);
  const bBatchStrides = broadcastStrides(bBatch, batchShape);
  const matrices = batchMatrices(batchShape, aBatchStrides, bBatchStrides);
  const stacked = bBatchStrides.every((s) => s === 0) && sizeOf(aShape) === (matrices.length / 2) * m * k;
  return { m, k, n, batchShape, outShape, aBatchStrides, bBatchStrides, matrices, stacked, weights };
}

/** A's and B's matrix indices for every output batch index, in pairs (see MatMulPlan.matrices). */
function batchMatrices(batchShape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): Int32Array {
  const count = sizeOf(batchShape);
  const rank = batchShape.length;
  const matrices = new Int32Array(2 * count);
  const counter = new Array<number>(rank).fill(0);
  let ai = 0;
  let bi = 0;
  for (let t = 0; t < count; t++) {
    matrices[2 * t] = ai;
    matrices[2 * t + 1] = bi;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      ai += aStrides[d];
      bi += bStrides[d];
      if (counter[d] < batchShape[d]) break;
      ai -= aStrides[d] * batchShape[d];
      bi -= bStrides[d] * batchShape[d];
      counter[d] = 0;
    }
  }
  return matrices;
}

export const matMulKernel = kernel<undefined, MatMulPlan>({
  op: 'MatMul',
  outputs: outputLikeFirstInput,
  plan(inputs, _attrs, ctx, previous) {
    const a = required(inputs, 0, ctx);
    const b = required(inputs, 1, ctx);
    if (a.dtype !== b.dtype) kernelFail(ctx, `A is ${a.dtype} but B is ${b.dtype}; both inputs must have the same type`);
    if (!SUPPORTED.has(a.dtype)) kernelFail(ctx, `dtype ${a.dtype} is not supported (supported: ${[...SUPPORTED].join(', ')})`);
    return planMatMul(a.shape, b.shape, ctx, a.dtype === 'float32' ? packedWeightsFor(b, previous?.weights) : null);
  },
  run(inputs, _attrs, ctx, plan) {
    const a = inputs[0]!;
    const b = inputs[1]!;
    const out = ctx.output(0, a.dtype, plan.outShape);
    if (a.dtype === 'float32') matMulFloat32(a as Tensor<'float32'>, b as Tensor<'float32'>, out as Tensor<'float32'>, plan);
    else matMulGeneric(a, b, out, plan);
    return out;
  },
});

function matMulFloat32(a: Tensor<'float32'>, b: Tensor<'float32'>, out: Tensor<'float32'>, plan: MatMulPlan): void {
  const { m, k, n, matrices } = plan;
  const options = GEMM_OPTIONS.reset();
  options.weights = plan.weights;
  if (plan.stacked) {
    gemm((matrices.length / 2) * m, n, k, a.data, 0, b.data, 0, out.data, 0, options);
    return;
  }
  for (let t = 0; t < matrices.length / 2; t++) {
    gemm(m, n, k, a.data, matrices[2 * t] * m * k, b.data, matrices[2 * t + 1] * k * n, out.data, t * m * n, options);
  }
}

function matMulGeneric(a: Tensor, b: Tensor, out: Tensor, plan: MatMulPlan): void {
  const { m, k, n, matrices } = plan;
  const A = a.data as unknown as ArrayLike<number | bigint>;
  const B = b.data as unknown as ArrayLike<number | bigint>;
  const C = out.data as unknown as { [i: number]: number | bigint };
  const big = isBigIntDType(a.dtype);
  for (let t = 0; t < matrices.length / 2; t++) {
    const ao = matrices[2 * t] * m * k;
    const bo = matrices[2 * t + 1] * k * n;
    const co = t * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        if (big) {
          let s = 0n;
          for (let kk = 0; kk < k; kk++) s += (A[ao + i * k + kk] as bigint) * (B[bo + kk * n + j] as bigint);
          C[co + i * n + j] = s;
        } else {
          let s = 0;
          for (let kk = 0; kk < k; kk++) s += (A[ao + i * k + kk] as number) * (B[bo + kk * n + j] as number);
          C[co + i * n + j] = s;
        }
      }
    }
  }
}
