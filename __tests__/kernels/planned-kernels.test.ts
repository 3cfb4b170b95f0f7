/**
 * Every kernel that plans is replayed here the way a session serves it: one node, one context,
 * runs whose input shapes and dtypes change from one run to the next (so the plan is reused while
 * the signature holds and made again when it changes). Each replayed run must equal a fresh node's
 * run on the same inputs: the same outputs bit for bit, or the same error. The test also fails when
 * a kernel gains a plan without a case here.
 */
import fc from 'fast-check';
import { installWasmKernels } from '../../lib/wasm-module';
import type { Attributes } from '../../worker/runtime/graph';
import type { AnyKernel } from '../../worker/runtime/kernel';
import { FUSED_GELU, FUSED_SOFTMAX } from '../../worker/runtime/kernels/common/fused-activation';
import { findKernel, supportedOps } from '../../worker/runtime/kernels/registry';
import { MapRowsTensor, Tensor, type DType } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { KernelReplay, runKernel, type KernelRunOptions } from './kernel-harness';
import { randomTrees } from './ml/random-trees';

/** One run's inputs, built from a generated signature. */
type Inputs = Array<Tensor | undefined>;

interface PlannedCase {
  /** the node: attributes, weights and output count, fixed for all runs */
  readonly node: fc.Arbitrary<KernelRunOptions & { readonly weights?: readonly number[] }>;
  /** one run's inputs for that node (the weights at `node.weights` must be the same tensors every run) */
  readonly inputs: (node: KernelRunOptions) => fc.Arbitrary<Inputs>;
}

const FLOATS: readonly DType[] = ['float32', 'float64'];
const NUMBERS: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];

/** A tensor of `shape` with seeded values suited to the dtype (small integers, 0/1 for bool). */
function filled(dtype: DType, shape: readonly number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const values = Array.from({ length: n }, () => {
    const r = next();
    if (dtype === 'bool') return r < 0.5 ? 0 : 1;
    if (dtype === 'float32' || dtype === 'float64') return Math.round((r * 4 - 2) * 64) / 64;
    return Math.floor(r * 9) - (dtype.startsWith('uint') ? 0 : 4);
  });
  return Tensor.from(dtype, shape, values);
}

const seed = fc.integer({ min: 1, max: 1 << 30 });
const dim = (min = 1, max = 4): fc.Arbitrary<number> => fc.integer({ min, max });
const shapeOf = (minRank: number, maxRank: number, maxDim = 4): fc.Arbitrary<number[]> => fc.array(dim(1, maxDim), { minLength: minRank, maxLength: maxRank });

/** A tensor with a random shape in the rank range and one of the dtypes. */
const anyTensor = (dtypes: readonly DType[], minRank: number, maxRank: number): fc.Arbitrary<Tensor> =>
  fc.tuple(fc.constantFrom(...dtypes), shapeOf(minRank, maxRank), seed).map(([d, s, v]) => filled(d, s, v));

/** Two shapes that broadcast (the second drops leading axes and may have 1s). */
const broadcastPair = fc.tuple(shapeOf(0, 3), fc.nat(3), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 })).map(([out, drop, ones]) => {
  const b = out.slice(Math.min(drop, out.length)).map((d, i) => (ones[i] ? 1 : d));
  return [out, b] as const;
});

/** The binary ops: both inputs broadcast, dtypes of both inputs vary together (or apart). */
function binaryCase(dtypes: readonly DType[]): PlannedCase {
  return {
    node: fc.constant({}),
    inputs: () =>
      fc.tuple(broadcastPair, fc.constantFrom(...dtypes), fc.constantFrom(...dtypes), fc.boolean(), seed).map(([[sa, sb], da, db, swap, v]) => {
        const a = filled(da, sa, v);
        const b = filled(db, sb, v + 1);
        return swap ? [b, a] : [a, b];
      }),
  };
}

/** Where: a bool condition and two values of one dtype, the three broadcasting in any order. */
function whereCase(): PlannedCase {
  return {
    node: fc.constant({}),
    inputs: () =>
      fc.tuple(broadcastPair, fc.constantFrom<DType>('float32', 'int64', 'bool'), fc.nat(2), seed).map(([[full, part], d, which, v]) => {
        const shapes = [part, part, part];
        shapes[which] = full;
        return [filled('bool', shapes[0], v), filled(d, shapes[1], v + 1), filled(d, shapes[2], v + 2)];
      }),
  };
}

/** QLinearAdd / QLinearMul: broadcasting uint8 or int8 operands with per-tensor parameters. */
function qLinearBinaryCase(): PlannedCase {
  return {
    node: fc.constant({}),
    inputs: () =>
      fc.tuple(broadcastPair, fc.constantFrom<DType>('uint8', 'int8'), seed).map(([[sa, sb], d, v]) => {
        const scale = (x: number) => Tensor.from('float32', [], [x]);
        const zero = Tensor.from(d, [], [3]);
        return [filled(d, sa, v), scale(0.1), zero, filled(d, sb, v + 1), scale(0.05), zero, scale(0.2), zero];
      }),
  };
}

/** Weights are made once per node (from the node's seed), so they are the same tensors on every run. */
function withWeights<T>(node: fc.Arbitrary<T>, make: (node: T) => Record<number, Tensor>): fc.Arbitrary<T & { fixed: Record<number, Tensor>; weights: number[] }> {
  return node.map((n) => {
    const fixed = make(n);
    return { ...n, fixed, weights: Object.keys(fixed).map(Number) };
  });
}

