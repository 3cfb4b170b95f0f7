/**
 * ONNX protobuf -> the runtime's graph IR (worker/runtime/graph.ts).
 *
 * Structural damage (bytes that are not an ONNX model, tensors whose data does not fill their
 * shape, external data) throws a ModelError at once. Things the runtime merely does not support
 * (a dtype, an attribute kind, a value type) are collected into `problems` when a collector is
 * given, so that the compiler can report every one of them together; without one they throw.
 */
import { onnx } from 'onnx-proto';
import { ModelError } from '../../worker/runtime/errors';
import type { AttributeValue, Dim, Graph, Model, ModelMetadata, Node, ValueInfo } from '../../worker/runtime/graph';
import { exhaustionIn } from './compile-budget';
import { withDefaults } from './limits';
import { scanModelWire } from './wire-scan';
import { DType, Tensor, bytesPerElement, float16BitsToNumber, sizeOf, viewData } from '../../worker/runtime/tensor';
import { inferUntypedOutputs } from './value-types';

const DT = onnx.TensorProto.DataType;
/** Larger tensors cannot be real weights for the edge (and would exhaust memory here). */
export const MAX_TENSOR_ELEMENTS = 2 ** 30;
const AT = onnx.AttributeProto.AttributeType;

/** ONNX elem_type -> runtime dtype. float16 and bfloat16 are carried as float32. */
const DTYPE_OF: Record<number, DType> = {
  [DT.FLOAT]: 'float32',
  [DT.UINT8]: 'uint8',
  [DT.INT8]: 'int8',
  [DT.UINT16]: 'uint16',
  [DT.INT16]: 'int16',
  [DT.INT32]: 'int32',
  [DT.INT64]: 'int64',
  [DT.STRING]: 'string',
  [DT.BOOL]: 'bool',
  [DT.FLOAT16]: 'float32',
  [DT.DOUBLE]: 'float64',
  [DT.UINT32]: 'uint32',
  [DT.UINT64]: 'uint64',
  [DT.BFLOAT16]: 'float32',
};

/** Names of ONNX element types, for messages (includes types newer than the bundled proto). */
const ONNX_TYPE_NAMES: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64',
  8: 'STRING', 9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64',
  15: 'COMPLEX128', 16: 'BFLOAT16', 17: 'FLOAT8E4M3FN', 18: 'FLOAT8E4M3FNUZ', 19: 'FLOAT8E5M2',
  20: 'FLOAT8E5M2FNUZ', 21: 'UINT4', 22: 'INT4', 23: 'FLOAT4E2M1', 24: 'FLOAT8E8M0', 25: 'UINT2', 26: 'INT2',
};

export function onnxTypeName(elemType: number): string {
  return ONNX_TYPE_NAMES[elemType] ?? `type ${elemType}`;
}

/** Options of the importer. */
export interface ImportOptions {
  /**
   * Receives each unsupported feature instead of throwing at the first one.
   * @default - throw a ModelError at the first unsupported feature
   */
  readonly problems?: string[];
  /** Limits checked on the protobuf wire format before decoding; see DEFAULT_IMPORT_LIMITS. */
  readonly limits?: ImportLimits;
}

export interface ImportLimits {
  /**
   * Size of the .onnx file.
   * @default 128 MiB
   */
  readonly maxFileBytes?: number;
  /**
   * Nodes, subgraphs and functions included.
   * @default 10000
   */
  readonly maxNodes?: number;
  /**
   * Protobuf messages the decoder would build.
   * @default 1000000
   */
  readonly maxMessages?: number;
  /**
   * List entries outside raw_data (strings, integer lists) the decoder would build.
   * @default 8000000
   */
  readonly maxValues?: number;
}

export const DEFAULT_IMPORT_LIMITS: Required<ImportLimits> = {
  // Workers take at most 10 MB of gzipped script: no deployable model comes near this.
  maxFileBytes: 128 * 1024 * 1024,
  maxNodes: 10_000,
  maxMessages: 1_000_000,
  maxValues: 8_000_000,
};

