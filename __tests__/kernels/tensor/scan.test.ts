/** @jest-environment ./__tests__/support/ort-environment.js */
import { attr, buildModel, input, node, output, tensor, type AttrSpec } from '../../support/onnx-builder';
import { expectSameAsOrt } from '../../support/compare';
import { graphOf, withGraphAttributes } from '../../support/graph-attribute';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import type { Dim } from '../../../worker/runtime/graph';
import type { Tensor } from '../../../worker/runtime/tensor';

/** body(s, x...) -> s + sum(x), (s + sum(x)) * 2: a running sum and a doubled copy of it */
function sumBody(sliceShape: readonly Dim[], scanInputs = 1, states = 1, dtype: 'float32' | 'int64' = 'float32') {
  const xs = Array.from({ length: scanInputs }, (_, i) => `x${i}`);
  const nodes = [node(scanInputs > 1 ? 'Sum' : 'Identity', xs, ['xsum'])];
  const stateNames = Array.from({ length: states }, (_, i) => `s${i}`);
  stateNames.forEach((s, i) => nodes.push(node('Add', [s, 'xsum'], [`${s}_out`])));
  const last = states > 0 ? `${stateNames[states - 1]}_out` : 'xsum';
  nodes.push(node('Add', [last, last], ['y']), node('Neg', ['xsum'], ['z']));
  return graphOf({
    inputs: [...stateNames.map((s) => input(s, dtype, [...sliceShape])), ...xs.map((x) => input(x, dtype, [...sliceShape]))],
    outputs: [...stateNames.map((s) => output(`${s}_out`, dtype, sliceShape)), output('y', dtype, sliceShape), output('z', dtype, sliceShape)],
    nodes,
  }, 'body');
}

interface ScanCase {
  opset: number;
  inputs: Record<string, Tensor>;
  /** node input names; '' omits one */
  nodeInputs: string[];
  outputs: number;
  attributes: Record<string, AttrSpec>;
  body: ReturnType<typeof sumBody>;
}

async function sameAsOrt(c: ScanCase): Promise<Record<string, Tensor>> {
  const outs = Array.from({ length: c.outputs }, (_, i) => `out${i}`);
  const spec = {
    opsets: { '': c.opset },
    inputs: Object.entries(c.inputs).map(([name, t]) => input(name, t.dtype, [...t.shape])),
    outputs: outs.map((o) => output(o, c.body.output![0].type!.tensorType!.elemType === 7 ? 'int64' : 'float32', null)),
    nodes: [node('Scan', c.nodeInputs, outs, c.attributes)],
  } as const;
  const model = withGraphAttributes(buildModel(spec), 0, { body: c.body });
  const ours = runOurs(model, c.inputs);
  const theirs = await runOrt(model, c.inputs);
  for (const o of outs) expectSameAsOrt(o, ours[o], theirs[o]);
  return ours;
}

const seq = (shape: number[], dtype: 'float32' | 'int64' = 'float32') =>
  tensor(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'int64' ? BigInt((i * 7) % 11) : ((i * 7) % 11) - 3.5)));

describe('Scan (opset 9+) against onnxruntime', () => {
  it('scans axis 0 forward: final state and stacked outputs', async () => {
    for (const opset of [9, 11, 16, 21]) {
      const ours = await sameAsOrt({
        opset, inputs: { s: seq([2]), x: seq([4, 2]) }, nodeInputs: ['s', 'x'], outputs: 3,
        attributes: { num_scan_inputs: attr.int(1) }, body: sumBody([2]),
      });
      expect(ours.out1.shape).toEqual([4, 2]);
    }
  });

  it('scan input axes and directions, output axes (negative too) and directions', async () => {
    const inputs = { s: seq([3]), a: seq([3, 5]), b: seq([5, 3]) };
    const body = sumBody([3], 2);
    for (const [inAxes, inDirs, outAxes, outDirs] of [
      [[1, 0], [0, 0], [0, 0], [0, 0]],
      [[1, 0], [1, 0], [1, 0], [0, 1]],
      [[-1, 0], [0, 1], [-1, 1], [1, 1]],
      [[1, -2], [1, 1], [0, -2], [1, 0]],
    ]) {
      const ours = await sameAsOrt({
        opset: 16, inputs, nodeInputs: ['s', 'a', 'b'], outputs: 3, body,
        attributes: { num_scan_inputs: attr.int(2), scan_input_axes: attr.ints(inAxes), scan_input_directions: attr.ints(inDirs), scan_output_axes: attr.ints(outAxes), scan_output_directions: attr.ints(outDirs) },
      });
      expect(ours.out1.shape).toEqual(outAxes[0] === 0 ? [5, 3] : [3, 5]);
    }
  });

  it('several states, no states, int64 values and a single-step scan', async () => {
    await sameAsOrt({ opset: 16, inputs: { s: seq([2, 2]), t: seq([2, 2]), x: seq([3, 2, 2]) }, nodeInputs: ['s', 't', 'x'], outputs: 4, attributes: { num_scan_inputs: attr.int(1) }, body: sumBody([2, 2], 1, 2) });
    await sameAsOrt({ opset: 16, inputs: { x: seq([3, 4]) }, nodeInputs: ['x'], outputs: 2, attributes: { num_scan_inputs: attr.int(1) }, body: sumBody([4], 1, 0) });
    await sameAsOrt({ opset: 16, inputs: { s: seq([2], 'int64'), x: seq([6, 2], 'int64') }, nodeInputs: ['s', 'x'], outputs: 3, attributes: { num_scan_inputs: attr.int(1) }, body: sumBody([2], 1, 1, 'int64') });
    await sameAsOrt({ opset: 16, inputs: { s: seq([2]), x: seq([1, 2]) }, nodeInputs: ['s', 'x'], outputs: 3, attributes: { num_scan_inputs: attr.int(1) }, body: sumBody([2]) });
  });

  it('scans zero slices: the states pass through and the outputs are empty (onnxruntime refuses this)', () => {
    const spec = {
      opsets: { '': 16 },
      inputs: [input('s', 'float32', [2]), input('x', 'float32', [0, 2])],
      outputs: ['o0', 'o1', 'o2'].map((o) => output(o, 'float32', null)),
      nodes: [node('Scan', ['s', 'x'], ['o0', 'o1', 'o2'], { num_scan_inputs: attr.int(1) })],
    };
    const s = seq([2]);
    const ours = runOurs(withGraphAttributes(buildModel(spec), 0, { body: sumBody([2]) }), { s, x: seq([0, 2]) });
    expect(Array.from(ours.o0.data as Float32Array)).toEqual(Array.from(s.data as Float32Array));
    expect(ours.o1.shape).toEqual([0, 2]);
  });
});

