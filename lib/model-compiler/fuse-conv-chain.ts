/**
 * Convolution chains at synth time: Convs applied one after another, each the only reader of the
 * one before (MobileNet's inverted residual block: expand 1x1 + Relu6 -> depthwise 3x3 + Relu6 ->
 * project 1x1), become one ai.model-edge ConvChain node, and so does the Add of a residual after
 * the last when its other operand has the output's shape (found by probing, value-shapes.ts) and
 * the last Conv has no activation: (acc + bias) + residual, as Conv then Add computes it. With the
 * WebAssembly kernels the chain's intermediate images never leave the module's memory, and a
 * pointwise last stage adds the residual in its GEMM epilogue (worker/runtime/kernels/conv/conv-chain.ts).
 * A 1-D MaxPool that is the only reader of a stage's output is a stage too (an audio net's Conv + Relu
 * -> MaxPool -> Conv ...), when it has no Indices output, padding, dilation or ceil_mode: the
 * chain then pools in the module's memory between its convolutions. A chain starts with a Conv.
 * Runs after activation fusion (fuse-activation.ts), whose clamps the stages carry. A chain of one
 * Conv fuses only with a residual.
 */
import type { Graph, Model, Node } from '../../worker/runtime/graph';
import { FUSED_CLIP } from '../../worker/runtime/kernels/common/fused-activation';
import { MODEL_EDGE_DOMAIN } from '../../worker/runtime/kernels/common/model-edge-domain';
import type { CompileBudget } from './compile-budget';
import { isOp, onlyConsumer, otherInput, spliceFused, usesOf, type Uses } from './fuse-patterns';
import { probeValueShapes, sameShapes } from './value-shapes';

export interface ConvChainStats {
  convChains: number;
  residualAdds: number;
}

/** Conv attributes a stage carries over; a Conv with any other (auto_pad other than NOTSET) stays as it is. */
const STAGE_ATTRIBUTES = new Set(['kernel_shape', 'strides', 'dilations', 'pads', 'group', 'auto_pad', FUSED_CLIP]);

/** Spatial axes of a Conv that can be a stage (weights constant, 1-D or 2-D), else undefined. */
function stageAxes(graph: Graph, node: Node | undefined): number | undefined {
  if (!isOp(node, 'Conv') || node.outputs.length !== 1 || node.inputs.length < 2 || node.inputs.length > 3) return undefined;
  const w = graph.initializers.get(node.inputs[1]);
  if (!w || w.dtype !== 'float32' || (w.rank !== 3 && w.rank !== 4)) return undefined;
  const bias = node.inputs[2];
  if (bias) {
    const b = graph.initializers.get(bias);
    if (!b || b.dtype !== 'float32' || b.rank !== 1) return undefined;
  }
  for (const [name, value] of Object.entries(node.attributes)) {
    if (!STAGE_ATTRIBUTES.has(name)) return undefined;
    if (name === 'auto_pad' && value !== 'NOTSET') return undefined;
  }
  return w.rank - 2;
}

/** MaxPool attributes a pool stage accepts, each only at the value that means "none". */
const POOL_NEUTRAL: Record<string, (v: unknown) => boolean> = {
  kernel_shape: () => true,
  strides: () => true,
  storage_order: () => true, // orders the Indices output only, which a stage does not have
  auto_pad: (v) => v === 'NOTSET',
  ceil_mode: (v) => v === 0,
  pads: (v) => Array.isArray(v) && v.every((p) => p === 0),
  dilations: (v) => Array.isArray(v) && v.every((d) => d === 1),
};

/**
 * Spatial axes of a MaxPool that can be a stage (1-D, one output, no padding, dilation or ceil_mode),
 * else undefined. Only 1-D pools join: there the chain pays (an audio net's stack); a 2-D CNN as
 * small as LeNet ran its batch of 32 slower as one chain with pool stages than as separate nodes.
 */
function poolStageAxes(node: Node | undefined): number | undefined {
  if (!isOp(node, 'MaxPool') || node.inputs.length !== 1 || node.outputs.length < 1 || node.outputs.slice(1).some((o) => o !== '')) return undefined;
  const k = node.attributes.kernel_shape;
  if (!Array.isArray(k) || k.length !== 1) return undefined;
  for (const [name, value] of Object.entries(node.attributes)) {
    const neutral = POOL_NEUTRAL[name];
    if (!neutral || !neutral(value)) return undefined;
  }
  return k.length;
}

/** The Conv or MaxPool that reads only `node`'s output, as its X, with as many spatial axes. */
function nextStage(graph: Graph, uses: Uses, node: Node, axes: number): Node | undefined {
  const out = node.outputs[0];
  const next = onlyConsumer(uses, out);
  if (!next || next.inputs[0] !== out || next.inputs.indexOf(out, 1) !== -1) return undefined;
  return (isOp(next, 'MaxPool') ? poolStageAxes(next) : stageAxes(graph, next)) === axes ? next : undefined;
}

