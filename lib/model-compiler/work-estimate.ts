/**
 * The element operations a node will cost, estimated from its inputs before its kernel runs, so
 * that the compile budget can refuse one huge MatMul or Conv instead of waiting for it. Linear ops
 * cost the elements they read; ops that multiply their inputs' sizes (contractions, windows,
 * recurrences, pairwise comparisons) are estimated from the shapes that make them expensive. An
 * estimate, not a count: it errs high for strided windows and low for nothing that matters.
 */
import type { Node } from '../../worker/runtime/graph';
import type { Tensor } from '../../worker/runtime/tensor';

type Inputs = ReadonlyArray<Tensor | undefined>;

const last = (t: Tensor | undefined): number => (t && t.rank > 0 ? t.shape[t.rank - 1] : 1);
const intsAttr = (node: Node, name: string): number[] => {
  const v = node.attributes[name];
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : [];
};
const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * Math.max(b, 1), 1);

/** Elements of `x` with its spatial dimensions (2 onward) grown by the node's pads. */
function paddedSize(node: Node, x: Tensor): number {
  const pads = intsAttr(node, 'pads');
  const spatial = x.rank - 2;
  let n = x.rank >= 2 ? x.shape[0] * x.shape[1] : x.size;
  for (let i = 0; i < spatial; i++) n *= x.shape[2 + i] + Math.max(pads[i] ?? 0, 0) + Math.max(pads[i + spatial] ?? 0, 0);
  return n;
}

/** The extent product of an Einsum's distinct index letters (each letter loops once). */
function einsumOps(node: Node, inputs: Inputs): number {
  const equation = String(node.attributes.equation ?? '').replace(/\s/g, '');
  const terms = equation.split('->')[0].split(',');
  const extents = new Map<string, number>();
  let ellipsis = 1;
  terms.forEach((term, k) => {
    const t = inputs[k];
    if (!t) return;
    const [before, after] = term.includes('...') ? term.split('...') : [term, undefined];
    const letters = after === undefined ? [...before] : [...before, ...after];
    const covered = t.rank - letters.length;
    if (after !== undefined) ellipsis = Math.max(ellipsis, product(t.shape.slice(before.length, before.length + covered)));
    [...before].forEach((c, i) => extents.set(c, Math.max(extents.get(c) ?? 1, t.shape[i] ?? 1)));
    if (after !== undefined) [...after].forEach((c, i) => extents.set(c, Math.max(extents.get(c) ?? 1, t.shape[before.length + covered + i] ?? 1)));
  });
  return product([...extents.values()]) * ellipsis;
}

export function estimateElementOps(node: Node, inputs: Inputs): number {
  let read = 0;
  for (const t of inputs) if (t) read += t.size;
  const [a, b] = inputs;
  switch (node.op) {
    case 'MatMul':
    case 'MatMulInteger':
    case 'FusedMatMul':
      return read + (a ? a.size * last(b) : 0);
    case 'QLinearMatMul':
      return read + (a ? a.size * last(inputs[3]) : 0);
    case 'Gemm': {
      if (!a || !b) return read;
      const k = node.attributes.transA ? a.shape[0] : last(a);
      return read + (a.size * b.size) / Math.max(k, 1);
    }
    case 'Conv':
    case 'ConvInteger':
      return a && b ? read + (paddedSize(node, a) / Math.max(a.shape[1] ?? 1, 1)) * b.size : read;
    case 'QLinearConv': {
      const w = inputs[3];
      return a && w ? read + (paddedSize(node, a) / Math.max(a.shape[1] ?? 1, 1)) * w.size : read;
    }
    case 'ConvTranspose':
      return a && b ? read + (a.size * b.size) / Math.max(b.shape[0] ?? 1, 1) : read;
    case 'MaxPool':
    case 'AveragePool':
    case 'LpPool':
      return a ? read + paddedSize(node, a) * product(intsAttr(node, 'kernel_shape')) : read;
    case 'LRN':
      return read * Math.max(Number(node.attributes.size ?? 1), 1);
    case 'Einsum':
      return read + einsumOps(node, inputs);
    case 'RNN':
    case 'GRU':
    case 'LSTM':
      // every time step and batch row multiplies by the input and recurrent weights
      return a && b ? read + (a.size / Math.max(last(a), 1)) * (b.size + (inputs[2]?.size ?? 0)) : read;
    case 'Attention': {
      const k = inputs[1];
      const keys = k ? (k.rank === 4 ? k.shape[2] : (k.shape[1] ?? 1)) : 1;
      return read + (a ? 2 * a.size * keys : 0);
    }
    case 'Det':
      return read + (a ? a.size * last(a) : 0);
    case 'NonMaxSuppression':
      return read + (a ? a.size * (a.shape[1] ?? 1) * Math.max(b ? b.shape[1] ?? 1 : 1, 1) : 0);
    case 'TopK':
    case 'Unique':
      return read * Math.max(Math.ceil(Math.log2(read + 1)), 1);
    default: {
      // ML operators (trees, SVMs, linear models) visit their attribute arrays once per input row
      if (node.domain === 'ai.onnx.ml' && a) {
        let params = 0;
        for (const v of Object.values(node.attributes)) if (Array.isArray(v)) params += v.length;
        return read + (a.rank > 0 ? a.shape[0] : 1) * params;
      }
      return read;
    }
  }
}
