/**
 * `model-edge serve --metrics <file>`: a load through the real local server (workerd, the Worker's
 * own metrics writer, local serving's dataset binding), then the file and the summary printed on
 * exit checked against the requests sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { serveModels } from '../../lib/cli/serve';
import { percentile, readMetricsFile, summarizeMetrics } from '../../lib/local/metrics-summary';
import { METRICS_BLOBS, METRICS_DOUBLES } from '../../worker/http/metrics';
import { classifierOnnx, multiOnnx } from '../worker/support/models';
import { MULTI_REQUEST } from '../worker/support/app-harness';

const blob = (name: (typeof METRICS_BLOBS)[number]) => METRICS_BLOBS.indexOf(name);
const double = (name: (typeof METRICS_DOUBLES)[number]) => METRICS_DOUBLES.indexOf(name);

interface Sent {
  readonly id: string;
  readonly model: string;
  readonly status: number;
  readonly clientMs: number;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-serve-metrics-'));
  writeFileSync(path.join(dir, 'classifier.onnx'), classifierOnnx());
  writeFileSync(path.join(dir, 'multi.onnx'), multiOnnx());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes one data point per request and prints count, p50 and p99 per model and version on exit', async () => {
  const file = path.join(dir, 'metrics.jsonl');
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
  const sent: Sent[] = [];
  let exit: Promise<number> | undefined;
  try {
    exit = main(['serve', dir, '--port', '0', '--quiet', '--metrics', file]);
    let url: string | undefined;
    for (let i = 0; i < 600 && url === undefined; i++) {
      url = printed.map((l) => /^Serving 2 models at (\S+)/.exec(l.trim())?.[1]).find((u) => u !== undefined);
      if (url === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(url).toBeDefined();

    const send = async (model: string, body: string, i: number) => {
      const id = `load-${model}-${i}`;
      const started = performance.now();
      const res = await fetch(`${url}/v2/models/${model}/infer`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body });
      await res.arrayBuffer();
      sent.push({ id, model, status: res.status, clientMs: performance.now() - started });
    };
    // 40 classifier inferences (20 bodies, each twice: the repeats are cache hits), 5 refused, 15 multi.
    for (let i = 0; i < 40; i++) await send('classifier', JSON.stringify({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [i % 20, 1] }] }), i);
    for (let i = 0; i < 5; i++) await send('classifier', '{"inputs": [', 100 + i);
    for (let i = 0; i < 15; i++) await send('multi', JSON.stringify({ ...MULTI_REQUEST, id: String(i) }), i);
    process.emit('SIGINT');
    expect(await exit).toBe(0);
  } finally {
    log.mockRestore();
  }

  // The file: exactly the requests sent, with their status.
  const points = readMetricsFile(file).filter((p) => p.blobs[blob('model')] !== '');
  expect(points.map((p) => p.blobs[blob('requestId')]).sort()).toEqual(sent.map((s) => s.id).sort());
  const byId = new Map(points.map((p) => [p.blobs[blob('requestId')], p]));
  for (const s of sent) {
    const p = byId.get(s.id)!;
    expect([s.id, p.blobs[blob('model')], p.doubles[double('status')]]).toEqual([s.id, s.model, s.status]);
  }
  expect(points.filter((p) => p.blobs[blob('cache')] === 'hit')).toHaveLength(20);

  // The summary: counts per model and version; percentiles of the server's totals, which can never
  // exceed what the client measured around the same requests.
  const groups = summarizeMetrics(points);
  expect(groups.map((g) => [g.model, g.version, g.count, g.clientErrors, g.serverErrors])).toEqual([
    ['classifier', 'local', 45, 5, 0],
    ['multi', 'local', 15, 0, 0],
  ]);
  for (const g of groups) {
    const client = sent.filter((s) => s.model === g.model).map((s) => s.clientMs).sort((a, b) => a - b);
    const server = points.filter((p) => p.blobs[blob('model')] === g.model).map((p) => p.doubles[double('totalMs')]).sort((a, b) => a - b);
    expect([g.p50Ms, g.p99Ms]).toEqual([percentile(server, 50), percentile(server, 99)]);
    expect(g.p50Ms).toBeLessThanOrEqual(percentile(client, 50));
    expect(g.p99Ms).toBeLessThanOrEqual(percentile(client, 99));
  }
  const summary = printed.slice(printed.findIndex((l) => l.startsWith('Metrics (')));
  expect(summary[0]).toBe(`Metrics (${file}):`);
  expect(summary[1]).toMatch(/^ {2}model\s+version\s+requests\s+4xx\s+5xx\s+p50 ms\s+p99 ms$/);
  expect(summary[2]).toMatch(new RegExp(`^ {2}classifier\\s+local\\s+45\\s+5\\s+0\\s+${groups[0].p50Ms.toFixed(3)}\\s+${groups[0].p99Ms.toFixed(3)}$`));
  expect(summary[3]).toMatch(/^ {2}multi\s+local\s+15\s+0\s+0\s+/);
});

it('collects the points of a single model served in-process too', async () => {
  const file = path.join(dir, 'single.jsonl');
  const server = await serveModels([path.join(dir, 'classifier.onnx')], { port: 0, print: () => undefined, log: 'off', metricsFile: file });
  try {
    for (const data of [[1, 2], [3, 4], [5]]) {
      const res = await fetch(`${server.url}/v2/models/classifier/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data }] }) });
      await res.arrayBuffer();
    }
  } finally {
    await server.close();
  }
  expect(summarizeMetrics(readMetricsFile(file)).map((g) => [g.model, g.count, g.clientErrors])).toEqual([['classifier', 3, 1]]);
});

it('refuses a metrics file it cannot write, naming it and the fix', async () => {
  const file = path.join(dir, 'no-such-folder', 'metrics.jsonl');
  await expect(serveModels([path.join(dir, 'classifier.onnx')], { port: 0, print: () => undefined, metricsFile: file })).rejects.toThrow(
    `cannot write the metrics file ${file} (ENOENT); give --metrics a path in a folder that exists and that you can write to`,
  );
});

it('computes nearest-rank percentiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect([percentile(values, 50), percentile(values, 99), percentile([7], 99), percentile([], 50)]).toEqual([50, 99, 7, 0]);
});
