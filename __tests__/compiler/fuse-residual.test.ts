/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Residual Add fusion: a transformer block's x + (h W + b) becomes one FusedMatMul with x as its
 * residual input, with the unfused graph's bits in JavaScript and WebAssembly and onnxruntime's
 * values; an Add that reads the product beside other readers, broadcasts, or reads a graph output
 * stays.
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import type { Node } from '../../worker/runtime/graph';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { FUSED_GELU } from '../../worker/runtime/kernels/common/fused-activation';
import { Tensor } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { expectSameAsOrt } from '../support/compare';
import { attr, buildModel, input, node, output, type NodeSpec } from '../support/onnx-builder';
import { runOrt } from '../support/ort-oracle';

const D = 24;
const H = 40;

const ramp = (shape: number[], f: (i: number) => number) =>
  new Tensor('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)));

interface Variant {
  /** the residual: x itself (default), or a graph input r of this shape */
  residualShape?: (string | number)[];
  /** Add(residual, product) instead of Add(product, residual) */
  residualFirst?: boolean;
  /** the product is also read by a Neg (an output n) */
  secondReader?: boolean;
  /** the product is also a graph output */
  productOutput?: boolean;
  /** a Gelu after the Add */
  gelu?: boolean;
  /** the Add's sum is also a graph output beside the LayerNormalization's */
  sumOutput?: boolean;
}

/**
 * x [N, 5, D] -> MatMul(W1 [D, H]) + b1 -> Relu -> MatMul(W2 [H, D]) + b2 = p -> Add(p, x) = s
 * -> LayerNormalization -> y: a transformer's FFN with its residual.
 */
function blockModel(v: Variant = {}): Uint8Array {
  const residual = v.residualShape ? 'r' : 'x';
  const nodes: NodeSpec[] = [
    node('MatMul', ['x', 'w1'], ['h0']),
    node('Add', ['h0', 'b1'], ['h1']),
    node('Relu', ['h1'], ['h']),
    node('MatMul', ['h', 'w2'], ['p0']),
    node('Add', ['p0', 'b2'], ['p']),
    node('Add', v.residualFirst ? [residual, 'p'] : ['p', residual], ['s']),
  ];
  let sum = 's';
  if (v.gelu) {
    nodes.push(node('Gelu', ['s'], ['g'], {}, 'com.microsoft'));
    sum = 'g';
  }
  nodes.push(node('LayerNormalization', [sum, 'gamma', 'beta'], ['y'], { axis: attr.int(-1) }));
  if (v.secondReader) nodes.push(node('Neg', ['p'], ['n']));
  return buildModel({
    opsets: { '': 17, 'com.microsoft': 1 },
    inputs: [input('x', 'float32', ['N', 5, D]), ...(v.residualShape ? [input('r', 'float32', v.residualShape)] : [])],
    outputs: [
      output('y', 'float32', null),
      ...(v.secondReader ? [output('n', 'float32', null)] : []),
      ...(v.productOutput ? [output('p', 'float32', null)] : []),
      ...(v.sumOutput ? [output(sum, 'float32', null)] : []),
    ],
    nodes,
    initializers: {
      w1: ramp([D, H], (i) => Math.cos(i * 0.37) / 4),
      b1: ramp([H], (i) => 0.05 * i - 0.9),
      w2: ramp([H, D], (i) => Math.sin(i * 0.53) / 5),
      b2: ramp([D], (i) => 0.3 - 0.02 * i),
      gamma: ramp([D], (i) => 1 + 0.01 * i),
      beta: ramp([D], (i) => 0.02 * i),
    },
  });
}

function feeds(n: number, residualShape?: number[]): Record<string, Tensor> {
  const x = ramp([n, 5, D], (i) => Math.sin(i * 0.11) * 2);
  return residualShape ? { x, r: ramp(residualShape, (i) => Math.cos(i * 0.29)) } : { x };
}

function compiled(bytes: Uint8Array): { nodes: readonly Node[]; session: InferenceSession } {
  const model = readArtifact(compileModel(bytes).artifact);
  return { nodes: model.graph.nodes, session: InferenceSession.create(model, { kernels: allKernels }) };
}

const products = (nodes: readonly Node[]) => nodes.filter((n) => n.op === 'FusedMatMul');
const ops = (nodes: readonly Node[]) => nodes.map((n) => n.op);

/** Every output of the two models, in JavaScript and then WebAssembly, bit for bit. */
function expectSameBits(fused: InferenceSession, plain: InferenceSession, input: Record<string, Tensor>, names: string[]): void {
  for (const wasm of [false, true]) {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
    const a = fused.run(input);
    const b = plain.run(input);
    for (const name of names) expect(Array.from(a[name].data as Float32Array)).toEqual(Array.from(b[name].data as Float32Array));
  }
  useWasmKernels(null);
}

describe('residual Add fusion', () => {
  afterAll(() => useWasmKernels(null));

  it.each([
    ['Add(p, x)', false],
    ['Add(x, p)', true],
  ])('folds %s into the FusedMatMul, with the bits of the unfused graph', (_label, residualFirst) => {
    const fused = compiled(blockModel({ residualFirst }));
    expect(ops(fused.nodes)).not.toContain('Add');
    const last = products(fused.nodes)[1];
    expect(last.inputs).toEqual(['h', 'w2', 'b2', 'x']);
    expect(last.outputs).toEqual(['s']);
    // the same graph with the product also an output keeps its Add: the unfused computation
    const plain = compiled(blockModel({ residualFirst, productOutput: true }));
    expect(ops(plain.nodes)).toContain('Add');
    for (const n of [1, 4, 9]) expectSameBits(fused.session, plain.session, feeds(n), ['y']);
  });

  it('matches onnxruntime, with the WebAssembly kernels', async () => {
    const bytes = blockModel();
    const input = feeds(3);
    const theirs = await runOrt(bytes, input);
    installWasmKernels();
    const ours = compiled(bytes).session.run(input);
    useWasmKernels(null);
    expectSameAsOrt('y', ours.y, theirs.y, { atol: 1e-5, rtol: 1e-4 });
  });

  it('folds a GELU after the Add into the same epilogue, after the residual', () => {
    const fused = compiled(blockModel({ gelu: true }));
    expect(ops(fused.nodes)).not.toContain('Add');
    expect(ops(fused.nodes)).not.toContain('Gelu');
    expect(products(fused.nodes)[1].attributes[FUSED_GELU]).toBe(1);
    const plain = compiled(blockModel({ gelu: true, productOutput: true }));
    expect(ops(plain.nodes)).toEqual(expect.arrayContaining(['Add', 'Gelu']));
    expectSameBits(fused.session, plain.session, feeds(4), ['y']);
  });

  it('folds when the sum is a graph output too', () => {
    const fused = compiled(blockModel({ sumOutput: true }));
    expect(ops(fused.nodes)).not.toContain('Add');
    const plain = compiled(blockModel({ sumOutput: true, productOutput: true }));
    expectSameBits(fused.session, plain.session, feeds(2), ['y', 's']);
  });

  it('folds a residual that is another input of the same shape', () => {
    const fused = compiled(blockModel({ residualShape: ['N', 5, D] }));
    expect(products(fused.nodes)[1].inputs[3]).toBe('r');
  });

  it.each([
    ['the product has another reader', { secondReader: true }],
    ['the product is a graph output', { productOutput: true }],
    ['the residual broadcasts over rows', { residualShape: [1, 1, D] }],
    ['the residual broadcasts over the batch', { residualShape: [1, 5, D] }],
    ['the residual is a vector', { residualShape: [D] }],
  ])('leaves the Add when %s', (_label, variant: Variant) => {
    const { nodes } = compiled(blockModel(variant));
    const add = nodes.find((n) => n.op === 'Add');
    expect(add).toBeDefined();
    expect(products(nodes).every((p) => p.inputs.length <= 3)).toBe(true);
  });
});
