/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * FusedMatMul (com.microsoft) against onnxruntime-node: transposes, alpha, broadcast batches; with a
 * folded GELU or Softmax, the same bits as the product followed by the Gelu or Softmax kernel, and
 * with a folded residual those of the product followed by Add, in WebAssembly and JavaScript.
 */
import { attr, node } from '../../support/onnx-builder';
import { installWasmKernels } from '../../../lib/wasm-module';
import { fusedMatMulKernel } from '../../../worker/runtime/kernels/contrib/fused-matmul';
import { geluKernel } from '../../../worker/runtime/kernels/contrib/gelu';
import { FUSED_CLIP, FUSED_GELU, FUSED_SOFTMAX } from '../../../worker/runtime/kernels/common/fused-activation';
import { softmaxKernel } from '../../../worker/runtime/kernels/math/softmax';
import { Tensor } from '../../../worker/runtime/tensor';
import { addKernel } from '../../../worker/runtime/kernels/math/binary';
import { clipKernel } from '../../../worker/runtime/kernels/math/clip';
import { runOrt } from '../../support/ort-oracle';
import { expectSameAsOrt } from '../../support/compare';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { ModelError } from '../../../worker/runtime/errors';
import { parseKernelAttributes, run1, runKernel } from '../kernel-harness';
import { caseModel, expectMatchesOrt, MS, seeded } from './ort-contrib';

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

describe('FusedMatMul with a folded residual Add', () => {
  afterAll(() => useWasmKernels(null));

  /** The fused result, and the product then a separate Add (then the folded activation, if any) alone. */
  function fusedAndSeparate(inputs: Tensor[], attributes: Attributes, activation: (x: Tensor) => Tensor): [number[], number[]] {
    const plain = run1(fusedMatMulKernel, inputs, { attributes });
    const residual = seeded(plain.shape, -3, 3);
    const [a, b, bias] = inputs;
    const fused = runKernel(fusedMatMulKernel, [a, b, bias, residual], { attributes, weights: [1] })[0];
    const productAttributes = Object.fromEntries(Object.entries(attributes).filter(([name]) => name !== FUSED_CLIP && name !== FUSED_GELU));
    const product = run1(fusedMatMulKernel, inputs, { attributes: productAttributes });
    const separate = activation(run1(addKernel, [product, residual]));
    return [Array.from(fused.data as Float32Array), Array.from(separate.data as Float32Array)];
  }

  const cases: Array<[string, Tensor[], Attributes, (x: Tensor) => Tensor]> = [
    ...FOLD_CASES.filter(([, , attributes]) => attributes[FUSED_CLIP] === undefined).map(
      ([label, inputs, attributes]): [string, Tensor[], Attributes, (x: Tensor) => Tensor] => [label, inputs, attributes, (x) => x],
    ),
    ['then a clamp', FOLD_CASES[5][1], { [FUSED_CLIP]: [-0.5, 1.5] }, (x) => run1(clipKernel, [x, scalar(-0.5), scalar(1.5)])],
    ['then a GELU, 64 x 40', [seeded([64, 24], -2, 2), seeded([24, 40], -1, 1), seeded([40], -1, 1)], { [FUSED_GELU]: 1 }, (x) => run1(geluKernel, [x])],
    ['one row of 40, bias', [seeded([1, 24], -2, 2), seeded([24, 40], -1, 1), seeded([40], -1, 1)], {}, (x) => x],
  ];
  it.each(cases)('equals the product then Add bit for bit, in WebAssembly and in JavaScript (%s)', (_label, inputs, attributes, activation) => {
    useWasmKernels(null);
    const [js, jsSeparate] = fusedAndSeparate(inputs, attributes, activation);
    expect(js).toEqual(jsSeparate);
    installWasmKernels();
    const [wasm, wasmSeparate] = fusedAndSeparate(inputs, attributes, activation);
    expect(wasm).toEqual(wasmSeparate);
    useWasmKernels(null);
  });

  it('matches onnxruntime running FusedMatMul then Add', async () => {
    const a = seeded([1, 12, 32], -2, 2);
    const b = seeded([32, 24]);
    const bias = seeded([24]);
    const r = seeded([1, 12, 24], -3, 3);
    const model = caseModel({
      nodes: [node('FusedMatMul', ['A', 'B'], ['P'], { alpha: attr.float(0.5) }, MS), node('Add', ['P', 'bias'], ['Q']), node('Add', ['R', 'Q'], ['Y'])],
      feeds: { A: a, R: r },
      initializers: { B: b, bias },
      outputs: [['Y', 'float32']],
    });
    const theirs = await runOrt(model, { A: a, R: r });
    installWasmKernels();
    const ours = runKernel(fusedMatMulKernel, [a, b, bias, r], { attributes: { alpha: 0.5 }, weights: [1] })[0];
    useWasmKernels(null);
    expectSameAsOrt('Y', ours, theirs.Y, { atol: 1e-5, rtol: 1e-4 });
  });

  it('names a residual whose shape is not the output shape', () => {
    expect(() => runKernel(fusedMatMulKernel, [seeded([4, 6]), seeded([6, 5]), undefined, seeded([1, 5])])).toThrow(
      /residual float32 \[1, 5\] must be float32 of Y's shape \[4, 5\] \(it is added without broadcasting\)/,
    );
  });
});

function scalar(v: number): Tensor {
  return Tensor.from('float32', [], [v]);
}
