/**
 * The Worker's loading of weights shards, in Node through the app (the assets binding is the unit
 * boundary, stood in for by an object with a `fetch` over the shards in memory): each shard is
 * fetched once per isolate however many requests arrive first, a failed load answers 503 and is
 * retried, a body that does not match its checksum is refused (XXH32, or SHA-256 for manifests
 * written before shards carried one), and the artifact reader refuses what it does not know.
 */
import { createApp } from '../../worker/app';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { compileModel, shardArtifactWeights } from '../../lib/model-compiler';
import { seededMlp } from '../../bench/lib/seeded-mlp';
import { readArtifact, ARTIFACT_PREAMBLE } from '../../worker/runtime/artifact';
import { ModelError } from '../../worker/runtime/errors';
import { loadWeightShards } from '../../worker/model-loading/weight-shards';

const mlp = seededMlp({ weightBytes: 400_000, inputs: 16, outputs: 3 });
const compiled = compileModel(mlp.onnx);
const sharded = shardArtifactWeights(compiled.artifact, 64 * 1024);
const shardBytes = new Map(sharded.shards.map((s) => [s.sha256, s.bytes]));

/** An assets binding over the shards, counting requests; `fail` makes it answer 404 while set. */
function binding() {
  const fetched: string[] = [];
  const state = { fail: false, corrupt: false, inFlight: 0, maxInFlight: 0 };
  return {
    fetched,
    state,
    async fetch(request: Request): Promise<Response> {
      const name = new URL(request.url).pathname.slice(1);
      fetched.push(name);
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      await new Promise((r) => setTimeout(r, 5));
      state.inFlight--;
      const bytes = shardBytes.get(name);
      if (!bytes || state.fail) return new Response('not found', { status: 404 });
      const body = state.corrupt ? bytes.map((b, i) => (i === 0 ? b ^ 1 : b)) : bytes;
      return new Response(body);
    },
  };
}

const infer = (app: ReturnType<typeof createApp>, env: object) =>
  app.request(
    '/v2/models/mlp/infer',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [{ name: 'X', shape: [1, 16], datatype: 'FP32', data: new Array(16).fill(0.5) }] }) },
    env,
  );

const config = JSON.stringify({ name: 'mlp', version: 'v1' });

it('splits the weights into several shards for this test', () => {
  expect(sharded.shards.length).toBeGreaterThan(3);
});

it('fetches every shard once, concurrently, however many first requests arrive together', async () => {
  const weights = binding();
  const app = createApp({ kernels: allKernels, artifact: sharded.artifact.slice().buffer, log: () => {} });
  const env = { MODEL_CONFIG: config, MODEL_WEIGHTS: weights };
  const answers = await Promise.all(Array.from({ length: 6 }, () => infer(app, env)));
  expect(answers.map((r) => r.status)).toEqual(new Array(6).fill(200));
  expect([...weights.fetched].sort()).toEqual([...shardBytes.keys()].sort());
  expect(weights.state.maxInFlight).toBe(shardBytes.size);
  await infer(app, env);
  expect(weights.fetched).toHaveLength(shardBytes.size);
  // the same answer as the artifact with its weights inside
  const inline = createApp({ kernels: allKernels, artifact: compiled.artifact.slice().buffer, log: () => {} });
  expect(await (await infer(inline, { MODEL_CONFIG: config })).json()).toEqual(await (await infer(app, env)).json());
});

