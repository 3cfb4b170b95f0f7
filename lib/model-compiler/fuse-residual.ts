/**
 * Residual Add fusion at synth time: an Add whose operand is a FusedMatMul's output, read by that
 * Add alone, and whose other operand R has the same shape (probed, value-shapes.ts; no
 * broadcasting) becomes R as the FusedMatMul's fourth input. A transformer adds its residual
 * stream after every attention output projection and FFN down projection; the GEMM then adds R in
 * its epilogue, after the bias, as (product + bias) + R, the float32 operations of the two nodes,
 * and the Add's pass over the activations goes. Runs after fuse-matmul.ts (which makes the
 * FusedMatMul) and before fuse-activation.ts: a Relu, Clip, GELU or Softmax after the Add then
 * folds into the same epilogue, which applies it after the residual.
 */
import type { Model, Node } from '../../worker/runtime/graph';
import { FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX } from '../../worker/runtime/kernels/common/fused-activation';
import { MICROSOFT_DOMAIN } from '../../worker/runtime/kernels/common/microsoft-domain';
import type { CompileBudget } from './compile-budget';
import { isOp, onlyConsumer, otherInput, spliceFused, usesOf, type Uses } from './fuse-patterns';
import { probeValueShapes, sameShapes } from './value-shapes';

export interface ResidualFuseStats {
  residualMatMuls: number;
}

interface ResidualMatch {
  readonly product: Node;
  readonly add: Node;
  /** the Add's other operand */
  readonly residual: string;
}

/** The Add after `product` that could fold into it, before the shape check. */
function matchResidual(uses: Uses, product: Node): ResidualMatch | undefined {
  if (product.op !== 'FusedMatMul' || product.domain !== MICROSOFT_DOMAIN) return undefined;
  if (product.outputs.length !== 1 || product.inputs.length < 2 || product.inputs.length > 3) return undefined;
  // the epilogue adds the residual before any activation: one folded before the Add must not move after it
  if ([FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX].some((a) => product.attributes[a] !== undefined)) return undefined;
  const out = product.outputs[0];
  const add = onlyConsumer(uses, out);
  if (!isOp(add, 'Add') || add.outputs.length !== 1) return undefined;
  const residual = otherInput(add, out);
  if (residual === undefined || residual === out || residual === '') return undefined;
  return { product, add, residual };
}

export function fuseResidualAdds(model: Model, limits: CompileBudget['limits'], stats: ResidualFuseStats = { residualMatMuls: 0 }): Model {
  const graph = model.graph;
  const uses = usesOf(graph);
  const candidates = graph.nodes.map((n) => matchResidual(uses, n)).filter((m): m is ResidualMatch => m !== undefined);
  if (candidates.length === 0) return model;
  // one probe for every candidate's two operands
  const shapes = probeValueShapes(model, candidates.flatMap((c) => [c.product.outputs[0], c.residual]), limits);
  if (!shapes) return model;
  const replaced = new Set<Node>();
  const fusedAt = new Map<Node, Node>();
  for (const c of candidates) {
    // an Add of two products folds into the first: the other's output is then the residual
    if (replaced.has(c.add) || !sameShapes(shapes.get(c.product.outputs[0]), shapes.get(c.residual))) continue;
    const [a, b, bias = ''] = c.product.inputs;
    // in the Add's place: R is computed by then, and so are A and B
    fusedAt.set(c.add, { ...c.product, inputs: [a, b, bias, c.residual], outputs: [c.add.outputs[0]] });
    replaced.add(c.product);
    replaced.add(c.add);
    stats.residualMatMuls++;
  }
  if (replaced.size === 0) return model;
  return { ...model, graph: { ...graph, nodes: spliceFused(graph, replaced, fusedAt) } };
}