interface Chain {
  readonly stages: Node[];
  readonly axes: number;
  /** the Add after the last stage and its other operand */
  residual?: { readonly add: Node; readonly z: string };
}

/** The residual candidate after a chain: an Add that is the only reader of its output. */
function residualAfter(uses: Uses, last: Node): { add: Node; z: string } | undefined {
  if (!isOp(last, 'Conv') || last.attributes[FUSED_CLIP] !== undefined) return undefined;
  const out = last.outputs[0];
  const add = onlyConsumer(uses, out);
  if (!isOp(add, 'Add') || add.outputs.length !== 1) return undefined;
  const z = otherInput(add, out);
  return z === undefined || z === out || z === '' ? undefined : { add, z };
}

export function fuseConvChains(model: Model, limits: CompileBudget['limits'], stats: ConvChainStats = { convChains: 0, residualAdds: 0 }): Model {
  const graph = model.graph;
  const uses = usesOf(graph);
  const chained = new Set<Node>();
  const chains: Chain[] = [];
  for (const node of graph.nodes) {
    const axes = stageAxes(graph, node);
    if (axes === undefined || chained.has(node)) continue;
    const stages = [node];
    chained.add(node);
    for (let next = nextStage(graph, uses, node, axes); next && !chained.has(next); next = nextStage(graph, uses, next, axes)) {
      stages.push(next);
      chained.add(next);
    }
    chains.push({ stages, axes });
  }
  // which residuals have the output's shape: one probe for all of them
  const candidates = chains.map((c) => residualAfter(uses, c.stages[c.stages.length - 1]));
  const names = candidates.flatMap((r, i) => (r ? [chains[i].stages[chains[i].stages.length - 1].outputs[0], r.z] : []));
  const shapes = names.length > 0 ? probeValueShapes(model, names, limits) : undefined;
  // An Add whose both operands end chains (ResNet's block with a downsample Conv) joins the first of them
  // only: the other chain's output is then that chain's residual, and must stay a value of its own.
  const claimed = new Set<Node>();
  chains.forEach((c, i) => {
    const r = candidates[i];
    if (!r || claimed.has(r.add) || !shapes || !sameShapes(shapes.get(c.stages[c.stages.length - 1].outputs[0]), shapes.get(r.z))) return;
    c.residual = r;
    claimed.add(r.add);
  });

  const replaced = new Set<Node>();
  const fusedAt = new Map<Node, Node>();
  for (const c of chains) {
    if (c.stages.length < 2 && !c.residual) continue;
    const fused = chainNode(graph, c);
    for (const n of c.stages) replaced.add(n);
    if (c.residual) replaced.add(c.residual.add);
    fusedAt.set(c.residual ? c.residual.add : c.stages[c.stages.length - 1], fused);
    stats.convChains++;
    if (c.residual) stats.residualAdds++;
  }
  if (replaced.size === 0) return model;
  return { ...model, graph: { ...graph, nodes: spliceFused(graph, replaced, fusedAt) } };
}

function chainNode(graph: Graph, c: Chain): Node {
  const inputs = [c.stages[0].inputs[0]];
  const group: number[] = [];
  const strides: number[] = [];
  const dilations: number[] = [];
  const pads: number[] = [];
  const clip: number[] = [];
  const poolShapes: number[] = [];
  const ones = new Array<number>(c.axes).fill(1);
  for (const s of c.stages) {
    const a = s.attributes;
    const pool = s.op === 'MaxPool';
    inputs.push(pool ? '' : s.inputs[1], pool ? '' : s.inputs[2] ?? '');
    poolShapes.push(...(pool ? (a.kernel_shape as number[]) : new Array<number>(c.axes).fill(0)));
    group.push(typeof a.group === 'number' ? a.group : 1);
    strides.push(...((a.strides as number[] | undefined) ?? ones));
    dilations.push(...((a.dilations as number[] | undefined) ?? ones));
    pads.push(...((a.pads as number[] | undefined) ?? new Array<number>(2 * c.axes).fill(0)));
    clip.push(...((a[FUSED_CLIP] as number[] | undefined) ?? [-Infinity, Infinity]));
  }
  if (c.residual) inputs.push(c.residual.z);
  const last = c.residual ? c.residual.add : c.stages[c.stages.length - 1];
  return {
    op: 'ConvChain',
    domain: MODEL_EDGE_DOMAIN,
    name: c.stages[0].name || `${last.outputs[0]}::conv_chain`,
    inputs,
    outputs: [last.outputs[0]],
    attributes: {
      stages: c.stages.length, group, strides, dilations, pads, clip,
      ...(poolShapes.some((k) => k !== 0) ? { max_pool_shape: poolShapes } : {}),
    },
  };
}
