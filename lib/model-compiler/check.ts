/**
 * Validation before compiling: collects every problem at once (unsupported ops with their opset,
 * attribute errors the kernels report, dangling names, duplicate producers, cycles, limits) so
 * that a user fixes a model in one round, not one error per run.
 */
import { ModelError } from '../../worker/runtime/errors';
import type { Graph, Model, Node } from '../../worker/runtime/graph';
import { nodeLabel } from '../../worker/runtime/graph';
import { AttributeReader } from '../../worker/runtime/kernel';
import { findKernel } from '../../worker/runtime/kernels/registry';
import { MODEL_EDGE_DOMAIN } from '../../worker/runtime/kernels/common/model-edge-domain';
import { constantValue } from './constant';
import { subgraphsOf } from './graph-utils';
import { topologicalOrder } from './plan';

export interface CheckLimits {
  /** @default 10000 nodes, subgraphs included */
  readonly maxNodes?: number;
  /** @default 2**31 - 1 for one dimension of a declared shape */
  readonly maxDim?: number;
}

export interface UnsupportedNode {
  readonly op: string;
  readonly domain: string;
  readonly opset: number;
  readonly name: string;
  /** where the node lives: '' for the main graph, else the subgraph path */
  readonly where: string;
}

export interface OpUsage {
  /** "Op" for ai.onnx, "domain.Op" otherwise */
  readonly op: string;
  count: number;
  readonly supported: boolean;
}

export interface CheckResult {
  readonly problems: string[];
  readonly unsupported: UnsupportedNode[];
  readonly ops: OpUsage[];
  readonly nodeCount: number;
}

/** Ops the compiler handles itself, whatever kernels exist (Constant becomes an initializer). */
const INTRINSIC_OPS = new Set([':Constant']);

/** Whether a model file may use the op: the compiler's own fused ops (MODEL_EDGE_DOMAIN) are never read from one. */
export function isSupportedOp(domain: string, op: string): boolean {
  const d = domain === 'ai.onnx' ? '' : domain;
  if (d === MODEL_EDGE_DOMAIN) return false;
  return INTRINSIC_OPS.has(`${d}:${op}`) || findKernel(d, op) !== undefined;
}

export function opKey(domain: string, op: string): string {
  return domain && domain !== 'ai.onnx' ? `${domain}.${op}` : op;
}

export function opsetOf(model: Model, domain: string): number {
  return model.opsets[domain] ?? (domain === '' ? model.opsets['ai.onnx'] : undefined) ?? 1;
}

/** The newest opset of each standard domain that ONNX has released (1.22) and the runtime knows. */
export const LATEST_OPSETS: Readonly<Record<string, number>> = { '': 27, 'ai.onnx.ml': 5 };
/** Other domains (vendor ops) version themselves; beyond this a version is not a version. */
const MAX_VENDOR_OPSET = 1000;

/** Opset imports that cannot be right: zero, negative, fractional, or newer than any release. */
function opsetProblems(opsets: Model['opsets']): string[] {
  const problems: string[] = [];
  for (const [domain, version] of Object.entries(opsets)) {
    const name = `"${domain || 'ai.onnx'}"`;
    const latest = LATEST_OPSETS[domain === 'ai.onnx' ? '' : domain];
    if (!Number.isInteger(version) || version < 1) {
      problems.push(`the model imports opset ${version} of domain ${name}; opset versions start at 1 (re-export the model with a real opset, e.g. 17)`);
    } else if (latest !== undefined && version > latest) {
      problems.push(`the model imports opset ${version} of domain ${name}, newer than the latest the runtime knows (${latest}); re-export it with opset ${latest} or lower`);
    } else if (latest === undefined && version > MAX_VENDOR_OPSET) {
      problems.push(`the model imports opset ${version} of domain ${name}, above ${MAX_VENDOR_OPSET}; that is not a real opset version`);
    }
  }
  return problems;
}

