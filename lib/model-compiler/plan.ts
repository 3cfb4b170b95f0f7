/**
 * Execution planning: keeps only the nodes and initializers that some graph output needs, in a
 * topological order that stays as close to the file's order as dependencies allow.
 */
import { ModelError } from '../../worker/runtime/errors';
import type { AttributeValue, Graph, Node } from '../../worker/runtime/graph';
import { isGraph, nodeLabel } from '../../worker/runtime/graph';
import { nodeReads } from './graph-utils';

export interface PlanStats {
  prunedNodes: number;
  prunedInitializers: number;
}

/** Orders `nodes` topologically (stable); throws a ModelError naming the nodes of a cycle. */
export function topologicalOrder(nodes: readonly Node[], reads: (n: Node) => readonly string[] = nodeReads): Node[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  const indegree = new Int32Array(nodes.length);
  const users: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const deps = new Set<number>();
    for (const r of reads(n)) {
      const p = producer.get(r);
      if (p !== undefined && p !== i) deps.add(p);
      else if (p === i) deps.add(i);
    }
    for (const d of deps) {
      users[d].push(i);
      indegree[i]++;
    }
  });
  // A binary min-heap of ready node indices keeps the original order where possible.
  const heap: number[] = [];
  const push = (x: number) => {
    heap.push(x);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (heap[p] <= heap[i]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  indegree.forEach((d, i) => d === 0 && push(i));
  const order: Node[] = [];
  while (heap.length > 0) {
    const i = pop();
    order.push(nodes[i]);
    for (const u of users[i]) if (--indegree[u] === 0) push(u);
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => indegree[i] > 0).map(nodeLabel);
    const shown = stuck.slice(0, 10).join(', ') + (stuck.length > 10 ? `, ... (${stuck.length} in all)` : '');
    throw new ModelError(`the graph has a cycle: ${shown} depend on each other's outputs`);
  }
  return order;
}

/** Prunes and orders a graph (and its subgraphs). Graph inputs are kept: they are the interface. */
export function planGraph(graph: Graph, stats: PlanStats = { prunedNodes: 0, prunedInitializers: 0 }): Graph {
  const needed = new Set(graph.outputs.map((o) => o.name));
  const kept: Node[] = [];
  const ordered = topologicalOrder(graph.nodes);
  for (let i = ordered.length - 1; i >= 0; i--) {
    const n = ordered[i];
    if (!n.outputs.some((o) => needed.has(o))) {
      stats.prunedNodes++;
      continue;
    }
    kept.push(n);
    for (const r of nodeReads(n)) needed.add(r);
  }
  kept.reverse();
  const initializers = new Map([...graph.initializers].filter(([name]) => needed.has(name)));
  stats.prunedInitializers += graph.initializers.size - initializers.size;
  const nodes = kept.map((n) => withPlannedSubgraphs(n, stats));
  return { ...graph, nodes, initializers };
}

function withPlannedSubgraphs(node: Node, stats: PlanStats): Node {
  let attributes: Record<string, AttributeValue> | undefined;
  for (const [k, v] of Object.entries(node.attributes)) {
    let planned: AttributeValue | undefined;
    if (isGraph(v)) planned = planGraph(v, stats);
    else if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && isGraph(v[0] as AttributeValue)) {
      planned = (v as Graph[]).map((g) => planGraph(g, stats));
    }
    if (planned) (attributes ??= { ...node.attributes })[k] = planned;
  }
  return attributes ? { ...node, attributes } : node;
}
