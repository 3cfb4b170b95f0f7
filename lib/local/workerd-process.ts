/**
 * Runs one workerd process over a generated config and waits until it answers.
 */
import { spawn, type ChildProcess } from 'child_process';
import { closeSync, existsSync, openSync } from 'fs';
import { createServer } from 'net';
import { createInterface } from 'readline';
import { tailLogFile, type LogTail } from './log-tail';

/** The workerd binary from the `workerd` npm package (the one Miniflare runs). */
/** How to install what local serving needs: Miniflare (which writes workerd's config) brings its workerd. */
export const LOCAL_SERVING_FIX = 'Fix: npm install --save-dev miniflare@4.20260426.0 (it brings workerd@1.20260426.1; the versions model-edge is tested with)';

export function workerdBinary(): string {
  const candidates: string[] = [];
  try {
    candidates.push(require.resolve(`@cloudflare/workerd-${process.platform}-${process.arch === 'x64' ? '64' : process.arch}/bin/workerd`));
  } catch {
    // not installed for this platform under that name
  }
  try {
    const fromPackage = (require('workerd') as { default?: string }).default;
    if (fromPackage) candidates.push(fromPackage);
  } catch {
    // package missing
  }
  const found = candidates.find((c) => existsSync(c));
  // workerd is an optional add-on of the package: only local serving needs it, deploying does not.
  if (!found) throw new Error(`local serving needs the workerd runtime, which is not installed. ${LOCAL_SERVING_FIX}`);
  return found;
}

/** A free TCP port on `host` (the OS picks one). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Throws a clear error when something already listens on host:port (workerd would only crash). */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use; stop what runs there or pick another port (--port, or PORT= for npm start)` : `cannot listen on ${host}:${port}: ${e.message}`)),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export interface WorkerdProcess {
  readonly child: ChildProcess;
  /** resolves when the process has exited */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly configPath: string;
  readonly cwd: string;
  /** each line workerd (and the Workers' console.log) writes */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Send stdout to this file and deliver its lines in batches (see log-tail.ts) instead of through
   * a pipe, line by line. For a server under load that logs every request.
   * @default stdout is piped
   */
  readonly stdoutFile?: string;
  /** Discard stdout (request log lines) altogether; stderr is still delivered. @default false */
  readonly discardStdout?: boolean;
  /** More arguments after `serve <config>`, e.g. `--inspector-addr=127.0.0.1:9229`. @default none */
  readonly extraArgs?: readonly string[];
}

export function startWorkerd(options: StartOptions): WorkerdProcess {
  const onLine = options.onLine ?? (() => undefined);
  let stdout: 'pipe' | 'ignore' | number = options.discardStdout ? 'ignore' : 'pipe';
  if (!options.discardStdout && options.stdoutFile) stdout = openSync(options.stdoutFile, 'a');
  // a .bin config is Cap'n Proto's binary form (workerd-config.ts), anything else its text form
  const binary = options.configPath.endsWith('.bin') ? ['--binary'] : [];
  const child = spawn(workerdBinary(), ['serve', ...binary, options.configPath, ...(options.extraArgs ?? [])], { cwd: options.cwd, stdio: ['ignore', stdout, 'pipe'] });
  let tail: LogTail | undefined;
  if (typeof stdout === 'number') {
    closeSync(stdout); // the child holds its own copy
    tail = tailLogFile(options.stdoutFile!, (l) => onLine(l, 'stdout'));
  } else if (child.stdout) {
    createInterface(child.stdout).on('line', (l) => onLine(l, 'stdout'));
  }
  createInterface(child.stderr!).on('line', (l) => onLine(l, 'stderr'));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      tail?.stop();
      resolve(code);
    });
    child.once('error', () => {
      tail?.stop();
      resolve(-1);
    });
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls `url` until it answers 200, the process exits, or `timeoutMs` passes. */
export async function waitUntilServing(url: string, proc: WorkerdProcess, timeoutMs = 30000): Promise<void> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error('workerd exited before it started serving (see its output above)');
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`workerd did not answer ${url} within ${timeoutMs / 1000} s`);
}
