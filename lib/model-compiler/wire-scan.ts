/**
 * A bounded first pass over an .onnx file's protobuf wire format, before protobufjs decodes it.
 *
 * Decoding builds one JavaScript object per message and one value per list entry, so a few MB of
 * empty NodeProtos (two bytes each) decode into gigabytes, and deeply nested subgraphs overflow
 * the decoder's recursion. This pass walks the same bytes with protobufjs' Reader, iteratively and
 * without allocating per entry: it descends only into the message fields that can repeat at scale
 * (graphs, nodes, attributes, value types, tensors), counts nodes, messages and list values, and
 * measures subgraph nesting, so that every limit is enforced before the model is built.
 */
import { Reader } from 'protobufjs/minimal';
import { ModelError } from '../../worker/runtime/errors';

export interface WireLimits {
  /** NodeProtos in the file: every graph, subgraph and function. */
  readonly maxNodes: number;
  /** Subgraph (If/Loop/Scan body) nesting. */
  readonly maxSubgraphDepth: number;
  /** Messages the decoder would build. */
  readonly maxMessages: number;
  /** List entries (strings, integers) the decoder would build, outside raw_data. */
  readonly maxValues: number;
}

export interface WireCounts {
  readonly nodes: number;
  readonly messages: number;
  readonly values: number;
  readonly subgraphDepth: number;
}

type Kind =
  | 'model' | 'graph' | 'node' | 'attribute' | 'function' | 'training' | 'valueInfo'
  | 'type' | 'typeTensor' | 'typeElem' | 'typeMap' | 'shape' | 'tensor' | 'sparseTensor';

/** Message fields to descend into, by field number; other length-delimited fields are counted or skipped. */
const CHILDREN: Record<Kind, Readonly<Record<number, Kind>>> = {
  model: { 7: 'graph', 20: 'training', 25: 'function' },
  training: { 1: 'graph', 2: 'graph' },
  graph: { 1: 'node', 5: 'tensor', 11: 'valueInfo', 12: 'valueInfo', 13: 'valueInfo', 15: 'sparseTensor' },
  function: { 7: 'node', 11: 'attribute', 12: 'valueInfo' },
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph', 14: 'type', 15: 'type', 22: 'sparseTensor', 23: 'sparseTensor' },
  valueInfo: { 2: 'type' },
  type: { 1: 'typeTensor', 4: 'typeElem', 5: 'typeMap', 8: 'typeTensor', 9: 'typeElem' },
  typeTensor: { 2: 'shape' },
  typeElem: { 1: 'type' },
  typeMap: { 2: 'type' },
  shape: {},
  tensor: {},
  sparseTensor: { 1: 'tensor', 2: 'tensor' },
};

/** Length-delimited fields that are lists of scalars or strings (one decoded value per entry), by kind. */
const LISTS: Partial<Record<Kind, ReadonlySet<number>>> = {
  model: new Set([8, 14]),
  graph: new Set([14, 16]),
  function: new Set([4, 5, 6, 9, 14]),
  node: new Set([1, 2, 9]),
  attribute: new Set([9]),
  shape: new Set([1]),
  tensor: new Set([6, 13, 16]),
};

/** Packed varint lists (int32 / int64 values, which decode to one number or Long each), by kind. */
const PACKED_VARINTS: Partial<Record<Kind, ReadonlySet<number>>> = {
  tensor: new Set([1, 5, 7, 11]),
  attribute: new Set([8]),
  sparseTensor: new Set([3]),
};

/** TypeProto nesting (sequence of sequence of ...) beyond this is refused: the decoder recurses on it. */
const MAX_TYPE_DEPTH = 32;

interface Frame {
  readonly kind: Kind;
  readonly end: number;
  /** subgraph nesting: 1 for the main graph */
  readonly graphDepth: number;
  readonly typeDepth: number;
}

const INVALID = 'not a valid ONNX model (protobuf decoding failed; is the file truncated or not .onnx?)';

/** Scans a serialized ModelProto; throws a ModelError naming the first limit it exceeds. */
export function scanModelWire(bytes: Uint8Array, limits: WireLimits): WireCounts {
  const reader = Reader.create(bytes);
  const stack: Frame[] = [{ kind: 'model', end: bytes.byteLength, graphDepth: 0, typeDepth: 0 }];
  let nodes = 0;
  let messages = 1;
  let values = 0;
  let subgraphDepth = 0;
  const invalid = (why: string): never => {
    throw new ModelError(`${INVALID}: ${why} at byte ${reader.pos}`);
  };
  try {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (reader.pos >= frame.end) {
        if (reader.pos > frame.end) invalid('a field runs past the end of its message');
        stack.pop();
        continue;
      }
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 0) invalid('field number 0');
      if (wireType === 3 || wireType === 4) invalid('protobuf groups are not used by ONNX');
      if (wireType !== 2) {
        if (wireType === 0 && PACKED_VARINTS[frame.kind]?.has(field)) values++;
        reader.skipType(wireType);
        continue;
      }
      const length = reader.uint32();
      const start = reader.pos;
      if (start + length > frame.end) invalid(`a field of ${length} bytes runs past the end of its message`);
      const child = CHILDREN[frame.kind][field];
      if (child) {
        messages++;
        if (frame.kind === 'graph' && child === 'node') nodes++;
        if (frame.kind === 'function' && child === 'node') nodes++;
        const graphDepth = child === 'graph' ? frame.graphDepth + 1 : frame.graphDepth;
        const typeDepth = child === 'type' ? frame.typeDepth + 1 : frame.typeDepth;
        if (graphDepth - 1 > limits.maxSubgraphDepth) {
          throw new ModelError(`subgraphs are nested more than ${limits.maxSubgraphDepth} deep; flatten the control flow of the model`);
        }
        if (typeDepth > MAX_TYPE_DEPTH) {
          throw new ModelError(`a value's type is nested more than ${MAX_TYPE_DEPTH} deep (sequence of sequence of ...); the runtime supports tensors and ZipMap outputs`);
        }
        subgraphDepth = Math.max(subgraphDepth, graphDepth - 1);
        stack.push({ kind: child, end: start + length, graphDepth, typeDepth });
      } else {
        if (PACKED_VARINTS[frame.kind]?.has(field)) {
          for (let i = start; i < start + length; i++) if ((bytes[i] & 0x80) === 0) values++;
        } else if (LISTS[frame.kind]?.has(field)) {
          values++;
        }
        reader.skip(length);
      }
    }
  } catch (e) {
    if (e instanceof ModelError) throw e;
    // protobufjs' Reader throws a RangeError ("index out of range") on truncated input
    invalid((e as Error).message);
  }
  // Counted to the end (the pass allocates nothing) so that the messages give exact numbers.
  if (nodes > limits.maxNodes) {
    throw new ModelError(
      `the model has ${nodes} nodes, above the limit of ${limits.maxNodes} for an edge deployment (counted before decoding, subgraphs and functions included); split or simplify the model`,
    );
  }
  if (messages > limits.maxMessages) {
    throw new ModelError(
      `the model file holds ${messages} protobuf messages (nodes, attributes, value infos, tensors, dimensions), above the limit of ${limits.maxMessages}: decoding them would take gigabytes, and a model this large cannot run on the edge`,
    );
  }
  if (values > limits.maxValues) {
    throw new ModelError(
      `the model file holds ${values} list entries outside raw_data (strings, integer lists, int64_data), above the limit of ${limits.maxValues}: decoding them would take gigabytes; store tensors as raw_data (onnx.numpy_helper.from_array does) and keep lists short`,
    );
  }
  return { nodes, messages, values, subgraphDepth };
}
