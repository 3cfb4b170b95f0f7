/** Same-shape float32 Add, Sub, Mul and Div in WebAssembly: the same values as the JavaScript loops. */
import { installWasmKernels } from '../../../lib/wasm-module';
import { addKernel, divKernel, mulKernel, subKernel } from '../../../worker/runtime/kernels/math/binary';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { runKernel } from '../kernel-harness';

afterAll(() => useWasmKernels(null));

function tensor(shape: number[], seed: number): Tensor<'float32'> {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + seed) * 10 ** ((i % 7) - 3));
  data.set([0, -0, Infinity, NaN, 1e-40], seed); // zeros, infinities, NaN and a subnormal among ordinary values
  return new Tensor('float32', shape, data);
}

describe.each([
  ['Add', addKernel],
  ['Sub', subKernel],
  ['Mul', mulKernel],
  ['Div', divKernel],
])('%s of same-shape float32 tensors', (_op, k) => {
  it.each([
    ['[2, 128, 384]', [2, 128, 384]],
    ['[4099] (a SIMD tail)', [4099]],
    ['[3, 1500] + [1500] (a broadcast: rows stay in JavaScript)', [3, 1500]],
  ])('%s: WebAssembly equals JavaScript', (_label, shape) => {
    const a = tensor(shape, 1);
    const b = shape.length === 2 && shape[0] === 3 ? tensor([shape[1]], 2) : tensor(shape, 2);
    useWasmKernels(null);
    const [js] = runKernel(k, [a, b]);
    const expected = Array.from(js.data as Float32Array);
    installWasmKernels();
    const [wasm] = runKernel(k, [a, b]);
    const got = Array.from(wasm.data as Float32Array);
    expect(wasm.shape).toEqual(js.shape);
    expect(got.every((v, i) => Object.is(v, expected[i]))).toBe(true);
  });
});
