import { compileModel } from '../../lib/model-compiler';
import { DT, floatTensor, modelBytes, node, valueInfo } from './onnx-builder';

/** x [N, 4] -> MatMul(w [4, 3]) -> y, with y's shape left out as exporters often do. */
function matmulModel(outputDims?: Array<number | string>): Uint8Array {
  return modelBytes({
    nodes: [node('MatMul', ['x', 'w'], ['y'])],
    inputs: [valueInfo('x', DT.FLOAT, ['N', 4])],
    outputs: [valueInfo('y', DT.FLOAT, outputDims)],
    initializers: [floatTensor('w', [4, 3], new Array(12).fill(0.5))],
  });
}

describe('output shape inference', () => {
  it('fills undeclared output dimensions: fixed ones by size, variable ones as -1', () => {
    expect(compileModel(matmulModel()).signature.outputs[0].shape).toEqual([-1, 3]);
  });

  it('resolves symbolic dimensions that are really fixed', () => {
    expect(compileModel(matmulModel(['batch', 'unk'])).signature.outputs[0].shape).toEqual([-1, 3]);
  });

  it('never overrides a declared numeric dimension', () => {
    expect(compileModel(matmulModel([7, 'unk'])).signature.outputs[0].shape).toEqual([7, 3]);
  });

  it('leaves the declared shape when the model cannot run on zeros', () => {
    const bytes = modelBytes({
      nodes: [node('Reshape', ['x', 's'], ['y'])],
      inputs: [valueInfo('x', DT.FLOAT, ['N', 4]), valueInfo('s', DT.INT64, [2])],
      outputs: [valueInfo('y', DT.FLOAT)],
    });
    expect(compileModel(bytes).signature.outputs[0].shape).toEqual([-1]);
  });
});
