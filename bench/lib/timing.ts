/**
 * Timing helpers. Each measured function runs in blocks of enough calls to last a few
 * milliseconds (so the timer's own cost vanishes); the per-call time of a block is one sample and
 * the figure reported is the median over blocks. Competing implementations are measured in
 * interleaved rounds (A, B, C, then B, C, A, ...), so that a burst of load from other processes
 * hits all of them alike.
 */
import { median } from './stats';

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** A function to time: synchronous or returning a promise (awaited inside the block). */
export type Timed = () => unknown;

export interface TimingOptions {
  /** time spent warming each function up before measuring (JIT, caches, lazily packed weights) */
  readonly warmupMs: number;
  /** target duration of one block of calls */
  readonly blockMs: number;
  /** number of interleaved rounds (one block of each function per round) */
  readonly rounds: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmupMs: 300, blockMs: 5, rounds: 30 };

async function runBlock(fn: Timed, calls: number): Promise<number> {
  const start = nowMs();
  for (let i = 0; i < calls; i++) {
    const r = fn();
    if (r instanceof Promise) await r;
  }
  return nowMs() - start;
}

/** Warms `fn` up and returns how many calls fill one block. */
async function calibrate(fn: Timed, o: TimingOptions): Promise<number> {
  const deadline = nowMs() + o.warmupMs;
  let calls = 0;
  let spent = 0;
  do {
    spent += await runBlock(fn, 1);
    calls++;
  } while (nowMs() < deadline || calls < 3);
  const perCall = spent / calls;
  return Math.max(1, Math.min(100000, Math.round(o.blockMs / Math.max(perCall, 1e-6))));
}

/** Median milliseconds per call of each function, measured side by side in interleaved rounds. */
export async function compareTimes(fns: readonly Timed[], o: TimingOptions = DEFAULT_TIMING): Promise<number[]> {
  const calls: number[] = [];
  for (const fn of fns) calls.push(await calibrate(fn, o));
  const samples: number[][] = fns.map(() => []);
  for (let round = 0; round < o.rounds; round++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (k + round) % fns.length;
      samples[i].push((await runBlock(fns[i], calls[i])) / calls[i]);
    }
  }
  return samples.map(median);
}

/**
 * Median milliseconds per call of each function in long blocks taken in turns, counting only the
 * second half of each block's calls: whatever a function keeps in the caches (weights larger than
 * the others leave room for) is back in them by then. The interleaved `compareTimes` instead
 * measures each function right after the others ran.
 */
export async function compareCachedTimes(fns: readonly Timed[], blockMs = 200, rounds = 10): Promise<number[]> {
  const samples: number[][] = fns.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (k + round) % fns.length;
      const calls: number[] = [];
      const until = nowMs() + blockMs;
      while (nowMs() < until || calls.length < 4) calls.push(await runBlock(fns[i], 1));
      samples[i].push(median(calls.slice(calls.length >> 1)));
    }
  }
  return samples.map(median);
}

/** Median milliseconds of a one-shot operation repeated `times` (each repetition fresh). */
export async function timeRepeated(times: number, fn: Timed): Promise<{ median: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await runBlock(fn, 1));
  return { median: median(samples), samples };
}