it('answers 503 while a shard cannot be read, and loads on a later request', async () => {
  const weights = binding();
  const app = createApp({ kernels: allKernels, artifact: sharded.artifact.slice().buffer, log: () => {} });
  const env = { MODEL_CONFIG: config, MODEL_WEIGHTS: weights };
  weights.state.fail = true;
  const failed = await infer(app, env);
  expect(failed.status).toBe(503);
  expect(((await failed.json()) as { error: string }).error).toMatch(/the model's weights could not be loaded: weights shard [0-9a-f]{12} answered 404; .*the next request tries again/);
  weights.state.fail = false;
  weights.state.corrupt = true;
  const corrupt = await infer(app, env);
  expect(corrupt.status).toBe(503);
  expect(((await corrupt.json()) as { error: string }).error).toMatch(/weights shard [0-9a-f]{12} does not match its XXH32 checksum; .*redeploy it/);
  weights.state.corrupt = false;
  expect((await infer(app, env)).status).toBe(200);
});

describe('weights in a single shard', () => {
  const single = shardArtifactWeights(compiled.artifact);
  const [shard] = single.shards;
  const manifest = { bytes: shard.bytes.length, shards: [{ sha256: shard.sha256, xxh32: shard.xxh32, offset: 0, length: shard.bytes.length }] };
  const serving = (body: Uint8Array) => ({ fetch: async () => new Response(body) });

  it('is one shard for this model', () => {
    expect(single.shards).toHaveLength(1);
  });

  it('loads the verified shard body as the weights', async () => {
    const loaded = await loadWeightShards(manifest, serving(shard.bytes));
    expect(loaded).toHaveLength(1);
    expect(loaded[0].offset).toBe(0);
    expect(Buffer.from(loaded[0].bytes).equals(Buffer.from(shard.bytes))).toBe(true);
  });

  it('refuses a single shard that is corrupt, short or long, naming the mismatch', async () => {
    const corrupt = shard.bytes.map((b, i) => (i === 7 ? b ^ 1 : b));
    await expect(loadWeightShards(manifest, serving(corrupt))).rejects.toThrow(/does not match its XXH32 checksum/);
    await expect(loadWeightShards(manifest, serving(shard.bytes.subarray(1)))).rejects.toThrow(/has \d+ of its \d+ bytes/);
    const long = new Uint8Array(shard.bytes.length + 1);
    long.set(shard.bytes);
    await expect(loadWeightShards(manifest, serving(long))).rejects.toThrow(/is longer than its \d+ bytes/);
  });
});

it('answers 503 naming the binding when the Worker has none', async () => {
  const app = createApp({ kernels: allKernels, artifact: sharded.artifact.slice().buffer, log: () => {} });
  const res = await infer(app, { MODEL_CONFIG: config });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: string }).error).toMatch(/no MODEL_WEIGHTS binding; redeploy the version with its assets/);
});

describe('the artifact reader', () => {
  const withHeader = (edit: (header: any) => void, version = 2) => {
    const bytes = sharded.artifact.slice();
    const dv = new DataView(bytes.buffer);
    const length = dv.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(ARTIFACT_PREAMBLE, ARTIFACT_PREAMBLE + length)));
    edit(header);
    const text = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(ARTIFACT_PREAMBLE + text.length);
    out.set(bytes.subarray(0, ARTIFACT_PREAMBLE));
    new DataView(out.buffer).setUint32(8, version, true);
    new DataView(out.buffer).setUint32(12, text.length, true);
    out.set(text, ARTIFACT_PREAMBLE);
    return out;
  };

  it('refuses features it does not know, and versions beyond 2', () => {
    expect(() => readArtifact(withHeader((h) => h.features.push('fp8-weights')))).toThrow(ModelError);
    expect(() => readArtifact(withHeader((h) => h.features.push('fp8-weights')))).toThrow(/uses "fp8-weights", which this runtime does not know .* recompile the model/);
    expect(() => readArtifact(withHeader(() => {}, 3))).toThrow(/format version 3, but this runtime reads versions 1 and 2; recompile/);
    expect(() => readArtifact(withHeader(() => {}, 1))).toThrow(/version-1 artifact declares features/);
  });

  it('refuses external weights of the wrong size', () => {
    expect(() => readArtifact(sharded.artifact, [{ offset: 0, bytes: new Uint8Array(10) }])).toThrow(/the weights are 10 bytes, the manifest says \d+/);
  });
});
