/**
 * `model-edge serve <model.onnx | folder>... [--port 8787]`: compiles each model exactly as synth
 * does and serves them all from one local workerd with the same Worker bundle. Ctrl-C stops it;
 * with `--metrics <file>` each request's metrics data point lands in the file and a summary per
 * model and version (count, p50, p99) is printed on exit.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { compileModelFile, shardArtifactWeights, WEIGHT_PRECISIONS, type CompiledModel, type WeightPrecision } from '../model-compiler';
import { PLAN_SIZE_LIMIT_BYTES } from '../config/runtime';
import { SETTINGS_FILE, readModelFolder } from '../model-settings';
import { workerBundle } from '../worker-bundle';
import { artifactOps } from '../kernel-selection';
import { KERNELS_WASM_PATH } from '../wasm-module';
import { startLocalServer, type LocalServer } from '../local/local-server';
import { localModelConfig, type LocalModel } from '../local/workerd-config';
import { formatMetricsSummary, readMetricsFile, summarizeMetrics } from '../local/metrics-summary';
import { findModelFiles } from './model-files';
import type { CliCommand } from './main';

export interface ServedModel extends LocalModel {
  readonly compiled: Pick<CompiledModel, 'signature'>;
}

export type WeightStorage = 'auto' | 'script' | 'assets';
export const WEIGHT_STORAGES: readonly WeightStorage[] = ['auto', 'script', 'assets'];

export interface ServingWeights {
  /**
   * as the construct's weights.storage; `auto` moves the weights out when the script would exceed
   * the Free plan's limit. @default the model folder's deployment.json, else 'auto'
   */
  readonly storage?: WeightStorage;
  /** @default the model folder's deployment.json, else 'float32' */
  readonly precision?: WeightPrecision;
  /** the plan whose script size limit `auto` applies @default the model folder's deployment.json, else 'free' */
  readonly plan?: string;
  /** where shard directories are written (required for models whose weights become shards) */
  readonly dir?: string;
}

/** Compiles every model, printing progress to `print`; `cache: false` switches the local edge cache off. */
export function compileForServing(args: readonly string[], print: (line: string) => void, cache = true, weights: ServingWeights = {}): ServedModel[] {
  const files = findModelFiles(args);
  return files.map(({ name, file }, i) => {
    const started = Date.now();
    const chosen = { ...folderWeights(file), ...definedOnly(weights) };
    const compiled = compileModelFile(file, { precision: chosen.precision });
    print(`[${i + 1}/${files.length}] compiled ${name} (${file}): ${(compiled.artifact.byteLength / 1024).toFixed(1)} KB in ${Date.now() - started} ms`);
    if (compiled.int8) print(`    int8 weights: ${int8Summary(compiled.int8)}`);
    const placed = placeForServing(name, compiled.artifact, chosen);
    if (placed.weightsDir) print(`    weights: ${placed.shards} shard${placed.shards === 1 ? '' : 's'} served through the MODEL_WEIGHTS binding, as static assets are deployed`);
    return { name, artifact: placed.artifact, ...(placed.weightsDir ? { weightsDir: placed.weightsDir } : {}), compiled, ...(cache ? {} : { modelConfig: localModelConfig(name, { cache: { enabled: false, ttlSeconds: 60 } }) }) };
  });
}

