/**
 * GELU fusion at synth time: the exact GELU as PyTorch exports it,
 *   e = Erf(Div(x, sqrt 2))  (or Erf(Mul(x, 1/sqrt 2)))
 *   y = Mul(Mul(x, Add(e, 1)), 0.5)  or  Mul(x, Mul(Add(e, 1), 0.5))  or  Mul(Mul(x, 0.5), Add(e, 1))
 * with the operands of each Add and Mul in either order, becomes one com.microsoft Gelu node
 * (contrib/gelu.ts): one pass over the activations instead of five. Only exact matches fuse: the
 * constants are rank-0 (so they broadcast without changing the shape), 1 and 0.5 exactly and
 * sqrt 2 to float32 precision, and every intermediate value is read only inside the pattern and is
 * not a graph output.
 */
import type { Graph, Model, Node } from '../../worker/runtime/graph';
import { MICROSOFT_DOMAIN } from '../../worker/runtime/kernels/common/microsoft-domain';
import { isOp, onlyConsumer, otherInput, rank0Constant, spliceFused, usesOf, type Uses } from './fuse-patterns';

export interface GeluFuseStats {
  gelus: number;
}

/** Within float32 rounding of the exact constant. */
function near(value: number | undefined, exact: number): boolean {
  return value !== undefined && Math.abs(value - exact) <= 1e-6 * exact;
}

function isConstant(graph: Graph, name: string | undefined, exact: number): boolean {
  return name !== undefined && (exact === 1 || exact === 0.5 ? rank0Constant(graph, name) === exact : near(rank0Constant(graph, name), exact));
}

interface GeluMatch {
  /** every node the fused node replaces; the last one is where it goes */
  readonly nodes: Node[];
  readonly x: string;
  readonly output: string;
}

/** The Erf's input x, when the Erf reads Div(x, sqrt 2) or Mul(x, 1/sqrt 2) (the scale in either order for Mul). */
function scaledInput(graph: Graph, uses: Uses, erf: Node, producers: Map<string, Node>): { x: string; scale: Node } | undefined {
  const scale = producers.get(erf.inputs[0]);
  if (!scale || onlyConsumer(uses, erf.inputs[0]) !== erf) return undefined;
  if (isOp(scale, 'Div') && scale.inputs.length === 2 && isConstant(graph, scale.inputs[1], Math.SQRT2)) return { x: scale.inputs[0], scale };
  if (!isOp(scale, 'Mul') || scale.inputs.length !== 2) return undefined;
  if (isConstant(graph, scale.inputs[1], Math.SQRT1_2)) return { x: scale.inputs[0], scale };
  if (isConstant(graph, scale.inputs[0], Math.SQRT1_2)) return { x: scale.inputs[1], scale };
  return undefined;
}

function matchGelu(graph: Graph, uses: Uses, erf: Node, producers: Map<string, Node>): GeluMatch | undefined {
  const scaled = scaledInput(graph, uses, erf, producers);
  if (!scaled) return undefined;
  const { x } = scaled;
  const add = onlyConsumer(uses, erf.outputs[0]);
  if (!isOp(add, 'Add') || !isConstant(graph, otherInput(add, erf.outputs[0]), 1)) return undefined;
  const a = add.outputs[0];
  const next = onlyConsumer(uses, a);
  if (!isOp(next, 'Mul')) return undefined;
  const partner = otherInput(next, a);
  if (partner === undefined) return undefined;
  const base = [scaled.scale, erf, add, next];
  // Mul(x, a) -> Mul(., 0.5)  or  Mul(a, 0.5) -> Mul(x, .)
  if (partner === x || isConstant(graph, partner, 0.5)) {
    const last = onlyConsumer(uses, next.outputs[0]);
    if (!isOp(last, 'Mul')) return undefined;
    const other = otherInput(last, next.outputs[0]);
    if (partner === x ? !isConstant(graph, other, 0.5) : other !== x) return undefined;
    return { nodes: [...base, last], x, output: last.outputs[0] };
  }
  // Mul(x, 0.5) -> Mul(., a)
  const half = producers.get(partner);
  if (!isOp(half, 'Mul') || onlyConsumer(uses, partner) !== next || otherInput(half, x) === undefined) return undefined;
  if (!isConstant(graph, otherInput(half, x), 0.5)) return undefined;
  return { nodes: [half, ...base], x, output: next.outputs[0] };
}

/** Fuses the erf-form GELUs of the root graph into com.microsoft Gelu nodes. */
export function fuseGelus(model: Model, stats: GeluFuseStats = { gelus: 0 }): Model {
  const graph = model.graph;
  const uses = usesOf(graph);
  const producers = new Map<string, Node>();
  for (const n of graph.nodes) for (const o of n.outputs) if (o) producers.set(o, n);
  const position = new Map<Node, number>();
  graph.nodes.forEach((n, i) => position.set(n, i));
  const replaced = new Set<Node>();
  const fusedAt = new Map<Node, Node>();
  for (const node of graph.nodes) {
    if (!isOp(node, 'Erf') || replaced.has(node)) continue;
    const m = matchGelu(graph, uses, node, producers);
    if (!m || m.nodes.some((n) => replaced.has(n))) continue;
    const last = m.nodes.reduce((a, b) => (position.get(a)! > position.get(b)! ? a : b));
    fusedAt.set(last, { op: 'Gelu', domain: MICROSOFT_DOMAIN, name: last.name || `${m.output}::gelu`, inputs: [m.x], outputs: [m.output], attributes: {} });
    for (const n of m.nodes) replaced.add(n);
    stats.gelus++;
  }
  if (replaced.size === 0) return model;
  return { ...model, graph: { ...graph, nodes: spliceFused(graph, replaced, fusedAt) } };
}
