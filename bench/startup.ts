/**
 * Start-up costs:
 *  - module evaluation: the Worker code (worker/app.ts + runtime, bundled and minified as the
 *    Worker bundle is) compiled and evaluated in a fresh V8 context, with createApp called as
 *    worker/index.ts does;
 *  - artifact load per MB of weights: readArtifact + InferenceSession.create on dense models with
 *    4 and 16 MB of float32 weights (plus the first inference, which packs weights lazily);
 *  - first-request latency of a fresh workerd: spawn workerd over serve's generated config
 *    (bundle and artifact prepared beforehand) and poll POST /infer until it answers 200.
 */
import { buildSync } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { compileModel } from '../lib/model-compiler';
import { writeWorkerdConfig } from '../lib/local/workerd-config';
import { freePort, startWorkerd } from '../lib/local/workerd-process';
import { installWasmKernels, KERNELS_WASM_PATH, loadKernelsModule } from '../lib/wasm-module';
import { WORKER_BUILD_OPTIONS } from '../lib/worker-bundle';
import { artifactOps, kernelSourcePrelude } from '../lib/kernel-selection';
import { readArtifact } from '../worker/runtime/artifact';
import { InferenceSession } from '../worker/runtime/session';
import { allKernels } from '../worker/runtime/kernels/registry';
import type { BenchPart, PartResult, TargetCheck } from './lib/report';
import { median } from './lib/stats';
import { ms, type Table } from './lib/table';
import { nowMs } from './lib/timing';
import { tinyModel, weightsModel, type ReferenceModel } from './reference-models';

export const LOAD_TARGET_MS_PER_MB = 2;
const HOST = '127.0.0.1';

/**
 * The Worker app bundled like the Worker's code, with the kernels of `artifact`'s ops (as a
 * deployment carries them) and the data modules taken from globals.
 */
function appBundle(artifact: Uint8Array): string {
  const result = buildSync({
    ...WORKER_BUILD_OPTIONS,
    stdin: {
      contents: `${kernelSourcePrelude(artifactOps(artifact))}import { createApp } from './worker/app';\nimport { KernelSet } from './worker/runtime/kernel-set';\nglobalThis.__app = createApp({ artifact: globalThis.__artifact, wasm: globalThis.__wasm, kernels: new KernelSet(kernels) });\n`,
      resolveDir: path.join(__dirname, '..'),
      loader: 'ts',
    },
    format: 'iife',
  });
  return result.outputFiles[0].text;
}

/** Median ms to compile and evaluate the app code in a fresh context (context creation excluded). */
export function moduleEvaluationMs(times = 15): number {
  const artifact = compileModel(tinyModel().onnx).artifact;
  const code = appBundle(artifact);
  const wasm = loadKernelsModule();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const g = globalThis as Record<string, unknown>;
    const context = vm.createContext({
      __artifact: artifact.buffer.slice(artifact.byteOffset, artifact.byteOffset + artifact.byteLength),
      __wasm: wasm,
      console, URL, URLSearchParams, TextEncoder, TextDecoder, Request: g.Request, Response: g.Response, Headers: g.Headers,
      crypto: g.crypto, WebAssembly: g.WebAssembly, queueMicrotask, setTimeout, clearTimeout, structuredClone,
    });
    const start = nowMs();
    new vm.Script(code).runInContext(context);
    samples.push(nowMs() - start);
  }
  return median(samples);
}

export interface LoadRow {
  readonly model: string;
  readonly weightMb: number;
  readonly loadMs: number;
  readonly firstRunMs: number;
  readonly firstRunMinMs: number;
}

export function artifactLoad(model: ReferenceModel, times = 15): LoadRow {
  const artifact = compileModel(model.onnx).artifact;
  // the .onnx file is the weights plus well under 1 KB of graph
  const weightMb = model.onnx.byteLength / (1024 * 1024);
  const feeds = model.feeds(1);
  const loads: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < times; i++) {
    // a fresh copy, as a new isolate gets its own data module, and fresh kernel memory (packed
    // weights of the previous session would otherwise crowd the kernels' weight cache)
    installWasmKernels();
    const bytes = artifact.slice();
    const start = nowMs();
    const session = InferenceSession.create(readArtifact(bytes), { kernels: allKernels });
    const loaded = nowMs();
    session.run(feeds);
    firsts.push(nowMs() - loaded);
    loads.push(loaded - start);
  }
  return { model: model.name, weightMb, loadMs: median(loads), firstRunMs: median(firsts), firstRunMinMs: Math.min(...firsts) };
}

export interface FirstRequestRow {
  readonly model: string;
  readonly artifactMb: number;
  /** spawn -> first 200 from POST /infer */
  readonly firstOkMs: number;
  /** the next request after that one */
  readonly secondMs: number;
}

