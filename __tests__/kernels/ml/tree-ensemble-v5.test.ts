/** @jest-environment ./__tests__/support/ort-environment.js */
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { attr, buildModel, input, node, output, tensor } from '../../support/onnx-builder';
import { expectSameAsOrt } from '../../support/compare';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import { decodeTensorProto } from '../../../lib/model-compiler';
import { Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';
import { ensureConformanceData } from '../../../scripts/conformance-data';
import { randomRows, randomTrees, type RandomTreesOptions } from './random-trees';

const MODE_CODES: Record<string, number> = { BRANCH_LEQ: 0, BRANCH_LT: 1, BRANCH_GTE: 2, BRANCH_GT: 3, BRANCH_EQ: 4, BRANCH_NEQ: 5 };

/** Re-encodes random opset-3 trees in the opset-5 layout: interior nodes and leaves apart. */
function v5Attrs(o: RandomTreesOptions, aggregate: number, transform: number, dtype: 'float32' | 'float64') {
  const l = randomTrees(o);
  const interior = new Map<string, number>();
  const leaves = new Map<string, number>();
  l.nodes_modes.forEach((m, i) => {
    const key = `${l.nodes_treeids[i]}:${l.nodes_nodeids[i]}`;
    if (m === 'LEAF') leaves.set(key, leaves.size);
    else interior.set(key, interior.size);
  });
  const a = { featureids: [] as number[], modes: [] as number[], splits: [] as number[], trueIds: [] as number[], trueLeafs: [] as number[], falseIds: [] as number[], falseLeafs: [] as number[], missing: [] as number[] };
  const roots: number[] = [];
  l.nodes_modes.forEach((m, i) => {
    if (m === 'LEAF') return;
    const t = l.nodes_treeids[i];
    if (l.nodes_nodeids[i] === 0) roots.push(interior.get(`${t}:0`)!);
    a.featureids.push(l.nodes_featureids[i]);
    a.modes.push(MODE_CODES[m]);
    a.splits.push(l.nodes_values[i]);
    a.missing.push(l.nodes_missing_value_tracks_true[i]);
    for (const [id, ids, leafs] of [
      [l.nodes_truenodeids[i], a.trueIds, a.trueLeafs],
      [l.nodes_falsenodeids[i], a.falseIds, a.falseLeafs],
    ] as const) {
      const key = `${t}:${id}`;
      const isLeaf = leaves.has(key);
      ids.push(isLeaf ? leaves.get(key)! : interior.get(key)!);
      leafs.push(isLeaf ? 1 : 0);
    }
  });
  // one weight per leaf: the leaf's first vote
  const leafTargets = new Array<number>(leaves.size);
  const leafWeights = new Array<number>(leaves.size);
  for (let w = l.w_ids.length - 1; w >= 0; w--) {
    const j = leaves.get(`${l.w_treeids[w]}:${l.w_nodeids[w]}`)!;
    leafTargets[j] = l.w_ids[w];
    leafWeights[j] = l.w_weights[w];
  }
  return {
    n_targets: attr.int(o.targets),
    aggregate_function: attr.int(aggregate),
    post_transform: attr.int(transform),
    tree_roots: attr.ints(roots),
    nodes_featureids: attr.ints(a.featureids),
    nodes_modes: attr.tensor(tensor('uint8', [a.modes.length], a.modes)),
    nodes_splits: attr.tensor(tensor(dtype, [a.splits.length], a.splits)),
    nodes_truenodeids: attr.ints(a.trueIds),
    nodes_trueleafs: attr.ints(a.trueLeafs),
    nodes_falsenodeids: attr.ints(a.falseIds),
    nodes_falseleafs: attr.ints(a.falseLeafs),
    nodes_missing_value_tracks_true: attr.ints(a.missing),
    leaf_targetids: attr.ints(leafTargets),
    leaf_weights: attr.tensor(tensor(dtype, [leafWeights.length], leafWeights)),
  };
}

function model(attributes: ReturnType<typeof v5Attrs>, features: number, targets: number, dtype: 'float32' | 'float64') {
  return {
    opsets: { '': 21, [ML]: 5 },
    irVersion: 10,
    inputs: [input('X', dtype, ['N', features])],
    outputs: [output('Y', dtype, ['N', targets])],
    nodes: [node('TreeEnsemble', ['X'], ['Y'], attributes, ML)],
  };
}

describe('TreeEnsemble (ai.onnx.ml opset 5) against onnxruntime', () => {
  const features = 4;
  const o: RandomTreesOptions = {
    seed: 12,
    trees: 16,
    maxDepth: 5,
    features,
    targets: 3,
    votes: 'one',
    modes: Object.keys(MODE_CODES),
    missingTracks: true,
  };
  const rows = randomRows(13, 90, features, 0.1);

  for (const [aggregate, name] of [[0, 'AVERAGE'], [1, 'SUM'], [2, 'MIN'], [3, 'MAX']] as const) {
    it(`aggregate ${name}, float`, async () => {
      await checkAgainstOrt(model(v5Attrs(o, aggregate, 0, 'float32'), features, 3, 'float32'), { X: new Tensor('float32', [90, features], rows) });
    });
  }

  for (const transform of [0, 3]) {
    it(`post_transform code ${transform}, double`, async () => {
      const X = new Tensor('float64', [90, features], Float64Array.from(rows));
      // onnxruntime computes the transforms in float32 even for double
      await checkAgainstOrt(model(v5Attrs(o, 1, transform, 'float64'), features, 3, 'float64'), { X }, { atol: 1e-6, rtol: 1e-6 });
    });
  }

  // The specification numbers SOFTMAX 1 and LOGISTIC 2; onnxruntime 1.30 reads them the other way
  // round. We follow the specification, so our code 1 equals onnxruntime's code 2 and vice versa.
  for (const [ours, theirs] of [[1, 2], [2, 1]] as const) {
    it(`post_transform ${ours === 1 ? 'SOFTMAX (1)' : 'LOGISTIC (2)'} follows the specification`, async () => {
      const X = new Tensor('float32', [90, features], rows);
      const ourY = runOurs(buildModel(model(v5Attrs(o, 1, ours, 'float32'), features, 3, 'float32')), { X }).Y;
      const ortY = (await runOrt(buildModel(model(v5Attrs(o, 1, theirs, 'float32'), features, 3, 'float32')), { X })).Y;
      expectSameAsOrt('Y', ourY, ortY);
      if (ours === 1) {
        const y = ourY.data as Float32Array;
        for (let r = 0; r < 90; r++) expect(y[r * 3] + y[r * 3 + 1] + y[r * 3 + 2]).toBeCloseTo(1, 5);
      }
    });
  }

  for (const test of ['test_ai_onnx_ml_tree_ensemble_set_membership', 'test_ai_onnx_ml_tree_ensemble_single_tree']) {
    it(`matches the ONNX conformance case ${test}`, () => {
      const dir = `${ensureConformanceData()}/node/${test}`;
      const bytes = readFileSync(`${dir}/model.onnx`);
      const m = onnx.ModelProto.decode(bytes);
      const x = decodeTensorProto(readFileSync(`${dir}/test_data_set_0/input_0.pb`));
      const expected = decodeTensorProto(readFileSync(`${dir}/test_data_set_0/output_0.pb`));
      const y = runOurs(bytes, { [m.graph!.input![0].name!]: x })[m.graph!.output![0].name!];
      expect(y.shape).toEqual(expected.shape);
      Array.from(expected.data as Float32Array).forEach((v, i) => expect(y.data[i]).toBeCloseTo(v, 5));
    });
  }
});
