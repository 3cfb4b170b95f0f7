/**
 * Element types for graph outputs declared without one.
 *
 * ONNX lets a value info omit its type, and exporters do so for If/Loop branch outputs (and
 * sometimes for graph outputs); onnxruntime infers them. The runtime only needs the element type
 * (shapes come from running), so it is inferred here from what produces the value: an
 * initializer, a typed input, an outer-scope value, or a node, whose output type follows from
 * its op (a fixed type, an attribute, a subgraph's output, or its first typed input).
 */
import type { AttributeValue, Graph, Node, ValueInfo } from '../../worker/runtime/graph';
import { isGraph } from '../../worker/runtime/graph';
import type { DType, Tensor } from '../../worker/runtime/tensor';

/** ONNX TensorProto.DataType -> runtime dtype, for Cast's `to` (float16/bfloat16 computed as float32). */
const CAST_TO: Readonly<Record<number, DType>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float32', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'float32',
};

const BOOL_OPS = new Set(['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);
const INT64_OPS = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'NonMaxSuppression']);
/** ops whose output i (beyond 0) is int64: indices */
const INT64_LATER_OUTPUTS = new Set(['TopK', 'Unique', 'MaxPool']);

/**
 * Gives every output in `untyped` (value infos of `graph` or its subgraphs) the type of its
 * producer; a value whose type cannot be found is reported through `unresolved`.
 */
export function inferUntypedOutputs(graph: Graph, untyped: ReadonlySet<ValueInfo>, unresolved: (message: string) => void): Graph {
  return typeGraph(graph, undefined, untyped, unresolved);
}

/** `outer` is the scope a subgraph sees; undefined for the main graph. */
function typeGraph(graph: Graph, outer: ReadonlyMap<string, DType> | undefined, untyped: ReadonlySet<ValueInfo>, unresolved: (m: string) => void): Graph {
  const known = new Map(outer ?? []);
  for (const [name, t] of graph.initializers) known.set(name, t.dtype);
  for (const v of graph.inputs) if (!untyped.has(v)) known.set(v.name, v.dtype);
  const nodes = graph.nodes.map((n) => {
    const typed = typeSubgraphs(n, known, untyped, unresolved);
    typed.outputs.forEach((name, i) => {
      const dtype = outputType(typed, i, known);
      if (name && dtype) known.set(name, dtype);
    });
    return typed;
  });
  const outputs = graph.outputs.map((v) => {
    if (!untyped.has(v)) return v;
    const dtype = known.get(v.name);
    if (!dtype) {
      unresolved(`graph output "${v.name}" of ${outer ? `subgraph "${graph.name}"` : 'the main graph'} has no type and none can be inferred from what produces it; declare its type (onnx.shape_inference.infer_shapes fills it in)`);
      return v;
    }
    return { ...v, dtype };
  });
  return { ...graph, nodes, outputs };
}

/** The node with its graph attributes typed in the scope visible to them. */
function typeSubgraphs(n: Node, scope: ReadonlyMap<string, DType>, untyped: ReadonlySet<ValueInfo>, unresolved: (m: string) => void): Node {
  let changed = false;
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(n.attributes)) {
    if (isGraph(value)) {
      attributes[name] = typeGraph(value, scope, untyped, unresolved);
      changed = true;
    } else if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && isGraph(value[0] as AttributeValue)) {
      attributes[name] = (value as Graph[]).map((g) => typeGraph(g, scope, untyped, unresolved));
      changed = true;
    } else {
      attributes[name] = value;
    }
  }
  return changed ? { ...n, attributes } : n;
}

/** The element type of output `i` of node `n`, or undefined when nothing decides it. */
function outputType(n: Node, i: number, known: ReadonlyMap<string, DType>): DType | undefined {
  const a = n.attributes;
  const firstInput = (): DType | undefined => {
    for (const name of n.inputs) {
      const t = name ? known.get(name) : undefined;
      if (t) return t;
    }
    return undefined;
  };
  if (n.domain === '' || n.domain === 'ai.onnx') {
    if (BOOL_OPS.has(n.op)) return 'bool';
    if (INT64_OPS.has(n.op) || (i > 0 && INT64_LATER_OUTPUTS.has(n.op))) return 'int64';
    switch (n.op) {
      case 'Cast':
        return typeof a.to === 'number' ? CAST_TO[a.to] : undefined;
      case 'CastLike':
        return n.inputs[1] ? known.get(n.inputs[1]) : undefined;
      case 'Constant':
        return constantType(a);
      case 'ConstantOfShape':
        return a.value ? (a.value as Tensor).dtype : 'float32';
      case 'If': {
        const branch = a.then_branch;
        return isGraph(branch) ? branch.outputs[i]?.dtype : undefined;
      }
      case 'Loop': {
        const body = a.body;
        return isGraph(body) ? body.outputs[i + 1]?.dtype : undefined;
      }
      case 'Scan': {
        const body = a.body;
        return isGraph(body) ? body.outputs[i]?.dtype : undefined;
      }
      case 'DynamicQuantizeLinear':
        return i === 0 || i === 2 ? 'uint8' : 'float32';
      case 'QuantizeLinear':
        return (n.inputs[2] ? known.get(n.inputs[2]) : undefined) ?? 'uint8';
      case 'DequantizeLinear':
        return 'float32';
    }
  }
  return firstInput();
}

function constantType(a: Node['attributes']): DType | undefined {
  if (a.value !== undefined && typeof a.value === 'object' && !Array.isArray(a.value) && !isGraph(a.value)) return (a.value as Tensor).dtype;
  if (a.value_float !== undefined || a.value_floats !== undefined) return 'float32';
  if (a.value_int !== undefined || a.value_ints !== undefined) return 'int64';
  if (a.value_string !== undefined || a.value_strings !== undefined) return 'string';
  return undefined;
}
