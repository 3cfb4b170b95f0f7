/**
 * CPU profile of the model Worker inside workerd while autocannon loads it, taken over the
 * inspector protocol (Profiler.start / Profiler.stop on the Worker's target). Profiling the app in
 * Node through app.request mostly measures undici; this measures the isolate that serves.
 *
 *   npx ts-node --transpile-only bench/profile-worker.ts [--seconds 8] [--config serve|direct|fixed]
 *       [--model tiny|digits] [--request json|binary] [--top 30] [--minified] [--no-profile]
 *       [--out profile.cpuprofile]
 *
 * --config serve   serve's own workerd config (router module + model Worker, one isolate), stdout
 *                  appended to a file and tailed, as `model-edge serve` does (default)
 * --config direct  the model Worker alone on the socket, stdout discarded
 * --config fixed   the fixed-body baseline Worker of bench/http.ts (nothing to profile but workerd)
 * --model          the model served (default tiny), as the in-isolate bench serves it
 * --request        json (default), or binary: the binary tensor data extension in and out
 * --minified       profile the shipped (minified) bundle; by default the same build unminified,
 *                  so that function names are readable
 * --no-profile     only the CPU measurement
 * --entry FILE     bundle this Worker entry instead of worker/index.ts (to try a variant of the app)
 * --out            also write the raw profile (open it in Chrome DevTools' Performance panel)
 * --perf FILE      also record the CPU measurement with Linux `perf record -g` into FILE, to see
 *                  workerd's native side (`perf report -i FILE --no-children`)
 *
 * First it measures workerd's CPU time per request (user + system time of the process from /proc,
 * divided by the requests served): on a machine shared with other work this is far steadier than
 * req/s. Then it profiles and prints the top functions by self time in µs per request (sampled time
 * / requests served) and by inclusive time. With the inspector enabled V8 keeps every console.log
 * with a captured stack trace (~10 µs per call here, against ~2 µs without), so the request log
 * line looks far dearer in the profile than it is; for the true CPU figure use --no-profile, which
 * starts workerd without the inspector.
 */
import { spawn } from 'child_process';
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { compileModel } from '../lib/model-compiler';
import { localModelConfig, workerdConfig, writeBinaryConfig, type WorkerdConfigOptions } from '../lib/local/workerd-config';
import { freePort, startWorkerd, waitUntilServing } from '../lib/local/workerd-process';
import { KERNELS_WASM_PATH } from '../lib/wasm-module';
import { EXTERNAL_MODULES, WORKER_BUILD_OPTIONS, workerBundle, type WorkerModule } from '../lib/worker-bundle';
import { artifactOps, kernelSourcePrelude } from '../lib/kernel-selection';
import { directConfig } from './lib/quiet-workerd';
import { fixedBodyConfig, fixedBodyWorkerSource } from './lib/fixed-worker';
import { smallServedModels } from './lib/in-workerd';
import { processCpuUs } from './lib/process-cpu';

/** The part of the `ws` client used here (the package ships no types). */
interface WebSocket {
  on(event: 'message', listener: (data: unknown) => void): void;
  once(event: 'open' | 'error', listener: (arg?: unknown) => void): void;
  send(data: string): void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const WebSocket = require('ws') as new (url: string, options?: { maxPayload?: number }) => WebSocket;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{ requests: { total: number }; errors: number; non2xx: number; duration: number }>;

const HOST = '127.0.0.1';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly selfUs: number;
  readonly totalUs: number;
}

/** Names a frame: function, file and position (files shortened to their base name). */
function frameKey(f: CallFrame): string {
  const file = f.url ? path.basename(f.url) : '';
  const name = f.functionName || (file ? '(anonymous)' : '(native)');
  return file ? `${name} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}` : name;
}

/**
 * Self and inclusive time per function, in µs. Each sample is charged its own time delta; a
 * function that appears several times on one stack counts once towards inclusive time.
 */
