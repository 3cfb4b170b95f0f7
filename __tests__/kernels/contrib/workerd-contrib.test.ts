/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * The contrib-op acceptance models served by the real Worker bundle in workerd (Miniflare), with
 * the precompiled WebAssembly kernels: the fused MiniLM-class encoder (int64 token inputs over the
 * V2 protocol) and the 4-bit MatMulNBits model, each matching onnxruntime-node.
 */
import { Miniflare } from 'miniflare';
import { compileModel } from '../../../lib/model-compiler';
import { Tensor } from '../../../worker/runtime/tensor';
import { expectSameAsOrt } from '../../support/compare';
import { encoderFeeds, fusedEncoderModel } from '../../support/fused-encoder';
import { nbitsMlpModel } from '../../support/nbits-quantize';
import { runOrt } from '../../support/ort-oracle';
import { modelConfigText } from '../../worker/support/app-harness';
import { COMPATIBILITY_DATE, workerModules } from '../../worker/support/workerd';
import { seeded } from './ort-contrib';

const MODELS = { encoder: fusedEncoderModel(), nbits: nbitsMlpModel() };
let mf: Miniflare;

beforeAll(async () => {
  mf = new Miniflare({
    workers: Object.entries(MODELS).map(([name, onnx]) => ({
      name,
      compatibilityDate: COMPATIBILITY_DATE,
      modulesRoot: '/worker',
      modules: workerModules(compileModel(onnx).artifact),
      bindings: { MODEL_CONFIG: modelConfigText(name) },
    })),
  });
  await mf.ready;
}, 60_000);
afterAll(async () => {
  await mf?.dispose();
});

/** POSTs a V2 inference request and returns the first output as a Tensor. */
async function infer(name: keyof typeof MODELS, feeds: Record<string, Tensor>): Promise<Tensor> {
  const worker = await mf.getWorker(name);
  const inputs = Object.entries(feeds).map(([input, t]) => ({
    name: input,
    shape: t.shape,
    datatype: t.dtype === 'int64' ? 'INT64' : 'FP32',
    data: Array.from(t.data as ArrayLike<number | bigint>, Number),
  }));
  const res = await worker.fetch(`https://edge.example.com/v2/models/${name}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs }) });
  const json = (await res.json()) as { outputs: Array<{ shape: number[]; data: number[] }> };
  expect(res.status).toBe(200);
  return Tensor.from('float32', json.outputs[0].shape, json.outputs[0].data);
}

describe('contrib-op models in workerd', () => {
  it('the fused encoder matches onnxruntime', async () => {
    const feeds = encoderFeeds([16, 7], 16);
    const want = (await runOrt(MODELS.encoder, feeds)).last_hidden_state;
    expectSameAsOrt('last_hidden_state', await infer('encoder', feeds), want, { atol: 1e-4, rtol: 1e-3 });
  });

  it('the 4-bit MatMulNBits model matches onnxruntime', async () => {
    const feeds = { x: seeded([3, 256], -2, 2) };
    const want = (await runOrt(MODELS.nbits, feeds)).probabilities;
    expectSameAsOrt('probabilities', await infer('nbits', feeds), want, { atol: 1e-5, rtol: 1e-3 });
  });
});