/** The weights settings of the deployment.json beside a model file, as deployed (top level, no environment). */
function folderWeights(file: string): ServingWeights {
  const folder = path.dirname(path.resolve(file));
  if (!existsSync(path.join(folder, SETTINGS_FILE))) return {};
  const { weights: w, plan } = readModelFolder(folder).settings;
  return { ...(w?.storage ? { storage: w.storage as WeightStorage } : {}), ...(w?.precision ? { precision: w.precision as WeightPrecision } : {}), ...(plan ? { plan } : {}) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function int8Summary(q: NonNullable<CompiledModel['int8']>): string {
  if (q.samples === 0) return `${q.quantizedTensors} tensors; accuracy not measured (the inputs are not float32 tensors of known rank)`;
  return `${q.quantizedTensors} tensor${q.quantizedTensors === 1 ? '' : 's'}; vs float32 max abs diff ${q.maxAbsDiff!.toPrecision(3)}, arg-max agreement ${(q.argmaxAgreement! * 100).toFixed(1)}% over ${q.samples} generated inputs`;
}

/** The construct's rule for weights.storage: shards when asked, or when the script would exceed the plan's limit. */
function placeForServing(name: string, artifact: Uint8Array, weights: ServingWeights): { artifact: Uint8Array; weightsDir?: string; shards?: number } {
  const storage = weights.storage ?? 'auto';
  if (storage === 'script') return { artifact };
  const limit = PLAN_SIZE_LIMIT_BYTES[weights.plan ?? 'free'] ?? PLAN_SIZE_LIMIT_BYTES.free;
  if (storage === 'auto' && scriptGzipBytes(artifact) + gzipSync(artifact).byteLength <= limit) return { artifact };
  const sharded = shardArtifactWeights(artifact);
  if (sharded.shards.length === 0) return { artifact };
  if (!weights.dir) throw new Error(`${name}: the weights go to shards but no directory was given for them`);
  const weightsDir = path.join(weights.dir, name);
  mkdirSync(weightsDir, { recursive: true });
  for (const shard of sharded.shards) writeFileSync(path.join(weightsDir, shard.sha256), shard.bytes);
  return { artifact: sharded.artifact, weightsDir, shards: sharded.shards.length };
}

/** The Worker's code for this model + the WebAssembly kernels, after gzip: what the script carries besides the model. */
function scriptGzipBytes(artifact: Uint8Array): number {
  return workerBundle({ ops: artifactOps(artifact) }).gzipBytes + gzipSync(readFileSync(KERNELS_WASM_PATH)).byteLength;
}

/** An example request with zeros of the right datatype for each input (variable dims = 1). */
export function exampleRequest(model: ServedModel): object {
  return {
    inputs: model.compiled.signature.inputs.map((i) => {
      const shape = i.shape.map((d) => (d < 0 ? 1 : d));
      const count = shape.reduce((a, b) => a * b, 1);
      const zero = i.datatype === 'BYTES' ? '' : i.datatype === 'BOOL' ? false : 0;
      return { name: i.name, shape, datatype: i.datatype, data: new Array(count).fill(zero) };
    }),
  };
}

/** The lines printed for each served model: its URL and a curl command to paste. */
export function describeServed(url: string, models: readonly ServedModel[]): string[] {
  const lines: string[] = [];
  for (const m of models) {
    const request = exampleRequest(m) as { inputs: Array<{ data: unknown[] }> };
    const body = JSON.stringify(request);
    const curl = `curl -s ${url}/v2/models/${m.name}/infer -H 'content-type: application/json'`;
    lines.push(`  ${m.name}: ${url}/v2/models/${m.name}`);
    if (body.length <= 400) {
      lines.push(`    ${curl} -d '${body.replace(/'/g, "'\\''")}'`);
    } else {
      // Too long to paste: let node build the zeros and pipe them in.
      const js = `JSON.stringify({inputs:${JSON.stringify(request.inputs.map((i) => ({ ...i, data: `@@${i.data.length}:${JSON.stringify(i.data[0])}@@` })))}})`
        .replace(/"@@(\d+):(.*?)@@"/g, (_, n: string, v: string) => `Array(${n}).fill(${v.replace(/\\"/g, '"')})`);
      lines.push(`    node -e 'console.log(${js.replace(/'/g, "'\\''")})' | ${curl} -d @-`);
    }
  }
  return lines;
}

/** Formats one of workerd's output lines for the terminal (request log lines are JSON). */
export function formatLogLine(line: string): string {
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    if (e.message === 'request') {
      return `${e.method} ${e.path} ${e.status} ${e.durationMs} ms${e.cache !== 'bypass' ? ` cache=${e.cache}` : ''}${e.error ? ` error: ${e.error}` : ''}`;
    }
  } catch {
    // not JSON: print as is
  }
  return line;
}

/** How request log lines are printed: one short line each, the Worker's JSON as is, or only faults. */
export type RequestLogMode = 'concise' | 'json' | 'off';
export const REQUEST_LOG_MODES: readonly RequestLogMode[] = ['concise', 'json', 'off'];

/** The printer for workerd's output lines in a given mode. */
export function logPrinter(mode: RequestLogMode, print: (line: string) => void): (line: string) => void {
  if (mode === 'json') return print;
  if (mode === 'concise') return (line) => print(formatLogLine(line));
  // off: request lines stay quiet unless they carry a fault; anything else (workerd) is printed.
  return (line) => {
    if (line.startsWith('{"message":"request"') && !line.includes('"error":')) return;
    print(formatLogLine(line));
  };
}

export interface ServeOptions {
  readonly port?: number;
  readonly host?: string;
  readonly print?: (line: string) => void;
  /** @default 'concise' */
  readonly log?: RequestLogMode;
  /** Answer identical inference requests from the local in-memory Cache API, as at the edge. @default true */
  readonly cache?: boolean;
  /** Write each request's metrics data point to this file (JSON lines), as the Worker writes them to Analytics Engine. @default none */
  readonly metricsFile?: string;
  /** Weight storage and precision, as the construct's `weights` settings. @default auto, float32 */
  readonly weights?: Omit<ServingWeights, 'dir'>;
}

/** Compiles and serves; resolves once serving, with the server to close. */
export async function serveModels(args: readonly string[], options: ServeOptions = {}): Promise<LocalServer> {
  const print = options.print ?? ((l: string) => console.log(l));
  const weightsRoot = mkdtempSync(path.join(os.tmpdir(), 'model-edge-weights-'));
  const removeWeights = () => rmSync(weightsRoot, { recursive: true, force: true });
  let server: LocalServer;
  let models: ServedModel[];
  try {
    models = compileForServing(args, print, options.cache ?? true, { ...options.weights, dir: weightsRoot });
    server = await startLocalServer({ models, port: options.port, host: options.host, onLine: logPrinter(options.log ?? 'concise', print), metricsFile: options.metricsFile });
  } catch (e) {
    removeWeights();
    throw e;
  }
  const close = server.close.bind(server);
  server = { ...server, close: () => close().finally(removeWeights) };
  print(`\nServing ${models.length} model${models.length > 1 ? 's' : ''} at ${server.url} (Ctrl-C to stop)`);
  for (const line of describeServed(server.url, models)) print(line);
  return server;
}

/** Stops the server on Ctrl-C or SIGTERM and resolves with the exit code. */
export function untilInterrupted(server: LocalServer): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    void server.exited.then((code) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(() => resolve(code === 0 ? 0 : 1));
    });
  });
}

