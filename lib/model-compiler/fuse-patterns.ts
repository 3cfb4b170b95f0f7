/**
 * What the pattern fusions (fuse.ts, fuse-gelu.ts, fuse-matmul.ts) share: who reads each value,
 * constants read off the initializers, and the small questions a matcher asks of a node.
 */
import type { Graph, Node } from '../../worker/runtime/graph';
import type { Tensor } from '../../worker/runtime/tensor';
import { nodeReads } from './graph-utils';

export interface Uses {
  readonly consumers: Map<string, Node[]>;
  readonly outputs: Set<string>;
}

export function usesOf(graph: Graph): Uses {
  const consumers = new Map<string, Node[]>();
  for (const n of graph.nodes) {
    for (const r of new Set(nodeReads(n))) {
      const list = consumers.get(r);
      if (list) list.push(n);
      else consumers.set(r, [n]);
    }
  }
  return { consumers, outputs: new Set(graph.outputs.map((o) => o.name)) };
}

/** The value of a one-element float constant of rank 0 or 1 (so it broadcasts without adding dims). */
export function scalarConstant(graph: Graph, name: string): { value: number; tensor: Tensor } | undefined {
  const t = graph.initializers.get(name);
  if (!t || t.size !== 1 || t.rank > 1 || (t.dtype !== 'float32' && t.dtype !== 'float64')) return undefined;
  return { value: (t.data as Float32Array | Float64Array)[0], tensor: t };
}

/** The value of a rank-0 float constant: it broadcasts against any tensor without changing its shape. */
export function rank0Constant(graph: Graph, name: string): number | undefined {
  const t = graph.initializers.get(name);
  if (!t || t.rank !== 0 || (t.dtype !== 'float32' && t.dtype !== 'float64')) return undefined;
  return (t.data as Float32Array | Float64Array)[0];
}

/** A 1-D float constant (gamma / beta). */
export function vectorConstant(graph: Graph, name: string, dtype: string): Tensor | undefined {
  const t = graph.initializers.get(name);
  return t && t.rank === 1 && t.dtype === dtype ? t : undefined;
}

/** The one consumer of `value`, when it is not a graph output and nothing else reads it. */
export function onlyConsumer(uses: Uses, value: string): Node | undefined {
  const c = uses.consumers.get(value);
  return c && c.length === 1 && !uses.outputs.has(value) ? c[0] : undefined;
}

export function isOp(n: Node | undefined, op: string): n is Node {
  return n !== undefined && n.op === op && n.domain === '';
}

/** The other input of a binary node whose input `value` is one of the two. */
export function otherInput(n: Node, value: string): string | undefined {
  if (n.inputs.length !== 2) return undefined;
  if (n.inputs[0] === value) return n.inputs[1];
  if (n.inputs[1] === value) return n.inputs[0];
  return undefined;
}

/**
 * The graph's nodes with each replaced group swapped for its fused node: `fusedAt` maps the node
 * whose place the fused node takes (the group's last, so that every input is ready) to it, and
 * every other node of a group is dropped.
 */
export function spliceFused(graph: Graph, replaced: ReadonlySet<Node>, fusedAt: ReadonlyMap<Node, Node>): Node[] {
  const nodes: Node[] = [];
  for (const n of graph.nodes) {
    const fused = fusedAt.get(n);
    if (fused) nodes.push(fused);
    else if (!replaced.has(n)) nodes.push(n);
  }
  return nodes;
}
