import type { Graph, Model, Node } from '../../../worker/runtime/graph';
import { MAX_LOOP_ITERATIONS, loopKernel } from '../../../worker/runtime/kernels/tensor/loop';
import { InferenceSession } from '../../../worker/runtime/session';
import { allKernels } from '../../../worker/runtime/kernels/registry';
import { Tensor } from '../../../worker/runtime/tensor';
import { bool, f32, i64, runKernel, scalar, values } from '../kernel-harness';

const node = (op: string, inputs: string[], outputs: string[], attributes: Node['attributes'] = {}): Node => ({ op, domain: '', name: outputs[0], inputs, outputs, attributes });

/**
 * body(i, c, x): x_next = x + 1; scan = x_next * i; cond_out = x_next[0] < limit (limit read from
 * the outer graph), so the loop can stop on M or on cond.
 */
const body: Graph = {
  name: 'body',
  inputs: [
    { name: 'i', dtype: 'int64', shape: [] },
    { name: 'c', dtype: 'bool', shape: [] },
    { name: 'x', dtype: 'float32', shape: [2] },
  ],
  outputs: [
    { name: 'c_out', dtype: 'bool', shape: [] },
    { name: 'x_next', dtype: 'float32', shape: [2] },
    { name: 'scan', dtype: 'float32', shape: [2] },
  ],
  initializers: new Map<string, Tensor>([
    ['one', Tensor.from('float32', [], [1])],
    ['zero', Tensor.from('int64', [1], [0])],
  ]),
  nodes: [
    node('Add', ['x', 'one'], ['x_next']),
    node('Cast', ['i'], ['fi'], { to: 1 }),
    node('Mul', ['x_next', 'fi'], ['scan']),
    node('Gather', ['x_next', 'zero'], ['first']),
    node('Less', ['first', 'limit'], ['less']),
    node('Squeeze', ['less', 'zero'], ['c_out']),
  ],
};

function session(loopInputs: string[]): InferenceSession {
  const model: Model = {
    opsets: { '': 13 },
    metadata: {},
    graph: {
      name: 'main',
      inputs: [
        { name: 'M', dtype: 'int64', shape: [] },
        { name: 'cond', dtype: 'bool', shape: [] },
        { name: 'limit', dtype: 'float32', shape: [1] },
        { name: 'x0', dtype: 'float32', shape: [2] },
      ],
      outputs: [
        { name: 'x_final', dtype: 'float32', shape: null },
        { name: 'scans', dtype: 'float32', shape: null },
      ],
      initializers: new Map(),
      nodes: [node('Loop', [...loopInputs, 'x0'], ['x_final', 'scans'], { body })],
    },
  };
  return InferenceSession.create(model, { kernels: allKernels });
}

const feeds = (m: number, limit: number) => ({
  M: scalar('int64', m),
  cond: scalar('bool', true),
  limit: f32([1], [limit]),
  x0: f32([2], [0, 10]),
});

describe('Loop', () => {
  it('runs M iterations, carries values and stacks scan outputs along a new axis 0', () => {
    const out = session(['M', '']).run(feeds(4, 1e9));
    expect(values(out.x_final)).toEqual([4, 14]);
    expect(out.scans.shape).toEqual([4, 2]);
    // iteration k: x_next = x0 + k + 1, scan = x_next * k (each slice copied out of the reused buffer)
    expect(values(out.scans)).toEqual([0, 0, 2, 12, 6, 26, 12, 42]);
  });

  it('stops when cond turns false, with or without a trip count', () => {
    for (const inputs of [['', 'cond'], ['M', 'cond']]) {
      const out = session(inputs).run(feeds(100, 3));
      expect(values(out.x_final)).toEqual([3, 13]);
      expect(out.scans.shape).toEqual([3, 2]);
    }
    // the trip count wins when it is smaller
    expect(values(session(['M', 'cond']).run(feeds(2, 3)).x_final)).toEqual([2, 12]);
  });

  it('ignores the body cond when the node has no cond input (a for-loop)', () => {
    expect(values(session(['M', '']).run(feeds(5, 0)).x_final)).toEqual([5, 15]);
  });

  it('returns the initial values and empty scans after zero iterations', () => {
    const out = session(['M', '']).run(feeds(0, 1e9));
    expect(values(out.x_final)).toEqual([0, 10]);
    expect(out.scans.shape).toEqual([0, 2]);
    const noCond = session(['M', 'cond']).run({ ...feeds(5, 1e9), cond: scalar('bool', false) });
    expect(values(noCond.x_final)).toEqual([0, 10]);
  });

  it(`fails instead of hanging when neither M nor cond ends the loop (cap ${MAX_LOOP_ITERATIONS})`, () => {
    const trivialBody: Graph = {
      name: 'spin',
      inputs: [
        { name: 'i', dtype: 'int64', shape: [] },
        { name: 'c', dtype: 'bool', shape: [] },
      ],
      outputs: [{ name: 'c_out', dtype: 'bool', shape: [] }],
      initializers: new Map(),
      nodes: [],
    };
    let calls = 0;
    const stillTrue = bool([], [1]);
    const run = () =>
      runKernel(loopKernel, [undefined, bool([], [1])], {
        attributes: { body: trivialBody },
        outputs: 0,
        runSubgraph: () => {
          calls++;
          return [stillTrue];
        },
      });
    expect(run).toThrow(/stopped after 1000000 iterations: the loop has no trip count and its condition is still true/);
    expect(calls).toBe(MAX_LOOP_ITERATIONS);
    // a trip count of INT64_MAX (how exporters write while-loops) hits the same cap
    calls = 0;
    expect(() =>
      runKernel(loopKernel, [i64([], [9223372036854775807n]), undefined], { attributes: { body: trivialBody }, outputs: 0, runSubgraph: () => (calls++, [stillTrue]) }),
    ).toThrow(/stopped after 1000000 iterations: the loop has trip count 9223372036854776000/);
  });

  it('rejects a body whose scan output changes shape between iterations', () => {
    const b: Graph = { ...body, outputs: [body.outputs[0], body.outputs[1], { name: 'scan', dtype: 'float32', shape: null }] };
    let k = 0;
    const run = () =>
      runKernel(loopKernel, [scalar('int64', 3), undefined, f32([2], [0, 0])], {
        attributes: { body: b },
        outputs: 2,
        runSubgraph: () => [bool([], [1]), f32([2], [0, 0]), f32([++k], new Array(k).fill(0))],
      });
    expect(run).toThrow(/scan output 0 \("scan"\) is float32 \[2\] in iteration 1 but was float32 \[1\] before/);
  });
});
