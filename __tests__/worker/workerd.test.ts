/**
 * The bundled Worker in the real Workers runtime (workerd via Miniflare): the protocol, every error
 * status, auth, CORS, the edge cache and path prefixes, and a bundle free of dynamic code.
 */
import { createHash } from 'crypto';
import type { Miniflare } from 'miniflare';
import { workerBundle } from '../../lib/worker-bundle';
import { MULTI_REQUEST } from './support/app-harness';
import { startWorkers } from './support/workerd';
import { binaryRequest, readAnswer } from './support/binary-protocol';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const KEY = 'me_workerd_test_key';

let mf: Miniflare;
let logs: string[];
type Fetch = (path: string, init?: RequestInit) => Promise<{ status: number; headers: Headers; json: () => Promise<any>; text: () => Promise<string>; arrayBuffer: () => Promise<ArrayBuffer> }>;
const fetchers: Record<string, Fetch> = {};

beforeAll(async () => {
  ({ mf, logs } = startWorkers([
    { name: 'multi', model: 'multi', config: { limits: { maxBodyBytes: 4096, maxTensorElements: 1000 }, cors: { allowOrigins: ['http://localhost:5173'] } } },
    { name: 'classifier', model: 'classifier', config: { pathPrefix: '/models', cache: { enabled: true, ttlSeconds: 60 } } },
    { name: 'locked', model: 'multi', config: { auth: { keySha256: [sha256(KEY)] }, cache: { enabled: true, ttlSeconds: 60 } } },
    { name: 'nocache', model: 'multi', config: { cache: { enabled: false, ttlSeconds: 60 } } },
    // Three Workers over one Cache API (Miniflare shares caches.default): same model and version,
    // then the next version of the deployment.
    { name: 'cachedV1', model: 'multi', config: { version: 'v1', versions: ['v1', 'v2'], cache: { enabled: true, ttlSeconds: 60 } } },
    { name: 'cachedV1Again', model: 'multi', config: { version: 'v1', versions: ['v1', 'v2'], cache: { enabled: true, ttlSeconds: 60 } } },
    { name: 'cachedV2', model: 'multi', config: { version: 'v2', versions: ['v1', 'v2'], cache: { enabled: true, ttlSeconds: 60 } } },
  ]));
  await mf.ready;
  for (const name of ['multi', 'classifier', 'locked', 'nocache', 'cachedV1', 'cachedV1Again', 'cachedV2']) {
    const worker = await mf.getWorker(name);
    fetchers[name] = (p, init) => worker.fetch(`https://edge.example.com${p}`, init as never) as never;
  }
});
afterAll(async () => {
  await mf?.dispose();
});

const post = (worker: string, p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetchers[worker](p, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the bundle', () => {
  it('contains no eval, new Function or run-time WebAssembly compilation', () => {
    const code = workerBundle()
      .modules.map((m) => Buffer.from(m.code).toString('utf8'))
      .join('\n');
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/new\s+Function\s*\(/);
    expect(code).not.toMatch(/WebAssembly\.(compile|instantiate|compileStreaming|instantiateStreaming)\s*\(/);
  });
});

describe('protocol in workerd', () => {
  it('answers health, metadata and inference', async () => {
    expect(await (await fetchers.multi('/v2/health/ready')).json()).toEqual({ ready: true });
    const meta = await (await fetchers.multi('/v2/models/multi')).json();
    expect(meta.inputs.map((i: { datatype: string }) => i.datatype)).toEqual(['FP32', 'BOOL', 'BYTES', 'INT64']);
    const res = await post('multi', '/v2/models/multi/infer', MULTI_REQUEST);
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/parse;dur=.*infer;dur=.*total;dur=/);
    expect(res.headers.get('x-model-version')).toBe('v1');
    const json = await res.json();
    expect(json).toMatchObject({ model_name: 'multi', model_version: 'v1', id: 'req-1' });
    expect(json.outputs[0]).toEqual({ name: 'y', datatype: 'FP32', shape: [2, 1], data: [14.5, 0.5] });
    expect(json.outputs[3].data).toEqual([7, -9007199254740991]);
  });

  it('serves V1 with ZipMap rows under a configured prefix', async () => {
    const res = await post('classifier', '/models/v1/models/classifier:predict', { instances: [[5, 0], [0, 5]] });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.predictions.map((p: { label: string }) => p.label)).toEqual(['a', 'b']);
    expect(json.predictions[0].probabilities.a).toBeGreaterThan(0.99);
  });

  it('detects an unconfigured prefix', async () => {
    expect((await fetchers.multi('/anything/v2/models/multi/ready')).status).toBe(200);
  });
});

