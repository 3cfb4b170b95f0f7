/**
 * `model-edge serve`: a real workerd on a free loopback port, inference as the stock clients send
 * it, the V1 and listing routes, the local edge cache, a clean shutdown.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serveModels } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/local-server';
import { createHash } from 'crypto';
import { classifierOnnx, compiledModel, multiOnnx } from '../worker/support/models';
import { MULTI_REQUEST } from '../worker/support/app-harness';
import { binaryRequest, MULTI_BINARY_INPUTS, readAnswer, valuesOf } from '../worker/support/binary-protocol';
import { startLocalServer } from '../../lib/local/local-server';
import { localModelConfig } from '../../lib/local/workerd-config';

let dir: string;
let server: LocalServer;
const printed: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-serve-test-'));
  writeFileSync(path.join(dir, 'classifier.onnx'), classifierOnnx());
  const folder = path.join(dir, 'multi');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'model.onnx'), multiOnnx());
  server = await serveModels([dir], { port: 0, print: (l) => printed.push(l) });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('prints progress, each model URL and a curl example', () => {
  const text = printed.join('\n');
  expect(text).toMatch(/\[1\/2\] compiled classifier/);
  expect(text).toMatch(/\[2\/2\] compiled multi/);
  expect(text).toContain(`${server.url}/v2/models/multi`);
  expect(text).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/v2\/models\/classifier\/infer -H 'content-type: application\/json' -d '/);
});

it('answers inference for every model through one socket', async () => {
  const res = await fetch(`${server.url}/v2/models/classifier/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [3, 1, 0, 4] }] }),
  });
  expect(res.status).toBe(200);
  const json = (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(json.outputs[0]).toEqual({ name: 'label', datatype: 'BYTES', shape: [2], data: ['a', 'b'] });
  const v1 = await fetch(`${server.url}/v1/models/multi:predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ instances: [{ x: [1, 1, 1], flags: true, names: 'n', ids: [1, 2] }] }),
  });
  expect(((await v1.json()) as any).predictions[0].y).toEqual([6.5]);
});

it('prints one concise line per request', async () => {
  await fetch(`${server.url}/v2/models/classifier`);
  for (let i = 0; i < 100 && !printed.some((l) => l.startsWith('GET /v2/models/classifier 200 ')); i++) await new Promise((r) => setTimeout(r, 50));
  expect(printed).toContainEqual(expect.stringMatching(/^GET \/v2\/models\/classifier 200 [\d.]+ ms$/));
  expect(printed).toContainEqual(expect.stringMatching(/^POST \/v2\/models\/classifier\/infer 200 /));
});

it('routes unknown models to a 404 and answers health itself', async () => {
  const res = await fetch(`${server.url}/v2/models/nope`);
  expect(res.status).toBe(404);
  expect(((await res.json()) as any).error).toMatch(/classifier, multi/);
  expect(await (await fetch(`${server.url}/v2/health/ready`)).json()).toEqual({ ready: true });
});

it('serves a single model with the same routes (router in the model Worker, no hop)', async () => {
  const single = await serveModels([path.join(dir, 'classifier.onnx')], { port: 0, print: () => undefined });
  try {
    const res = await fetch(`${single.url}/v2/models/classifier/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [3, 1] }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(((await res.json()) as any).outputs[0].data).toEqual(['a']);
    const unknown = await fetch(`${single.url}/v2/models/nope/infer`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error).toMatch(/this server has classifier/);
    expect(((await (await fetch(`${single.url}/`)).json()) as any).models.map((m: { name: string }) => m.name)).toEqual(['classifier']);
    expect(await (await fetch(`${single.url}/v2/health/ready`)).json()).toEqual({ ready: true });
    expect(((await (await fetch(`${single.url}/v2`)).json()) as any).name).toBe('model-edge');
  } finally {
    await single.close();
  }
});

it('stops workerd and removes its files on close', async () => {
  const tempDirs = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith('model-edge-serve-') && !f.startsWith('model-edge-serve-test-'));
  const before = new Set(tempDirs());
  const other = await serveModels([path.join(dir, 'classifier.onnx')], { port: 0, print: () => undefined });
  await other.close();
  await expect(other.exited).resolves.not.toBeUndefined();
  await expect(fetch(`${other.url}/v2/health/live`)).rejects.toThrow();
  // Other servers may run at the same time: only check that no new directory was left behind.
  expect(tempDirs().filter((d) => !before.has(d))).toEqual([]);
});

/**
 * Requests exactly as the stock clients send them (see ../worker/support/binary-protocol.ts):
 * tritonclient.http sends no Content-Type and numpy inputs as binary; kserve's
 * InferenceRESTClient sends application/octet-stream with Inference-Header-Content-Length; both
 * ask for binary outputs. Against the real local server.
 */
