/**
 * The reference models the benchmarks run, generated here with seeded weights (onnx-proto through
 * the project's ONNX builder) so that every run measures the same bytes:
 *   dense   784-256-128-10 (Gemm + Relu, Softmax)
 *   lenet   LeNet-like CNN on 1x28x28 (Conv 5x5, Relu, MaxPool twice, Flatten, Gemm, Relu, Gemm)
 *   trees   TreeEnsembleRegressor, 100 full trees of depth 6 over 30 features
 *   kws     keyword-spotting-sized: [N,25,96] -> LayerNorm from ReduceMean/Sub/Pow/Sqrt/Div ->
 *           Flatten -> Gemm stack -> Softmax
 * plus the example models in models/<name>/model.onnx. Inputs are seeded too.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { compileModel } from '../lib/model-compiler';
import { attr, buildModel, input, node, output, type NodeSpec } from '../models/lib/onnx-builder';
import { Random } from '../models/lib/random';
import { Tensor } from '../worker/runtime/tensor';

export interface ReferenceModel {
  readonly name: string;
  readonly description: string;
  readonly onnx: Uint8Array;
  /** seeded input tensors for a batch size */
  feeds(batch: number): Record<string, Tensor>;
  /** largest absolute difference from onnxruntime-node accepted as agreement */
  readonly tolerance: number;
}

const OPSETS = { '': 17 };

function randomFloats(rng: Random, count: number, scale: number, offset = 0): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = offset + rng.normal() * scale;
  return out;
}

function uniformFloats(rng: Random, count: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** He-initialised weights for a layer with `fanIn` inputs. */
function heWeights(rng: Random, shape: readonly number[], fanIn: number): Tensor<'float32'> {
  return new Tensor('float32', shape, randomFloats(rng, shape.reduce((a, b) => a * b, 1), Math.sqrt(2 / fanIn)));
}

function bias(rng: Random, n: number): Tensor<'float32'> {
  return new Tensor('float32', [n], randomFloats(rng, n, 0.05));
}

/** Seeded feeds of one float32 input whose non-batch dims are `dims`, uniform in [lo, hi). */
function floatFeeds(name: string, dims: readonly number[], seed: number, lo = 0, hi = 1): (batch: number) => Record<string, Tensor> {
  return (batch) => {
    const shape = [batch, ...dims];
    const rng = new Random(seed + batch);
    return { [name]: new Tensor('float32', shape, uniformFloats(rng, shape.reduce((a, b) => a * b, 1), lo, hi)) };
  };
}

/** A Gemm layer `x -> y` with weights [out, in] (transB = 1, as PyTorch exports). */
function gemmLayer(prefix: string, x: string, y: string, fanIn: number, fanOut: number, rng: Random, init: Record<string, Tensor>): NodeSpec {
  init[`${prefix}.weight`] = heWeights(rng, [fanOut, fanIn], fanIn);
  init[`${prefix}.bias`] = bias(rng, fanOut);
  return node('Gemm', [x, `${prefix}.weight`, `${prefix}.bias`], [y], { transB: attr.int(1) });
}

export function denseModel(): ReferenceModel {
  const rng = new Random(1001);
  const init: Record<string, Tensor> = {};
  const nodes = [
    gemmLayer('fc1', 'input', 'h1', 784, 256, rng, init),
    node('Relu', ['h1'], ['a1']),
    gemmLayer('fc2', 'a1', 'h2', 256, 128, rng, init),
    node('Relu', ['h2'], ['a2']),
    gemmLayer('fc3', 'a2', 'logits', 128, 10, rng, init),
    node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) }),
  ];
  return {
    name: 'dense',
    description: 'dense 784-256-128-10 (Gemm+Relu, Softmax)',
    onnx: buildModel({ opsets: OPSETS, inputs: [input('input', 'float32', ['N', 784])], outputs: [output('probabilities', 'float32', ['N', 10])], nodes, initializers: init }),
    feeds: floatFeeds('input', [784], 2001),
    tolerance: 1e-5,
  };
}

export function lenetModel(): ReferenceModel {
  const rng = new Random(1002);
  const init: Record<string, Tensor> = {
    'conv1.weight': heWeights(rng, [6, 1, 5, 5], 25),
    'conv1.bias': bias(rng, 6),
    'conv2.weight': heWeights(rng, [16, 6, 5, 5], 150),
    'conv2.bias': bias(rng, 16),
  };
  const pool = { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) };
  const nodes = [
    // 1x28x28 -> 6x28x28 -> 6x14x14 -> 16x10x10 -> 16x5x5 = 400 -> 120 -> 10
    node('Conv', ['input', 'conv1.weight', 'conv1.bias'], ['c1'], { kernel_shape: attr.ints([5, 5]), pads: attr.ints([2, 2, 2, 2]) }),
    node('Relu', ['c1'], ['r1']),
    node('MaxPool', ['r1'], ['p1'], pool),
    node('Conv', ['p1', 'conv2.weight', 'conv2.bias'], ['c2'], { kernel_shape: attr.ints([5, 5]) }),
    node('Relu', ['c2'], ['r2']),
    node('MaxPool', ['r2'], ['p2'], pool),
    node('Flatten', ['p2'], ['flat'], { axis: attr.int(1) }),
    gemmLayer('fc1', 'flat', 'h1', 400, 120, rng, init),
    node('Relu', ['h1'], ['a1']),
    gemmLayer('fc2', 'a1', 'logits', 120, 10, rng, init),
  ];
  return {
    name: 'lenet',
    description: 'LeNet-like CNN on 1x28x28 (2x Conv 5x5+Relu+MaxPool, Gemm+Relu, Gemm)',
    onnx: buildModel({ opsets: OPSETS, inputs: [input('input', 'float32', ['N', 1, 28, 28])], outputs: [output('logits', 'float32', ['N', 10])], nodes, initializers: init }),
    feeds: floatFeeds('input', [1, 28, 28], 2002),
    tolerance: 1e-4,
  };
}

