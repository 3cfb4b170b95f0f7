/**
 * Node plans and buffers (output shapes, Reshape targets, resolved windows, tree row buffers,
 * packed weights, views of wasm memory) must never go stale when the input shapes change between
 * runs: every reference model runs batch 1, 32, 1, 5 on one session, and each result must equal a
 * fresh session's result for that batch, bit for bit, with the WebAssembly kernels and without.
 * (Kernel by kernel, __tests__/kernels/planned-kernels.test.ts replays every planned kernel.)
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { referenceModels } from '../../bench/reference-models';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import type { Tensor } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';

const BATCHES = [1, 32, 1, 5];

function snapshot(outputs: Record<string, Tensor>): Record<string, { shape: number[]; data: unknown[] }> {
  const out: Record<string, { shape: number[]; data: unknown[] }> = {};
  for (const [name, t] of Object.entries(outputs)) out[name] = { shape: [...t.shape], data: Array.from(t.data as ArrayLike<unknown>) };
  return out;
}

const models = referenceModels().map((m) => ({ model: m, artifact: compileModel(m.onnx).artifact }));

describe.each([
  ['WebAssembly kernels', true],
  ['JavaScript kernels', false],
])('steady-state caches with %s', (_label, wasm) => {
  beforeAll(() => {
    if (wasm) installWasmKernels();
    else useWasmKernels(null);
  });
  afterAll(() => useWasmKernels(null));

  it.each(models.map((m) => [m.model.name, m] as const))('%s: batch 1, 32, 1, 5 on one session equal fresh sessions', (_name, { model, artifact }) => {
    const session = InferenceSession.create(readArtifact(artifact), { kernels: allKernels });
    const kept: Array<{ result: Record<string, Tensor>; copy: ReturnType<typeof snapshot> }> = [];
    for (const batch of BATCHES) {
      const result = session.run(model.feeds(batch));
      const fresh = InferenceSession.create(readArtifact(artifact), { kernels: allKernels }).run(model.feeds(batch));
      expect(snapshot(result)).toEqual(snapshot(fresh));
      kept.push({ result, copy: snapshot(result) });
    }
    // what earlier runs returned belongs to the caller: later runs must not have changed it
    for (const { result, copy } of kept) expect(snapshot(result)).toEqual(copy);
  });
});
