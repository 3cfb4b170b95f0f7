/** Builds small ONNX models in tests with onnx-proto. */
import { onnx } from 'onnx-proto';

export const DT = onnx.TensorProto.DataType;
export const AT = onnx.AttributeProto.AttributeType;

export type Dims = Array<number | string>;

export function valueInfo(name: string, elemType: number, dims?: Dims): onnx.IValueInfoProto {
  const shape = dims ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined;
  return { name, type: { tensorType: { elemType, shape } } };
}

export function floatTensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: DT.FLOAT, floatData: values };
}

export function int64Tensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: DT.INT64, int64Data: values };
}

export function node(op: string, inputs: string[], outputs: string[], attrs: onnx.IAttributeProto[] = [], extra: Partial<onnx.INodeProto> = {}): onnx.INodeProto {
  return { opType: op, input: inputs, output: outputs, attribute: attrs, name: extra.name ?? `${op}_${outputs[0] ?? ''}`, ...extra };
}

export function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: AT.INT, i };
}

export interface GraphSpec {
  nodes: onnx.INodeProto[];
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  initializers?: onnx.ITensorProto[];
  name?: string;
}

export function graph(spec: GraphSpec): onnx.IGraphProto {
  return { name: spec.name ?? 'g', node: spec.nodes, input: spec.inputs, output: spec.outputs, initializer: spec.initializers ?? [] };
}

export function modelBytes(spec: GraphSpec, opsets: Array<[string, number]> = [['', 17]], extra: Partial<onnx.IModelProto> = {}): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'test',
    opsetImport: opsets.map(([domain, version]) => ({ domain, version })),
    graph: graph(spec),
    ...extra,
  });
  return onnx.ModelProto.encode(proto).finish();
}

export function tensorBytes(t: onnx.ITensorProto): Uint8Array {
  return onnx.TensorProto.encode(onnx.TensorProto.create(t)).finish();
}

/** x [2, 3] float -> Relu -> Add(bias) -> y */
export function reluAddModel(): Uint8Array {
  return modelBytes({
    nodes: [node('Relu', ['x'], ['r']), node('Add', ['r', 'bias'], ['y'])],
    inputs: [valueInfo('x', DT.FLOAT, ['batch', 3])],
    outputs: [valueInfo('y', DT.FLOAT, ['batch', 3])],
    initializers: [floatTensor('bias', [3], [1, 2, 3])],
  });
}
