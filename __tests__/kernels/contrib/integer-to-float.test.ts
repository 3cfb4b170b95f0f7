/** @jest-environment ./__tests__/support/ort-environment.js */
/** MatMulIntegerToFloat and DynamicQuantizeMatMul (com.microsoft) against onnxruntime-node. */
import { Tensor } from '../../../worker/runtime/tensor';
import { matMulIntegerToFloatKernel } from '../../../worker/runtime/kernels/contrib/integer-to-float';
import { node } from '../../support/onnx-builder';
import { runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

function ints(dtype: 'uint8' | 'int8', shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.from(dtype, shape, Array.from({ length: n }, (_, i) => ((i * 37 + seed * 11) % 200) - (dtype === 'int8' ? 100 : 0)));
}
const scalar = (dtype: 'float32' | 'uint8' | 'int8', v: number): Tensor => Tensor.from(dtype, [], [v]);

describe('MatMulIntegerToFloat matches onnxruntime', () => {
  it('uint8 x int8, per-tensor scales and zero points, bias', () =>
    expectMatchesOrt({
      nodes: [node('MatMulIntegerToFloat', ['A', 'B', 'as', 'bs', 'az', 'bz', 'bias'], ['Y'], {}, MS)],
      feeds: { A: ints('uint8', [2, 3, 7], 1) },
      initializers: { B: ints('int8', [7, 5], 2), as: scalar('float32', 0.02), bs: scalar('float32', 0.005), az: scalar('uint8', 120), bz: scalar('int8', 3), bias: seeded([5]) },
      outputs: [['Y', 'float32']],
    }));

  it('per-column b_scale and b_zero_point, no a_zero_point or bias', () =>
    expectMatchesOrt({
      nodes: [node('MatMulIntegerToFloat', ['A', 'B', 'as', 'bs', '', 'bz'], ['Y'], {}, MS)],
      feeds: { A: ints('uint8', [4, 6], 3) },
      initializers: { B: ints('uint8', [6, 3], 4), as: scalar('float32', 0.1), bs: Tensor.from('float32', [3], [0.01, 0.02, 0.03]), bz: Tensor.from('uint8', [3], [100, 128, 90]) },
      outputs: [['Y', 'float32']],
    }));

  it('names a b_scale that is neither per tensor nor per column', () => {
    expect(() => runKernel(matMulIntegerToFloatKernel, [ints('uint8', [2, 4], 1), ints('int8', [4, 3], 2), scalar('float32', 1), Tensor.from('float32', [2], [1, 2])])).toThrow(/b_scale \[2\] must be a scalar or have 3 values/);
  });
});

describe('DynamicQuantizeMatMul matches onnxruntime', () => {
  it.each([
    ['int8 B, per-column scales, bias', 'int8', true],
    ['uint8 B with a zero point', 'uint8', false],
  ] as const)('%s', (_label, dtype, perColumn) =>
    expectMatchesOrt({
      nodes: [node('DynamicQuantizeMatMul', ['A', 'B', 'bs', 'bz', ...(perColumn ? ['bias'] : [])], ['Y'], {}, MS)],
      feeds: { A: seeded([3, 5, 8], -3, 2) },
      initializers: {
        B: ints(dtype, [8, 4], 5),
        bs: perColumn ? Tensor.from('float32', [4], [0.01, 0.02, 0.015, 0.005]) : scalar('float32', 0.01),
        bz: dtype === 'int8' ? Tensor.from('int8', perColumn ? [4] : [], perColumn ? [0, 0, 0, 0] : [0]) : scalar('uint8', 128),
        ...(perColumn ? { bias: seeded([4]) } : {}),
      },
      outputs: [['Y', 'float32']],
    }, { atol: 1e-4, rtol: 1e-4 }));
});