/** The file-size check, also used before reading a file from disk. */
export function checkFileSize(byteLength: number, limits: ImportLimits = {}): void {
  const max = limits.maxFileBytes ?? DEFAULT_IMPORT_LIMITS.maxFileBytes;
  if (byteLength > max) {
    throw new ModelError(
      `the model file has ${byteLength} bytes, above the limit of ${max} bytes (${Math.round(max / 1024 / 1024)} MiB); a Worker takes at most 10 MB of gzipped code and data, so a model this large cannot be deployed; quantize or shrink it`,
    );
  }
}

/** If/Loop bodies nested deeper than this are refused: real models nest a few levels at most. */
export const MAX_SUBGRAPH_DEPTH = 64;

class Importer {
  private depth = 0;
  /** output value infos declared without an element type */
  readonly untyped = new Set<ValueInfo>();

  constructor(private readonly problems: string[] | undefined) {}

  unsupported(message: string): void {
    if (!this.problems) throw new ModelError(message);
    this.problems.push(message);
  }

  graph(g: onnx.IGraphProto, where: string): Graph {
    if (this.depth > MAX_SUBGRAPH_DEPTH) {
      throw new ModelError(`subgraphs are nested more than ${MAX_SUBGRAPH_DEPTH} deep (${where}); flatten the control flow of the model`);
    }
    this.depth++;
    try {
      return this.graphAtDepth(g, where);
    } finally {
      this.depth--;
    }
  }

