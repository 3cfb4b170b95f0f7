/**
 * The larger reference models, the size users deploy, generated at bench time with seeded weights
 * from plain ai.onnx ops (nothing is committed):
 *   encoder     MiniLM-sized transformer encoder: 6 layers, hidden 384, 12 heads, FFN 1536,
 *               sequence 128, GELU (Erf form, as PyTorch exports it), LayerNormalization; its
 *               input is the token embeddings [N, 128, 384] (the 11.7M-parameter vocabulary table
 *               is a Gather and costs no arithmetic)
 *   mobilenet   MobileNetV2 at 1x3x224x224: inverted residual blocks of pointwise and depthwise
 *               convolutions with Relu6 (Clip), batch norm folded into the conv biases, 1000 classes
 *   audio       M5-style 1-D conv net on one second of 16 kHz audio [N, 1, 16000]: 4 Conv1d +
 *               Relu + MaxPool stages, global average pool, Gemm to 35 keywords, Softmax
 * Each carries its arithmetic per item (2 x multiply-adds of its MatMul, Gemm and Conv nodes) for
 * the GFLOP/s figures.
 */
import { attr, buildModel, input, node, output, type NodeSpec } from '../models/lib/onnx-builder';
import { Random } from '../models/lib/random';
import type { Dim } from '../worker/runtime/graph';
import { Tensor } from '../worker/runtime/tensor';
import type { ReferenceModel } from './reference-models';

export interface LargeModel extends ReferenceModel {
  /** floating-point operations of one batch item (multiply and add counted apart) */
  readonly flopsPerItem: number;
  readonly parameters: number;
  /** batch sizes worth timing (batch 8 only where it takes reasonable time) */
  readonly batches: readonly number[];
}

const OPSETS = { '': 17 };

/** Initializers, nodes and counts of a model being built. */
class Graph {
  readonly init: Record<string, Tensor> = {};
  readonly nodes: NodeSpec[] = [];
  flops = 0;
  parameters = 0;
  private next = 0;
  constructor(private readonly rng: Random) {}

  name(prefix: string): string {
    return `${prefix}_${this.next++}`;
  }

  /** A float32 initializer of normal values with standard deviation `scale` around `offset`. */
  weight(prefix: string, shape: readonly number[], scale: number, offset = 0): string {
    const count = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = offset + this.rng.normal() * scale;
    const name = this.name(prefix);
    this.init[name] = new Tensor('float32', shape, data);
    this.parameters += count;
    return name;
  }

  constant(prefix: string, shape: readonly number[], values: readonly number[], dtype: 'float32' | 'int64' = 'float32'): string {
    const name = this.name(prefix);
    this.init[name] = dtype === 'int64' ? new Tensor('int64', shape, BigInt64Array.from(values, BigInt)) : new Tensor('float32', shape, Float32Array.from(values));
    return name;
  }

  op(type: string, inputs: readonly string[], attributes: NodeSpec['attributes'] = {}): string {
    const out = this.name(type.toLowerCase());
    this.nodes.push(node(type, [...inputs], [out], attributes));
    return out;
  }
}

/** x [.., k] @ W [k, n] + b, counting 2·rows·k·n FLOPs. */
function linear(g: Graph, x: string, rows: number, k: number, n: number): string {
  g.flops += 2 * rows * k * n;
  const w = g.weight('w', [k, n], 1 / Math.sqrt(k));
  const b = g.weight('b', [n], 0.02);
  return g.op('Add', [g.op('MatMul', [x, w]), b]);
}

function layerNorm(g: Graph, x: string, width: number): string {
  return g.op('LayerNormalization', [x, g.weight('ln_scale', [width], 0.05, 1), g.weight('ln_bias', [width], 0.05)], { axis: attr.int(-1), epsilon: attr.float(1e-12) });
}

/** GELU as x·0.5·(1 + erf(x/√2)), the form exported from PyTorch before opset 20. */
function gelu(g: Graph, x: string): string {
  const erf = g.op('Erf', [g.op('Div', [x, g.constant('sqrt2', [], [Math.SQRT2])])]);
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, g.constant('one', [], [1])])]), g.constant('half', [], [0.5])]);
}

export interface EncoderShape {
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly sequence: number;
}

export const ENCODER_SHAPE: EncoderShape = { layers: 6, hidden: 384, heads: 12, ffn: 1536, sequence: 128 };

/** How the encoder's graph declares its input and output (as exporters differ). */
export interface EncoderDeclaration {
  /** the input's sequence dimension: a name (variable) or the fixed length */
  readonly sequence: Dim;
  /** whether the output's shape is declared (exporters often leave it out) */
  readonly outputShape: boolean;
}

