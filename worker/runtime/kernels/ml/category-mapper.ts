/**
 * ai.onnx.ml CategoryMapper: string <-> int64 through the paired lists cats_strings /
 * cats_int64s. Strings map to int64 (default_int64 when unknown), int64 to strings
 * (default_string). When a key repeats, the last pair wins, as in onnxruntime.
 */
import { kernel, kernelFail, required } from '../../kernel';

interface CategoryMapperAttrs {
  readonly toInt: ReadonlyMap<string, bigint>;
  readonly toString: ReadonlyMap<bigint, string>;
  readonly defaultInt: bigint;
  readonly defaultString: string;
}

export const categoryMapperKernel = kernel<CategoryMapperAttrs>({
  op: 'CategoryMapper',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const strings = attrs.strings('cats_strings', [] as string[]);
    const ints = attrs.ints('cats_int64s', [] as number[]);
    if (strings.length !== ints.length) {
      attrs.fail(`cats_strings has ${strings.length} entries but cats_int64s has ${ints.length}; they are pairs and must have equal length`);
    }
    const toInt = new Map<string, bigint>();
    const toString = new Map<bigint, string>();
    strings.forEach((s, i) => {
      toInt.set(s, BigInt(ints[i]));
      toString.set(BigInt(ints[i]), s);
    });
    return { toInt, toString, defaultInt: BigInt(attrs.int('default_int64', -1)), defaultString: attrs.string('default_string', '_Unused') };
  },
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype === 'string') {
      const y = ctx.output(0, 'int64', x.shape);
      const src = x.data as string[];
      for (let i = 0; i < src.length; i++) y.data[i] = a.toInt.get(src[i]) ?? a.defaultInt;
      return y;
    }
    if (x.dtype === 'int64') {
      const y = ctx.output(0, 'string', x.shape);
      const src = x.data as BigInt64Array;
      for (let i = 0; i < src.length; i++) y.data[i] = a.toString.get(src[i]) ?? a.defaultString;
      return y;
    }
    return kernelFail(ctx, `input has dtype ${x.dtype}; CategoryMapper maps string to int64 or int64 to string`);
  },
});