const fixedOf = (node: KernelRunOptions): Record<number, Tensor> => (node as { fixed: Record<number, Tensor> }).fixed;

const convNode = (transpose: boolean) =>
  withWeights(
    fc.record({ c: dim(1, 3), m: dim(1, 3), k: fc.tuple(dim(1, 3), dim(1, 3)), strides: fc.tuple(dim(1, 2), dim(1, 2)), pads: fc.tuple(fc.nat(1), fc.nat(1), fc.nat(1), fc.nat(1)), s: seed }),
    (n) => ({ 1: filled('float32', transpose ? [n.c, n.m, ...n.k] : [n.m, n.c, ...n.k], n.s), 2: filled('float32', [n.m], n.s + 1) }),
  ).map((n) => ({ ...n, attributes: { strides: n.strides, pads: n.pads } as Attributes }));

const convInputs = (node: KernelRunOptions) => {
  const n = node as unknown as { c: number };
  return fc.tuple(dim(1, 3), dim(3, 7), dim(3, 7), fc.boolean(), seed).map(([batch, h, w, bias, v]) => [filled('float32', [batch, n.c, h, w], v), fixedOf(node)[1], bias ? fixedOf(node)[2] : undefined]);
};

/**
 * ConvChain: a 3x3 Conv (same size) with a clamp, then a 1x1 Conv back to X's channels, and Z of X's
 * shape or none; or, with `pool`, 1-D: the 3-tap Conv with its clamp, a MaxPool stage of window 4
 * and stride 4 (which the Conv's WebAssembly path computes as it stores), then the 1x1 Conv.
 */
const convChainNode = withWeights(
  fc.record({ c: dim(1, 3), m: dim(1, 9), s: seed, pool: fc.boolean() }),
  // keyed by input position: the pool variant's second Conv is the third stage (inputs 5 and 6)
  (n) => ({
    1: filled('float32', n.pool ? [n.m, n.c, 3] : [n.m, n.c, 3, 3], n.s), 2: filled('float32', [n.m], n.s + 1),
    [n.pool ? 5 : 3]: filled('float32', n.pool ? [n.c, n.m, 1] : [n.c, n.m, 1, 1], n.s + 2), [n.pool ? 6 : 4]: filled('float32', [n.c], n.s + 3),
  }),
).map((n) => ({
  ...n,
  attributes: (n.pool
    ? {
        stages: 3, group: [1, 1, 1], strides: [1, 4, 1], dilations: [1, 1, 1], pads: [1, 1, 0, 0, 0, 0],
        clip: [0, 6, -Infinity, Infinity, -Infinity, Infinity], max_pool_shape: [0, 4, 0],
      }
    : { stages: 2, group: [1, 1], strides: [1, 1, 1, 1], dilations: [1, 1, 1, 1], pads: [1, 1, 1, 1, 0, 0, 0, 0], clip: [0, 6, -Infinity, Infinity] }) as Attributes,
}));

const convChainInputs = (node: KernelRunOptions) => {
  const n = node as unknown as { c: number; pool: boolean };
  const w = fixedOf(node);
  return fc.tuple(dim(1, 3), dim(3, 7), dim(4, 40), fc.boolean(), fc.boolean(), seed).map(([batch, h, length, bias, residual, v]) =>
    n.pool
      ? [filled('float32', [batch, n.c, length], v), w[1], bias ? w[2] : undefined, undefined, undefined, w[5], w[6]]
      : [filled('float32', [batch, n.c, h, h + 1], v), w[1], bias ? w[2] : undefined, w[3], w[4], ...(residual ? [filled('float32', [batch, n.c, h, h + 1], v + 5)] : [])],
  );
};

const poolNode = (op: 'MaxPool' | 'AveragePool') =>
  fc.record({ k: fc.tuple(dim(1, 3), dim(1, 3)), strides: fc.tuple(dim(1, 2), dim(1, 2)), pads: fc.tuple(fc.nat(1), fc.nat(1), fc.nat(1), fc.nat(1)), ceil: fc.nat(1), indices: fc.boolean() }).map((n) => ({
    attributes: { kernel_shape: n.k, strides: n.strides, pads: n.k.every((k, i) => n.pads[i] < k && n.pads[i + 2] < k) ? n.pads : [0, 0, 0, 0], ceil_mode: n.ceil } as Attributes,
    outputs: op === 'MaxPool' && n.indices ? 2 : 1,
  }));

const imageInputs = (dtypes: readonly DType[]) =>
  fc.tuple(fc.constantFrom(...dtypes), dim(1, 3), dim(1, 3), dim(3, 7), dim(3, 7), seed).map(([d, batch, c, h, w, v]) => [filled(d, [batch, c, h, w], v)]);

const recurrentNode = (gates: number) =>
  withWeights(fc.record({ input: dim(1, 3), hidden: dim(1, 4), s: seed }), (n) => ({
    1: filled('float32', [1, gates * n.hidden, n.input], n.s),
    2: filled('float32', [1, gates * n.hidden, n.hidden], n.s + 1),
  })).map((n) => ({ ...n, attributes: { hidden_size: n.hidden } as Attributes, outputs: 2, opset: 22 }));

const recurrentInputs = (node: KernelRunOptions) => {
  const n = node as unknown as { input: number };
  return fc.tuple(dim(1, 4), dim(1, 5), seed).map(([seq, batch, v]) => [filled('float32', [seq, batch, n.input], v), fixedOf(node)[1], fixedOf(node)[2]]);
};

