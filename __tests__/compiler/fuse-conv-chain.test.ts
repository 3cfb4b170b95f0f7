/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Convolution chains: Convs that each read only the one before become one ConvChain, with the
 * residual Add after the last when its other operand has the output's shape; the chain's values
 * equal the separate nodes' bit for bit (JavaScript and WebAssembly) and onnxruntime's within the
 * usual tolerance.
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { FUSED_CLIP } from '../../worker/runtime/kernels/common/fused-activation';
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

interface BlockOptions {
  channels: number;
  size: [number, number];
  stride?: number;
  /** the residual's shape when it is not X's own (a constant that broadcasts) */
  residual?: 'x' | 'broadcast' | 'none';
  /** graph outputs besides y: intermediate values that another reader then sees */
  expose?: string[];
  noBias?: boolean;
}

/** MobileNetV2's inverted residual block: expand 1x1 + Relu6, depthwise 3x3 + Relu6, project 1x1, + X. */
function block(o: BlockOptions): Uint8Array {
  const c = o.channels;
  const hidden = 6 * c;
  const stride = o.stride ?? 1;
  const bias = (name: string) => (o.noBias ? [] : [name]);
  const nodes: NodeSpec[] = [
    node('Conv', ['x', 'we', ...bias('be')], ['e']),
    node('Clip', ['e', 'zero', 'six'], ['er']),
    node('Conv', ['er', 'wd', ...bias('bd')], ['d'], { group: attr.int(hidden), pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([stride, stride]) }),
    node('Clip', ['d', 'zero', 'six'], ['dr']),
    node('Conv', ['dr', 'wp', ...bias('bp')], ['p']),
  ];
  const residual = o.residual ?? 'x';
  if (residual === 'none') nodes.push(node('Identity', ['p'], ['y']));
  else nodes.push(node('Add', [residual === 'x' ? 'x' : 'r', 'p'], ['y']));
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', c, ...o.size])],
    outputs: [output('y', 'float32', null), ...(o.expose ?? []).map((name) => output(name, 'float32', null))],
    nodes,
    initializers: {
      we: ramp([hidden, c, 1, 1], (i) => Math.sin(i * 0.71) / 2),
      be: ramp([hidden], (i) => 0.05 * Math.cos(i)),
      wd: ramp([hidden, 1, 3, 3], (i) => Math.cos(i * 0.37) / 2),
      bd: ramp([hidden], (i) => 0.03 * Math.sin(i)),
      wp: ramp([c, hidden, 1, 1], (i) => Math.sin(i * 0.53) / 4),
      bp: ramp([c], (i) => 0.1 * i - 0.2),
      zero: new Tensor('float32', [], new Float32Array([0])),
      six: new Tensor('float32', [], new Float32Array([6])),
      r: ramp([c, 1, 1], (i) => i - 1.5),
    },
  });
}

const feeds = (o: BlockOptions, batch: number) => ({ x: ramp([batch, o.channels, ...o.size], (i) => 3 * Math.sin(i * 0.173)) });

it('quantizes the stages\' filters of an int8 compile, as it does a Conv\'s', () => {
  // a block wide enough that its filters pass the size below which weights stay float32
  const o: BlockOptions = { channels: 16, size: [6, 10] };
  const compiled = compileModel(block(o), { precision: 'int8' });
  expect(compiled.stats.ops).toEqual({ 'ai.model-edge.ConvChain': 1 });
  // we [96,16,1,1] and wp [16,96,1,1]; the depthwise filters (864 floats) too
  expect(compiled.int8?.quantizedTensors).toBe(3);
});

afterAll(() => useWasmKernels(null));

