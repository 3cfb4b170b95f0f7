/**
 * A branch-free layout for ensembles whose branches are all BRANCH_LEQ on float32 thresholds.
 *
 * Tree traversal is dominated by mispredicted branches (each split is a coin flip to the CPU). Here
 * a step is arithmetic only: a float32 value v is mapped to an order-preserving key
 * k(v) = orderedBits(v) * 2^-32 in (-0.5, 0.5), each split stores s = k(threshold) + 1, and
 *   (s - k(v)) | 0  is 1 when v <= threshold and 0 otherwise
 * (the difference lies in [1, 2) or (0, 1) and is computed exactly in float64). The two children of
 * a split sit side by side (false child at `child`, true child at `child + 1`), so the next node is
 * `child + ((s - k) | 0)`. Leaves loop to themselves (they read a key column that is always 0 and
 * store s = 1.5, child = self - 1), so every row takes exactly `depth` steps through a tree and
 * several rows can be walked in lockstep. The comparison is exact, as onnxruntime's float32 one:
 * -0 and +0 share a key, and NaN gets a key above every threshold (v <= t is false).
 */
import { type CompiledTrees } from './tree-ensemble-core';

export interface FastTrees {
  /** new index of each tree's root, in summation order */
  readonly roots: Int32Array;
  /** steps that bring every row of a tree to a leaf (the tree's depth) */
  readonly depth: Int32Array;
  /** key column per node; leaves read the always-zero column `keyColumns - 1` */
  readonly feature: Int32Array;
  /** k(threshold) + 1 per split, 1.5 per leaf */
  readonly split: Float64Array;
  /** the float32 threshold per split, NaN per leaf (for the WebAssembly walk) */
  readonly threshold: Float32Array;
  readonly child: Int32Array;
  /** leaves: the node's index in the CompiledTrees (for its weights); -1 for splits */
  readonly leaf: Int32Array;
  /** columns of one row's key block: the features read, plus the zero column */
  readonly keyColumns: number;
  /** every leaf has exactly one weight: its target and value, per node (0 for splits) */
  readonly single: { readonly target: Int32Array; readonly value: Float64Array } | null;
}

/** Keys of NaN and of the leaves' zero column, see the file comment. */
const NAN_KEY = 1.5;
const LEAF_SPLIT = 1.5;
const TWO_POW_MINUS_32 = 2 ** -32;
/** deeper trees or a larger node blow-up (shared subtrees are copied) keep the branching loop */
const MAX_DEPTH = 40;
const MAX_GROWTH = 4;

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);

/** The order-preserving key of a float32 value (exact: an int32 scaled by 2^-32). */
export function keyOf(v: number): number {
  if (v !== v) return NAN_KEY;
  if (v === 0) return 0;
  f32[0] = v;
  const b = bits[0];
  return (b ^ ((b >> 31) & 0x7fffffff)) * TWO_POW_MINUS_32;
}

/** The branch-free layout of `t`, or null when some split is not a float32 BRANCH_LEQ. */
export function buildFastTrees(t: CompiledTrees): FastTrees | null {
  if (!t.simpleLeq) return null;
  const n = t.feature.length;
  for (let i = 0; i < n; i++) {
    const th = t.threshold[i];
    if (t.feature[i] >= 0 && Math.fround(th) !== th) return null; // also rejects NaN
  }
  const zeroColumn = t.maxFeature + 1;
  const feature: number[] = [];
  const split: number[] = [];
  const threshold: number[] = [];
  const child: number[] = [];
  const leaf: number[] = [];
  const roots = new Int32Array(t.roots.length);
  const depth = new Int32Array(t.roots.length);
  const limit = MAX_GROWTH * n + 16;
  // Breadth-first per tree: `queue` holds [old node, new index, level].
  for (let r = 0; r < t.roots.length; r++) {
    roots[r] = feature.length;
    const queue: number[] = [t.roots[r], feature.length, 0];
    feature.push(0);
    split.push(0);
    threshold.push(NaN);
    child.push(0);
    leaf.push(-1);
    let maxLevel = 0;
    for (let q = 0; q < queue.length; q += 3) {
      const old = queue[q];
      const at = queue[q + 1];
      const level = queue[q + 2];
      if (level > maxLevel) maxLevel = level;
      if (t.feature[old] < 0) {
        feature[at] = zeroColumn;
        split[at] = LEAF_SPLIT;
        threshold[at] = NaN;
        child[at] = at - 1;
        leaf[at] = old;
        continue;
      }
      if (level >= MAX_DEPTH || feature.length > limit) return null;
      const pair = feature.length;
      feature[at] = t.feature[old];
      split[at] = keyOf(t.threshold[old]) + 1;
      threshold[at] = t.threshold[old];
      child[at] = pair;
      feature.push(0, 0);
      split.push(0, 0);
      threshold.push(NaN, NaN);
      child.push(0, 0);
      leaf.push(-1, -1);
      queue.push(t.falseNext[old], pair, level + 1, t.trueNext[old], pair + 1, level + 1);
    }
    depth[r] = maxLevel;
  }
  let single: FastTrees['single'] = { target: new Int32Array(feature.length), value: new Float64Array(feature.length) };
  for (let at = 0; at < leaf.length && single; at++) {
    const old = leaf[at];
    if (old < 0) continue;
    if (t.falseNext[old] !== 1) single = null;
    else {
      single.target[at] = t.weightTarget[t.trueNext[old]];
      single.value[at] = t.weightValue[t.trueNext[old]];
    }
  }
  return {
    single,
    roots,
    depth,
    feature: Int32Array.from(feature),
    split: Float64Array.from(split),
    threshold: Float32Array.from(threshold),
    child: Int32Array.from(child),
    leaf: Int32Array.from(leaf),
    keyColumns: zeroColumn + 1,
  };
}