describe('error statuses in workerd', () => {
  const cases: Array<[string, () => ReturnType<Fetch>, number]> = [
    ['malformed JSON', () => post('multi', '/v2/models/multi/infer', '{"inputs":'), 400],
    ['deeply nested JSON', () => post('multi', '/v2/models/multi/infer', '['.repeat(100000) + ']'.repeat(100000)), 413],
    ['deep JSON within the limit', () => post('multi', '/v2/models/multi/infer', '['.repeat(2000) + ']'.repeat(2000)), 400],
    ['NaN as a string', () => post('multi', '/v2/models/multi/infer', { inputs: [{ ...MULTI_REQUEST.inputs[0], data: [1, 2, 3, 4, 5, 'NaN'] }, ...MULTI_REQUEST.inputs.slice(1)] }), 400],
    ['huge shape', () => post('multi', '/v2/models/multi/infer', { inputs: [{ ...MULTI_REQUEST.inputs[0], shape: [1e9, 1e9] }] }), 400],
    ['missing input', () => post('multi', '/v2/models/multi/infer', { inputs: [MULTI_REQUEST.inputs[0]] }), 400],
    ['unknown model', () => post('multi', '/v2/models/nope/infer', MULTI_REQUEST), 404],
    ['traversal', () => fetchers.multi('/v2/models/%2e%2e/ready'), 404],
    ['wrong method', () => fetchers.multi('/v2/models/multi/infer'), 405],
    ['too large', () => post('multi', '/v2/models/multi/infer', { pad: 'x'.repeat(5000) }), 413],
    ['not JSON', () => fetchers.multi('/v2/models/multi/infer', { method: 'POST', body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
    ['no key', () => fetchers.locked('/v2/models/multi'), 401],
  ];
  it.each(cases)('%s', async (_label, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(Object.keys(await res.json())).toEqual(['error']);
  });

  it('still answers correctly afterwards', async () => {
    expect((await post('multi', '/v2/models/multi/infer', MULTI_REQUEST)).status).toBe(200);
  });
});

describe('logs in workerd', () => {
  it('writes one JSON line per request, with the model, status and cache outcome', async () => {
    await fetchers.multi('/v2/models/multi', { headers: { 'x-request-id': 'find-me-in-logs' } });
    // stdout arrives asynchronously: wait for the line (bounded).
    let line: string | undefined;
    for (let i = 0; i < 100 && !line; i++) {
      line = logs.find((l) => l.includes('find-me-in-logs'));
      if (!line) await new Promise((r) => setTimeout(r, 50));
    }
    expect(JSON.parse(line!)).toMatchObject({ requestId: 'find-me-in-logs', model: 'multi', version: 'v1', status: 200, cache: 'bypass' });
  });
});

describe('auth and CORS in workerd', () => {
  it('accepts a valid key and keeps health open', async () => {
    expect((await fetchers.locked('/v2/health/live')).status).toBe(200);
    expect((await fetchers.locked('/v2/models/multi', { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    expect((await fetchers.locked('/v2/models/multi', { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
  });

  // Miniflare's front only lets localhost origins through, so the allowed origin is a local one.
  it('answers a preflight', async () => {
    const res = await fetchers.multi('/v2/models/multi/infer', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});

describe('edge cache in workerd', () => {
  const body = (v: number) => ({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [v, 0] }] });

  it('misses, then hits the same request byte for byte', async () => {
    const first = await post('classifier', '/models/v2/models/classifier/infer', body(1.25));
    expect(first.headers.get('cache-status')).toBe('miss');
    const firstJson = await first.json();
    const second = await post('classifier', '/models/v2/models/classifier/infer', body(1.25));
    expect(second.headers.get('cache-status')).toBe('hit');
    expect(second.headers.get('server-timing')).toMatch(/total;dur=/);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await second.json()).toEqual(firstJson);
    expect((await post('classifier', '/models/v2/models/classifier/infer', body(2.5))).headers.get('cache-status')).toBe('miss');
  });

  it('keeps -0 and 0 apart, and any other difference in the bytes', async () => {
    const send = (text: string) => post('classifier', '/models/v2/models/classifier/infer', text);
    const zero = '{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[0,7.5]}]}';
    expect((await send(zero)).headers.get('cache-status')).toBe('miss');
    expect((await send(zero.replace('[0,', '[-0,'))).headers.get('cache-status')).toBe('miss');
    expect((await send(zero.replace('[0,', '[-0,'))).headers.get('cache-status')).toBe('hit');
    expect((await send(zero.replace('"name":"x",', '') .replace('"data"', '"name":"x","data"'))).headers.get('cache-status')).toBe('miss');
  });

  it('keys binary bodies byte for byte, answers binary outputs from the cache exactly', async () => {
    const request = (v: number) => binaryRequest([{ name: 'x', shape: [1, 2], datatype: 'FP32', values: [v, 3.5] }], { outputs: [{ name: 'probabilities', parameters: { binary_data: true } }] });
    const send = (r: ReturnType<typeof request>) => fetchers.classifier('/models/v2/models/classifier/infer', { method: 'POST', body: r.body as never, headers: r.headers });
    const first = await send(request(0));
    expect(first.headers.get('cache-status')).toBe('miss');
    const firstAnswer = await readAnswer(first as never);
    const again = await send(request(0));
    expect(again.headers.get('cache-status')).toBe('hit');
    expect(again.headers.get('inference-header-content-length')).toBe(first.headers.get('inference-header-content-length'));
    expect((await readAnswer(again as never)).outputs[0].bytes).toEqual(firstAnswer.outputs[0].bytes);
    expect((await send(request(-0))).headers.get('cache-status')).toBe('miss');
  });

  it('never caches errors', async () => {
    const bad = { inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1] }] };
    const a = await post('classifier', '/models/v2/models/classifier/infer', bad);
    const b = await post('classifier', '/models/v2/models/classifier/infer', bad);
    expect([a.status, b.status]).toEqual([400, 400]);
    expect(b.headers.get('cache-status')).not.toBe('hit');
  });

  it('keeps callers with different keys apart', async () => {
    // Same body, same key: miss then hit; the entry is keyed by the caller's key digest.
    const headers = { authorization: `Bearer ${KEY}` };
    expect((await post('locked', '/v2/models/multi/infer', MULTI_REQUEST, headers)).headers.get('cache-status')).toBe('miss');
    expect((await post('locked', '/v2/models/multi/infer', MULTI_REQUEST, headers)).headers.get('cache-status')).toBe('hit');
  });

  it('misses after the version changes', async () => {
    const body = { ...MULTI_REQUEST, id: 'versions' };
    const status = async (worker: string) => (await post(worker, '/v2/models/multi/infer', body)).headers.get('cache-status');
    expect(await status('cachedV1')).toBe('miss');
    expect(await status('cachedV1Again')).toBe('hit'); // the cache is shared: only the key keeps versions apart
    expect(await status('cachedV2')).toBe('miss');
    expect(await status('cachedV2')).toBe('hit');
  });

  it('bypasses the cache when it is switched off', async () => {
    const a = await post('nocache', '/v2/models/multi/infer', MULTI_REQUEST);
    const b = await post('nocache', '/v2/models/multi/infer', MULTI_REQUEST);
    expect([a.headers.get('cache-status'), b.headers.get('cache-status')]).toEqual(['bypass', 'bypass']);
  });
});
