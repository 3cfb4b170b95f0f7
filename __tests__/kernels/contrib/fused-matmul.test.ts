/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * FusedMatMul (com.microsoft) against onnxruntime-node: transposes, alpha, broadcast batches; with a
 * folded GELU or Softmax, the same bits as the product followed by the Gelu or Softmax kernel, in
 * WebAssembly and JavaScript.
 */
import { attr, node } from '../../support/onnx-builder';
import { installWasmKernels } from '../../../lib/wasm-module';
import { fusedMatMulKernel } from '../../../worker/runtime/kernels/contrib/fused-matmul';
import { geluKernel } from '../../../worker/runtime/kernels/contrib/gelu';
import { FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX } from '../../../worker/runtime/kernels/common/fused-activation';
import { softmaxKernel } from '../../../worker/runtime/kernels/math/softmax';
import type { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, run1, runKernel } from '../kernel-harness';
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

type Attributes = Record<string, number | number[]>;

// A, B, bias (or none), attributes: m a multiple of 4 or not, n a whole number of panels or not
// (the WebAssembly rows are then padded), one row (the three-panel tile), a product too small for
// WebAssembly, batches of B (one GEMM per matrix, as attention's scores), a folded clamp before
const FOLD_CASES: Array<[string, Tensor[], Attributes]> = [
  ['14 rows, 13 columns, bias', [seeded([2, 7, 20], -2, 2), seeded([20, 13], -1, 1), seeded([13], -1, 1)], {}],
  ['one row, 29 columns, alpha', [seeded([1, 1, 40], -2, 2), seeded([40, 29], -1, 1), seeded([29], -1, 1)], { alpha: 0.75 }],
  ['a product below the WebAssembly size, B transposed', [seeded([2, 3], -3, 3), seeded([5, 3], -3, 3)], { transB: 1 }],
  ['batched B, A transposed', [seeded([2, 3, 10, 6], -2, 2), seeded([2, 1, 10, 9], -1, 1), seeded([9], -1, 1)], { transA: 1 }],
  ['scores of three heads, alpha', [seeded([1, 3, 16, 8], -2, 2), seeded([1, 3, 8, 16], -2, 2)], { alpha: 0.35 }],
  ['after a clamp', [seeded([6, 16], -2, 2), seeded([16, 16], -1, 1), seeded([16], -1, 1)], { [FUSED_CLIP]: [-0.5, 1.5] }],
];

describe.each([
  ['GELU', FUSED_GELU, (x: Tensor) => run1(geluKernel, [x])],
  ['Softmax', FUSED_SOFTMAX, (x: Tensor) => run1(softmaxKernel, [x])],
])('FusedMatMul with a folded %s', (name, flag, separately) => {
  afterAll(() => useWasmKernels(null));

  /** The fused result and the plain product, in whichever path is installed. */
  function fusedAndProduct(inputs: Tensor[], attributes: Attributes): [number[], Tensor] {
    const fused = runKernel(fusedMatMulKernel, inputs, { attributes: { ...attributes, [flag]: 1 }, weights: [1] })[0];
    return [Array.from(fused.data as Float32Array), run1(fusedMatMulKernel, inputs, { attributes })];
  }
  const after = (x: Tensor) => Array.from(separately(x).data as Float32Array);

  // The JavaScript and WebAssembly products differ in rounding (JavaScript adds each product in
  // double); what follows each must be the separate kernel's result, in both paths, to the bit.
  const cases: Array<[string, Tensor[], Attributes]> = [
    ...FOLD_CASES,
    // a 1-D B: Y's last axis is not the product's row, so a Softmax runs over Y after the GEMM
    ['a 1-D B, in WebAssembly', [seeded([2, 40, 30], -2, 2), seeded([30], -1, 1)], {}],
    ['a 1-D B, below the WebAssembly size', [seeded([3, 4, 6], -2, 2), seeded([6], -1, 1)], {}],
  ];
  it.each(cases)(`equals the product then ${name} bit for bit, in WebAssembly and in JavaScript (%s)`, (_label, inputs, attributes) => {
    useWasmKernels(null);
    const [js, jsProduct] = fusedAndProduct(inputs, attributes);
    expect(js).toEqual(after(jsProduct));
    installWasmKernels();
    const [wasm, wasmProduct] = fusedAndProduct(inputs, attributes);
    expect(wasm).toEqual(after(wasmProduct));
    useWasmKernels(null);
    expect(wasm).toEqual(after(wasmProduct));
  });

  it(`refuses a fused ${name} flag other than 0 or 1`, () => {
    expect(() => parseKernelAttributes(fusedMatMulKernel, { [flag]: 2 })).toThrow(/must be 0 or 1, got 2/);
  });
});
