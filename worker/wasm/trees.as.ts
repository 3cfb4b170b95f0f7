// Tree ensembles whose splits are all BRANCH_LEQ on float32 thresholds and whose leaf weights are
// float32 values, summed. Nodes are 16 bytes:
//   [0] byte offset of the feature in a row, [4] threshold (f32), [8] address of the false child
//   (the true child follows it, 16 bytes on), [12] the leaf's weight (f32) when every leaf has one
//   (regressors, gradient boosting), else the address of the leaf's (i32 target, f32 weight)
//   pairs (random-forest classifiers: one weight per class).
// A step is branch-free: next = child + 16 * (x[feature] <= threshold). A leaf has threshold NaN
// (the comparison is false) and child = itself, so every row of a tree can take the tree's full
// depth in steps, and eight rows walk in lockstep. f32.le is exactly onnxruntime's float32
// comparison: NaN goes to the false child, -0 equals +0. Each row adds its trees in order.

// @ts-nocheck: AssemblyScript source (types such as f32, usize, v128 are AssemblyScript builtins).

// @ts-ignore: decorator
@inline
function treeStep(a: usize, xr: usize): usize {
  return <usize>load<u32>(a, 8) + (<usize>(load<f32>(xr + <usize>load<u32>(a)) <= load<f32>(a, 4)) << 4);
}

// @ts-ignore: decorator
@inline
function addWeight(j: usize, w: f32, score: usize, has: usize, double: bool): void {
  if (double) store<f64>(score + (j << 3), load<f64>(score + (j << 3)) + <f64>w);
  else store<f32>(score + (j << 2), load<f32>(score + (j << 2)) + w);
  store<u8>(has + j, 1);
}

// Adds leaf `a`'s weight (or, when `multi`, its `targets[leaf]` pairs in order) to row `row`'s scores.
// @ts-ignore: decorator
@inline
function addLeaf(a: usize, nodes: usize, targets: usize, row: i32, nTargets: i32, score: usize, has: usize, double: bool, multi: bool): void {
  const entry = load<i32>(targets + ((a - nodes) >> 2));
  if (!multi) {
    addWeight(<usize>(row * nTargets + entry), load<f32>(a, 12), score, has, double);
    return;
  }
  let p = <usize>load<u32>(a, 12);
  const base = row * nTargets;
  for (let w = 0; w < entry; w++, p += 8) addWeight(<usize>(base + load<i32>(p)), load<f32>(p, 4), score, has, double);
}

/**
 * Adds, for rows 0..n-1 of x (row stride rowBytes), the leaf weights of every tree (roots: node
 * addresses, depths: steps, both i32 per tree) into score[row * nTargets + target] (f64 when
 * `double`, else f32) and sets has[...] = 1. targets: i32 per node, the leaf's target, or with
 * `multi` the number of its weight pairs.
 */
