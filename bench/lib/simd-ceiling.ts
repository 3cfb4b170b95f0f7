/**
 * Measures the WebAssembly SIMD arithmetic ceiling (bench/kernels/simd-ceiling.as.ts): compiles it
 * with the pinned AssemblyScript compiler and reports the best of several timed runs in GFLOP/s
 * (the best, as the ceiling is what the core can do when nothing else runs).
 */
import { benchKernel } from './bench-wasm';

const FLOPS_PER_STEP = 96;

export function simdCeilingGflops(runs = 15, stepsPerRun = 25_000_000): number {
  const multiplyAdd = benchKernel('simd-ceiling.as.ts').multiplyAdd as (steps: number, seed: number) => number;
  multiplyAdd(1_000_000, 1.5); // tier up
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    multiplyAdd(stepsPerRun, 1.5);
    const ms = performance.now() - started;
    best = Math.max(best, (stepsPerRun * FLOPS_PER_STEP) / (ms * 1e6));
  }
  return best;
}