describe('stock KServe and Triton clients, unchanged', () => {
  const infer = (model: string, body: Uint8Array, headers: Record<string, string>) =>
    fetch(`${server.url}/v2/models/${model}/infer`, { method: 'POST', body, headers });

  it('Triton: JSON tensors without a Content-Type', async () => {
    const res = await infer('multi', new TextEncoder().encode(JSON.stringify(MULTI_REQUEST)), {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).outputs[0].data).toEqual([14.5, 0.5]);
  });

  it.each(['triton', 'kserve'] as const)('%s: binary inputs, binary outputs', async (client) => {
    const req = binaryRequest(MULTI_BINARY_INPUTS, { id: `${client}-1`, outputs: ['y', 'flags_out', 'names_out', 'ids_out'].map((name) => ({ name, parameters: { binary_data: true } })) }, client);
    const res = await infer('multi', req.body, req.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const { json, outputs } = await readAnswer(res);
    expect(json.id).toBe(`${client}-1`);
    expect(outputs.map((o) => valuesOf(o.datatype, o.bytes!))).toEqual([[14.5, 0.5], [true, false], ['alpha', 'beta'], [7n, -9007199254740991n]]);
  });

  it('KServe: a ZipMap model answers FP32 scores with the class labels', async () => {
    const req = binaryRequest([{ name: 'x', shape: [2, 2], datatype: 'FP32', values: [3, 1, 0, 4] }], { parameters: { binary_data_output: true } }, 'kserve');
    const { outputs } = await readAnswer(await infer('classifier', req.body, req.headers));
    expect(valuesOf('BYTES', outputs[0].bytes!)).toEqual(['a', 'b']);
    expect(outputs[1]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 2], parameters: { class_labels: '["a","b"]' } });
    const p = valuesOf('FP32', outputs[1].bytes!) as number[];
    expect(p[0]).toBeGreaterThan(p[1]);
    expect(p[3]).toBeGreaterThan(p[2]);
  });

  it('V1 and listing routes: liveness, model list, readiness', async () => {
    const get = async (p: string) => {
      const res = await fetch(`${server.url}${p}`);
      return [res.status, await res.json()];
    };
    const root = (await get('/'))[1] as { status: string; models: Array<{ name: string }> };
    expect(root.status).toBe('alive');
    expect(root.models.map((m) => m.name)).toEqual(['classifier', 'multi']);
    expect(await get('/v1/models')).toEqual([200, { models: ['classifier', 'multi'] }]);
    expect(await get('/v2/models')).toEqual([200, { models: ['classifier', 'multi'] }]);
    expect(await get('/v1/models/multi')).toEqual([200, { name: 'multi', ready: true }]);
    expect(await get('/v1/models/nope')).toEqual([404, expect.objectContaining({ error: expect.stringMatching(/this server has classifier, multi/) })]);
    expect(((await get('/v2/'))[1] as { extensions: string[] }).extensions).toEqual(['binary_tensor_data']);
  });
});

