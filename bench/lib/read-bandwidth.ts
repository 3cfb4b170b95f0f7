/**
 * Measures how fast WebAssembly streams a buffer of a given size in from memory
 * (bench/kernels/read-bandwidth.as.ts): the floor under any kernel that reads that many bytes per
 * call, such as a batch-1 GEMV over its weights. Passes run for a set time rather than a set count,
 * so that a small buffer's passes are not all taken in one busy moment of a shared machine.
 */
import { readFileSync } from 'fs';
import { benchKernel } from './bench-wasm';

export interface ReadRate {
  readonly bytes: number;
  readonly passes: number;
  /** GB/s (1e9 bytes per second) of the median and of the fastest pass */
  readonly medianGBps: number;
  readonly bestGBps: number;
}

const PAGE_BYTES = 64 * 1024;

/** A buffer of `bytes` (rounded up to 128) in the read kernel's memory, `extraBytes` more after it, and a pass that sums either. */
function streamer(bytes: number, extraBytes = 0): { size: number; pass: () => void; passExtra: () => void } {
  const exports = benchKernel('read-bandwidth.as.ts');
  const memory = exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
  const sumFloats = exports.sumFloats as (p: number, bytes: number) => number;
  const size = Math.ceil(bytes / 128) * 128;
  const extra = Math.ceil(extraBytes / 128) * 128;
  const base = PAGE_BYTES; // past the module's own data
  const need = base + size + extra - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / PAGE_BYTES));
  new Float32Array(memory.buffer, base, (size + extra) / 4).fill(0.5);
  return { size, pass: () => void sumFloats(base, size), passExtra: () => void sumFloats(base + size, extra) };
}

function rateOf(size: number, times: number[]): ReadRate {
  const sorted = [...times].sort((a, b) => a - b);
  const rate = (ms: number) => size / (ms * 1e6);
  return { bytes: size, passes: sorted.length, medianGBps: rate(sorted[sorted.length >> 1]), bestGBps: rate(sorted[0]) };
}

/**
 * Sums a `bytes`-byte buffer over and over for `ms` milliseconds (at least `minPasses` times) after
 * two warm-up passes: a cache that holds it stays warm, as a model's weights do between calls.
 */
export function readBandwidth(bytes: number, ms = 300, minPasses = 31): ReadRate {
  const { size, pass } = streamer(bytes);
  for (let i = 0; i < 2; i++) pass();
  const times: number[] = [];
  const until = performance.now() + ms;
  while (times.length < minPasses || performance.now() < until) {
    const started = performance.now();
    pass();
    times.push(performance.now() - started);
  }
  return rateOf(size, times);
}

/** The last-level cache's size from Linux's sysfs; 32 MiB where it cannot be read. */
export function lastLevelCacheBytes(): number {
  for (const index of [3, 2]) {
    try {
      const text = readFileSync(`/sys/devices/system/cpu/cpu0/cache/index${index}/size`, 'utf8').trim();
      const m = /^(\d+)([KMG]?)$/.exec(text);
      if (m) return Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G'];
    } catch {
      // not Linux, or no such level
    }
  }
  return 32 * 1024 * 1024;
}

/**
 * The same rate for a buffer that starts each pass out of the caches: every timed pass follows a
 * pass over `evictBytes` of other data (three times the last-level cache by default). That is what
 * a model's weights see when other work with data of its own ran since its last call (in the
 * inference part, the other engines' copies of the same weights).
 */
export function coldReadBandwidth(bytes: number, passes = 21, evictBytes = 3 * lastLevelCacheBytes()): ReadRate {
  const { size, pass, passExtra } = streamer(bytes, evictBytes);
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    passExtra();
    const started = performance.now();
    pass();
    times.push(performance.now() - started);
  }
  return rateOf(size, times);
}
