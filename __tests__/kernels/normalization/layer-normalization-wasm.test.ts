/**
 * The WebAssembly float32 LayerNormalization computes the JavaScript loop's double-precision
 * formula two lanes at a time: only the summation order of the row statistics differs, so the
 * outputs agree to float32 rounding (the JavaScript path is checked against onnxruntime elsewhere).
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { layerNormalizationKernel } from '../../../worker/runtime/kernels/normalization/layer-normalization';
import { Tensor } from '../../../worker/runtime/tensor';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { expectClose, randomFloats, runKernel } from './harness';

afterAll(() => useWasmKernels(null));

describe('LayerNormalization in WebAssembly', () => {
  it.each([
    ['rows of 96 with B', [32, 25, 96], true, 0],
    ['rows of 7 (a SIMD tail) without B', [300, 7], false, 0],
    ['rows of 103 offset by 100', [20, 103], true, 100],
  ] as const)('%s agrees with the JavaScript path', (_label, shape, withBias, offset) => {
    const inner = shape[shape.length - 1];
    const size = shape.reduce((a, b) => a * b, 1);
    const x = new Tensor('float32', [...shape], randomFloats(size, 11, -2, 2).map((v) => v + offset));
    const scale = new Tensor('float32', [inner], randomFloats(inner, 12, 0.5, 1.5));
    const bias = new Tensor('float32', [inner], randomFloats(inner, 13));
    const inputs = withBias ? [x, scale, bias] : [x, scale];
    const options = { attributes: { axis: -1, epsilon: 1e-5 }, outputs: ['Y'] };
    useWasmKernels(null);
    const [js] = runKernel(layerNormalizationKernel, inputs, options);
    const expected = { shape: [...js.shape], data: Float32Array.from(js.data as Float32Array) };
    installWasmKernels();
    const [wasm] = runKernel(layerNormalizationKernel, inputs, options);
    expectClose(wasm, expected, 1e-6, 1e-6);
    expect(Array.from(x.data as Float32Array).slice(0, 4)).toEqual(Array.from(randomFloats(size, 11, -2, 2).map((v) => v + offset).slice(0, 4)));
  });
});
