/** `model-edge serve`: a real workerd on a free loopback port, one inference, a clean shutdown. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serveModels } from '../../lib/cli/serve';
import type { LocalServer } from '../../lib/local/local-server';
import { classifierOnnx, multiOnnx } from '../worker/support/models';

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
