/**
 * Operator fusion at synth time: the layer normalization that exporters spell out as seven ops
 *   m = ReduceMean(X, axes=[-1], keepdims=1); d = Sub(X, m); p = Pow(d, 2);
 *   v = ReduceMean(p, axes=[-1], keepdims=1); s = Sqrt(Add(v, epsilon)); y = Div(d, s)
 * optionally followed by Mul(y, gamma) and Add(., beta) with 1-D constants, becomes one
 * LayerNormalization(X, Scale, B, axis=-1, epsilon) node (opset 17+). It runs one pass over each row
 * instead of seven over the whole tensor with broadcasting. Only exact matches fuse: every
 * intermediate value must be used only inside the pattern and must not be a graph output.
 */
import type { Graph, Model, Node } from '../../worker/runtime/graph';
import { Tensor } from '../../worker/runtime/tensor';
import { isOp, onlyConsumer, otherInput, scalarConstant, spliceFused, usesOf, vectorConstant, type Uses } from './fuse-patterns';

export interface FuseStats {
  layerNorms: number;
}

/** LayerNormalization entered ai.onnx at opset 17. */
const LAYER_NORM_OPSET = 17;

/** Whether a ReduceMean reduces only the last axis of `x` and keeps dims. */
function meansLastAxis(graph: Graph, node: Node, x: string, rank: number | undefined): boolean {
  if (node.op !== 'ReduceMean' || node.domain !== '' || node.inputs[0] !== x) return false;
  if ((node.attributes.keepdims ?? 1) !== 1) return false;
  let axes: readonly number[] | undefined;
  if (node.inputs[1]) {
    const t = graph.initializers.get(node.inputs[1]);
    if (!t || t.dtype !== 'int64') return false;
    axes = Array.from(t.data as BigInt64Array, Number);
  } else if (Array.isArray(node.attributes.axes)) axes = node.attributes.axes as number[];
  if (!axes || axes.length !== 1) return false;
  if (axes[0] === -1) return true;
  return rank !== undefined && axes[0] === rank - 1;
}

interface LayerNormMatch {
  /** every node the fused node replaces; the last one is where it goes */
  readonly nodes: Node[];
  readonly x: string;
  readonly output: string;
  readonly epsilon: number;
  readonly scale: string | Tensor;
  readonly bias: string | Tensor;
}

function matchLayerNorm(graph: Graph, uses: Uses, mean: Node): LayerNormMatch | undefined {
  const x = mean.inputs[0];
  // X's rank, when X is a graph input of known shape (the squared values have the same rank)
  const rank = graph.inputs.find((v) => v.name === x)?.shape?.length;
  if (!meansLastAxis(graph, mean, x, rank)) return undefined;
  const sub = onlyConsumer(uses, mean.outputs[0]);
  if (!isOp(sub, 'Sub') || sub.inputs[0] !== x || sub.inputs[1] !== mean.outputs[0]) return undefined;
  const d = sub.outputs[0];
  const dUsers = uses.consumers.get(d) ?? [];
  if (uses.outputs.has(d) || dUsers.length !== 2) return undefined;
  const pow = dUsers.find((n) => isOp(n, 'Pow'));
  const div = dUsers.find((n) => isOp(n, 'Div'));
  if (!pow || !div || pow.inputs[0] !== d || div.inputs[0] !== d || div.inputs[1] === d) return undefined;
  const exponent = scalarConstant(graph, pow.inputs[1]);
  if (!exponent || exponent.value !== 2) return undefined;
  const variance = onlyConsumer(uses, pow.outputs[0]);
  if (!variance || !meansLastAxis(graph, variance, pow.outputs[0], rank)) return undefined;
  const add = onlyConsumer(uses, variance.outputs[0]);
  if (!isOp(add, 'Add')) return undefined;
  const epsName = otherInput(add, variance.outputs[0]);
  const eps = epsName === undefined ? undefined : scalarConstant(graph, epsName);
  if (!eps || !(eps.value >= 0)) return undefined;
  const sqrt = onlyConsumer(uses, add.outputs[0]);
  if (!isOp(sqrt, 'Sqrt') || onlyConsumer(uses, sqrt.outputs[0]) !== div || div.inputs[1] !== sqrt.outputs[0]) return undefined;
  const dtype = eps.tensor.dtype;
  const nodes = [mean, sub, pow, variance, add, sqrt, div];
  let output = div.outputs[0];
  let scale: string | Tensor = new Tensor(dtype, [1], dtype === 'float32' ? new Float32Array([1]) : new Float64Array([1]));
  let bias: string | Tensor = new Tensor(dtype, [1], dtype === 'float32' ? new Float32Array([0]) : new Float64Array([0]));
  const mul = onlyConsumer(uses, output);
  const gamma = isOp(mul, 'Mul') ? otherInput(mul, output) : undefined;
  if (mul && gamma !== undefined && gamma !== output && vectorConstant(graph, gamma, dtype)) {
    nodes.push(mul);
    output = mul.outputs[0];
    scale = gamma;
    const shift = onlyConsumer(uses, output);
    const beta = isOp(shift, 'Add') ? otherInput(shift, output) : undefined;
    if (shift && beta !== undefined && beta !== output && vectorConstant(graph, beta, dtype)) {
      nodes.push(shift);
      output = shift.outputs[0];
      bias = beta;
    }
  }
  return { nodes, x, output, epsilon: eps.value, scale, bias };
}

/** Fuses the layer normalizations of the root graph; other graphs and opsets < 17 stay as they are. */
export function fuseGraph(model: Model, stats: FuseStats = { layerNorms: 0 }): Model {
  if ((model.opsets[''] ?? 0) < LAYER_NORM_OPSET) return model;
  const graph = model.graph;
  const uses = usesOf(graph);
  const initializers = new Map(graph.initializers);
  const replaced = new Set<Node>();
  const fusedAt = new Map<Node, Node>();
  for (const node of graph.nodes) {
    if (replaced.has(node) || !isOp(node, 'ReduceMean')) continue;
    const m = matchLayerNorm(graph, uses, node);
    if (!m || m.nodes.some((n) => replaced.has(n))) continue;
    const constant = (t: string | Tensor, role: string): string => {
      if (typeof t === 'string') return t;
      let name = `${m.output}::layer_norm_${role}`;
      while (initializers.has(name)) name += '_';
      initializers.set(name, t);
      return name;
    };
    const fused: Node = {
      op: 'LayerNormalization',
      domain: '',
      name: m.nodes[m.nodes.length - 1].name || `${m.output}::layer_norm`,
      inputs: [m.x, constant(m.scale, 'scale'), constant(m.bias, 'bias')],
      outputs: [m.output],
      attributes: { axis: -1, epsilon: m.epsilon },
    };
    for (const n of m.nodes) replaced.add(n);
    fusedAt.set(m.nodes[m.nodes.length - 1], fused);
    stats.layerNorms++;
  }
  if (replaced.size === 0) return model;
  return { ...model, graph: { ...graph, nodes: spliceFused(graph, replaced, fusedAt), initializers } };
}