describe.each([
  ['JavaScript', false],
  ['WebAssembly', true],
])('convolution chains (%s)', (_label, wasm) => {
  beforeEach(() => (wasm ? installWasmKernels() : useWasmKernels(null)));

  it.each([
    ['plain pointwise GEMMs (6x10 planes)', { channels: 4, size: [6, 10] }],
    ['pointwise GEMMs computed transposed (7x7 planes)', { channels: 8, size: [7, 7] }],
    ['no biases', { channels: 8, size: [7, 7], noBias: true }],
  ] as Array<[string, BlockOptions]>)('makes an inverted residual block one ConvChain with its Add: %s', async (_name, o) => {
    const bytes = block(o);
    const nodes = compiledNodes(bytes);
    expect(nodes.map((n) => n.op)).toEqual(['ConvChain']);
    expect(nodes[0].attributes.stages).toBe(3);
    expect(nodes[0].attributes.clip).toEqual([0, 6, 0, 6, -Infinity, Infinity]);
    expect(nodes[0].inputs).toEqual(o.noBias ? ['x', 'we', '', 'wd', '', 'wp', '', 'x'] : ['x', 'we', 'be', 'wd', 'bd', 'wp', 'bp', 'x']);
    for (const batch of [1, 3]) {
      const { fused, separate } = fusedAndSeparate(bytes, feeds(o, batch));
      expectBitwise(fused.y, separate.y);
    }
    const theirs = await runOrt(bytes, feeds(o, 2));
    const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(feeds(o, 2));
    expectSameAsOrt('y', ours.y, theirs.y);
  });

  it('chains a stride-2 block without a residual', () => {
    const o: BlockOptions = { channels: 4, size: [9, 12], stride: 2, residual: 'none' };
    const nodes = compiledNodes(block(o));
    expect(nodes.map((n) => n.op)).toEqual(['ConvChain', 'Identity']);
    expect(nodes[0].inputs).toHaveLength(7);
    expect(nodes[0].attributes.strides).toEqual([1, 1, 2, 2, 1, 1]);
    const { fused, separate } = fusedAndSeparate(block(o), feeds(o, 2));
    expectBitwise(fused.y, separate.y);
  });

  it('fuses a residual Add into a single 3x3 Conv (ResNet\'s), and a depthwise last stage of a chain', () => {
    const bytes = buildModel({
      opsets: { '': 17 },
      inputs: [input('x', 'float32', ['N', 3, 5, 9])],
      outputs: [output('y', 'float32', null), output('v', 'float32', null)],
      nodes: [
        node('Conv', ['x', 'w3', 'b3'], ['c'], { pads: attr.ints([1, 1, 1, 1]) }),
        node('Add', ['c', 'x'], ['y']),
        node('Conv', ['x', 'w1'], ['e']),
        node('Conv', ['e', 'wd'], ['d'], { group: attr.int(3), pads: attr.ints([1, 1, 1, 1]) }),
        node('Add', ['x', 'd'], ['v']),
      ],
      initializers: {
        w3: ramp([3, 3, 3, 3], (i) => Math.sin(i * 0.3) / 2),
        b3: ramp([3], (i) => i / 10),
        w1: ramp([3, 3, 1, 1], (i) => Math.cos(i * 0.9)),
        wd: ramp([3, 1, 3, 3], (i) => Math.sin(i * 0.61)),
      },
    });
    const nodes = compiledNodes(bytes);
    expect(nodes.map((n) => [n.op, n.attributes.stages, n.inputs.length])).toEqual([['ConvChain', 1, 4], ['ConvChain', 2, 6]]);
    const x = { x: ramp([2, 3, 5, 9], (i) => Math.cos(i * 0.29)) };
    const { fused, separate } = fusedAndSeparate(bytes, x);
    for (const name of ['y', 'v']) expectBitwise(fused[name], separate[name]);
  });

  it('gives an Add whose two operands both end chains (ResNet\'s block with a downsample Conv) to the first chain only', () => {
    const bytes = buildModel({
      opsets: { '': 17 },
      inputs: [input('x', 'float32', ['N', 3, 6, 8])],
      outputs: [output('y', 'float32', null)],
      nodes: [
        node('Conv', ['x', 'w3', 'b3'], ['c1'], { pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }),
        node('Relu', ['c1'], ['r1']),
        node('Conv', ['r1', 'w4', 'b4'], ['c2'], { pads: attr.ints([1, 1, 1, 1]) }),
        node('Conv', ['x', 'w1'], ['down'], { strides: attr.ints([2, 2]) }),
        node('Add', ['c2', 'down'], ['y']),
      ],
      initializers: {
        w3: ramp([4, 3, 3, 3], (i) => Math.sin(i * 0.3) / 2),
        b3: ramp([4], (i) => i / 10),
        w4: ramp([4, 4, 3, 3], (i) => Math.cos(i * 0.41) / 3),
        b4: ramp([4], (i) => 0.2 - i / 20),
        w1: ramp([4, 3, 1, 1], (i) => Math.cos(i * 0.9)),
      },
    });
    const nodes = compiledNodes(bytes);
    expect(nodes.map((n) => n.op)).toEqual(['Conv', 'ConvChain']);
    expect(nodes[1].attributes.stages).toBe(2);
    expect(nodes[1].inputs[nodes[1].inputs.length - 1]).toBe('down');
    const x = { x: ramp([2, 3, 6, 8], (i) => Math.cos(i * 0.29)) };
    const { fused, separate } = fusedAndSeparate(bytes, x);
    expectBitwise(fused.y, separate.y);
  });

  it('leaves the Add alone when its other operand broadcasts', () => {
    const o: BlockOptions = { channels: 4, size: [6, 10], residual: 'broadcast' };
    const nodes = compiledNodes(block(o));
    expect(nodes.map((n) => n.op)).toEqual(['ConvChain', 'Add']);
    expect(nodes[0].inputs).toHaveLength(7);
    const { fused, separate } = fusedAndSeparate(block(o), feeds(o, 2));
    expectBitwise(fused.y, separate.y);
  });

  it('ends a chain where a value has a second reader, and fuses no Add after a conv output read elsewhere', () => {
    const o: BlockOptions = { channels: 4, size: [6, 10], expose: ['er', 'p'] };
    const nodes = compiledNodes(block(o));
    // expand + Relu6 alone (its output is a graph output); depthwise -> project chained; the Add separate
    expect(nodes.map((n) => n.op)).toEqual(['Conv', 'ConvChain', 'Add']);
    expect(nodes[0].attributes[FUSED_CLIP]).toEqual([0, 6]);
    expect(nodes[1].attributes.stages).toBe(2);
    const { fused, separate } = fusedAndSeparate(block(o), feeds(o, 2));
    for (const name of ['y', 'er', 'p']) expectBitwise(fused[name], separate[name]);
  });
});
