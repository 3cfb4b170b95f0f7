/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * QLinearAdd, QLinearMul, QLinearSigmoid, QLinearGlobalAveragePool and QLinearConcat
 * (com.microsoft) against onnxruntime-node. onnxruntime's SIMD paths may fuse or reorder the
 * float32 steps, so a value may land one step away at a rounding tie: every value is within 1
 * and nearly all are equal.
 */
import { Tensor } from '../../../worker/runtime/tensor';
import { qLinearConcatKernel } from '../../../worker/runtime/kernels/contrib/qlinear-pool-concat';
import { attr, node, type NodeSpec } from '../../support/onnx-builder';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import { runKernel } from '../kernel-harness';
import { caseModel, MS } from './ort-contrib';

type Q = 'uint8' | 'int8';

function ints(dtype: Q, shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed;
  return Tensor.from(dtype, shape, Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 24) - (dtype === 'int8' ? 128 : 0);
  }));
}
const f = (v: number): Tensor => Tensor.from('float32', [], [v]);
const z = (dtype: Q, v: number): Tensor => Tensor.from(dtype, [], [v]);

async function expectQuantizedMatch(nodes: NodeSpec[], feeds: Record<string, Tensor>, initializers: Record<string, Tensor>, dtype: Q): Promise<void> {
  const model = caseModel({ nodes, feeds, initializers, outputs: [['Y', dtype]] });
  const theirs = (await runOrt(model, feeds)).Y as { dims: readonly number[]; data: ArrayLike<number> };
  const ours = runOurs(model, feeds).Y;
  expect(ours.dtype).toBe(dtype);
  expect(ours.shape).toEqual([...theirs.dims].map(Number));
  let equal = 0;
  for (let i = 0; i < ours.size; i++) {
    const d = Math.abs((ours.data[i] as number) - theirs.data[i]);
    if (d > 1) throw new Error(`Y[${i}]: ours ${ours.data[i]}, onnxruntime ${theirs.data[i]}`);
    if (d === 0) equal++;
  }
  expect(equal / ours.size).toBeGreaterThanOrEqual(0.97);
}

describe.each(['uint8', 'int8'] as const)('QLinear ops on %s match onnxruntime', (dtype) => {
  const zero = dtype === 'uint8' ? 128 : 0;
  const params = { as: f(0.05), az: z(dtype, zero - 3), bs: f(0.02), bz: z(dtype, zero + 5), cs: f(0.07), cz: z(dtype, zero + 1) };

  it.each(['QLinearAdd', 'QLinearMul'])('%s with B broadcast over A', (op) =>
    expectQuantizedMatch(
      [node(op, ['A', 'as', 'az', 'B', 'bs', 'bz', 'cs', 'cz'], ['Y'], {}, MS)],
      { A: ints(dtype, [2, 3, 16], 1), B: ints(dtype, [3, 1], 2) },
      params,
      dtype,
    ));

  it('QLinearAdd without C_zero_point', () =>
    expectQuantizedMatch([node('QLinearAdd', ['A', 'as', 'az', 'B', 'bs', 'bz', 'cs'], ['Y'], {}, MS)], { A: ints(dtype, [40], 3), B: ints(dtype, [40], 4) }, params, dtype));

  it('QLinearSigmoid', () =>
    expectQuantizedMatch([node('QLinearSigmoid', ['X', 'as', 'az', 'ys', 'yz'], ['Y'], {}, MS)], { X: ints(dtype, [4, 64], 5) }, { ...params, ys: f(1 / 256), yz: z(dtype, dtype === 'uint8' ? 0 : -128) }, dtype));

  it.each([0, 1])('QLinearGlobalAveragePool, channels_last %i', (channelsLast) =>
    expectQuantizedMatch(
      [node('QLinearGlobalAveragePool', ['X', 'as', 'az', 'cs', 'cz'], ['Y'], { channels_last: attr.int(channelsLast) }, MS)],
      { X: ints(dtype, [2, 5, 6, 7], 6) },
      params,
      dtype,
    ));

  it('QLinearConcat of inputs with their own and with Y\'s parameters', () =>
    expectQuantizedMatch(
      [node('QLinearConcat', ['cs', 'cz', 'A', 'as', 'az', 'B', 'cs', 'cz', 'C', 'bs', 'bz'], ['Y'], { axis: attr.int(1) }, MS)],
      { A: ints(dtype, [2, 3, 4], 7), B: ints(dtype, [2, 1, 4], 8), C: ints(dtype, [2, 2, 4], 9) },
      params,
      dtype,
    ));
});

describe('QLinearConcat', () => {
  it('names inputs that do not line up', () => {
    const s = f(0.1);
    const u = z('uint8', 0);
    expect(() => runKernel(qLinearConcatKernel, [s, u, ints('uint8', [2, 3], 1), s, u, ints('uint8', [3, 3], 2), s, u], { attributes: { axis: 1 } })).toThrow(/input X1 uint8 \[3, 3\] must be uint8 with X0's shape \[2, 3\] except on axis 1/);
  });
});
