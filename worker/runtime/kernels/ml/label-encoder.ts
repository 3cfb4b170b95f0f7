/**
 * ai.onnx.ml LabelEncoder: maps each input element through a key -> value table, with a default
 * for unknown keys. Opset 1 maps strings to their index in classes_strings (and back); opsets 2-3
 * use keys_* / values_* lists (strings, int64s, floats); opset 4 adds keys_tensor / values_tensor /
 * default_tensor (any of those element types plus double and int16). NaN float keys match NaN.
 */
import { kernel, kernelFail, required, type AttributeReader } from '../../kernel';
import type { DType, Tensor } from '../../tensor';

type Key = string | number | bigint;
type Value = string | number | bigint;

interface EncoderAttrs {
  keyType: 'string' | 'int64' | 'float';
  valueType: DType;
  table: Map<Key, Value>;
  fallback: Value;
  /** opset 1: defaults for each direction (string -> int64, int64 -> string) */
  v1?: { int: bigint; str: string };
}

interface Column {
  type: 'string' | 'int64' | 'float';
  dtype: DType;
  values: Value[];
}

function readColumn(attrs: AttributeReader, kind: 'keys' | 'values', opset: number): Column {
  const found: Column[] = [];
  if (attrs.has(`${kind}_strings`)) found.push({ type: 'string', dtype: 'string', values: attrs.strings(`${kind}_strings`) });
  if (attrs.has(`${kind}_int64s`)) found.push({ type: 'int64', dtype: 'int64', values: attrs.ints(`${kind}_int64s`).map((v) => BigInt(v)) });
  if (attrs.has(`${kind}_floats`)) found.push({ type: 'float', dtype: 'float32', values: attrs.floats(`${kind}_floats`) });
  if (opset >= 4 && attrs.has(`${kind}_tensor`)) found.push(columnOfTensor(attrs, attrs.tensor(`${kind}_tensor`), `${kind}_tensor`));
  if (found.length !== 1) {
    const names = `${kind}_strings, ${kind}_int64s, ${kind}_floats${opset >= 4 ? `, ${kind}_tensor` : ''}`;
    attrs.fail(found.length ? `set only one of ${names}` : `${kind} are missing: set one of ${names}`);
  }
  return found[0];
}

function columnOfTensor(attrs: AttributeReader, t: Tensor, name: string): Column {
  const values = Array.from(t.data as ArrayLike<Value>);
  if (t.dtype === 'string') return { type: 'string', dtype: 'string', values };
  if (t.dtype === 'int64') return { type: 'int64', dtype: 'int64', values };
  if (t.dtype === 'float32' || t.dtype === 'float64') return { type: 'float', dtype: t.dtype, values };
  if (t.dtype === 'int16' || t.dtype === 'int32') return { type: 'float', dtype: t.dtype, values };
  return attrs.fail(`attribute "${name}" has type ${t.dtype}; use string, int64, int16, float or double`);
}

function defaultValue(attrs: AttributeReader, values: Column, keys: Column, opset: number): Value {
  if (opset >= 4 && attrs.has('default_tensor')) {
    const t = attrs.tensor('default_tensor');
    if (t.size !== 1) attrs.fail('default_tensor must hold exactly one value');
    if (t.dtype !== values.dtype) attrs.fail(`default_tensor is ${t.dtype} but the values are ${values.dtype}`);
    return (t.data as ArrayLike<Value>)[0];
  }
  switch (values.type) {
    case 'string':
      return attrs.string('default_string', '_Unused');
    case 'int64':
      return BigInt(attrs.int('default_int64', -1));
    default:
      if (values.dtype === 'int16' || values.dtype === 'int32') return -1;
      // onnxruntime's opset-4 default is +0 for int64/string keys and -0 otherwise
      return attrs.float('default_float', opset >= 4 && keys.type !== 'float' ? 0 : -0);
  }
}

function parse(attrs: AttributeReader, opset: number): EncoderAttrs {
  if (opset < 2) {
    const classes = attrs.strings('classes_strings');
    const table = new Map<Key, Value>();
    // Both directions live in one table: string keys map to indices, bigint keys to strings.
    classes.forEach((name, i) => {
      if (!table.has(name)) table.set(name, BigInt(i));
      table.set(BigInt(i), name);
    });
    const v1 = { int: BigInt(attrs.int('default_int64', -1)), str: attrs.string('default_string', '_Unused') };
    return { keyType: 'string', valueType: 'int64', table, fallback: '', v1 };
  }
  const keys = readColumn(attrs, 'keys', opset);
  const values = readColumn(attrs, 'values', opset);
  if (keys.values.length !== values.values.length) {
    attrs.fail(`there are ${keys.values.length} keys but ${values.values.length} values; they must pair up`);
  }
  const table = new Map<Key, Value>();
  keys.values.forEach((k, i) => {
    if (!table.has(k)) table.set(k, values.values[i]);
  });
  return { keyType: keys.type, valueType: values.dtype, table, fallback: defaultValue(attrs, values, keys, opset) };
}

export const labelEncoderKernel = kernel<EncoderAttrs>({
  op: 'LabelEncoder',
  domain: 'ai.onnx.ml',
  attributes: parse,
  run(inputs, a, ctx) {
    const x = required(inputs, 0, ctx);
    const src = x.data as ArrayLike<Key>;
    if (a.v1) {
      if (x.dtype === 'string') {
        const y = ctx.output(0, 'int64', x.shape);
        for (let i = 0; i < src.length; i++) y.data[i] = (a.table.get(src[i]) as bigint | undefined) ?? a.v1.int;
        return y;
      }
      if (x.dtype !== 'int64') kernelFail(ctx, `input must be string or int64, got ${x.dtype}`);
      const y = ctx.output(0, 'string', x.shape);
      for (let i = 0; i < src.length; i++) y.data[i] = (a.table.get(src[i]) as string | undefined) ?? a.v1.str;
      return y;
    }
    const expected = a.keyType === 'float' ? ['float32', 'float64', 'int16', 'int32'] : [a.keyType];
    if (!expected.includes(x.dtype)) kernelFail(ctx, `input is ${x.dtype} but the keys are ${a.keyType === 'float' ? 'floating point' : a.keyType}`);
    const y = ctx.output(0, a.valueType, x.shape);
    const out = y.data as unknown as { [i: number]: Value };
    const { table, fallback } = a;
    for (let i = 0; i < src.length; i++) {
      const v = table.get(src[i]);
      out[i] = v === undefined ? fallback : v;
    }
    return y;
  },
});
