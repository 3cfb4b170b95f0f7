/**
 * Load test on loopback: the example iris model served by local workerd (the same bundle and
 * bindings `model-edge serve` runs), driven by autocannon with a mix of valid and invalid requests.
 *
 *   npx ts-node --transpile-only bench/load.ts            (LOAD_SECONDS=30, LOAD_CONNECTIONS=64)
 *   LOAD_SECONDS=60 LOAD_CONNECTIONS=128 npx ts-node --transpile-only bench/load.ts
 *
 * Checks: every valid request is answered 200 with the exact expected body, every invalid one with
 * its 4xx, none with a 5xx; and the workerd process's resident memory (VmRSS from
 * /proc/<pid>/status, sampled every second) does not grow across the run. Writes the figures to
 * bench/load-results.md and exits non-zero when a check fails.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
// autocannon ships no type declarations; the few fields used here are typed below.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;
import { compileModelFile } from '../lib/model-compiler';
import { startLocalServer } from '../lib/local/local-server';
import { localModelConfig } from '../lib/local/workerd-config';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 64);
const RESULTS = path.join(__dirname, 'load-results.md');
const MODEL = 'iris';
/** Allowed RSS growth from the settled start to the end of the run. */
const RSS_GROWTH_LIMIT_MB = 24;

interface Mix {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  /** the expected status; 200 answers must also match the expected body exactly */
  readonly status: number;
}

const rows = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]];
const MIX: readonly Mix[] = [
  { name: 'V2 infer (valid)', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: JSON.stringify({ inputs: [{ name: 'input', shape: [3, 4], datatype: 'FP32', data: rows }] }), status: 200 },
  { name: 'V1 predict (valid)', method: 'POST', path: `/v1/models/${MODEL}:predict`, body: JSON.stringify({ instances: rows }), status: 200 },
  { name: 'metadata (valid)', method: 'GET', path: `/v2/models/${MODEL}`, status: 200 },
  { name: 'malformed JSON', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: '{"inputs":[{"name":"input",', status: 400 },
  { name: 'shape/data mismatch', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: JSON.stringify({ inputs: [{ name: 'input', shape: [2, 4], datatype: 'FP32', data: [1, 2, 3] }] }), status: 400 },
  { name: 'NaN as a string', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: JSON.stringify({ inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [1, 'NaN', 3, 4] }] }), status: 400 },
  { name: 'deep nesting', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: '['.repeat(20_000) + ']'.repeat(20_000), status: 400 },
  { name: 'unknown model', method: 'POST', path: '/v2/models/%2e%2e%2fetc/infer', body: '{}', status: 404 },
  { name: 'wrong content type', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: 'a=b', contentType: 'application/x-www-form-urlencoded', status: 415 },
  { name: 'over the body limit', method: 'POST', path: `/v2/models/${MODEL}/infer`, body: JSON.stringify({ pad: 'x'.repeat(70_000) }), status: 413 },
];

function rssMB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function main(): Promise<void> {
  const compiled = compileModelFile(path.join(__dirname, '../models/iris/model.onnx'));
  // the limit matters for the "over the body limit" request
  const server = await startLocalServer({
    models: [{ name: MODEL, artifact: compiled.artifact, modelConfig: localModelConfig(MODEL, { limits: { maxBodyBytes: 65_536, maxTensorElements: 4096 }, cache: { enabled: false, ttlSeconds: 60 } }) }],
    port: 0,
  });
  const pid = server.pid!;
  try {
    // The expected bodies, from one sequential request each.
    const expected = new Map<string, string>();
    for (const m of MIX) {
      const res = await fetch(`${server.url}${m.path}`, { method: m.method, body: m.body, headers: m.body ? { 'content-type': m.contentType ?? 'application/json' } : {} });
      const text = await res.text();
      if (res.status !== m.status) throw new Error(`${m.name}: status ${res.status} before the run (expected ${m.status}): ${text.slice(0, 200)}`);
      if (m.status === 200) expected.set(m.name, text);
    }
    // Warm-up so that the start figure is the settled isolate, not the cold one.
    await autocannon({ url: server.url, connections: CONNECTIONS, duration: 5, requests: requestsFor(expected, new Map()) });

    const outcome = new Map<string, { ok: number; wrong: number; examples: string[] }>(MIX.map((m) => [m.name, { ok: 0, wrong: 0, examples: [] }]));
    const idleBefore = rssMB(pid);
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMB(pid)), 1000);
    const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: SECONDS, requests: requestsFor(expected, outcome) });
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 2000));
    const idleAfter = rssMB(pid);

    const report = summarize(result, outcome, samples, { idleBefore, idleAfter }, compiled.artifact.byteLength);
    writeFileSync(RESULTS, report.markdown);
    process.stdout.write(report.markdown);
    if (!report.pass) process.exitCode = 1;
  } finally {
    await server.close();
  }
}

interface AutocannonRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  '2xx': number;
  '5xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

type Outcome = Map<string, { ok: number; wrong: number; examples: string[] }>;

