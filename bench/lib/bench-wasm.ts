/**
 * Compiles a bench-only AssemblyScript kernel (bench/kernels/*.as.ts) with the pinned compiler, as
 * scripts/build-wasm.mjs does for the shipped kernels, and instantiates it.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The parts of the WebAssembly API used here (the project's Node typings do not declare it). */
const Wasm = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: Record<string, unknown> } };
}).WebAssembly;

/** The exports of bench/kernels/<file>. */
export function benchKernel(file: string): Record<string, unknown> {
  const source = path.join(__dirname, '..', 'kernels', file);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-kernel-'));
  try {
    const out = path.join(dir, 'kernel.wasm');
    const asc = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
    execFileSync(process.execPath, [asc, source, '--outFile', out, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--use', 'abort='], { stdio: 'pipe' });
    return new Wasm.Instance(new Wasm.Module(readFileSync(out)), {}).exports;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
