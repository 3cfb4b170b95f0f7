/**
 * Builds ONNX models (onnx-proto) for the example models' exports and for tests: graph inputs/outputs, nodes with typed attributes,
 * initializers and opset imports. Attribute and tensor helpers keep the ONNX types explicit
 * (ints vs floats), and `toRuntimeAttributes` gives the same attributes as the runtime's graph IR,
 * so one spec can drive both onnxruntime and a direct kernel call.
 *
 *   const bytes = buildModel({
 *     opsets: { '': 17, 'ai.onnx.ml': 3 },
 *     inputs: [input('X', 'float32', ['N', 4])],
 *     outputs: [output('Y', 'float32', ['N', 1])],
 *     nodes: [node('Scaler', ['X'], ['Y'], { offset: attr.floats([1]), scale: attr.floats([2]) }, 'ai.onnx.ml')],
 *   });
 */
import { onnx } from 'onnx-proto';
import type { AttributeValue, Dim } from '../../worker/runtime/graph';
import { type DType, Tensor } from '../../worker/runtime/tensor';

export type AttrSpec =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: Tensor };

export const attr = {
  int: (value: number): AttrSpec => ({ kind: 'int', value }),
  float: (value: number): AttrSpec => ({ kind: 'float', value }),
  string: (value: string): AttrSpec => ({ kind: 'string', value }),
  ints: (value: readonly number[]): AttrSpec => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttrSpec => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): AttrSpec => ({ kind: 'strings', value }),
  tensor: (value: Tensor): AttrSpec => ({ kind: 'tensor', value }),
};

export interface NodeSpec {
  op: string;
  domain: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, AttrSpec>>;
  name?: string;
}

export function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: Readonly<Record<string, AttrSpec>> = {},
  domain = '',
): NodeSpec {
  return { op, domain, inputs, outputs, attributes };
}

/** A graph input/output: a tensor, or ZipMap's sequence<map<key, float>>. */
export interface ValueSpec {
  name: string;
  dtype: DType;
  shape: readonly Dim[] | null;
  /** set for ZipMap outputs: the map's key type */
  mapKey?: 'int64' | 'string';
}

export const input = (name: string, dtype: DType, shape: readonly Dim[] | null): ValueSpec => ({ name, dtype, shape });
export const output = input;
export const mapOutput = (name: string, key: 'int64' | 'string'): ValueSpec => ({ name, dtype: 'float32', shape: null, mapKey: key });

export interface ModelSpec {
  /** domain -> version; '' is ai.onnx */
  opsets: Readonly<Record<string, number>>;
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  nodes: readonly NodeSpec[];
  initializers?: Readonly<Record<string, Tensor>>;
  irVersion?: number;
  producer?: string;
  docString?: string;
}

const DATA_TYPE: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int8: onnx.TensorProto.DataType.INT8,
  int16: onnx.TensorProto.DataType.INT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  uint8: onnx.TensorProto.DataType.UINT8,
  uint16: onnx.TensorProto.DataType.UINT16,
  uint32: onnx.TensorProto.DataType.UINT32,
  uint64: onnx.TensorProto.DataType.UINT64,
  bool: onnx.TensorProto.DataType.BOOL,
  string: onnx.TensorProto.DataType.STRING,
};

/** A TensorProto; numeric data goes in raw_data (little-endian), strings in string_data. */
export function tensorProto(t: Tensor, name = ''): onnx.ITensorProto {
  const proto: onnx.ITensorProto = { name, dataType: DATA_TYPE[t.dtype], dims: [...t.shape] };
  if (t.dtype === 'string') proto.stringData = (t.data as string[]).map((s) => new TextEncoder().encode(s));
  else {
    const view = t.data as ArrayBufferView;
    proto.rawData = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
  }
  return proto;
}

function attributeProto(name: string, a: AttrSpec): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'strings':
      return { name, type: T.STRINGS, strings: a.value.map((s) => new TextEncoder().encode(s)) };
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(a.value) };
  }
}

function valueInfo(v: ValueSpec): onnx.IValueInfoProto {
  if (v.mapKey) {
    return {
      name: v.name,
      type: {
        sequenceType: {
          elemType: {
            mapType: {
              keyType: DATA_TYPE[v.mapKey],
              valueType: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } },
            },
          },
        },
      },
    };
  }
  const tensorType: onnx.TypeProto.ITensor = { elemType: DATA_TYPE[v.dtype] };
  if (v.shape) {
    tensorType.shape = {
      dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
    };
  }
  return { name: v.name, type: { tensorType } };
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: spec.irVersion ?? 8,
    producerName: spec.producer ?? 'model-edge tests',
    docString: spec.docString,
    opsetImport: Object.entries(spec.opsets).map(([domain, version]) => ({ domain, version })),
    graph: {
      name: 'graph',
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: Object.entries(spec.initializers ?? {}).map(([name, t]) => tensorProto(t, name)),
      node: spec.nodes.map((n, i) => ({
        opType: n.op,
        domain: n.domain,
        name: n.name ?? `${n.op}_${i}`,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes).map(([name, a]) => attributeProto(name, a)),
      })),
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** The same attributes as the runtime's graph IR holds them. */
export function toRuntimeAttributes(attributes: Readonly<Record<string, AttrSpec>>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.kind === 'ints' || a.kind === 'floats' || a.kind === 'strings' ? [...a.value] as number[] | string[] : a.value;
  }
  return out;
}

/** Shorthand for a tensor from plain values. */
export function tensor<D extends DType>(dtype: D, shape: readonly number[], values: ArrayLike<number | bigint | string | boolean>): Tensor<D> {
  return Tensor.from(dtype, shape, values);
}
