/**
 * ai.onnx.ml TreeEnsemble (opset 5): the unified tree op with tensor attributes. Interior nodes
 * (nodes_*) and leaves (leaf_*) are separate lists; a child is a leaf when nodes_trueleafs /
 * nodes_falseleafs says so. BRANCH_MEMBER tests set membership (sets separated by NaN in
 * membership_values). The output has the input's float type, [N, n_targets].
 */
import { kernel, kernelFail, required, type AttributeReader } from '../../kernel';
import type { Tensor } from '../../tensor';
import {
  type Aggregate,
  type CompiledTrees,
  Mode,
  checkAcyclic,
  finishRegressionRow,
  nodeArrays,
} from './tree-ensemble-core';
import { numbersOf } from './input-rows';
import { type TreePlan, planTrees, scoreRows, takeRow } from './tree-ensemble-rows';
import type { PostTransform } from './score-transforms';

const AGGREGATES: readonly Aggregate[] = ['AVERAGE', 'SUM', 'MIN', 'MAX'];
/** post_transform codes of TreeEnsemble, as the ONNX specification numbers them */
const TRANSFORMS: readonly PostTransform[] = ['NONE', 'SOFTMAX', 'LOGISTIC', 'SOFTMAX_ZERO', 'PROBIT'];

interface TreeEnsembleAttrs {
  trees: CompiledTrees;
  nTargets: number;
  aggregate: Aggregate;
  transform: PostTransform;
  /** dtype of nodes_splits / leaf_weights, which the input must match */
  dtype: 'float32' | 'float64';
}

interface TreeEnsemblePlan extends TreePlan {
  readonly outShape: readonly number[];
}

/** opset 5 dropped base_values (an Add after the node does the same) */
const NO_BASE_VALUES = new Float64Array(0);

function floatTensor(attrs: AttributeReader, name: string): Tensor {
  const t = attrs.tensor(name);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') attrs.fail(`attribute "${name}" must be a float or double tensor, got ${t.dtype}`);
  return t;
}

