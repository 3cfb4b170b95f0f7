/**
 * MatMul epilogue fusion at synth time. A float32 MatMul whose only reader scales it by a rank-0
 * constant (Mul(P, s), Mul(s, P) or Div(P, s): the attention scores' 1/sqrt(d)) and/or then adds a
 * 1-D constant bias over the last axis (Add(P, b) or Add(b, P), b of B's column count, B a 2-D
 * weight: every linear layer of a transformer) becomes one com.microsoft FusedMatMul with
 * alpha = s (1/s for Div) and the bias as its third input. The GEMM applies both in its epilogue
 * (alpha * A B + bias), saving one or two full passes over the product. Multiplying by 1/s instead
 * of dividing by s can differ in the last bit; everything else is the same arithmetic.
 */
import type { Graph, Model, Node } from '../../worker/runtime/graph';
import { MICROSOFT_DOMAIN } from '../../worker/runtime/kernels/common/microsoft-domain';
import { isOp, onlyConsumer, otherInput, spliceFused, usesOf, type Uses } from './fuse-patterns';

export interface MatMulFuseStats {
  scaledMatMuls: number;
  biasedMatMuls: number;
}

/** The value of a rank-0 float32 constant. */
function float32Scalar(graph: Graph, name: string | undefined): number | undefined {
  const t = name === undefined ? undefined : graph.initializers.get(name);
  return t && t.rank === 0 && t.dtype === 'float32' ? (t.data as Float32Array)[0] : undefined;
}

/** alpha, when `node` scales `value` by a finite non-zero rank-0 float32 constant. */
function scaleOf(graph: Graph, node: Node, value: string): number | undefined {
  if (node.inputs.length !== 2 || node.domain !== '') return undefined;
  if (node.op === 'Mul') {
    const s = float32Scalar(graph, otherInput(node, value));
    return s !== undefined && Number.isFinite(s) ? s : undefined;
  }
  if (node.op === 'Div' && node.inputs[0] === value && node.inputs[1] !== value) {
    const s = float32Scalar(graph, node.inputs[1]);
    return s !== undefined && Number.isFinite(s) && s !== 0 ? Math.fround(1 / s) : undefined;
  }
  return undefined;
}

/** The bias name, when `node` adds a 1-D float32 constant of B's column count to `value`. */
function biasOf(graph: Graph, node: Node, value: string, weight: string): string | undefined {
  if (!isOp(node, 'Add')) return undefined;
  const bias = otherInput(node, value);
  const b = bias === undefined || bias === value ? undefined : graph.initializers.get(bias);
  const w = graph.initializers.get(weight);
  if (!b || !w || b.dtype !== 'float32' || w.dtype !== 'float32' || b.rank !== 1 || w.rank !== 2 || b.shape[0] !== w.shape[1]) return undefined;
  return bias;
}

interface MatMulMatch {
  readonly nodes: Node[];
  readonly alpha: number;
  readonly bias: string | undefined;
  readonly output: string;
}

function matchEpilogue(graph: Graph, uses: Uses, matmul: Node): MatMulMatch | undefined {
  if (matmul.inputs.length !== 2 || matmul.outputs.length !== 1) return undefined;
  const nodes = [matmul];
  let output = matmul.outputs[0];
  let alpha = 1;
  let next = onlyConsumer(uses, output);
  const s = next ? scaleOf(graph, next, output) : undefined;
  if (next && s !== undefined) {
    nodes.push(next);
    alpha = s;
    output = next.outputs[0];
    next = onlyConsumer(uses, output);
  }
  const bias = next ? biasOf(graph, next, output, matmul.inputs[1]) : undefined;
  if (next && bias !== undefined) {
    nodes.push(next);
    output = next.outputs[0];
  }
  return nodes.length > 1 ? { nodes, alpha, bias, output } : undefined;
}

/** Folds scales and biases into the MatMuls of the root graph. */
export function fuseMatMulEpilogues(model: Model, stats: MatMulFuseStats = { scaledMatMuls: 0, biasedMatMuls: 0 }): Model {
  const graph = model.graph;
  const uses = usesOf(graph);
  const replaced = new Set<Node>();
  const fusedAt = new Map<Node, Node>();
  for (const node of graph.nodes) {
    if (!isOp(node, 'MatMul')) continue;
    const m = matchEpilogue(graph, uses, node);
    if (!m) continue;
    const last = m.nodes[m.nodes.length - 1];
    fusedAt.set(last, {
      op: 'FusedMatMul',
      domain: MICROSOFT_DOMAIN,
      name: node.name || `${m.output}::matmul`,
      inputs: m.bias === undefined ? [node.inputs[0], node.inputs[1]] : [node.inputs[0], node.inputs[1], m.bias],
      outputs: [m.output],
      attributes: { alpha: m.alpha },
    });
    for (const n of m.nodes) replaced.add(n);
    if (m.alpha !== 1) stats.scaledMatMuls++;
    if (m.bias !== undefined) stats.biasedMatMuls++;
  }
  if (replaced.size === 0) return model;
  return { ...model, graph: { ...graph, nodes: spliceFused(graph, replaced, fusedAt) } };
}
