/**
 * Diagnostic variants of local serving, to show where `model-edge serve`'s time goes:
 *  - serve's own generated config (router Worker + model Worker) with workerd's output discarded
 *    instead of piped to Node line by line (each request writes a JSON log line);
 *  - the model Worker alone on the socket (no router hop), output discarded.
 * Same Worker bundle, artifact and kernels as serve.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCAL_COMPATIBILITY_DATE, localModelConfig, writeWorkerdConfig } from '../../lib/local/workerd-config';
import { freePort, startWorkerd, waitUntilServing } from '../../lib/local/workerd-process';
import { KERNELS_WASM_PATH } from '../../lib/wasm-module';
import { bundleWorker } from '../../lib/worker-bundle';
import type { RunningServer } from './fixed-worker';

/** Only the model Worker, on the socket itself (file names as writeWorkerdConfig writes them). */
export function directConfig(host: string, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "model", worker = .model) ],
  sockets = [ (name = "http", address = "${host}:${port}", http = (), service = "model") ],
);

const model :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "model.bin", data = embed "model-0.bin"),
    (name = "kernels.wasm", wasm = embed "kernels.wasm"),
  ],
  compatibilityDate = "${LOCAL_COMPATIBILITY_DATE}",
  bindings = [ (name = "MODEL_CONFIG", text = embed "model-0.json") ],
);
`;
}

export async function startQuietServe(name: string, artifact: Uint8Array, options: { direct: boolean; host?: string }): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-quiet-'));
  const port = await freePort(host);
  const modelConfig = localModelConfig(name, { cache: { enabled: false, ttlSeconds: 60 } });
  let configPath = writeWorkerdConfig({ dir, models: [{ name, artifact, modelConfig }], workerCode: bundleWorker().code, kernelsWasm: readFileSync(KERNELS_WASM_PATH), host, port });
  if (options.direct) {
    configPath = path.join(dir, 'direct.capnp');
    writeFileSync(configPath, directConfig(host, port));
  }
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
