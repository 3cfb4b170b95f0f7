/**
 * A small random-forest classifier (CART trees on Gini impurity, bootstrap samples, a random
 * subset of features per split), deterministic for a given seed, and its export as an
 * ai.onnx.ml TreeEnsembleClassifier the way skl2onnx writes scikit-learn forests: every leaf votes
 * its class distribution divided by the number of trees, so the scores are averaged probabilities.
 */
import { attr, type AttrSpec } from './onnx-builder';
import { Random } from './random';

export interface ForestOptions {
  trees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  /** features tried per split */
  maxFeatures: number;
  seed: number;
}

type TreeNode =
  | { leaf: true; proba: number[] }
  | { leaf: false; feature: number; threshold: number; left: TreeNode; right: TreeNode };

export interface Forest {
  readonly classes: number;
  readonly trees: readonly TreeNode[];
}

function gini(counts: number[], total: number): number {
  let s = 1;
  for (const c of counts) s -= (c / total) ** 2;
  return s;
}

function leafOf(rows: number[], y: readonly number[], classes: number): TreeNode {
  const counts = new Array<number>(classes).fill(0);
  for (const r of rows) counts[y[r]]++;
  return { leaf: true, proba: counts.map((c) => c / rows.length) };
}

function grow(X: readonly Float32Array[], y: readonly number[], rows: number[], depth: number, o: ForestOptions, classes: number, rng: Random): TreeNode {
  const counts = new Array<number>(classes).fill(0);
  for (const r of rows) counts[y[r]]++;
  if (depth >= o.maxDepth || rows.length < 2 * o.minSamplesLeaf || counts.some((c) => c === rows.length)) return leafOf(rows, y, classes);
  const features = rng.shuffle([...Array(X[0].length).keys()]).slice(0, o.maxFeatures);
  let best: { gain: number; feature: number; threshold: number } | null = null;
  const parent = gini(counts, rows.length);
  for (const f of features) {
    const sorted = [...rows].sort((a, b) => X[a][f] - X[b][f]);
    const left = new Array<number>(classes).fill(0);
    for (let i = 0; i < sorted.length - 1; i++) {
      left[y[sorted[i]]]++;
      const a = X[sorted[i]][f];
      const b = X[sorted[i + 1]][f];
      const nLeft = i + 1;
      if (a === b || nLeft < o.minSamplesLeaf || sorted.length - nLeft < o.minSamplesLeaf) continue;
      const right = counts.map((c, k) => c - left[k]);
      const impurity = (nLeft * gini(left, nLeft) + (sorted.length - nLeft) * gini(right, sorted.length - nLeft)) / sorted.length;
      const gain = parent - impurity;
      // float32 threshold, so the exported model splits exactly where training did (x <= t)
      const threshold = Math.fround((a + b) / 2);
      if (threshold < a || threshold >= b) continue;
      if (!best || gain > best.gain + 1e-12) best = { gain, feature: f, threshold };
    }
  }
  if (!best || best.gain <= 0) return leafOf(rows, y, classes);
  const leftRows = rows.filter((r) => X[r][best!.feature] <= best!.threshold);
  const rightRows = rows.filter((r) => X[r][best!.feature] > best!.threshold);
  return {
    leaf: false,
    feature: best.feature,
    threshold: best.threshold,
    left: grow(X, y, leftRows, depth + 1, o, classes, rng),
    right: grow(X, y, rightRows, depth + 1, o, classes, rng),
  };
}

/** X rows must already be float32 values (the model's input type). */
export function trainForest(X: readonly Float32Array[], y: readonly number[], classes: number, o: ForestOptions): Forest {
  const rng = new Random(o.seed);
  const trees: TreeNode[] = [];
  for (let t = 0; t < o.trees; t++) {
    const sample = Array.from({ length: X.length }, () => rng.int(X.length));
    trees.push(grow(X, y, sample, 0, o, classes, rng));
  }
  return { classes, trees };
}

/** Averaged class probabilities for one row (what the exported model computes). */
export function predictProba(forest: Forest, x: ArrayLike<number>): number[] {
  const out = new Array<number>(forest.classes).fill(0);
  for (const tree of forest.trees) {
    let node = tree;
    while (!node.leaf) node = x[node.feature] <= node.threshold ? node.left : node.right;
    node.proba.forEach((p, k) => (out[k] += p / forest.trees.length));
  }
  return out;
}

/** TreeEnsembleClassifier attributes (opset 1), nodes numbered depth-first from 0 per tree. */
export function forestAttributes(forest: Forest, labels: readonly string[]): Record<string, AttrSpec> {
  const a = {
    treeids: [] as number[],
    nodeids: [] as number[],
    featureids: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueids: [] as number[],
    falseids: [] as number[],
    ctree: [] as number[],
    cnode: [] as number[],
    cids: [] as number[],
    cweights: [] as number[],
  };
  forest.trees.forEach((tree, t) => {
    let next = 0;
    const visit = (node: TreeNode): number => {
      const id = next++;
      const at = a.nodeids.length;
      a.treeids.push(t);
      a.nodeids.push(id);
      if (node.leaf) {
        a.featureids.push(0);
        a.modes.push('LEAF');
        a.values.push(0);
        a.trueids.push(0);
        a.falseids.push(0);
        node.proba.forEach((p, k) => {
          a.ctree.push(t);
          a.cnode.push(id);
          a.cids.push(k);
          a.cweights.push(p / forest.trees.length);
        });
        return id;
      }
      a.featureids.push(node.feature);
      a.modes.push('BRANCH_LEQ');
      a.values.push(node.threshold);
      a.trueids.push(0);
      a.falseids.push(0);
      a.trueids[at] = visit(node.left);
      a.falseids[at] = visit(node.right);
      return id;
    };
    visit(tree);
  });
  return {
    classlabels_strings: attr.strings(labels),
    nodes_treeids: attr.ints(a.treeids),
    nodes_nodeids: attr.ints(a.nodeids),
    nodes_featureids: attr.ints(a.featureids),
    nodes_modes: attr.strings(a.modes),
    nodes_values: attr.floats(a.values),
    nodes_truenodeids: attr.ints(a.trueids),
    nodes_falsenodeids: attr.ints(a.falseids),
    class_treeids: attr.ints(a.ctree),
    class_nodeids: attr.ints(a.cnode),
    class_ids: attr.ints(a.cids),
    class_weights: attr.floats(a.cweights),
    post_transform: attr.string('NONE'),
  };
}
