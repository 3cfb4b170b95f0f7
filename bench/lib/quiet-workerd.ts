/**
 * Diagnostic variants of local serving, to show where `model-edge serve`'s time goes:
 *  - serve's own generated config (router Worker + model Worker) with workerd's output discarded
 *    instead of piped to Node line by line (each request writes a JSON log line);
 *  - the model Worker alone on the socket (no router hop), output discarded.
 * Same Worker bundle, artifact and kernels as serve.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import type { Config } from 'miniflare';
import * as os from 'os';
import * as path from 'path';
import { localModelConfig, modelWorker, workerdConfig, writeBinaryConfig, type WorkerdConfigOptions } from '../../lib/local/workerd-config';
import { freePort, startWorkerd, waitUntilServing } from '../../lib/local/workerd-process';
import { KERNELS_WASM_PATH } from '../../lib/wasm-module';
import type { RunningServer } from './fixed-worker';

/** Only the model Worker, on the socket itself (no router), as serve builds it. */
export function directConfig(options: WorkerdConfigOptions): Config {
  return {
    services: [{ name: 'model', worker: { ...modelWorker(options, 0), cacheApiOutbound: undefined } }],
    sockets: [{ name: 'http', address: `${options.host}:${options.port}`, http: {}, service: { name: 'model' } }],
  };
}

export async function startQuietServe(name: string, artifact: Uint8Array, options: { direct: boolean; host?: string }): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-quiet-'));
  const port = await freePort(host);
  const modelConfig = localModelConfig(name, { cache: { enabled: false, ttlSeconds: 60 } });
  const serve: WorkerdConfigOptions = { models: [{ name, artifact, modelConfig }], kernelsWasm: readFileSync(KERNELS_WASM_PATH), host, port };
  const configPath = writeBinaryConfig(dir, options.direct ? directConfig(serve) : workerdConfig(serve));
  const proc = startWorkerd({ configPath, cwd: dir, discardStdout: true, onLine: (line) => process.stderr.write(`${line}\n`) });
  const url = `http://${host}:${port}`;
  const close = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`${url}/v2/health/live`, proc);
  } catch (e) {
    await close();
    throw e;
  }
  return { url, close };
}
