/**
 * Measures how fast WebAssembly streams a buffer of a given size in from memory
 * (bench/kernels/read-bandwidth.as.ts): the floor under any kernel that reads that many bytes per
 * call, such as a batch-1 GEMV over its weights. Passes run for a set time rather than a set count,
 * so that a small buffer's passes are not all taken in one busy moment of a shared machine.
 */
import { benchKernel } from './bench-wasm';

export interface ReadRate {
  readonly bytes: number;
  readonly passes: number;
  /** GB/s (1e9 bytes per second) of the median and of the fastest pass */
  readonly medianGBps: number;
  readonly bestGBps: number;
}

const PAGE_BYTES = 64 * 1024;

/**
 * Sums a `bytes`-byte buffer over and over for `ms` milliseconds (at least `minPasses` times) after
 * two warm-up passes: a cache that holds it stays warm, as a model's weights do between calls.
 */
export function readBandwidth(bytes: number, ms = 300, minPasses = 31): ReadRate {
  const exports = benchKernel('read-bandwidth.as.ts');
  const memory = exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
  const sumFloats = exports.sumFloats as (p: number, bytes: number) => number;
  const size = Math.ceil(bytes / 128) * 128;
  const base = PAGE_BYTES; // past the module's own data
  const need = base + size - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / PAGE_BYTES));
  new Float32Array(memory.buffer, base, size / 4).fill(0.5);
  for (let i = 0; i < 2; i++) sumFloats(base, size);
  const times: number[] = [];
  const until = performance.now() + ms;
  while (times.length < minPasses || performance.now() < until) {
    const started = performance.now();
    sumFloats(base, size);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const rate = (ms: number) => size / (ms * 1e6);
  return { bytes: size, passes: times.length, medianGBps: rate(times[times.length >> 1]), bestGBps: rate(times[0]) };
}
