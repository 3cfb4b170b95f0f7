/**
 * Float predicates with bool outputs: IsNaN, and IsInf (detect_negative / detect_positive choose
 * which infinities count, both by default).
 */
import type { AttributeReader } from '../../kernel';
import { kernel, required } from '../../kernel';
import type { Kernel } from '../../kernel';
import { FLOATS } from '../common/dtypes';
import { expectDType } from '../common/inputs';

function floatPredicate<P>(op: string, attributes: ((r: AttributeReader) => P) | undefined, test: (params: P) => (v: number) => boolean): Kernel<P> {
  return kernel<P>({
    op,
    attributes,
    run(inputs, params, ctx) {
      const x = required(inputs, 0, ctx);
      expectDType(ctx, x, FLOATS, 'input X');
      const out = ctx.output(0, 'bool', x.shape);
      const src = x.data as Float32Array | Float64Array;
      const dst = out.data;
      const fn = test(params);
      for (let i = 0; i < src.length; i++) dst[i] = fn(src[i]) ? 1 : 0;
      return out;
    },
  });
}

export const isNaNKernel = floatPredicate<undefined>('IsNaN', undefined, () => Number.isNaN);

interface IsInfAttrs {
  readonly negative: boolean;
  readonly positive: boolean;
}

function flag(r: AttributeReader, name: string): boolean {
  const v = r.int(name, 1);
  if (v !== 0 && v !== 1) r.fail(`attribute "${name}" is ${v}; use 0 or 1`);
  return v === 1;
}

export const isInfKernel = floatPredicate<IsInfAttrs>(
  'IsInf',
  (r) => ({ negative: flag(r, 'detect_negative'), positive: flag(r, 'detect_positive') }),
  ({ negative, positive }) => (v) => (positive && v === Infinity) || (negative && v === -Infinity),
);
