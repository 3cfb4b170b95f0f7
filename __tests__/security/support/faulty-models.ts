/**
 * Faulty ONNX models for the synth-time tests, each built to break the compiler in one way.
 * Complements __tests__/compiler/compile-errors.test.ts (which has empty, truncated, random, PNG,
 * artifact-as-onnx, text, byte flips, a cycle, a dangling name and a 1e12 input dimension).
 */
import { onnx } from 'onnx-proto';
import { AT, DT, floatTensor, modelBytes, node, reluAddModel, valueInfo, type GraphSpec } from '../../compiler/onnx-builder';
import { concat, field, fieldHead, varint } from './wire-bytes';

export interface FaultyModel {
  readonly label: string;
  readonly bytes: () => Uint8Array;
  /** a pattern the ModelCompileError's problems must match */
  readonly problem: RegExp;
}

const io = { inputs: [valueInfo('x', DT.FLOAT, [1, 4])], outputs: [valueInfo('y', DT.FLOAT)] };
const int64 = (name: string, dims: number[], values: number[]): onnx.ITensorProto => ({ name, dims, dataType: DT.INT64, int64Data: values });

const enc = new TextEncoder();

/**
 * `depth` If nodes, each holding the next in its then_branch; the innermost branch is an Identity.
 * Written as bytes, since protobufjs' encoder is recursive and cannot build it, and in one pass:
 * every level is a prefix before the level it holds and a suffix after it, so the lengths are
 * summed from the inside out and the file is assembled once (linear in depth, not quadratic).
 */
function nestedIfModel(depth: number): Uint8Array {
  const out = field(12, onnx.ValueInfoProto.encode(valueInfo('out', DT.FLOAT)).finish());
  const leaf = onnx.GraphProto.encode({ name: 'leaf', node: [node('Identity', ['x'], ['out'])], output: [valueInfo('out', DT.FLOAT)] }).finish();
  const nodeFields = concat(field(1, enc.encode('c')), field(2, enc.encode('out')), field(4, enc.encode('If')));
  const attributeName = field(1, enc.encode('then_branch'));
  const attributeType = [0xa0, 0x01, AT.GRAPH];
  const prefixes: number[][] = [];
  const suffixes: Uint8Array[] = [];
  let graphLength = leaf.length;
  for (let d = 0; d < depth; d++) {
    const attribute = attributeName.length + fieldHead(6, graphLength).length + graphLength + attributeType.length;
    const ifNode = nodeFields.length + fieldHead(5, attribute).length + attribute;
    const graphSuffix = concat(field(2, enc.encode(`g${d}`)), out);
    // innermost first; reversed below so that the outermost level comes first in the file
    prefixes.push([...fieldHead(1, ifNode), ...nodeFields, ...fieldHead(5, attribute), ...attributeName, ...fieldHead(6, graphLength)]);
    suffixes.push(concat(attributeType, graphSuffix));
    graphLength = fieldHead(1, ifNode).length + ifNode + graphSuffix.length;
  }
  const inputs = [valueInfo('x', DT.FLOAT, [2]), valueInfo('c', DT.BOOL, [])].map((v) => field(11, onnx.ValueInfoProto.encode(v).finish()));
  // graph inputs appended to the outermost graph: fields may come in any order
  const mainLength = graphLength + inputs.reduce((n, b) => n + b.length, 0);
  return concat(
    [0x08, 8],
    fieldHead(7, mainLength),
    ...prefixes.reverse(),
    leaf,
    ...suffixes,
    ...inputs,
    field(8, onnx.OperatorSetIdProto.encode({ domain: '', version: 17 }).finish()),
  );
}

function spec(nodes: onnx.INodeProto[], initializers: onnx.ITensorProto[] = [], extra: Partial<GraphSpec> = {}): GraphSpec {
  return { ...io, nodes, initializers, ...extra };
}

/** What a compiler that sizes constant subgraphs before folding would say. */
const CONSTANT_TOO_LARGE = /elements|too large|limit/;