export const command: CliCommand = {
  summary: 'Compile models and serve them locally in workerd, exactly as they run at the edge.',
  usage: 'model-edge serve <model.onnx | folder>... [--port 8787] [--host 127.0.0.1] [--log concise|json|off] [--quiet] [--no-cache] [--metrics <file.jsonl>] [--weights auto|script|assets] [--precision float32|int8]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, log: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, 'no-cache': { type: 'boolean' }, metrics: { type: 'string' }, weights: { type: 'string' }, precision: { type: 'string' } },
    });
    if (positionals.length === 0) {
      console.error(`Usage: ${this.usage}`);
      return 1;
    }
    const port = values.port === undefined ? 8787 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`--port must be a port number, got "${values.port}"`);
      return 1;
    }
    const log = values.quiet ? 'off' : (values.log ?? 'concise');
    if (!REQUEST_LOG_MODES.includes(log as RequestLogMode)) {
      console.error(`--log must be one of ${REQUEST_LOG_MODES.join(', ')}, got "${values.log}"`);
      return 1;
    }
    const storage = values.weights;
    if (storage !== undefined && !WEIGHT_STORAGES.includes(storage as WeightStorage)) {
      console.error(`--weights must be one of ${WEIGHT_STORAGES.join(', ')}, got "${values.weights}"`);
      return 1;
    }
    const precision = values.precision;
    if (precision !== undefined && !WEIGHT_PRECISIONS.includes(precision as WeightPrecision)) {
      console.error(`--precision must be one of ${WEIGHT_PRECISIONS.join(', ')}, got "${values.precision}"`);
      return 1;
    }
    const weights = { storage: storage as WeightStorage | undefined, precision: precision as WeightPrecision | undefined };
    const metricsFile = values.metrics;
    if (metricsFile !== undefined && metricsFile.trim() === '') {
      console.error('--metrics needs a file name, e.g. --metrics metrics.jsonl');
      return 1;
    }
    const server = await serveModels(positionals, { port, host: values.host, log: log as RequestLogMode, cache: !values['no-cache'], metricsFile, weights });
    const code = await untilInterrupted(server);
    if (metricsFile !== undefined) for (const line of formatMetricsSummary(metricsFile, summarizeMetrics(readMetricsFile(metricsFile)))) console.log(line);
    return code;
  },
};