/** Random forests in the opset-3 layout (attribute lists), over `features` features. */
function treeLists(s: number, features: number, targets: number) {
  const l = randomTrees({ seed: s, trees: 6, maxDepth: 4, features, targets, votes: 'one' });
  return {
    nodes_treeids: l.nodes_treeids,
    nodes_nodeids: l.nodes_nodeids,
    nodes_featureids: l.nodes_featureids,
    nodes_modes: l.nodes_modes,
    nodes_values: l.nodes_values,
    nodes_truenodeids: l.nodes_truenodeids,
    nodes_falsenodeids: l.nodes_falsenodeids,
    nodes_missing_value_tracks_true: l.nodes_missing_value_tracks_true,
    w: l,
  };
}

const FEATURES = 4;
/** Rows of features, crossing the batch size (4) from which the branch-free walk runs. */
const treeRows = (dtypes: readonly DType[]) =>
  fc.tuple(fc.constantFrom(...dtypes), dim(1, 12), fc.boolean(), seed).map(([d, n, flat, v]) => [filled(d, flat && n === 1 ? [FEATURES] : [n, FEATURES], v)]);

/** A two-tree opset-5 TreeEnsemble: tree 0 splits on feature 0 then 1, tree 1 on feature 2. */
function treeEnsembleV5(dtype: 'float32' | 'float64', s: number): Attributes {
  const t = (values: number[]) => Tensor.from(dtype, [values.length], values);
  const w = (k: number) => ((s >> k) % 7) / 4 - 0.75;
  return {
    n_targets: 2,
    aggregate_function: 1,
    post_transform: 0,
    tree_roots: [0, 2],
    nodes_featureids: [0, 1, 2],
    nodes_modes: Tensor.from('uint8', [3], [0, 1, 0]),
    nodes_splits: t([0, 0.25, -0.5]),
    nodes_truenodeids: [1, 0, 2],
    nodes_trueleafs: [0, 1, 1],
    nodes_falsenodeids: [1, 1, 3],
    nodes_falseleafs: [1, 1, 1],
    nodes_missing_value_tracks_true: [0, 0, 0],
    leaf_targetids: [0, 1, 0, 1],
    leaf_weights: t([w(1), w(2), w(3), w(4)]),
  };
}

/**
 * A node whose integer inputs (at the keys of `values`) hold fixed values, each a weight (planned)
 * or an activation (read every run) as the generator picks.
 */
function intsNode(values: Record<number, fc.Arbitrary<number[]>>, attributes: fc.Arbitrary<Attributes> = fc.constant({})) {
  const keys = Object.keys(values).map(Number);
  return fc.tuple(fc.tuple(...keys.map((k) => values[k])), fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }), attributes).map(([vs, asWeight, attrs]) => {
    const fixed: Record<number, Tensor> = {};
    keys.forEach((k, i) => (fixed[k] = Tensor.from('int64', [vs[i].length], vs[i])));
    return { attributes: attrs, fixed, weights: keys.filter((_, i) => asWeight[i]) };
  });
}

/** A data tensor of random rank-2 shape and dtype, followed by the node's fixed inputs 1..count. */
const withFixedInputs = (count: number, dtypes: readonly DType[] = ['float32', 'int64', 'bool'], minRank = 2, maxRank = 2) => (node: KernelRunOptions) =>
  anyTensor(dtypes, minRank, maxRank).map((x) => [x, ...Array.from({ length: count }, (_, i) => fixedOf(node)[i + 1])]);

/** ScatterElements / Scatter: updates of the indices' shape, indices within small data. */
function scatterElementsCase(reductions: readonly string[]): PlannedCase {
  return {
    node: fc.record({ attributes: fc.record({ axis: fc.integer({ min: -1, max: 1 }), reduction: fc.constantFrom(...reductions) }) }),
    inputs: () =>
      fc.tuple(anyTensor(['float32', 'int64'], 2, 2), dim(1, 2), dim(1, 2), seed).map(([x, r, c, v]) => [
        x,
        Tensor.from('int32', [r, c], Array.from({ length: r * c }, (_, i) => ((v + i) % 2) - 1)),
        filled(x.dtype, [r, c], v + 1),
      ]),
  };
}

/** CumSum / CumProd: the axis a scalar weight or activation, flags varied. */
function cumulativeCase(): PlannedCase {
  return {
    node: intsNode({ 1: fc.integer({ min: -2, max: 1 }).map((a) => [a]) }, fc.record({ exclusive: fc.nat(1), reverse: fc.nat(1) })).map((n) => ({ ...n, fixed: { 1: n.fixed[1].reshape([]) } })),
    inputs: withFixedInputs(1, ['float32', 'int32', 'int64'], 1, 3),
  };
}

/** Softmax / LogSoftmax: the axis (some out of range) and the opset (2-D coercion before 13) vary. */
function softmaxCase(): PlannedCase {
  return {
    node: fc.record({ attributes: fc.record({ axis: fc.integer({ min: -2, max: 2 }) }), opset: fc.constantFrom(11, 13) }),
    inputs: () => anyTensor(FLOATS, 0, 4).map((x) => [x]),
  };
}