describe('the local edge cache', () => {
  const post = (model: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/v2/models/${model}/infer`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const statusOf = async (res: Response) => {
    await res.arrayBuffer();
    return res.headers.get('cache-status');
  };

  it('hits on an identical repeat and misses for another body or another model', async () => {
    const body = JSON.stringify({ ...MULTI_REQUEST, id: 'cache-1' });
    expect(await statusOf(await post('multi', body))).toBe('miss');
    const hit = await post('multi', body);
    expect(hit.headers.get('cache-status')).toBe('hit');
    expect(((await hit.json()) as any).outputs[0].data).toEqual([14.5, 0.5]);
    expect(await statusOf(await post('multi', body.replace('cache-1', 'cache-2')))).toBe('miss');
    const x = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] });
    expect(await statusOf(await post('classifier', x))).toBe('miss');
    expect(await statusOf(await post('classifier', x))).toBe('hit');
  });

  it('hits binary requests with binary answers', async () => {
    const req = binaryRequest(MULTI_BINARY_INPUTS, { id: 'cache-bin', parameters: { binary_data_output: true } });
    const send = () => fetch(`${server.url}/v2/models/multi/infer`, { method: 'POST', body: req.body, headers: req.headers });
    const first = await send();
    expect(first.headers.get('cache-status')).toBe('miss');
    const a = await readAnswer(first);
    const second = await send();
    expect(second.headers.get('cache-status')).toBe('hit');
    expect((await readAnswer(second)).outputs.map((o) => o.bytes)).toEqual(a.outputs.map((o) => o.bytes));
  });

  it("expires entries after the answer's max-age (cache.ttlSeconds)", async () => {
    const short = await startLocalServer({ port: 0, models: [{ name: 'multi', artifact: compiledModel('multi').artifact, modelConfig: localModelConfig('multi', { cache: { enabled: true, ttlSeconds: 1 } }) }] });
    try {
      const send = () => fetch(`${short.url}/v2/models/multi/infer`, { method: 'POST', body: JSON.stringify(MULTI_REQUEST), headers: { 'content-type': 'application/json' } });
      expect([await statusOf(await send()), await statusOf(await send())]).toEqual(['miss', 'hit']);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await statusOf(await send())).toBe('miss');
    } finally {
      await short.close();
    }
  });

  it('misses after the model changes, and keeps API keys apart', async () => {
    const keys = ['me_cache_key_one_0123456789', 'me_cache_key_two_0123456789'];
    const sha = (k: string) => createHash('sha256').update(k).digest('hex');
    const config = localModelConfig('multi', { auth: { keySha256: keys.map(sha) } });
    const body = JSON.stringify(MULTI_REQUEST);
    const keyed = await startLocalServer({ port: 0, models: [{ name: 'multi', artifact: compiledModel('multi').artifact, modelConfig: config }] });
    try {
      const send = (key: string) => fetch(`${keyed.url}/v2/models/multi/infer`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-api-key': key } });
      expect([await statusOf(await send(keys[0])), await statusOf(await send(keys[0]))]).toEqual(['miss', 'hit']);
      expect([await statusOf(await send(keys[1])), await statusOf(await send(keys[1]))]).toEqual(['miss', 'hit']);
    } finally {
      await keyed.close();
    }
    // A server started again (as after the model changed) keeps nothing from before; entries are
    // also keyed by the artifact's SHA-256 and the version, as at the edge.
    const x = JSON.stringify({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [5, 6] }] });
    const first = await startLocalServer({ port: 0, models: [{ name: 'm', artifact: compiledModel('classifier').artifact }] });
    try {
      const send = () => fetch(`${first.url}/v2/models/m/infer`, { method: 'POST', body: x, headers: { 'content-type': 'application/json' } });
      expect([await statusOf(await send()), await statusOf(await send())]).toEqual(['miss', 'hit']);
    } finally {
      await first.close();
    }
  });
});
