/** @jest-environment ./__tests__/support/ort-environment.js */
import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import type { Node } from '../../worker/runtime/graph';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { attr, buildModel, input, node, output, type NodeSpec } from '../support/onnx-builder';
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';
import { installWasmKernels } from '../../lib/wasm-module';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX } from '../../worker/runtime/kernels/common/fused-activation';

const K = 12;
const N = 10;

const ramp = (shape: number[], f: (i: number) => number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor('float32', shape, Float32Array.from({ length: n }, (_, i) => f(i)));
};

/** The scores of attention: Q [N, 2, 6, K] @ Kt [N, 2, K, 6], scaled by 1/sqrt(K) with Mul or Div. */
function scoresModel(scale: 'mul' | 'mul-swapped' | 'div' | 'vector' | 'none', expose = false): Uint8Array {
  const nodes: NodeSpec[] = [node('MatMul', ['q', 'k'], ['s'])];
  if (scale === 'mul' || scale === 'vector') nodes.push(node('Mul', ['s', 'c'], ['y']));
  else if (scale === 'mul-swapped') nodes.push(node('Mul', ['c', 's'], ['y']));
  else if (scale === 'div') nodes.push(node('Div', ['s', 'c'], ['y']));
  else nodes.push(node('Identity', ['s'], ['y']));
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('q', 'float32', ['N', 2, 6, K]), input('k', 'float32', ['N', 2, K, 6])],
    outputs: [output('y', 'float32', null), ...(expose ? [output('s', 'float32', null)] : [])],
    nodes,
    initializers: { c: new Tensor('float32', scale === 'vector' ? [1] : [], new Float32Array([scale === 'div' ? Math.sqrt(K) : 1 / Math.sqrt(K)])) },
  });
}

/** A linear layer x [N, 7, K] @ W [K, N] + b, optionally scaled between the two, then Relu. */
function linearModel(v: { biasFirst?: boolean; scaled?: boolean; biasShape?: number[]; biasInput?: boolean } = {}): Uint8Array {
  const nodes: NodeSpec[] = [node('MatMul', ['x', 'w'], ['p'])];
  let p = 'p';
  if (v.scaled) {
    nodes.push(node('Mul', ['p', 'half'], ['ps']));
    p = 'ps';
  }
  nodes.push(node('Add', v.biasFirst ? ['b', p] : [p, 'b'], ['z']), node('Relu', ['z'], ['y']));
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', 7, K]), ...(v.biasInput ? [input('b', 'float32', [N])] : [])],
    outputs: [output('y', 'float32', null)],
    nodes,
    initializers: {
      w: ramp([K, N], (i) => Math.cos(i * 0.7) / 3),
      half: new Tensor('float32', [], new Float32Array([0.5])),
      ...(v.biasInput ? {} : { b: ramp(v.biasShape ?? [N], (i) => 0.1 * i - 0.4) }),
    },
  });
}

/**
 * Attention's probabilities: Softmax(Mul(Q @ Kt, 1/sqrt K)) over `axis` (the last when omitted),
 * optionally unscaled, with the scores read a second time, or under an opset before 13.
 */
function probabilitiesModel(v: { axis?: number; scaled?: boolean; extra?: boolean; opset?: number } = {}): Uint8Array {
  const scaled = v.scaled ?? true;
  const nodes: NodeSpec[] = [node('MatMul', ['q', 'k'], scaled ? ['s'] : ['y'])];
  if (scaled) nodes.push(node('Mul', ['s', 'c'], ['y']));
  nodes.push(node('Softmax', ['y'], ['p'], v.axis === undefined ? {} : { axis: attr.int(v.axis) }));
  if (v.extra) nodes.push(node('Neg', ['y'], ['n']));
  return buildModel({
    opsets: { '': v.opset ?? 17 },
    inputs: [input('q', 'float32', ['N', 2, 6, K]), input('k', 'float32', ['N', 2, K, 6])],
    outputs: [output('p', 'float32', null), ...(v.extra ? [output('n', 'float32', null)] : [])],
    nodes,
    initializers: { c: new Tensor('float32', [], new Float32Array([1 / Math.sqrt(K)])) },
  });
}

type GeluSpelling = 'com.microsoft' | 'ai.onnx' | 'erf' | 'tanh';

/**
 * A linear layer x [N, 7, K] @ W [K, 20] + b followed by a GELU, spelled as com.microsoft Gelu,
 * ai.onnx Gelu (opset 20), the erf pattern exporters write, or the tanh approximation; `extra`
 * reads the product a second time, `expose` makes it a graph output.
 */