export const TREE_SHAPE = { trees: 100, depth: 6, features: 30 };

export function treeEnsembleModel(): ReferenceModel {
  const rng = new Random(1003);
  const { trees, depth, features } = TREE_SHAPE;
  const l = {
    treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], modes: [] as string[], values: [] as number[],
    trueIds: [] as number[], falseIds: [] as number[], wTree: [] as number[], wNode: [] as number[], wIds: [] as number[], wWeights: [] as number[],
  };
  // Full binary trees numbered breadth-first: node i has children 2i+1 and 2i+2.
  const internal = 2 ** depth - 1;
  for (let t = 0; t < trees; t++) {
    for (let id = 0; id < 2 * internal + 1; id++) {
      l.treeIds.push(t);
      l.nodeIds.push(id);
      if (id < internal) {
        l.featureIds.push(rng.int(features));
        l.modes.push('BRANCH_LEQ');
        l.values.push(Math.fround(rng.uniform(0.2, 0.8)));
        l.trueIds.push(2 * id + 1);
        l.falseIds.push(2 * id + 2);
      } else {
        l.featureIds.push(0);
        l.modes.push('LEAF');
        l.values.push(0);
        l.trueIds.push(0);
        l.falseIds.push(0);
        l.wTree.push(t);
        l.wNode.push(id);
        l.wIds.push(0);
        l.wWeights.push(Math.fround(rng.normal() * 0.1));
      }
    }
  }
  const nodes = [
    node('TreeEnsembleRegressor', ['input'], ['variable'], {
      n_targets: attr.int(1),
      aggregate_function: attr.string('SUM'),
      post_transform: attr.string('NONE'),
      base_values: attr.floats([0.5]),
      nodes_treeids: attr.ints(l.treeIds),
      nodes_nodeids: attr.ints(l.nodeIds),
      nodes_featureids: attr.ints(l.featureIds),
      nodes_modes: attr.strings(l.modes),
      nodes_values: attr.floats(l.values),
      nodes_truenodeids: attr.ints(l.trueIds),
      nodes_falsenodeids: attr.ints(l.falseIds),
      target_treeids: attr.ints(l.wTree),
      target_nodeids: attr.ints(l.wNode),
      target_ids: attr.ints(l.wIds),
      target_weights: attr.floats(l.wWeights),
    }, 'ai.onnx.ml'),
  ];
  return {
    name: 'trees',
    description: `tree ensemble (TreeEnsembleRegressor, ${trees} trees, depth ${depth}, ${features} features)`,
    onnx: buildModel({ opsets: { '': 17, 'ai.onnx.ml': 3 }, inputs: [input('input', 'float32', ['N', features])], outputs: [output('variable', 'float32', ['N', 1])], nodes }),
    feeds: floatFeeds('input', [features], 2003),
    tolerance: 1e-4,
  };
}

export function keywordSpottingModel(): ReferenceModel {
  const rng = new Random(1004);
  const frames = 25;
  const bins = 96;
  const init: Record<string, Tensor> = {
    two: new Tensor('float32', [], new Float32Array([2])),
    eps: new Tensor('float32', [], new Float32Array([1e-5])),
    gamma: new Tensor('float32', [bins], randomFloats(rng, bins, 0.1, 1)),
    beta: new Tensor('float32', [bins], randomFloats(rng, bins, 0.1)),
  };
  const lastAxis = { axes: attr.ints([-1]), keepdims: attr.int(1) };
  const nodes = [
    node('ReduceMean', ['input'], ['mean'], lastAxis),
    node('Sub', ['input', 'mean'], ['centered']),
    node('Pow', ['centered', 'two'], ['squared']),
    node('ReduceMean', ['squared'], ['variance'], lastAxis),
    node('Add', ['variance', 'eps'], ['varEps']),
    node('Sqrt', ['varEps'], ['std']),
    node('Div', ['centered', 'std'], ['normalized']),
    node('Mul', ['normalized', 'gamma'], ['scaled']),
    node('Add', ['scaled', 'beta'], ['shifted']),
    node('Flatten', ['shifted'], ['flat'], { axis: attr.int(1) }),
    gemmLayer('fc1', 'flat', 'h1', frames * bins, 256, rng, init),
    node('Relu', ['h1'], ['a1']),
    gemmLayer('fc2', 'a1', 'h2', 256, 256, rng, init),
    node('Relu', ['h2'], ['a2']),
    gemmLayer('fc3', 'a2', 'logits', 256, 12, rng, init),
    node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) }),
  ];
  return {
    name: 'kws',
    description: `keyword spotting ([N,${frames},${bins}] -> LayerNorm ops -> Flatten -> Gemm ${frames * bins}-256-256-12, Softmax)`,
    onnx: buildModel({ opsets: OPSETS, inputs: [input('input', 'float32', ['N', frames, bins])], outputs: [output('probabilities', 'float32', ['N', 12])], nodes, initializers: init }),
    feeds: floatFeeds('input', [frames, bins], 2004, -2, 2),
    tolerance: 1e-5,
  };
}