export function functionTimes(profile: CpuProfile): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0) {
    // timeDeltas[i] is the gap before sample i: charge sample i the gap after it.
    for (let i = 0; i < samples.length; i++) {
      const dt = i + 1 < deltas.length ? deltas[i + 1] : (profile.endTime - profile.startTime) / samples.length;
      selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
    }
  } else {
    const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    const per = (profile.endTime - profile.startTime) / total;
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = frameKey(byId.get(at)!.callFrame);
      if (at === id) self.set(key, (self.get(key) ?? 0) + us);
      if (!seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      }
    }
  }
  return [...inclusive.keys()].map((name) => ({ name, selfUs: self.get(name) ?? 0, totalUs: inclusive.get(name)! }));
}

/**
 * The Worker code to profile: the shipped modules for the model, or one module with readable names
 * (the app and the model's kernels, as worker/index.ts puts them together), or a custom entry.
 */
function workerModules(artifact: Uint8Array, minified: boolean, entry?: string): WorkerModule[] {
  const ops = artifactOps(artifact);
  if (minified && !entry) return [...workerBundle({ ops }).modules];
  const worker = path.join(__dirname, '..', 'worker');
  const contents = `${kernelSourcePrelude(ops)}import artifact from './model.bin';\nimport wasm from './kernels.wasm';\nimport { createApp } from ${JSON.stringify(path.join(worker, 'app'))};\nimport { KernelSet } from ${JSON.stringify(path.join(worker, 'runtime', 'kernel-set'))};\nexport default { fetch: createApp({ artifact, wasm, kernels: new KernelSet(kernels) }).fetch };\n`;
  const result = buildSync({
    ...WORKER_BUILD_OPTIONS,
    minify: minified,
    ...(entry ? { entryPoints: [path.resolve(entry)] } : { stdin: { contents, resolveDir: worker, sourcefile: 'profiled-worker.ts', loader: 'ts' as const } }),
    format: 'esm',
    external: [...EXTERNAL_MODULES],
  });
  return [{ name: 'worker.js', code: result.outputFiles[0].contents }];
}

