/**
 * Reads the compiled model artifact (format: docs/artifact-format.md).
 *
 *   [0..8)   magic "MEDGEMDL"
 *   [8..12)  format version, uint32 little-endian
 *   [12..16) header length in bytes, uint32 little-endian
 *   [16..)   header: UTF-8 JSON (graph, opsets, metadata; tensors by dtype/shape/offset)
 *   [blob..) weights, blob = header end rounded up to 64; every tensor at a 64-byte offset
 *
 * Loading parses the JSON header and creates typed-array views into the given bytes: weight
 * tensors are never copied or parsed element by element (unless the bytes sit at a misaligned
 * offset, when the whole blob is copied once). Long number-list attributes (`{numbers}`, tree
 * ensembles' node arrays) are the exception: kernels read them as plain arrays, so they are
 * converted element by element once, at load.
 */
import { ModelError } from './errors';
import type { AttributeValue, Graph, Model, Node, ValueInfo } from './graph';
import { DType, DTYPES, Tensor, bytesPerElement, viewData } from './tensor';

export const ARTIFACT_MAGIC = 'MEDGEMDL';
export const ARTIFACT_VERSION = 1;
/** Bytes before the header: magic, version, header length. */
export const ARTIFACT_PREAMBLE = 16;
export const ARTIFACT_ALIGNMENT = 64;

/** A tensor in the header: numeric data lives in the blob, strings inline. */
export type TensorJson =
  | { dtype: Exclude<DType, 'string'>; shape: number[]; offset: number; length: number }
  | { dtype: 'string'; shape: number[]; strings: string[] };

/** A number JSON cannot carry (NaN, +-Infinity, -0). */
export interface SpecialNumberJson {
  num: 'NaN' | 'Infinity' | '-Infinity' | '-0';
}

export type AttributeJson =
  | number
  | string
  | Array<number | string | SpecialNumberJson>
  | SpecialNumberJson
  | { tensor: TensorJson }
  | { tensors: TensorJson[] }
  /** a long list of numbers (tree ensembles' node arrays), kept in the blob as a typed array */
  | { numbers: TensorJson }
  | { graph: GraphJson }
  | { graphs: GraphJson[] };

export interface NodeJson {
  op: string;
  domain?: string;
  name?: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeJson>;
}

export interface GraphJson {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: Array<[string, TensorJson]>;
  nodes: NodeJson[];
}

export interface ArtifactHeader {
  opsets: Record<string, number>;
  metadata: Model['metadata'];
  graph: GraphJson;
}

export function alignUp(n: number, alignment = ARTIFACT_ALIGNMENT): number {
  return Math.ceil(n / alignment) * alignment;
}

export function encodeNumber(x: number): number | SpecialNumberJson {
  if (Number.isFinite(x)) return Object.is(x, -0) ? { num: '-0' } : x;
  return { num: Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity' };
}

function decodeNumber(x: SpecialNumberJson): number {
  switch (x.num) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
  }
  throw new ModelError(`artifact: unknown special number ${JSON.stringify(x)}`);
}

class ArtifactReader {
  constructor(
    private readonly buffer: ArrayBufferLike,
    /** absolute byte offset of the weights blob in `buffer` */
    private readonly blobStart: number,
    private readonly blobLength: number,
  ) {}

  tensor(t: TensorJson): Tensor {
    if (!DTYPES.includes(t.dtype)) throw new ModelError(`artifact: unknown dtype "${t.dtype}"`);
    if (t.dtype === 'string') return new Tensor('string', t.shape, t.strings);
    const bytes = t.length * bytesPerElement(t.dtype);
    if (t.offset < 0 || t.offset + bytes > this.blobLength) throw new ModelError('artifact: a tensor lies outside the weights blob (truncated file?)');
    return new Tensor(t.dtype, t.shape, viewData(t.dtype, this.buffer, this.blobStart + t.offset, t.length) as never);
  }

  attribute(a: AttributeJson): AttributeValue {
    if (typeof a === 'number' || typeof a === 'string') return a;
    if (Array.isArray(a)) {
      return a.map((x) => (typeof x === 'object' ? decodeNumber(x) : x)) as number[] | string[];
    }
    if ('num' in a) return decodeNumber(a);
    if ('numbers' in a) return Array.from(this.tensor(a.numbers).data as ArrayLike<number>);
    if ('tensor' in a) return this.tensor(a.tensor);
    if ('tensors' in a) return a.tensors.map((t) => this.tensor(t));
    if ('graph' in a) return this.graph(a.graph);
    if ('graphs' in a) return a.graphs.map((g) => this.graph(g));
    throw new ModelError(`artifact: unknown attribute encoding ${JSON.stringify(a).slice(0, 80)}`);
  }

  node(n: NodeJson): Node {
    const attributes: Record<string, AttributeValue> = {};
    if (n.attributes) for (const key of Object.keys(n.attributes)) attributes[key] = this.attribute(n.attributes[key]);
    return { op: n.op, domain: n.domain ?? '', name: n.name ?? '', inputs: n.inputs, outputs: n.outputs, attributes };
  }

  graph(g: GraphJson): Graph {
    const initializers = new Map<string, Tensor>();
    for (const [name, t] of g.initializers) initializers.set(name, this.tensor(t));
    return { name: g.name, inputs: g.inputs, outputs: g.outputs, initializers, nodes: g.nodes.map((n) => this.node(n)) };
  }
}

/** Parses an artifact; weights are views into `bytes` (keep it alive and unmodified). */
export function readArtifact(bytes: ArrayBuffer | Uint8Array): Model {
  let view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (view.byteLength < ARTIFACT_PREAMBLE) throw new ModelError('artifact: too short to be a model-edge artifact');
  for (let i = 0; i < ARTIFACT_MAGIC.length; i++) {
    if (view[i] !== ARTIFACT_MAGIC.charCodeAt(i)) {
      throw new ModelError('artifact: wrong magic bytes; this is not a model-edge artifact (compile the .onnx file with compileModel first)');
    }
  }
  const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== ARTIFACT_VERSION) {
    throw new ModelError(`artifact: format version ${version}, but this runtime reads version ${ARTIFACT_VERSION}; recompile the model with the matching model-edge`);
  }
  const headerLength = dv.getUint32(12, true);
  const blobOffset = alignUp(ARTIFACT_PREAMBLE + headerLength);
  if (ARTIFACT_PREAMBLE + headerLength > view.byteLength) throw new ModelError('artifact: header runs past the end of the file (truncated?)');
  let header: ArtifactHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(view.subarray(ARTIFACT_PREAMBLE, ARTIFACT_PREAMBLE + headerLength)));
  } catch (e) {
    throw new ModelError(`artifact: corrupt header (${(e as Error).message})`);
  }
  const blobLength = Math.max(0, view.byteLength - blobOffset);
  // Typed-array views need element alignment; 64-byte alignment of the buffer offset keeps every
  // tensor aligned. Otherwise copy the blob once into a fresh (aligned) buffer.
  let buffer: ArrayBufferLike = view.buffer;
  let blobStart = view.byteOffset + blobOffset;
  if (blobStart % 8 !== 0) {
    const copy = new Uint8Array(blobLength);
    copy.set(view.subarray(blobOffset));
    buffer = copy.buffer;
    blobStart = 0;
  }
  view = undefined as never;
  const reader = new ArtifactReader(buffer, blobStart, blobLength);
  try {
    return { graph: reader.graph(header.graph), opsets: header.opsets, metadata: header.metadata ?? {} };
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`artifact: corrupt header (${(e as Error).message})`);
  }
}
