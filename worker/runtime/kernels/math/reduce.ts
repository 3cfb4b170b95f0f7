/**
 * Reductions: ReduceSum ReduceMean ReduceMax ReduceMin ReduceProd ReduceSumSquare ReduceL1
 * ReduceL2 ReduceLogSum ReduceLogSumExp.
 *
 * Axes come from the `axes` attribute before the op's input-axes opset (13 for ReduceSum, 18
 * for the others) and from the optional second input from then on. No axes reduce everything,
 * unless noop_with_empty_axes=1, which returns the input unchanged. An empty reduction yields the
 * identity of the fold: 0 for sums, 1 for products, -inf for Max and LogSumExp, +inf for Min.
 */
import type { Kernel, KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { isBigIntDType, isFloatDType } from '../../tensor';
import type { ReduceLayout } from './reduce-loop';
import { forEachRow, reduceLayout } from './reduce-loop';
import { NUMERIC } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import type { Floats } from '../common/tensor-types';

const NUMERIC_OR_BOOL = [...NUMERIC, 'bool' as const];

/** The primitive folds the loops implement; every op is one of them plus a finishing step. */
const Fold = { Sum: 0, SumSquare: 1, SumAbs: 2, Prod: 3, Max: 4, Min: 5 } as const;
type Fold = (typeof Fold)[keyof typeof Fold];

const IDENTITY: Record<Fold, number> = { 0: 0, 1: 0, 2: 0, 3: 1, 4: -Infinity, 5: Infinity };

type Finish = 'none' | 'mean' | 'sqrt' | 'log' | 'logsumexp';

interface ReduceAttrs {
  readonly keepdims: boolean;
  readonly noopWithEmptyAxes: boolean;
  /** from the attribute (old opsets); undefined means "read input 1 if given" */
  readonly axes?: readonly number[];
}

function reduceKernel(op: string, fold: Fold, finish: Finish, axesInputSince = 18): Kernel<ReduceAttrs> {
  return kernel<ReduceAttrs>({
    op,
    attributes: (r, opset) => {
      const keepdims = r.int('keepdims', 1);
      const noop = r.int('noop_with_empty_axes', 0);
      if (keepdims !== 0 && keepdims !== 1) r.fail(`attribute "keepdims" is ${keepdims}; use 0 or 1`);
      if (noop !== 0 && noop !== 1) r.fail(`attribute "noop_with_empty_axes" is ${noop}; use 0 or 1`);
      if (opset >= axesInputSince && r.has('axes')) {
        r.fail(`attribute "axes" was replaced by an input in opset ${axesInputSince}; pass the axes as input 1`);
      }
      return { keepdims: keepdims === 1, noopWithEmptyAxes: noop === 1, axes: opset < axesInputSince ? r.ints('axes', undefined) : undefined };
    },
    run(inputs, attrs, ctx) {
      const x = required(inputs, 0, ctx);
      // bool data is accepted by ReduceMax/ReduceMin (opset 20): max is "any", min is "all"
      expectDType(ctx, x, fold === Fold.Max || fold === Fold.Min ? NUMERIC_OR_BOOL : NUMERIC, 'input data');
      let axes = attrs.axes;
      if (axes === undefined && inputs[1]) axes = readAxesInput(ctx, inputs[1]);
      if (!axes || axes.length === 0) {
        if (attrs.noopWithEmptyAxes) return x.reshape(x.shape);
        axes = x.shape.map((_, i) => i);
      }
      const set = new Set<number>();
      for (const a of axes) {
        if (a < -x.rank || a >= Math.max(x.rank, 1)) kernelFail(ctx, `axis ${a} is out of range for input of rank ${x.rank}`);
        const n = a < 0 ? a + x.rank : a;
        if (set.has(n)) kernelFail(ctx, `axis ${a} is listed twice`);
        set.add(n);
      }
      const shape = attrs.keepdims ? x.shape.map((d, i) => (set.has(i) ? 1 : d)) : x.shape.filter((_, i) => !set.has(i));
      const layout = reduceLayout(x.shape, set);
      const out = ctx.output(0, x.dtype, shape);
      if (isFloatDType(x.dtype)) {
        reduceFloats(ctx, x.data as Float32Array, out.data as Float32Array, layout, fold, finish);
      } else if (isBigIntDType(x.dtype) && finish !== 'sqrt' && finish !== 'log' && finish !== 'logsumexp') {
        reduceBigInts(x.data as BigInt64Array, out.data as BigInt64Array, layout, fold, finish === 'mean');
      } else {
        // integers: fold in doubles, then store (typed-array stores truncate toward zero)
        const src = isBigIntDType(x.dtype) ? Float64Array.from(x.data as BigInt64Array, Number) : (x.data as Float32Array);
        const acc = new Float64Array(layout.outSize);
        reduceFloats(ctx, src, acc, layout, fold, finish);
        const dst = out.data as { [i: number]: number | bigint };
        const big = isBigIntDType(x.dtype);
        for (let i = 0; i < acc.length; i++) {
          const v = acc[i];
          dst[i] = big ? (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n) : v;
        }
      }
      return out;
    },
  });
}

function readAxesInput(ctx: KernelContext, t: Tensor): number[] {
  if (t.dtype !== 'int64') kernelFail(ctx, `input axes has dtype ${t.dtype}; expected int64`);
  if (t.rank > 1) kernelFail(ctx, `input axes must be 1-D, got rank ${t.rank}`);
  return Array.from(t.data as BigInt64Array, Number);
}


function reduceFloats(ctx: KernelContext, x: Floats, out: Floats, layout: ReduceLayout, fold: Fold, finish: Finish): void {
  const n = layout.outSize;
  if (finish === 'logsumexp') {
    // log(sum(exp(x - m))) + m with m the maximum, so large inputs do not overflow
    const max = ctx.scratch(n);
    max.fill(-Infinity, 0, n);
    foldInto(x, max, layout, Fold.Max);
    out.fill(0);
    forEachRow(layout, (xi, oi, len, lastReduced) => {
      if (lastReduced) {
        const m = max[oi];
        let s = 0;
        for (let i = 0; i < len; i++) s += Math.exp(x[xi + i] - m);
        out[oi] += s;
      } else {
        for (let i = 0; i < len; i++) out[oi + i] += Math.exp(x[xi + i] - max[oi + i]);
      }
    });
    for (let i = 0; i < n; i++) {
      const m = max[i];
      out[i] = Number.isFinite(m) ? Math.log(out[i]) + m : m;
    }
    return;
  }
  out.fill(IDENTITY[fold], 0, n);
  foldInto(x, out, layout, fold);
  const count = layout.count;
  switch (finish) {
    case 'mean': for (let i = 0; i < n; i++) out[i] /= count; break;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(out[i]); break;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(out[i]); break;
    default:
  }
}

function foldInto(x: Floats, out: Floats, layout: ReduceLayout, fold: Fold): void {
  forEachRow(layout, (xi, oi, len, lastReduced) => {
    if (lastReduced) out[oi] = foldRow(x, xi, len, fold, out[oi]);
    else foldElementwise(x, xi, out, oi, len, fold);
  });
}

/** Folds x[xi .. xi+len) into `acc` in double precision. */
function foldRow(x: Floats, xi: number, len: number, fold: Fold, acc: number): number {
  const end = xi + len;
  switch (fold) {
    case Fold.Sum: for (let i = xi; i < end; i++) acc += x[i]; break;
    case Fold.SumSquare: for (let i = xi; i < end; i++) acc += x[i] * x[i]; break;
    case Fold.SumAbs: for (let i = xi; i < end; i++) acc += Math.abs(x[i]); break;
    case Fold.Prod: for (let i = xi; i < end; i++) acc *= x[i]; break;
    case Fold.Max: for (let i = xi; i < end; i++) { const v = x[i]; if (v > acc || v !== v) acc = v; } break;
    default: for (let i = xi; i < end; i++) { const v = x[i]; if (v < acc || v !== v) acc = v; }
  }
  return acc;
}

/** out[oi + i] = fold(out[oi + i], x[xi + i]) for i < len. */
function foldElementwise(x: Floats, xi: number, out: Floats, oi: number, len: number, fold: Fold): void {
  switch (fold) {
    case Fold.Sum: for (let i = 0; i < len; i++) out[oi + i] += x[xi + i]; break;
    case Fold.SumSquare: for (let i = 0; i < len; i++) { const v = x[xi + i]; out[oi + i] += v * v; } break;
    case Fold.SumAbs: for (let i = 0; i < len; i++) out[oi + i] += Math.abs(x[xi + i]); break;
    case Fold.Prod: for (let i = 0; i < len; i++) out[oi + i] *= x[xi + i]; break;
    case Fold.Max: for (let i = 0; i < len; i++) { const v = x[xi + i]; if (v > out[oi + i] || v !== v) out[oi + i] = v; } break;
    default: for (let i = 0; i < len; i++) { const v = x[xi + i]; if (v < out[oi + i] || v !== v) out[oi + i] = v; }
  }
}

const BIG_FOLDS: Record<Fold, (acc: bigint, v: bigint) => bigint> = {
  0: (a, v) => a + v,
  1: (a, v) => a + v * v,
  2: (a, v) => a + (v < 0n ? -v : v),
  3: (a, v) => a * v,
  4: (a, v) => (v > a ? v : a),
  5: (a, v) => (v < a ? v : a),
};

/** int64/uint64 folds stay exact in bigints; an empty Max/Min yields 0 (no infinity). */
function reduceBigInts(x: BigInt64Array, out: BigInt64Array, layout: ReduceLayout, fold: Fold, mean: boolean): void {
  const f = BIG_FOLDS[fold];
  const started = new Uint8Array(layout.outSize);
  out.fill(fold === Fold.Prod ? 1n : 0n);
  const minMax = fold === Fold.Max || fold === Fold.Min;
  forEachRow(layout, (xi, oi, len, lastReduced) => {
    for (let i = 0; i < len; i++) {
      const o = lastReduced ? oi : oi + i;
      const v = x[xi + i];
      if (minMax && !started[o]) {
        out[o] = v;
        started[o] = 1;
      } else out[o] = f(out[o], v);
    }
  });
  if (mean && layout.count > 0) {
    const c = BigInt(layout.count);
    for (let i = 0; i < out.length; i++) out[i] /= c;
  }
}

export const reduceSumKernel = reduceKernel('ReduceSum', Fold.Sum, 'none', 13);
export const reduceMeanKernel = reduceKernel('ReduceMean', Fold.Sum, 'mean');
export const reduceMaxKernel = reduceKernel('ReduceMax', Fold.Max, 'none');
export const reduceMinKernel = reduceKernel('ReduceMin', Fold.Min, 'none');
export const reduceProdKernel = reduceKernel('ReduceProd', Fold.Prod, 'none');
export const reduceSumSquareKernel = reduceKernel('ReduceSumSquare', Fold.SumSquare, 'none');
export const reduceL1Kernel = reduceKernel('ReduceL1', Fold.SumAbs, 'none');
export const reduceL2Kernel = reduceKernel('ReduceL2', Fold.SumSquare, 'sqrt');
export const reduceLogSumKernel = reduceKernel('ReduceLogSum', Fold.Sum, 'log');
export const reduceLogSumExpKernel = reduceKernel('ReduceLogSumExp', Fold.Max, 'logsumexp');
