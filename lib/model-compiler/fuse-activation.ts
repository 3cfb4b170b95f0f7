/**
 * Activation fusion: a Relu or a constant-bounded Clip that is the only reader of a Conv's, a
 * Gemm's or a FusedMatMul's output (the compiler makes MatMul + bias into FusedMatMul, see
 * fuse-matmul.ts) is folded into that producer, which applies it as a clamp in its GEMM epilogue
 * (worker/runtime/kernels/common/fused-activation.ts). That saves a full pass over the activations —
 * Conv -> Relu and Gemm -> Relu are the backbone of most CNNs and MLPs. The result is the same
 * value for value: max(0, x) and min(max(x, lo), hi) computed in the epilogue instead.
 *
 * The exact GELU (com.microsoft Gelu, which fuse-gelu.ts makes of the erf pattern, or ai.onnx Gelu
 * with approximate="none") folds into a FusedMatMul, a transformer's FFN expansion, and so does a
 * Softmax over the last axis (opset 13 on) after a FusedMatMul, attention's scaled scores: the GEMM
 * applies them to its output before copying it out, with the float32 loops of the Gelu and Softmax
 * kernels, bit for bit.
 */
import type { Graph, Model, Node } from '../../worker/runtime/graph';
import { FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX } from '../../worker/runtime/kernels/common/fused-activation';
import { MICROSOFT_DOMAIN } from '../../worker/runtime/kernels/common/microsoft-domain';
import { opsetOf } from './check';
import { nodeReads } from './graph-utils';

/** Producers by domain: ai.onnx Conv and Gemm, com.microsoft FusedMatMul. */
const PRODUCERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['', new Set(['Conv', 'Gemm'])],
  [MICROSOFT_DOMAIN, new Set(['FusedMatMul'])],
]);

export interface FuseStats {
  fusedActivations: number;
}

export function fuseActivations(model: Model, stats: FuseStats): Model {
  const graph = model.graph;
  const opset = opsetOf(model, '');
  const readers = new Map<string, number>();
  for (const n of graph.nodes) for (const r of nodeReads(n)) readers.set(r, (readers.get(r) ?? 0) + 1);
  for (const o of graph.outputs) readers.set(o.name, (readers.get(o.name) ?? 0) + 1);
  const producerOf = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => o && producerOf.set(o, i)));

  const nodes: Array<Node | null> = graph.nodes.slice();
  graph.nodes.forEach((activation, i) => {
    const input = activation.inputs[0];
    const p = producerOf.get(input);
    if (p === undefined || readers.get(input) !== 1) return;
    const producer = nodes[p];
    if (!producer || !PRODUCERS.get(producer.domain)?.has(producer.op) || producer.outputs.length !== 1) return;
    // one activation per epilogue
    if ([FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX].some((a) => producer.attributes[a] !== undefined)) return;
    const folded = foldedAttribute(activation, producer, graph, opset);
    if (!folded) return;
    nodes[p] = { ...producer, outputs: [activation.outputs[0]], attributes: { ...producer.attributes, ...folded } };
    nodes[i] = null;
    stats.fusedActivations++;
  });
  if (!nodes.includes(null)) return model;
  return { ...model, graph: { ...graph, nodes: nodes.filter((n): n is Node => n !== null) } };
}

/** The attribute that makes `producer`'s epilogue apply `activation`; undefined when it cannot. */
function foldedAttribute(activation: Node, producer: Node, graph: Graph, opset: number): Record<string, number | number[]> | undefined {
  const fusedMatMul = producer.domain === MICROSOFT_DOMAIN && producer.op === 'FusedMatMul';
  if (isExactGelu(activation, opset)) return fusedMatMul ? { [FUSED_GELU]: 1 } : undefined;
  if (isLastAxisSoftmax(activation, opset)) return fusedMatMul ? { [FUSED_SOFTMAX]: 1 } : undefined;
  const bounds = clipBounds(activation, graph, opset);
  return bounds ? { [FUSED_CLIP]: bounds } : undefined;
}

/** com.microsoft Gelu (without a bias), or ai.onnx Gelu (opset 20) with approximate="none". */
function isExactGelu(node: Node, opset: number): boolean {
  if (node.op !== 'Gelu' || node.outputs.length !== 1 || node.inputs.filter((i) => i).length !== 1) return false;
  if (node.domain === MICROSOFT_DOMAIN) return true;
  return node.domain === '' && opset >= 20 && (node.attributes.approximate ?? 'none') === 'none';
}

/** ai.onnx Softmax over the last axis alone: opset 13 on (before, it normalised flattened trailing axes). */
function isLastAxisSoftmax(node: Node, opset: number): boolean {
  return node.op === 'Softmax' && node.domain === '' && node.outputs.length === 1 && opset >= 13 && (node.attributes.axis ?? -1) === -1;
}

/** [min, max] of a Relu or a Clip whose bounds are known now; undefined for anything else. */
function clipBounds(node: Node, graph: Graph, opset: number): [number, number] | undefined {
  if (node.domain !== '' || node.outputs.length !== 1) return undefined;
  if (node.op === 'Relu') return [0, Infinity];
  if (node.op !== 'Clip') return undefined;
  if (opset < 11) {
    const min = node.attributes.min;
    const max = node.attributes.max;
    // Before opset 11 the defaults are the float range, which a float32 clamp cannot exceed.
    return [typeof min === 'number' ? min : -Infinity, typeof max === 'number' ? max : Infinity];
  }
  const bound = (name: string | undefined, fallback: number): number | undefined => {
    if (!name) return fallback;
    const t = graph.initializers.get(name);
    if (!t || t.size !== 1 || (t.dtype !== 'float32' && t.dtype !== 'float64')) return undefined;
    return Number(t.data[0]);
  };
  const min = bound(node.inputs[1], -Infinity);
  const max = bound(node.inputs[2], Infinity);
  if (min === undefined || max === undefined || Number.isNaN(min) || Number.isNaN(max) || min > max) return undefined;
  return [min, max];
}
