/**
 * ArgMax / ArgMin along one axis, int64 indices. Ties pick the first index unless
 * select_last_index=1.
 */
import type { Kernel } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import { sizeOf } from '../../tensor';
import { NUMERIC, expectDType, normalizeAxis } from './dtypes';

interface ArgAttrs {
  readonly axis: number;
  readonly keepdims: boolean;
  readonly selectLast: boolean;
}

function argKernel(op: string, wantMax: boolean): Kernel<ArgAttrs> {
  return kernel<ArgAttrs>({
    op,
    attributes: (r) => {
      const keepdims = r.int('keepdims', 1);
      const last = r.int('select_last_index', 0);
      if (keepdims !== 0 && keepdims !== 1) r.fail(`attribute "keepdims" is ${keepdims}; use 0 or 1`);
      if (last !== 0 && last !== 1) r.fail(`attribute "select_last_index" is ${last}; use 0 or 1`);
      return { axis: r.int('axis', 0), keepdims: keepdims === 1, selectLast: last === 1 };
    },
    run(inputs, { axis, keepdims, selectLast }, ctx) {
      const x = required(inputs, 0, ctx);
      expectDType(ctx, x, NUMERIC, 'input data');
      const a = normalizeAxis(ctx, axis, x.rank);
      const len = x.rank === 0 ? 1 : x.shape[a];
      if (len === 0) kernelFail(ctx, `cannot take ${op} over axis ${axis} of size 0`);
      const outer = sizeOf(x.shape.slice(0, a));
      const inner = sizeOf(x.shape.slice(a + 1));
      const shape = keepdims ? x.shape.map((d, i) => (i === a ? 1 : d)) : x.shape.filter((_, i) => i !== a);
      const out = ctx.output(0, 'int64', shape);
      const src = x.data as ArrayLike<number | bigint>;
      const dst = out.data as BigInt64Array;
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
          dst[o * inner + i] = BigInt(at);
        }
      }
      return [out];
    },
  });
}

export const ArgMax = argKernel('ArgMax', true);
export const ArgMin = argKernel('ArgMin', false);
