/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, buildModel, input, node, output, tensor } from '../../support/onnx-builder';
import { runOurs } from '../../support/run-ours';
import { Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';
import { randomRows, randomTrees, type RandomTreesOptions } from './random-trees';

function regressorAttrs(o: RandomTreesOptions, extra: Record<string, ReturnType<typeof attr.int>> = {}) {
  const l = randomTrees(o);
  return {
    n_targets: attr.int(o.targets),
    nodes_treeids: attr.ints(l.nodes_treeids),
    nodes_nodeids: attr.ints(l.nodes_nodeids),
    nodes_featureids: attr.ints(l.nodes_featureids),
    nodes_modes: attr.strings(l.nodes_modes),
    nodes_values: attr.floats(l.nodes_values),
    nodes_truenodeids: attr.ints(l.nodes_truenodeids),
    nodes_falsenodeids: attr.ints(l.nodes_falsenodeids),
    nodes_missing_value_tracks_true: attr.ints(l.nodes_missing_value_tracks_true),
    target_treeids: attr.ints(l.w_treeids),
    target_nodeids: attr.ints(l.w_nodeids),
    target_ids: attr.ints(l.w_ids),
    target_weights: attr.floats(l.w_weights),
    ...extra,
  };
}

function regressorModel(attributes: ReturnType<typeof regressorAttrs>, features: number, targets: number, dtype: 'float32' | 'float64' = 'float32') {
  return {
    opsets: { '': 17, [ML]: 3 },
    inputs: [input('X', dtype, ['N', features])],
    outputs: [output('Y', 'float32', ['N', targets])],
    nodes: [node('TreeEnsembleRegressor', ['X'], ['Y'], attributes, ML)],
  };
}

const ALL_MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'];

describe('TreeEnsembleRegressor against onnxruntime', () => {
  const features = 5;
  const X = new Tensor('float32', [64, features], randomRows(7, 64, features));

  for (const aggregate of ['SUM', 'AVERAGE', 'MIN', 'MAX']) {
    for (const targets of [1, 3]) {
      it(`random forest, ${aggregate}, ${targets} target(s), base values`, async () => {
        const o: RandomTreesOptions = { seed: 11 + targets, trees: 12, maxDepth: 5, features, targets, votes: 'all' };
        const a = regressorAttrs(o, {
          aggregate_function: attr.string(aggregate),
          base_values: attr.floats(targets === 1 ? [0.5] : [0.5, -1, 2]),
        });
        await checkAgainstOrt(regressorModel(a, features, targets), { X });
      });
    }
  }

  for (const transform of ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT']) {
    it(`gradient boosting, 3 targets, post_transform ${transform}`, async () => {
      const o: RandomTreesOptions = { seed: 5, trees: 30, maxDepth: 4, features, targets: 3, votes: 'one', positive: transform === 'PROBIT' };
      const a = regressorAttrs(o, { post_transform: attr.string(transform) });
      // PROBIT needs scores in (0, 1): average the positive votes.
      if (transform === 'PROBIT') Object.assign(a, { aggregate_function: attr.string('AVERAGE') });
      await checkAgainstOrt(regressorModel(a, features, 3), { X });
    });
  }

  it('one target with PROBIT (the only transform onnxruntime applies to a single target)', async () => {
    const o: RandomTreesOptions = { seed: 8, trees: 6, maxDepth: 3, features, targets: 1, votes: 'all', positive: true };
    for (const transform of ['PROBIT', 'LOGISTIC']) {
      const a = regressorAttrs(o, { post_transform: attr.string(transform), aggregate_function: attr.string('AVERAGE') });
      await checkAgainstOrt(regressorModel(a, features, 1), { X });
    }
  });

  it('every branch mode, with missing-value tracking and NaN inputs', async () => {
    const o: RandomTreesOptions = { seed: 21, trees: 20, maxDepth: 6, features, targets: 2, votes: 'all', modes: ALL_MODES, missingTracks: true };
    const withNaN = new Tensor('float32', [200, features], randomRows(9, 200, features, 0.15));
    await checkAgainstOrt(regressorModel(regressorAttrs(o), features, 2), { X: withNaN });
  });

  it('double input with nodes_values_as_tensor / target_weights_as_tensor', async () => {
    const o: RandomTreesOptions = { seed: 3, trees: 8, maxDepth: 4, features, targets: 2, votes: 'all', modes: ALL_MODES };
    const a: Record<string, ReturnType<typeof attr.int>> = regressorAttrs(o);
    const values = (a.nodes_values as unknown as { value: number[] }).value.map((v) => v + 1e-9);
    const weights = (a.target_weights as unknown as { value: number[] }).value.map((v) => v / 3);
    delete a.nodes_values;
    delete a.target_weights;
    a.nodes_values_as_tensor = attr.tensor(tensor('float64', [values.length], values));
    a.target_weights_as_tensor = attr.tensor(tensor('float64', [weights.length], weights));
    a.base_values_as_tensor = attr.tensor(tensor('float64', [2], [0.1, 0.2]));
    const Xd = new Tensor('float64', [64, features], Float64Array.from(randomRows(4, 64, features)));
    await checkAgainstOrt(regressorModel(a as ReturnType<typeof regressorAttrs>, features, 2, 'float64'), { X: Xd }, { atol: 1e-9, rtol: 1e-9 });
  });

  it('int64 input gives the same result as the same values in float', async () => {
    const o: RandomTreesOptions = { seed: 30, trees: 5, maxDepth: 3, features: 3, targets: 1, votes: 'all' };
    const values = [-1, 0, 1, 1, 1, 1, 0, 0, 0, 2, -2, 1];
    const spec = regressorModel(regressorAttrs(o), 3, 1);
    const fromFloat = runOurs(buildModel(spec), { X: tensor('float32', [4, 3], values) }).Y;
    spec.inputs = [input('X', 'int64', ['N', 3])];
    const fromInt = runOurs(buildModel(spec), { X: tensor('int64', [4, 3], values) }).Y;
    expect(Array.from(fromInt.data as Float32Array)).toEqual(Array.from(fromFloat.data as Float32Array));
  });

  it('a 1-D input is one row', async () => {
    const o: RandomTreesOptions = { seed: 31, trees: 5, maxDepth: 3, features: 3, targets: 2, votes: 'all' };
    const spec = regressorModel(regressorAttrs(o), 3, 2);
    const row = [0.5, -0.25, 1];
    const asMatrix = runOurs(buildModel(spec), { X: tensor('float32', [1, 3], row) }).Y;
    spec.inputs = [input('X', 'float32', [3])];
    const asVector = runOurs(buildModel(spec), { X: tensor('float32', [3], row) }).Y;
    expect(asVector.shape).toEqual([1, 2]);
    expect(Array.from(asVector.data as Float32Array)).toEqual(Array.from(asMatrix.data as Float32Array));
  });
});