export const FAULTY_MODELS: readonly FaultyModel[] = [
  // ---- not ONNX at all (other formats' magic bytes)
  { label: 'a zip archive (PyTorch .pt)', bytes: () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, ...new Array(40).fill(0)]), problem: /ONNX|graph/ },
  { label: 'gzip-compressed bytes', bytes: () => new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...new Array(40).fill(7)]), problem: /ONNX|graph/ },
  { label: 'an ORT-format model (flatbuffers "ORTM")', bytes: () => new Uint8Array([0x10, 0, 0, 0, 0x4f, 0x52, 0x54, 0x4d, ...new Array(40).fill(1)]), problem: /ONNX|graph/ },
  { label: 'ONNX text format', bytes: () => new TextEncoder().encode('<ir_version: 8, opset_import: ["" : 17]>\nagraph (float[N] x) => (float[N] y) { y = Relu(x) }'), problem: /ONNX|graph/ },
  { label: 'a TensorProto instead of a ModelProto', bytes: () => onnx.TensorProto.encode(floatTensor('w', [4], [1, 2, 3, 4])).finish(), problem: /ONNX|graph/ },
  // ---- protobuf framing that lies
  { label: 'graph field claiming 2 GiB', bytes: () => new Uint8Array([0x08, 8, 0x3a, ...varint(2 ** 31 - 1), 0x0a, 0x01, 0x78]), problem: /ONNX|truncated|protobuf/ },
  { label: 'graph field claiming 2^53 bytes', bytes: () => new Uint8Array([0x3a, ...varint(2 ** 53), 0x0a]), problem: /ONNX|truncated|protobuf/ },
  { label: 'a varint that never ends', bytes: () => new Uint8Array([0x08, ...new Array(64).fill(0xff)]), problem: /ONNX|truncated|protobuf/ },
  { label: 'truncated inside an initializer', bytes: () => { const b = modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [floatTensor('w', [4], [1, 2, 3, 4])])); return b.subarray(0, b.length - 9); }, problem: /ONNX|truncated|protobuf|graph|produce/ },
  // ---- initializers whose data and dims disagree
  { label: 'raw_data longer than its dims', bytes: () => modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [{ name: 'w', dims: [4], dataType: DT.FLOAT, rawData: new Uint8Array(64) }])), problem: /"w".*raw_data holds 64 bytes/ },
  { label: 'raw_data shorter than its dims', bytes: () => modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [{ name: 'w', dims: [1000, 1000], dataType: DT.FLOAT, rawData: new Uint8Array(16) }])), problem: /"w".*raw_data holds 16 bytes/ },
  { label: 'float_data shorter than its dims', bytes: () => modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [{ name: 'w', dims: [4, 4], dataType: DT.FLOAT, floatData: [1, 2] }])), problem: /"w".*float_data holds 2 values/ },
  { label: 'an initializer claiming 1e12 elements', bytes: () => modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [{ name: 'w', dims: [1e6, 1e6], dataType: DT.FLOAT, rawData: new Uint8Array(16) }])), problem: /"w".*1000000000000 elements/ },
  { label: 'initializer dims whose product overflows 2^53', bytes: () => modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [{ name: 'w', dims: [2 ** 31, 2 ** 31, 2 ** 31], dataType: DT.FLOAT, rawData: new Uint8Array(16) }])), problem: /"w"/ },
  { label: 'negative initializer dims', bytes: () => modelBytes(spec([node('Add', ['x', 'w'], ['y'])], [{ name: 'w', dims: [-4], dataType: DT.FLOAT, floatData: [] }])), problem: /"w" has invalid dims/ },
  { label: 'a string initializer with too few strings', bytes: () => modelBytes({ inputs: [valueInfo('x', DT.STRING, [2])], outputs: [valueInfo('y', DT.BOOL)], nodes: [node('Equal', ['x', 'w'], ['y'])], initializers: [{ name: 'w', dims: [3], dataType: DT.STRING, stringData: [new Uint8Array([97])] }] }), problem: /"w".*string_data holds 1/ },
  // ---- shapes that overflow or are absurd
  { label: 'an input dimension of 2^62', bytes: () => modelBytes({ inputs: [valueInfo('x', DT.FLOAT, [2 ** 62])], outputs: [valueInfo('y', DT.FLOAT)], nodes: [node('Relu', ['x'], ['y'])] }), problem: /dimension 0/ },
  // ---- graph structure
  { label: 'a node that reads its own output', bytes: () => modelBytes(spec([node('Add', ['x', 'y'], ['y'], [], { name: 'self' })])), problem: /cycle|self/ },
  { label: 'a dangling name inside a subgraph', bytes: () => modelBytes({ inputs: [valueInfo('x', DT.FLOAT, [2]), valueInfo('c', DT.BOOL, [])], outputs: [valueInfo('y', DT.FLOAT)], nodes: [{ opType: 'If', name: 'branchy', input: ['c'], output: ['y'], attribute: [
    { name: 'then_branch', type: AT.GRAPH, g: { name: 't', node: [node('Relu', ['nowhere'], ['o'])], output: [valueInfo('o', DT.FLOAT)] } },
    { name: 'else_branch', type: AT.GRAPH, g: { name: 'e', node: [node('Relu', ['x'], ['o'])], output: [valueInfo('o', DT.FLOAT)] } },
  ] }] }), problem: /nowhere/ },
  { label: 'two graph outputs with one name', bytes: () => modelBytes({ ...io, outputs: [valueInfo('y', DT.FLOAT), valueInfo('y', DT.FLOAT)], nodes: [node('Relu', ['x'], ['y'])] }), problem: /graph output "y" is listed twice/ },
  // ---- opset imports that cannot be real
  ...([['', 0], ['', -3], ['', 9999], ['ai.onnx.ml', 9999], ['com.example', 2 ** 40]] as const).map(([domain, version]) => ({
    label: `opset ${version} of domain "${domain || 'ai.onnx'}"`,
    bytes: () => modelBytes(spec([node('Relu', ['x'], ['y'])]), domain ? [['', 17], [domain, version]] : [[domain, version]]),
    problem: new RegExp(`opset ${version} of domain "${domain || 'ai.onnx'}".*(start at 1|newer than the latest the runtime knows|not a real opset)`),
  })),
  { label: 'a graph output nobody produces, and no nodes', bytes: () => modelBytes({ ...io, nodes: [] }), problem: /"y" is not produced/ },
  ...[300, 3000, 10_000, 30_000].map((depth) => ({ label: `If nested ${depth} subgraphs deep`, bytes: () => nestedIfModel(depth), problem: /subgraphs are nested more than 64 deep; flatten the control flow/ })),
  { label: 'a chain of 30,000 Relu nodes (3x the node limit)', bytes: () => modelBytes(spec(Array.from({ length: 30_000 }, (_, i) => node('Relu', [i === 0 ? 'x' : `r${i - 1}`], [i === 29_999 ? 'y' : `r${i}`])))), problem: /30000 nodes, above the limit/ },
  // ---- constant subgraphs that would explode when folded
  { label: 'Expand of a constant to 1e10 elements', bytes: () => modelBytes(spec([node('Expand', ['one', 'shape'], ['big']), node('ReduceSum', ['big'], ['s']), node('Add', ['x', 's'], ['y'])], [floatTensor('one', [1], [1]), int64('shape', [2], [100_000, 100_000])])), problem: CONSTANT_TOO_LARGE },
  { label: 'Range of 1e12 elements from constants', bytes: () => modelBytes(spec([node('Range', ['a', 'b', 'd'], ['big']), node('ReduceSum', ['big'], ['s']), node('Add', ['x', 's'], ['y'])], [floatTensor('a', [], [0]), floatTensor('b', [], [1e12]), floatTensor('d', [], [1])])), problem: CONSTANT_TOO_LARGE },
  { label: 'Tile of a constant by 1e6 x 1e6', bytes: () => modelBytes(spec([node('Tile', ['w', 'reps'], ['big']), node('ReduceSum', ['big'], ['s']), node('Add', ['x', 's'], ['y'])], [floatTensor('w', [1, 1], [1]), int64('reps', [2], [1e6, 1e6])])), problem: CONSTANT_TOO_LARGE },
  { label: 'ConstantOfShape [2^40]', bytes: () => modelBytes(spec([node('ConstantOfShape', ['shape'], ['big']), node('ReduceSum', ['big'], ['s']), node('Add', ['x', 's'], ['y'])], [int64('shape', [1], [2 ** 40])])), problem: CONSTANT_TOO_LARGE },
  { label: 'Reshape of a constant to an overflowing shape', bytes: () => modelBytes(spec([node('Reshape', ['w', 'shape'], ['r']), node('Add', ['x', 'r'], ['y'])], [floatTensor('w', [4], [1, 2, 3, 4]), int64('shape', [3], [2 ** 31, 2 ** 31, 0])])), problem: /elements|too large|limit|rank/ },
];

/** A good model, compiled after the faulty ones to show the process still works. */
export { reluAddModel };
