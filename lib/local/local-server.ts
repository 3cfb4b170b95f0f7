/**
 * Serves compiled models locally: the same Worker bundle and bindings a deployment uploads, in
 * one workerd process behind a router Worker. Used by `model-edge serve`, `npm start` and tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KERNELS_WASM_PATH } from '../wasm-module';
import { writeWorkerdConfig, type LocalModel } from './workerd-config';
import { metricsFileWriter } from './metrics-binding';
import { assertPortFree, freePort, startWorkerd, waitUntilServing } from './workerd-process';

export interface LocalServerOptions {
  readonly models: readonly LocalModel[];
  /** @default 8787; 0 picks a free port */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** the kernels module bytes; @default worker/wasm/kernels.wasm */
  readonly kernelsWasm?: Uint8Array;
  /**
   * each line of workerd's output (request log lines are JSON). Stdout lines arrive in batches a
   * few times a second (workerd appends them to a file: see log-tail.ts).
   */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Give the model Workers a metrics dataset binding (MODEL_METRICS) and write its data points to
   * this file as JSON lines (emptied at start; complete once `close()` resolves). See metrics-binding.ts.
   * @default no metrics binding
   */
  readonly metricsFile?: string;
}

export interface LocalServer {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  readonly port: number;
  /** the workerd process id (for measuring its CPU time and memory) */
  readonly pid: number | undefined;
  /** resolves when workerd exits on its own */
  readonly exited: Promise<number | null>;
  /** stops workerd and removes the generated files */
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  if (options.models.length === 0) throw new Error('no models to serve');
  const host = options.host ?? '127.0.0.1';
  const port = options.port === 0 ? await freePort(host) : (options.port ?? 8787);
  await assertPortFree(host, port);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-serve-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const configPath = writeWorkerdConfig({
      dir,
      models: options.models,
      kernelsWasm: options.kernelsWasm ?? readFileSync(KERNELS_WASM_PATH),
      host,
      port,
      metrics: options.metricsFile !== undefined,
    });
    const metrics = options.metricsFile !== undefined ? metricsFileWriter(options.metricsFile, options.onLine) : undefined;
    const proc = startWorkerd({ configPath, cwd: dir, onLine: metrics?.onLine ?? options.onLine, stdoutFile: path.join(dir, 'workerd-stdout.log') });
    void proc.exited.then(() => metrics?.close());
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    try {
      await waitUntilServing(`${url}/v2/health/live`, proc);
    } catch (e) {
      await proc.stop();
      throw e;
    }
    let closed = false;
    return {
      url,
      port,
      pid: proc.child.pid,
      exited: proc.exited,
      async close() {
        if (closed) return;
        closed = true;
        await proc.stop();
        cleanup();
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}
