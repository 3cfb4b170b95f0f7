/**
 * Small files that make a compiler without budgets hang or take gigabytes: nested loops whose trip
 * counts multiply, constants that fold into huge tensors, shape probes that materialize huge
 * intermediates, and floods of empty protobuf entries that decode into millions of objects. Each
 * must be refused in seconds, with a message naming the limit, through every entry point.
 */
import { onnx } from 'onnx-proto';
import { AT, DT, modelBytes, node, valueInfo } from '../../compiler/onnx-builder';
import { fieldHead, varint } from './wire-bytes';

export interface HostileModel {
  readonly label: string;
  readonly bytes: () => Uint8Array;
  /** what the error must say */
  readonly problem: RegExp;
}

const x14 = valueInfo('x', DT.FLOAT, [1, 4]);
/** No declared shape: the compiler probes it by running the model. */
const yUnknown = valueInfo('y', DT.FLOAT);
const int64 = (name: string, dims: number[], values: number[]): onnx.ITensorProto => ({ name, dims, dataType: DT.INT64, int64Data: values });
const unnamed = (op: string, inputs: string[], outputs: string[], attrs: onnx.IAttributeProto[] = []) => node(op, inputs, outputs, attrs, { name: '' });
const graphAttr = (name: string, g: onnx.IGraphProto): onnx.IAttributeProto => ({ name, type: AT.GRAPH, g });

/** Loop(M) whose body runs Loop(M) whose body passes its value through: M*M body runs. */
export function nestedLoopModel(tripCount: number): Uint8Array {
  const body = (name: string, inner: onnx.INodeProto[], carriedIn: string, carriedOut: string): onnx.IGraphProto => ({
    name,
    input: [valueInfo(`${name}_i`, DT.INT64, []), valueInfo(`${name}_c`, DT.BOOL, []), valueInfo(carriedIn, DT.FLOAT)],
    output: [valueInfo(`${name}_co`, DT.BOOL, []), valueInfo(carriedOut, DT.FLOAT)],
    node: [unnamed('Identity', [`${name}_c`], [`${name}_co`]), ...inner],
  });
  const innerBody = body('ib', [unnamed('Identity', ['b'], ['b2'])], 'b', 'b2');
  const outerBody = body('ob', [node('Loop', ['M', '', 'a'], ['a2'], [graphAttr('body', innerBody)], { name: 'inner' })], 'a', 'a2');
  return modelBytes({
    inputs: [x14],
    outputs: [yUnknown],
    initializers: [int64('M', [], [tripCount])],
    nodes: [node('Loop', ['M', '', 'x'], ['y'], [graphAttr('body', outerBody)], { name: 'outer' })],
  });
}

/**
 * ConstantOfShape [62,500] doubled by eight Concats into 16 M float32 (64 MB), then `copies`
 * nodes that each fold into another 64 MB constant: a few KB of nodes, gigabytes folded.
 */
export function doublingFoldBomb(copies: number): Uint8Array {
  const nodes = [unnamed('ConstantOfShape', ['shape'], ['c0'])];
  for (let i = 0; i < 8; i++) nodes.push(unnamed('Concat', [`c${i}`, `c${i}`], [`c${i + 1}`], [{ name: 'axis', type: AT.INT, i: 0 }]));
  const copiesOut = Array.from({ length: copies }, (_, k) => `n${k}`);
  for (const name of copiesOut) nodes.push(unnamed('Neg', ['c8'], [name]));
  nodes.push(unnamed('Sum', copiesOut, ['s']), unnamed('ReduceSum', ['s'], ['r'], [{ name: 'keepdims', type: AT.INT, i: 0 }]), unnamed('Add', ['x', 'r'], ['y']));
  return modelBytes({ inputs: [x14], outputs: [yUnknown], initializers: [int64('shape', [1], [62_500])], nodes });
}

/** `count` MatMuls of [1000, 1] by [1, 1000] constants: each folds into 1 M floats (4 MB). */
export function outerProductFoldBomb(count: number): Uint8Array {
  const products = Array.from({ length: count }, (_, k) => `m${k}`);
  const nodes = [
    unnamed('ConstantOfShape', ['sa'], ['a']),
    unnamed('ConstantOfShape', ['sb'], ['b']),
    ...products.map((m) => unnamed('MatMul', ['a', 'b'], [m])),
    unnamed('Sum', products, ['s']),
    unnamed('ReduceSum', ['s'], ['r'], [{ name: 'keepdims', type: AT.INT, i: 0 }]),
    unnamed('Add', ['x', 'r'], ['y']),
  ];
  return modelBytes({ inputs: [x14], outputs: [yUnknown], initializers: [int64('sa', [2], [1000, 1]), int64('sb', [2], [1, 1000])], nodes });
}

/** `count` Expands of the input to [1, 4 M, 4] (64 MB each) that only the shape probe runs. */
export function probeExpandBomb(count: number): Uint8Array {
  const expanded = Array.from({ length: count }, (_, k) => `e${k}`);
  const nodes = [
    ...expanded.map((e) => unnamed('Expand', ['x', 'shape'], [e])),
    unnamed('Sum', expanded, ['s']),
    unnamed('ReduceSum', ['s'], ['r'], [{ name: 'keepdims', type: AT.INT, i: 0 }]),
    unnamed('Add', ['x', 'r'], ['y']),
  ];
  return modelBytes({ inputs: [x14], outputs: [yUnknown], initializers: [int64('shape', [3], [1, 4 * 1024 * 1024, 1])], nodes });
}

