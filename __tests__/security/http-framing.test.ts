/**
 * Hostile framing against the real local server (workerd, as `model-edge serve` runs it), over raw
 * sockets where the probe needs what fetch will not send:
 *  - the body limit holds whatever the framing: Content-Length plus chunked, or chunked alone, with
 *    a body that never ends, is answered 413 while the client is still sending (the Worker stops
 *    reading at the limit plus a bounded drain instead of buffering the whole body);
 *  - after a 401, 404, 405, 413 or 415 the keep-alive connection still serves the next request;
 *  - a deployment that requires keys but has none answers 503, never the model;
 *  - error messages never echo control or right-to-left characters.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import * as http from 'http';
import * as net from 'net';
import { startLocalServer, type LocalServer } from '../../lib/local/local-server';
import { localModelConfig } from '../../lib/local/workerd-config';
import { compiledModel } from '../worker/support/models';
import { MULTI_REQUEST } from '../worker/support/app-harness';

const KEY = 'me_framing_test_key_0123456789';
const LIMIT = 64 * 1024;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
let server: LocalServer;

beforeAll(async () => {
  const artifact = compiledModel('multi').artifact;
  server = await startLocalServer({
    port: 0,
    models: [
      { name: 'multi', artifact, modelConfig: localModelConfig('multi', { limits: { maxBodyBytes: LIMIT, maxTensorElements: 1000 } }) },
      { name: 'locked', artifact, modelConfig: localModelConfig('locked', { limits: { maxBodyBytes: LIMIT, maxTensorElements: 1000 }, auth: { keySha256: [sha256(KEY)] } }) },
      { name: 'keyless', artifact, modelConfig: localModelConfig('keyless', { auth: { keySha256: [], required: true } }) },
    ],
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const RESET_BEFORE_ANSWER = 'connection reset before the answer arrived';
/** A 413, or the reset that overtook it: either way the server stopped reading the body. */
const REFUSED = /^(HTTP\/1\.1 413|connection reset before the answer arrived$)/;

/**
 * Sends `head`, then body chunks of `chunk` until the server answers or `maxBytes` went out.
 * Resolves with the status line and how many body bytes had been sent when the answer came.
 */
function sendEndless(head: string, chunk: Buffer, maxBytes: number): Promise<{ statusLine: string; sentWhenAnswered: number; body: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let sent = 0;
    let answered = -1;
    let received = '';
    const pump = () => {
      while (answered < 0 && sent < maxBytes && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('data', (d) => {
      if (answered < 0) answered = sent;
      received += d.toString('latin1');
      if (/\r\n\r\n[\s\S]*\}/.test(received)) socket.destroy();
    });
    socket.on('error', () => undefined); // the server may reset once it stopped reading
    socket.on('close', () => {
      // The server answers and closes while the client is still sending; the reset that unread bytes
      // cause can reach the client before the answer does (TCP drops it then), a race no client avoids.
      if (answered < 0) return resolve({ statusLine: RESET_BEFORE_ANSWER, sentWhenAnswered: sent, body: '' });
      resolve({ statusLine: received.split('\r\n')[0], sentWhenAnswered: answered, body: received.split('\r\n\r\n')[1] ?? '' });
    });
  });
}

