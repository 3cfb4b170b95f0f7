/**
 * HTTP throughput and latency of POST /v2/models/{m}/infer on `model-edge serve` (workerd, started
 * through the serve module's API on a loopback port) against, in the same run, two baselines:
 * a Worker in plain workerd returning a fixed JSON body (serve's own answer to the request) and a
 * plain onnxruntime-node server behind node:http. Load: autocannon, 16 connections, loopback only.
 * Each server is loaded twice for half the duration, in the order A B C then C B A, so that drifts
 * in background load hit all alike. Two diagnostic variants of serve (bench/lib/quiet-workerd.ts)
 * show what its log reading and its router cost.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serveModels } from '../lib/cli/serve';
import { startFixedBodyWorker, type RunningServer } from './lib/fixed-worker';
import { startOrtServer } from './lib/ort-server-process';
import { startQuietServe } from './lib/quiet-workerd';
import type { BenchPart, PartResult, TargetCheck } from './lib/report';
import { maxAbsDiff } from './lib/stats';
import { percent, type Table } from './lib/table';
import { compileModel } from '../lib/model-compiler';
import { tinyModel } from './reference-models';
import { digitsCpuTable, runDigitsCpu } from './http-binary';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number; average: number };
  requests: { total: number; average: number };
}

export const CONNECTIONS = 16;
const SERVE = 'model-edge serve (workerd)';
const FIXED = 'fixed-body Worker (workerd)';
const ORT = 'onnxruntime-node + node:http';
const HOST = '127.0.0.1';

export function httpSeconds(): number {
  const s = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
  if (!(s > 0)) throw new Error(`BENCH_HTTP_SECONDS must be a positive number of seconds, got "${process.env.BENCH_HTTP_SECONDS}"`);
  return s;
}

interface Target {
  readonly label: string;
  readonly url: string;
}

export interface HttpRow {
  readonly label: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
}

async function load(url: string, body: string, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
  });
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, text: await res.text() };
}

type V2Response = { outputs: { name: string; data: number[] }[] };

function outputsOf(text: string): Map<string, number[]> {
  return new Map((JSON.parse(text) as V2Response).outputs.map((o) => [o.name, o.data.flat(Infinity as 1) as number[]]));
}

/** Loads every target as A B C then C B A (half the duration each) and merges the two passes. */
async function measure(targets: readonly Target[], path: string, body: string, seconds: number, log: (l: string) => void): Promise<HttpRow[]> {
  const half = Math.max(1, seconds / 2);
  const passes = new Map<string, AutocannonResult[]>(targets.map((t) => [t.label, []]));
  for (const t of targets) await load(t.url + path, body, 1); // warm-up, not counted
  for (const order of [targets, [...targets].reverse()]) {
    for (const t of order) {
      const r = await load(t.url + path, body, half);
      log(`  ${t.label}: ${(r.requests.total / r.duration).toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors + r.timeouts + r.non2xx}`);
      passes.get(t.label)!.push(r);
    }
  }
  return targets.map((t) => {
    const rs = passes.get(t.label)!;
    const total = rs.reduce((s, r) => s + r.requests.total, 0);
    return {
      label: t.label,
      rps: total / rs.reduce((s, r) => s + r.duration, 0),
      // percentiles cannot be merged exactly across passes: report the worse pass
      p50: Math.max(...rs.map((r) => r.latency.p50)),
      p99: Math.max(...rs.map((r) => r.latency.p99)),
      requests: total,
      errors: rs.reduce((s, r) => s + r.errors + r.timeouts + r.non2xx, 0),
    };
  });
}