function requestsFor(expected: Map<string, string>, outcome: Outcome): AutocannonRequest[] {
  return MIX.map((m) => ({
    method: m.method,
    path: m.path,
    ...(m.body !== undefined ? { body: m.body, headers: { 'content-type': m.contentType ?? 'application/json' } } : {}),
    onResponse: (status: number, body: string) => {
      const o = outcome.get(m.name);
      if (!o) return;
      const right = status === m.status && (m.status !== 200 || body === expected.get(m.name)) && (m.status === 200 || /^\{"error":"/.test(body));
      if (right) o.ok++;
      else {
        o.wrong++;
        if (o.examples.length < 3) o.examples.push(`${status} ${body.slice(0, 120)}`);
      }
    },
  }));
}

function summarize(result: AutocannonResult, outcome: Outcome, samples: number[], idle: { idleBefore: number; idleAfter: number }, artifactBytes: number) {
  const validWrong = MIX.filter((m) => m.status === 200).reduce((n, m) => n + outcome.get(m.name)!.wrong, 0);
  const invalidWrong = MIX.filter((m) => m.status !== 200).reduce((n, m) => n + outcome.get(m.name)!.wrong, 0);
  const served = [...outcome.values()].reduce((n, o) => n + o.ok + o.wrong, 0);
  // Under load from the first seconds (after the warm-up) to the last ones.
  const start = avg(samples.slice(1, 4));
  const end = avg(samples.slice(-3));
  const max = Math.max(...samples);
  const growth = end - start;
  // V8 and workerd's allocator size the heap up in the first seconds and keep it; a leak keeps
  // growing after that, so the check is on the second half of the run.
  const mid = Math.floor(samples.length / 2);
  const half = avg(samples.slice(Math.max(0, mid - 1), mid + 2));
  const secondHalfGrowth = end - half;
  const checks = [
    { name: 'zero failed valid requests', pass: validWrong === 0 },
    { name: 'every invalid request answered with its 4xx JSON error', pass: invalidWrong === 0 },
    { name: 'no 5xx, no transport errors or timeouts', pass: result['5xx'] === 0 && result.errors === 0 && result.timeouts === 0 },
    { name: `workerd RSS growth over the second half of the run (3-sample means) below ${RSS_GROWTH_LIMIT_MB} MB`, pass: secondHalfGrowth < RSS_GROWTH_LIMIT_MB },
  ];
  const series = samples.filter((_, i) => i % 5 === 0 || i === samples.length - 1).map((s) => s.toFixed(1));
  const markdown = `# Load test results

Produced by \`bench/load.ts\` on ${new Date().toISOString().slice(0, 10)} (re-run: \`npx ts-node --transpile-only bench/load.ts\`).

## Setup
- Server: local workerd (the \`model-edge serve\` path: \`startLocalServer\`, router Worker + the model Worker with the production bundle, \`model.bin\` and \`kernels.wasm\`), loopback, no Cache API (plain workerd).
- Model: example iris random forest (\`models/iris/model.onnx\`, artifact ${artifactBytes} bytes), limits: 64 KiB body, 4096 elements.
- Client: autocannon, ${CONNECTIONS} connections, ${SECONDS} s after a 5 s warm-up, in the same process as the sampler; requests cycle through the mix below (each connection in turn).
- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), shared with other work; Node ${process.version}.

## Throughput and latency
| requests | req/s (mean) | p50 latency | p99 latency | max latency | 2xx | non-2xx | 5xx | errors | timeouts |
|---|---|---|---|---|---|---|---|---|---|
| ${result.requests.total} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result.latency.max} ms | ${result['2xx']} | ${result.non2xx} | ${result['5xx']} | ${result.errors} | ${result.timeouts} |

## The request mix (${served} answers checked)
| request | expected | right | wrong | examples of wrong answers |
|---|---|---|---|---|
${MIX.map((m) => {
  const o = outcome.get(m.name)!;
  return `| ${m.name} | ${m.status} | ${o.ok} | ${o.wrong} | ${o.examples.join('<br>').replace(/\|/g, '\\|') || '-'} |`;
}).join('\n')}

## workerd memory (VmRSS, sampled every second)
- Under load: start ${start.toFixed(1)} MB (seconds 2-4), end ${end.toFixed(1)} MB (last 3 s), max ${max.toFixed(1)} MB, growth ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB over ${samples.length} samples; at mid-run ${half.toFixed(1)} MB, so ${secondHalfGrowth >= 0 ? '+' : ''}${secondHalfGrowth.toFixed(1)} MB over the second half.
- Idle: ${idle.idleBefore.toFixed(1)} MB after the warm-up, ${idle.idleAfter.toFixed(1)} MB 2 s after the run.
- Series (every 5 s): ${series.join(', ')} MB.

## Checks
${checks.map((c) => `- [${c.pass ? 'x' : ' '}] ${c.name}`).join('\n')}
`;
  return { markdown, pass: checks.every((c) => c.pass) };
}

function avg(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