/** A small CDP client: one request at a time, replies matched by id. */
class Inspector {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(msg.error.message));
      else w?.resolve(msg.result);
    });
  }
  static connect(url: string): Promise<Inspector> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { maxPayload: 1 << 30 });
      socket.once('open', () => resolve(new Inspector(socket)));
      socket.once('error', reject);
    });
  }
  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }
  close(): void {
    this.socket.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '8' },
      config: { type: 'string', default: 'serve' },
      top: { type: 'string', default: '30' },
      minified: { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      entry: { type: 'string' },
      perf: { type: 'string' },
      out: { type: 'string' },
      connections: { type: 'string', default: '16' },
      model: { type: 'string', default: 'tiny' },
      request: { type: 'string', default: 'json' },
    },
  });
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (!['serve', 'direct', 'fixed'].includes(values.config!)) throw new Error(`--config must be serve, direct or fixed, got ${values.config}`);
  const top = Number(values.top);

  const served = smallServedModels().find((m) => m.name === values.model);
  if (!served) throw new Error(`--model must be one of ${smallServedModels().map((m) => m.name).join(', ')}, got ${values.model}`);
  const request = served.bodies.find((b) => b.kind === values.request);
  if (!request) throw new Error(`--request must be json or binary, got ${values.request}`);
  const artifact = compileModel(served.onnx).artifact;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-profile-'));
  mkdirSync(dir, { recursive: true });
  const port = await freePort(HOST);
  const inspectorPort = await freePort(HOST);
  const serve: WorkerdConfigOptions = {
    // The same body over and over: with the local cache on every answer would be a cache hit.
    models: [{ name: served.name, artifact, modelConfig: localModelConfig(served.name, { cache: { enabled: false, ttlSeconds: 60 } }), workerModules: workerModules(artifact, values.minified!, values.entry) }],
    kernelsWasm: readFileSync(KERNELS_WASM_PATH),
    host: HOST,
    port,
  };
  let configPath = writeBinaryConfig(dir, values.config === 'direct' ? directConfig(serve) : workerdConfig(serve));
  if (values.config === 'fixed') {
    const answer = JSON.stringify({ model_name: served.name, model_version: 'local', outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [1, 3], data: [0.1, 0.2, 0.7] }] });
    writeFileSync(path.join(dir, 'fixed.js'), fixedBodyWorkerSource(answer));
    configPath = path.join(dir, 'fixed.capnp');
    writeFileSync(configPath, fixedBodyConfig(HOST, port));
  }
  const proc = startWorkerd({
    configPath,
    cwd: dir,
    // The inspector only when profiling: with it open, V8 keeps every console.log with a stack trace.
    extraArgs: values['no-profile'] ? [] : [`--inspector-addr=${HOST}:${inspectorPort}`],
    ...(values.config === 'serve' ? { stdoutFile: path.join(dir, 'stdout.log') } : { discardStdout: true }),
    onLine: (line, stream) => {
      if (stream === 'stderr') process.stderr.write(`[workerd] ${line}\n`);
    },
  });
  const url = `http://${HOST}:${port}/v2/models/${served.name}/infer`;
  try {
    await waitUntilServing(`http://${HOST}:${port}/v2/health/live`, proc);
    const load = (s: number) =>
      autocannon({ url, method: 'POST', headers: request.headers, body: request.body, connections: Number(values.connections), duration: s, timeout: 10 });
    await load(1); // warm-up: JIT, model load
    const perf = values.perf ? spawn('perf', ['record', '-q', '-g', '-F', '2000', '-p', String(proc.child.pid), '-o', values.perf], { stdio: 'inherit' }) : undefined;
    const cpuBefore = processCpuUs(proc.child.pid!);
    const measured = await load(seconds);
    const cpuUs = processCpuUs(proc.child.pid!) - cpuBefore;
    if (perf) {
      perf.kill('SIGINT');
      await new Promise((resolve) => perf.once('exit', resolve));
    }
    const servedCount = measured.requests.total;
    console.log(
      `config ${values.config}: ${servedCount} requests in ${measured.duration} s (${(servedCount / measured.duration).toFixed(0)} req/s), errors ${measured.errors + measured.non2xx}; ` +
        `workerd CPU ${(cpuUs / servedCount).toFixed(1)} µs per request (user + system)`,
    );
    if (values['no-profile']) return;

    const targets = (await (await fetch(`http://${HOST}:${inspectorPort}/json`)).json()) as Array<{ id: string; title?: string; webSocketDebuggerUrl?: string }>;
    const target = targets.find((t) => t.webSocketDebuggerUrl);
    if (!target) throw new Error(`workerd's inspector lists no debuggable target: ${JSON.stringify(targets)}`);
    const inspector = await Inspector.connect(target.webSocketDebuggerUrl!);
    await inspector.send('Profiler.enable');
    await inspector.send('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.send('Profiler.start');
    const r = await load(seconds);
    const { profile } = await inspector.send<{ profile: CpuProfile }>('Profiler.stop');
    inspector.close();
    if (values.out) writeFileSync(values.out, JSON.stringify(profile));

    const requests = r.requests.total;
    const times = functionTimes(profile);
    const sampled = profile.endTime - profile.startTime;
    const idle = times.find((t) => t.name === '(idle)')?.selfUs ?? 0;
    const busy = sampled - idle;
    console.log(`\nprofiled${values.minified ? ' (minified bundle)' : ''}: ${requests} requests in ${r.duration} s (${(requests / r.duration).toFixed(0)} req/s), errors ${r.errors + r.non2xx}`);
    console.log(`sampled ${(sampled / 1e6).toFixed(2)} s; isolate busy ${((busy / sampled) * 100).toFixed(1)}% = ${(busy / requests).toFixed(1)} µs per request (JS and what it calls into)`);
    const row = (t: FunctionTime, us: number) => `${(us / requests).toFixed(2).padStart(8)} µs ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${t.name}`;
    console.log(`\nTop ${top} by self time (µs per request, share of busy time):`);
    for (const t of times.filter((t) => t.name !== '(idle)').sort((a, b) => b.selfUs - a.selfUs).slice(0, top)) console.log(row(t, t.selfUs));
    console.log(`\nTop ${top} by inclusive time:`);
    for (const t of times.filter((t) => !t.name.startsWith('(')).sort((a, b) => b.totalUs - a.totalUs).slice(0, top)) console.log(row(t, t.totalUs));
  } finally {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
