/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Acceptance: a 2-layer MiniLM-class encoder (hidden 64, 4 heads, seq 16) built with the fused
 * ops onnxruntime's transformer optimizer emits matches onnxruntime-node end to end, through the
 * compiler and the session, with and without the WebAssembly kernels.
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { checkModel, importOnnx } from '../../../lib/model-compiler';
import { expectSameAsOrt } from '../../support/compare';
import { encoderFeeds, fusedEncoderModel } from '../../support/fused-encoder';
import { runOrt } from '../../support/ort-oracle';
import { runOurs } from '../../support/run-ours';

const model = fusedEncoderModel();

describe('a fused MiniLM-class encoder', () => {
  afterAll(() => useWasmKernels(null));

  it('uses only the fused ops the optimizer emits, all supported', () => {
    const check = checkModel(importOnnx(model));
    const ops = check.ops.map((o) => o.op);
    for (const op of ['com.microsoft.EmbedLayerNormalization', 'com.microsoft.Attention', 'com.microsoft.SkipLayerNormalization', 'com.microsoft.FastGelu', 'com.microsoft.BiasGelu']) {
      expect(ops).toContain(op);
    }
    expect(check.ops.filter((o) => !o.supported)).toEqual([]);
  });

  it.each([
    ['JavaScript kernels', false],
    ['WebAssembly kernels', true],
  ])('matches onnxruntime on a padded batch of 3 x 16 tokens (%s)', async (_label, wasm) => {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
    const feeds = encoderFeeds([16, 9, 3], 16);
    const theirs = await runOrt(model, feeds);
    const ours = runOurs(model, feeds);
    expect(ours.last_hidden_state.shape).toEqual([3, 16, 64]);
    expectSameAsOrt('last_hidden_state', ours.last_hidden_state, theirs.last_hidden_state, { atol: 1e-4, rtol: 1e-3 });
  });
});

describe('the fused encoder with 4-bit MatMulNBits feed-forward and output weights', () => {
  const quantized = fusedEncoderModel(undefined, 32);
  afterAll(() => useWasmKernels(null));

  it.each([
    ['JavaScript kernels', false],
    ['WebAssembly kernels', true],
  ])('matches onnxruntime (%s)', async (_label, wasm) => {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
    expect(checkModel(importOnnx(quantized)).ops.map((o) => o.op)).toContain('com.microsoft.MatMulNBits');
    const feeds = encoderFeeds([16, 5], 16);
    const theirs = await runOrt(quantized, feeds);
    expectSameAsOrt('last_hidden_state', runOurs(quantized, feeds).last_hidden_state, theirs.last_hidden_state, { atol: 1e-4, rtol: 1e-3 });
  });
});