describe('the body limit, whatever the framing', () => {
  const MAX = 512 * 1024 * 1024;
  const chunked = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
  const filler = Buffer.alloc(256 * 1024, 0x20);

  it.each([
    ['Content-Length and chunked', 'Content-Length: 10\r\nTransfer-Encoding: chunked\r\n'],
    ['chunked alone', 'Transfer-Encoding: chunked\r\n'],
  ])('%s: 413 while the client is still sending an endless body', async (label, framing) => {
    const head = `POST /v2/models/multi/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n`;
    const started = Date.now();
    const answer = await sendEndless(head, chunked(filler), MAX);
    console.info(`${label}: ${answer.statusLine} after ${(answer.sentWhenAnswered / 2 ** 20).toFixed(1)} MiB sent, ${Date.now() - started} ms`);
    expect(answer.statusLine).toMatch(REFUSED);
    if (answer.statusLine !== RESET_BEFORE_ANSWER) expect(JSON.parse(answer.body).error).toMatch(/larger than the 65536 bytes/);
    // Answered long before the end: the Worker read the limit plus its bounded drain, no more.
    expect(answer.sentWhenAnswered).toBeLessThan(MAX / 2);
  }, 120_000);

  it("kept workerd's peak memory far below the bytes sent", () => {
    // VmHWM: the process's peak resident set so far, after the endless bodies above.
    const peakMB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1]) / 1024;
    console.info(`workerd peak RSS after the endless bodies: ${peakMB.toFixed(0)} MB`);
    expect(peakMB).toBeLessThan(400);
  });

  it('holds for a binary body too', async () => {
    const head = `POST /v2/models/multi/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nInference-Header-Content-Length: 50\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const answer = await sendEndless(head, chunked(filler), MAX);
    expect(answer.statusLine).toMatch(REFUSED);
    expect(answer.sentWhenAnswered).toBeLessThan(MAX / 2);
  }, 120_000);
});

describe('keep-alive after a refused request', () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  function request(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; reused: boolean; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method, path, agent, headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const valid = JSON.stringify(MULTI_REQUEST);
  const body = JSON.stringify({ ...MULTI_REQUEST, pad: 'p'.repeat(20_000) });

  it.each([
    ['401 (no key)', () => request('POST', '/v2/models/locked/infer', body, { 'content-type': 'application/json' }), 401],
    ['404 (unknown version)', () => request('POST', '/v2/models/multi/versions/v9/infer', body, { 'content-type': 'application/json' }), 404],
    ['405 (PUT)', () => request('PUT', '/v2/models/multi/infer', body, { 'content-type': 'application/json' }), 405],
    ['415 (form data)', () => request('POST', '/v2/models/multi/infer', body, { 'content-type': 'application/x-www-form-urlencoded' }), 415],
    ['413 (over the limit)', () => request('POST', '/v2/models/multi/infer', JSON.stringify({ pad: 'p'.repeat(LIMIT) }), { 'content-type': 'application/json' }), 413],
  ])('%s, then a valid request on the same connection', async (_label, refused, status) => {
    await request('GET', '/v2/health/live', undefined); // open the one pooled connection
    const first = await refused();
    expect(first.status).toBe(status);
    expect(first.reused).toBe(true);
    const next = await request('POST', '/v2/models/multi/infer', valid, { 'content-type': 'application/json' });
    expect([next.status, next.reused]).toEqual([200, true]);
    expect(JSON.parse(next.text).outputs[0].data).toEqual([14.5, 0.5]);
  });
});

describe('fail-closed keys', () => {
  it('answers 503 on every route but liveness when keys are required and none are configured', async () => {
    for (const [path, init] of [
      ['/v2/models/keyless/infer', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(MULTI_REQUEST) }],
      ['/v2/models/keyless', {}],
      ['/v1/models/keyless:predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"instances":[]}' }],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, init as RequestInit);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/requires API keys but its deployment has none configured/);
    }
    expect((await fetch(`${server.url}/v2/models/keyless/infer`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(MULTI_REQUEST) })).status).toBe(503);
  });
});

describe('client text in error messages', () => {
  const hostile = 'a\u202Eevil\u0007\u001b[31m\u200Bz';
  it.each([
    ['404 path', () => fetch(`${server.url}/v2/models/multi/${encodeURIComponent(hostile)}`)],
    ['404 model name', () => fetch(`${server.url}/v2/models/multi/versions/${encodeURIComponent(hostile)}`)],
    ['malformed JSON', () => fetch(`${server.url}/v2/models/multi/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"inputs": ${hostile}` })],
  ])('%s: no control or bidi characters', async (_label, send) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toMatch(/^[\x20-\x7e]+$/);
  });
});