/**
 * One contraction of two [2048, 2048] values made from the input down to a scalar: 8.6e9
 * multiply-adds in the probe (whose output, a small value, the probe must compute for real).
 */
export function probeContractionBomb(): Uint8Array {
  const nodes = [
    unnamed('ReduceSum', ['x'], ['t']),
    unnamed('Expand', ['t', 'shape'], ['big']),
    node('Einsum', ['big', 'big'], ['r'], [{ name: 'equation', type: AT.STRING, s: new TextEncoder().encode('ij,jk->') }], { name: 'square' }),
    unnamed('Add', ['x', 'r'], ['y']),
  ];
  return modelBytes({ inputs: [x14], outputs: [yUnknown], initializers: [int64('shape', [2], [2048, 2048])], nodes });
}

/**
 * A ModelProto whose graph repeats `entry` (a whole field: tag, length, body) to fill `bytes`,
 * with a valid input x and output y; written directly, as no encoder should hold millions of entries.
 */
function floodModel(bytes: number, entry: readonly number[]): Uint8Array {
  const io = [
    ...[11, 12].flatMap((field, i) => {
      const v = onnx.ValueInfoProto.encode(i === 0 ? x14 : valueInfo('y', DT.FLOAT, [1, 4])).finish();
      return [...fieldHead(field, v.length), ...v];
    }),
    ...(() => {
      const n = onnx.NodeProto.encode(node('Relu', ['x'], ['y'])).finish();
      return [...fieldHead(1, n.length), ...n];
    })(),
  ];
  const count = Math.floor(bytes / entry.length);
  const graphLength = count * entry.length + io.length;
  const opset = onnx.OperatorSetIdProto.encode({ domain: '', version: 17 }).finish();
  // ir_version 8, opset_import (field 8), then the graph (field 7)
  const head = [0x08, 8, ...fieldHead(8, opset.length), ...opset, ...fieldHead(7, graphLength)];
  const out = new Uint8Array(head.length + graphLength);
  out.set(head, 0);
  let at = head.length;
  const pattern = Uint8Array.from(entry);
  for (let i = 0; i < count; i++, at += pattern.length) out.set(pattern, at);
  out.set(io, at);
  return out;
}

const MB = 1024 * 1024;
/** An empty NodeProto in graph field 1. */
const EMPTY_NODE = [0x0a, 0x00];
/** An empty ValueInfoProto in graph field 13 (value_info). */
const EMPTY_VALUE_INFO = [0x6a, 0x00];
/** An initializer with 1,000 int64_data values packed as one byte each (decoded: 1,000 Long objects). */
const INT64_LIST = (() => {
  const values = new Array<number>(1000).fill(1);
  // dims [1000], data_type INT64, int64_data (field 7); as graph initializer (field 5)
  const tensor = [0x08, ...varint(1000), 0x10, DT.INT64, ...fieldHead(7, values.length), ...values];
  return [...fieldHead(5, tensor.length), ...tensor];
})();

export const HOSTILE_MODELS: readonly HostileModel[] = [
  { label: 'Loop in Loop, trip counts 1e6 each', bytes: () => nestedLoopModel(1_000_000), problem: /Loop node "outer" > Loop node "inner".*compile budget ran out while probing output shapes: more than 1,000,000 node runs/ },
  { label: 'fold bomb: 64 MB constants from doubling Concats', bytes: () => doublingFoldBomb(900), problem: /Neg node.*compile budget ran out while folding constants: \d+ MiB of tensors materialized, above the limit of 512 MiB/ },
  { label: 'fold bomb: 4,999 nodes, outer-product MatMuls', bytes: () => outerProductFoldBomb(4_994), problem: /MatMul node.*compile budget ran out while folding constants: \d+ MiB of tensors materialized/ },
  { label: 'probe bomb: 64 MB Expands of the input', bytes: () => probeExpandBomb(40), problem: /Expand node.*compile budget ran out while probing output shapes: \d+ MiB of tensors materialized/ },
  { label: 'probe bomb: contraction of two [2048, 2048] values to a scalar', bytes: () => probeContractionBomb(), problem: /Einsum node "square".*compile budget ran out while probing output shapes: [\d,]+ element operations, above the limit/ },
  { label: '16 MB of empty nodes', bytes: () => floodModel(16 * MB, EMPTY_NODE), problem: /the model has 838860\d nodes, above the limit of 10000 .*counted before decoding/ },
  { label: '24 MB of empty nodes', bytes: () => floodModel(24 * MB, EMPTY_NODE), problem: /the model has 1258291\d nodes, above the limit of 10000 .*counted before decoding/ },
  { label: '16 MB of empty value_info entries', bytes: () => floodModel(16 * MB, EMPTY_VALUE_INFO), problem: /holds 838\d{4} protobuf messages .*above the limit of 1000000/ },
  { label: '16 MB of int64_data list entries', bytes: () => floodModel(16 * MB, INT64_LIST), problem: /holds 166\d{5} list entries outside raw_data .*above the limit of 8000000/ },
];