function geluModel(spelling: GeluSpelling, v: { extra?: boolean; expose?: boolean } = {}): Uint8Array {
  const nodes: NodeSpec[] = [node('MatMul', ['x', 'w'], ['p']), node('Add', ['p', 'b'], ['z'])];
  if (spelling === 'com.microsoft') nodes.push(node('Gelu', ['z'], ['y'], {}, 'com.microsoft'));
  else if (spelling === 'ai.onnx') nodes.push(node('Gelu', ['z'], ['y']));
  else if (spelling === 'tanh') nodes.push(node('Gelu', ['z'], ['y'], { approximate: attr.string('tanh') }));
  else {
    nodes.push(node('Div', ['z', 'sqrt2'], ['s']), node('Erf', ['s'], ['e']), node('Add', ['e', 'one'], ['a']));
    nodes.push(node('Mul', ['z', 'a'], ['za']), node('Mul', ['za', 'half'], ['y']));
  }
  if (v.extra) nodes.push(node('Neg', ['z'], ['n']));
  const scalar = (value: number) => new Tensor('float32', [], new Float32Array([value]));
  return buildModel({
    opsets: { '': spelling === 'ai.onnx' || spelling === 'tanh' ? 20 : 17, 'com.microsoft': 1 },
    inputs: [input('x', 'float32', ['N', 7, K])],
    outputs: [output('y', 'float32', null), ...(v.extra ? [output('n', 'float32', null)] : []), ...(v.expose ? [output('z', 'float32', null)] : [])],
    nodes,
    initializers: {
      w: ramp([K, 20], (i) => Math.cos(i * 0.7) / 2),
      b: ramp([20], (i) => 0.2 * i - 2),
      ...(spelling === 'erf' ? { sqrt2: scalar(Math.SQRT2), one: scalar(1), half: scalar(0.5) } : {}),
    },
  });
}

function compiledNodes(bytes: Uint8Array): Node[] {
  return [...readArtifact(compileModel(bytes).artifact).graph.nodes];
}