const CASES: Record<string, PlannedCase> = {
  ':ArgMax': { node: fc.record({ attributes: fc.record({ axis: fc.integer({ min: -1, max: 0 }), keepdims: fc.nat(1), select_last_index: fc.nat(1) }) }), inputs: () => anyTensor(NUMBERS, 1, 4).map((x) => [x]) },
  ':ArgMin': { node: fc.record({ attributes: fc.record({ axis: fc.integer({ min: -1, max: 0 }), keepdims: fc.nat(1) }) }), inputs: () => anyTensor(NUMBERS, 1, 4).map((x) => [x]) },
  ':Softmax': softmaxCase(),
  ':LogSoftmax': softmaxCase(),
  ':Add': binaryCase(NUMBERS),
  ':Sub': binaryCase(NUMBERS),
  ':Mul': binaryCase(NUMBERS),
  ':Div': binaryCase(FLOATS),
  ':Mod': binaryCase(['int32', 'float32']),
  ':Pow': binaryCase(['float32', 'float64', 'int32']),
  ':Where': whereCase(),
  ':Equal': binaryCase(['float32', 'int64', 'bool']),
  ':Less': binaryCase(NUMBERS),
  ':LessOrEqual': binaryCase(NUMBERS),
  ':Greater': binaryCase(NUMBERS),
  ':GreaterOrEqual': binaryCase(NUMBERS),
  ':And': binaryCase(['bool']),
  ':Or': binaryCase(['bool']),
  ':Xor': binaryCase(['bool']),
  ':BitwiseAnd': binaryCase(['int32', 'int64']),
  ':BitwiseOr': binaryCase(['int32', 'int64']),
  ':BitwiseXor': binaryCase(['int32', 'int64']),
  ':BitShift': { node: fc.constantFrom('LEFT', 'RIGHT').map((d) => ({ attributes: { direction: d } })), inputs: () => binaryCase(['uint8', 'uint32']).inputs({}) },
  ':Conv': { node: convNode(false), inputs: convInputs },
  ':ConvTranspose': { node: convNode(true), inputs: convInputs },
  'ai.model-edge:ConvChain': { node: convChainNode, inputs: convChainInputs },
  ':MaxPool': { node: poolNode('MaxPool'), inputs: () => imageInputs(['float32', 'float64']) },
  ':AveragePool': { node: poolNode('AveragePool'), inputs: () => imageInputs(FLOATS) },
  ':GlobalAveragePool': { node: fc.constant({}), inputs: () => anyTensor(FLOATS, 3, 5).map((x) => [x]) },
  ':GlobalMaxPool': { node: fc.constant({}), inputs: () => anyTensor(FLOATS, 3, 5).map((x) => [x]) },
  ':Gemm': {
    node: withWeights(fc.record({ k: dim(1, 5), n: dim(1, 5), transB: fc.nat(1), s: seed }), (n) => ({ 1: filled('float32', n.transB ? [n.n, n.k] : [n.k, n.n], n.s), 2: filled('float32', [n.n], n.s + 1) })).map(
      (n) => ({ ...n, attributes: { transB: n.transB, alpha: 0.5 } as Attributes }),
    ),
    inputs: (node) => {
      const n = node as unknown as { k: number };
      return fc.tuple(dim(1, 9), fc.boolean(), seed).map(([m, c, v]) => [filled('float32', [m, n.k], v), fixedOf(node)[1], c ? fixedOf(node)[2] : undefined]);
    },
  },
  ':MatMul': {
    node: withWeights(fc.record({ k: dim(1, 5), n: dim(1, 5), s: seed }), (n) => ({ 1: filled('float32', [n.k, n.n], n.s) })),
    inputs: (node) => {
      const n = node as unknown as { k: number };
      return fc.tuple(shapeOf(0, 2, 3), dim(1, 9), seed).map(([batch, m, v]) => [filled('float32', [...batch, m, n.k], v), fixedOf(node)[1]]);
    },
  },
  'com.microsoft:FusedMatMul': {
    // the optional bias (what the compiler's MatMul + Add fusion makes) and residual (its residual
    // Add fusion) present on some runs; a GELU or Softmax the compiler folded in on some nodes
    node: withWeights(
      fc.record({ k: dim(1, 5), n: dim(1, 5), transA: fc.nat(1), fused: fc.constantFrom({}, { [FUSED_GELU]: 1 }, { [FUSED_SOFTMAX]: 1 }), s: seed }),
      (n) => ({ 1: filled('float32', [n.n, n.k], n.s), 2: filled('float32', [n.n], n.s + 1) }),
    ).map((n) => ({ ...n, attributes: { transA: n.transA, transB: 1, alpha: 0.5, ...n.fused } as Attributes })),
    inputs: (node) => {
      const n = node as unknown as { k: number; n: number; transA: number };
      return fc.tuple(shapeOf(0, 2, 3), dim(1, 9), fc.boolean(), fc.boolean(), seed).map(([batch, m, withBias, withResidual, v]) => [
        filled('float32', [...batch, ...(n.transA ? [n.k, m] : [m, n.k])], v),
        fixedOf(node)[1],
        withBias ? fixedOf(node)[2] : undefined,
        ...(withResidual ? [filled('float32', [...batch, m, n.n], v + 2)] : []),
      ]);
    },
  },
  'com.microsoft:Attention': {
    node: withWeights(fc.record({ heads: dim(1, 2), size: dim(1, 3), causal: fc.nat(1), present: fc.boolean(), s: seed }), (n) => ({ 1: filled('float32', [n.heads * n.size, 3 * n.heads * n.size], n.s), 2: filled('float32', [3 * n.heads * n.size], n.s + 1) })).map(
      (n) => ({ ...n, attributes: { num_heads: n.heads, unidirectional: n.causal } as Attributes, outputs: n.present ? ['Y', 'present'] : ['Y'] }),
    ),
    inputs: (node) => {
      const n = node as unknown as { heads: number; size: number };
      return fc.tuple(dim(1, 3), dim(1, 4), fc.boolean(), fc.nat(3), seed).map(([b, s, masked, past, v]) => [
        filled('float32', [b, s, n.heads * n.size], v),
        fixedOf(node)[1],
        fixedOf(node)[2],
        masked ? Tensor.from('int32', [b], Array.from({ length: b }, (_, i) => 1 + ((v + i) % s))) : undefined,
        past > 0 ? filled('float32', [2, b, n.heads, past, n.size], v + 1) : undefined,
      ]);
    },
  },
  'com.microsoft:MultiHeadAttention': {
    node: fc.record({ heads: dim(1, 2), causal: fc.nat(1) }).map((n) => ({ ...n, attributes: { num_heads: n.heads, unidirectional: n.causal } as Attributes })),
    inputs: (node) => {
      const n = node as unknown as { heads: number };
      return fc.tuple(dim(1, 2), dim(1, 4), dim(1, 4), dim(1, 3), fc.boolean(), fc.boolean(), seed).map(([b, s, l, size, withBias, headed, v]) => {
        const d = n.heads * size;
        const kv = headed ? [b, n.heads, l, size] : [b, l, d];
        return [filled('float32', [b, s, d], v), filled('float32', kv, v + 1), filled('float32', kv, v + 2), withBias && !headed ? filled('float32', [3 * d], v + 3) : undefined];
      });
    },
  },
  'com.microsoft:MatMulNBits': {
    // K 20 in blocks of 16 (a partial last block), N 3; B, scales and zero points are weights
    node: withWeights(fc.record({ zp: fc.boolean(), s: seed }), (n): Record<number, Tensor> => {
      const fixed: Record<number, Tensor> = { 1: Tensor.from('uint8', [3, 2, 8], Array.from({ length: 48 }, (_, i) => (i * 29 + n.s) & 255)), 2: filled('float32', [6], n.s + 1) };
      if (n.zp) fixed[3] = filled('uint8', [3], n.s + 2);
      return fixed;
    }).map((n) => ({ ...n, attributes: { K: 20, N: 3, bits: 4, block_size: 16 } as Attributes })),
    inputs: (node) => fc.tuple(shapeOf(0, 2, 3), seed).map(([batch, v]) => [filled('float32', [...batch, 20], v), fixedOf(node)[1], fixedOf(node)[2], fixedOf(node)[3]]),
  },
  'com.microsoft:FusedConv': { node: convNode(false).map((n) => ({ ...n, attributes: { ...n.attributes, activation: 'LeakyRelu', activation_params: [0.5] } as Attributes })), inputs: convInputs },
  'com.microsoft:RotaryEmbedding': {
    node: fc.constant({ attributes: { num_heads: 2 } as Attributes, fixed: { 2: filled('float32', [8, 2], 3), 3: filled('float32', [8, 2], 4) }, weights: [2, 3] }),
    inputs: (node) =>
      fc.tuple(dim(1, 3), dim(1, 4), fc.boolean(), seed).map(([b, s, offset, v]) => [
        filled('float32', [b, s, 8], v),
        offset ? Tensor.from('int64', [1], [v % 4]) : Tensor.from('int64', [b, s], Array.from({ length: b * s }, (_, i) => (i + v) % 8)),
        fixedOf(node)[2],
        fixedOf(node)[3],
      ]),
  },
  'com.microsoft:QLinearAdd': qLinearBinaryCase(),
  'com.microsoft:QLinearMul': qLinearBinaryCase(),
  ':RNN': { node: recurrentNode(1), inputs: recurrentInputs },
  ':GRU': { node: recurrentNode(3), inputs: recurrentInputs },
  ':LSTM': { node: recurrentNode(4), inputs: recurrentInputs },
  ':Reshape': {
    // the target [0, -1] as a weight (planned) or as an activation (read every run)
    node: fc.boolean().map((asWeight) => ({ fixed: { 1: Tensor.from('int64', [2], [0, -1]) }, weights: asWeight ? [1] : [] })),
    inputs: (node) => anyTensor(NUMBERS, 1, 4).map((x) => [x, fixedOf(node)[1]]),
  },
  ':Resize': {
    // scales as a weight (planned: shape and nearest maps once) or as an activation (per run)
    node: fc.tuple(fc.constantFrom('nearest', 'linear', 'cubic'), fc.constantFrom(0.5, 1.5, 2), fc.boolean()).map(([mode, s, asWeight]) => ({
      attributes: { mode } as Attributes,
      fixed: { 2: Tensor.from('float32', [4], [1, 1, s, s]) },
      weights: asWeight ? [2] : [],
    })),
    inputs: (node) =>
      fc.tuple(fc.constantFrom<DType>('float32', 'float64', 'int32'), dim(1, 2), dim(1, 3), dim(1, 6), dim(1, 6), seed).map(([d, n, c, h, w, v]) => [filled(d, [n, c, h, w], v), undefined, fixedOf(node)[2]]),
  },
  ':Transpose': {
    node: fc.integer({ min: 1, max: 4 }).chain((rank) => fc.option(fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank }), { nil: undefined }).map((perm) => ({ rank, attributes: (perm ? { perm } : {}) as Attributes }))),
    inputs: (node) => anyTensor(['float32', 'int64', 'bool', 'string'], (node as unknown as { rank: number }).rank, (node as unknown as { rank: number }).rank).map((x) => [x]),
  },
  ':Concat': {
    node: fc.record({ attributes: fc.record({ axis: fc.integer({ min: -2, max: 1 }) }) }),
    inputs: () =>
      fc.tuple(fc.constantFrom<DType>('float32', 'int64', 'string'), shapeOf(2, 2), fc.array(dim(0, 3), { minLength: 1, maxLength: 3 }), fc.nat(1), seed).map(([d, shape, sizes, axis, v]) =>
        sizes.map((n, i) => filled(d, shape.map((x, k) => (k === axis ? n : x)), v + i)),
      ),
  },
  ':Split': {
    // sizes [1, 2] as a weight or an activation, or no sizes (an even split)
    node: fc.tuple(intsNode({ 1: fc.constant([1, 2]) }, fc.record({ axis: fc.integer({ min: -1, max: 1 }) })), fc.boolean()).map(([n, sized]) => ({ ...n, sized, outputs: 2 })),
    inputs: (node) => fc.tuple(fc.constantFrom<DType>('float32', 'int64'), shapeOf(2, 2, 4), seed).map(([d, shape, v]) => [filled(d, shape, v), (node as unknown as { sized: boolean }).sized ? fixedOf(node)[1] : undefined]),
  },
  ':Gather': {
    node: intsNode({ 1: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 1, maxLength: 3 }) }, fc.record({ axis: fc.integer({ min: -1, max: 1 }) })),
    inputs: withFixedInputs(1, ['float32', 'int64', 'string']),
  },
  ':GatherElements': {
    // indices [2, 2] as a weight or an activation, over data of changing shapes
    node: intsNode({ 1: fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 4, maxLength: 4 }) }, fc.record({ axis: fc.integer({ min: -1, max: 1 }) })).map((n) => ({ ...n, fixed: { 1: n.fixed[1].reshape([2, 2]) } })),
    inputs: withFixedInputs(1, FLOATS),
  },
  ':Slice': {
    node: intsNode({
      1: fc.tuple(fc.integer({ min: -3, max: 2 }), fc.integer({ min: -3, max: 2 })),
      2: fc.tuple(fc.integer({ min: -2, max: 5 }), fc.constantFrom(-1, 9, 1 << 30)),
      3: fc.constantFrom([0, 1], [1, 0], [-1, 0]),
      4: fc.tuple(fc.constantFrom(1, 2, -1), fc.constantFrom(1, -2)),
    }),
    inputs: withFixedInputs(4),
  },
  ':Expand': {
    node: intsNode({ 1: fc.constantFrom([2, 1, 3], [3], [2, 1], [1, 1, 1]) }),
    inputs: (node) => fc.tuple(fc.constantFrom([3], [1], [1, 3], [2, 1, 1], [4], []), fc.constantFrom<DType>('float32', 'bool'), seed).map(([shape, d, v]) => [filled(d, shape, v), fixedOf(node)[1]]),
  },
  ':Tile': { node: intsNode({ 1: fc.tuple(dim(0, 3), dim(1, 3)) }), inputs: withFixedInputs(1, ['float32', 'int64', 'string'], 1, 3) },
  ':Pad': {
    node: intsNode({ 1: fc.tuple(fc.integer({ min: -1, max: 2 }), fc.nat(2), fc.nat(2), fc.integer({ min: -1, max: 2 })) }, fc.record({ mode: fc.constantFrom('constant', 'reflect', 'edge', 'wrap') })),
    inputs: (node) => fc.tuple(anyTensor(['float32', 'int64'], 2, 2), fc.boolean()).map(([x, constant]) => [x, fixedOf(node)[1], constant ? Tensor.from(x.dtype, [], [3]) : undefined]),
  },
  ':Squeeze': {
    node: fc.tuple(intsNode({ 1: fc.constantFrom([0], [-1], [0, 2]) }), fc.boolean()).map(([n, all]) => ({ ...n, all })),
    inputs: (node) => fc.tuple(fc.constantFrom([1, 3, 1], [1, 2], [2, 1], [1, 1, 1]), seed).map(([shape, v]) => [filled('float32', shape, v), (node as unknown as { all: boolean }).all ? undefined : fixedOf(node)[1]]),
  },
  ':Unsqueeze': { node: intsNode({ 1: fc.constantFrom([0], [-1], [0, 2]) }), inputs: withFixedInputs(1, ['float32', 'string'], 0, 3) },
  ':Upsample': {
    // opset 9 takes the scales as input 1 (a weight or an activation), opset 8 as an attribute
    node: fc.tuple(fc.constantFrom('nearest', 'linear'), fc.constantFrom(0.5, 1, 2, 3), fc.boolean(), fc.boolean()).map(([mode, scale, asWeight, asAttribute]) => {
      const scales = [1, 1, scale, scale];
      return asAttribute
        ? { attributes: { mode, scales: scales.map((x) => Math.max(x, 1)) } as Attributes, opset: 8, asAttribute }
        : { attributes: { mode } as Attributes, opset: 9, fixed: { 1: Tensor.from('float32', [4], scales) }, weights: asWeight ? [1] : [], asAttribute };
    }),
    inputs: (node) =>
      fc.tuple(fc.constantFrom<DType>('float32', 'int32'), dim(1, 2), dim(1, 3), dim(1, 5), dim(1, 5), seed).map(([d, n, c, h, w, v]) => {
        const x = filled(d, [n, c, h, w], v);
        return (node as unknown as { asAttribute: boolean }).asAttribute ? [x] : [x, fixedOf(node)[1]];
      }),
  },
  ':DepthToSpace': {
    node: fc.record({ attributes: fc.record({ blocksize: dim(1, 2), mode: fc.constantFrom('DCR', 'CRD') }) }),
    inputs: () => fc.tuple(fc.constantFrom<DType>('float32', 'int64'), dim(1, 2), fc.constantFrom(1, 2, 4, 8), dim(1, 3), dim(1, 3), seed).map(([d, n, c, h, w, v]) => [filled(d, [n, c, h, w], v)]),
  },
  ':SpaceToDepth': {
    node: fc.record({ attributes: fc.record({ blocksize: dim(1, 2) }) }),
    inputs: () => fc.tuple(fc.constantFrom<DType>('float32', 'bool'), dim(1, 2), dim(1, 3), fc.constantFrom(2, 3, 4), fc.constantFrom(2, 4, 5), seed).map(([d, n, c, h, w, v]) => [filled(d, [n, c, h, w], v)]),
  },
  ':Trilu': {
    node: fc.tuple(intsNode({ 1: fc.integer({ min: -2, max: 2 }).map((k) => [k]) }, fc.record({ upper: fc.nat(1) })), fc.boolean()).map(([n, withK]) => ({ ...n, fixed: { 1: n.fixed[1].reshape([]) }, withK })),
    inputs: (node) => anyTensor(['float32', 'int64', 'string'], 2, 4).map((x) => [x, (node as unknown as { withK: boolean }).withK ? fixedOf(node)[1] : undefined]),
  },
  ':ScatterElements': scatterElementsCase(['none', 'add', 'max']),
  ':Scatter': scatterElementsCase(['none']),
  ':GatherND': {
    // indices [2, 1] or [2, 2] into data of changing shapes, with batch_dims 0 or 1
    node: fc.record({ attributes: fc.record({ batch_dims: fc.nat(1) }) }),
    inputs: () =>
      fc.tuple(anyTensor(['float32', 'int64'], 2, 3), fc.constantFrom(1, 2), seed).map(([x, k, v]) => [x, Tensor.from('int64', [2, k], Array.from({ length: 2 * k }, (_, i) => ((v + i) % 3) - 1))]),
  },
  ':ScatterND': {
    node: fc.record({ attributes: fc.record({ reduction: fc.constantFrom('none', 'add', 'mul') }) }),
    inputs: () =>
      fc.tuple(anyTensor(['float32', 'int32'], 1, 3), fc.constantFrom(1, 2), seed).map(([x, k, v]) => {
        const slice = x.shape.slice(k);
        return [x, Tensor.from('int64', [2, k], Array.from({ length: 2 * k }, (_, i) => ((v + i) % 3) - 1)), filled(x.dtype, [2, ...slice], v + 1)];
      }),
  },
  ':TopK': {
    node: intsNode({ 1: fc.constantFrom([0], [1], [2], [3]) }, fc.record({ axis: fc.integer({ min: -1, max: 0 }), largest: fc.nat(1) })),
    inputs: withFixedInputs(1, ['float32', 'int64', 'int32'], 1, 3),
  },
  ':CumSum': cumulativeCase(),
  ':CumProd': cumulativeCase(),
  ':EyeLike': {
    node: fc.record({ attributes: fc.record({ k: fc.integer({ min: -2, max: 2 }), dtype: fc.constantFrom(1, 7, 9) }, { requiredKeys: ['k'] }) }),
    inputs: () => anyTensor(['float32', 'int32', 'string'], 1, 3).map((x) => [x]),
  },
  ':ReverseSequence': {
    node: fc.constantFrom({ batch_axis: 1, time_axis: 0 }, { batch_axis: 0, time_axis: 1 }).map((attributes) => ({ attributes: attributes as Attributes })),
    inputs: (node) =>
      fc.tuple(anyTensor(['float32', 'string'], 2, 3), seed).map(([x, v]) => {
        const batch = x.shape[(node.attributes as { batch_axis: number }).batch_axis] ?? 1;
        const time = x.shape[(node.attributes as { time_axis: number }).time_axis] ?? 1;
        return [x, Tensor.from('int64', [batch], Array.from({ length: batch }, (_, i) => (v + i) % (time + 1)))];
      }),
  },
  ':OneHot': {
    node: intsNode({ 1: fc.constantFrom([3], [1], [0]) }, fc.record({ axis: fc.integer({ min: -2, max: 1 }) })).map((n) => ({ ...n, fixed: { 1: n.fixed[1].reshape([]), 2: Tensor.from('float32', [2], [0.5, 2]) } })),
    inputs: (node) => fc.tuple(anyTensor(['int64', 'int32', 'float32'], 0, 2)).map(([x]) => [x, fixedOf(node)[1], fixedOf(node)[2]]),
  },
  ':Flatten': { node: fc.record({ attributes: fc.record({ axis: fc.integer({ min: 0, max: 1 }) }) }), inputs: () => anyTensor(['float32', 'int64', 'bool'], 1, 4).map((x) => [x]) },
  'ai.onnx.ml:TreeEnsembleRegressor': {
    node: seed.map((s) => {
      const { w, ...nodes } = treeLists(s, FEATURES, 2);
      return { attributes: { ...nodes, n_targets: 2, target_treeids: w.w_treeids, target_nodeids: w.w_nodeids, target_ids: w.w_ids, target_weights: w.w_weights } as Attributes };
    }),
    inputs: () => treeRows(['float32', 'float64', 'int64']),
  },
  'ai.onnx.ml:TreeEnsembleClassifier': {
    node: fc.tuple(seed, fc.boolean()).map(([s, strings]) => {
      const { w, ...nodes } = treeLists(s, FEATURES, 3);
      const labels: Attributes = strings ? { classlabels_strings: ['a', 'b', 'c'] } : { classlabels_int64s: [5, 6, 7] };
      return { outputs: 2, attributes: { ...nodes, ...labels, class_treeids: w.w_treeids, class_nodeids: w.w_nodeids, class_ids: w.w_ids, class_weights: w.w_weights } as Attributes };
    }),
    inputs: () => treeRows(['float32', 'float64', 'int32']),
  },
  'ai.onnx.ml:TreeEnsemble': {
    node: fc.tuple(fc.constantFrom('float32' as const, 'float64' as const), seed).map(([d, s]) => ({ attributes: treeEnsembleV5(d, s), opset: 5 })),
    inputs: () => treeRows(FLOATS),
  },
  'ai.onnx.ml:ZipMap': {
    node: fc.constant({ attributes: { classlabels_strings: ['x', 'y', 'z'] } as Attributes }),
    inputs: () => fc.tuple(dim(1, 6), fc.boolean(), fc.constantFrom<DType>('float32', 'float32', 'float64'), seed).map(([n, flat, d, v]) => [filled(d, flat ? [3] : [n, 3], v)]),
  },
};

