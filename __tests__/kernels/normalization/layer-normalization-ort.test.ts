/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * LayerNormalization against onnxruntime-node on a transformer-sized activation, within the
 * conformance tolerance |e - a| <= 1e-5 + 1e-3 |e|. Rows with a large common offset check that the
 * single-pass variance (E[x^2] - mean^2, accumulated in double) keeps its precision.
 */
import { layerNormalizationKernel } from '../../../worker/runtime/kernels/normalization/layer-normalization';
import { Tensor } from '../../../worker/runtime/tensor';
import { attr, buildModel, input, node, output } from '../../support/onnx-builder';
import { runOrt } from '../../support/ort-oracle';
import { expectClose, randomFloats, runKernel } from './harness';

const shape = [32, 25, 96];

function model(withBias: boolean): Uint8Array {
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('X', 'float32', shape), input('Scale', 'float32', [96]), ...(withBias ? [input('B', 'float32', [96])] : [])],
    outputs: [output('Y', 'float32', shape)],
    nodes: [node('LayerNormalization', withBias ? ['X', 'Scale', 'B'] : ['X', 'Scale'], ['Y'], { axis: attr.int(-1), epsilon: attr.float(1e-5) })],
  });
}

describe('LayerNormalization matches onnxruntime', () => {
  const scale = new Tensor('float32', [96], randomFloats(96, 2, 0.5, 1.5));
  const bias = new Tensor('float32', [96], randomFloats(96, 3));

  it.each([
    ['centred data with B', 0, true],
    ['centred data without B', 0, false],
    ['rows offset by 10', 10, true],
  ])('%s', async (_label, offset, withBias) => {
    const xs = randomFloats(32 * 25 * 96, 1, -2, 2).map((v) => v + offset);
    const x = new Tensor('float32', shape, xs);
    const feeds: Record<string, Tensor> = withBias ? { X: x, Scale: scale, B: bias } : { X: x, Scale: scale };
    const expected = (await runOrt(model(withBias), feeds)).Y as { dims: readonly number[]; data: Float32Array };
    const [y] = runKernel(layerNormalizationKernel, withBias ? [x, scale, bias] : [x, scale], { attributes: { axis: -1, epsilon: 1e-5 }, outputs: ['Y'] });
    expectClose(y, { shape: [...expected.dims], data: expected.data }, 1e-5, 1e-3);
  });
});
