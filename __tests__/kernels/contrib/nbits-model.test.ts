/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Acceptance: a 4-bit weight-only quantized model (the layout onnxruntime's MatMulNBits quantizer
 * writes) matches onnxruntime-node through the compiler and the session, with and without the
 * WebAssembly kernels.
 */
import { compileModel } from '../../../lib/model-compiler';
import { installWasmKernels } from '../../../lib/wasm-module';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { expectSameAsOrt } from '../../support/compare';
import { nbitsMlpModel } from '../../support/nbits-quantize';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';
import { seeded } from './ort-contrib';

describe('a 4-bit MatMulNBits model', () => {
  const model = nbitsMlpModel();
  afterAll(() => useWasmKernels(null));

  it('keeps its weights packed: the compiled artifact is far smaller than float32 weights', () => {
    // 256 x 512 + 512 x 64 float32 weights would be 640 KB; packed 4-bit they are 80 KB
    expect(compileModel(model).artifact.byteLength).toBeLessThan(120 * 1024);
  });

  it.each([
    ['JavaScript kernels', false],
    ['WebAssembly kernels', true],
  ])('matches onnxruntime on a batch of 4 (%s)', async (_label, wasm) => {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
    const feeds = { x: seeded([4, 256], -2, 2) };
    const theirs = await runOrt(model, feeds);
    const ours = runOurs(model, feeds);
    expectSameAsOrt('probabilities', ours.probabilities, theirs.probabilities, { atol: 1e-5, rtol: 1e-3 });
  });
});
