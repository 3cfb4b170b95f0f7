/**
 * One Worker made of the given modules, alone on a plain workerd socket (config generated here,
 * stdout discarded), with the times a cold start is made of: process spawn to the first answer of
 * its liveness URL, polled every few milliseconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LOCAL_COMPATIBILITY_DATE } from '../../lib/local/workerd-config';
import { freePort, startWorkerd } from '../../lib/local/workerd-process';
import { nowMs } from './timing';

export interface WorkerModule {
  readonly name: string;
  readonly kind: 'esModule' | 'wasm' | 'data';
  readonly bytes: Uint8Array | string;
}

export interface StartedWorker {
  readonly url: string;
  readonly pid: number;
  /** spawn -> the first 200 from the liveness URL (workerd start-up and module evaluation) */
  readonly spawnToLiveMs: number;
  /** workerd's stderr so far (why it failed, when it did) */
  readonly stderr: readonly string[];
  close(): Promise<void>;
}

function config(modules: readonly WorkerModule[], textBindings: Record<string, string>, host: string, port: number): string {
  const mods = modules.map((m) => `(name = "${m.name}", ${m.kind} = embed "${m.name}")`).join(',\n    ');
  const bindings = Object.keys(textBindings).map((k) => `(name = "${k}", text = embed "${k}.txt")`).join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .main) ],
  sockets = [ (name = "http", address = "${host}:${port}", http = (), service = "main") ],
);

const main :Workerd.Worker = (
  modules = [
    ${mods}
  ],
  compatibilityDate = "${LOCAL_COMPATIBILITY_DATE}",
  bindings = [ ${bindings} ],
);
`;
}

export async function startModuleWorker(
  modules: readonly WorkerModule[],
  options: { livePath: string; textBindings?: Record<string, string>; host?: string; timeoutMs?: number },
): Promise<StartedWorker> {
  const host = options.host ?? '127.0.0.1';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-worker-'));
  const port = await freePort(host);
  for (const m of modules) writeFileSync(path.join(dir, m.name), m.bytes);
  for (const [k, v] of Object.entries(options.textBindings ?? {})) writeFileSync(path.join(dir, `${k}.txt`), v);
  const configPath = path.join(dir, 'config.capnp');
  writeFileSync(configPath, config(modules, options.textBindings ?? {}, host, port));
  const stderr: string[] = [];
  const started = nowMs();
  const proc = startWorkerd({ configPath, cwd: dir, discardStdout: true, onLine: (l) => stderr.push(l) });
  let exited = false;
  void proc.exited.then(() => (exited = true));
  const url = `http://${host}:${port}`;
  const close = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = started + (options.timeoutMs ?? 30000);
  for (;;) {
    try {
      const res = await fetch(`${url}${options.livePath}`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (exited || nowMs() > deadline) {
      await close();
      throw new Error(`workerd ${exited ? 'exited' : 'did not answer'} before serving: ${stderr.join(' | ').slice(0, 600) || '(no output)'}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { url, pid: proc.child.pid!, spawnToLiveMs: nowMs() - started, stderr, close };
}
