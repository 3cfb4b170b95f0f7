/**
 * ai.onnx.ml preprocessing: Scaler, Normalizer (MAX / L1 / L2), Binarizer and Imputer, with
 * onnxruntime's arithmetic (float32 outputs for Scaler and Normalizer; a zero norm leaves the row
 * unchanged; Normalizer MAX divides by the largest value, not the largest magnitude).
 */
import { kernel, kernelFail, required } from '../../kernel';
import { numbersOf, rowsOfMatrix } from './input-rows';

interface ScalerAttrs {
  offset: Float64Array;
  scale: Float64Array;
}

export const scalerKernel = kernel<ScalerAttrs>({
  op: 'Scaler',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const offset = Float64Array.from(attrs.floats('offset', [0]));
    const scale = Float64Array.from(attrs.floats('scale', [1]));
    if (offset.length === 0 || scale.length === 0) attrs.fail('offset and scale must not be empty');
    return { offset, scale };
  },
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    const data = numbersOf(x, ctx);
    const c = x.rank === 0 ? 1 : x.shape[x.rank - 1];
    const { offset, scale } = a;
    for (const [name, list] of [
      ['offset', offset],
      ['scale', scale],
    ] as const) {
      if (list.length !== 1 && list.length !== c) kernelFail(ctx, `${name} has ${list.length} values; it needs 1 or one per feature (${c})`);
    }
    const y = ctx.output(0, 'float32', x.shape);
    const out = y.data;
    const oStep = offset.length === 1 ? 0 : 1;
    const sStep = scale.length === 1 ? 0 : 1;
    for (let i = 0, j = 0; i < out.length; i++) {
      out[i] = (Math.fround(data[i]) - offset[j * oStep]) * scale[j * sStep];
      if (++j === c) j = 0;
    }
    return y;
  },
});

export const normalizerKernel = kernel<{ norm: 'MAX' | 'L1' | 'L2' }>({
  op: 'Normalizer',
  domain: 'ai.onnx.ml',
  attributes: (attrs) => ({ norm: attrs.oneOf('norm', ['MAX', 'L1', 'L2'] as const, 'MAX') }),
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    const { data, n, c } = rowsOfMatrix(x, ctx);
    const y = ctx.output(0, 'float32', x.shape);
    const out = y.data;
    for (let row = 0; row < n; row++) {
      const o = row * c;
      let z = 0;
      if (a.norm === 'MAX') {
        z = -3.4028234663852886e38;
        for (let j = 0; j < c; j++) z = Math.max(z, Math.fround(data[o + j]));
      } else if (a.norm === 'L1') {
        for (let j = 0; j < c; j++) z += Math.abs(data[o + j]);
      } else {
        for (let j = 0; j < c; j++) z += data[o + j] * data[o + j];
      }
      for (let j = 0; j < c; j++) {
        const v = data[o + j];
        if (z === 0) out[o + j] = v;
        else if (a.norm === 'L2') out[o + j] = (v < 0 ? -1 : 1) * Math.sqrt((v * v) / z);
        else out[o + j] = v / z;
      }
    }
    return y;
  },
});

export const binarizerKernel = kernel<{ threshold: number }>({
  op: 'Binarizer',
  domain: 'ai.onnx.ml',
  attributes: (attrs) => ({ threshold: attrs.float('threshold', 0) }),
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype !== 'float32' && x.dtype !== 'float64' && x.dtype !== 'int32') {
      kernelFail(ctx, `input type ${x.dtype} is not supported; use float, double or int32`);
    }
    const y = ctx.output(0, x.dtype, x.shape);
    const src = x.data as ArrayLike<number>;
    const out = y.data as Float32Array;
    const t = a.threshold;
    for (let i = 0; i < src.length; i++) out[i] = src[i] > t ? 1 : 0;
    return y;
  },
});

interface ImputerAttrs {
  floats: Float64Array | null;
  ints: BigInt64Array | null;
  replacedFloat: number;
  replacedInt: bigint;
}

export const imputerKernel = kernel<ImputerAttrs>({
  op: 'Imputer',
  domain: 'ai.onnx.ml',
  attributes(attrs) {
    const floats = attrs.floats('imputed_value_floats', [] as number[]);
    const ints = attrs.ints('imputed_value_int64s', [] as number[]);
    if (floats.length && ints.length) attrs.fail('set only one of imputed_value_floats and imputed_value_int64s');
    if (!floats.length && !ints.length) attrs.fail('imputed values are missing: set imputed_value_floats or imputed_value_int64s');
    return {
      floats: floats.length ? Float64Array.from(floats) : null,
      ints: ints.length ? BigInt64Array.from(ints.map((v) => BigInt(v))) : null,
      replacedFloat: attrs.float('replaced_value_float', 0),
      replacedInt: BigInt(attrs.int('replaced_value_int64', 0)),
    };
  },
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    const c = x.rank === 0 ? 1 : x.shape[x.rank - 1];
    const values = x.dtype === 'int64' ? a.ints : a.floats;
    if (x.dtype !== 'int64' && x.dtype !== 'float32' && x.dtype !== 'float64') kernelFail(ctx, `input type ${x.dtype} is not supported; use float, double or int64`);
    if (!values) kernelFail(ctx, `the input is ${x.dtype} but the imputed values are ${x.dtype === 'int64' ? 'floats' : 'int64s'}`);
    if (values.length !== 1 && values.length !== c) kernelFail(ctx, `there are ${values.length} imputed values; the input needs 1 or ${c}`);
    const step = values.length === 1 ? 0 : 1;
    if (x.dtype === 'int64') {
      const y = ctx.output(0, 'int64', x.shape);
      const src = x.data as BigInt64Array;
      const imputed = values as BigInt64Array;
      for (let i = 0, j = 0; i < src.length; i++) {
        y.data[i] = src[i] === a.replacedInt ? imputed[j * step] : src[i];
        if (++j === c) j = 0;
      }
      return y;
    }
    const y = ctx.output(0, x.dtype, x.shape);
    const src = x.data as Float32Array | Float64Array;
    const out = y.data as Float32Array | Float64Array;
    const imputed = values as Float64Array;
    const nan = Number.isNaN(a.replacedFloat);
    const r = a.replacedFloat;
    for (let i = 0, j = 0; i < src.length; i++) {
      const v = src[i];
      out[i] = (nan ? v !== v : v === r) ? imputed[j * step] : v;
      if (++j === c) j = 0;
    }
    return y;
  },
});