/** One attempt: the HTTP status, or the connection error's message. */
export async function tryPost(url: string, body: string, timeoutMs = 5000): Promise<number | string> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch (e) {
    return String((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
  }
}

export async function firstRequest(model: ReferenceModel, times = 3): Promise<FirstRequestRow> {
  const artifact = compileModel(model.onnx).artifact;
  const kernelsWasm = readFileSync(KERNELS_WASM_PATH);
  const t = Object.values(model.feeds(1))[0];
  const body = JSON.stringify({ inputs: [{ name: Object.keys(model.feeds(1))[0], shape: t.shape, datatype: 'FP32', data: Array.from(t.data as Float32Array) }] });
  const firsts: number[] = [];
  const seconds: number[] = [];
  for (let i = 0; i < times; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-start-'));
    const port = await freePort(HOST);
    const configPath = writeWorkerdConfig({ dir, models: [{ name: model.name, artifact }], kernelsWasm, host: HOST, port });
    const url = `http://${HOST}:${port}/v2/models/${model.name}/infer`;
    const output: string[] = [];
    const start = nowMs();
    const proc = startWorkerd({ configPath, cwd: dir, onLine: (l) => output.push(l) });
    try {
      let last: number | string;
      while ((last = await tryPost(url, body)) !== 200) {
        const why = `last attempt: ${last}; workerd said: ${output.slice(-5).join(' | ') || 'nothing'}`;
        if (proc.child.exitCode !== null) throw new Error(`workerd exited before answering (${why})`);
        if (nowMs() - start > 30000) throw new Error(`workerd did not answer 200 within 30 s (${why})`);
        await new Promise((r) => setTimeout(r, 5));
      }
      firsts.push(nowMs() - start);
      const s = nowMs();
      const second = await tryPost(url, body);
      if (second !== 200) throw new Error(`the second request failed: ${second}`);
      seconds.push(nowMs() - s);
    } finally {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { model: model.name, artifactMb: artifact.byteLength / (1024 * 1024), firstOkMs: median(firsts), secondMs: median(seconds) };
}

export const startupPart: BenchPart = {
  name: 'startup',
  title: 'Start-up',
  async run(log): Promise<PartResult> {
    const evalMs = moduleEvaluationMs();
    log(`  module evaluation ${ms(evalMs)}`);
    const loads = [weightsModel(4), weightsModel(16)].map((m) => artifactLoad(m));
    for (const l of loads) log(`  ${l.model}: load ${ms(l.loadMs)}, first run ${ms(l.firstRunMs)}`);
    const firsts: FirstRequestRow[] = [];
    for (const m of [tinyModel(), weightsModel(4)]) {
      firsts.push(await firstRequest(m));
      log(`  fresh workerd, ${m.name}: first 200 after ${ms(firsts[firsts.length - 1].firstOkMs)}`);
    }
    const worstPerMb = Math.max(...loads.map((l) => l.loadMs / l.weightMb));
    const worstWithEval = Math.max(...loads.map((l) => (evalMs + l.loadMs) / l.weightMb));
    const worstWithFirst = Math.max(...loads.map((l) => (evalMs + l.loadMs + l.firstRunMs) / l.weightMb));
    const targets: TargetCheck[] = [
      {
        target: 'artifact load to the first answer ≤ 2 ms per MB of weights (module evaluation, load, first inference; in-process)',
        measured:
          `load ${worstPerMb.toFixed(3)} ms/MB, with module evaluation ${worstWithEval.toFixed(3)} ms/MB (worst of ${loads.map((l) => l.model).join(', ')}); ` +
          `adding the first inference, which packs the weights, ${worstWithFirst.toFixed(2)} ms/MB`,
        met: worstWithFirst <= LOAD_TARGET_MS_PER_MB,
      },
    ];
    return {
      tables: [
        {
          title: 'Module evaluation and artifact load',
          headers: ['what', 'weights', 'median', 'per MB of weights', 'first inference after load, batch 1 (median / min)', 'load + first inference per MB (median)'],
          rows: [
            ['module evaluation (Worker app + runtime, minified, fresh V8 context)', '', ms(evalMs), '', '', ''],
            ...loads.map((l) => [`readArtifact + InferenceSession.create: ${l.model}`, `${l.weightMb.toFixed(1)} MB`, ms(l.loadMs), ms(l.loadMs / l.weightMb), `${ms(l.firstRunMs)} / ${ms(l.firstRunMinMs)}`, ms((l.loadMs + l.firstRunMs) / l.weightMb)]),
          ],
          notes: [
            'Each of 15 repetitions loads a fresh copy of the artifact into fresh WebAssembly kernel memory, as a new isolate would.',
            'The first inference packs the weights for the WebAssembly GEMM (growing its memory); it varies widely on a busy machine.',
          ],
        } satisfies Table,
        {
          title: 'First request to a fresh workerd',
          headers: ['model', 'artifact', 'spawn -> first 200 from /infer', 'next request'],
          rows: firsts.map((f) => [f.model, `${f.artifactMb.toFixed(2)} MB`, ms(f.firstOkMs), ms(f.secondMs)]),
          notes: [
            "workerd spawned over `model-edge serve`'s generated config (router Worker + model Worker), with the bundle and artifact",
            'prepared beforehand; POST /infer polled every 5 ms from spawn. Median of 3 fresh processes.',
          ],
        },
      ],
      targets,
    };
  },
};