async function expectSameAsOrtRun(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<void> {
  const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(feeds);
  const theirs = await runOrt(bytes, feeds);
  for (const name of Object.keys(theirs)) expectSameAsOrt(name, ours[name], theirs[name], { atol: 1e-5, rtol: 1e-5 });
}

const scoreFeeds = { q: ramp([3, 2, 6, K], (i) => Math.sin(i * 0.37) * 2), k: ramp([3, 2, K, 6], (i) => Math.cos(i * 0.53) * 2) };
const linearFeeds = (b?: Tensor) => ({ x: ramp([3, 7, K], (i) => Math.sin(i * 0.91) * 2), ...(b ? { b } : {}) });

afterAll(() => useWasmKernels(null));

describe.each([
  ['JavaScript', false],
  ['WebAssembly', true],
])('MatMul epilogue fusion (%s GEMM)', (_label, wasm) => {
  beforeEach(() => (wasm ? installWasmKernels() : useWasmKernels(null)));

  it.each(['mul', 'mul-swapped', 'div'] as const)('folds the attention scale (%s) into FusedMatMul alpha', async (scale) => {
    const nodes = compiledNodes(scoresModel(scale));
    expect(nodes.map((n) => n.op)).toEqual(['FusedMatMul']);
    expect(nodes[0].attributes.alpha).toBeCloseTo(1 / Math.sqrt(K), 7);
    expect(nodes[0].inputs).toEqual(['q', 'k']);
    await expectSameAsOrtRun(scoresModel(scale), scoreFeeds);
  });

  it('folds a constant bias over the last axis into FusedMatMul, either operand order, and a scale before it, then the Relu after it', async () => {
    for (const v of [{}, { biasFirst: true }, { scaled: true }]) {
      const nodes = compiledNodes(linearModel(v));
      expect(nodes.map((n) => n.op)).toEqual(['FusedMatMul']);
      expect(nodes[0].inputs).toEqual(['x', 'w', 'b']);
      expect(nodes[0].attributes.alpha).toBe(v.scaled ? 0.5 : 1);
      expect(nodes[0].attributes[FUSED_CLIP]).toEqual([0, Infinity]);
      await expectSameAsOrtRun(linearModel(v), linearFeeds());
    }
  });

  it('applies a folded Clip in the FusedMatMul epilogue (values below, inside and above the bounds)', async () => {
    const bytes = buildModel({
      opsets: { '': 17 },
      inputs: [input('x', 'float32', ['N', 7, K])],
      outputs: [output('y', 'float32', null)],
      nodes: [node('MatMul', ['x', 'w'], ['p']), node('Add', ['p', 'b'], ['z']), node('Clip', ['z', 'lo', 'hi'], ['y'])],
      initializers: {
        w: ramp([K, N], (i) => Math.cos(i * 0.7) / 3),
        b: ramp([N], (i) => 0.1 * i - 0.4),
        lo: new Tensor('float32', [], new Float32Array([-0.25])),
        hi: new Tensor('float32', [], new Float32Array([0.5])),
      },
    });
    const nodes = compiledNodes(bytes);
    expect(nodes.map((n) => n.op)).toEqual(['FusedMatMul']);
    expect(nodes[0].attributes[FUSED_CLIP]).toEqual([-0.25, 0.5]);
    await expectSameAsOrtRun(bytes, linearFeeds());
  });

  it('leaves MatMul alone when the scale has rank 1, the product is also a graph output, or there is nothing to fold', async () => {
    expect(compiledNodes(scoresModel('vector')).map((n) => n.op)).toEqual(['MatMul', 'Mul']);
    expect(compiledNodes(scoresModel('mul', true)).map((n) => n.op)).toEqual(['MatMul', 'Mul']);
    expect(compiledNodes(scoresModel('none')).map((n) => n.op)).toEqual(['MatMul', 'Identity']);
    await expectSameAsOrtRun(scoresModel('vector'), scoreFeeds);
  });

  it.each(['com.microsoft', 'ai.onnx', 'erf'] as const)('folds the exact GELU (%s) into the FusedMatMul epilogue, with onnxruntime\'s results', async (spelling) => {
    const nodes = compiledNodes(geluModel(spelling));
    expect(nodes.map((n) => n.op)).toEqual(['FusedMatMul']);
    expect(nodes[0].attributes[FUSED_GELU]).toBe(1);
    expect(nodes[0].outputs).toEqual(['y']);
    await expectSameAsOrtRun(geluModel(spelling), linearFeeds());
  });

  it('leaves the Gelu apart when the product has another reader or is a graph output, or the GELU is the tanh one', async () => {
    expect(compiledNodes(geluModel('com.microsoft', { extra: true })).map((n) => n.op).sort()).toEqual(['FusedMatMul', 'Gelu', 'Neg']);
    expect(compiledNodes(geluModel('ai.onnx', { expose: true })).map((n) => n.op)).toEqual(['FusedMatMul', 'Gelu']);
    const tanh = compiledNodes(geluModel('tanh'));
    expect(tanh.map((n) => n.op)).toEqual(['FusedMatMul', 'Gelu']);
    expect(tanh[0].attributes[FUSED_GELU]).toBeUndefined();
    await expectSameAsOrtRun(geluModel('com.microsoft', { extra: true }), linearFeeds());
    await expectSameAsOrtRun(geluModel('tanh'), linearFeeds());
  });

  it('folds a Softmax over the last axis after the scaled scores into FusedMatMul, with onnxruntime\'s results', async () => {
    for (const axis of [undefined, -1]) {
      const nodes = compiledNodes(probabilitiesModel({ axis }));
      expect(nodes.map((n) => n.op)).toEqual(['FusedMatMul']);
      expect(nodes[0].attributes[FUSED_SOFTMAX]).toBe(1);
      expect(nodes[0].outputs).toEqual(['p']);
      await expectSameAsOrtRun(probabilitiesModel({ axis }), scoreFeeds);
    }
  });

  it('leaves the Softmax apart over another axis, before opset 13, after a plain MatMul, or when the scores have another reader', async () => {
    expect(compiledNodes(probabilitiesModel({ axis: 2 })).map((n) => n.op)).toEqual(['FusedMatMul', 'Softmax']);
    expect(compiledNodes(probabilitiesModel({ opset: 12 })).map((n) => n.op)).toEqual(['FusedMatMul', 'Softmax']);
    expect(compiledNodes(probabilitiesModel({ scaled: false })).map((n) => n.op)).toEqual(['MatMul', 'Softmax']);
    expect(compiledNodes(probabilitiesModel({ extra: true })).map((n) => n.op).sort()).toEqual(['FusedMatMul', 'Neg', 'Softmax']);
    await expectSameAsOrtRun(probabilitiesModel({ axis: 2 }), scoreFeeds);
    await expectSameAsOrtRun(probabilitiesModel({ opset: 12 }), scoreFeeds);
  });

  it('leaves the Add alone when the bias is not a 1-D constant of the weight\'s column count', async () => {
    // Relu stays apart from a plain MatMul: only a fused product carries an activation
    expect(compiledNodes(linearModel({ biasShape: [7, N] })).map((n) => n.op)).toEqual(['MatMul', 'Add', 'Relu']);
    expect(compiledNodes(linearModel({ biasShape: [1] })).map((n) => n.op)).toEqual(['MatMul', 'Add', 'Relu']);
    expect(compiledNodes(linearModel({ biasInput: true })).map((n) => n.op)).toEqual(['MatMul', 'Add', 'Relu']);
    await expectSameAsOrtRun(linearModel({ biasShape: [7, N] }), linearFeeds());
    await expectSameAsOrtRun(linearModel({ biasInput: true }), linearFeeds(ramp([N], (i) => i / 7)));
  });
});
