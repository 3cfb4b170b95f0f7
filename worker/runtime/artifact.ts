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
 * tensors are never copied or parsed element by element (unless a tensor sits at a misaligned
 * address or spans two shards, when that tensor is copied once: weight-segments.ts). Long
 * number-list attributes (`{numbers}`, tree ensembles' node arrays) are the exception: kernels
 * read them as plain arrays, so they are converted element by element once, at load.
 *
 * Version 2 adds features a version-1 reader would misread, each named in the header's
 * `features`: "external-weights" (the blob is not in the file but in shards listed in
 * `weights`; the caller loads them and passes their bodies as WeightSegments) and "int8-weights"
 * (float32 tensors stored as int8 with per-channel scales, dequantized here on load).
 */
import { ModelError } from './errors';
import type { AttributeValue, Graph, Model, Node, ValueInfo } from './graph';
import { DType, DTYPES, Tensor, bytesPerElement, viewData } from './tensor';
import { blobRange, checkSegments, wholeBlob, type WeightSegments } from './weight-segments';

export const ARTIFACT_MAGIC = 'MEDGEMDL';
export const ARTIFACT_VERSION = 1;
/** The version written when the artifact uses any of ARTIFACT_FEATURES. */
export const ARTIFACT_VERSION_EXTENDED = 2;
/** Features a version-2 artifact may declare; anything else is refused. */
export const ARTIFACT_FEATURES = ['external-weights', 'int8-weights'] as const;
export type ArtifactFeature = (typeof ARTIFACT_FEATURES)[number];
/** Bytes before the header: magic, version, header length. */
export const ARTIFACT_PREAMBLE = 16;
export const ARTIFACT_ALIGNMENT = 64;

/** A tensor in the header: numeric data lives in the blob, strings inline. */
export type TensorJson =
  | { dtype: Exclude<DType, 'string'>; shape: number[]; offset: number; length: number; int8?: Int8Encoding }
  | { dtype: 'string'; shape: number[]; strings: string[] };

/**
 * A float32 tensor stored as int8 (feature "int8-weights"): `offset` points at `length` int8
 * values, value = int8 * scale of its channel along `axis`.
 */
export interface Int8Encoding {
  axis: number;
  /** float32 tensor with one scale per channel */
  scales: { offset: number; length: number };
}

/** One shard of an external weights blob (feature "external-weights"). */
export interface WeightShard {
  /** hex SHA-256 of the shard's bytes; also its file name */
  sha256: string;
  /**
   * XXH32 (seed 0) of the shard's bytes, 8 hex digits: the check the Worker runs on the body it
   * reads (worker/model-loading/xxh32.ts). Manifests written before it have none and are checked
   * with SHA-256.
   */
  xxh32?: string;
  /** where the shard starts in the blob (a multiple of 64) */
  offset: number;
  length: number;
  /**
   * true when the shard continues a tensor from the shard before it (a tensor larger than a
   * shard): the Worker reads such a run of shards into one buffer.
   */
  continues?: boolean;
}

export interface WeightsManifest {
  /** blob length in bytes */
  bytes: number;
  shards: WeightShard[];
}

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
  /** version 2 only: the features the artifact uses */
  features?: ArtifactFeature[];
  /** with "external-weights": the shards that make up the weights blob */
  weights?: WeightsManifest;
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
  constructor(private readonly segments: WeightSegments) {}

  tensor(t: TensorJson): Tensor {
    if (!DTYPES.includes(t.dtype)) throw new ModelError(`artifact: unknown dtype "${t.dtype}"`);
    if (t.dtype === 'string') return new Tensor('string', t.shape, t.strings);
    if (t.int8) return this.int8Tensor(t, t.int8);
    return new Tensor(t.dtype, t.shape, this.view(t.dtype, t.offset, t.length) as never);
  }

  private view(dtype: Exclude<DType, 'string'>, offset: number, length: number) {
    const size = bytesPerElement(dtype);
    const range = blobRange(this.segments, offset, length * size, size);
    if (!range) throw new ModelError('artifact: a tensor lies outside the weights blob (truncated file?)');
    return viewData(dtype, range.buffer, range.byteOffset, length);
  }

  /** Dequantizes once, on load: the kernels then run on float32 as for any model. */
  private int8Tensor(t: TensorJson & { offset: number }, q: Int8Encoding): Tensor {
    if (t.dtype !== 'float32' || !(q.axis >= 0 && q.axis < t.shape.length)) throw new ModelError('artifact: bad int8 encoding (recompile the model)');
    const values = this.view('int8', t.offset, t.length) as Int8Array;
    const scales = this.view('float32', q.scales.offset, q.scales.length) as Float32Array;
    const channels = t.shape[q.axis];
    if (scales.length !== channels) throw new ModelError('artifact: int8 scales do not match the channel count (recompile the model)');
    let inner = 1;
    for (let i = q.axis + 1; i < t.shape.length; i++) inner *= t.shape[i];
    const out = new Float32Array(t.length);
    for (let start = 0; start < t.length; start += channels * inner) {
      for (let c = 0; c < channels; c++) {
        const scale = scales[c];
        const from = start + c * inner;
        for (let i = from; i < from + inner; i++) out[i] = values[i] * scale;
      }
    }
    return new Tensor('float32', t.shape, out);
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

/** The artifact's preamble and header, checked (version, features). */
function parseArtifact(view: Uint8Array): { header: ArtifactHeader; blobOffset: number } {
  if (view.byteLength < ARTIFACT_PREAMBLE) throw new ModelError('artifact: too short to be a model-edge artifact');
  for (let i = 0; i < ARTIFACT_MAGIC.length; i++) {
    if (view[i] !== ARTIFACT_MAGIC.charCodeAt(i)) {
      throw new ModelError('artifact: wrong magic bytes; this is not a model-edge artifact (compile the .onnx file with compileModel first)');
    }
  }
  const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== ARTIFACT_VERSION && version !== ARTIFACT_VERSION_EXTENDED) {
    throw new ModelError(`artifact: format version ${version}, but this runtime reads versions ${ARTIFACT_VERSION} and ${ARTIFACT_VERSION_EXTENDED}; recompile the model with the matching model-edge`);
  }
  const headerLength = dv.getUint32(12, true);
  if (ARTIFACT_PREAMBLE + headerLength > view.byteLength) throw new ModelError('artifact: header runs past the end of the file (truncated?)');
  let header: ArtifactHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(view.subarray(ARTIFACT_PREAMBLE, ARTIFACT_PREAMBLE + headerLength)));
  } catch (e) {
    throw new ModelError(`artifact: corrupt header (${(e as Error).message})`);
  }
  const features = header.features ?? [];
  if (version === ARTIFACT_VERSION && features.length > 0) throw new ModelError('artifact: a version-1 artifact declares features; the file is corrupt (recompile the model)');
  const unknown = features.filter((f) => !(ARTIFACT_FEATURES as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw new ModelError(`artifact: uses ${unknown.map((f) => `"${f}"`).join(', ')}, which this runtime does not know (it reads ${ARTIFACT_FEATURES.join(', ')}); recompile the model with the matching model-edge`);
  }
  if (features.includes('external-weights') !== (header.weights !== undefined)) throw new ModelError('artifact: the external-weights feature and the weights manifest must come together (recompile the model)');
  return { header, blobOffset: alignUp(ARTIFACT_PREAMBLE + headerLength) };
}

