/**
 * The output-shape probe computes shapes, not values, where kernel plans state them: the large
 * outputs of planned kernels are zeros of the planned shapes and their arithmetic is skipped, while
 * small values (the shapes that Reshape and its kind read) are still computed.
 */
import { encoderModel, type EncoderShape } from '../../bench/large-models';
import { compileModel } from '../../lib/model-compiler';
import { importOnnx } from '../../lib/model-compiler/onnx-import';
import type { Graph, Node } from '../../worker/runtime/graph';
import type { RunMeter } from '../../worker/runtime/run-meter';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { DT, int64Tensor, floatTensor, modelBytes, node, valueInfo } from './onnx-builder';

/** Records the ops that really ran. */
class RanOps implements RunMeter {
  readonly ops: string[] = [];
  beforeNode(node: Node): void {
    this.ops.push(node.op);
  }
  afterNode(): void {}
  allocate(): void {}
  allocated(): void {}
  enterSubgraph(_graph: Graph): void {}
  leaveSubgraph(): void {}
}

const SMALL_ENCODER: EncoderShape = { layers: 2, hidden: 64, heads: 4, ffn: 256, sequence: 128 };
/** Variable batch, fixed sequence 128, output shape left out: the probe must find [N, 128, 64]. */
const encoderBytes = () => encoderModel(SMALL_ENCODER, { sequence: 128, outputShape: false }).onnx;

describe('the output-shape probe on planned kernels', () => {
  it('finds an encoder output shape without running its matrix products', () => {
    // the two probe runs (batch 1 and 3) would do ~67 M multiply-adds in MatMuls alone
    const compiled = compileModel(encoderBytes(), { budget: { maxElementOps: 20_000_000 } });
    expect(compiled.signature.outputs[0].shape).toEqual([-1, 128, 64]);
  });

  it('gives the shapes a real run gives, with no MatMul run', () => {
    const model = importOnnx(encoderBytes());
    const feeds = { embeddings: Tensor.zeros('float32', [2, 128, 64]) };
    const meter = new RanOps();
    const probed = InferenceSession.create(model, { kernels: allKernels, meter, shapesOnly: true }).run(feeds);
    const real = InferenceSession.create(model, { kernels: allKernels }).run(feeds);
    expect(probed.last_hidden_state.shape).toEqual(real.last_hidden_state.shape);
    expect(meter.ops).not.toContain('MatMul');
    expect(meter.ops).toContain('LayerNormalization');
  });

  it('computes a Reshape target from Shape, Gather and Concat of a skipped product', () => {
    // y = x [N, 8, 16] @ w [16, 16] (skipped: 128 elements per row), then reshaped to
    // [N, 8 * 16] through values computed from y's shape
    const bytes = modelBytes({
      nodes: [
        node('MatMul', ['x', 'w'], ['y']),
        node('Shape', ['y'], ['s']),
        node('Gather', ['s', 'i0'], ['n']),
        node('Gather', ['s', 'i1'], ['rows']),
        node('Gather', ['s', 'i2'], ['cols']),
        node('Mul', ['rows', 'cols'], ['width']),
        node('Concat', ['n', 'width'], ['target'], [{ name: 'axis', type: 2, i: 0 }]),
        node('Reshape', ['y', 'target'], ['z']),
      ],
      inputs: [valueInfo('x', DT.FLOAT, ['N', 8, 16])],
      outputs: [valueInfo('z', DT.FLOAT)],
      initializers: [floatTensor('w', [16, 16], new Array(256).fill(0.5)), int64Tensor('i0', [1], [0]), int64Tensor('i1', [1], [1]), int64Tensor('i2', [1], [2])],
    });
    expect(compileModel(bytes).signature.outputs[0].shape).toEqual([-1, 128]);
  });
});

describe('the compile budget under the shape probe', () => {
  it('names the node whose skipped outputs exhaust the bytes', () => {
    // x [N, 1024] tiled 4096 times along axis 1: 16 MiB per row, skipped but allocated
    const bytes = modelBytes({
      nodes: [node('Relu', ['x'], ['r']), node('Tile', ['r', 'repeats'], ['y'], [], { name: 'wide' })],
      inputs: [valueInfo('x', DT.FLOAT, ['N', 1024])],
      outputs: [valueInfo('y', DT.FLOAT)],
      initializers: [int64Tensor('repeats', [2], [1, 4096])],
    });
    expect(() => compileModel(bytes, { budget: { maxBytes: 32 * 1024 * 1024 } })).toThrow(/Tile node "wide": the compile budget ran out while probing output shapes: \d+ MiB of tensors materialized/);
  });
});
