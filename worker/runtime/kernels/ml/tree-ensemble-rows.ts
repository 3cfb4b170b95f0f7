/**
 * Scores every row of a batch, tree by tree: all rows go through one tree before the next, so the
 * tree stays in cache, and float32 inputs of all-BRANCH_LEQ ensembles take the branch-free walk of
 * tree-ensemble-fast.ts. Each row still sums its trees in the same order as onnxruntime.
 */
import { type Aggregate, type CompiledTrees, type ScoreBuffers, findLeaf } from './tree-ensemble-core';
import { addTreeSums, fastTreesOf, fillKeys, findLeaves } from './tree-ensemble-fast';
import { addTreeSumsWasm } from './tree-ensemble-wasm';

/** batches from this size take the branch-free walk */
const LOCKSTEP_ROWS = 4;

/** Scores of all rows ([n, nTargets], row-major) and the per-row working storage. */
export interface RowScores {
  score: Float32Array | Float64Array;
  has: Uint8Array;
  leaves: Int32Array;
  keys: Float64Array;
}

/** Buffers kept on a node's parsed attributes; they grow with the batch and are then reused. */
export interface RowScoreCache {
  rows32?: RowScores;
  rows64?: RowScores;
}

function rowBuffers(cache: RowScoreCache, n: number, nTargets: number, keyLength: number, double: boolean): RowScores {
  const size = n * nTargets;
  let b = double ? cache.rows64 : cache.rows32;
  if (!b || b.score.length < size || b.leaves.length < n || b.keys.length < keyLength) {
    const grow = (len: number, want: number) => Math.max(len, want);
    const old = b;
    const scoreLength = grow(old?.score.length ?? 0, size);
    b = {
      score: double ? new Float64Array(scoreLength) : new Float32Array(scoreLength),
      has: new Uint8Array(scoreLength),
      leaves: new Int32Array(grow(old?.leaves.length ?? 0, n)),
      keys: new Float64Array(grow(old?.keys.length ?? 0, keyLength)),
    };
    if (double) cache.rows64 = b;
    else cache.rows32 = b;
  }
  b.score.fill(0, 0, size);
  b.has.fill(0, 0, size);
  return b;
}

/** How leaf weights combine, as a number: the aggregate names may be strings read from the model, which compare slowly. */
const enum Combine {
  ADD = 0,
  MIN = 1,
  MAX = 2,
}

function combineOf(aggregate: Aggregate): Combine {
  return aggregate === 'MIN' ? Combine.MIN : aggregate === 'MAX' ? Combine.MAX : Combine.ADD;
}

/** Adds the weights of each row's leaf (leaves[row]) to the row's scores. */
function addLeaves(t: CompiledTrees, combine: Combine, leaves: Int32Array, n: number, nTargets: number, score: Float32Array | Float64Array, has: Uint8Array): void {
  const wt = t.weightTarget;
  const wv = t.weightValue;
  const firstWeight = t.trueNext;
  const weightCount = t.falseNext;
  for (let row = 0, base = 0; row < n; row++, base += nTargets) {
    const leaf = leaves[row];
    const first = firstWeight[leaf];
    const end = first + weightCount[leaf];
    if (combine === Combine.ADD) {
      for (let w = first; w < end; w++) {
        const j = base + wt[w];
        score[j] += wv[w];
        has[j] = 1;
      }
    } else if (combine === Combine.MIN) {
      for (let w = first; w < end; w++) {
        const j = base + wt[w];
        if (!has[j] || wv[w] < score[j]) score[j] = wv[w];
        has[j] = 1;
      }
    } else {
      for (let w = first; w < end; w++) {
        const j = base + wt[w];
        if (!has[j] || wv[w] > score[j]) score[j] = wv[w];
        has[j] = 1;
      }
    }
  }
}

/**
 * Aggregates every tree's leaf weights for the n rows of x (row stride c) into [n, nTargets] scores,
 * accumulated in float64 when `double`, else in float32 (as onnxruntime does for float inputs).
 */
export function scoreRows(
  t: CompiledTrees,
  aggregate: Aggregate,
  x: ArrayLike<number>,
  n: number,
  c: number,
  nTargets: number,
  double: boolean,
  cache: RowScoreCache,
): RowScores {
  // A single row walks faster with branches (the CPU speculates along one path); lockstep walks pay
  // from a few rows on.
  const fast = n >= LOCKSTEP_ROWS && x instanceof Float32Array ? fastTreesOf(t) : null;
  const b = rowBuffers(cache, n, nTargets, fast ? n * fast.keyColumns : 0, double);
  const { score, has, leaves, keys } = b;
  const roots = t.roots;
  const combine = combineOf(aggregate);
  if (fast && fast.single && combine === Combine.ADD && addTreeSumsWasm(fast, x as Float32Array, n, c, nTargets, score, has)) return b;
  if (fast) {
    fillKeys(x as Float32Array, n, c, fast.keyColumns, keys);
    if (fast.single && combine === Combine.ADD) {
      for (let r = 0; r < roots.length; r++) addTreeSums(fast, r, keys, n, nTargets, score, has);
      return b;
    }
    for (let r = 0; r < roots.length; r++) {
      findLeaves(fast, r, keys, n, leaves);
      addLeaves(t, combine, leaves, n, nTargets, score, has);
    }
    return b;
  }
  for (let r = 0; r < roots.length; r++) {
    const root = roots[r];
    for (let row = 0; row < n; row++) leaves[row] = findLeaf(t, root, x, row * c);
    addLeaves(t, combine, leaves, n, nTargets, score, has);
  }
  return b;
}

/** Copies row `row` of `all` into the one-row buffers the finishing functions work on. */
export function takeRow(all: RowScores, row: number, nTargets: number, buf: ScoreBuffers): void {
  const from = row * nTargets;
  for (let j = 0; j < nTargets; j++) {
    buf.score[j] = all.score[from + j];
    buf.has[j] = all.has[from + j];
  }
}