export function encoderModel(shape: EncoderShape = ENCODER_SHAPE, declared: EncoderDeclaration = { sequence: 'S', outputShape: true }): LargeModel {
  const { layers, hidden, heads, ffn, sequence } = shape;
  const head = hidden / heads;
  const g = new Graph(new Random(4001));
  const split = g.constant('heads_shape', [4], [0, 0, heads, head], 'int64');
  const merge = g.constant('hidden_shape', [3], [0, 0, hidden], 'int64');
  const scale = g.constant('score_scale', [], [1 / Math.sqrt(head)]);
  const toHeads = (x: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [x, split])], { perm: attr.ints(perm) });
  let x = 'embeddings';
  for (let l = 0; l < layers; l++) {
    const q = toHeads(linear(g, x, sequence, hidden, hidden), [0, 2, 1, 3]); // [N, h, s, d]
    const k = toHeads(linear(g, x, sequence, hidden, hidden), [0, 2, 3, 1]); // [N, h, d, s]
    const v = toHeads(linear(g, x, sequence, hidden, hidden), [0, 2, 1, 3]);
    const probs = g.op('Softmax', [g.op('Mul', [g.op('MatMul', [q, k]), scale])], { axis: attr.int(-1) });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: attr.ints([0, 2, 1, 3]) }), merge]);
    g.flops += 2 * 2 * heads * sequence * sequence * head; // scores and context
    const attended = layerNorm(g, g.op('Add', [linear(g, context, sequence, hidden, hidden), x]), hidden);
    const ff = linear(g, gelu(g, linear(g, attended, sequence, hidden, ffn)), sequence, ffn, hidden);
    x = layerNorm(g, g.op('Add', [ff, attended]), hidden);
  }
  g.nodes.push(node('Identity', [x], ['last_hidden_state']));
  return {
    name: 'encoder',
    description: `transformer encoder (${layers} layers, hidden ${hidden}, ${heads} heads, FFN ${ffn}, sequence ${sequence}, GELU, LayerNorm)`,
    onnx: buildModel({
      opsets: OPSETS,
      // batch and sequence both variable by default, as encoders are exported
      inputs: [input('embeddings', 'float32', ['N', declared.sequence, hidden])],
      outputs: [output('last_hidden_state', 'float32', declared.outputShape ? ['N', declared.sequence, hidden] : null)],
      nodes: g.nodes,
      initializers: g.init,
    }),
    feeds: normalFeeds('embeddings', [sequence, hidden], 5001),
    tolerance: 2e-3,
    flopsPerItem: g.flops,
    parameters: g.parameters,
    batches: [1, 8],
  };
}

/** Conv with folded batch norm (He-scaled weights, small bias), counting its multiply-adds. */
function conv(g: Graph, x: string, inC: number, outC: number, kernel: number, stride: number, groups: number, outSize: number): string {
  const fanIn = (inC / groups) * kernel * kernel;
  g.flops += 2 * outC * outSize * outSize * fanIn;
  const w = g.weight('conv_w', [outC, inC / groups, kernel, kernel], Math.sqrt(2 / fanIn));
  const b = g.weight('conv_b', [outC], 0.02);
  const pad = (kernel - 1) >> 1;
  return g.op('Conv', [x, w, b], { kernel_shape: attr.ints([kernel, kernel]), strides: attr.ints([stride, stride]), pads: attr.ints([pad, pad, pad, pad]), group: attr.int(groups) });
}

function relu6(g: Graph, x: string, zero: string, six: string): string {
  return g.op('Clip', [x, zero, six]);
}

/** MobileNetV2's inverted residual settings: expansion t, channels c, repeats n, first stride s. */
const MOBILENET_V2_BLOCKS: readonly [number, number, number, number][] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

