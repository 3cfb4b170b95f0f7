/**
 * The branch-free walk of tree-ensemble-fast.ts in WebAssembly (worker/wasm/trees.as.ts,
 * treeSums) for ensembles whose leaf weights are float32 values and are summed (one weight per
 * leaf, or a list of (target, weight) pairs per leaf as random-forest classifiers have):
 * no bounds checks and a native float32 comparison instead of the order-preserving keys. The nodes
 * are copied into wasm memory once per node and kernels instance (TreeLayouts, in the node's
 * plan); each call copies the rows in and the scores out. Rows still add their trees in
 * onnxruntime's order, with the same float32 (or float64) rounding as the JavaScript walk.
 */
import { span } from '../../tensor';
import type { WasmKernels } from '../../wasm';
import type { CompiledTrees } from './tree-ensemble-core';
import { type FastTrees } from './tree-ensemble-fast';

/** Byte addresses of an ensemble copied into wasm memory. */
export interface WasmTrees {
  readonly nodes: number;
  readonly targets: number;
  readonly roots: number;
  readonly depths: number;
  /** leaves carry lists of (target, weight) pairs instead of one weight */
  readonly multi: boolean;
}

const NODE_BYTES = 16;

/**
 * Copies the ensemble (`f`, the branch-free layout of `t`) into `wk`'s memory for `holder` (the
 * layouts that keep it); null when it does not fit the wasm walk (a weight that is not a float32
 * value) or the memory budget. Leaves with one weight each keep it in the node; otherwise each
 * leaf points at its (i32 target, f32 weight) pairs, in the order onnxruntime adds them.
 */
export function buildWasmTrees(wk: WasmKernels, f: FastTrees, t: CompiledTrees, holder: object): WasmTrees | null {
  const single = f.single;
  const count = f.feature.length;
  if (single !== null) {
    for (let i = 0; i < count; i++) if (f.leaf[i] >= 0 && Math.fround(single.value[i]) !== single.value[i]) return null;
  } else {
    for (let w = 0; w < t.weightValue.length; w++) if (Math.fround(t.weightValue[w]) !== t.weightValue[w]) return null;
  }
  const pairs = single === null ? t.weightValue.length : 0;
  const trees = f.roots.length;
  const nodes = wk.allocPersistent(count * 4 + count + 2 * trees + 2 * pairs, holder);
  if (nodes === null) return null;
  const targets = nodes + count * NODE_BYTES;
  const roots = targets + count * 4;
  const depths = roots + trees * 4;
  const pairsAt = depths + trees * 4;
  const buffer = wk.f32.buffer;
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  const i32 = new Int32Array(buffer);
  for (let i = 0, o = nodes >> 2; i < count; i++, o += 4) {
    const leaf = f.leaf[i];
    const isLeaf = leaf >= 0;
    u32[o] = isLeaf ? 0 : f.feature[i] * 4;
    f32[o + 1] = f.threshold[i];
    u32[o + 2] = nodes + (isLeaf ? i : f.child[i]) * NODE_BYTES;
    if (single !== null) {
      f32[o + 3] = isLeaf ? single.value[i] : 0;
      i32[(targets >> 2) + i] = isLeaf ? single.target[i] : 0;
    } else {
      // a leaf's weights are t's entries [trueNext, trueNext + falseNext)
      u32[o + 3] = isLeaf ? pairsAt + t.trueNext[leaf] * 8 : 0;
      i32[(targets >> 2) + i] = isLeaf ? t.falseNext[leaf] : 0;
    }
  }
  for (let w = 0, o = pairsAt >> 2; w < pairs; w++, o += 2) {
    i32[o] = t.weightTarget[w];
    f32[o + 1] = t.weightValue[w];
  }
  for (let r = 0; r < trees; r++) {
    u32[(roots >> 2) + r] = nodes + f.roots[r] * NODE_BYTES;
    i32[(depths >> 2) + r] = f.depth[r];
  }
  return { nodes, targets, roots, depths, multi: single === null };
}

/**
 * Adds every tree's leaf weight for the n rows of x (row stride c) into score / has ([n, nTargets])
 * in WebAssembly, with the trees `w` built from `f` in `wk`'s memory.
 */
export function addTreeSumsWasm(
  wk: WasmKernels, w: WasmTrees, f: FastTrees, x: Float32Array, n: number, c: number, nTargets: number, score: Float32Array | Float64Array, has: Uint8Array,
): void {
  const size = n * nTargets;
  const double = score instanceof Float64Array;
  wk.beginCall();
  const xPtr = wk.allocScratch(n * c);
  const scorePtr = wk.allocScratch(double ? 2 * size : size);
  const hasPtr = wk.allocScratch(Math.ceil(size / 4));
  // whole-memory views after the last allocation (no grow can detach them below); no views per call
  const heap = wk.f32;
  heap.set(span(x, 0, n * c), xPtr >> 2);
  // zero the scores (float32 or float64) and the has-flags, both 16-byte aligned
  heap.fill(0, scorePtr >> 2, (scorePtr >> 2) + (double ? 2 * size : size));
  heap.fill(0, hasPtr >> 2, (hasPtr >> 2) + Math.ceil(size / 4));
  wk.exports.treeSums(w.nodes, w.targets, w.roots, w.depths, f.roots.length, xPtr, c * 4, n, nTargets, scorePtr, hasPtr, double ? 1 : 0, w.multi ? 1 : 0);
  if (double) {
    const f64 = wk.f64;
    for (let i = 0, at = scorePtr >> 3; i < size; i++) score[i] = f64[at + i];
  } else {
    score.set(wk.view(scorePtr, size));
  }
  const u8 = wk.u8;
  for (let i = 0; i < size; i++) has[i] = u8[hasPtr + i];
}