/** The tiny model of the HTTP benchmark: Gemm 4 -> 3 and Softmax (request handling dominates). */
export function tinyModel(): ReferenceModel {
  const rng = new Random(1006);
  const init: Record<string, Tensor> = {};
  const nodes = [gemmLayer('fc', 'input', 'logits', 4, 3, rng, init), node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) })];
  return {
    name: 'tiny',
    description: 'tiny model (Gemm 4-3, Softmax)',
    onnx: buildModel({ opsets: OPSETS, inputs: [input('input', 'float32', ['N', 4])], outputs: [output('probabilities', 'float32', ['N', 3])], nodes, initializers: init }),
    feeds: floatFeeds('input', [4], 2006),
    tolerance: 1e-6,
  };
}

/** A dense model with about `megabytes` MB of float32 weights (for load time per MB). */
export function weightsModel(megabytes: number): ReferenceModel {
  const rng = new Random(1005);
  const width = 1024;
  const layers = Math.max(1, Math.round((megabytes * 1024 * 1024) / (width * width * 4)));
  const init: Record<string, Tensor> = {};
  const nodes: NodeSpec[] = [];
  let x = 'input';
  for (let i = 0; i < layers; i++) {
    nodes.push(gemmLayer(`fc${i}`, x, `h${i}`, width, width, rng, init));
    nodes.push(node('Relu', [`h${i}`], [`a${i}`]));
    x = `a${i}`;
  }
  nodes.push(node('Identity', [x], ['output']));
  return {
    name: `weights-${layers * 4}mb`,
    description: `${layers} Gemm layers ${width}x${width} (${layers * 4} MB of float32 weights)`,
    onnx: buildModel({ opsets: OPSETS, inputs: [input('input', 'float32', ['N', width])], outputs: [output('output', 'float32', ['N', width])], nodes, initializers: init }),
    feeds: floatFeeds('input', [width], 2005),
    tolerance: 1e-3,
  };
}

/** Input ranges for the example models (what their data looks like); others get [0, 1). */
const EXAMPLE_INPUT_RANGES: Record<string, [number, number]> = { iris: [0.1, 8] };

/** Feeds for any model with float32 inputs whose shapes are [N, ...fixed dims]. */
function exampleFeeds(name: string, onnxBytes: Uint8Array): (batch: number) => Record<string, Tensor> {
  const { inputs } = compileModel(onnxBytes).signature;
  const [lo, hi] = EXAMPLE_INPUT_RANGES[name] ?? [0, 1];
  return (batch) => {
    const feeds: Record<string, Tensor> = {};
    inputs.forEach((spec, k) => {
      if (spec.datatype !== 'FP32') throw new Error(`example model ${name}: input ${spec.name} is ${spec.datatype}; the benchmark feeds FP32 inputs only`);
      const shape = spec.shape.map((d, i) => (i === 0 && d < 0 ? batch : d < 0 ? 1 : d));
      const rng = new Random(3000 + batch + k);
      feeds[spec.name] = new Tensor('float32', shape, uniformFloats(rng, shape.reduce((a, b) => a * b, 1), lo, hi));
    });
    return feeds;
  };
}

/** models/<name>/model.onnx of every example model in the repository. */
export function exampleModels(modelsDir = path.join(__dirname, '..', 'models')): ReferenceModel[] {
  const out: ReferenceModel[] = [];
  for (const name of readdirSync(modelsDir).sort()) {
    const file = path.join(modelsDir, name, 'model.onnx');
    if (!existsSync(file)) continue;
    const onnx = new Uint8Array(readFileSync(file));
    out.push({ name, description: `example model models/${name}`, onnx, feeds: exampleFeeds(name, onnx), tolerance: 1e-5 });
  }
  return out;
}

export function generatedModels(): ReferenceModel[] {
  return [denseModel(), lenetModel(), treeEnsembleModel(), keywordSpottingModel()];
}

export function referenceModels(): ReferenceModel[] {
  return [...generatedModels(), ...exampleModels()];
}
