/**
 * Serializes a graph IR into the artifact the Worker loads (format: docs/artifact-format.md;
 * reader: worker/runtime/artifact.ts). Numeric tensors go to the weights blob at 64-byte aligned
 * offsets; everything else is JSON.
 */
import {
  ARTIFACT_ALIGNMENT,
  ARTIFACT_MAGIC,
  ARTIFACT_PREAMBLE,
  ARTIFACT_VERSION,
  ARTIFACT_VERSION_EXTENDED,
  ArtifactHeader,
  AttributeJson,
  GraphJson,
  NodeJson,
  TensorJson,
  alignUp,
  encodeNumber,
} from '../../worker/runtime/artifact';
import type { AttributeValue, Graph, Model, Node } from '../../worker/runtime/graph';
import { isGraph } from '../../worker/runtime/graph';
import { Tensor, bytesPerElement } from '../../worker/runtime/tensor';
import type { Int8Weights } from './int8-quantize';

class BlobBuilder {
  private readonly chunks: Array<{ offset: number; bytes: Uint8Array }> = [];
  private end = 0;
  /** The same tensor object referenced twice is stored once. */
  private readonly seen = new Map<Tensor, TensorJson>();
  /** tensors to store as int8 instead of their float32 data */
  constructor(private readonly int8: ReadonlyMap<Tensor, Int8Weights> = new Map()) {}
  usedInt8 = false;

  get length(): number {
    return this.end;
  }

  tensor(t: Tensor): TensorJson {
    const known = this.seen.get(t);
    if (known) return known;
    let json: TensorJson;
    const q = this.int8.get(t);
    if (t.dtype === 'string') {
      json = { dtype: 'string', shape: t.shape.slice(), strings: (t.data as string[]).slice() };
    } else if (q) {
      this.usedInt8 = true;
      const offset = this.add(q.values);
      const scales = { offset: this.add(q.scales), length: q.scales.length };
      json = { dtype: 'float32', shape: t.shape.slice(), offset, length: q.values.length, int8: { axis: q.axis, scales } };
    } else {
      const data = t.data as Exclude<Tensor['data'], string[]>;
      json = { dtype: t.dtype, shape: t.shape.slice(), offset: this.add(data), length: data.length };
    }
    this.seen.set(t, json);
    return json;
  }

  /** Appends a typed array's bytes at the next aligned offset; returns the offset. */
  private add(data: ArrayBufferView): number {
    const offset = alignUp(this.end, ARTIFACT_ALIGNMENT);
    this.chunks.push({ offset, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    this.end = offset + data.byteLength;
    return offset;
  }

  writeTo(target: Uint8Array, at: number): void {
    for (const c of this.chunks) target.set(c.bytes, at + c.offset);
  }
}

/**
 * Lists of non-integers at least this long (tree thresholds and leaf weights) go to the blob as
 * typed arrays: 4 bytes a value instead of ~18 characters of JSON. Integer lists stay JSON, where
 * small integers are as compact.
 */
const FLOAT_LIST_IN_BLOB = 32;

function isFloatList(v: readonly number[]): boolean {
  return v.length >= FLOAT_LIST_IN_BLOB && v.some((x) => !Number.isInteger(x));
}

/** float32 when every value survives it exactly (ONNX float attributes do), else float64. */
function floatListTensor(values: readonly number[]): Tensor {
  if (values.every((x) => Number.isNaN(x) || Math.fround(x) === x)) return new Tensor('float32', [values.length], Float32Array.from(values));
  return new Tensor('float64', [values.length], Float64Array.from(values));
}

function encodeAttribute(v: AttributeValue, blob: BlobBuilder): AttributeJson {
  if (typeof v === 'number') return encodeNumber(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return [];
    if (v[0] instanceof Tensor) return { tensors: (v as Tensor[]).map((t) => blob.tensor(t)) };
    if (typeof v[0] === 'object') return { graphs: (v as Graph[]).map((g) => encodeGraph(g, blob)) };
    if (typeof v[0] === 'number' && isFloatList(v as number[])) return { numbers: blob.tensor(floatListTensor(v as number[])) };
    return (v as Array<number | string>).map((x) => (typeof x === 'number' ? encodeNumber(x) : x));
  }
  if (v instanceof Tensor) return { tensor: blob.tensor(v) };
  if (isGraph(v)) return { graph: encodeGraph(v, blob) };
  throw new TypeError(`cannot serialize attribute value ${String(v)}`);
}

function encodeNode(n: Node, blob: BlobBuilder): NodeJson {
  const json: NodeJson = { op: n.op, inputs: n.inputs.slice(), outputs: n.outputs.slice() };
  if (n.domain) json.domain = n.domain;
  if (n.name) json.name = n.name;
  const keys = Object.keys(n.attributes);
  if (keys.length) {
    json.attributes = {};
    for (const k of keys) json.attributes[k] = encodeAttribute(n.attributes[k], blob);
  }
  return json;
}

function encodeGraph(g: Graph, blob: BlobBuilder): GraphJson {
  return {
    name: g.name,
    inputs: g.inputs.map((v) => ({ ...v })),
    outputs: g.outputs.map((v) => ({ ...v })),
    initializers: [...g.initializers].map(([name, t]) => [name, blob.tensor(t)] as [string, TensorJson]),
    nodes: g.nodes.map((n) => encodeNode(n, blob)),
  };
}

export interface WriteOptions {
  /** float32 initializers to store as int8 (see int8-quantize.ts) */
  readonly int8?: ReadonlyMap<Tensor, Int8Weights>;
}

/** The artifact bytes for a model: version 1, or version 2 when it stores int8 weights. */
export function writeArtifact(model: Model, options: WriteOptions = {}): Uint8Array {
  const blob = new BlobBuilder(options.int8);
  const graph = encodeGraph(model.graph, blob);
  const header: ArtifactHeader = { ...(blob.usedInt8 ? { features: ['int8-weights'] } : {}), opsets: { ...model.opsets }, metadata: model.metadata, graph };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const blobStart = alignUp(ARTIFACT_PREAMBLE + headerBytes.byteLength);
  const out = new Uint8Array(blobStart + blob.length);
  for (let i = 0; i < ARTIFACT_MAGIC.length; i++) out[i] = ARTIFACT_MAGIC.charCodeAt(i);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, blob.usedInt8 ? ARTIFACT_VERSION_EXTENDED : ARTIFACT_VERSION, true);
  dv.setUint32(12, headerBytes.byteLength, true);
  out.set(headerBytes, ARTIFACT_PREAMBLE);
  blob.writeTo(out, blobStart);
  return out;
}
