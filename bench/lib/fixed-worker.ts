/**
 * The HTTP baseline in workerd: a Worker that answers every request with one fixed JSON body,
 * served from plain workerd's own socket (no Miniflare in front). The config is generated here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCAL_COMPATIBILITY_DATE } from '../../lib/local/workerd-config';
import { freePort, startWorkerd, waitUntilServing } from '../../lib/local/workerd-process';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

export function fixedBodyWorkerSource(body: string): string {
  return `const body = ${JSON.stringify(body)};
export default {
  async fetch(request) {
    // read the request as a real handler would, then answer the same bytes every time
    await request.arrayBuffer();
    return new Response(body, { headers: { 'content-type': 'application/json' } });
  },
};
`;
}

export function fixedBodyConfig(host: string, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "fixed", worker = .fixed) ],
  sockets = [ (name = "http", address = "${host}:${port}", http = (), service = "fixed") ],
);

const fixed :Workerd.Worker = (
  modules = [ (name = "fixed.js", esModule = embed "fixed.js") ],
  compatibilityDate = "${LOCAL_COMPATIBILITY_DATE}",
);
`;
}

/** Starts workerd with the fixed-body Worker on a free loopback port. */
export async function startFixedBodyWorker(body: string, host = '127.0.0.1'): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-fixed-'));
  const port = await freePort(host);
  writeFileSync(path.join(dir, 'fixed.js'), fixedBodyWorkerSource(body));
  const configPath = path.join(dir, 'config.capnp');
  writeFileSync(configPath, fixedBodyConfig(host, port));
  const proc = startWorkerd({ configPath, cwd: dir, onLine: (l) => console.error(`[fixed worker] ${l}`) });
  const url = `http://${host}:${port}`;
  const close = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, proc);
  } catch (e) {
    await close();
    throw e;
  }
  return { url, close };
}
