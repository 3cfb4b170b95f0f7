/**
 * Gemm: Y = alpha * op(A) * op(B) + beta * C, with C broadcast (unidirectionally) to [M, N].
 * A row-vector C becomes the GEMM core's bias; any other C is written into Y first and accumulated.
 */
import { kernel, kernelFail, required, type KernelContext } from '../../kernel';
import { isBigIntDType, type Tensor } from '../../tensor';
import { readFusedClip, type FusedClip } from '../common/fused-activation';
import { gemm, GemmCallOptions, packedWeightsFor, type WeightedPlan } from './gemm';
import { outputLikeFirstInput } from '../common/planned-output';

export interface GemmAttributes {
  readonly alpha: number;
  readonly beta: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly activation?: FusedClip;
}

const SUPPORTED = new Set(['float32', 'float64', 'int32', 'int64', 'uint32', 'uint64']);

interface GemmPlan extends WeightedPlan {
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

export const gemmKernel = kernel<GemmAttributes, GemmPlan>({
  op: 'Gemm',
  attributes: (r) => {
    const flag = (name: string): boolean => {
      const v = r.int(name, 0);
      if (v !== 0 && v !== 1) r.fail(`attribute "${name}" must be 0 or 1 (got ${v})`);
      return v === 1;
    };
    return { alpha: r.float('alpha', 1), beta: r.float('beta', 1), transA: flag('transA'), transB: flag('transB'), activation: readFusedClip(r) };
  },
  outputs: outputLikeFirstInput,
  plan(inputs, attrs, ctx, previous) {
    const a = required(inputs, 0, ctx);
    const b = required(inputs, 1, ctx);
    const c = inputs[2];
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      kernelFail(ctx, `A and B must be matrices (rank 2); got A [${a.shape.join(', ')}] and B [${b.shape.join(', ')}]`);
    }
    if (a.dtype !== b.dtype || (c && c.dtype !== a.dtype)) kernelFail(ctx, `A, B and C must share one type (got ${a.dtype}, ${b.dtype}${c ? `, ${c.dtype}` : ''})`);
    if (!SUPPORTED.has(a.dtype)) kernelFail(ctx, `dtype ${a.dtype} is not supported (supported: ${[...SUPPORTED].join(', ')})`);
    const m = attrs.transA ? a.shape[1] : a.shape[0];
    const k = attrs.transA ? a.shape[0] : a.shape[1];
    const k2 = attrs.transB ? b.shape[1] : b.shape[0];
    const n = attrs.transB ? b.shape[0] : b.shape[1];
    if (k !== k2) {
      kernelFail(ctx, `op(A) is ${m}x${k} but op(B) is ${k2}x${n} (transA=${+attrs.transA}, transB=${+attrs.transB}): inner dimensions differ`);
    }
    if (c && !broadcastsTo(c.shape, m, n)) kernelFail(ctx, `C of shape [${c.shape.join(', ')}] does not broadcast to [${m}, ${n}]`);
    return { m, n, k, outShape: [m, n], weights: a.dtype === 'float32' ? packedWeightsFor(b, previous?.weights) : null };
  },
  run(inputs, attrs, ctx, plan) {
    const a = inputs[0]!;
    const b = inputs[1]!;
    const c = inputs[2];
    const { m, n, k } = plan;
    const out = ctx.output(0, a.dtype, plan.outShape);
    if (a.dtype === 'float32') gemmFloat32(a as Tensor<'float32'>, b as Tensor<'float32'>, c as Tensor<'float32'> | undefined, out as Tensor<'float32'>, plan, attrs, ctx);
    else {
      gemmGeneric(a, b, c, out, m, n, k, attrs);
      if (attrs.activation) clampInPlace(out, attrs.activation);
    }
    return out;
  },
});

/** C's shape as [rows, cols] after prepending 1s (C has rank 0 to 2). */
function cRows(shape: readonly number[]): number {
  return shape.length === 2 ? shape[0] : 1;
}
function cCols(shape: readonly number[]): number {
  return shape.length >= 1 ? shape[shape.length - 1] : 1;
}

