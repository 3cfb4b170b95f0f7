/** @jest-environment ./__tests__/support/ort-environment.js */
import { compileModel } from '../../lib/model-compiler';
import { fuseGelus } from '../../lib/model-compiler/fuse-gelu';
import { importOnnx } from '../../lib/model-compiler/onnx-import';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { buildModel, input, node, output, type NodeSpec } from '../support/onnx-builder';
import { expectSameAsOrt } from '../support/compare';
import { runOrt } from '../support/ort-oracle';

/** where the 1/sqrt 2 and the 0.5 go: Div(x, sqrt 2) or Mul(x, 1/sqrt 2), then (x a) 0.5, x (a 0.5) or (x 0.5) a */
type Form = 'div' | 'mul-scale' | 'x-then-half' | 'half-first';

interface Variant {
  form?: Form;
  /** swap the operands of the Add and of every Mul */
  swapped?: boolean;
  sqrt2?: number;
  one?: number;
  half?: number;
  /** make the constants rank 1 ([1]) instead of rank 0 */
  vectorConstants?: boolean;
  /** expose the Erf output as a graph output */
  exposeErf?: boolean;
}

const pair = (a: string, b: string, swapped: boolean | undefined): [string, string] => (swapped ? [b, a] : [a, b]);

/** x [N, 5, 16] -> Relu -> h -> GELU(h) in one of the exported spellings -> y */
function geluModel(v: Variant = {}): Uint8Array {
  const form = v.form ?? 'div';
  const s = v.swapped;
  const nodes: NodeSpec[] = [node('Relu', ['x'], ['r']), node('Sub', ['r', 'one'], ['h'])];
  nodes.push(form === 'mul-scale' ? node('Mul', pair('h', 'invSqrt2', s), ['scaled']) : node('Div', ['h', 'sqrt2'], ['scaled']));
  nodes.push(node('Erf', ['scaled'], ['e']), node('Add', pair('e', 'one', s), ['a']));
  if (form === 'div' || form === 'mul-scale') {
    nodes.push(node('Mul', pair('h', 'a', s), ['xa']), node('Mul', pair('xa', 'half', s), ['y']));
  } else if (form === 'x-then-half') {
    nodes.push(node('Mul', pair('a', 'half', s), ['ah']), node('Mul', pair('h', 'ah', s), ['y']));
  } else {
    nodes.push(node('Mul', pair('h', 'half', s), ['hh']), node('Mul', pair('hh', 'a', s), ['y']));
  }
  const scalar = (value: number) => new Tensor('float32', v.vectorConstants ? [1] : [], new Float32Array([value]));
  return buildModel({
    opsets: { '': 17 },
    inputs: [input('x', 'float32', ['N', 5, 16])],
    outputs: [output('y', 'float32', null), ...(v.exposeErf ? [output('e', 'float32', null)] : [])],
    nodes,
    initializers: {
      ...(form === 'mul-scale' ? { invSqrt2: scalar(1 / (v.sqrt2 ?? Math.SQRT2)) } : { sqrt2: scalar(v.sqrt2 ?? Math.SQRT2) }),
      one: scalar(v.one ?? 1),
      half: scalar(v.half ?? 0.5),
    },
  });
}

const feeds = { x: new Tensor('float32', [3, 5, 16], Float32Array.from({ length: 240 }, (_, i) => Math.sin(i * 1.3) * 4)) };

function compiledOps(bytes: Uint8Array): string[] {
  return readArtifact(compileModel(bytes).artifact).graph.nodes.map((n) => n.op);
}

async function expectSameAsOrtRun(bytes: Uint8Array): Promise<void> {
  const ours = InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels }).run(feeds);
  const theirs = await runOrt(bytes, feeds);
  for (const name of Object.keys(theirs)) expectSameAsOrt(name, ours[name], theirs[name], { atol: 1e-6, rtol: 1e-5 });
}

describe('GELU fusion', () => {
  const forms: Form[] = ['div', 'mul-scale', 'x-then-half', 'half-first'];
  for (const form of forms) {
    for (const swapped of [false, true]) {
      it(`turns the ${form} spelling${swapped ? ' with swapped operands' : ''} into one Gelu, with onnxruntime's results`, async () => {
        const bytes = geluModel({ form, swapped });
        expect(compiledOps(bytes)).toEqual(['Relu', 'Sub', 'Gelu']);
        await expectSameAsOrtRun(bytes);
      });
    }
  }

  it('puts the Gelu where the pattern ends, reading the pattern input', () => {
    const bytes = geluModel({ form: 'half-first' });
    const gelu = readArtifact(compileModel(bytes).artifact).graph.nodes[2];
    expect(gelu).toMatchObject({ op: 'Gelu', domain: 'com.microsoft', inputs: ['h'], outputs: ['y'] });
  });

  const notFused: [string, Variant][] = [
    ['the divisor is not sqrt 2', { sqrt2: 1.5 }],
    ['the added constant is not 1', { one: 2 }],
    ['the final factor is not 0.5', { half: 0.25 }],
    ['the constants have rank 1 (they could change a scalar input\'s shape)', { vectorConstants: true }],
    ['the Erf output is also a graph output', { exposeErf: true }],
  ];
  for (const [why, v] of notFused) {
    it(`leaves the ops alone when ${why}, with the same results`, async () => {
      const bytes = geluModel(v);
      expect(compiledOps(bytes)).toContain('Erf');
      expect(compiledOps(bytes)).not.toContain('Gelu');
      await expectSameAsOrtRun(bytes);
    });
  }

  it('counts what it fused', () => {
    const stats = { gelus: 0 };
    const bytes = geluModel();
    fuseGelus(importOnnx(bytes), stats);
    expect(stats.gelus).toBe(1);
  });
});
