import type { Graph } from '../../../worker/runtime/graph';
import { constantKernel, constantOfShapeKernel } from '../../../worker/runtime/kernels/tensor/constant';
import { ifKernel } from '../../../worker/runtime/kernels/tensor/if';
import { rangeKernel } from '../../../worker/runtime/kernels/tensor/range';
import { shapeKernel, sizeKernel } from '../../../worker/runtime/kernels/tensor/shape';
import { triluKernel } from '../../../worker/runtime/kernels/tensor/trilu';
import { tensorKernels } from '../../../worker/runtime/kernels/tensor';
import { findKernel } from '../../../worker/runtime/kernels/registry';
import { i64, iota, parseAttributes, runKernel, t, vals } from './harness';

describe('Constant', () => {
  it('returns the tensor in whichever attribute holds it', () => {
    const value = iota([2]);
    expect(runKernel(constantKernel, [], { attributes: { value } })[0]).toBe(value);
    expect(runKernel(constantKernel, [], { attributes: { value_ints: [1, 2] } })[0].data).toEqual(new BigInt64Array([1n, 2n]));
    const [f] = runKernel(constantKernel, [], { attributes: { value_float: 2.5 } });
    expect([f.dtype, f.shape, vals(f)]).toEqual(['float32', [], [2.5]]);
    expect(vals(runKernel(constantKernel, [], { attributes: { value_strings: ['a', 'b'] } })[0])).toEqual(['a', 'b']);
  });

  it('needs exactly one value attribute and refuses sparse tensors', () => {
    expect(() => parseAttributes(constantKernel, {})).toThrow(/exactly one value attribute is required, got none/);
    expect(() => parseAttributes(constantKernel, { value_int: 1, value_float: 1 })).toThrow(/got value_float, value_int/);
    expect(() => parseAttributes(constantKernel, { sparse_value: iota([1]) })).toThrow(/sparse_value is not supported/);
  });
});

describe('ConstantOfShape', () => {
  it('fills float32 zeros by default, or the given value and type', () => {
    const [a] = runKernel(constantOfShapeKernel, [i64([2, 2])]);
    expect([a.dtype, vals(a)]).toEqual(['float32', [0, 0, 0, 0]]);
    const [b] = runKernel(constantOfShapeKernel, [i64([3])], { attributes: { value: t('int64', [1], [7n]) } });
    expect(b.data).toEqual(new BigInt64Array([7n, 7n, 7n]));
    expect(runKernel(constantOfShapeKernel, [i64([0])])[0].shape).toEqual([0]);
  });

  it('rejects negative dimensions and multi-element values', () => {
    expect(() => runKernel(constantOfShapeKernel, [i64([-1])])).toThrow(/negative dimension/);
    expect(() => parseAttributes(constantOfShapeKernel, { value: iota([2]) })).toThrow(/exactly one element/);
  });
});

describe('Shape / Size', () => {
  const x = iota([2, 3, 4]);
  it.each([
    [{}, [2, 3, 4]],
    [{ start: 1 }, [3, 4]],
    [{ end: -1 }, [2, 3]],
    [{ start: -10, end: 10 }, [2, 3, 4]],
    [{ start: 2, end: 1 }, []],
  ])('Shape %j', (attributes, expected) => {
    const [y] = runKernel(shapeKernel, [x], { attributes });
    expect(y.dtype).toBe('int64');
    expect(vals(y)).toEqual(expected);
  });

  it('Size is an int64 scalar', () => {
    const [y] = runKernel(sizeKernel, [x]);
    expect([y.dtype, y.shape, vals(y)]).toEqual(['int64', [], [24]]);
  });
});

