/** Starts bench/lib/ort-server.ts in its own Node process and waits until it listens. */
import { spawn } from 'child_process';
import * as path from 'path';
import { createInterface } from 'readline';
import { freePort } from '../../lib/local/workerd-process';
import type { RunningServer } from './fixed-worker';

export async function startOrtServer(onnxFile: string, name: string, host = '127.0.0.1'): Promise<RunningServer> {
  const port = await freePort(host);
  const script = path.join(__dirname, 'ort-server.ts');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script, onnxFile, name, String(port)], {
    cwd: path.join(__dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface(child.stderr!).on('line', (l) => console.error(`[ort server] ${l}`));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the onnxruntime-node server did not start within 60 s')), 60000);
    createInterface(child.stdout!).on('line', (l) => {
      if (l.startsWith('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error('the onnxruntime-node server exited before listening (see its output above)'));
    });
  });
  return {
    url: `http://${host}:${port}`,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
