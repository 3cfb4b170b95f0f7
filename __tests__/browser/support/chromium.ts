/**
 * Headless Chromium (Debian's `chromium` package) driven over the DevTools protocol: launch with a
 * fresh profile, open a page target, send commands and wait for events. The WebSocket client is
 * the `ws` package; everything else is the protocol itself.
 */
import { spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WebSocket = require('ws') as new (url: string, options?: { perMessageDeflate?: boolean; maxPayload?: number }) => Socket;

interface Socket {
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer | string) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  send(data: string): void;
  close(): void;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const MISSING_CHROMIUM = `Chromium is not installed at ${CHROMIUM}: install Debian's package with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`;

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

type Listener = (params: any) => void;

export interface Page {
  send<T = any>(method: string, params?: object): Promise<T>;
  /** Resolves with the params of the next `method` event. */
  next(method: string, timeoutMs?: number): Promise<any>;
  on(method: string, listener: Listener): void;
  /** Evaluates an expression in the page (awaiting promises) and returns its JSON value. */
  evaluate<T = any>(expression: string): Promise<T>;
}

export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) throw new Error(MISSING_CHROMIUM);
  const profile = mkdtempSync(path.join(os.tmpdir(), 'model-edge-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const browserUrl = await devtoolsUrl(child);
  const http = `http://${new URL(browserUrl).host}`;
  return {
    async newPage() {
      const target = (await (await fetch(`${http}/json/new?about:blank`, { method: 'PUT' })).json()) as { webSocketDebuggerUrl: string };
      return connect(target.webSocketDebuggerUrl);
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Chromium prints `DevTools listening on ws://...` on stderr once it serves the protocol. */
function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start within 30 s; it printed:\n${text}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code} before serving DevTools:\n${text}`));
    });
  });
}

function connect(url: string): Promise<Page> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; method: string }>();
  const listeners = new Map<string, Listener[]>();
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
      else call?.resolve(message.result);
    } else {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
    }
  });
  const page: Page = {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
    },
    on(method, listener) {
      listeners.set(method, [...(listeners.get(method) ?? []), listener]);
    },
    next(method, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${method} event within ${timeoutMs} ms`)), timeoutMs);
        const once: Listener = (params) => {
          clearTimeout(timer);
          listeners.set(method, (listeners.get(method) ?? []).filter((l) => l !== once));
          resolve(params);
        };
        page.on(method, once);
      });
    },
    async evaluate(expression) {
      const result = await page.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (result.exceptionDetails) throw new Error(`evaluate(${expression}): ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
      return result.result.value;
    },
  };
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve(page));
    socket.on('error', reject);
  });
}