  private graphAtDepth(g: onnx.IGraphProto, where: string): Graph {
    const name = g.name ?? '';
    const label = where || (name ? `graph "${name}"` : 'the main graph');
    if (g.sparseInitializer && g.sparseInitializer.length > 0) {
      this.unsupported(`${label} has sparse initializers (${g.sparseInitializer.length}); save the model with dense initializers`);
    }
    const initializers = new Map<string, Tensor>();
    for (const t of g.initializer ?? []) {
      const tensor = this.tensor(t, `initializer "${t.name ?? ''}"`);
      initializers.set(t.name ?? '', tensor);
    }
    const inputs = (g.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map((v) => this.valueInfo(v, 'input'));
    const outputs = (g.output ?? []).map((v) => this.valueInfo(v, 'output'));
    const nodes = (g.node ?? []).map((n) => this.node(n));
    return { name, inputs, outputs, initializers, nodes };
  }

  node(n: onnx.INodeProto): Node {
    const node = {
      op: n.opType ?? '',
      domain: normalizeDomain(n.domain ?? ''),
      name: n.name ?? '',
      inputs: (n.input ?? []).slice(),
      outputs: (n.output ?? []).slice(),
      attributes: {} as Record<string, AttributeValue>,
    };
    const label = node.name ? `${node.op} node "${node.name}"` : `${node.op} node`;
    for (const a of n.attribute ?? []) {
      const value = this.attribute(a, `${label}, attribute "${a.name ?? ''}"`);
      if (value !== undefined) node.attributes[a.name ?? ''] = value;
    }
    return node;
  }

  attribute(a: onnx.IAttributeProto, label: string): AttributeValue | undefined {
    if (a.refAttrName) {
      this.unsupported(`${label} refers to a function attribute ("${a.refAttrName}"); only plain graphs are supported`);
      return undefined;
    }
    switch (attributeType(a)) {
      case AT.FLOAT:
        return a.f ?? 0;
      case AT.INT:
        return toNumber(a.i ?? 0);
      case AT.STRING:
        return utf8(a.s ?? new Uint8Array());
      case AT.TENSOR:
        return this.tensor(a.t ?? {}, label);
      case AT.GRAPH:
        return this.graph(a.g ?? {}, `${label} (subgraph)`);
      case AT.FLOATS:
        return (a.floats ?? []).slice();
      case AT.INTS:
        return (a.ints ?? []).map(toNumber);
      case AT.STRINGS:
        return (a.strings ?? []).map(utf8);
      case AT.TENSORS:
        return (a.tensors ?? []).map((t, i) => this.tensor(t, `${label}[${i}]`));
      case AT.GRAPHS:
        return (a.graphs ?? []).map((g, i) => this.graph(g, `${label}[${i}] (subgraph)`));
      default:
        this.unsupported(`${label} has kind ${AT[attributeType(a)] ?? attributeType(a)}, which the runtime does not support`);
        return undefined;
    }
  }

  valueInfo(v: onnx.IValueInfoProto, role: 'input' | 'output'): ValueInfo {
    const name = v.name ?? '';
    const type = v.type;
    if (!type || isTypeless(type)) return this.typeless({ name, dtype: 'float32', shape: null }, role);
    if (type.tensorType) return this.tensorValueInfo(name, type.tensorType, role);
    // ZipMap: sequence<map<K, float>>
    const mapType = type.sequenceType?.elemType?.mapType;
    if (mapType && mapType.valueType?.tensorType?.elemType === DT.FLOAT) {
      return { name, dtype: 'float32', shape: null, kind: 'map-rows' };
    }
    this.unsupported(`graph ${role} "${name}" has type ${describeType(type)}; only tensors (and ZipMap outputs) are supported`);
    return { name, dtype: 'float32', shape: null };
  }

  private tensorValueInfo(name: string, t: onnx.TypeProto.ITensor, role: 'input' | 'output'): ValueInfo {
    const elemType = t.elemType ?? 0;
    let dtype: DType = DTYPE_OF[elemType];
    if (!dtype) {
      if (elemType !== DT.UNDEFINED) this.unsupported(`graph ${role} "${name}" has element type ${onnxTypeName(elemType)}, which the runtime does not support`);
      dtype = 'float32';
    }
    const shape: Dim[] | null = t.shape ? (t.shape.dim ?? []).map(dimOf) : null;
    const info: ValueInfo = { name, dtype, shape };
    if (elemType === DT.UNDEFINED) return this.typeless(info, role);
    return elemType === DT.FLOAT16 ? { ...info, declaredFloat16: true } : info;
  }

  /** Outputs declared without an element type get one inferred after import (inputs are bound at run time). */
  private typeless(info: ValueInfo, role: 'input' | 'output'): ValueInfo {
    if (role === 'output') this.untyped.add(info);
    return info;
  }

  tensor(t: onnx.ITensorProto, label: string): Tensor {
    try {
      return tensorFromProto(t, label);
    } catch (e) {
      if (e instanceof UnsupportedTensor) {
        this.unsupported(e.message);
        return new Tensor('float32', [0], new Float32Array(0));
      }
      throw e;
    }
  }
}

class UnsupportedTensor extends ModelError {}

function dimOf(d: onnx.TensorShapeProto.IDimension): Dim {
  // `value` is protobufjs' oneof discriminator: which of dim_value / dim_param was set.
  const which = (d as { value?: string }).value;
  if (which === 'dimValue' || (which === undefined && d.dimValue !== undefined && d.dimValue !== null)) {
    const n = toNumber(d.dimValue);
    return n >= 0 ? n : null;
  }
  if (d.dimParam) return d.dimParam;
  return null;
}

/** A TypeProto with none of its kinds set (ONNX allows omitting a value's type). */
function isTypeless(t: onnx.ITypeProto): boolean {
  return !t.tensorType && !t.sequenceType && !t.mapType && !t.optionalType && !t.sparseTensorType;
}

function describeType(t: onnx.ITypeProto): string {
  if (t.tensorType) return `tensor(${onnxTypeName(t.tensorType.elemType ?? 0)})`;
  if (t.sequenceType) return `sequence<${t.sequenceType.elemType ? describeType(t.sequenceType.elemType) : '?'}>`;
  if (t.mapType) return `map<${onnxTypeName(t.mapType.keyType ?? 0)}, ${t.mapType.valueType ? describeType(t.mapType.valueType) : '?'}>`;
  if (t.optionalType) return `optional<${t.optionalType.elemType ? describeType(t.optionalType.elemType) : '?'}>`;
  if (t.sparseTensorType) return `sparse_tensor(${onnxTypeName(t.sparseTensorType.elemType ?? 0)})`;
  return 'an unknown type';
}

/** Old exporters leave AttributeProto.type unset; infer it from the field that holds data. */
function attributeType(a: onnx.IAttributeProto): number {
  if (a.type) return a.type;
  if (a.floats && a.floats.length) return AT.FLOATS;
  if (a.ints && a.ints.length) return AT.INTS;
  if (a.strings && a.strings.length) return AT.STRINGS;
  if (a.tensors && a.tensors.length) return AT.TENSORS;
  if (a.graphs && a.graphs.length) return AT.GRAPHS;
  if (a.t) return AT.TENSOR;
  if (a.g) return AT.GRAPH;
  if (a.s && a.s.length) return AT.STRING;
  if (a.f) return AT.FLOAT;
  return AT.INT;
}

export function normalizeDomain(domain: string): string {
  return domain === 'ai.onnx' ? '' : domain;
}

/** protobufjs' 64-bit integers (a Long from the "long" package, read structurally). */
interface Long {
  readonly low: number;
  readonly high: number;
  readonly unsigned?: boolean;
}

function toNumber(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  const high = v.unsigned ? v.high >>> 0 : v.high | 0;
  return high * 2 ** 32 + (v.low >>> 0);
}

function toBigInt(v: number | Long, unsigned: boolean): bigint {
  const bits = typeof v === 'number' ? BigInt.asUintN(64, BigInt(v)) : (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? bits : BigInt.asIntN(64, bits);
}

const decoder = new TextDecoder('utf-8');
function utf8(b: Uint8Array): string {
  return decoder.decode(b);
}

/** Copies raw little-endian bytes into a fresh, aligned buffer and views them. */
function rawView(raw: Uint8Array, dtype: Exclude<DType, 'string'>, size: number, label: string): ReturnType<typeof viewData> {
  const bpe = bytesPerElement(dtype);
  if (raw.byteLength !== size * bpe) {
    throw new ModelError(`${label}: raw_data holds ${raw.byteLength} bytes but shape needs ${size} x ${bpe}`);
  }
  // A copy, not raw.slice(): a Node Buffer's slice() is a view into a shared pool.
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return viewData(dtype, copy.buffer, 0, size);
}

function checkCount(n: number, size: number, label: string, field: string): void {
  if (n !== size) throw new ModelError(`${label}: ${field} holds ${n} values but its shape needs ${size}`);
}

/** One TensorProto -> Tensor (float16/bfloat16 become float32). */
export function tensorFromProto(t: onnx.ITensorProto, label = `tensor "${t.name ?? ''}"`): Tensor {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData && t.externalData.length > 0)) {
    throw new ModelError(
      `${label} keeps its data in an external file; the compiler needs a self-contained model ` +
        `(re-save it with onnx.save_model(model, path, save_as_external_data=False))`,
    );
  }
  if (t.segment) throw new ModelError(`${label} is a segment of a larger tensor; segmented tensors are not supported`);
  const shape = (t.dims ?? []).map(toNumber);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ModelError(`${label} has invalid dims [${shape.join(', ')}]`);
  const size = sizeOf(shape);
  const elemType = t.dataType ?? 0;
  const dtype = DTYPE_OF[elemType];
  if (!dtype) throw new UnsupportedTensor(`${label} has element type ${onnxTypeName(elemType)}, which the runtime does not support`);
  const raw = t.rawData && t.rawData.byteLength > 0 ? t.rawData : undefined;

