/** Small graph queries shared by the compiler passes. */
import type { AttributeValue, Graph, Node } from '../../worker/runtime/graph';
import { isGraph } from '../../worker/runtime/graph';

/** The subgraphs held by a node's attributes (If branches, Loop/Scan bodies). */
export function subgraphsOf(node: Node): Graph[] {
  const out: Graph[] = [];
  for (const v of Object.values(node.attributes) as AttributeValue[]) {
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && isGraph(x as AttributeValue)) out.push(x as unknown as Graph);
    } else if (isGraph(v)) out.push(v);
  }
  return out;
}

/** Names a graph reads from its enclosing scopes (not defined inside it). */
export function freeNames(graph: Graph): Set<string> {
  const defined = new Set<string>([...graph.initializers.keys(), ...graph.inputs.map((v) => v.name)]);
  for (const n of graph.nodes) for (const o of n.outputs) if (o) defined.add(o);
  const free = new Set<string>();
  for (const n of graph.nodes) for (const r of nodeReads(n)) if (!defined.has(r)) free.add(r);
  for (const o of graph.outputs) if (!defined.has(o.name)) free.add(o.name);
  return free;
}

/** Every value a node reads: its inputs and what its subgraphs take from the enclosing scope. */
export function nodeReads(node: Node): string[] {
  const reads = node.inputs.filter((n) => n !== '');
  for (const g of subgraphsOf(node)) for (const f of freeNames(g)) reads.push(f);
  return reads;
}

/** Number of nodes including those inside subgraphs. */
export function countNodes(graph: Graph): number {
  let n = 0;
  for (const node of graph.nodes) {
    n++;
    for (const g of subgraphsOf(node)) n += countNodes(g);
  }
  return n;
}

/** Visits every node of the graph and its subgraphs, with a label for where it lives. */
export function forEachNode(graph: Graph, visit: (node: Node, where: string) => void, where = ''): void {
  for (const node of graph.nodes) {
    visit(node, where);
    for (const g of subgraphsOf(node)) forEachNode(g, visit, `${where}${where ? ' > ' : ''}subgraph "${g.name}"`);
  }
}