function broadcastsTo(shape: readonly number[], m: number, n: number): boolean {
  if (shape.length > 2) return false;
  const rows = cRows(shape);
  const cols = cCols(shape);
  return (rows === 1 || rows === m) && (cols === 1 || cols === n);
}

/** Element (i, j) of C broadcast to [m, n] is at i * cRowStride + j * cColStride. */
function cRowStride(shape: readonly number[], m: number): number {
  return cRows(shape) === 1 && m !== 1 ? 0 : cCols(shape);
}
function cColStride(shape: readonly number[], n: number): number {
  return cCols(shape) === 1 && n !== 1 ? 0 : 1;
}

/** One options record for every float32 Gemm call (gemm() does not keep it). */
const GEMM_OPTIONS = new GemmCallOptions();

function gemmFloat32(
  a: Tensor<'float32'>, b: Tensor<'float32'>, c: Tensor<'float32'> | undefined, out: Tensor<'float32'>,
  { m, n, k, weights }: GemmPlan, attrs: GemmAttributes, ctx: KernelContext,
): void {
  let bias: Float32Array | null = null;
  let accumulate = false;
  if (c && attrs.beta !== 0) {
    const rs = cRowStride(c.shape, m);
    const cs = cColStride(c.shape, n);
    if (rs === 0 && cs === 1) {
      // one row: the core's bias
      if (attrs.beta === 1) bias = c.data;
      else {
        bias = ctx.scratch(n);
        for (let j = 0; j < n; j++) bias[j] = attrs.beta * c.data[j];
      }
    } else {
      const y = out.data;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[i * n + j] = attrs.beta * c.data[i * rs + j * cs];
      accumulate = true;
    }
  }
  const options = GEMM_OPTIONS.reset();
  options.transA = attrs.transA;
  options.transB = attrs.transB;
  options.alpha = attrs.alpha;
  options.bias = bias;
  options.accumulate = accumulate;
  options.weights = weights;
  if (attrs.activation) {
    options.min = attrs.activation.min;
    options.max = attrs.activation.max;
  }
  gemm(m, n, k, a.data, 0, b.data, 0, out.data, 0, options);
}

function clampInPlace(t: Tensor, { min, max }: FusedClip): void {
  const data = t.data as unknown as { [i: number]: number | bigint; length: number };
  const big = isBigIntDType(t.dtype);
  const lo = Number.isFinite(min) ? (big ? BigInt(Math.ceil(min)) : min) : null;
  const hi = Number.isFinite(max) ? (big ? BigInt(Math.floor(max)) : max) : null;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (lo !== null && v < lo) data[i] = lo;
    else if (hi !== null && v > hi) data[i] = hi;
  }
}

function gemmGeneric(a: Tensor, b: Tensor, c: Tensor | undefined, out: Tensor, m: number, n: number, k: number, attrs: GemmAttributes): void {
  const A = a.data as unknown as ArrayLike<number | bigint>;
  const B = b.data as unknown as ArrayLike<number | bigint>;
  const Y = out.data as unknown as { [i: number]: number | bigint };
  const big = isBigIntDType(a.dtype);
  const [ars, acs] = attrs.transA ? [1, m] : [k, 1];
  const [brs, bcs] = attrs.transB ? [1, k] : [n, 1];
  const crs = c ? cRowStride(c.shape, m) : 0;
  const ccs = c ? cColStride(c.shape, n) : 0;
  const C = c?.data as unknown as ArrayLike<number | bigint> | undefined;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (big) {
        let s = 0n;
        for (let kk = 0; kk < k; kk++) s += (A[i * ars + kk * acs] as bigint) * (B[kk * brs + j * bcs] as bigint);
        s *= BigInt(attrs.alpha);
        if (C && attrs.beta !== 0) s += BigInt(attrs.beta) * (C[i * crs + j * ccs] as bigint);
        Y[i * n + j] = s;
      } else {
        let s = 0;
        for (let kk = 0; kk < k; kk++) s += (A[i * ars + kk * acs] as number) * (B[kk * brs + j * bcs] as number);
        s *= attrs.alpha;
        if (C && attrs.beta !== 0) s += attrs.beta * (C[i * crs + j * ccs] as number);
        Y[i * n + j] = s;
      }
    }
  }
}