export function checkModel(model: Model, limits: CheckLimits = {}): CheckResult {
  const maxNodes = limits.maxNodes ?? 10_000;
  const maxDim = limits.maxDim ?? 2 ** 31 - 1;
  const problems: string[] = opsetProblems(model.opsets);
  const unsupported: UnsupportedNode[] = [];
  const ops = new Map<string, OpUsage>();
  let nodeCount = 0;

  const checkNode = (node: Node, where: string) => {
    nodeCount++;
    const key = opKey(node.domain, node.op);
    const supported = isSupportedOp(node.domain, node.op);
    const usage = ops.get(key) ?? { op: key, count: 0, supported };
    usage.count++;
    ops.set(key, usage);
    const opset = opsetOf(model, node.domain);
    const at = where ? ` in ${where}` : '';
    if (!node.op) {
      problems.push(`a node${node.name ? ` named "${node.name}"` : ''}${at} has no op_type`);
      return;
    }
    if (!supported) {
      unsupported.push({ op: node.op, domain: node.domain, opset, name: node.name, where });
      problems.push(
        node.domain === MODEL_EDGE_DOMAIN
          ? `op ${node.op} (domain "${MODEL_EDGE_DOMAIN}") in node "${node.name || '(unnamed)'}"${at} is one model-edge's compiler makes from standard ops, never read from a model file; export the model with the standard ops it replaces`
          : `unsupported op ${node.op} (domain "${node.domain || 'ai.onnx'}", opset ${opset}) in node "${node.name || '(unnamed)'}"${at}`,
      );
      return;
    }
    if (INTRINSIC_OPS.has(`${node.domain}:${node.op}`)) {
      try {
        constantValue(node);
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        problems.push(`${e.message}${at}`);
      }
      return;
    }
    const kernel = findKernel(node.domain, node.op);
    if (kernel?.attributes) {
      try {
        kernel.attributes(new AttributeReader(node), opset);
      } catch (e) {
        if (!(e instanceof ModelError)) throw e;
        problems.push(`${e.message}${at}`);
      }
    }
  };

  const checkGraph = (graph: Graph, outer: ReadonlySet<string>, where: string) => {
    const at = where ? ` in ${where}` : '';
    const produced = new Map<string, string>();
    const define = (name: string, by: string) => {
      const previous = produced.get(name);
      if (previous !== undefined) problems.push(`value "${name}"${at} is produced twice: by ${previous} and by ${by}`);
      else produced.set(name, by);
    };
    for (const name of graph.initializers.keys()) define(name, `initializer "${name}"`);
    for (const v of graph.inputs) {
      define(v.name, `graph input "${v.name}"`);
      v.shape?.forEach((d, i) => {
        if (typeof d === 'number' && d > maxDim) {
          problems.push(`graph input "${v.name}"${at} declares dimension ${i} as ${d}, above the limit of ${maxDim}`);
        }
      });
    }
    for (const n of graph.nodes) for (const o of n.outputs) if (o) define(o, nodeLabel(n));
    const known = (name: string) => produced.has(name) || outer.has(name);
    for (const n of graph.nodes) {
      checkNode(n, where);
      for (const i of n.inputs) {
        if (i && !known(i)) problems.push(`${nodeLabel(n)}${at} reads "${i}", which no node, graph input or initializer produces`);
      }
      const subgraphs = subgraphsOf(n);
      if (subgraphs.length === 0) continue;
      // built only for nodes with subgraphs: per node it would make the check quadratic
      const visible = new Set([...outer, ...produced.keys()]);
      for (const g of subgraphs) checkGraph(g, visible, `${where}${where ? ' > ' : ''}subgraph "${g.name}" of ${nodeLabel(n)}`);
    }
    const outputNames = new Set<string>();
    for (const o of graph.outputs) {
      if (!known(o.name)) problems.push(`graph output "${o.name}"${at} is not produced by any node, input or initializer`);
      // answers name their outputs: two with one name are ambiguous (subgraphs may repeat a value)
      if (!where && outputNames.has(o.name)) problems.push(`graph output "${o.name}" is listed twice; every output needs its own name`);
      outputNames.add(o.name);
    }
    if (!where && graph.outputs.length === 0) problems.push('the graph has no outputs');
    try {
      topologicalOrder(graph.nodes, (n) => n.inputs);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      problems.push(`${e.message}${at}`);
    }
  };

  checkGraph(model.graph, new Set(), '');
  if (nodeCount > maxNodes) {
    problems.push(`the model has ${nodeCount} nodes, above the limit of ${maxNodes} for an edge deployment`);
  }
  return { problems, unsupported, ops: [...ops.values()].sort((a, b) => a.op.localeCompare(b.op)), nodeCount };
}