describe('Scan (opset 8, batched, sequence_lens) against onnxruntime', () => {
  const inputs = { s: seq([3, 2]), x: seq([3, 4, 2]) };

  it('runs every batch row over the whole sequence without sequence_lens', async () => {
    const ours = await sameAsOrt({ opset: 8, inputs, nodeInputs: ['', 's', 'x'], outputs: 3, attributes: { num_scan_inputs: attr.int(1) }, body: sumBody([2]) });
    expect(ours.out1.shape).toEqual([3, 4, 2]);
  });

  it('stops each row at its sequence length (outputs past it are zero), forward and reverse', async () => {
    for (const directions of [[0], [1]]) {
      await sameAsOrt({
        opset: 8, inputs: { ...inputs, lens: tensor('int64', [3], [4, 1, 3]) }, nodeInputs: ['lens', 's', 'x'], outputs: 3,
        attributes: { num_scan_inputs: attr.int(1), directions: attr.ints(directions) }, body: sumBody([2]),
      });
    }
  });

  it('two scan inputs in opposite directions', async () => {
    await sameAsOrt({
      opset: 8, inputs: { s: seq([2, 3]), a: seq([2, 5, 3]), b: seq([2, 5, 3]), lens: tensor('int64', [2], [3, 5]) }, nodeInputs: ['lens', 's', 'a', 'b'], outputs: 3,
      attributes: { num_scan_inputs: attr.int(2), directions: attr.ints([1, 0]) }, body: sumBody([3], 2),
    });
  });
});

describe('Scan errors', () => {
  const run = (inputs: Record<string, Tensor>, nodeInputs: string[], attributes: Record<string, AttrSpec>, opset = 16) => () => {
    const spec = {
      opsets: { '': opset },
      inputs: Object.entries(inputs).map(([name, t]) => input(name, t.dtype, [...t.shape])),
      outputs: [output('o0', 'float32', null), output('o1', 'float32', null), output('o2', 'float32', null)],
      nodes: [node('Scan', nodeInputs, ['o0', 'o1', 'o2'], attributes)],
    };
    runOurs(withGraphAttributes(buildModel(spec), 0, { body: sumBody([2]) }), inputs);
  };

  it('names the problem', () => {
    expect(run({ s: seq([2]), x: seq([4, 2]) }, ['s', 'x'], { num_scan_inputs: attr.int(3) })).toThrow(/num_scan_inputs is 3 but the body takes only 2 input\(s\)/);
    expect(run({ s: seq([2]), x: seq([4, 2]) }, ['s', 'x'], { num_scan_inputs: attr.int(1), scan_input_directions: attr.ints([2]) })).toThrow(/"scan_input_directions" must hold 0 \(forward\) or 1 \(reverse\)/);
    expect(run({ s: seq([2]), x: seq([4, 2]) }, ['s', 'x'], { num_scan_inputs: attr.int(1), scan_output_axes: attr.ints([0]) })).toThrow(/"scan_output_axes" has 1 entries; it needs one per scan output \(2\)/);
    expect(run({ s: seq([2]), x: seq([4, 2]) }, ['s', 'x'], { num_scan_inputs: attr.int(1), scan_input_axes: attr.ints([2]) })).toThrow(/axis 2 is out of range/);
    expect(run({ s: seq([3]), x: seq([4, 2]) }, ['s', 'x'], { num_scan_inputs: attr.int(1) })).toThrow(/state 0 \("s0_out"\) changed from float32 \[3\] to float32 \[2\]|broadcast/);
    expect(run({ lens: tensor('int64', [1], [5]), s: seq([1, 2]), x: seq([1, 4, 2]) }, ['lens', 's', 'x'], { num_scan_inputs: attr.int(1) }, 8)).toThrow(/sequence_lens\[0\] is 5; it must lie in 1..4/);
  });
});
