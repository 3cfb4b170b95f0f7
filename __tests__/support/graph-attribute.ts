/**
 * Graph-valued attributes (Scan, Loop and If bodies) for models built with onnx-builder, which
 * writes only plain attributes: the body is built as a model of its own and its graph attached.
 */
import { onnx } from 'onnx-proto';
import { buildModel, type ModelSpec } from './onnx-builder';

/** The graph of a model spec, named `name`. */
export function graphOf(spec: Omit<ModelSpec, 'opsets'>, name: string): onnx.IGraphProto {
  const graph = onnx.ModelProto.decode(buildModel({ ...spec, opsets: { '': 17 } })).graph!;
  graph.name = name;
  return graph;
}

/** `model` with graph attributes added to the node at `nodeIndex` of its main graph. */
export function withGraphAttributes(model: Uint8Array, nodeIndex: number, graphs: Readonly<Record<string, onnx.IGraphProto>>): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  const n = proto.graph!.node![nodeIndex];
  for (const [name, g] of Object.entries(graphs)) {
    n.attribute!.push({ name, type: onnx.AttributeProto.AttributeType.GRAPH, g });
  }
  return onnx.ModelProto.encode(proto).finish();
}
