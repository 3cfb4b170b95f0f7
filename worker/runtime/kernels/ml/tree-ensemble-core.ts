/**
 * The shared engine of TreeEnsembleClassifier, TreeEnsembleRegressor and TreeEnsemble (opset 5).
 *
 * Attributes are compiled once into flat typed arrays (one slot per node: feature, threshold,
 * true/false child, mode, missing-value flag; leaves hold a range into the weight arrays), so that
 * inference is a tight loop over numbers with no allocation. Aggregation follows onnxruntime
 * exactly, including which targets count as "scored" (a target no leaf voted for reads 0), the order
 * in which trees are summed, and float32 accumulation for float32 inputs.
 */
import type { AttributeReader } from '../../kernel';
import { type PostTransform, probit, transformRow } from './score-transforms';

/** Node modes; the numbering is internal. LEAF nodes store -1 as their feature. */
export const enum Mode {
  LEQ = 0,
  LT = 1,
  GTE = 2,
  GT = 3,
  EQ = 4,
  NEQ = 5,
  MEMBER = 6,
  LEAF = 7,
}

export const MODE_NAMES: Readonly<Record<string, Mode>> = {
  BRANCH_LEQ: Mode.LEQ,
  BRANCH_LT: Mode.LT,
  BRANCH_GTE: Mode.GTE,
  BRANCH_GT: Mode.GT,
  BRANCH_EQ: Mode.EQ,
  BRANCH_NEQ: Mode.NEQ,
  LEAF: Mode.LEAF,
};

export type Aggregate = 'SUM' | 'AVERAGE' | 'MIN' | 'MAX';

export interface CompiledTrees {
  /** node index of each tree's root, in summation order */
  readonly roots: Int32Array;
  /** input column per node; -1 for leaves */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly mode: Uint8Array;
  /** branch: index of the next node; leaf: index of the leaf's first weight */
  readonly trueNext: Int32Array;
  /** branch: index of the next node; leaf: number of weights */
  readonly falseNext: Int32Array;
  readonly missingTrue: Uint8Array;
  readonly weightTarget: Int32Array;
  readonly weightValue: Float64Array;
  /** BRANCH_MEMBER nodes: their set is memberValues[memberStart[i], memberStart[i+1]) */
  readonly memberStart: Int32Array | null;
  readonly memberValues: Float64Array | null;
  /** every branch is BRANCH_LEQ with no missing-value tracking: the fast loop applies */
  readonly simpleLeq: boolean;
  /** highest input column any branch reads */
  readonly maxFeature: number;
}

/** Raw, validated node/leaf lists in the opset 1-3 layout (nodes_*, target_* or class_*). */
export interface NodeLists {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: Mode[];
  values: ArrayLike<number>;
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  weightTreeIds: number[];
  weightNodeIds: number[];
  weightTargets: number[];
  weightValues: ArrayLike<number>;
}

/** Reads a float list attribute or its `_as_tensor` twin (float32/float64 tensor). */
export function floatsOrTensor(attrs: AttributeReader, name: string): number[] | Float64Array | null {
  const list = attrs.has(name) ? attrs.floats(name) : null;
  const tensorName = `${name}_as_tensor`;
  const tensor = attrs.has(tensorName) ? attrs.tensor(tensorName) : null;
  if (list && tensor) attrs.fail(`attributes "${name}" and "${tensorName}" are both set; keep one`);
  if (tensor) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'float64') {
      attrs.fail(`attribute "${tensorName}" must be a float or double tensor, got ${tensor.dtype}`);
    }
    return Float64Array.from(tensor.data as Float32Array | Float64Array);
  }
  return list;
}

/** Reads the opset 1-3 nodes_* attributes and the leaf weights under `prefix` (target_ or class_). */
export function readNodeLists(attrs: AttributeReader, prefix: 'target_' | 'class_'): NodeLists {
  const modeNames = attrs.strings('nodes_modes');
  const modes = modeNames.map((m, i) => {
    const mode = MODE_NAMES[m];
    if (mode === undefined) {
      attrs.fail(`nodes_modes[${i}] is "${m}"; supported: ${Object.keys(MODE_NAMES).join(', ')}`);
    }
    return mode;
  });
  const n = modes.length;
  const values = floatsOrTensor(attrs, 'nodes_values') ?? [];
  const lists = {
    nodes_treeids: attrs.ints('nodes_treeids'),
    nodes_nodeids: attrs.ints('nodes_nodeids'),
    nodes_featureids: attrs.ints('nodes_featureids'),
    nodes_truenodeids: attrs.ints('nodes_truenodeids'),
    nodes_falsenodeids: attrs.ints('nodes_falsenodeids'),
    nodes_values: values,
  };
  for (const [name, list] of Object.entries(lists)) {
    if (list.length !== n) attrs.fail(`${name} has ${list.length} entries but nodes_modes has ${n}; all nodes_* lists must have one entry per node`);
  }
  const missingTrue = attrs.ints('nodes_missing_value_tracks_true', [] as number[]);
  if (missingTrue.length !== 0 && missingTrue.length !== n) {
    attrs.fail(`nodes_missing_value_tracks_true has ${missingTrue.length} entries but there are ${n} nodes`);
  }
  const weightTreeIds = attrs.ints(`${prefix}treeids`, [] as number[]);
  const weightNodeIds = attrs.ints(`${prefix}nodeids`, [] as number[]);
  const weightTargets = attrs.ints(`${prefix}ids`, [] as number[]);
  const weightValues = floatsOrTensor(attrs, `${prefix}weights`) ?? [];
  const m = weightTargets.length;
  if (weightTreeIds.length !== m || weightNodeIds.length !== m || weightValues.length !== m) {
    attrs.fail(
      `${prefix}ids, ${prefix}nodeids, ${prefix}treeids and ${prefix}weights must have the same length ` +
        `(got ${m}, ${weightNodeIds.length}, ${weightTreeIds.length}, ${weightValues.length})`,
    );
  }
  return {
    treeIds: lists.nodes_treeids,
    nodeIds: lists.nodes_nodeids,
    featureIds: lists.nodes_featureids,
    modes,
    values,
    trueIds: lists.nodes_truenodeids,
    falseIds: lists.nodes_falsenodeids,
    missingTrue,
    weightTreeIds,
    weightNodeIds,
    weightTargets,
    weightValues,
  };
}