describe('Range', () => {
  it('counts up and down in the input type', () => {
    const f = (v: number) => t('float32', [], [v]);
    expect(vals(runKernel(rangeKernel, [f(1), f(2), f(0.25)])[0])).toEqual([1, 1.25, 1.5, 1.75]);
    const n = (v: number) => t('int32', [], [v]);
    expect(vals(runKernel(rangeKernel, [n(10), n(4), n(-3)])[0])).toEqual([10, 7]);
    const big = (v: bigint) => t('int64', [], [v]);
    expect(runKernel(rangeKernel, [big(2n ** 60n), big(2n ** 60n + 3n), big(1n)])[0].data).toEqual(
      new BigInt64Array([2n ** 60n, 2n ** 60n + 1n, 2n ** 60n + 2n]),
    );
    expect(runKernel(rangeKernel, [n(5), n(1), n(1)])[0].shape).toEqual([0]);
  });

  it('rejects a zero delta and mixed types', () => {
    const n = (v: number) => t('int32', [], [v]);
    expect(() => runKernel(rangeKernel, [n(0), n(3), n(0)])).toThrow(/delta must not be 0/);
    expect(() => runKernel(rangeKernel, [n(0), t('float32', [], [3]), n(1)])).toThrow(/must share one type/);
  });
});

describe('Trilu', () => {
  const x = iota([3, 4]);
  it('keeps the upper triangle (default) or the lower one, shifted by k', () => {
    expect(vals(runKernel(triluKernel, [x])[0])).toEqual([0, 1, 2, 3, 0, 5, 6, 7, 0, 0, 10, 11]);
    expect(vals(runKernel(triluKernel, [x, i64([1], [])])[0])).toEqual([0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 11]);
    expect(vals(runKernel(triluKernel, [x, i64([-1], [])], { attributes: { upper: 0 } })[0])).toEqual([0, 0, 0, 0, 4, 0, 0, 0, 8, 9, 0, 0]);
    expect(vals(runKernel(triluKernel, [x, i64([10], [])], { attributes: { upper: 0 } })[0])).toEqual(vals(x));
  });

  it('works on batches of matrices and int64, and needs rank 2', () => {
    const [y] = runKernel(triluKernel, [t('int64', [2, 2, 2], [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n])], { attributes: { upper: 0 } });
    expect(y.data).toEqual(new BigInt64Array([1n, 0n, 3n, 4n, 5n, 0n, 7n, 8n]));
    expect(() => runKernel(triluKernel, [iota([3])])).toThrow(/rank >= 2/);
  });
});

describe('If', () => {
  const branch = (name: string): Graph => ({ name, inputs: [], outputs: [], initializers: new Map(), nodes: [] });
  const thenBranch = branch('then');
  const elseBranch = branch('else');
  const run = (cond: number) =>
    runKernel(ifKernel, [t('bool', [], [cond])], {
      attributes: { then_branch: thenBranch, else_branch: elseBranch },
      runSubgraph: (g) => [t('string', [], [g.name])],
    });

  it('runs the branch the condition selects and returns its outputs', () => {
    expect(vals(run(1)[0])).toEqual(['then']);
    expect(vals(run(0)[0])).toEqual(['else']);
  });

  it('needs both branches', () => {
    expect(() => parseAttributes(ifKernel, { then_branch: thenBranch })).toThrow(/attribute "else_branch" must be a graph/);
  });
});

describe('registration', () => {
  it('registers every tensor op once under ai.onnx', () => {
    const ops = tensorKernels.map((k) => k.op).sort();
    expect(new Set(ops).size).toBe(ops.length);
    for (const op of ops) expect(findKernel('', op)).toBeDefined();
    expect(ops).toEqual(
      [
        'Concat', 'Constant', 'ConstantOfShape', 'Dropout', 'Expand', 'Flatten', 'Gather', 'GatherElements', 'Identity', 'If', 'Loop', 'Pad', 'Range',
        'Reshape', 'Resize', 'Scan', 'Shape', 'Size', 'Slice', 'Split', 'Squeeze', 'Tile', 'TopK', 'Transpose', 'Trilu', 'Unsqueeze',
      ].sort(),
    );
  });
});
