import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { FUSED_CLIP } from '../../worker/runtime/kernels/common/fused-activation';
import { DT, floatTensor, modelBytes, node, valueInfo } from './onnx-builder';

const W = [0.5, -1, 2, -0.25, 1.5, -3, 0.75, 1, -2, 0.1, 0.2, -0.3];

/** x [N, 4] -> Gemm(w [4, 3], b [3]) -> activation -> y */
function gemmThen(activation: ReturnType<typeof node>[], extra: { outputs?: string[]; opset?: number } = {}): Uint8Array {
  return modelBytes(
    {
      nodes: [node('Gemm', ['x', 'w', 'b'], ['h']), ...activation],
      inputs: [valueInfo('x', DT.FLOAT, ['N', 4])],
      outputs: (extra.outputs ?? ['y']).map((o) => valueInfo(o, DT.FLOAT, ['N', 3])),
      initializers: [floatTensor('w', [4, 3], W), floatTensor('b', [3], [0.1, -0.2, 0.3]), floatTensor('lo', [], [-0.5]), floatTensor('hi', [], [1])],
    },
    [['', extra.opset ?? 17]],
  );
}

function compiled(bytes: Uint8Array) {
  const model = readArtifact(compileModel(bytes).artifact);
  const x = Tensor.from('float32', [2, 4], [1, -2, 3, 0.5, -1, 0.25, 2, -3]);
  return { nodes: model.graph.nodes, y: InferenceSession.create(model, { kernels: allKernels }).run({ x }) };
}

describe('activation fusion', () => {
  it('folds a Relu into the Gemm that feeds it, with the same results', () => {
    const fused = compiled(gemmThen([node('Relu', ['h'], ['y'])]));
    expect(fused.nodes.map((n) => n.op)).toEqual(['Gemm']);
    expect(fused.nodes[0].attributes[FUSED_CLIP]).toEqual([0, Infinity]);
    // the unfused computation: Gemm, then a separate Relu pass
    const plain = compiled(gemmThen([node('Identity', ['h'], ['y'])])).y.y.data as Float32Array;
    expect(Array.from(fused.y.y.data as Float32Array)).toEqual(Array.from(plain, (v) => Math.max(0, v)));
  });

  it('folds a Clip with constant bounds (inputs from opset 11, attributes before)', () => {
    const clip11 = compiled(gemmThen([node('Clip', ['h', 'lo', 'hi'], ['y'])]));
    expect(clip11.nodes[0].attributes[FUSED_CLIP]).toEqual([-0.5, 1]);
    const clip6 = compiled(gemmThen([node('Clip', ['h'], ['y'], [{ name: 'min', type: 1, f: -0.5 }, { name: 'max', type: 1, f: 1 }])], { opset: 6 }));
    expect(clip6.nodes[0].attributes[FUSED_CLIP]).toEqual([-0.5, 1]);
    const plain = compiled(gemmThen([node('Identity', ['h'], ['y'])])).y.y.data as Float32Array;
    const expected = Array.from(plain, (v) => Math.min(Math.max(v, -0.5), 1));
    expect(Array.from(clip11.y.y.data as Float32Array)).toEqual(expected);
    expect(Array.from(clip6.y.y.data as Float32Array)).toEqual(expected);
  });

  it('leaves the pair alone when the Gemm output is read elsewhere or is a graph output', () => {
    const twoReaders = compiled(gemmThen([node('Relu', ['h'], ['y']), node('Neg', ['h'], ['z'])], { outputs: ['y', 'z'] }));
    expect(twoReaders.nodes.map((n) => n.op).sort()).toEqual(['Gemm', 'Neg', 'Relu']);
    const exposed = compiled(gemmThen([node('Relu', ['h'], ['y'])], { outputs: ['y', 'h'] }));
    expect(exposed.nodes.map((n) => n.op)).toEqual(['Gemm', 'Relu']);
  });
});
