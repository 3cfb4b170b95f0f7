/**
 * The two networks of the performance targets, built with seeded weights:
 *   dense  784-256-128-10: Gemm + Relu, Gemm + Relu, Gemm
 *   lenet  LeNet-like on 1x28x28: Conv 5x5 (6) + Relu + MaxPool 2, Conv 5x5 (16) + Relu + MaxPool 2,
 *          Flatten, Gemm 256-120 + Relu, Gemm 120-84 + Relu, Gemm 84-10
 */
import { attr, buildModel, input, node, output } from '../../models/lib/onnx-builder';
import { Random } from '../../models/lib/random';
import { Tensor } from '../../worker/runtime/tensor';
import { exampleModels, keywordSpottingModel } from '../reference-models';

function weights(rng: Random, shape: number[], fanIn: number): Tensor<'float32'> {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const scale = Math.sqrt(2 / fanIn);
  for (let i = 0; i < n; i++) data[i] = rng.normal() * scale;
  return new Tensor('float32', shape, data);
}

export interface BenchModel {
  readonly name: string;
  readonly onnx: Uint8Array;
  readonly inputName: string;
  readonly inputShape: (batch: number) => number[];
}

export function denseModel(): BenchModel {
  const rng = new Random(784);
  const sizes = [784, 256, 128, 10];
  const nodes = [];
  const initializers: Record<string, Tensor> = {};
  let x = 'X';
  for (let l = 0; l < 3; l++) {
    initializers[`W${l}`] = weights(rng, [sizes[l], sizes[l + 1]], sizes[l]);
    initializers[`B${l}`] = weights(rng, [sizes[l + 1]], 100);
    const y = l === 2 ? 'Y' : `H${l}`;
    const pre = l === 2 ? y : `P${l}`;
    nodes.push(node('Gemm', [x, `W${l}`, `B${l}`], [pre]));
    if (l < 2) nodes.push(node('Relu', [pre], [y]));
    x = y;
  }
  return {
    name: 'dense 784-256-128-10',
    onnx: buildModel({ opsets: { '': 17 }, inputs: [input('X', 'float32', ['N', 784])], outputs: [output('Y', 'float32', ['N', 10])], nodes, initializers }),
    inputName: 'X',
    inputShape: (b) => [b, 784],
  };
}

export function lenetModel(): BenchModel {
  const rng = new Random(28);
  const initializers: Record<string, Tensor> = {
    C1: weights(rng, [6, 1, 5, 5], 25),
    c1: weights(rng, [6], 100),
    C2: weights(rng, [16, 6, 5, 5], 150),
    c2: weights(rng, [16], 100),
    F1: weights(rng, [256, 120], 256),
    f1: weights(rng, [120], 100),
    F2: weights(rng, [120, 84], 120),
    f2: weights(rng, [84], 100),
    F3: weights(rng, [84, 10], 84),
    f3: weights(rng, [10], 100),
  };
  const pool = { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) };
  const nodes = [
    node('Conv', ['X', 'C1', 'c1'], ['a1']),
    node('Relu', ['a1'], ['r1']),
    node('MaxPool', ['r1'], ['p1'], pool),
    node('Conv', ['p1', 'C2', 'c2'], ['a2']),
    node('Relu', ['a2'], ['r2']),
    node('MaxPool', ['r2'], ['p2'], pool),
    node('Flatten', ['p2'], ['f'], { axis: attr.int(1) }),
    node('Gemm', ['f', 'F1', 'f1'], ['g1']),
    node('Relu', ['g1'], ['h1']),
    node('Gemm', ['h1', 'F2', 'f2'], ['g2']),
    node('Relu', ['g2'], ['h2']),
    node('Gemm', ['h2', 'F3', 'f3'], ['Y']),
  ];
  return {
    name: 'LeNet-like CNN 1x28x28',
    onnx: buildModel({ opsets: { '': 17 }, inputs: [input('X', 'float32', ['N', 1, 28, 28])], outputs: [output('Y', 'float32', ['N', 10])], nodes, initializers }),
    inputName: 'X',
    inputShape: (b) => [b, 1, 28, 28],
  };
}

/**
 * A kernel benchmark model by name (dense, lenet, kws from ../reference-models, or an example
 * model from models/, such as digits-large) with seeded inputs for a batch size: the same bytes in
 * every tool, so runs compare.
 */
export function benchModelWithFeeds(name: string, batch: number): { onnx: Uint8Array; feeds: Record<string, Tensor> } {
  if (name === 'kws') {
    const m = keywordSpottingModel();
    return { onnx: m.onnx, feeds: m.feeds(batch) };
  }
  const example = name === 'dense' || name === 'lenet' ? undefined : exampleModels().find((m) => m.name === name);
  if (example) return { onnx: example.onnx, feeds: example.feeds(batch) };
  const m = name === 'lenet' ? lenetModel() : denseModel();
  const shape = m.inputShape(batch);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s >>> 8) / (1 << 24);
  }
  return { onnx: m.onnx, feeds: { [m.inputName]: new Tensor('float32', shape, data) } };
}
