/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * MaxPool stages of convolution chains: a MaxPool that alone reads a chained Conv's output (an audio
 * net's Conv + Relu -> MaxPool -> Conv ...) joins the ConvChain when it has no Indices output,
 * padding, dilation or ceil_mode; the chain's values equal the separate nodes' bit for bit
 * (JavaScript and WebAssembly) and onnxruntime's within the usual tolerance.
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { expectSameAsOrt } from '../support/compare';
import { attr, buildModel, input, node, output, type NodeSpec } from '../support/onnx-builder';
import { runOrt } from '../support/ort-oracle';
import { compiledNodes, expectBitwise, fusedAndSeparate } from '../support/fused-vs-separate';

const ramp = (shape: number[], f: (i: number) => number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor('float32', shape, Float32Array.from({ length: n }, (_, i) => f(i)));
};

type PoolAttributes = NonNullable<NodeSpec['attributes']>;

interface NetOptions {
  /** the attributes of the first MaxPool (after the first Conv) */
  firstPool?: PoolAttributes;
  /** graph outputs besides y */
  expose?: string[];
  /** the first pool's output also read by a second node */
  secondReader?: boolean;
  /** the first MaxPool's optional Indices output is wanted */
  indices?: boolean;
}

const POOL4: PoolAttributes = { kernel_shape: attr.ints([4]), strides: attr.ints([4]) };

/** A small M5-style net on [N, 2, 203]: Conv(k 8, s 2) + Relu -> MaxPool, Conv(k 3) + Relu -> MaxPool 3/2, Conv(k 3). */
function audioNet(o: NetOptions = {}): Uint8Array {
  const nodes: NodeSpec[] = [
    node('Conv', ['x', 'w0', 'b0'], ['c0'], { kernel_shape: attr.ints([8]), strides: attr.ints([2]), pads: attr.ints([3, 3]) }),
    node('Relu', ['c0'], ['r0']),
    node('MaxPool', ['r0'], o.indices ? ['p0', 'i0'] : ['p0'], o.firstPool ?? POOL4),
    node('Conv', ['p0', 'w1', 'b1'], ['c1'], { pads: attr.ints([1, 1]) }),
    node('Relu', ['c1'], ['r1']),
    node('MaxPool', ['r1'], ['p1'], { kernel_shape: attr.ints([3]), strides: attr.ints([2]) }),
    node('Conv', ['p1', 'w2'], ['y']),
  ];
  if (o.secondReader) nodes.push(node('Neg', ['p0'], ['q']));
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', 2, 203])],
    outputs: [output('y', 'float32', null), ...(o.expose ?? []).map((name) => output(name, name === 'i0' ? 'int64' : 'float32', null))],
    nodes,
    initializers: {
      w0: ramp([8, 2, 8], (i) => Math.sin(i * 0.71) / 2),
      b0: ramp([8], (i) => 0.05 * Math.cos(i)),
      w1: ramp([12, 8, 3], (i) => Math.cos(i * 0.37) / 2),
      b1: ramp([12], (i) => 0.03 * Math.sin(i)),
      w2: ramp([5, 12, 3], (i) => Math.sin(i * 0.53) / 4),
    },
  });
}

/** 2-D: Conv 3x3 + Relu -> MaxPool 2x2 stride 2 -> Conv 3x3 + Relu -> MaxPool 3x3 stride 2 on [N, 3, 13, 17]. */
function imageNet(): Uint8Array {
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', 3, 13, 17])],
    outputs: [output('y', 'float32', null)],
    nodes: [
      node('Conv', ['x', 'w0', 'b0'], ['c0'], { pads: attr.ints([1, 1, 1, 1]) }),
      node('Relu', ['c0'], ['r0']),
      node('MaxPool', ['r0'], ['p0'], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }),
      node('Conv', ['p0', 'w1', 'b1'], ['c1'], { pads: attr.ints([1, 1, 1, 1]) }),
      node('Relu', ['c1'], ['r1']),
      node('MaxPool', ['r1'], ['y'], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]) }),
    ],
    initializers: {
      w0: ramp([6, 3, 3, 3], (i) => Math.sin(i * 0.3) / 2),
      b0: ramp([6], (i) => i / 10 - 0.2),
      w1: ramp([9, 6, 3, 3], (i) => Math.cos(i * 0.9) / 3),
      b1: ramp([9], (i) => 0.02 * i),
    },
  });
}

