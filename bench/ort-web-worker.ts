/**
 * The same-platform peer: onnxruntime-web inside a Worker (bench/workers/ort-web-inference.ts, its
 * .wasm uploaded as a module) against the model-edge Worker, both alone in the same workerd, on
 * the small models: upload size (gzip), cold start (spawn -> liveness -> first answer) and
 * workerd CPU per JSON request under load. Both answers are checked against each other first.
 */
import { gzipSync } from 'zlib';
import { CONNECTIONS, cpuPerRequest } from './lib/cpu-under-load';
import { answersDiff, post, smallServedModels, startVariant, type ServedModel } from './lib/in-workerd';
import type { StartedWorker } from './lib/module-worker';
import type { BenchPart, PartResult, TargetCheck } from './lib/report';
import { median } from './lib/stats';
import { bytes, ms, ratio, type Table } from './lib/table';
import { nowMs } from './lib/timing';
import { fixedWorker, modelEdgeWorker, ortWebWorker, type WorkerVariant } from './lib/worker-variants';

const COLD_STARTS = 3;
const SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 6);

interface PeerRow {
  readonly model: string;
  readonly worker: string;
  readonly codeGzip: number;
  readonly modelBytes: number;
  readonly spawnToLiveMs: number;
  readonly liveToFirstAnswerMs: number;
  readonly cpuUsPerRequest: number;
  /** the fixed-answer Worker's CPU per request in the same run: workerd's own floor */
  readonly floorUs: number;
  readonly rps: number;
  readonly errors: number;
}

const gzipSize = (v: WorkerVariant): number => v.code.reduce((n, m) => n + gzipSync(m.bytes, { level: 9 }).length, 0);

async function coldStart(v: WorkerVariant, m: ServedModel): Promise<{ live: number; first: number; answer: Buffer }> {
  const w = await startVariant(v);
  try {
    const t0 = nowMs();
    const answer = await post(`${w.url}${v.inferPath}`, m.bodies[0], v.label).catch((e: Error) => {
      throw new Error(`${e.message}; workerd said: ${w.stderr.join(' | ').slice(0, 400)}`);
    });
    return { live: w.spawnToLiveMs, first: nowMs() - t0, answer };
  } finally {
    await w.close();
  }
}

async function measureModel(m: ServedModel, log: (l: string) => void): Promise<PeerRow[]> {
  const variants = [modelEdgeWorker(m.name, m.onnx), ortWebWorker(m.onnx)];
  const starts = variants.map(() => ({ live: [] as number[], first: [] as number[], answers: [] as Buffer[] }));
  for (let i = 0; i < COLD_STARTS; i++) {
    for (let k = 0; k < variants.length; k++) {
      const c = await coldStart(variants[k], m);
      starts[k].live.push(c.live);
      starts[k].first.push(c.first);
      starts[k].answers.push(c.answer);
    }
  }
  const diff = answersDiff(starts[0].answers[0], starts[1].answers[0]);
  if (!(diff <= 1e-4)) throw new Error(`${m.name}: the model-edge and onnxruntime-web Workers disagree (max abs diff ${diff})`);
  const running: StartedWorker[] = [];
  try {
    const measured = [...variants, fixedWorker(starts[0].answers[0].toString('utf8'))];
    for (const v of measured) running.push(await startVariant(v));
    const cpu = await cpuPerRequest(running.map((w, k) => ({ url: `${w.url}${measured[k].inferPath}`, pid: w.pid, body: m.bodies[0].body, headers: m.bodies[0].headers })), SECONDS);
    const floorUs = cpu[2].cpuUs / cpu[2].requests;
    return variants.map((v, k) => {
      const row: PeerRow = {
        model: m.name,
        worker: v.label,
        codeGzip: gzipSize(v),
        modelBytes: v.model.bytes.length,
        spawnToLiveMs: median(starts[k].live),
        liveToFirstAnswerMs: median(starts[k].first),
        cpuUsPerRequest: cpu[k].cpuUs / cpu[k].requests,
        floorUs,
        rps: cpu[k].requests / cpu[k].seconds,
        errors: cpu[k].errors,
      };
      log(`  ${m.name}, ${v.label}: live ${ms(row.spawnToLiveMs)}, first answer +${ms(row.liveToFirstAnswerMs)}, ${row.cpuUsPerRequest.toFixed(0)} µs CPU per request`);
      return row;
    });
  } finally {
    for (const w of running) await w.close();
  }
}

