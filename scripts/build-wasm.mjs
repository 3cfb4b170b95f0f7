#!/usr/bin/env node
// Rebuilds worker/wasm/kernels.wasm from worker/wasm/kernels.as.ts (the entry, which re-exports the
// kernel families from worker/wasm/*.as.ts) with the pinned AssemblyScript compiler. The output is
// deterministic: the same sources and compiler version give the same bytes (a test checks that the
// committed file matches a fresh build).
//
//   node scripts/build-wasm.mjs              write worker/wasm/kernels.wasm
//   node scripts/build-wasm.mjs --out FILE   write elsewhere (used by the reproducibility test)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'worker/wasm/kernels.wasm');

const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin/asc.js');

execFileSync(
  process.execPath,
  [
    asc,
    'worker/wasm/kernels.as.ts',
    '--outFile', out,
    '-O3',
    '--runtime', 'stub',
    '--noAssert',
    '--enable', 'simd',
    '--use', 'abort=',
    '--initialMemory', '2',
  ],
  { cwd: root, stdio: 'inherit' },
);
console.log(`wrote ${out}`);