/**
 * Compiles opset 1-3 node lists. Like onnxruntime, a tree starts wherever the tree id changes in
 * nodes_treeids, its first listed node is its root, and weights attached to branch nodes are ignored.
 */
export function compileNodeLists(attrs: AttributeReader, l: NodeLists, nTargets: number): CompiledTrees {
  const n = l.modes.length;
  if (n === 0) attrs.fail('the ensemble has no nodes (nodes_modes is empty)');
  const index = new Map<string, number>();
  const key = (t: number, id: number) => `${t}:${id}`;
  for (let i = 0; i < n; i++) {
    const k = key(l.treeIds[i], l.nodeIds[i]);
    if (index.has(k)) attrs.fail(`node ${l.nodeIds[i]} of tree ${l.treeIds[i]} is defined twice`);
    index.set(k, i);
  }
  const { feature, threshold, mode, trueNext, falseNext, missingTrue: missing } = nodeArrays(n);
  let simpleLeq = true;
  let maxFeature = -1;
  for (let i = 0; i < n; i++) {
    mode[i] = l.modes[i];
    missing[i] = l.missingTrue.length ? (l.missingTrue[i] === 1 ? 1 : 0) : 0;
    if (l.modes[i] === Mode.LEAF) {
      feature[i] = -1;
      continue;
    }
    const f = l.featureIds[i];
    if (f < 0) attrs.fail(`nodes_featureids[${i}] is ${f}; feature indices must be >= 0`);
    feature[i] = f;
    if (f > maxFeature) maxFeature = f;
    threshold[i] = l.values[i];
    if (l.modes[i] !== Mode.LEQ || missing[i]) simpleLeq = false;
    for (const [which, ids, out] of [
      ['true', l.trueIds, trueNext],
      ['false', l.falseIds, falseNext],
    ] as const) {
      const child = index.get(key(l.treeIds[i], ids[i]));
      if (child === undefined) attrs.fail(`node ${l.nodeIds[i]} of tree ${l.treeIds[i]}: its ${which} child ${ids[i]} does not exist`);
      if (child === i) attrs.fail(`node ${l.nodeIds[i]} of tree ${l.treeIds[i]} names itself as its ${which} child`);
      out[i] = child;
    }
  }
  // Leaf weights, grouped per leaf in their original order.
  const perLeaf = new Map<number, number[]>();
  for (let w = 0; w < l.weightTargets.length; w++) {
    const node = index.get(key(l.weightTreeIds[w], l.weightNodeIds[w]));
    if (node === undefined) attrs.fail(`a weight refers to node ${l.weightNodeIds[w]} of tree ${l.weightTreeIds[w]}, which does not exist`);
    if (mode[node] !== Mode.LEAF) continue;
    const t = l.weightTargets[w];
    if (t < 0 || t >= nTargets) attrs.fail(`a weight of node ${l.weightNodeIds[w]} of tree ${l.weightTreeIds[w]} is for target/class ${t}, outside 0..${nTargets - 1}`);
    let list = perLeaf.get(node);
    if (!list) perLeaf.set(node, (list = []));
    list.push(w);
  }
  const weightTarget = new Int32Array(l.weightTargets.length);
  const weightValue = new Float64Array(l.weightTargets.length);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (mode[i] !== Mode.LEAF) continue;
    const ws = perLeaf.get(i);
    if (!ws) attrs.fail(`leaf ${l.nodeIds[i]} of tree ${l.treeIds[i]} has no weight`);
    trueNext[i] = next;
    falseNext[i] = ws.length;
    for (const w of ws) {
      weightTarget[next] = l.weightTargets[w];
      weightValue[next] = l.weightValues[w];
      next++;
    }
  }
  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || l.treeIds[i] !== l.treeIds[i - 1]) roots.push(i);
  const compiled: CompiledTrees = {
    roots: Int32Array.from(roots),
    feature,
    threshold,
    mode,
    trueNext,
    falseNext,
    missingTrue: missing,
    weightTarget: weightTarget.subarray(0, next),
    weightValue: weightValue.subarray(0, next),
    memberStart: null,
    memberValues: null,
    simpleLeq,
    maxFeature,
  };
  checkAcyclic(attrs, compiled);
  return compiled;
}