/** The shards an artifact keeps its weights in, or undefined when the weights are in the file. */
export function weightsManifestOf(bytes: ArrayBuffer | Uint8Array): WeightsManifest | undefined {
  return parseArtifact(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).header.weights;
}

/**
 * Parses an artifact; weights are views into `bytes` (keep it alive and unmodified). An artifact
 * with external weights needs `externalWeights`: the segments of its blob, its verified shard
 * bodies at their offsets (worker/model-loading/weight-shards.ts), or the whole blob as one.
 */
export function readArtifact(bytes: ArrayBuffer | Uint8Array, externalWeights?: WeightSegments): Model {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const { header, blobOffset } = parseArtifact(view);
  let segments: WeightSegments;
  if (header.weights) {
    if (!externalWeights) throw new ModelError('artifact: the weights are in separate shards (the Worker version\'s assets) and were not given; load them first');
    checkSegments(externalWeights, header.weights.bytes);
    segments = externalWeights;
  } else {
    segments = wholeBlob(view.subarray(Math.min(blobOffset, view.byteLength)));
  }
  const reader = new ArtifactReader(segments);
  try {
    return { graph: reader.graph(header.graph), opsets: header.opsets, metadata: header.metadata ?? {} };
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`artifact: corrupt header (${(e as Error).message})`);
  }
}
