/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * `npm start` with weights as static assets: a real synth (compiler, bundler, construct) whose
 * version carries its weights shards in its assets directory, read back from the synthesized
 * output as `npm start` reads it and served by the local workerd through the MODEL_WEIGHTS
 * binding, answering as onnxruntime does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ModelEdgeDeployment } from '../../lib/model-edge-deployment';
import { readSynthesizedStacks } from '../../lib/local/synthesized';
import { startLocalServer, type LocalServer } from '../../lib/local/local-server';
import { seededInputs, seededMlp } from '../../bench/lib/seeded-mlp';
import { newStack, validConfig } from '../construct/fixtures/stacks';
import { runOrt } from '../support/ort-oracle';
import { Tensor } from '../../worker/runtime/tensor';

jest.setTimeout(120_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-start-weights-'));
const mlp = seededMlp({ weightBytes: 4_000_000, inputs: 64 });
let server: LocalServer | undefined;
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves the synthesized version with its weights from its assets directory', async () => {
  const file = path.join(dir, 'mlp.onnx');
  writeFileSync(file, mlp.onnx);
  const stack = newStack();
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  new ModelEdgeDeployment(stack, 'mlp', validConfig({ modelName: 'mlp', versions: [{ label: 'v1', modelPath: file }], buildDir: path.join(dir, 'build'), limits: { maxTensorElements: 6400 } }));
  const outdir = Testing.fullSynth(stack);
  log.mockRestore();

  const [synthesized] = readSynthesizedStacks(outdir);
  const [model] = synthesized.models;
  expect(model.weightsDir).toContain(outdir);
  server = await startLocalServer({ port: 0, models: synthesized.models, kernelsWasm: model.kernelsWasm });

  const x = seededInputs(3, mlp.inputs);
  const res = await fetch(`${server.url}/v2/models/mlp/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', shape: [3, mlp.inputs], datatype: 'FP32', data: Array.from(x) }] }),
  });
  expect(res.status).toBe(200);
  const got = ((await res.json()) as { outputs: Array<{ data: number[] }> }).outputs[0].data;
  const expected = (await runOrt(mlp.onnx, { X: new Tensor('float32', [3, mlp.inputs], x) })).Y as { data: ArrayLike<number> };
  got.forEach((v, i) => expect(Math.abs(v - Number(expected.data[i]))).toBeLessThan(1e-3));
});
