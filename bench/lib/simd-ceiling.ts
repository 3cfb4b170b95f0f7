/**
 * Measures the WebAssembly SIMD arithmetic ceiling (bench/kernels/simd-ceiling.as.ts): compiles it
 * with the pinned AssemblyScript compiler into a temporary file and reports the best of several
 * timed runs in GFLOP/s (the best, as the ceiling is what the core can do when nothing else runs).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

const SOURCE = path.join(__dirname, '..', 'kernels', 'simd-ceiling.as.ts');
const FLOPS_PER_STEP = 96;

/** The parts of the WebAssembly API used here (the project's Node typings do not declare it). */
const Wasm = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: Record<string, unknown> } };
}).WebAssembly;

export function simdCeilingGflops(runs = 15, stepsPerRun = 25_000_000): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'simd-ceiling-'));
  try {
    const out = path.join(dir, 'ceiling.wasm');
    const asc = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
    execFileSync(process.execPath, [asc, SOURCE, '--outFile', out, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--use', 'abort='], { stdio: 'pipe' });
    const instance = new Wasm.Instance(new Wasm.Module(readFileSync(out)), {});
    const multiplyAdd = instance.exports.multiplyAdd as (steps: number, seed: number) => number;
    multiplyAdd(1_000_000, 1.5); // tier up
    let best = 0;
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      multiplyAdd(stepsPerRun, 1.5);
      const ms = performance.now() - started;
      best = Math.max(best, (stepsPerRun * FLOPS_PER_STEP) / (ms * 1e6));
    }
    return best;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
