/**
 * Tiny ONNX models for the HTTP tests, built with onnx-proto and compiled exactly as synth does.
 *
 * - `multi`: four inputs of different datatypes; y = LinearRegressor(x) (y = x0 + 2*x1 + 3*x2 + 0.5),
 *   and Identity passes flags (BOOL), names (BYTES) and ids (INT64) through.
 * - `classifier`: LinearClassifier over 2 features with classes "a"/"b", then ZipMap: outputs
 *   `label` (BYTES) and `probabilities` (one {a, b} object per row).
 */
import { onnx } from 'onnx-proto';
import { compileModel, type CompiledModel } from '../../../lib/model-compiler';

const T = onnx.TensorProto.DataType;

function valueInfo(name: string, elemType: number, dims: Array<number | string>): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attr(name: string, value: number[] | string[] | number | string): onnx.IAttributeProto {
  if (typeof value === 'number') return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
  if (typeof value === 'string') return { name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (value.length > 0 && typeof value[0] === 'string') {
    return { name, type: onnx.AttributeProto.AttributeType.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
  }
  return { name, type: onnx.AttributeProto.AttributeType.FLOATS, floats: value as number[] };
}

function encode(graph: onnx.IGraphProto, mlOpset = true): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'model-edge-tests',
    opsetImport: [{ domain: '', version: 17 }, ...(mlOpset ? [{ domain: 'ai.onnx.ml', version: 3 }] : [])],
    graph,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

export function multiOnnx(): Uint8Array {
  return encode({
    name: 'multi',
    input: [
      valueInfo('x', T.FLOAT, ['batch', 3]),
      valueInfo('flags', T.BOOL, ['n']),
      valueInfo('names', T.STRING, ['n']),
      valueInfo('ids', T.INT64, ['m', 2]),
    ],
    output: [
      valueInfo('y', T.FLOAT, ['batch', 1]),
      valueInfo('flags_out', T.BOOL, ['n']),
      valueInfo('names_out', T.STRING, ['n']),
      valueInfo('ids_out', T.INT64, ['m', 2]),
    ],
    node: [
      {
        opType: 'LinearRegressor',
        domain: 'ai.onnx.ml',
        input: ['x'],
        output: ['y'],
        attribute: [attr('coefficients', [1, 2, 3]), attr('intercepts', [0.5]), attr('targets', 1)],
      },
      { opType: 'Identity', input: ['flags'], output: ['flags_out'] },
      { opType: 'Identity', input: ['names'], output: ['names_out'] },
      { opType: 'Identity', input: ['ids'], output: ['ids_out'] },
    ],
  });
}

export function classifierOnnx(): Uint8Array {
  return encode({
    name: 'classifier',
    input: [valueInfo('x', T.FLOAT, ['batch', 2])],
    output: [
      valueInfo('label', T.STRING, ['batch']),
      { name: 'probabilities', type: { sequenceType: { elemType: { mapType: { keyType: T.STRING, valueType: { tensorType: { elemType: T.FLOAT } } } } } } },
    ],
    node: [
      {
        opType: 'LinearClassifier',
        domain: 'ai.onnx.ml',
        input: ['x'],
        output: ['label', 'scores'],
        attribute: [
          attr('classlabels_strings', ['a', 'b']),
          attr('coefficients', [1, 0, 0, 1]),
          attr('intercepts', [0, 0]),
          attr('post_transform', 'SOFTMAX'),
        ],
      },
      { opType: 'ZipMap', domain: 'ai.onnx.ml', input: ['scores'], output: ['probabilities'], attribute: [attr('classlabels_strings', ['a', 'b'])] },
    ],
  });
}

const compiled = new Map<string, CompiledModel>();

export function compiledModel(name: 'multi' | 'classifier'): CompiledModel {
  let c = compiled.get(name);
  if (!c) {
    c = compileModel(name === 'multi' ? multiOnnx() : classifierOnnx(), { source: `${name}.onnx` });
    compiled.set(name, c);
  }
  return c;
}

/** The artifact as the Worker receives it: an ArrayBuffer of exactly its bytes. */
export function artifactBuffer(model: CompiledModel): ArrayBuffer {
  return model.artifact.buffer.slice(model.artifact.byteOffset, model.artifact.byteOffset + model.artifact.byteLength) as ArrayBuffer;
}
