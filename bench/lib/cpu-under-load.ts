/**
 * workerd's CPU time per request under autocannon load: user + system time of the process (/proc)
 * divided by the requests served. Steadier than req/s on a machine shared with other work.
 */
import { processCpuUs } from './process-cpu';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{ requests: { total: number }; duration: number; errors: number; non2xx: number }>;

export interface LoadTarget {
  readonly url: string;
  readonly pid: number;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

export interface CpuSample {
  readonly cpuUs: number;
  readonly requests: number;
  readonly seconds: number;
  readonly errors: number;
}

export const CONNECTIONS = 4;

export async function warmUp(t: LoadTarget, connections = CONNECTIONS): Promise<void> {
  await autocannon({ url: t.url, method: 'POST', headers: t.headers, body: t.body, connections, duration: 1 });
}

export async function cpuUnderLoad(t: LoadTarget, seconds: number, connections = CONNECTIONS): Promise<CpuSample> {
  const before = processCpuUs(t.pid);
  const r = await autocannon({ url: t.url, method: 'POST', headers: t.headers, body: t.body, connections, duration: seconds, timeout: 10 });
  return { cpuUs: processCpuUs(t.pid) - before, requests: r.requests.total, seconds: r.duration, errors: r.errors + r.non2xx };
}

/** Samples of several targets added up over two halves in opposite orders (A B C, then C B A). */
export async function cpuPerRequest(targets: readonly LoadTarget[], seconds: number, connections = CONNECTIONS): Promise<CpuSample[]> {
  const totals = targets.map(() => ({ cpuUs: 0, requests: 0, seconds: 0, errors: 0 }));
  for (const t of targets) await warmUp(t, connections);
  const order = targets.map((_, i) => i);
  for (const pass of [order, [...order].reverse()]) {
    for (const i of pass) {
      const s = await cpuUnderLoad(targets[i], seconds / 2, connections);
      totals[i].cpuUs += s.cpuUs;
      totals[i].requests += s.requests;
      totals[i].seconds += s.seconds;
      totals[i].errors += s.errors;
    }
  }
  return totals;
}
