/**
 * Scores every row of a batch, tree by tree: all rows go through one tree before the next, so the
 * tree stays in cache, and float32 inputs of all-BRANCH_LEQ ensembles take the branch-free walk of
 * tree-ensemble-fast.ts. Each row still sums its trees in the same order as onnxruntime.
 *
 * The tree kernels share one plan (TreePlan): the input's rows and columns, the row buffers for
 * that batch size, and the derived layouts of the trees (branch-free, in WebAssembly memory), made
 * on first use and carried over when the node plans again.
 */
import { kernelFail, type PlanContext, type PlanInput } from '../../kernel';
import { wasmKernels, type WasmKernels } from '../../wasm';
import { type Aggregate, type CompiledTrees, type ScoreBuffers, findLeaf } from './tree-ensemble-core';
import { type FastTrees, addTreeSums, buildFastTrees, fillKeys, findLeaves } from './tree-ensemble-fast';
import { type WasmTrees, addTreeSumsWasm, buildWasmTrees } from './tree-ensemble-wasm';

/** batches from this size take the branch-free walk */
const LOCKSTEP_ROWS = 4;

/** Scores of all rows ([n, nTargets], row-major) and the per-row working storage. */
export interface RowScores {
  score: Float32Array | Float64Array;
  has: Uint8Array;
  leaves: Int32Array;
  keys: Float64Array;
}

/**
 * The layouts derived from one node's trees, made on first use: the branch-free layout (null when
 * the ensemble does not qualify) and its copy in WebAssembly memory (per kernels instance).
 */
export class TreeLayouts {
  private fastTrees: FastTrees | null | undefined = undefined;
  /** the kernels instance's generation of persistent blocks `wasmTrees` was made in */
  private wasmGeneration: object | null = null;
  private wasmTrees: WasmTrees | null = null;

  fast(t: CompiledTrees): FastTrees | null {
    if (this.fastTrees === undefined) this.fastTrees = buildFastTrees(t);
    return this.fastTrees;
  }

  /** The trees in `wk`'s memory, or null when the ensemble does not fit the wasm walk. */
  wasm(wk: WasmKernels, f: FastTrees, t: CompiledTrees): WasmTrees | null {
    if (this.wasmGeneration !== wk.persistentGeneration) {
      this.wasmTrees = buildWasmTrees(wk, f, t, this);
      this.wasmGeneration = wk.persistentGeneration;
    }
    return this.wasmTrees;
  }
}

/** A tree kernel's plan: the batch's size, its buffers and the trees' layouts. */
export interface TreePlan {
  /** rows and columns of the input */
  readonly n: number;
  readonly c: number;
  /** the input is float64 (scores then accumulate in float64) */
  readonly double: boolean;
  readonly rows: RowScores;
  /** one row's scores, for the finishing functions */
  readonly row: ScoreBuffers;
  readonly layouts: TreeLayouts;
}

/** Plans for input X ([N, C] or [C]) of a tree kernel with `nTargets` scores per row. */
export function planTrees(x: PlanInput, t: CompiledTrees, nTargets: number, ctx: PlanContext, previous: TreePlan | undefined): TreePlan {
  const rank = x.shape.length;
  if (rank === 0 || rank > 2) kernelFail(ctx, `input must be 1-D or 2-D, got shape [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64' && x.dtype !== 'int32' && x.dtype !== 'int64') {
    kernelFail(ctx, `input type ${x.dtype} is not supported; use float, double, int64 or int32`);
  }
  const n = rank === 1 ? 1 : x.shape[0];
  const c = rank === 1 ? x.shape[0] : x.shape[1];
  if (t.maxFeature >= c) kernelFail(ctx, `the trees read feature ${t.maxFeature} but the input has ${c} features per row`);
  const double = x.dtype === 'float64';
  const layouts = previous?.layouts ?? new TreeLayouts();
  const fast = n >= LOCKSTEP_ROWS && x.dtype === 'float32' ? layouts.fast(t) : null;
  const size = n * nTargets;
  return {
    n,
    c,
    double,
    rows: {
      score: double ? new Float64Array(size) : new Float32Array(size),
      has: new Uint8Array(size),
      leaves: new Int32Array(n),
      keys: new Float64Array(fast ? n * fast.keyColumns : 0),
    },
    row: { score: double ? new Float64Array(nTargets) : new Float32Array(nTargets), has: new Uint8Array(nTargets) },
    layouts,
  };
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
export function scoreRows(t: CompiledTrees, aggregate: Aggregate, x: ArrayLike<number>, nTargets: number, plan: TreePlan): RowScores {
  const { n, c } = plan;
  // A single row walks faster with branches (the CPU speculates along one path); lockstep walks pay
  // from a few rows on.
  const fast = n >= LOCKSTEP_ROWS && x instanceof Float32Array ? plan.layouts.fast(t) : null;
  const b = plan.rows;
  const { score, has, leaves, keys } = b;
  score.fill(0);
  has.fill(0);
  const roots = t.roots;
  const combine = combineOf(aggregate);
  if (fast && combine === Combine.ADD) {
    const wk = wasmKernels();
    const wasmTrees = wk === null ? null : plan.layouts.wasm(wk, fast, t);
    if (wk !== null && wasmTrees !== null) {
      addTreeSumsWasm(wk, wasmTrees, fast, x as Float32Array, n, c, nTargets, score, has);
      return b;
    }
  }
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