const audioFeeds = (batch: number) => ({ x: ramp([batch, 2, 203], (i) => 3 * Math.sin(i * 0.173)) });
const imageFeeds = (batch: number) => ({ x: ramp([batch, 3, 13, 17], (i) => 2 * Math.cos(i * 0.291)) });

afterAll(() => useWasmKernels(null));

describe.each([
  ['JavaScript', false],
  ['WebAssembly', true],
])('MaxPool stages of convolution chains (%s)', (_label, wasm) => {
  beforeEach(() => (wasm ? installWasmKernels() : useWasmKernels(null)));

  it('makes a 1-D Conv + Relu -> MaxPool stack one ConvChain', async () => {
    const bytes = audioNet();
    const nodes = compiledNodes(bytes);
    expect(nodes.map((n) => n.op)).toEqual(['ConvChain']);
    expect(nodes[0].attributes.stages).toBe(5);
    expect(nodes[0].attributes.max_pool_shape).toEqual([0, 4, 0, 3, 0]);
    expect(nodes[0].attributes.strides).toEqual([2, 4, 1, 2, 1]);
    expect(nodes[0].inputs).toEqual(['x', 'w0', 'b0', '', '', 'w1', 'b1', '', '', 'w2', '']);
    for (const batch of [1, 3]) {
      const { fused, separate } = fusedAndSeparate(bytes, audioFeeds(batch));
      expectBitwise(fused.y, separate.y);
    }
    const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(audioFeeds(2));
    expectSameAsOrt('y', ours.y, (await runOrt(bytes, audioFeeds(2))).y);
  });

  it.each([
    ['128 filters, the last panel of a row partial', 128, 300],
    ['131 filters (2- and 1-row tiles), every first-stage panel full', 131, 142],
  ])('pools a wide Conv stage\'s outputs as it stores them: %s', async (_name, filters, length) => {
    const bytes = buildModel({
      opsets: { '': 17 },
      inputs: [input('x', 'float32', ['N', 2, length])],
      outputs: [output('y', 'float32', null)],
      nodes: [
        node('Conv', ['x', 'w0', 'b0'], ['c0'], { kernel_shape: attr.ints([16]), strides: attr.ints([2]), pads: attr.ints([7, 7]) }),
        node('Relu', ['c0'], ['r0']),
        node('MaxPool', ['r0'], ['p0'], POOL4),
        node('Conv', ['p0', 'w1'], ['c1'], { pads: attr.ints([1, 1]) }),
        node('Relu', ['c1'], ['r1']),
        node('MaxPool', ['r1'], ['p1'], POOL4),
        node('Conv', ['p1', 'w2'], ['y'], { pads: attr.ints([1, 1]) }),
      ],
      initializers: {
        w0: ramp([filters, 2, 16], (i) => Math.sin(i * 0.41) / 3),
        b0: ramp([filters], (i) => 0.01 * i - 0.5),
        w1: ramp([128, filters, 3], (i) => Math.cos(i * 0.13) / 8),
        w2: ramp([6, 128, 3], (i) => Math.sin(i * 0.29) / 8),
      },
    });
    // two pooled stages in a row: each writes the arena the other reads
    expect(compiledNodes(bytes).map((n) => [n.op, n.attributes.max_pool_shape])).toEqual([['ConvChain', [0, 4, 0, 4, 0]]]);
    const feeds = (batch: number) => ({ x: ramp([batch, 2, length], (i) => 2 * Math.sin(i * 0.07) + Math.cos(i * 1.3)) });
    for (const batch of [1, 2]) {
      const { fused, separate } = fusedAndSeparate(bytes, feeds(batch));
      expectBitwise(fused.y, separate.y);
    }
    const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(feeds(2));
    expectSameAsOrt('y', ours.y, (await runOrt(bytes, feeds(2))).y);
  });

  it('leaves 2-D MaxPools between the Convs (2x2 and 3x3 windows): a small CNN\'s batch ran slower chained', async () => {
    const bytes = imageNet();
    const nodes = compiledNodes(bytes);
    expect(nodes.map((n) => n.op)).toEqual(['Conv', 'MaxPool', 'Conv', 'MaxPool']);
    for (const batch of [1, 2]) {
      const { fused, separate } = fusedAndSeparate(bytes, imageFeeds(batch));
      expectBitwise(fused.y, separate.y);
    }
    const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(imageFeeds(2));
    expectSameAsOrt('y', ours.y, (await runOrt(bytes, imageFeeds(2))).y);
  });

  it.each([
    ['with padding', { firstPool: { ...POOL4, pads: attr.ints([1, 1]) } }],
    ['with ceil_mode', { firstPool: { ...POOL4, ceil_mode: attr.int(1) } }],
    ['with dilations', { firstPool: { ...POOL4, dilations: attr.ints([2]) } }],
    ['with auto_pad', { firstPool: { ...POOL4, auto_pad: attr.string('SAME_UPPER') } }],
    ['whose Indices are read', { indices: true, expose: ['i0'] }],
  ] as Array<[string, NetOptions]>)('leaves a MaxPool %s out of the chain', (_name, o) => {
    const bytes = audioNet(o);
    const nodes = compiledNodes(bytes);
    // Conv_0 alone (a chain of one Conv does not fuse), the pool, then the rest chained
    expect(nodes.map((n) => n.op)).toEqual(['Conv', 'MaxPool', 'ConvChain']);
    expect(nodes[2].attributes.max_pool_shape).toEqual([0, 3, 0]);
    const { fused, separate } = fusedAndSeparate(bytes, audioFeeds(2));
    for (const name of ['y', ...(o.expose ?? [])]) expectBitwise(fused[name], separate[name]);
  });

  it.each([
    ['is a graph output', { expose: ['p0'] }],
    ['has a second reader', { secondReader: true, expose: ['q'] }],
  ] as Array<[string, NetOptions]>)('ends a chain at a MaxPool whose output %s', (_name, o) => {
    const bytes = audioNet(o);
    const nodes = compiledNodes(bytes);
    expect(nodes.slice(0, 2).map((n) => [n.op, n.attributes.max_pool_shape])).toEqual([['ConvChain', [0, 4]], ['ConvChain', [0, 3, 0]]]);
    const { fused, separate } = fusedAndSeparate(bytes, audioFeeds(2));
    for (const name of ['y', ...(o.expose ?? [])]) expectBitwise(fused[name], separate[name]);
  });

  it('starts no chain with a MaxPool, and chains no AveragePool', () => {
    const bytes = buildModel({
      opsets: { '': 17 },
      inputs: [input('x', 'float32', ['N', 2, 40])],
      outputs: [output('y', 'float32', null)],
      nodes: [
        node('MaxPool', ['x'], ['p'], { kernel_shape: attr.ints([2]), strides: attr.ints([2]) }),
        node('Conv', ['p', 'w0'], ['c0']),
        node('AveragePool', ['c0'], ['a'], { kernel_shape: attr.ints([2]), strides: attr.ints([2]) }),
        node('Conv', ['a', 'w1'], ['y']),
      ],
      initializers: { w0: ramp([4, 2, 3], (i) => Math.sin(i)), w1: ramp([3, 4, 3], (i) => Math.cos(i)) },
    });
    expect(compiledNodes(bytes).map((n) => n.op)).toEqual(['MaxPool', 'Conv', 'AveragePool', 'Conv']);
  });
});