export async function runHttp(log: (l: string) => void, seconds = httpSeconds()): Promise<{ rows: HttpRow[]; agreement: number }> {
  const tiny = tinyModel();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-http-'));
  const folder = path.join(dir, tiny.name);
  mkdirSync(folder);
  const onnxFile = path.join(folder, 'model.onnx');
  writeFileSync(onnxFile, tiny.onnx);
  const feeds = tiny.feeds(1);
  const body = JSON.stringify({
    inputs: Object.entries(feeds).map(([name, t]) => ({ name, shape: t.shape, datatype: 'FP32', data: Array.from(t.data as Float32Array) })),
  });
  const inferPath = `/v2/models/${tiny.name}/infer`;
  const servers: RunningServer[] = [];
  try {
    // The same body over and over: with the cache on every answer would be a cache hit.
    const serve = await serveModels([folder], { port: 0, host: HOST, print: () => undefined, cache: false });
    servers.push({ url: serve.url, close: () => serve.close() });
    const first = await post(serve.url + inferPath, body);
    if (first.status !== 200) throw new Error(`model-edge serve answered ${first.status}: ${first.text.slice(0, 200)}`);
    const fixed = await startFixedBodyWorker(first.text, HOST);
    servers.push(fixed);
    const ortServer = await startOrtServer(onnxFile, tiny.name, HOST);
    servers.push(ortServer);
    const ortFirst = await post(ortServer.url + inferPath, body);
    if (ortFirst.status !== 200) throw new Error(`the onnxruntime-node server answered ${ortFirst.status}: ${ortFirst.text.slice(0, 200)}`);
    const ours = outputsOf(first.text);
    const theirs = outputsOf(ortFirst.text);
    let agreement = 0;
    for (const [name, data] of ours) {
      const other = theirs.get(name);
      if (!other) throw new Error(`the onnxruntime-node server does not return output ${name}`);
      agreement = Math.max(agreement, maxAbsDiff(data, other));
    }
    if (!(agreement <= tiny.tolerance)) throw new Error(`model-edge serve and onnxruntime-node disagree: max abs diff ${agreement}`);
    const artifact = compileModel(tiny.onnx).artifact;
    const quiet = await startQuietServe(tiny.name, artifact, { direct: false, host: HOST });
    servers.push(quiet);
    const direct = await startQuietServe(tiny.name, artifact, { direct: true, host: HOST });
    servers.push(direct);
    for (const s of [quiet, direct]) {
      const r = await post(s.url + inferPath, body);
      if (r.status !== 200) throw new Error(`${s.url}: answered ${r.status}: ${r.text.slice(0, 200)}`);
    }
    log(`  ${tiny.description}; ${CONNECTIONS} connections, ${seconds} s per server; request ${body.length} B, response ${first.text.length} B`);
    const rows = await measure(
      [
        { label: SERVE, url: serve.url },
        { label: FIXED, url: fixed.url },
        { label: ORT, url: ortServer.url },
        { label: 'diagnostic: serve config, workerd output discarded', url: quiet.url },
        { label: 'diagnostic: model Worker alone (no router), output discarded', url: direct.url },
      ],
      inferPath,
      body,
      seconds,
      log,
    );
    return { rows, agreement };
  } finally {
    for (const s of servers.reverse()) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function httpTable(rows: readonly HttpRow[], seconds: number): Table {
  const serve = rows.find((r) => r.label === SERVE)!;
  return {
    title: `POST /v2/models/{m}/infer, tiny model, ${CONNECTIONS} connections, loopback`,
    headers: ['server', 'req/s', 'p50 latency', 'p99 latency', 'requests', 'errors', 'serve / this'],
    rows: rows.map((r) => [r.label, r.rps.toFixed(0), `${r.p50} ms`, `${r.p99} ms`, String(r.requests), String(r.errors), r === serve ? '' : percent(serve.rps / r.rps)]),
    notes: [
      `autocannon, ${seconds} s per server in two halves (order A B C, then C B A) after a 1 s warm-up; latency percentiles are`,
      "the worse of the two halves (autocannon's histogram has 1 ms resolution). The load generator runs on the same machine.",
      'The fixed-body Worker returns the exact bytes model-edge serve answers; the onnxruntime-node server runs in its own process.',
      "Diagnostic rows (not targets) run serve's Worker bundle and artifact without the pieces around it: serve's own config with",
      "workerd's output (one JSON log line per request, which serve reads from a file) discarded, and the model Worker alone on",
      'the socket without the in-isolate router. serve runs in the benchmark process, as a user would start it from Node.',
    ],
  };
}

export function httpTargets(rows: readonly HttpRow[]): TargetCheck[] {
  // Throughput against the onnxruntime-node server stays in the table as information, not a target:
  // workerd's own HTTP path costs more per request than node:http, and it is not the Worker's billed
  // CPU on Cloudflare; the in-isolate CPU targets (isolate part) measure what is billed.
  const [serve, fixed] = [SERVE, FIXED].map((l) => rows.find((r) => r.label === l)!);
  const clean = rows.every((r) => r.errors === 0);
  return [
    { target: 'serve throughput against the fixed-body Worker (information: workerd\'s HTTP floor, not billed CPU)', measured: percent(serve.rps / fixed.rps), met: undefined },
    { target: 'zero HTTP errors under load (p99 reported)', measured: `${rows.reduce((s, r) => s + r.errors, 0)} errors; serve p99 ${serve.p99} ms`, met: clean },
  ];
}

export const httpPart: BenchPart = {
  name: 'http',
  title: 'HTTP',
  async run(log): Promise<PartResult> {
    const seconds = httpSeconds();
    const { rows } = await runHttp(log, seconds);
    const cpu = await runDigitsCpu(log, seconds);
    return { tables: [httpTable(rows, seconds), digitsCpuTable(cpu, seconds)], targets: httpTargets(rows) };
  },
};
