/** @jest-environment ./__tests__/support/ort-environment.js */
import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { attr, buildModel, input, node, output, type NodeSpec } from '../support/onnx-builder';
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';

const C = 8;

interface Variant {
  exponent?: number;
  keepdims?: number;
  axes?: number[];
  affine?: boolean;
  /** extra graph outputs (intermediate values) */
  expose?: string[];
  /** an extra node reading the centered values */
  extraUse?: boolean;
}

/** x [N, 3, C] -> ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div (-> Mul gamma -> Add beta) -> y */
function layerNormModel(v: Variant = {}): Uint8Array {
  const reduce = { axes: attr.ints(v.axes ?? [-1]), keepdims: attr.int(v.keepdims ?? 1) };
  const nodes: NodeSpec[] = [
    node('ReduceMean', ['x'], ['mean'], reduce),
    node('Sub', ['x', 'mean'], ['centered']),
    node('Pow', ['centered', 'two'], ['squared']),
    node('ReduceMean', ['squared'], ['variance'], reduce),
    node('Add', ['eps', 'variance'], ['varEps']),
    node('Sqrt', ['varEps'], ['std']),
    node('Div', ['centered', 'std'], ['normalized']),
  ];
  let y = 'normalized';
  if (v.affine !== false) {
    nodes.push(node('Mul', ['normalized', 'gamma'], ['scaled']), node('Add', ['scaled', 'beta'], ['shifted']));
    y = 'shifted';
  }
  nodes.push(node('Identity', [y], ['y']));
  if (v.extraUse) nodes.push(node('Neg', ['centered'], ['negCentered']));
  const outputs = ['y', ...(v.expose ?? []), ...(v.extraUse ? ['negCentered'] : [])].map((o) => output(o, 'float32', null));
  const ramp = (n: number, f: (i: number) => number) => new Tensor('float32', [n], Float32Array.from({ length: n }, (_, i) => f(i)));
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', 3, C])],
    outputs,
    nodes,
    initializers: {
      two: new Tensor('float32', [], new Float32Array([v.exponent ?? 2])),
      eps: new Tensor('float32', [], new Float32Array([1e-5])),
      gamma: ramp(C, (i) => 1 + 0.1 * i),
      beta: ramp(C, (i) => 0.05 * i - 0.2),
    },
  });
}

function feeds(n: number): { x: Tensor } {
  return { x: new Tensor('float32', [n, 3, C], Float32Array.from({ length: n * 3 * C }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 5))) };
}

function compiledOps(bytes: Uint8Array): string[] {
  return readArtifact(compileModel(bytes).artifact).graph.nodes.map((n) => n.op);
}

async function expectSameAsOrtRun(bytes: Uint8Array): Promise<void> {
  const f = feeds(4);
  const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(f);
  const theirs = await runOrt(bytes, f);
  for (const name of Object.keys(theirs)) expectSameAsOrt(name, ours[name], theirs[name]);
}

describe('layer normalization fusion', () => {
  it('turns the seven ops plus gamma and beta into one LayerNormalization, with the same results', async () => {
    const bytes = layerNormModel();
    expect(compiledOps(bytes)).toEqual(['LayerNormalization', 'Identity']);
    await expectSameAsOrtRun(bytes);
  });

  it('fuses the pattern without Mul/Add, with unit scale and zero bias', async () => {
    const bytes = layerNormModel({ affine: false });
    expect(compiledOps(bytes)).toEqual(['LayerNormalization', 'Identity']);
    await expectSameAsOrtRun(bytes);
  });

  it('accepts the last axis given as a positive index when the input rank is known', () => {
    expect(compiledOps(layerNormModel({ axes: [2] }))).toEqual(['LayerNormalization', 'Identity']);
  });

  const notFused: [string, Variant][] = [
    ['the exponent is not 2', { exponent: 3 }],
    ['keepdims is 0', { keepdims: 0 }],
    ['the mean is over another axis', { axes: [1] }],
    ['an intermediate value is a graph output', { expose: ['std'] }],
    ['the centered values are read elsewhere', { extraUse: true }],
  ];
  for (const [why, v] of notFused) {
    it(`leaves the ops alone when ${why}, with the same results`, async () => {
      const bytes = layerNormModel(v);
      expect(compiledOps(bytes)).not.toContain('LayerNormalization');
      // onnxruntime's own LayerNormFusion also fuses Pow(x, 3) (its results are those of exponent 2),
      // so the oracle is skipped there; with keepdims 0 the Sub does not broadcast at all.
      if (v.keepdims === undefined && v.exponent === undefined) await expectSameAsOrtRun(bytes);
    });
  }

  it('stops after the division when gamma is not a 1-D constant', () => {
    const ops = compiledOps(
      buildModel({
        opsets: { '': 17 },
        inputs: [input('x', 'float32', ['N', C]), input('g', 'float32', [C])],
        outputs: [output('y', 'float32', null)],
        nodes: [
          node('ReduceMean', ['x'], ['mean'], { axes: attr.ints([-1]) }),
          node('Sub', ['x', 'mean'], ['centered']),
          node('Pow', ['centered', 'two'], ['squared']),
          node('ReduceMean', ['squared'], ['variance'], { axes: attr.ints([-1]) }),
          node('Add', ['variance', 'eps'], ['varEps']),
          node('Sqrt', ['varEps'], ['std']),
          node('Div', ['centered', 'std'], ['normalized']),
          node('Mul', ['normalized', 'g'], ['y']),
        ],
        initializers: { two: new Tensor('float32', [], new Float32Array([2])), eps: new Tensor('float32', [], new Float32Array([1e-6])) },
      }),
    );
    expect(ops).toEqual(['LayerNormalization', 'Mul']);
  });
});
