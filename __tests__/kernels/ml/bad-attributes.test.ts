import { compileModel } from '../../../lib/model-compiler';
import { attr, buildModel, input, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import { runOurs } from '../../support/run-ours';
import { ML } from './ml-check';

function compile(op: string, attributes: Record<string, AttrSpec>, outputs = ['Y'], mlOpset = 3) {
  const bytes = buildModel({
    opsets: { '': 17, [ML]: mlOpset },
    inputs: [input('X', 'float32', ['N', 2])],
    outputs: outputs.map((o) => output(o, 'float32', null)),
    nodes: [node(op, ['X'], outputs, attributes, ML)],
  });
  return () => compileModel(bytes);
}

/** A valid two-leaf regressor to break one attribute at a time. */
const stump: Record<string, AttrSpec> = {
  n_targets: attr.int(1),
  nodes_treeids: attr.ints([0, 0, 0]),
  nodes_nodeids: attr.ints([0, 1, 2]),
  nodes_featureids: attr.ints([0, 0, 0]),
  nodes_modes: attr.strings(['BRANCH_LEQ', 'LEAF', 'LEAF']),
  nodes_values: attr.floats([0.5, 0, 0]),
  nodes_truenodeids: attr.ints([1, 0, 0]),
  nodes_falsenodeids: attr.ints([2, 0, 0]),
  target_treeids: attr.ints([0, 0]),
  target_nodeids: attr.ints([1, 2]),
  target_ids: attr.ints([0, 0]),
  target_weights: attr.floats([1, 2]),
};

describe('ai.onnx.ml attribute validation', () => {
  it('accepts the valid stump', () => {
    expect(compile('TreeEnsembleRegressor', stump)).not.toThrow();
  });

  it.each([
    ['mismatched nodes_* lengths', { nodes_values: attr.floats([0.5, 0]) }, /nodes_values has 2 entries but nodes_modes has 3/],
    ['an unknown node mode', { nodes_modes: attr.strings(['BRANCH_SOMETIMES', 'LEAF', 'LEAF']) }, /nodes_modes\[0\] is "BRANCH_SOMETIMES"/],
    ['a missing child', { nodes_falsenodeids: attr.ints([7, 0, 0]) }, /false child 7 does not exist/],
    ['a node that is its own child', { nodes_truenodeids: attr.ints([0, 0, 0]) }, /names itself as its true child/],
    ['a leaf without weight', { target_nodeids: attr.ints([1, 1]) }, /leaf 2 of tree 0 has no weight/],
    ['a weight for an unknown target', { target_ids: attr.ints([0, 3]) }, /target\/class 3, outside 0..0/],
    ['mismatched target_* lengths', { target_weights: attr.floats([1]) }, /must have the same length/],
    ['an unknown aggregate function', { aggregate_function: attr.string('MEDIAN') }, /aggregate_function.*MEDIAN.*supported: SUM, AVERAGE, MIN, MAX/],
    ['an unknown post transform', { post_transform: attr.string('TANH') }, /post_transform.*TANH/],
    ['a duplicated node', { nodes_nodeids: attr.ints([0, 1, 1]) }, /node 1 of tree 0 is defined twice/],
  ])('rejects %s', (_name, change, message) => {
    expect(compile('TreeEnsembleRegressor', { ...stump, ...change })).toThrow(message);
  });

  it('rejects a cycle between nodes, which would hang inference', () => {
    const cyclic = {
      ...stump,
      nodes_modes: attr.strings(['BRANCH_LEQ', 'BRANCH_LEQ', 'LEAF']),
      nodes_truenodeids: attr.ints([1, 0, 0]),
      nodes_falsenodeids: attr.ints([2, 2, 0]),
      target_nodeids: attr.ints([2, 2]),
    };
    expect(compile('TreeEnsembleRegressor', cyclic)).toThrow(/cycle/);
  });

  it('rejects a classifier without class labels or with both kinds', () => {
    const { n_targets: _n, target_treeids, target_nodeids, target_ids, target_weights, ...nodes } = stump;
    const votes = { class_treeids: target_treeids, class_nodeids: target_nodeids, class_ids: target_ids, class_weights: target_weights };
    expect(compile('TreeEnsembleClassifier', { ...nodes, ...votes }, ['L', 'P'])).toThrow(/class labels are missing/);
    expect(compile('TreeEnsembleClassifier', { ...nodes, ...votes, classlabels_int64s: attr.ints([0, 1]), classlabels_strings: attr.strings(['a', 'b']) }, ['L', 'P'])).toThrow(
      /only one of classlabels_strings and classlabels_int64s/,
    );
  });

  it('rejects bad TreeEnsemble (opset 5) codes and linear/encoder attributes', () => {
    const v5 = {
      n_targets: attr.int(1),
      tree_roots: attr.ints([0]),
      nodes_featureids: attr.ints([0]),
      nodes_modes: attr.tensor(tensor('uint8', [1], [9])),
      nodes_splits: attr.tensor(tensor('float32', [1], [0.5])),
      nodes_truenodeids: attr.ints([0]),
      nodes_trueleafs: attr.ints([1]),
      nodes_falsenodeids: attr.ints([1]),
      nodes_falseleafs: attr.ints([1]),
      leaf_targetids: attr.ints([0, 0]),
      leaf_weights: attr.tensor(tensor('float32', [2], [1, 2])),
    };
    expect(compile('TreeEnsemble', v5, ['Y'], 5)).toThrow(/nodes_modes\[0\] is 9/);
    expect(compile('TreeEnsemble', { ...v5, nodes_modes: attr.tensor(tensor('uint8', [1], [0])), post_transform: attr.int(7) }, ['Y'], 5)).toThrow(/post_transform is 7/);
    expect(compile('LinearRegressor', { coefficients: attr.floats([1, 2, 3]), targets: attr.int(2) })).toThrow(/not a multiple of the 2/);
    expect(compile('LabelEncoder', { keys_strings: attr.strings(['a', 'b']), values_int64s: attr.ints([1]) }, ['Y'], 2)).toThrow(/2 keys but 1 values/);
    expect(compile('Normalizer', { norm: attr.string('L3') })).toThrow(/norm.*L3/);
  });

  it('answers a clear input error when rows have too few features for the trees', () => {
    const bytes = buildModel({
      opsets: { '': 17, [ML]: 3 },
      inputs: [input('X', 'float32', ['N', 'F'])],
      outputs: [output('Y', 'float32', null)],
      nodes: [node('TreeEnsembleRegressor', ['X'], ['Y'], { ...stump, nodes_featureids: attr.ints([3, 0, 0]) }, ML)],
    });
    expect(() => runOurs(bytes, { X: tensor('float32', [1, 2], [0, 0]) })).toThrow(/read feature 3 but the input has 2 features/);
  });
});
