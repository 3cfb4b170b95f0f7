/**
 * Cast and CastLike between every runtime dtype: numbers, bool, string, and float16 (carried as
 * float32 rounded to half precision). Float to integer truncates toward zero; out-of-range values
 * wrap like typed-array stores. The `saturate` attribute only concerns float8 types, which the
 * runtime does not have, so it is accepted and ignored.
 */
import type { KernelContext } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType, Tensor } from '../../tensor';
import { isBigIntDType, roundToFloat16 } from '../../tensor';

/** ONNX TensorProto.DataType codes the runtime can produce. */
export const ONNX_TYPES: Readonly<Record<number, { dtype: DType; float16?: true }>> = {
  1: { dtype: 'float32' },
  2: { dtype: 'uint8' },
  3: { dtype: 'int8' },
  4: { dtype: 'uint16' },
  5: { dtype: 'int16' },
  6: { dtype: 'int32' },
  7: { dtype: 'int64' },
  8: { dtype: 'string' },
  9: { dtype: 'bool' },
  10: { dtype: 'float32', float16: true },
  11: { dtype: 'float64' },
  12: { dtype: 'uint32' },
  13: { dtype: 'uint64' },
};

const ONNX_TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bfloat16', 14: 'complex64', 15: 'complex128', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz',
  19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4', 23: 'float4e2m1', 24: 'uint2', 25: 'int2',
};

interface CastAttrs {
  readonly dtype: DType;
  readonly float16: boolean;
}

export const castKernel = kernel<CastAttrs>({
  op: 'Cast',
  attributes: (r) => {
    const to = r.int('to');
    const target = ONNX_TYPES[to];
    if (!target) {
      const name = ONNX_TYPE_NAMES[to] ?? `type code ${to}`;
      r.fail(`attribute "to" is ${to} (${name}); supported: float, float16, double, int8/16/32/64, uint8/16/32/64, bool, string`);
    }
    return { dtype: target.dtype, float16: target.float16 === true };
  },
  run(inputs, { dtype, float16 }, ctx) {
    return castTensor(ctx, required(inputs, 0, ctx), dtype, float16);
  },
});

/** CastLike(input, target_type): Cast to the dtype of the second input. */
export const castLikeKernel = kernel({
  op: 'CastLike',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const like = required(inputs, 1, ctx);
    return castTensor(ctx, x, like.dtype, false);
  },
});

export function castTensor(ctx: KernelContext, x: Tensor, dtype: DType, float16: boolean): Tensor {
  // same dtype: a view, no copy (kernels never write into their inputs, so sharing is safe)
  if (x.dtype === dtype && !float16) return x.reshape(x.shape);
  const out = ctx.output(0, dtype, x.shape);
  const src = x.data as ArrayLike<any>;
  const dst = out.data as { [i: number]: any };
  const n = x.size;
  const convert = converter(ctx, x.dtype, dtype);
  if (convert) for (let i = 0; i < n; i++) dst[i] = convert(src[i]);
  else for (let i = 0; i < n; i++) dst[i] = src[i];
  if (float16) {
    const f = out.data as Float32Array;
    for (let i = 0; i < n; i++) f[i] = roundToFloat16(f[i]);
  }
  return out;
}

const INT64_MIN = -(2n ** 63n);

/** A per-element conversion, or undefined when a plain typed-array store already converts. */
function converter(ctx: KernelContext, from: DType, to: DType): ((v: any) => any) | undefined {
  if (from === 'string') {
    if (to === 'string') return undefined;
    if (isBigIntDType(to)) return (s: string) => parseBigInt(ctx, s);
    if (to === 'bool') return (s: string) => (parseNumber(ctx, s) !== 0 ? 1 : 0);
    return (s: string) => parseNumber(ctx, s);
  }
  if (to === 'string') {
    return from === 'bool' ? (v: number) => (v ? '1' : '0') : formatNumber;
  }
  // NaN is true, as in C++; loose equality also matches 0n
  // eslint-disable-next-line eqeqeq
  if (to === 'bool') return (v: number | bigint) => (v == 0 ? 0 : 1);
  const fromBig = isBigIntDType(from);
  const toBig = isBigIntDType(to);
  if (toBig && !fromBig) {
    const bits = to === 'int64' ? BigInt.asIntN : BigInt.asUintN;
    return (v: number) => {
      const t = Math.trunc(v);
      return Number.isFinite(t) ? bits(64, BigInt(t)) : INT64_MIN;
    };
  }
  if (fromBig && !toBig) return Number;
  // number to number: typed-array stores truncate toward zero and wrap out-of-range values
  return undefined;
}

function formatNumber(v: number | bigint): string {
  if (typeof v === 'bigint') return v.toString();
  if (v === Infinity) return 'INF';
  if (v === -Infinity) return '-INF';
  return String(v);
}

function parseNumber(ctx: KernelContext, s: string): number {
  const t = s.trim();
  const lower = t.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan' || lower === '-nan') return NaN;
  const v = Number(t);
  if (t === '' || Number.isNaN(v)) kernelFail(ctx, `cannot cast the string "${s}" to a number`);
  return v;
}

function parseBigInt(ctx: KernelContext, s: string): bigint {
  const t = s.trim();
  if (/^[+-]?\d+$/.test(t)) return BigInt.asIntN(64, BigInt(t));
  return BigInt(Math.trunc(parseNumber(ctx, s)));
}