export function treeSums(nodes: usize, targets: usize, roots: usize, depths: usize, trees: i32, x: usize, rowBytes: i32, n: i32, nTargets: i32, score: usize, has: usize, double: i32, multi: i32): void {
  const dbl = double != 0;
  const many = multi != 0;
  const rb = <usize>rowBytes;
  let row = 0;
  if (!many && !dbl && nTargets == 1) row = sumOneTarget(roots, depths, trees, x, rb, n, score, has);
  for (; row + 8 <= n; row += 8) {
    const x0 = x + <usize>row * rb;
    const x1 = x0 + rb;
    const x2 = x1 + rb;
    const x3 = x2 + rb;
    const x4 = x3 + rb;
    const x5 = x4 + rb;
    const x6 = x5 + rb;
    const x7 = x6 + rb;
    for (let t = 0; t < trees; t++) {
      const root = <usize>load<u32>(roots + (<usize>t << 2));
      const steps = load<i32>(depths + (<usize>t << 2));
      let a0 = root, a1 = root, a2 = root, a3 = root, a4 = root, a5 = root, a6 = root, a7 = root;
      for (let s = 0; s < steps; s++) {
        a0 = treeStep(a0, x0);
        a1 = treeStep(a1, x1);
        a2 = treeStep(a2, x2);
        a3 = treeStep(a3, x3);
        a4 = treeStep(a4, x4);
        a5 = treeStep(a5, x5);
        a6 = treeStep(a6, x6);
        a7 = treeStep(a7, x7);
      }
      addLeaf(a0, nodes, targets, row, nTargets, score, has, dbl, many);
      addLeaf(a1, nodes, targets, row + 1, nTargets, score, has, dbl, many);
      addLeaf(a2, nodes, targets, row + 2, nTargets, score, has, dbl, many);
      addLeaf(a3, nodes, targets, row + 3, nTargets, score, has, dbl, many);
      addLeaf(a4, nodes, targets, row + 4, nTargets, score, has, dbl, many);
      addLeaf(a5, nodes, targets, row + 5, nTargets, score, has, dbl, many);
      addLeaf(a6, nodes, targets, row + 6, nTargets, score, has, dbl, many);
      addLeaf(a7, nodes, targets, row + 7, nTargets, score, has, dbl, many);
    }
  }
  for (; row < n; row++) {
    const xr = x + <usize>row * rb;
    for (let t = 0; t < trees; t++) {
      let a = <usize>load<u32>(roots + (<usize>t << 2));
      const steps = load<i32>(depths + (<usize>t << 2));
      for (let s = 0; s < steps; s++) a = treeStep(a, xr);
      addLeaf(a, nodes, targets, row, nTargets, score, has, dbl, many);
    }
  }
}

/**
 * treeSums' eight-row blocks for float32 scores of one target with one weight per leaf
 * (regressors, boosting): each row's score stays in a local across the trees (added in the same
 * order, with the same float32 rounding) and is stored once. Returns the first row it left for
 * treeSums (n rounded down to 8).
 */
function sumOneTarget(roots: usize, depths: usize, trees: i32, x: usize, rb: usize, n: i32, score: usize, has: usize): i32 {
  let row = 0;
  for (; row + 8 <= n; row += 8) {
    const x0 = x + <usize>row * rb;
    const x1 = x0 + rb;
    const x2 = x1 + rb;
    const x3 = x2 + rb;
    const x4 = x3 + rb;
    const x5 = x4 + rb;
    const x6 = x5 + rb;
    const x7 = x6 + rb;
    const out = score + (<usize>row << 2);
    let s0 = load<f32>(out), s1 = load<f32>(out, 4), s2 = load<f32>(out, 8), s3 = load<f32>(out, 12);
    let s4 = load<f32>(out, 16), s5 = load<f32>(out, 20), s6 = load<f32>(out, 24), s7 = load<f32>(out, 28);
    for (let t = 0; t < trees; t++) {
      const root = <usize>load<u32>(roots + (<usize>t << 2));
      const steps = load<i32>(depths + (<usize>t << 2));
      let a0 = root, a1 = root, a2 = root, a3 = root, a4 = root, a5 = root, a6 = root, a7 = root;
      for (let s = 0; s < steps; s++) {
        a0 = treeStep(a0, x0);
        a1 = treeStep(a1, x1);
        a2 = treeStep(a2, x2);
        a3 = treeStep(a3, x3);
        a4 = treeStep(a4, x4);
        a5 = treeStep(a5, x5);
        a6 = treeStep(a6, x6);
        a7 = treeStep(a7, x7);
      }
      s0 += load<f32>(a0, 12);
      s1 += load<f32>(a1, 12);
      s2 += load<f32>(a2, 12);
      s3 += load<f32>(a3, 12);
      s4 += load<f32>(a4, 12);
      s5 += load<f32>(a5, 12);
      s6 += load<f32>(a6, 12);
      s7 += load<f32>(a7, 12);
    }
    store<f32>(out, s0); store<f32>(out, s1, 4); store<f32>(out, s2, 8); store<f32>(out, s3, 12);
    store<f32>(out, s4, 16); store<f32>(out, s5, 20); store<f32>(out, s6, 24); store<f32>(out, s7, 28);
    // every tree ends at a leaf, and each leaf adds a weight
    if (trees > 0) store<u64>(has + <usize>row, 0x0101010101010101);
  }
  return row;
}