  if (size > MAX_TENSOR_ELEMENTS) {
    throw new ModelError(`${label} has ${size} elements (shape [${shape.join(', ')}]); the limit is ${MAX_TENSOR_ELEMENTS}`);
  }
  if (elemType === DT.FLOAT16 || elemType === DT.BFLOAT16) {
    const convert = elemType === DT.FLOAT16 ? float16BitsToNumber : bfloat16BitsToNumber;
    if (raw) {
      if (raw.byteLength !== size * 2) throw new ModelError(`${label}: raw_data holds ${raw.byteLength} bytes but its shape needs ${size} x 2`);
      const out = new Float32Array(size);
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      for (let i = 0; i < size; i++) out[i] = convert(dv.getUint16(2 * i, true));
      return new Tensor('float32', shape, out);
    }
    const bits = t.int32Data ?? [];
    checkCount(bits.length, size, label, 'int32_data');
    return new Tensor('float32', shape, Float32Array.from(bits, (b) => convert(b & 0xffff)));
  }
  if (dtype === 'string') {
    const strings = (t.stringData ?? []).map(utf8);
    checkCount(strings.length, size, label, 'string_data');
    return new Tensor('string', shape, strings);
  }
  if (raw) return new Tensor(dtype, shape, rawView(raw, dtype, size, label) as never);
  const [values, field, map] = typedField(t, elemType);
  checkCount(values.length, size, label, field);
  const data = viewData(dtype, new ArrayBuffer(size * bytesPerElement(dtype)), 0, size) as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < size; i++) data[i] = map(values[i]);
  return new Tensor(dtype, shape, data as never);
}