export function peerTable(rows: readonly PeerRow[]): Table {
  return {
    title: 'Same platform: the model-edge Worker vs onnxruntime-web in a Worker (both in workerd)',
    headers: ['model', 'Worker', 'code + wasm (gzip)', 'model module', 'spawn -> live', 'live -> first answer', 'spawn -> first answer', 'workerd CPU per request', 'above the floor', 'req/s', 'errors'],
    rows: rows.map((r) => [
      r.model, r.worker, bytes(r.codeGzip), bytes(r.modelBytes), ms(r.spawnToLiveMs), ms(r.liveToFirstAnswerMs), ms(r.spawnToLiveMs + r.liveToFirstAnswerMs),
      `${r.cpuUsPerRequest.toFixed(0)} µs`, `${(r.cpuUsPerRequest - r.floorUs).toFixed(0)} µs`, r.rps.toFixed(0), String(r.errors),
    ]),
    notes: [
      "The onnxruntime-web Worker (bench/workers/ort-web-inference.ts) runs: Workers forbid WebAssembly.instantiate on bytes, so its",
      "ort-wasm-simd-threaded.wasm is uploaded as a wasm module and the loader's instantiate call is handed that module; numThreads 1.",
      'Its .wasm alone is above the 3 MB (gzip) Worker size limit of the Workers Free plan; the paid plan allows 10 MB.',
      `Each Worker alone on plain workerd (stdout discarded). Cold start: median of ${COLD_STARTS} fresh processes; "live" is the first 200`,
      'from GET (workerd start-up and module evaluation; onnxruntime-web creates its session on the first inference, as its',
      `creation is asynchronous). CPU: workerd user + system time per JSON request under autocannon (${CONNECTIONS} connections, ${SECONDS} s in`,
      'two halves, A B C then C B A, after 1 s warm-up); "above the floor" subtracts the CPU per request of a Worker that answers',
      "model-edge's answer bytes after reading the request body (measured in the same run): what the handler itself costs, roughly what",
      "Workers bill. The two Workers' answers are compared before timing.",
    ],
  };
}

export function peerTargets(rows: readonly PeerRow[]): TargetCheck[] {
  const pairs = [...new Set(rows.map((r) => r.model))].map((m) => rows.filter((r) => r.model === m));
  const cpu = pairs.map(([ours, web]) => `${ours.model} ${ratio(ours.cpuUsPerRequest / web.cpuUsPerRequest)} (above the floor ${ratio((ours.cpuUsPerRequest - ours.floorUs) / (web.cpuUsPerRequest - web.floorUs))})`).join(', ');
  const cold = pairs.map(([ours, web]) => `${ours.model} ${ratio((ours.spawnToLiveMs + ours.liveToFirstAnswerMs) / (web.spawnToLiveMs + web.liveToFirstAnswerMs))}`).join(', ');
  return [
    {
      target: 'same-platform peer: the onnxruntime-web Worker built and run in workerd, compared',
      measured: `model-edge / ort-web Worker: CPU per request ${cpu}; spawn -> first answer ${cold}; gzip ${ratio(pairs[0][0].codeGzip / pairs[0][1].codeGzip)}`,
      met: rows.every((r) => r.errors === 0),
    },
  ];
}

export const ortWebWorkerPart: BenchPart = {
  name: 'peer',
  title: 'Same-platform peer (onnxruntime-web Worker)',
  async run(log): Promise<PartResult> {
    const rows: PeerRow[] = [];
    for (const m of smallServedModels()) rows.push(...(await measureModel(m, log)));
    return { tables: [peerTable(rows)], targets: peerTargets(rows) };
  },
};
