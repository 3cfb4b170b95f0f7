/** @jest-environment ./__tests__/support/ort-environment.js */
/**
 * Weights as static assets, served by the real local server (workerd): the Worker reads the
 * shards through its MODEL_WEIGHTS binding (a disk service, as the assets binding is deployed),
 * answers as onnxruntime does, keeps the shards private, and answers 503 while a shard is missing
 * or corrupt, then recovers on the next request once the shard is back.
 *
 * The default model has ~4 MB of weights; MODEL_EDGE_LARGE_WEIGHTS=1 runs the same checks on
 * 50 MB of float32 weights and its int8 variant (about a minute on a loaded machine).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serveModels } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/local-server';
import { startLocalServer } from '../../lib/local/local-server';
import { compileModel, shardArtifactWeights } from '../../lib/model-compiler';
import { seededInputs, seededMlp } from '../../bench/lib/seeded-mlp';
import { runOrt } from '../support/ort-oracle';
import { Tensor } from '../../worker/runtime/tensor';

const large = process.env.MODEL_EDGE_LARGE_WEIGHTS === '1';
const WEIGHT_BYTES = large ? 50 * 1024 * 1024 : 4_000_000;
const ROWS = 4;
jest.setTimeout(large ? 600_000 : 120_000);

const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-weights-workerd-'));
const mlp = seededMlp({ weightBytes: WEIGHT_BYTES, inputs: 256 });
const modelFile = path.join(dir, 'mlp.onnx');
writeFileSync(modelFile, mlp.onnx);
const x = seededInputs(ROWS, mlp.inputs);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function infer(url: string, name = 'mlp'): Promise<Response> {
  return fetch(`${url}/v2/models/${name}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', shape: [ROWS, mlp.inputs], datatype: 'FP32', data: Array.from(x) }] }),
  });
}

async function reference(): Promise<Float32Array> {
  const out = await runOrt(mlp.onnx, { X: new Tensor('float32', [ROWS, mlp.inputs], x) });
  return Float32Array.from((out.Y as { data: ArrayLike<number> }).data);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe.each(large ? ['float32', 'int8'] as const : ['float32'] as const)('model-edge serve, %s weights as assets', (precision) => {
  let server: LocalServer;
  let firstShard: string;
  const printed: string[] = [];
  beforeAll(async () => {
    // Before the server starts: a long compile would leave its keep-alive connection idle.
    firstShard = shardArtifactWeights(compileModel(mlp.onnx, { precision }).artifact).shards[0].sha256;
    server = await serveModels([modelFile], { port: 0, log: 'off', print: (l) => printed.push(l), weights: { storage: 'assets', precision } });
  });
  afterAll(async () => server?.close());

  it('serves through the weights binding and answers as onnxruntime does', async () => {
    expect(printed.join('\n')).toMatch(/weights: \d+ shards? served through the MODEL_WEIGHTS binding/);
    // Concurrent first requests share one load.
    const answers = await Promise.all([infer(server.url), infer(server.url), infer(server.url)]);
    const expected = await reference();
    for (const res of answers) {
      expect(res.status).toBe(200);
      const body = (await res.json()) as { outputs: Array<{ data: number[]; shape: number[] }> };
      expect(body.outputs[0].shape).toEqual([ROWS, mlp.outputs]);
      // float32: the same arithmetic up to summation order; int8: the quantization error
      expect(maxAbsDiff(body.outputs[0].data, expected)).toBeLessThan(precision === 'int8' ? 0.05 : 1e-3);
    }
  });

  it('keeps the shards private: a shard path answers 404 without weights', async () => {
    await expectPrivate(server.url, firstShard);
  });
});

/** Requests for a shard by every path a client might guess get the Worker's 404, never bytes of weights. */
async function expectPrivate(url: string, sha: string): Promise<void> {
  for (const p of [`/${sha}`, `/weights/${sha}`, `/v2/models/mlp/${sha}`, `/MODEL_WEIGHTS/${sha}`]) {
    const res = await fetch(`${url}${p}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect((await res.arrayBuffer()).byteLength).toBeLessThan(1024);
  }
}

describe('a shard that is missing or corrupt', () => {
  let server: LocalServer;
  let weightsDir: string;
  let shard: string;
  let sha: string;
  beforeAll(async () => {
    const compiled = compileModel(mlp.onnx);
    const sharded = shardArtifactWeights(compiled.artifact, 1024 * 1024);
    weightsDir = path.join(dir, 'shards');
    mkdirSync(weightsDir);
    for (const s of sharded.shards) writeFileSync(path.join(weightsDir, s.sha256), s.bytes);
    sha = sharded.shards[1].sha256;
    shard = path.join(weightsDir, sha);
    server = await startLocalServer({ port: 0, models: [{ name: 'mlp', artifact: sharded.artifact, weightsDir }] });
  });
  afterAll(async () => server?.close());

  it('answers 503 naming the shard, retries on the next request, and serves once the shard is back', async () => {
    renameSync(shard, `${shard}.away`);
    const missing = await infer(server.url);
    expect(missing.status).toBe(503);
    expect(((await missing.json()) as { error: string }).error).toMatch(new RegExp(`the model's weights could not be loaded: weights shard ${sha.slice(0, 12)} answered 404; .* the next request tries again`));

    copyFileSync(path.join(weightsDir, readdirSync(weightsDir).find((f) => f !== `${sha}.away`)!), shard);
    const corrupt = await infer(server.url);
    expect(corrupt.status).toBe(503);
    expect(((await corrupt.json()) as { error: string }).error).toMatch(/does not match|bytes/);

    rmSync(shard);
    renameSync(`${shard}.away`, shard);
    const ok = await infer(server.url);
    expect(ok.status).toBe(200);
    expect(maxAbsDiff(((await ok.json()) as { outputs: Array<{ data: number[] }> }).outputs[0].data, await reference())).toBeLessThan(1e-3);
  });

  it('never serves a shard at its path (or any other) from outside', async () => {
    await expectPrivate(server.url, sha);
  });
});