function parse(attrs: AttributeReader): TreeEnsembleAttrs {
  const nTargets = attrs.int('n_targets');
  if (nTargets < 1) attrs.fail(`n_targets is ${nTargets}; it must be at least 1`);
  const aggCode = attrs.int('aggregate_function', 1);
  const aggregate = AGGREGATES[aggCode];
  if (aggregate === undefined) attrs.fail(`aggregate_function is ${aggCode}; use 0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX)`);
  const ptCode = attrs.int('post_transform', 0);
  const transform = TRANSFORMS[ptCode];
  if (transform === undefined) attrs.fail(`post_transform is ${ptCode}; use 0 (NONE), 1 (SOFTMAX), 2 (LOGISTIC), 3 (SOFTMAX_ZERO) or 4 (PROBIT)`);

  const splits = floatTensor(attrs, 'nodes_splits');
  const modesT = attrs.tensor('nodes_modes');
  if (modesT.dtype !== 'uint8') attrs.fail(`attribute "nodes_modes" must be a uint8 tensor, got ${modesT.dtype}`);
  const modes = modesT.data as Uint8Array;
  const ni = modes.length;
  const lists = {
    nodes_featureids: attrs.ints('nodes_featureids'),
    nodes_truenodeids: attrs.ints('nodes_truenodeids'),
    nodes_falsenodeids: attrs.ints('nodes_falsenodeids'),
    nodes_trueleafs: attrs.ints('nodes_trueleafs'),
    nodes_falseleafs: attrs.ints('nodes_falseleafs'),
  };
  for (const [name, list] of Object.entries(lists)) {
    if (list.length !== ni) attrs.fail(`${name} has ${list.length} entries but nodes_modes has ${ni}; all nodes_* attributes need one per node`);
  }
  if (splits.size !== ni) attrs.fail(`nodes_splits has ${splits.size} entries but nodes_modes has ${ni}`);
  const missing = attrs.ints('nodes_missing_value_tracks_true', [] as number[]);
  if (missing.length && missing.length !== ni) attrs.fail(`nodes_missing_value_tracks_true has ${missing.length} entries but there are ${ni} nodes`);
  const leafTargets = attrs.ints('leaf_targetids');
  const leafWeights = floatTensor(attrs, 'leaf_weights');
  const nl = leafTargets.length;
  if (leafWeights.size !== nl) attrs.fail(`leaf_weights has ${leafWeights.size} entries but leaf_targetids has ${nl}`);
  if (leafWeights.dtype !== splits.dtype) attrs.fail(`leaf_weights (${leafWeights.dtype}) and nodes_splits (${splits.dtype}) must have the same type`);
  const treeRoots = attrs.ints('tree_roots');
  if (treeRoots.length === 0) attrs.fail('tree_roots is empty');

  const total = ni + nl;
  const { feature, threshold, mode, trueNext, falseNext, missingTrue } = nodeArrays(total);
  const memberStart = new Int32Array(total + 1);
  const memberValues: number[] = [];
  const membership = attrs.has('membership_values') ? (floatTensor(attrs, 'membership_values').data as Float32Array | Float64Array) : null;
  let cursor = 0;
  let simpleLeq = true;
  let maxFeature = -1;
  const child = (i: number, ids: number[], leafs: number[], which: string): number => {
    const isLeaf = leafs[i] !== 0;
    const id = ids[i];
    const limit = isLeaf ? nl : ni;
    if (id < 0 || id >= limit) attrs.fail(`node ${i}: its ${which} ${isLeaf ? 'leaf' : 'node'} ${id} is outside 0..${limit - 1}`);
    if (!isLeaf && id === i) attrs.fail(`node ${i} names itself as its ${which} child`);
    return isLeaf ? ni + id : id;
  };
  for (let i = 0; i < ni; i++) {
    const m = modes[i];
    if (m > Mode.MEMBER) attrs.fail(`nodes_modes[${i}] is ${m}; use 0..6 (BRANCH_LEQ, LT, GTE, GT, EQ, NEQ, MEMBER)`);
    const f = lists.nodes_featureids[i];
    if (f < 0) attrs.fail(`nodes_featureids[${i}] is ${f}; feature indices must be >= 0`);
    feature[i] = f;
    if (f > maxFeature) maxFeature = f;
    mode[i] = m;
    threshold[i] = splits.data[i] as number;
    missingTrue[i] = missing.length && missing[i] === 1 ? 1 : 0;
    if (m !== Mode.LEQ || missingTrue[i]) simpleLeq = false;
    trueNext[i] = child(i, lists.nodes_truenodeids, lists.nodes_trueleafs, 'true');
    falseNext[i] = child(i, lists.nodes_falsenodeids, lists.nodes_falseleafs, 'false');
    memberStart[i] = memberValues.length;
    if (m === Mode.MEMBER) {
      if (!membership) attrs.fail(`node ${i} is BRANCH_MEMBER but membership_values is missing`);
      while (cursor < membership.length && !Number.isNaN(membership[cursor])) memberValues.push(membership[cursor++]);
      cursor++;
    }
  }
  for (let j = 0; j < nl; j++) {
    const t = leafTargets[j];
    if (t < 0 || t >= nTargets) attrs.fail(`leaf_targetids[${j}] is ${t}, outside 0..${nTargets - 1}`);
    const node = ni + j;
    feature[node] = -1;
    mode[node] = Mode.LEAF;
    trueNext[node] = j;
    falseNext[node] = 1;
    memberStart[node] = memberValues.length;
  }
  memberStart[total] = memberValues.length;
  const roots = treeRoots.map((r, k) => {
    if (r < 0 || r >= ni) attrs.fail(`tree_roots[${k}] is ${r}, outside 0..${ni - 1}`);
    // onnxruntime reads a root whose two children coincide as a single-leaf tree (leaf r).
    if (lists.nodes_truenodeids[r] === lists.nodes_falsenodeids[r] && lists.nodes_trueleafs[r] === lists.nodes_falseleafs[r]) {
      if (r >= nl) attrs.fail(`tree_roots[${k}] is a single-leaf tree but leaf ${r} does not exist`);
      return ni + r;
    }
    return r;
  });
  const trees: CompiledTrees = {
    roots: Int32Array.from(roots),
    feature,
    threshold,
    mode,
    trueNext,
    falseNext,
    missingTrue,
    weightTarget: Int32Array.from(leafTargets),
    weightValue: Float64Array.from(leafWeights.data as Float32Array | Float64Array),
    memberStart: memberValues.length ? memberStart : null,
    memberValues: memberValues.length ? Float64Array.from(memberValues) : null,
    simpleLeq,
    maxFeature,
  };
  checkAcyclic(attrs, trees);
  return { trees, nTargets, aggregate, transform, dtype: splits.dtype as 'float32' | 'float64' };
}

export const treeEnsembleKernel = kernel<TreeEnsembleAttrs, TreeEnsemblePlan>({
  op: 'TreeEnsemble',
  domain: 'ai.onnx.ml',
  attributes: parse,
  plan(inputs, a, ctx, previous) {
    const x = required(inputs, 0, ctx);
    if (x.dtype !== 'float32' && x.dtype !== 'float64') kernelFail(ctx, `input must be float or double, got ${x.dtype}`);
    if (x.dtype !== a.dtype) kernelFail(ctx, `input is ${x.dtype} but nodes_splits and leaf_weights are ${a.dtype}; they must have the same type`);
    const plan = planTrees(x, a.trees, a.nTargets, ctx, previous);
    return { ...plan, outShape: [plan.n, a.nTargets] };
  },
  outputs: (plan, _inputs, a) => [{ dtype: a.dtype, shape: plan.outShape }],
  run(inputs, a, ctx, plan) {
    const x = inputs[0]!;
    const data = numbersOf(x, ctx);
    const n = plan.n;
    const y = ctx.output(0, x.dtype, plan.outShape);
    const buf = plan.row;
    const all = scoreRows(a.trees, a.aggregate, data, a.nTargets, plan);
    for (let row = 0; row < n; row++) {
      takeRow(all, row, a.nTargets, buf);
      finishRegressionRow(a.trees, a.aggregate, NO_BASE_VALUES, a.transform, buf, y.data as Float32Array | Float64Array, row * a.nTargets, a.nTargets);
    }
    return y;
  },
});
