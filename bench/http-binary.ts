/**
 * CPU per request of the digits model (784 FP32 inputs) on `model-edge serve`, the same image sent
 * as JSON (JSON answer) and with the binary tensor data extension (binary answer), as the KServe
 * and Triton clients send numpy arrays. The figure is workerd's user + system CPU time (/proc)
 * divided by the requests served under autocannon load: steadier than req/s on a shared machine.
 * The local edge cache is off (the same body repeats). JSON and binary alternate in two halves
 * (A B, then B A) so that drifts in background load hit both alike.
 */
import * as path from 'path';
import { serveModels } from '../lib/cli/serve';
import type { Table } from './lib/table';
import { cpuPerRequest } from './lib/cpu-under-load';
import { v2Bodies, type RequestBodyVariant } from './lib/v2-bodies';

const HOST = '127.0.0.1';
const CONNECTIONS = 8;
const DIGITS = path.join(__dirname, '..', 'models', 'digits');

export interface CpuRow {
  readonly label: string;
  readonly bodyBytes: number;
  readonly cpuUsPerRequest: number;
  readonly rps: number;
  readonly requests: number;
  readonly errors: number;
}

/** A 28×28 grey image as the model expects it: mostly 0, strokes scaled to 0..1 (as float32). */
export function digitsImage(): Float32Array {
  const pixels = new Float32Array(784);
  for (let i = 0; i < 784; i++) {
    const r = Math.floor(i / 28);
    const c = i % 28;
    if (r > 4 && r < 24 && c > 9 && c < 19 && (r + 2 * c) % 5 !== 0) pixels[i] = Math.fround(((i * 37) % 256) / 255);
  }
  return pixels;
}

export function digitsBodies(): RequestBodyVariant[] {
  return v2Bodies('input', [1, 784], digitsImage());
}

export async function runDigitsCpu(log: (l: string) => void, seconds: number): Promise<CpuRow[]> {
  const server = await serveModels([DIGITS], { port: 0, host: HOST, print: () => undefined, log: 'off', cache: false });
  try {
    const url = `${server.url}/v2/models/digits/infer`;
    const bodies = digitsBodies();
    for (const b of bodies) {
      const res = await fetch(url, { method: 'POST', body: b.body, headers: b.headers });
      if (res.status !== 200) throw new Error(`${b.label}: model-edge serve answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      await res.arrayBuffer();
    }
    const samples = await cpuPerRequest(bodies.map((b) => ({ url, pid: server.pid!, body: b.body, headers: b.headers })), Math.max(2, seconds), CONNECTIONS);
    return bodies.map((b, i) => {
      const t = samples[i];
      log(`  digits, ${b.label}: ${(t.requests / t.seconds).toFixed(0)} req/s`);
      return { label: b.label, bodyBytes: b.body.length, cpuUsPerRequest: t.cpuUs / t.requests, rps: t.requests / t.seconds, requests: t.requests, errors: t.errors };
    });
  } finally {
    await server.close();
  }
}

export function digitsCpuTable(rows: readonly CpuRow[], seconds: number): Table {
  const json = rows[0];
  return {
    title: 'CPU per request, digits model (784 FP32 inputs): JSON vs the binary tensor data extension',
    headers: ['request', 'body', 'workerd CPU per request', 'req/s', 'requests', 'errors', 'CPU vs JSON'],
    rows: rows.map((r) => [
      r.label,
      `${r.bodyBytes} B`,
      `${r.cpuUsPerRequest.toFixed(0)} µs`,
      r.rps.toFixed(0),
      String(r.requests),
      String(r.errors),
      r === json ? '' : `${((r.cpuUsPerRequest / json.cpuUsPerRequest) * 100).toFixed(0)}%`,
    ]),
    notes: [
      `model-edge serve with the local cache off, ${CONNECTIONS} connections, ${seconds} s per request kind in two halves (A B, then B A) after a`,
      "1 s warm-up. CPU is workerd's user + system time from /proc divided by the requests served (router, Worker, HTTP and",
      'runtime included). The binary request carries the same float32 image after its JSON header and asks for binary outputs.',
    ],
  };
}
