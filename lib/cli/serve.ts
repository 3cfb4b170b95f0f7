/**
 * `model-edge serve <model.onnx | folder>... [--port 8787]`: compiles each model exactly as synth
 * does and serves them all from one local workerd with the same Worker bundle. Ctrl-C stops it;
 * with `--metrics <file>` each request's metrics data point lands in the file and a summary per
 * model and version (count, p50, p99) is printed on exit.
 */
import { parseArgs } from 'node:util';
import { compileModelFile, type CompiledModel } from '../model-compiler';
import { startLocalServer, type LocalServer } from '../local/local-server';
import { localModelConfig, type LocalModel } from '../local/workerd-config';
import { formatMetricsSummary, readMetricsFile, summarizeMetrics } from '../local/metrics-summary';
import { findModelFiles } from './model-files';
import type { CliCommand } from './main';

export interface ServedModel extends LocalModel {
  readonly compiled: Pick<CompiledModel, 'signature'>;
}

/** Compiles every model, printing progress to `print`; `cache: false` switches the local edge cache off. */
export function compileForServing(args: readonly string[], print: (line: string) => void, cache = true): ServedModel[] {
  const files = findModelFiles(args);
  return files.map(({ name, file }, i) => {
    const started = Date.now();
    const compiled = compileModelFile(file);
    print(`[${i + 1}/${files.length}] compiled ${name} (${file}): ${(compiled.artifact.byteLength / 1024).toFixed(1)} KB in ${Date.now() - started} ms`);
    return { name, artifact: compiled.artifact, compiled, ...(cache ? {} : { modelConfig: localModelConfig(name, { cache: { enabled: false, ttlSeconds: 60 } }) }) };
  });
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
}

/** Compiles and serves; resolves once serving, with the server to close. */
export async function serveModels(args: readonly string[], options: ServeOptions = {}): Promise<LocalServer> {
  const print = options.print ?? ((l: string) => console.log(l));
  const models = compileForServing(args, print, options.cache ?? true);
  const server = await startLocalServer({ models, port: options.port, host: options.host, onLine: logPrinter(options.log ?? 'concise', print), metricsFile: options.metricsFile });
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
  usage: 'model-edge serve <model.onnx | folder>... [--port 8787] [--host 127.0.0.1] [--log concise|json|off] [--quiet] [--no-cache] [--metrics <file.jsonl>]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, log: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, 'no-cache': { type: 'boolean' }, metrics: { type: 'string' } },
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
    const metricsFile = values.metrics;
    if (metricsFile !== undefined && metricsFile.trim() === '') {
      console.error('--metrics needs a file name, e.g. --metrics metrics.jsonl');
      return 1;
    }
    const server = await serveModels(positionals, { port, host: values.host, log: log as RequestLogMode, cache: !values['no-cache'], metricsFile });
    const code = await untilInterrupted(server);
    if (metricsFile !== undefined) for (const line of formatMetricsSummary(metricsFile, summarizeMetrics(readMetricsFile(metricsFile)))) console.log(line);
    return code;
  },
};
