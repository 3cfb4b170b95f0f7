/**
 * The compile budget (lib/model-compiler/compile-budget.ts): what compiling may cost in node runs,
 * element operations and bytes, shared by constant folding and the shape probe; and allocation
 * failures, which must fail the compile rather than pass for "could not probe".
 */
import { compileModel, ModelCompileError } from '../../lib/model-compiler';
import { estimateElementOps } from '../../lib/model-compiler/work-estimate';
import type { Node } from '../../worker/runtime/graph';
import { Tensor } from '../../worker/runtime/tensor';
import { doublingFoldBomb, nestedLoopModel, probeContractionBomb } from '../security/support/hostile-models';
import { AT, DT, modelBytes, node, valueInfo } from './onnx-builder';

function problemsOf(bytes: Uint8Array, options: Parameters<typeof compileModel>[1] = {}): string {
  try {
    compileModel(bytes, options);
  } catch (e) {
    if (e instanceof ModelCompileError) return e.problems.join('\n');
    throw e;
  }
  throw new Error('the model compiled');
}

const int64 = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: DT.INT64, int64Data: values });

describe('the compile budget', () => {
  it('lets a model with loops within the budget compile, and probes its output shape', () => {
    const compiled = compileModel(nestedLoopModel(30));
    expect(compiled.signature.outputs[0].shape).toEqual([1, 4]);
  });

  it('charges nested loop bodies against one budget and names the path of nodes', () => {
    const problems = problemsOf(nestedLoopModel(1000), { budget: { maxNodeRuns: 10_000 } });
    expect(problems).toMatch(/^Loop node "outer" > Loop node "inner".*: the compile budget ran out while probing output shapes: more than 10,000 node runs/);
    expect(problems).toMatch(/declare every graph output's shape/);
  });

  it('refuses a kernel whose estimated work is over the limit before running it', () => {
    // (run, it would take minutes: the test's timeout would fail it)
    expect(problemsOf(probeContractionBomb())).toMatch(/Einsum node "square".*[\d,]+ element operations, above the limit of 4,000,000,000/);
  });

  it('counts the slices a Loop collects for its scan outputs while it runs', () => {
    const body = {
      name: 'collect',
      input: [valueInfo('i', DT.INT64, []), valueInfo('c', DT.BOOL, []), valueInfo('v', DT.FLOAT)],
      output: [valueInfo('c2', DT.BOOL, []), valueInfo('v2', DT.FLOAT), valueInfo('slice', DT.FLOAT)],
      node: [node('Identity', ['c'], ['c2']), node('Identity', ['v'], ['v2']), node('Identity', ['v'], ['slice'])],
    };
    const model = modelBytes({
      inputs: [valueInfo('x', DT.FLOAT, [1, 256])],
      outputs: [valueInfo('last', DT.FLOAT), valueInfo('y', DT.FLOAT)],
      initializers: [int64('M', [], [10_000])],
      nodes: [node('Loop', ['M', '', 'x'], ['last', 'y'], [{ name: 'body', type: AT.GRAPH, g: body }], { name: 'collector' })],
    });
    // 10,000 slices of 1 KiB: refused at 4 MiB, before the Loop has stacked them
    expect(problemsOf(model, { budget: { maxBytes: 4 * 1024 * 1024 } })).toMatch(/^Loop node "collector": .*4 MiB of tensors materialized, above the limit of 4 MiB/);
    expect(compileModel(model).signature.outputs[1].shape).toEqual([10_000, 1, 256]);
  });

  it('counts bytes that constant folding materializes', () => {
    expect(problemsOf(doublingFoldBomb(1), { budget: { maxBytes: 8 * 1024 * 1024 } })).toMatch(
      /Concat node.*ran out while folding constants: \d+ MiB of tensors materialized, above the limit of 8 MiB; .*compute such values from the inputs/,
    );
  });
});

describe('allocation failures', () => {
  afterEach(() => jest.restoreAllMocks());

  /** Makes allocations of tensors with a dimension of 28 fail as V8 does when memory runs out. */
  function failAllocationsOfWidth28(): void {
    const zeros = Tensor.zeros.bind(Tensor);
    jest.spyOn(Tensor, 'zeros').mockImplementation(((dtype: never, shape: readonly number[]) => {
      if (shape.includes(28)) throw new RangeError('Array buffer allocation failed');
      return zeros(dtype, shape);
    }) as typeof Tensor.zeros);
  }

  it('fail the compile when they happen in the shape probe', () => {
    failAllocationsOfWidth28();
    const tiled = modelBytes({
      inputs: [valueInfo('x', DT.FLOAT, ['N', 4])],
      outputs: [valueInfo('y', DT.FLOAT)],
      initializers: [int64('reps', [2], [1, 7])],
      nodes: [node('Tile', ['x', 'reps'], ['y'], [], { name: 'widen' })],
    });
    expect(problemsOf(tiled)).toMatch(/output shapes exhausted the compiler \(Tile node "widen" failed: Array buffer allocation failed\)/);
  });

  it('fail the compile when they happen while folding constants', () => {
    failAllocationsOfWidth28();
    const folded = modelBytes({
      inputs: [valueInfo('x', DT.FLOAT, [1, 28])],
      outputs: [valueInfo('y', DT.FLOAT, [1, 28])],
      initializers: [{ name: 'w', dims: [1, 28], dataType: DT.FLOAT, floatData: new Array(28).fill(1) }],
      nodes: [node('Neg', ['w'], ['n'], [], { name: 'negate' }), node('Add', ['x', 'n'], ['y'])],
    });
    expect(problemsOf(folded)).toMatch(/Neg node "negate": folding its constant inputs exhausted the compiler \(Array buffer allocation failed\)/);
  });
});

describe('estimateElementOps', () => {
  const t = (shape: number[]) => Tensor.zeros('float32', shape);
  const n = (op: string, attributes: Node['attributes'] = {}): Node => ({ op, domain: '', name: '', inputs: [], outputs: [], attributes });

  it('counts contractions by their multiply-adds, and linear ops by the elements they read', () => {
    expect(estimateElementOps(n('MatMul'), [t([2, 3, 4]), t([2, 4, 5])])).toBe(24 + 40 + 24 * 5);
    expect(estimateElementOps(n('Gemm', { transA: 1 }), [t([4, 3]), t([4, 5])])).toBe(12 + 20 + 3 * 4 * 5);
    expect(estimateElementOps(n('Conv'), [t([1, 3, 8, 8]), t([16, 3, 3, 3])])).toBe(192 + 432 + 64 * 432);
    expect(estimateElementOps(n('MaxPool', { kernel_shape: [3, 3] }), [t([1, 2, 4, 4])])).toBe(32 + 32 * 9);
    expect(estimateElementOps(n('Einsum', { equation: 'ik,kj->ij' }), [t([2, 3]), t([3, 4])])).toBe(6 + 12 + 24);
    expect(estimateElementOps(n('Relu'), [t([10, 10])])).toBe(100);
  });
});
