/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * The benchmark's generated reference models are valid ONNX that onnxruntime-node loads, and this
 * runtime (with the WebAssembly kernels the benchmark installs) gives the same outputs. No timing.
 */
import { denseModel, keywordSpottingModel, lenetModel, tinyModel, treeEnsembleModel, weightsModel, TREE_SHAPE, type ReferenceModel } from '../../bench/reference-models';
import { installWasmKernels } from '../../lib/wasm-module';
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';
import { runOurs } from '../support/run-ours';

beforeAll(() => installWasmKernels());

const MODELS: [string, () => ReferenceModel][] = [
  ['dense', denseModel],
  ['lenet', lenetModel],
  ['trees', treeEnsembleModel],
  ['kws', keywordSpottingModel],
  ['tiny', tinyModel],
  ['weights', () => weightsModel(4)],
];

describe.each(MODELS)('reference model %s', (_, make) => {
  const model = make();

  it.each([1, 3])('agrees with onnxruntime-node at batch %i', async (batch) => {
    const feeds = model.feeds(batch);
    const theirs = await runOrt(model.onnx, feeds);
    const ours = runOurs(model.onnx, feeds);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const name of Object.keys(theirs)) expectSameAsOrt(name, ours[name], theirs[name], { atol: model.tolerance, rtol: 1e-4 });
  });
});

it.each(MODELS.filter(([name]) => name !== 'weights'))('generates %s deterministically: the same bytes and inputs every time', (_, make) => {
  const [a, b] = [make(), make()];
  expect(Buffer.from(a.onnx).equals(Buffer.from(b.onnx))).toBe(true);
  expect(Array.from(a.feeds(2).input.data as Float32Array)).toEqual(Array.from(b.feeds(2).input.data as Float32Array));
});

it('generates outputs that vary with the input (not a constant model)', async () => {
  for (const make of [denseModel, lenetModel, treeEnsembleModel, keywordSpottingModel]) {
    const model = make();
    const out = Object.values(runOurs(model.onnx, model.feeds(4)))[0].data as Float32Array;
    const width = out.length / 4;
    expect(Array.from(out.subarray(0, width))).not.toEqual(Array.from(out.subarray(width, 2 * width)));
  }
});

it('builds the tree ensemble at the size the benchmark states', () => {
  const model = treeEnsembleModel();
  expect(model.description).toContain(`${TREE_SHAPE.trees} trees, depth ${TREE_SHAPE.depth}, ${TREE_SHAPE.features} features`);
  expect(model.feeds(1).input.shape).toEqual([1, TREE_SHAPE.features]);
});
