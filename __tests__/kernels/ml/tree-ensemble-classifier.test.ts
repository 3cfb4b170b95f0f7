/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, input, mapOutput, node, output, type AttrSpec } from '../../support/onnx-builder';
import { Tensor } from '../../../worker/runtime/tensor';
import { checkAgainstOrt, ML } from './ml-check';
import { randomRows, randomTrees, type RandomTreesOptions } from './random-trees';

type Labels = { ints: number[] } | { strings: string[] };

function classifierAttrs(o: RandomTreesOptions, labels: Labels, extra: Record<string, AttrSpec> = {}): Record<string, AttrSpec> {
  const l = randomTrees(o);
  return {
    ...('ints' in labels ? { classlabels_int64s: attr.ints(labels.ints) } : { classlabels_strings: attr.strings(labels.strings) }),
    nodes_treeids: attr.ints(l.nodes_treeids),
    nodes_nodeids: attr.ints(l.nodes_nodeids),
    nodes_featureids: attr.ints(l.nodes_featureids),
    nodes_modes: attr.strings(l.nodes_modes),
    nodes_values: attr.floats(l.nodes_values),
    nodes_truenodeids: attr.ints(l.nodes_truenodeids),
    nodes_falsenodeids: attr.ints(l.nodes_falsenodeids),
    nodes_missing_value_tracks_true: attr.ints(l.nodes_missing_value_tracks_true),
    class_treeids: attr.ints(l.w_treeids),
    class_nodeids: attr.ints(l.w_nodeids),
    class_ids: attr.ints(l.w_ids),
    class_weights: attr.floats(l.w_weights),
    ...extra,
  };
}

function classifierModel(attributes: Record<string, AttrSpec>, features: number, classes: number, labels: Labels, zipmap = false) {
  const labelType = 'ints' in labels ? 'int64' : 'string';
  return {
    opsets: { '': 17, [ML]: 3 },
    inputs: [input('X', 'float32', ['N', features])],
    outputs: [output('label', labelType, ['N']), zipmap ? mapOutput('probabilities', labelType) : output('probabilities', 'float32', ['N', classes])],
    nodes: [
      node('TreeEnsembleClassifier', ['X'], zipmap ? ['label', 'scores'] : ['label', 'probabilities'], attributes, ML),
      ...(zipmap
        ? [node('ZipMap', ['scores'], ['probabilities'], 'ints' in labels ? { classlabels_int64s: attr.ints(labels.ints) } : { classlabels_strings: attr.strings(labels.strings) }, ML)]
        : []),
    ],
  } as const;
}

describe('TreeEnsembleClassifier against onnxruntime', () => {
  const features = 4;
  const X = new Tensor('float32', [80, features], randomRows(17, 80, features));
  const three: Labels = { ints: [0, 1, 2] };

  it('random forest over three classes (probability votes, averaged by the weights)', async () => {
    const o: RandomTreesOptions = { seed: 1, trees: 10, maxDepth: 5, features, targets: 3, votes: 'all', positive: true };
    await checkAgainstOrt(classifierModel(classifierAttrs(o, three), features, 3, three), { X });
  });

  for (const transform of ['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO']) {
    it(`gradient boosting over three classes, ${transform}, base values`, async () => {
      const o: RandomTreesOptions = { seed: 2, trees: 24, maxDepth: 3, features, targets: 3, votes: 'one' };
      const a = classifierAttrs(o, three, { post_transform: attr.string(transform), base_values: attr.floats([0.1, -0.2, 0.3]) });
      await checkAgainstOrt(classifierModel(a, features, 3, three), { X });
    });
  }

  it('string labels, every branch mode, missing values', async () => {
    const labels: Labels = { strings: ['setosa', 'versicolor', 'virginica', 'other'] };
    const o: RandomTreesOptions = {
      seed: 4,
      trees: 12,
      maxDepth: 5,
      features,
      targets: 4,
      votes: 'all',
      positive: true,
      modes: ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'],
      missingTracks: true,
    };
    const Xn = new Tensor('float32', [100, features], randomRows(5, 100, features, 0.1));
    await checkAgainstOrt(classifierModel(classifierAttrs(o, labels), features, 4, labels), { X: Xn });
  });

  it('binary, one class weight per leaf, positive weights (probability of the positive class)', async () => {
    const labels: Labels = { ints: [3, 7] };
    const o: RandomTreesOptions = { seed: 6, trees: 1, maxDepth: 5, features, targets: 2, votes: 'all', positive: true, onlyTarget: 1 };
    await checkAgainstOrt(classifierModel(classifierAttrs(o, labels), features, 2, labels), { X });
  });

  for (const base of [[], [0.25], [0.1, 0.2]]) {
    it(`binary boosting, signed weights for one class, LOGISTIC, ${base.length} base value(s)`, async () => {
      const labels: Labels = { strings: ['no', 'yes'] };
      const o: RandomTreesOptions = { seed: 7, trees: 15, maxDepth: 3, features, targets: 2, votes: 'all', onlyTarget: 0 };
      const extra: Record<string, AttrSpec> = { post_transform: attr.string('LOGISTIC') };
      if (base.length) extra.base_values = attr.floats(base);
      await checkAgainstOrt(classifierModel(classifierAttrs(o, labels, extra), features, 2, labels), { X });
    });
  }

  it('binary with both classes voting (random forest over two classes)', async () => {
    const labels: Labels = { ints: [0, 1] };
    const o: RandomTreesOptions = { seed: 8, trees: 8, maxDepth: 4, features, targets: 2, votes: 'all', positive: true };
    await checkAgainstOrt(classifierModel(classifierAttrs(o, labels), features, 2, labels), { X });
  });

  it('feeds ZipMap: label and per-class probability maps (int64 and string keys)', async () => {
    const o: RandomTreesOptions = { seed: 9, trees: 6, maxDepth: 4, features, targets: 3, votes: 'all', positive: true };
    await checkAgainstOrt(classifierModel(classifierAttrs(o, three), features, 3, three, true), { X });
    const names: Labels = { strings: ['a', 'b', 'c'] };
    await checkAgainstOrt(classifierModel(classifierAttrs(o, names), features, 3, names, true), { X });
  });
});