type FieldMap = (v: number | Long) => number | bigint;

/** Which typed field of a TensorProto holds this element type, and how to read its values. */
function typedField(t: onnx.ITensorProto, elemType: number): [ArrayLike<number | Long>, string, FieldMap] {
  switch (elemType) {
    case DT.FLOAT:
      return [t.floatData ?? [], 'float_data', (v) => v as number];
    case DT.DOUBLE:
      return [t.doubleData ?? [], 'double_data', (v) => v as number];
    case DT.INT64:
      return [t.int64Data ?? [], 'int64_data', (v) => toBigInt(v, false)];
    case DT.UINT64:
      return [t.uint64Data ?? [], 'uint64_data', (v) => toBigInt(v, true)];
    case DT.UINT32:
      return [t.uint64Data ?? [], 'uint64_data', (v) => toNumber(v) >>> 0];
    case DT.BOOL:
      return [t.int32Data ?? [], 'int32_data', (v) => (v ? 1 : 0)];
    default: // int8, uint8, int16, uint16, int32 live in int32_data (the typed array wraps)
      return [t.int32Data ?? [], 'int32_data', (v) => v as number];
  }
}

const bf = new Float32Array(1);
const bfBits = new Uint32Array(bf.buffer);
function bfloat16BitsToNumber(h: number): number {
  bfBits[0] = (h & 0xffff) << 16;
  return bf[0];
}

function decode<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ModelError) throw e;
    if (exhaustionIn(e)) throw new ModelError(`decoding the model exhausted the compiler (${(e as Error).message}); the file holds more than the compiler can build`);
    throw new ModelError(`${what}: ${(e as Error).message}`);
  }
}

/** Decodes a serialized TensorProto (the conformance suite's .pb files). */
export function decodeTensorProto(bytes: Uint8Array): Tensor {
  const proto = decode('not a valid serialized ONNX TensorProto', () => onnx.TensorProto.decode(bytes));
  return tensorFromProto(proto);
}

/** Decodes .onnx bytes into the graph IR. */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): Model {
  if (bytes.byteLength === 0) throw new ModelError('the model file is empty');
  checkFileSize(bytes.byteLength, options.limits);
  // Counted on the wire first: the decoder would spend gigabytes on millions of empty nodes.
  scanModelWire(bytes, { ...withDefaults(DEFAULT_IMPORT_LIMITS, options.limits), maxSubgraphDepth: MAX_SUBGRAPH_DEPTH });
  const proto = decode('not a valid ONNX model (protobuf decoding failed; is the file truncated or not .onnx?)', () =>
    onnx.ModelProto.decode(bytes),
  );
  if (!proto.graph) throw new ModelError('not a valid ONNX model: it has no graph (is this really an .onnx file?)');
  const importer = new Importer(options.problems);
  const opsets: Record<string, number> = {};
  for (const o of proto.opsetImport ?? []) opsets[normalizeDomain(o.domain ?? '')] = toNumber(o.version ?? 0);
  if (opsets[''] === undefined && proto.opsetImport?.length === 0) opsets[''] = 1;
  if (proto.functions && proto.functions.length > 0) {
    // Local functions are reported by the op check as unsupported nodes of their domain.
  }
  const properties: Record<string, string> = {};
  for (const p of proto.metadataProps ?? []) properties[p.key ?? ''] = p.value ?? '';
  const metadata: ModelMetadata = {
    ...(proto.producerName ? { producer: proto.producerName } : {}),
    ...(proto.producerVersion ? { producerVersion: proto.producerVersion } : {}),
    ...(proto.docString ? { docString: proto.docString } : {}),
    ...(Object.keys(properties).length ? { properties } : {}),
  };
  let graph: Graph;
  try {
    graph = importer.graph(proto.graph, '');
  } catch (e) {
    if (exhaustionIn(e)) throw new ModelError(`importing the model exhausted the compiler (${(e as Error).message}); flatten its subgraphs or make it smaller`);
    if (e instanceof RangeError) throw new ModelError(`the model could not be imported: ${e.message}`);
    throw e;
  }
  if (importer.untyped.size > 0) graph = inferUntypedOutputs(graph, importer.untyped, (m) => importer.unsupported(m));
  return { graph, opsets, metadata };
}