/** Rejects trees whose child links loop, which would hang inference. */
export function checkAcyclic(attrs: AttributeReader, t: CompiledTrees): void {
  const n = t.feature.length;
  const state = new Uint8Array(n); // 0 new, 1 on the current path, 2 done
  const stack: number[] = [];
  const phase: number[] = [];
  for (const root of t.roots) {
    if (state[root] === 2) continue;
    stack.push(root);
    phase.push(0);
    while (stack.length) {
      const top = stack.length - 1;
      const node = stack[top];
      if (phase[top] === 0) {
        if (state[node] === 2) {
          stack.pop();
          phase.pop();
          continue;
        }
        state[node] = 1;
        phase[top] = 1;
        if (t.feature[node] >= 0) {
          for (const child of [t.trueNext[node], t.falseNext[node]]) {
            if (state[child] === 1) attrs.fail('a tree links back to one of its own ancestors (the node graph has a cycle)');
            if (state[child] === 0) {
              stack.push(child);
              phase.push(0);
            }
          }
        }
      } else {
        state[node] = 2;
        stack.pop();
        phase.pop();
      }
    }
  }
}


/** The per-node arrays of a CompiledTrees of `n` nodes, zeroed. */
export function nodeArrays(n: number): Pick<CompiledTrees, 'feature' | 'threshold' | 'mode' | 'trueNext' | 'falseNext' | 'missingTrue'> {
  return {
    feature: new Int32Array(n),
    threshold: new Float64Array(n),
    mode: new Uint8Array(n),
    trueNext: new Int32Array(n),
    falseNext: new Int32Array(n),
    missingTrue: new Uint8Array(n),
  };
}

/** Walks one tree for the row starting at `offset`; returns the leaf's node index. */
export function findLeaf(t: CompiledTrees, root: number, x: ArrayLike<number>, offset: number): number {
  const feature = t.feature;
  const threshold = t.threshold;
  const trueNext = t.trueNext;
  const falseNext = t.falseNext;
  let node = root;
  if (t.simpleLeq) {
    let f = feature[node];
    while (f >= 0) {
      node = x[offset + f] <= threshold[node] ? trueNext[node] : falseNext[node];
      f = feature[node];
    }
    return node;
  }
  const mode = t.mode;
  let f = feature[node];
  while (f >= 0) {
    const v = x[offset + f];
    const th = threshold[node];
    let go: boolean;
    switch (mode[node]) {
      case Mode.LEQ:
        go = v <= th;
        break;
      case Mode.LT:
        go = v < th;
        break;
      case Mode.GTE:
        go = v >= th;
        break;
      case Mode.GT:
        go = v > th;
        break;
      case Mode.EQ:
        go = v === th;
        break;
      case Mode.NEQ:
        go = v !== th;
        break;
      default: {
        go = false;
        const values = t.memberValues!;
        const start = t.memberStart!;
        for (let k = start[node], end = start[node + 1]; k < end; k++) {
          if (values[k] === v) {
            go = true;
            break;
          }
        }
      }
    }
    if (!go && t.missingTrue[node] && v !== v) go = true;
    node = go ? trueNext[node] : falseNext[node];
    f = feature[node];
  }
  return node;
}

/** Per-row working storage: the scores (float32 or float64 accumulation) and "was voted" flags. */
export interface ScoreBuffers {
  score: Float32Array | Float64Array;
  has: Uint8Array;
}


/**
 * Regression output for one row (onnxruntime's aggregators): with one target, base_values[0] is
 * added and only PROBIT applies; with several, base_values apply when there is one per target and a
 * target no tree voted for reads 0.
 */
export function finishRegressionRow(
  t: CompiledTrees,
  aggregate: Aggregate,
  base: Float64Array,
  transform: PostTransform,
  buf: ScoreBuffers,
  out: Float32Array | Float64Array,
  outOffset: number,
  nTargets: number,
): void {
  const { score, has } = buf;
  const nTrees = t.roots.length;
  if (nTargets === 1) {
    const origin = base.length === 1 ? base[0] : 0;
    let v: number;
    if (aggregate === 'SUM') v = score[0] + origin;
    else if (aggregate === 'AVERAGE') v = score[0] / nTrees + origin;
    else v = has[0] ? score[0] + origin : origin;
    out[outOffset] = transform === 'PROBIT' ? probit(v) : v;
    return;
  }
  const useBase = base.length === nTargets;
  for (let j = 0; j < nTargets; j++) {
    if (!has[j]) {
      score[j] = 0;
      continue;
    }
    const b = useBase ? base[j] : 0;
    score[j] = aggregate === 'AVERAGE' ? score[j] / nTrees + b : score[j] + b;
  }
  transformRow(score, 0, nTargets, transform);
  for (let j = 0; j < nTargets; j++) out[outOffset + j] = score[j];
}
