/**
 * The Worker app in Node (app.request): the protocol, every error status, auth, CORS, prefixes.
 * The same behaviours are checked against the real bundle in workerd in workerd.test.ts.
 */
import { createHash } from 'crypto';
import { harness, MULTI_REQUEST, modelConfigText, type TestResponse } from './support/app-harness';
import { SERVER_VERSION } from '../../worker/protocol/server';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('KServe V2 over the multi-input model', () => {
  const h = harness('multi');

  it('answers health, server metadata, model metadata and readiness', async () => {
    expect(await (await h.request('/v2/health/live')).json()).toEqual({ live: true });
    expect(await (await h.request('/v2/health/ready')).json()).toEqual({ ready: true });
    expect(await (await h.request('/v2')).json()).toEqual({ name: 'model-edge', version: SERVER_VERSION, extensions: ['binary_tensor_data'] });
    const meta = await (await h.request('/v2/models/multi')).json();
    expect(meta).toEqual({
      name: 'multi',
      versions: ['v1'],
      platform: 'onnx_onnxv1',
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [-1, 3] },
        { name: 'flags', datatype: 'BOOL', shape: [-1] },
        { name: 'names', datatype: 'BYTES', shape: [-1] },
        { name: 'ids', datatype: 'INT64', shape: [-1, 2] },
      ],
      outputs: [
        { name: 'y', datatype: 'FP32', shape: [-1, 1] },
        { name: 'flags_out', datatype: 'BOOL', shape: [-1] },
        { name: 'names_out', datatype: 'BYTES', shape: [-1] },
        { name: 'ids_out', datatype: 'INT64', shape: [-1, 2] },
      ],
    });
    expect(await (await h.request('/v2/models/multi/versions/v1/ready')).json()).toEqual({ name: 'multi', ready: true });
  });

  it('infers with nested and flat data, echoes the id and reports the version', async () => {
    const res = await h.post('/v2/models/multi/infer', MULTI_REQUEST);
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/^parse;dur=[\d.]+,infer;dur=[\d.]+,encode;dur=[\d.]+,total;dur=[\d.]+$/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('cache-status')).toBe('bypass'); // no Cache API in Node
    expect(await res.json()).toEqual({
      model_name: 'multi',
      model_version: 'v1',
      id: 'req-1',
      outputs: [
        { name: 'y', datatype: 'FP32', shape: [2, 1], data: [14.5, 0.5] },
        { name: 'flags_out', datatype: 'BOOL', shape: [2], data: [true, false] },
        { name: 'names_out', datatype: 'BYTES', shape: [2], data: ['alpha', 'beta'] },
        { name: 'ids_out', datatype: 'INT64', shape: [1, 2], data: [7, -9007199254740991] },
      ],
    });
  });

  it('computes only the requested outputs, in the requested order', async () => {
    const body = { ...MULTI_REQUEST, id: undefined, outputs: [{ name: 'names_out' }, { name: 'y', parameters: { binary_data: false } }] };
    const res = await h.post('/v2/models/multi/versions/v1/infer', body);
    const json = await res.json();
    expect(json.id).toBeUndefined();
    expect(json.outputs.map((o: { name: string }) => o.name)).toEqual(['names_out', 'y']);
  });

  it('echoes a well-formed X-Request-Id and replaces a hostile one', async () => {
    expect((await h.request('/v2', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const replaced = (await h.request('/v2', { headers: { 'x-request-id': 'a b<script>' } })).headers.get('x-request-id');
    expect(replaced).not.toBe('a b<script>');
  });

  it('writes one JSON log line per request', async () => {
    const before = h.logs.length;
    await h.post('/v2/models/multi/infer', MULTI_REQUEST, { 'x-request-id': 'log-me' });
    expect(h.logs.length).toBe(before + 1);
    expect(JSON.parse(h.logs[h.logs.length - 1])).toMatchObject({
      model: 'multi',
      version: 'v1',
      status: 200,
      cache: 'bypass',
      requestId: 'log-me',
      durationMs: expect.any(Number),
    });
  });
});

describe('V1 and listing routes of the Worker', () => {
  const h = harness('multi', { pathPrefix: '/models' });
  const get = async (p: string) => {
    const res = await h.request(p);
    return [res.status, await res.json()];
  };

  it("answers KServe's liveness at / with the model, and the model lists", async () => {
    expect(await get('https://edge.example.com/models/')).toEqual([
      200,
      {
        status: 'alive',
        models: [
          {
            name: 'multi',
            metadata: 'https://edge.example.com/models/v2/models/multi',
            infer: 'https://edge.example.com/models/v2/models/multi/infer',
            openapi: 'https://edge.example.com/models/v2/models/multi/openapi.json',
            playground: 'https://edge.example.com/models/v2/models/multi/playground',
          },
        ],
      },
    ]);
    expect(await get('/models/v1/models')).toEqual([200, { models: ['multi'] }]);
    expect(await get('/models/v2/models')).toEqual([200, { models: ['multi'] }]);
    expect(((await get('/models/v2/'))[1] as { extensions: string[] }).extensions).toEqual(['binary_tensor_data']);
  });

  it('answers V1 readiness, 404 for another model, 405 for POST', async () => {
    expect(await get('/models/v1/models/multi')).toEqual([200, { name: 'multi', ready: true }]);
    expect((await get('/models/v1/models/other'))[0]).toBe(404);
    expect((await h.request('/models/v1/models/multi', { method: 'POST' })).status).toBe(405);
  });
});

describe('fail-closed keys', () => {
  const h = harness('multi', { auth: { keySha256: [], required: true } });
  it('answers 503 (never 200) on every route but liveness when keys are required and none are configured', async () => {
    expect((await h.request('/v2/health/live')).status).toBe(200);
    for (const res of [await h.post('/v2/models/multi/infer', MULTI_REQUEST), await h.request('/v2/models/multi'), await h.request('/v2/health/ready'), await h.request('/')]) {
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatch(/requires API keys but its deployment has none/);
    }
    expect(h.logs.some((l) => l.includes('auth.required is true but auth.keySha256 is empty'))).toBe(true);
  });

  it('refuses a config where auth.required is not a boolean', async () => {
    const res = await harness('multi', { auth: { keySha256: [], required: 'yes' as never } }).request('/v2/models/multi');
    expect(res.status).toBe(500);
  });
});

describe('V1 :predict', () => {
  it('answers instances with predictions and inputs with outputs (single input, ZipMap output)', async () => {
    const h = harness('classifier');
    const rows = await (await h.post('/v1/models/classifier:predict', { instances: [[5, 0], [0, 5]] })).json();
    expect(rows.model_version).toBe('v1');
    expect(rows.predictions).toHaveLength(2);
    expect(rows.predictions[0].label).toBe('a');
    expect(rows.predictions[1].label).toBe('b');
    expect(rows.predictions[0].probabilities.a).toBeCloseTo(Math.exp(5) / (1 + Math.exp(5)), 5);
    const cols = await (await h.post('/v1/models/classifier:predict', { inputs: [[5, 0]] })).json();
    expect(cols.outputs.label).toEqual(['a']);
    expect(Object.keys(cols.outputs.probabilities[0])).toEqual(['a', 'b']);
  });

  it('takes keyed instances for a model with several inputs', async () => {
    const h = harness('multi');
    const instance = (x: number[], flag: boolean, name: string) => ({ x, flags: flag, names: name, ids: [1, 2] });
    const res = await h.post('/v1/models/multi/versions/v1:predict', { instances: [instance([1, 1, 1], true, 'p'), instance([0, 0, 1], false, 'q')] });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json.predictions[0]).toMatchObject({ y: [6.5], flags_out: true, names_out: 'p' });
    expect(json.predictions[1]).toMatchObject({ y: [3.5], flags_out: false, names_out: 'q' });
  });
});

