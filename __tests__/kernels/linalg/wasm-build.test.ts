/**
 * worker/wasm/kernels.wasm is committed; rebuilding it from kernels.as.ts must give the same bytes.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KERNELS_WASM_PATH, loadKernelsModule } from '../../../lib/wasm-module';

const root = join(__dirname, '..', '..', '..');
/** Node's typings lack the WebAssembly reflection API; the runtime has it. */
const Wasm = (globalThis as unknown as {
  WebAssembly: { Module: { exports(m: unknown): { name: string }[]; imports(m: unknown): unknown[] } };
}).WebAssembly;
const BUILD_BUDGET_MS = 30_000;

describe('worker/wasm/kernels.wasm', () => {
  it('exports the kernels the runtime calls and imports nothing', () => {
    const module = loadKernelsModule();
    const exports = Wasm.Module.exports(module).map((e) => e.name).sort();
    expect(exports).toEqual(expect.arrayContaining(['convGroup', 'gemm', 'maxPool2x2', 'memory', 'packB']));
    expect(Wasm.Module.imports(module)).toEqual([]);
  });

  it('is reproducible: `node scripts/build-wasm.mjs` rebuilds identical bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kernels-wasm-'));
    try {
      const out = join(dir, 'kernels.wasm');
      const started = Date.now();
      execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
      const took = Date.now() - started;
      if (took > BUILD_BUDGET_MS) {
        console.warn(`kernels.wasm rebuild took ${took} ms (> ${BUILD_BUDGET_MS} ms): byte comparison skipped on this slow machine`);
        return;
      }
      const fresh = readFileSync(out);
      const committed = readFileSync(KERNELS_WASM_PATH);
      if (!fresh.equals(committed)) {
        throw new Error('worker/wasm/kernels.wasm is stale: run `node scripts/build-wasm.mjs` and commit the result');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