/** What a run produced, copied out at once (the replayed node's buffers change on its next run). */
function snapshot(run: () => Tensor[]): unknown {
  try {
    return run().map((t) => ({
      dtype: t.dtype,
      shape: [...t.shape],
      data: Array.from(t.data as ArrayLike<unknown>),
      keys: t instanceof MapRowsTensor ? [...t.keys] : undefined,
    }));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function kernelOf(key: string): AnyKernel {
  const [domain, op] = key.split(':');
  return findKernel(domain, op)!;
}

describe('the planned-kernel cases', () => {
  it('cover every kernel that plans', () => {
    const planned = supportedOps().filter((key) => kernelOf(key).plan !== undefined);
    expect(planned.filter((key) => !(key in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((key) => !planned.includes(key))).toEqual([]);
  });
});

describe.each([
  ['JavaScript kernels', false],
  ['WebAssembly kernels', true],
])('planned kernels replayed with changing shapes and dtypes equal fresh runs (%s)', (_label, wasm) => {
  beforeAll(() => (wasm ? installWasmKernels() : useWasmKernels(null)));
  afterAll(() => useWasmKernels(null));

  it.each(Object.keys(CASES))('%s', (key) => {
    const k = kernelOf(key);
    const c = CASES[key];
    const scenario = c.node.chain((node) => fc.tuple(fc.constant(node), fc.array(c.inputs(node), { minLength: 2, maxLength: 6 })));
    fc.assert(
      fc.property(scenario, ([node, runs]) => {
        const inputCount = Math.max(...runs.map((r) => r.length));
        const replay = new KernelReplay(k, inputCount, node);
        // then new tensors with the last run's signature (the steady state: the plan is reused for
        // other inputs), the same tensors again, and back to the first signature
        const last = runs[runs.length - 1];
        const refilled = last.map((t, i) => (t === undefined || node.weights?.includes(i) ? t : filled(t.dtype, t.shape, 99 + i)));
        const sequence = [...runs, refilled, refilled, runs[0]];
        for (const inputs of sequence) {
          const padded = Array.from({ length: inputCount }, (_, i) => inputs[i]);
          expect(snapshot(() => replay.run(padded))).toEqual(snapshot(() => runKernel(k, padded, node)));
        }
      }),
      { numRuns: 25, seed: 20261206 },
    );
  });

  it.each(Object.keys(CASES))('%s: the outputs its plan states are the outputs it produces', (key) => {
    const k = kernelOf(key);
    const c = CASES[key];
    const samples = fc.sample(c.node.chain((node) => fc.tuple(fc.constant(node), c.inputs(node))), { numRuns: 40, seed: 11 });
    for (const [node, inputs] of samples) {
      const replay = new KernelReplay(k, inputs.length, node);
      let produced: Tensor[];
      try {
        produced = replay.run(inputs);
      } catch {
        continue;
      }
      const stated = replay.statedOutputs(inputs);
      if (stated === undefined) continue;
      expect(stated.map((o) => ({ dtype: o.dtype, shape: [...o.shape] }))).toEqual(produced.map((t) => ({ dtype: t.dtype, shape: [...t.shape] })));
      // a stated output is a buffer the node owns, never a view of an input
      for (const t of produced) expect(inputs.some((x) => x !== undefined && x.data === t.data)).toBe(false);
    }
  });

  it('each case produces outputs, not only errors', () => {
    for (const key of Object.keys(CASES)) {
      const k = kernelOf(key);
      const c = CASES[key];
      const samples = fc.sample(c.node.chain((node) => fc.tuple(fc.constant(node), fc.array(c.inputs(node), { minLength: 3, maxLength: 3 }))), { numRuns: 30, seed: 7 });
      const ok = samples.some(([node, runs]) => runs.some((inputs) => Array.isArray(snapshot(() => runKernel(k, inputs, node)))));
      if (!ok) throw new Error(`${key}: no generated run succeeded; the case exercises errors only`);
    }
  });
});
