import { compileModel } from '../../lib/model-compiler';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceInputError, ModelError } from '../../worker/runtime/errors';
import type { Model } from '../../worker/runtime/graph';
import type { KernelContext } from '../../worker/runtime/kernel';
import { findKernel, allKernels } from '../../worker/runtime/kernels/registry';
import { InferenceSession } from '../../worker/runtime/session';
import { Tensor } from '../../worker/runtime/tensor';
import { DT, modelBytes, node, reluAddModel, valueInfo } from './onnx-builder';

function load(bytes: Uint8Array): InferenceSession {
  return InferenceSession.create(readArtifact(compileModel(bytes).artifact), { kernels: allKernels });
}

const x = (rows: number, values?: number[]) => Tensor.from('float32', [rows, 3], values ?? Array.from({ length: rows * 3 }, (_, i) => i - 2));

describe('InferenceSession', () => {
  it('runs a model and returns outputs by name', () => {
    const s = load(reluAddModel());
    const { y } = s.run({ x: x(1, [-1, 0, 5]) });
    expect(y.shape).toEqual([1, 3]);
    expect(Array.from(y.data as Float32Array)).toEqual([1, 2, 8]);
  });

  it('reuses a node output buffer across runs of the same shape and hands callers fresh copies', () => {
    const relu = findKernel('', 'Relu')!;
    const buffers: Tensor[] = [];
    const spy = jest.spyOn(relu, 'run').mockImplementation((inputs, _attrs, ctx: KernelContext) => {
      const input = inputs[0]!;
      const out = ctx.output(0, 'float32', input.shape);
      const src = input.data as Float32Array;
      const dst = out.data;
      for (let i = 0; i < src.length; i++) dst[i] = Math.max(src[i], 0);
      buffers.push(out);
      return [out];
    });
    try {
      const s = load(modelBytes({ nodes: [node('Relu', ['x'], ['y'])], inputs: [valueInfo('x', DT.FLOAT, ['n', 3])], outputs: [valueInfo('y', DT.FLOAT)] }));
      buffers.length = 0; // compiling runs the model to infer output shapes
      const first = s.run({ x: x(2) }).y;
      const second = s.run({ x: x(2, [9, 9, 9, 9, 9, 9]) }).y;
      s.run({ x: x(4) });
      expect(buffers[1].data).toBe(buffers[0].data);
      expect(buffers[2].data).not.toBe(buffers[0].data);
      expect(first.data).not.toBe(buffers[0].data);
      expect(second.data).not.toBe(first.data);
      expect(Array.from(first.data as Float32Array)).toEqual([0, 0, 0, 1, 2, 3]);
    } finally {
      spy.mockRestore();
    }
  });

  it('validates feeds: missing, unknown, dtype, rank, fixed dims, shared dimension names', () => {
    const s = load(
      modelBytes({
        nodes: [node('Add', ['a', 'b'], ['y'])],
        inputs: [valueInfo('a', DT.FLOAT, ['batch', 3]), valueInfo('b', DT.FLOAT, ['batch', 3])],
        outputs: [valueInfo('y', DT.FLOAT)],
      }),
    );
    const a = x(2);
    expect(() => s.run({ a })).toThrow(/missing input "b"; the model's inputs are: "a" \(float32 \[batch, 3\]\)/);
    expect(() => s.run({ a, b: a, c: a })).toThrow(/unknown input "c"/);
    expect(() => s.run({ a, b: Tensor.from('int32', [2, 3], [1, 2, 3, 4, 5, 6]) })).toThrow(/input "b" has dtype int32, but the model expects float32/);
    expect(() => s.run({ a, b: Tensor.from('float32', [6], [1, 2, 3, 4, 5, 6]) })).toThrow(/rank 1/);
    expect(() => s.run({ a: x(3), b: Tensor.from('float32', [3, 2], [1, 2, 3, 4, 5, 6]) })).toThrow(/dimension 1 must be 3/);
    expect(() => s.run({ a, b: x(3) })).toThrow(/dimension "batch" is 2 in input "a" but 3 in input "b"/);
    expect(() => s.run({ a, b: a }, ['nope'])).toThrow(InferenceInputError);
  });

  it('runs only the nodes the requested outputs need', () => {
    const s = load(
      modelBytes({
        nodes: [node('Relu', ['x'], ['r']), node('Neg', ['x'], ['n'])],
        inputs: [valueInfo('x', DT.FLOAT, [1, 3])],
        outputs: [valueInfo('r', DT.FLOAT), valueInfo('n', DT.FLOAT)],
      }),
    );
    const neg = findKernel('', 'Neg')!;
    const spy = jest.spyOn(neg, 'run');
    try {
      const out = s.run({ x: x(1) }, ['r']);
      expect(Object.keys(out)).toEqual(['r']);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('runs If subgraphs that read outer-scope values by name', () => {
    const branch = (op: string, name: string) => ({
      name,
      node: [node(op, ['x'], [`${name}_out`])],
      input: [],
      output: [valueInfo(`${name}_out`, DT.FLOAT)],
      initializer: [],
    });
    const s = load(
      modelBytes({
        nodes: [
          node('If', ['cond'], ['y'], [
            { name: 'then_branch', type: 5, g: branch('Relu', 'then') },
            { name: 'else_branch', type: 5, g: branch('Neg', 'else') },
          ]),
        ],
        inputs: [valueInfo('cond', DT.BOOL, []), valueInfo('x', DT.FLOAT, [1, 3])],
        outputs: [valueInfo('y', DT.FLOAT)],
      }),
    );
    const input = x(1, [-1, 0, 2]);
    expect(Array.from(s.run({ cond: Tensor.from('bool', [], [1]), x: input }).y.data as Float32Array)).toEqual([0, 0, 2]);
    expect(Array.from(s.run({ cond: Tensor.from('bool', [], [0]), x: input }).y.data as Float32Array)).toEqual([1, -0, -2]);
  });

  describe('node plans', () => {
    const w = Tensor.from('float32', [3, 2], [1, 2, 3, 4, 5, 6]);
    /** y = MatMul(x, w), with w an initializer (and, optionally, also a graph input that a feed may override) */
    const matMulModel = (wIsInput: boolean): Model => ({
      opsets: { '': 17 },
      metadata: {},
      graph: {
        name: 'g',
        inputs: [{ name: 'x', dtype: 'float32', shape: ['n', 3] }, ...(wIsInput ? [{ name: 'w', dtype: 'float32' as const, shape: [3, 2] }] : [])],
        outputs: [{ name: 'y', dtype: 'float32', shape: null }],
        initializers: new Map([['w', w]]),
        nodes: [{ op: 'MatMul', domain: '', name: 'mm', inputs: ['x', 'w'], outputs: ['y'], attributes: {} }],
      },
    });

    it('are made once per input signature, with weights passed by value', () => {
      const plan = jest.spyOn(findKernel('', 'MatMul')!, 'plan');
      try {
        const s = InferenceSession.create(matMulModel(false), { kernels: allKernels });
        for (const rows of [2, 2, 5, 5, 2]) expect(s.run({ x: x(rows) }).y.shape).toEqual([rows, 2]);
        expect(plan).toHaveBeenCalledTimes(3);
        const [inputs] = plan.mock.calls[0];
        expect(inputs[0]).toEqual({ dtype: 'float32', shape: [2, 3] });
        expect(inputs[1]?.value).toBe(w);
        expect(Array.from(s.run({ x: x(1, [1, 1, 1]) }).y.data as Float32Array)).toEqual([9, 12]);
      } finally {
        plan.mockRestore();
      }
    });

    it('do not treat an initializer that a feed may override as a weight', () => {
      const plan = jest.spyOn(findKernel('', 'MatMul')!, 'plan');
      try {
        const s = InferenceSession.create(matMulModel(true), { kernels: allKernels });
        const other = Tensor.from('float32', [3, 2], [1, 0, 0, 1, 0, 0]);
        expect(Array.from(s.run({ x: x(1, [1, 1, 1]), w }).y.data as Float32Array)).toEqual([9, 12]);
        expect(Array.from(s.run({ x: x(1, [1, 1, 1]), w: other }).y.data as Float32Array)).toEqual([1, 1]);
        expect(plan.mock.calls[0][0][1]?.value).toBeUndefined();
      } finally {
        plan.mockRestore();
      }
    });
  });

  it('lists every node without a kernel when created from an IR model', () => {
    const model: Model = {
      opsets: { '': 17 },
      metadata: {},
      graph: {
        name: 'g',
        inputs: [{ name: 'x', dtype: 'float32', shape: null }],
        outputs: [{ name: 'z', dtype: 'float32', shape: null }],
        initializers: new Map(),
        nodes: [
          { op: 'NoSuchOp', domain: '', name: 'a', inputs: ['x'], outputs: ['y'], attributes: {} },
          { op: 'AlsoMissing', domain: 'com.example', name: 'b', inputs: ['y'], outputs: ['z'], attributes: {} },
        ],
      },
    };
    expect(() => InferenceSession.create(model, { kernels: allKernels })).toThrow(ModelError);
    expect(() => InferenceSession.create(model, { kernels: allKernels })).toThrow(/2 node\(s\): NoSuchOp node "a".*com.example.AlsoMissing node "b"/);
  });
});
