/**
 * The metrics data point: one per request when MODEL_METRICS is bound, in the documented column
 * layout, with the inference figures of the request; a failing binding never fails the request.
 * (The dataset binding is recorded here; __tests__/cli/serve-metrics.test.ts runs the real Worker in
 * workerd with local serving's binding.)
 */
import { createApp } from '../../worker/app';
import { allKernels } from '../../worker/runtime/kernels/registry';
import type { Env, MetricsDataset } from '../../worker/env';
import { METRICS_BLOBS, METRICS_DOUBLES, byteLength } from '../../worker/http/metrics';
import { artifactBuffer, compiledModel } from './support/models';
import { MULTI_REQUEST, modelConfigText } from './support/app-harness';

type Point = { indexes: string[]; blobs: string[]; doubles: number[] };
const named = (p: Point) => ({
  index: p.indexes[0],
  ...Object.fromEntries(METRICS_BLOBS.map((n, i) => [n, p.blobs[i]])),
  ...Object.fromEntries(METRICS_DOUBLES.map((n, i) => [n, p.doubles[i]])),
}) as Record<string, string | number>;

function recordingApp() {
  const points: Point[] = [];
  const logs: string[] = [];
  const dataset: MetricsDataset = { writeDataPoint: (p) => void points.push(p as Point) };
  const app = createApp({ kernels: allKernels, artifact: artifactBuffer(compiledModel('multi')), log: (l) => logs.push(l) });
  const env: Env = { MODEL_CONFIG: modelConfigText('multi', { cache: { enabled: false } }), MODEL_METRICS: dataset, CF_VERSION_METADATA: { id: 'wv-1' } };
  const post = (body: string, headers: Record<string, string> = {}) =>
    app.request('/v2/models/multi/infer', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }, env);
  return { app, env, points, logs, post };
}

it('writes one point per inference with model, version, status, timings, batch and bytes', async () => {
  const { points, post } = recordingApp();
  const body = JSON.stringify(MULTI_REQUEST);
  const res = await post(body, { 'x-request-id': 'r-1' });
  const answer = await res.text();
  expect(res.status).toBe(200);
  expect(points).toHaveLength(1);
  const p = named(points[0]);
  expect(p).toMatchObject({ index: 'multi', model: 'multi', version: 'v1', cache: 'bypass', endpoint: 'infer', method: 'POST', workerVersion: 'wv-1', requestId: 'r-1', status: 200, batchSize: 2 });
  expect(p.requestBytes).toBe(Buffer.byteLength(body));
  expect(p.responseBytes).toBe(Buffer.byteLength(answer));
  for (const ms of ['totalMs', 'parseMs', 'inferMs', 'encodeMs']) expect(p[ms]).toBeGreaterThanOrEqual(0);
  expect(p.totalMs as number).toBeGreaterThanOrEqual(p.inferMs as number);
  expect(points[0].blobs).toHaveLength(METRICS_BLOBS.length);
  expect(points[0].doubles).toHaveLength(METRICS_DOUBLES.length);
});

it('records refused requests and other routes with their status', async () => {
  const { app, env, points, post } = recordingApp();
  await post('{"inputs": [');
  await app.request('/v2/models/multi', {}, env);
  expect(points.map(named).map((p) => [p.endpoint, p.status, p.batchSize])).toEqual([
    ['infer', 400, 0],
    ['other', 200, 0],
  ]);
});

it('never fails the request when the binding throws, and logs why', async () => {
  const { env, logs, app } = recordingApp();
  const broken: Env = { ...env, MODEL_METRICS: { writeDataPoint: () => { throw new Error('dataset unavailable'); } } };
  const res = await app.request('/v2/models/multi', {}, broken);
  expect(res.status).toBe(200);
  expect(logs.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ message: 'metrics not written', error: 'dataset unavailable' }));
});

it('writes nothing without the binding', async () => {
  const { env, app, logs } = recordingApp();
  const res = await app.request('/v2/models/multi', {}, { MODEL_CONFIG: env.MODEL_CONFIG });
  expect(res.status).toBe(200);
  expect(logs).toHaveLength(1);
});

it.each(['plain', 'é', '漢字', '😀 and ok', '\ud800 lone'])('counts UTF-8 bytes of %j', (text) => {
  expect(byteLength(text)).toBe(Buffer.byteLength(text));
});
