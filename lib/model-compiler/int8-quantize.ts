/**
 * Optional int8 weights: symmetric per-output-channel quantization of the float32 weight matrices
 * of MatMul, Gemm and Conv. The artifact stores the int8 values and one float32 scale per channel
 * (feature "int8-weights"); the Worker dequantizes them once on load, so the kernels run float32
 * as before and only the stored and transferred weights shrink (about 4x).
 */
import { isGraph, type Graph, type Model } from '../../worker/runtime/graph';
import { MODEL_EDGE_DOMAIN } from '../../worker/runtime/kernels/common/model-edge-domain';
import { MICROSOFT_DOMAIN } from '../../worker/runtime/kernels/common/microsoft-domain';
import { Tensor } from '../../worker/runtime/tensor';

export interface Int8Weights {
  /** the channel axis */
  readonly axis: number;
  readonly values: Int8Array;
  /** one per channel: float value = int8 value * scale */
  readonly scales: Float32Array;
}

/** Smaller weights gain nothing worth the rounding. */
const MIN_ELEMENTS = 256;

/**
 * The output-channel axis of an initializer used as the weight of `op`, or undefined when that use
 * is not quantized: MatMul B [K, N] -> 1, Gemm B -> 1 ([K, N]) or 0 with transB ([N, K]), Conv W [M, C, ...] -> 0,
 * and the com.microsoft FusedMatMul that the compiler makes of MatMul + scale/bias like Gemm;
 * the compiler's ConvChain holds its stages' W at inputs 1, 3, 5... (`stages` of them) like Conv.
 */
function weightAxis(op: string, domain: string, inputIndex: number, rank: number, transB: boolean, stages: number): number | undefined {
  if (domain === MODEL_EDGE_DOMAIN) return op === 'ConvChain' && inputIndex % 2 === 1 && inputIndex < 1 + 2 * stages && rank >= 3 ? 0 : undefined;
  if (inputIndex !== 1) return undefined;
  if (domain === MICROSOFT_DOMAIN) return op === 'FusedMatMul' && rank === 2 ? (transB ? 0 : 1) : undefined;
  if (domain !== '') return undefined;
  if (op === 'MatMul' && rank === 2) return 1;
  if (op === 'Gemm' && rank === 2) return transB ? 0 : 1;
  if (op === 'Conv' && rank >= 3) return 0;
  return undefined;
}

/** The eligible float32 initializers of the top graph, each quantized; others stay as they are. */
export function quantizeWeights(model: Model): Map<Tensor, Int8Weights> {
  const axes = eligibleAxes(model.graph);
  const out = new Map<Tensor, Int8Weights>();
  for (const [name, axis] of axes) {
    const t = model.graph.initializers.get(name);
    if (axis === undefined || !t) continue;
    const q = quantizeTensor(t as Tensor<'float32'>, axis);
    if (q) out.set(t, q);
  }
  return out;
}

/** name -> axis for initializers whose every use agrees on one quantizable axis (undefined: keep float). */
function eligibleAxes(graph: Graph): Map<string, number | undefined> {
  const axes = new Map<string, number | undefined>();
  const outputs = new Set(graph.outputs.map((o) => o.name));
  for (const node of graph.nodes) {
    node.inputs.forEach((name, i) => {
      const t = graph.initializers.get(name);
      if (!t || t.dtype !== 'float32' || t.data.length < MIN_ELEMENTS || outputs.has(name)) return;
      const axis = weightAxis(node.op, node.domain, i, t.shape.length, node.attributes.transB === 1, Number(node.attributes.stages ?? 0));
      const known = axes.has(name) ? axes.get(name) : axis;
      axes.set(name, known === axis ? axis : undefined);
    });
  }
  // Subgraphs may use any outer initializer: such models keep float32 weights.
  const hasSubgraph = graph.nodes.some((n) => Object.values(n.attributes).some((v) => isGraph(v) || (Array.isArray(v) && v.some((x) => isGraph(x)))));
  return hasSubgraph ? new Map() : axes;
}

export function quantizeTensor(t: Tensor<'float32'>, axis: number): Int8Weights | undefined {
  const data = t.data;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return undefined;
  const channels = t.shape[axis];
  let inner = 1;
  for (let i = axis + 1; i < t.shape.length; i++) inner *= t.shape[i];
  const maxAbs = new Float32Array(channels);
  forEachChannel(data.length, channels, inner, (c, from, to) => {
    for (let i = from; i < to; i++) maxAbs[c] = Math.max(maxAbs[c], Math.abs(data[i]));
  });
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const values = new Int8Array(data.length);
  forEachChannel(data.length, channels, inner, (c, from, to) => {
    for (let i = from; i < to; i++) values[i] = Math.max(-127, Math.min(127, Math.round(data[i] / scales[c])));
  });
  return { axis, values, scales };
}

function forEachChannel(length: number, channels: number, inner: number, f: (channel: number, from: number, to: number) => void): void {
  for (let start = 0; start < length; start += channels * inner) {
    for (let c = 0; c < channels; c++) f(c, start + c * inner, start + (c + 1) * inner);
  }
}