/** Writes the keys of the features the trees read, row after row, plus each row's zero column. */
export function fillKeys(x: Float32Array, n: number, c: number, keyColumns: number, keys: Float64Array): void {
  const used = keyColumns - 1;
  for (let row = 0; row < n; row++) {
    const from = row * c;
    const to = row * keyColumns;
    for (let j = 0; j < used; j++) keys[to + j] = keyOf(x[from + j]);
    keys[to + used] = 0;
  }
}

/**
 * Finds the leaf of tree `r` for every row: leaves[row] = index into the CompiledTrees. Rows go
 * through the tree eight at a time so that their independent steps overlap.
 */
export function findLeaves(f: FastTrees, r: number, keys: Float64Array, n: number, leaves: Int32Array): void {
  const feature = f.feature;
  const split = f.split;
  const child = f.child;
  const root = f.roots[r];
  const steps = f.depth[r];
  const kc = f.keyColumns;
  let row = 0;
  for (; row + 8 <= n; row += 8) {
    const o0 = row * kc;
    const o1 = o0 + kc;
    const o2 = o1 + kc;
    const o3 = o2 + kc;
    const o4 = o3 + kc;
    const o5 = o4 + kc;
    const o6 = o5 + kc;
    const o7 = o6 + kc;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    let e = root;
    let g = root;
    let h = root;
    let i = root;
    for (let s = 0; s < steps; s++) {
      a = child[a] + ((split[a] - keys[o0 + feature[a]]) | 0);
      b = child[b] + ((split[b] - keys[o1 + feature[b]]) | 0);
      c = child[c] + ((split[c] - keys[o2 + feature[c]]) | 0);
      d = child[d] + ((split[d] - keys[o3 + feature[d]]) | 0);
      e = child[e] + ((split[e] - keys[o4 + feature[e]]) | 0);
      g = child[g] + ((split[g] - keys[o5 + feature[g]]) | 0);
      h = child[h] + ((split[h] - keys[o6 + feature[h]]) | 0);
      i = child[i] + ((split[i] - keys[o7 + feature[i]]) | 0);
    }
    const leaf = f.leaf;
    leaves[row] = leaf[a];
    leaves[row + 1] = leaf[b];
    leaves[row + 2] = leaf[c];
    leaves[row + 3] = leaf[d];
    leaves[row + 4] = leaf[e];
    leaves[row + 5] = leaf[g];
    leaves[row + 6] = leaf[h];
    leaves[row + 7] = leaf[i];
  }
  for (; row < n; row++) {
    const o = row * kc;
    let a = root;
    for (let s = 0; s < steps; s++) a = child[a] + ((split[a] - keys[o + feature[a]]) | 0);
    leaves[row] = f.leaf[a];
  }
}

/**
 * For ensembles whose leaves have one weight each: walks tree `r` like findLeaves and adds each
 * row's leaf weight straight into its scores ([n, nTargets]), marking the target as voted for.
 */
export function addTreeSums(f: FastTrees, r: number, keys: Float64Array, n: number, nTargets: number, score: Float32Array | Float64Array, has: Uint8Array): void {
  const feature = f.feature;
  const split = f.split;
  const child = f.child;
  const { target, value } = f.single!;
  const root = f.roots[r];
  const steps = f.depth[r];
  const kc = f.keyColumns;
  let row = 0;
  for (; row + 4 <= n; row += 4) {
    const o0 = row * kc;
    const o1 = o0 + kc;
    const o2 = o1 + kc;
    const o3 = o2 + kc;
    let a = root;
    let b = root;
    let c = root;
    let d = root;
    for (let s = 0; s < steps; s++) {
      a = child[a] + ((split[a] - keys[o0 + feature[a]]) | 0);
      b = child[b] + ((split[b] - keys[o1 + feature[b]]) | 0);
      c = child[c] + ((split[c] - keys[o2 + feature[c]]) | 0);
      d = child[d] + ((split[d] - keys[o3 + feature[d]]) | 0);
    }
    const base = row * nTargets;
    const ja = base + target[a];
    const jb = base + nTargets + target[b];
    const jc = base + 2 * nTargets + target[c];
    const jd = base + 3 * nTargets + target[d];
    score[ja] += value[a];
    score[jb] += value[b];
    score[jc] += value[c];
    score[jd] += value[d];
    has[ja] = 1;
    has[jb] = 1;
    has[jc] = 1;
    has[jd] = 1;
  }
  for (; row < n; row++) {
    const o = row * kc;
    let a = root;
    for (let s = 0; s < steps; s++) a = child[a] + ((split[a] - keys[o + feature[a]]) | 0);
    const j = row * nTargets + target[a];
    score[j] += value[a];
    has[j] = 1;
  }
}
