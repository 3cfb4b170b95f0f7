/**
 * Large models made on demand for tests and benchmarks (never committed): a multilayer perceptron
 * X[N, inputs] -> (MatMul + Add + Relu) x hidden layers -> MatMul + Add -> Y[N, outputs], with
 * seeded random float32 weights sized to reach a given number of weight bytes. The weights are
 * written as raw bytes, so a 100 MB model encodes in well under a second.
 */
import { onnx } from 'onnx-proto';
import { Random } from '../../models/lib/random';

export interface SeededMlpOptions {
  /** target bytes of float32 weights (the result is within a few percent) */
  readonly weightBytes: number;
  readonly inputs?: number;
  readonly outputs?: number;
  /** hidden layers of equal width @default 2 */
  readonly hiddenLayers?: number;
  readonly seed?: number;
}

export interface SeededMlp {
  readonly onnx: Uint8Array;
  readonly inputs: number;
  readonly outputs: number;
  readonly hidden: number;
  readonly weightBytes: number;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function valueInfo(name: string, dims: Array<number | string>): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

export function seededMlp(options: SeededMlpOptions): SeededMlp {
  const inputs = options.inputs ?? 256;
  const outputs = options.outputs ?? 10;
  const layers = options.hiddenLayers ?? 2;
  const floats = options.weightBytes / 4;
  // floats ~ inputs*h + (layers-1)*h*h + h*outputs: solve for the width h
  const a = layers - 1;
  const b = inputs + outputs;
  const hidden = Math.max(1, Math.round(a > 0 ? (-b + Math.sqrt(b * b + 4 * a * floats)) / (2 * a) : floats / b));
  const random = new Random(options.seed ?? 7);
  const initializer: onnx.ITensorProto[] = [];
  const node: onnx.INodeProto[] = [];
  let weightBytes = 0;
  const weight = (name: string, rows: number, cols: number) => {
    // He-style scale keeps activations in a sensible range through the layers.
    const scale = Math.sqrt(2 / rows);
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = (random.next() * 2 - 1) * scale;
    weightBytes += data.byteLength;
    initializer.push({ name, dataType: FLOAT, dims: [rows, cols], rawData: new Uint8Array(data.buffer) });
  };
  const bias = (name: string, n: number) => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (random.next() - 0.5) * 0.1;
    weightBytes += data.byteLength;
    initializer.push({ name, dataType: FLOAT, dims: [n], rawData: new Uint8Array(data.buffer) });
  };
  let current = 'X';
  let width = inputs;
  for (let l = 0; l <= layers; l++) {
    const last = l === layers;
    const out = last ? outputs : hidden;
    weight(`W${l}`, width, out);
    bias(`B${l}`, out);
    node.push({ opType: 'MatMul', input: [current, `W${l}`], output: [`M${l}`], name: `matmul${l}` });
    node.push({ opType: 'Add', input: [`M${l}`, `B${l}`], output: [last ? 'Y' : `A${l}`], name: `add${l}` });
    if (!last) node.push({ opType: 'Relu', input: [`A${l}`], output: [`H${l}`], name: `relu${l}` });
    current = `H${l}`;
    width = out;
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'model-edge-seeded-mlp',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'seeded_mlp', input: [valueInfo('X', ['N', inputs])], output: [valueInfo('Y', ['N', outputs])], initializer, node },
  });
  return { onnx: onnx.ModelProto.encode(model).finish(), inputs, outputs, hidden, weightBytes };
}

/** Seeded inputs for the model: `rows` rows of uniform values in [-1, 1). */
export function seededInputs(rows: number, inputs: number, seed = 11): Float32Array {
  const random = new Random(seed);
  const data = new Float32Array(rows * inputs);
  for (let i = 0; i < data.length; i++) data[i] = random.next() * 2 - 1;
  return data;
}
