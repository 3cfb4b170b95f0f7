/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Value infos without a type: ONNX allows them and onnxruntime infers them. The shape here is the
 * one of a widely used voice-activity model (opset 15): an If on the sample rate whose branches
 * run an LSTM on outer-scope weights and declare their outputs with no type at all.
 */
import { onnx } from 'onnx-proto';
import { compileModel } from '../../lib/model-compiler';
import { attr, buildModel, input, node, output, tensor } from '../support/onnx-builder';
import { expectSameAsOrt } from '../support/compare';
import { graphOf, withGraphAttributes } from '../support/graph-attribute';
import { runOrt } from '../support/ort-oracle';
import { runOurs } from '../support/run-ours';
import type { Tensor } from '../../worker/runtime/tensor';

const HIDDEN = 5;
const INPUT = 4;
const STEPS = 3;

function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.5);
}

/** A branch: LSTM over x with the weights named by `suffix`, then a sigmoid head. */
function branch(suffix: string, name: string): onnx.IGraphProto {
  return graphOf({
    inputs: [],
    outputs: [output('out', 'float32', null), output('hn', 'float32', null), output('cn', 'float32', null), output('steps', 'int64', null)],
    initializers: { axes: tensor('int64', [1], [1]) },
    nodes: [
      node('LSTM', ['x', `W${suffix}`, `R${suffix}`, `B${suffix}`, '', 'h', 'c'], ['Y', 'hn', 'cn'], { hidden_size: attr.int(HIDDEN) }),
      node('Squeeze', ['Y', 'axes'], ['Ysq']),
      node('Sigmoid', ['Ysq'], ['out']),
      node('Shape', ['Y'], ['steps']),
    ],
  }, name);
}

type Untyped = 'absent' | 'empty';

/** Removes the type of the named outputs of `g`: no TypeProto, or an empty one. */
function stripTypes(g: onnx.IGraphProto, how: Untyped, names?: readonly string[]): void {
  for (const o of g.output ?? []) {
    if (names && !names.includes(o.name ?? '')) continue;
    if (how === 'absent') o.type = null;
    else o.type = {};
  }
}

function vadModel(how: Untyped, mainOutputsToo: boolean): Uint8Array {
  const weights: Record<string, Tensor> = {};
  for (const [suffix, seed] of [['16k', 1], ['8k', 2]] as const) {
    weights[`W${suffix}`] = tensor('float32', [1, 4 * HIDDEN, INPUT], values(4 * HIDDEN * INPUT, seed));
    weights[`R${suffix}`] = tensor('float32', [1, 4 * HIDDEN, HIDDEN], values(4 * HIDDEN * HIDDEN, seed + 10));
    weights[`B${suffix}`] = tensor('float32', [1, 8 * HIDDEN], values(8 * HIDDEN, seed + 20));
  }
  const base = buildModel({
    opsets: { '': 15 },
    inputs: [input('x', 'float32', [STEPS, 1, INPUT]), input('sr', 'int64', []), input('h', 'float32', [1, 1, HIDDEN]), input('c', 'float32', [1, 1, HIDDEN])],
    outputs: [output('output', 'float32', null), output('hn', 'float32', [1, 1, HIDDEN]), output('cn', 'float32', [1, 1, HIDDEN]), output('steps', 'int64', [4])],
    initializers: { ...weights, rate16k: tensor('int64', [], [16000]) },
    nodes: [
      node('Equal', ['sr', 'rate16k'], ['is16k']),
      node('If', ['is16k'], ['output', 'hn', 'cn', 'steps']),
    ],
  });
  const thenBranch = branch('16k', 'then');
  const elseBranch = branch('8k', 'else');
  stripTypes(thenBranch, how);
  stripTypes(elseBranch, how);
  const withBranches = withGraphAttributes(base, 1, { then_branch: thenBranch, else_branch: elseBranch });
  if (!mainOutputsToo) return withBranches;
  const proto = onnx.ModelProto.decode(withBranches);
  stripTypes(proto.graph!, how);
  return onnx.ModelProto.encode(proto).finish();
}

const feeds = (rate: number) => ({
  x: tensor('float32', [STEPS, 1, INPUT], values(STEPS * INPUT, 5)),
  sr: tensor('int64', [], [rate]),
  h: tensor('float32', [1, 1, HIDDEN], values(HIDDEN, 6)),
  c: tensor('float32', [1, 1, HIDDEN], values(HIDDEN, 7)),
});

describe('value infos without a type', () => {
  for (const how of ['absent', 'empty'] as const) {
    it(`If branch outputs whose type is ${how} compile, get inferred types and match onnxruntime on both branches`, async () => {
      const model = vadModel(how, false);
      for (const rate of [16000, 8000]) {
        const ours = runOurs(model, feeds(rate));
        const theirs = await runOrt(model, feeds(rate));
        for (const name of ['output', 'hn', 'cn', 'steps']) expectSameAsOrt(name, ours[name], theirs[name]);
        expect(ours.steps.dtype).toBe('int64');
      }
    });
  }

  it('main graph outputs without a type take the type their producer gives them', async () => {
    const model = vadModel('empty', true);
    const compiled = compileModel(model);
    expect(compiled.signature.outputs.map((o) => [o.name, o.datatype])).toEqual([['output', 'FP32'], ['hn', 'FP32'], ['cn', 'FP32'], ['steps', 'INT64']]);
    const ours = runOurs(model, feeds(8000));
    const theirs = await runOrt(model, feeds(8000));
    for (const name of ['output', 'hn', 'cn', 'steps']) expectSameAsOrt(name, ours[name], theirs[name]);
  });

  it('an output whose producer gives no type is reported with the fix', () => {
    const proto = onnx.ModelProto.decode(buildModel({
      opsets: { '': 15 },
      inputs: [],
      outputs: [output('y', 'float32', null)],
      nodes: [node('RandomNormal', [], ['y'], { shape: attr.ints([2]) })],
    }));
    stripTypes(proto.graph!, 'empty');
    expect(() => compileModel(onnx.ModelProto.encode(proto).finish())).toThrow(/graph output "y" of the main graph has no type and none can be inferred from what produces it; declare its type \(onnx.shape_inference.infer_shapes fills it in\)/);
  });
});
