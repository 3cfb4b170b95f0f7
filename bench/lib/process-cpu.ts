/**
 * CPU time of another process (Linux /proc), for CPU-per-request figures of workerd.
 *
 * Read from each thread's scheduler statistics (`/proc/<pid>/task/<tid>/sched`,
 * se.sum_exec_runtime: nanosecond accounting, printed in ms with six decimals) where the kernel
 * provides them; /proc/<pid>/stat counts whole 10 ms ticks, which put a ±5 µs step on a figure
 * taken over 2,000 requests and made the in-isolate differences (tens of µs) mostly noise.
 */
import { readFileSync, readdirSync } from 'fs';

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

const SUM_EXEC_RUNTIME = /^se\.sum_exec_runtime\s*:\s*([\d.]+)$/m;

/** User + system CPU time of a process so far, in µs. */
export function processCpuUs(pid: number): number {
  return scheduledCpuUs(pid) ?? tickCpuUs(pid);
}

/** The sum over the process's threads of their scheduled run time, or undefined without /proc/<pid>/task/<tid>/sched. */
function scheduledCpuUs(pid: number): number | undefined {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of tasks) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8');
    } catch {
      continue; // a thread that ended between the listing and the read
    }
    const ms = SUM_EXEC_RUNTIME.exec(text);
    if (!ms) return undefined;
    total += Number(ms[1]) * 1000;
  }
  return total;
}

function tickCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND;
}
