/**
 * ai.onnx.ml OneHotEncoder: each input element becomes a row of zeros with a 1 at its category's
 * position; output [...input shape, categories] float32. Unknown values give an all-zero row, or an
 * error when zeros = 0. Numeric inputs are truncated to integers and matched against cats_int64s.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { readLabelLists } from './label-lists';

interface OneHotAttrs {
  index: Map<string | bigint, number>;
  strings: boolean;
  count: number;
  zeros: boolean;
}

export const oneHotEncoderKernel = kernel<OneHotAttrs>({
  op: 'OneHotEncoder',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const { strings, ints } = readLabelLists(attrs, 'cats_strings', 'cats_int64s', 'categories');
    const index = new Map<string | bigint, number>();
    const cats: (string | bigint)[] = strings.length ? strings : ints.map((v) => BigInt(v));
    cats.forEach((c, i) => {
      if (!index.has(c)) index.set(c, i);
    });
    const zeros = attrs.int('zeros', 1);
    return { index, strings: strings.length > 0, count: cats.length, zeros: zeros !== 0 };
  },
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    if ((x.dtype === 'string') !== a.strings) {
      kernelFail(ctx, `input is ${x.dtype} but the categories are ${a.strings ? 'strings' : 'integers'}`);
    }
    const y = ctx.output(0, 'float32', [...x.shape, a.count]);
    const out = y.data;
    out.fill(0);
    const n = x.size;
    for (let i = 0; i < n; i++) {
      const raw = x.data[i];
      const key = typeof raw === 'string' ? raw : typeof raw === 'bigint' ? raw : Number.isFinite(raw) ? BigInt(Math.trunc(raw)) : null;
      const pos = key === null ? undefined : a.index.get(key);
      if (pos !== undefined) out[i * a.count + pos] = 1;
      else if (!a.zeros) kernelFail(ctx, `value ${String(raw)} is not one of the categories (zeros = 0 forbids unknown values)`);
    }
    return y;
  },
});
