/**
 * ArgMax / ArgMin along one axis, int64 indices. Ties pick the first index unless
 * select_last_index=1.
 */
import type { Kernel } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import { sizeBetween } from '../../tensor';
import { Int64Words, setInt64 } from '../common/int64-words';
import { NUMERIC } from '../common/dtypes';
import { expectDType } from '../common/inputs';
import { normalizeAxis } from '../common/axes';

interface ArgPlan {
  readonly axis: number;
  readonly len: number;
  readonly outer: number;
  readonly inner: number;
  readonly outShape: readonly number[];
  readonly words: Int64Words;
}

interface ArgAttrs {
  readonly axis: number;
  readonly keepdims: boolean;
  readonly selectLast: boolean;
}

function argKernel(op: string, wantMax: boolean): Kernel<ArgAttrs, ArgPlan> {
  return kernel<ArgAttrs, ArgPlan>({
    op,
    attributes: (r) => {
      const keepdims = r.int('keepdims', 1);
      const last = r.int('select_last_index', 0);
      if (keepdims !== 0 && keepdims !== 1) r.fail(`attribute "keepdims" is ${keepdims}; use 0 or 1`);
      if (last !== 0 && last !== 1) r.fail(`attribute "select_last_index" is ${last}; use 0 or 1`);
      return { axis: r.int('axis', 0), keepdims: keepdims === 1, selectLast: last === 1 };
    },
    plan(inputs, { axis, keepdims }, ctx) {
      const x = required(inputs, 0, ctx);
      expectDType(ctx, x, NUMERIC, 'input data');
      const a = normalizeAxis(axis, x.shape.length, ctx, 'axis', true);
      const len = x.shape.length === 0 ? 1 : x.shape[a];
      if (len === 0) kernelFail(ctx, `cannot take ${op} over axis ${axis} of size 0`);
      return { axis: a, len, outer: sizeBetween(x.shape, 0, a), inner: sizeBetween(x.shape, a + 1), outShape: reducedShape(x.shape, a, keepdims), words: new Int64Words() };
    },
    outputs: (plan) => [{ dtype: 'int64', shape: plan.outShape }],
    run(inputs, { selectLast }, ctx, { len, outer, inner, outShape, words: outWords }) {
      const x = inputs[0]!;
      const out = ctx.output(0, 'int64', outShape);
      const src = x.data as ArrayLike<number | bigint>;
      const dst = out.data as BigInt64Array;
      const words = outWords.of(dst);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * len * inner + i;
          let best = src[base];
          let at = 0;
          for (let k = 1; k < len; k++) {
            const v = src[base + k * inner];
            const better = wantMax ? v > best || (selectLast && v === best) : v < best || (selectLast && v === best);
            if (better) {
              best = v;
              at = k;
            }
          }
          if (words !== null) setInt64(words, o * inner + i, at);
          else dst[o * inner + i] = BigInt(at);
        }
      }
      return out;
    },
  });
}

/** `shape` without axis `a` (or with it as 1 when keepdims). */
function reducedShape(shape: readonly number[], a: number, keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (i !== a) out.push(shape[i]);
    else if (keepdims) out.push(1);
  }
  return out;
}

export const argMaxKernel = argKernel('ArgMax', true);
export const argMinKernel = argKernel('ArgMin', false);