describe('ZipMap outputs over V2', () => {
  it('are FP32 [N, C] scores with the class labels in parameters and in metadata', async () => {
    const h = harness('classifier');
    const meta = await (await h.request('/v2/models/classifier')).json();
    expect(meta.outputs).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 2], parameters: { class_labels: '["a","b"]' } },
    ]);
    const res = await h.post('/v2/models/classifier/infer', { inputs: [{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [0, 0, 0, 5] }] });
    const json = await res.json();
    expect(json.outputs[1]).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 2], parameters: { class_labels: '["a","b"]' } });
    expect(json.outputs[1].data.slice(0, 2)).toEqual([0.5, 0.5]);
    expect(json.outputs[1].data[3]).toBeGreaterThan(0.99);
  });
});

describe('errors: a JSON body and the right 4xx status', () => {
  const h = harness('multi', { limits: { maxBodyBytes: 2000, maxTensorElements: 100 } });
  const input = (over: Record<string, unknown>) => ({ inputs: [{ ...MULTI_REQUEST.inputs[0], ...over }, ...MULTI_REQUEST.inputs.slice(1)] });

  const cases: Array<[string, () => Promise<TestResponse>, number, RegExp]> = [
    ['malformed JSON', () => h.post('/v2/models/multi/infer', '{"inputs": ['), 400, /malformed JSON/],
    ['empty body', () => h.post('/v2/models/multi/infer', ''), 400, /empty/],
    ['body not an object', () => h.post('/v2/models/multi/infer', '[1]'), 400, /JSON object/],
    ['missing inputs', () => h.post('/v2/models/multi/infer', {}), 400, /"inputs"/],
    ['missing input', () => h.post('/v2/models/multi/infer', { inputs: MULTI_REQUEST.inputs.slice(0, 3) }), 400, /missing input "ids"/],
    ['unknown input', () => h.post('/v2/models/multi/infer', { inputs: [...MULTI_REQUEST.inputs, { name: 'zz', shape: [1], datatype: 'FP32', data: [1] }] }), 400, /unknown input "zz"/],
    ['duplicate input', () => h.post('/v2/models/multi/infer', { inputs: [...MULTI_REQUEST.inputs, MULTI_REQUEST.inputs[0]] }), 400, /twice/],
    ['wrong datatype', () => h.post('/v2/models/multi/infer', input({ datatype: 'INT32' })), 400, /expects FP32/],
    ['unknown datatype', () => h.post('/v2/models/multi/infer', input({ datatype: 'FP8' })), 400, /datatype/],
    ['shape/data mismatch', () => h.post('/v2/models/multi/infer', input({ shape: [3, 3] })), 400, /needs 3 at dimension 0|has 2 entries/],
    ['flat data too short', () => h.post('/v2/models/multi/infer', input({ data: [1, 2, 3] })), 400, /needs 6 elements/],
    ['shape does not fit the model', () => h.post('/v2/models/multi/infer', input({ shape: [3, 2], data: [1, 2, 3, 4, 5, 6] })), 400, /does not fit/],
    ['-1 in a request shape', () => h.post('/v2/models/multi/infer', input({ shape: [-1, 3] })), 400, /non-negative/],
    ['too many elements', () => h.post('/v2/models/multi/infer', input({ shape: [1000, 3], data: [] })), 400, /more than the 100/],
    ['"NaN" string', () => h.post('/v2/models/multi/infer', input({ data: [1, 2, 3, 4, 5, 'NaN'] })), 400, /element 5/],
    ['1e999 (Infinity)', () => h.post('/v2/models/multi/infer', '{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,1e999]}]}'), 400, /finite/],
    ['float beyond FP32', () => h.post('/v2/models/multi/infer', input({ data: [1, 2, 3, 4, 5, 1e300] })), 400, /finite number within/],
    ['string where a number belongs', () => h.post('/v2/models/multi/infer', input({ data: [[1, 2, '3'], [4, 5, 6]] })), 400, /expected a finite number/],
    ['ragged nesting', () => h.post('/v2/models/multi/infer', input({ data: [[1, 2, 3], [4, 5]] })), 400, /data\[1\] has 2 entries/],
    ['too deep nesting', () => h.post('/v2/models/multi/infer', input({ data: [[[1], 2, 3], [4, 5, 6]] })), 400, /nested deeper/],
    ['INT64 beyond 2^53', () => h.post('/v2/models/multi/infer', { inputs: [...MULTI_REQUEST.inputs.slice(0, 3), { name: 'ids', shape: [1, 2], datatype: 'INT64', data: [1, 2 ** 60] }] }), 400, /integer in/],
    ['BOOL as number', () => h.post('/v2/models/multi/infer', { inputs: [MULTI_REQUEST.inputs[0], { name: 'flags', shape: [2], datatype: 'BOOL', data: [1, 0] }, ...MULTI_REQUEST.inputs.slice(2)] }), 400, /true or false/],
    ['unknown output', () => h.post('/v2/models/multi/infer', { ...MULTI_REQUEST, outputs: [{ name: 'nope' }] }), 400, /unknown output "nope"/],
    ['id not a string', () => h.post('/v2/models/multi/infer', { ...MULTI_REQUEST, id: 5 }), 400, /"id"/],
    ['V1 with both forms', () => h.post('/v1/models/multi:predict', { instances: [], inputs: {} }), 400, /exactly one/],
    ['V1 unkeyed rows for a multi-input model', () => h.post('/v1/models/multi:predict', { instances: [[1, 2, 3]] }), 400, /several inputs/],
    ['unknown model', () => h.post('/v2/models/other/infer', MULTI_REQUEST), 404, /unknown model "other"/],
    ['path traversal in the name', () => h.request('/v2/models/..%2f..%2fetc/infer', { method: 'POST' }), 404, /.*/],
    ['unknown version', () => h.request('/v2/models/multi/versions/v9'), 404, /unknown version "v9"/],
    ['unknown path', () => h.request('/v3/anything'), 404, /no endpoint/],
    ['GET on infer', () => h.request('/v2/models/multi/infer'), 405, /use POST/],
    ['DELETE on metadata', () => h.request('/v2/models/multi', { method: 'DELETE' }), 405, /use GET/],
    ['body over the limit', () => h.post('/v2/models/multi/infer', { inputs: [], pad: 'x'.repeat(3000) }), 413, /larger than the 2000 bytes/],
    [
      'a Content-Length smaller than the body',
      () => h.post('/v2/models/multi/infer', { inputs: [], pad: 'x'.repeat(3000) }, { 'content-length': '100' }),
      413,
      /larger than the 2000 bytes/,
    ],
    ['text/plain', () => h.request('/v2/models/multi/infer', { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }), 415, /Content-Type: application\/json/],
    ['octet-stream without Inference-Header-Content-Length', () => h.request('/v2/models/multi/infer', { method: 'POST', body: '{}', headers: { 'content-type': 'application/octet-stream' } }), 415, /Inference-Header-Content-Length/],
    ['V1 with binary tensors', () => h.request('/v1/models/multi:predict', { method: 'POST', body: '{}', headers: { 'inference-header-content-length': '2' } }), 400, /JSON only/],
  ];

  it.each(cases)('%s', async (_label, send, status, message) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(message);
    expect(body.error).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('sends Allow with a 405', async () => {
    expect((await h.request('/v2/models/multi/infer')).headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('keeps serving after bad input', async () => {
    expect((await h.post('/v2/models/multi/infer', MULTI_REQUEST)).status).toBe(200);
  });

  it('takes JSON without a Content-Type, as the Triton client sends it', async () => {
    const res = await h.request('/v2/models/multi/infer', { method: 'POST', body: new TextEncoder().encode(JSON.stringify(MULTI_REQUEST)) });
    expect(res.status).toBe(200);
    expect((await res.json()).outputs[0].data).toEqual([14.5, 0.5]);
  });

  it('echoes an id longer than 256 characters', async () => {
    const id = 'i'.repeat(1000);
    const res = await h.post('/v2/models/multi/infer', { ...MULTI_REQUEST, id });
    expect((await res.json()).id).toBe(id);
  });

  it('reads a body with a declared Content-Length', async () => {
    const body = JSON.stringify(MULTI_REQUEST);
    const res = await h.post('/v2/models/multi/infer', body, { 'content-length': String(new TextEncoder().encode(body).length) });
    expect(res.status).toBe(200);
    expect((await res.json()).outputs[0].data).toEqual([14.5, 0.5]);
  });
});

describe('a broken MODEL_CONFIG', () => {
  it('answers 500 "deployment misconfigured" and logs the problem, but stays live', async () => {
    const h = harness('multi');
    const res = await h.request('/v2/models/multi', undefined, JSON.stringify({ name: 'multi', version: 'v1', auth: { keySha256: ['raw-key'] } }));
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatch(/deployment misconfigured/);
    expect(JSON.parse(h.logs[h.logs.length - 1]).error).toMatch(/auth.keySha256/);
    expect((await h.request('/v2/health/live', undefined, 'not json')).status).toBe(200);
  });
});

describe('API keys', () => {
  const key = 'me_test_key_123';
  const h = harness('multi', { auth: { keySha256: [sha256('other'), sha256(key)] } });

  it('leaves health open and closes everything else', async () => {
    expect((await h.request('/v2/health/ready')).status).toBe(200);
    const res = await h.request('/v2/models/multi');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await h.request('/v2')).status).toBe(401);
  });

  it('accepts the key as a bearer token or X-API-Key, and rejects a wrong one', async () => {
    expect((await h.request('/v2/models/multi', { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await h.post('/v2/models/multi/infer', MULTI_REQUEST, { 'x-api-key': key })).status).toBe(200);
    const wrong = await h.request('/v2/models/multi', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const text = await wrong.text();
    expect(text).not.toContain('nope');
  });

  it('never logs the key', async () => {
    await h.request('/v2/models/multi', { headers: { 'x-api-key': key } });
    expect(h.logs.join('\n')).not.toContain(key);
  });
});

describe('CORS', () => {
  const h = harness('multi', { cors: { allowOrigins: ['https://app.example.com'], maxAgeSeconds: 60 } });
  const preflight = (origin: string) =>
    h.request('/v2/models/multi/infer', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it('answers a preflight from an allowed origin', async () => {
    const res = await preflight('https://app.example.com');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-max-age')).toBe('60');
  });

  it('refuses other origins and allows none by default', async () => {
    expect((await preflight('https://evil.example.com')).status).toBe(403);
    const plain = harness('multi');
    const res = await plain.request('/v2/models/multi', { headers: { origin: 'https://app.example.com' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the allow and expose headers to real responses', async () => {
    const res = await h.post('/v2/models/multi/infer', MULTI_REQUEST, { origin: 'https://app.example.com' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toContain('Server-Timing');
  });
});

describe('path prefixes', () => {
  it('detects a prefix before /v2 or /v1 when none is configured', async () => {
    const h = harness('multi');
    expect((await h.request('/models/v2/models/multi')).status).toBe(200);
    expect((await h.post('/a/b/v2/models/multi/infer', MULTI_REQUEST)).status).toBe(200);
    expect((await h.post('/models/v1/models/multi:predict', { inputs: { x: [[1, 1, 1]], flags: [true], names: ['n'], ids: [[1, 2]] } })).status).toBe(200);
  });

  it('strips a configured prefix, even one that contains /v1', async () => {
    const h = harness('multi', { pathPrefix: '/api/v1' });
    expect((await h.request('/api/v1/v2/models/multi')).status).toBe(200);
    expect((await h.request('/api/v1/v2/health/live')).status).toBe(200);
    expect((await h.request('/api/v1/nothing')).status).toBe(404);
  });
});

describe('MODEL_CONFIG text for tests', () => {
  it('is what the harness sends', () => {
    expect(JSON.parse(modelConfigText('m'))).toEqual({ name: 'm', version: 'v1' });
  });
});

describe('hostile nesting', () => {
  it('answers 400 (not 500) for a deeply nested element where a number belongs', async () => {
    const h = harness('multi', { limits: { maxBodyBytes: 8 * 1024 * 1024 } });
    const deep = '['.repeat(500000) + ']'.repeat(500000);
    const body = `{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,${deep},3]}]}`;
    const res = await h.post('/v2/models/multi/infer', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/element 1 is an array/);
  });
});

describe('server metadata', () => {
  it('reports the package version', () => {
    expect(SERVER_VERSION).toBe(require('../../package.json').version);
  });
});