export function mobileNetModel(): LargeModel {
  const g = new Graph(new Random(4002));
  const zero = g.constant('zero', [], [0]);
  const six = g.constant('six', [], [6]);
  let size = 112;
  let x = relu6(g, conv(g, 'image', 3, 32, 3, 2, 1, size), zero, six);
  let channels = 32;
  for (const [t, c, n, s] of MOBILENET_V2_BLOCKS) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const hidden = channels * t;
      let h = x;
      if (t !== 1) h = relu6(g, conv(g, h, channels, hidden, 1, 1, 1, size), zero, six);
      size = stride === 2 ? size / 2 : size;
      h = relu6(g, conv(g, h, hidden, hidden, 3, stride, hidden, size), zero, six);
      h = conv(g, h, hidden, c, 1, 1, 1, size);
      x = stride === 1 && channels === c ? g.op('Add', [x, h]) : h;
      channels = c;
    }
  }
  x = relu6(g, conv(g, x, channels, 1280, 1, 1, 1, size), zero, six);
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: attr.int(1) });
  g.flops += 2 * 1280 * 1000;
  const w = g.weight('fc_w', [1000, 1280], Math.sqrt(1 / 1280));
  const b = g.weight('fc_b', [1000], 0.02);
  g.nodes.push(node('Gemm', [pooled, w, b], ['logits'], { transB: attr.int(1) }));
  return {
    name: 'mobilenet',
    description: 'MobileNetV2 (224×224, depthwise + pointwise convolutions, Relu6, 1000 classes)',
    onnx: buildModel({ opsets: OPSETS, inputs: [input('image', 'float32', ['N', 3, 224, 224])], outputs: [output('logits', 'float32', ['N', 1000])], nodes: g.nodes, initializers: g.init }),
    feeds: normalFeeds('image', [3, 224, 224], 5002),
    tolerance: 2e-3,
    flopsPerItem: g.flops,
    parameters: g.parameters,
    batches: [1, 8],
  };
}

export function audioModel(): LargeModel {
  const g = new Graph(new Random(4003));
  const samples = 16000;
  // [in, out, kernel, stride] per stage, each followed by Relu and MaxPool 4
  const stages: [number, number, number, number][] = [[1, 128, 80, 4], [128, 128, 3, 1], [128, 256, 3, 1], [256, 512, 3, 1]];
  let x = 'audio';
  let length = samples;
  for (const [inC, outC, kernel, stride] of stages) {
    const pad = (kernel - stride) >> 1;
    length = Math.floor((length + 2 * pad - kernel) / stride) + 1;
    g.flops += 2 * outC * length * inC * kernel;
    const w = g.weight('conv_w', [outC, inC, kernel], Math.sqrt(2 / (inC * kernel)));
    const b = g.weight('conv_b', [outC], 0.02);
    const c = g.op('Conv', [x, w, b], { kernel_shape: attr.ints([kernel]), strides: attr.ints([stride]), pads: attr.ints([pad, pad]) });
    x = g.op('MaxPool', [g.op('Relu', [c])], { kernel_shape: attr.ints([4]), strides: attr.ints([4]) });
    length = Math.floor(length / 4);
  }
  const pooled = g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: attr.int(1) });
  g.flops += 2 * 512 * 35;
  const w = g.weight('fc_w', [35, 512], Math.sqrt(1 / 512));
  const b = g.weight('fc_b', [35], 0.02);
  const logits = g.op('Gemm', [pooled, w, b], { transB: attr.int(1) });
  g.nodes.push(node('Softmax', [logits], ['probabilities'], { axis: attr.int(-1) }));
  return {
    name: 'audio',
    description: 'M5-style 1-D conv net on 16 kHz audio ([N,1,16000], 4x Conv1d+Relu+MaxPool, Gemm to 35, Softmax)',
    onnx: buildModel({ opsets: OPSETS, inputs: [input('audio', 'float32', ['N', 1, samples])], outputs: [output('probabilities', 'float32', ['N', 35])], nodes: g.nodes, initializers: g.init }),
    feeds: normalFeeds('audio', [1, samples], 5003, 0.3),
    tolerance: 1e-4,
    flopsPerItem: g.flops,
    parameters: g.parameters,
    batches: [1, 8],
  };
}

/** Seeded normal inputs (standard deviation `scale`) whose non-batch dims are `dims`. */
function normalFeeds(name: string, dims: readonly number[], seed: number, scale = 1): (batch: number) => Record<string, Tensor> {
  return (batch) => {
    const shape = [batch, ...dims];
    const rng = new Random(seed + batch);
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * scale;
    return { [name]: new Tensor('float32', shape, data) };
  };
}

export function largeModels(): LargeModel[] {
  return [encoderModel(), mobileNetModel(), audioModel()];
}

/** One square MatMul [n, n] x [n, n], to measure the GEMM rate each engine reaches on one core. */
export function gemmProbeModel(n = 512): LargeModel {
  const g = new Graph(new Random(4004));
  const w = g.weight('w', [n, n], 1 / Math.sqrt(n));
  g.nodes.push(node('MatMul', ['x', w], ['y']));
  return {
    name: `gemm-${n}`,
    description: `MatMul [${n}, ${n}] x [${n}, ${n}]`,
    onnx: buildModel({ opsets: OPSETS, inputs: [input('x', 'float32', ['N', n])], outputs: [output('y', 'float32', ['N', n])], nodes: g.nodes, initializers: g.init }),
    feeds: normalFeeds('x', [n], 5004),
    tolerance: 1e-3,
    flopsPerItem: 2 * n * n,
    parameters: g.parameters,
    batches: [n],
  };
}
