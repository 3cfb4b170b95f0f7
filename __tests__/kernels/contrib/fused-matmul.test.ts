/** @jest-environment ./__tests__/support/ort-environment.js */
/** FusedMatMul (com.microsoft) against onnxruntime-node: transposes, alpha, broadcast batches. */
import { attr, node } from '../../support/onnx-builder';
import { fusedMatMulKernel } from '../../../worker/runtime/kernels/contrib/fused-matmul';
import { ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, runKernel } from '../kernel-harness';
import { expectMatchesOrt, MS, seeded } from './ort-contrib';

describe('FusedMatMul matches onnxruntime', () => {
  it.each([
    [0, 0, [2, 3, 5], [5, 4]],
    [1, 0, [2, 5, 3], [5, 4]],
    [0, 1, [2, 3, 5], [4, 5]],
    [1, 1, [3, 2, 9, 7], [1, 2, 20, 9]],
  ])('transA %i transB %i, A %j B %j, alpha 0.125', (transA, transB, aShape, bShape) =>
    expectMatchesOrt({
      nodes: [node('FusedMatMul', ['A', 'B'], ['Y'], { transA: attr.int(transA), transB: attr.int(transB), alpha: attr.float(0.125) }, MS)],
      feeds: { A: seeded(aShape) },
      initializers: { B: seeded(bShape) },
      outputs: [['Y', 'float32']],
    }));

  it('default attributes with two activations (large enough for the wasm path when installed)', () =>
    expectMatchesOrt({
      nodes: [node('FusedMatMul', ['A', 'B'], ['Y'], {}, MS)],
      feeds: { A: seeded([2, 16, 32]), B: seeded([2, 32, 24]) },
      outputs: [['Y', 'float32']],
    }));

  it('names the mismatch of inner dimensions after transposition, and refuses transBatch', () => {
    expect(() => runKernel(fusedMatMulKernel, [seeded([3, 5]), seeded([3, 4])], { attributes: { transB: 1 } })).toThrow(/A has 5 columns but B has 4 rows/);
    expect(() => parseKernelAttributes(fusedMatMulKernel, { transBatchA: 1 })).toThrow(ModelError);
  });
});
