/**
 * Synthesis time for 1, 10 and 50 models: in-process `app.synth()` of a ModelEdgeStack over
 * generated model folders (tiny models, real compiler and bundler). Not a test; prints a table.
 *
 *   npx ts-node --transpile-only bench/synth.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { tinyOnnxBytes } from '../__tests__/construct/fixtures/tiny-model';
import { ModelEdgeStack } from '../lib/stack';
import { workerBundle } from '../lib/worker-bundle';

function modelsFolder(count: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `model-edge-bench-${count}-`));
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `model${String(i).padStart(3, '0')}`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'model.onnx'), tinyOnnxBytes(i + 1));
    writeFileSync(path.join(folder, 'deployment.json'), JSON.stringify({ routes: [`api.{zone}/models/model${i}/*`] }));
  }
  return dir;
}

function synthOnce(modelsDir: string): number {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-bench-out-'));
  const start = process.hrtime.bigint();
  const app = new App({ outdir, skipValidation: false });
  new ModelEdgeStack(app, 'model-edge', { modelsDir, env: { CLOUDFLARE_ZONE_NAME: 'example.com' } });
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  rmSync(outdir, { recursive: true, force: true });
  return ms;
}

const t0 = process.hrtime.bigint();
workerBundle();
console.log(`esbuild Worker bundle (once per process): ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
console.log('| models | first synth (compiles) | median of 5 repeats (cached artifacts) |');
console.log('|---|---|---|');
for (const count of [1, 10, 50]) {
  const dir = modelsFolder(count);
  const first = synthOnce(dir);
  const repeats = Array.from({ length: 5 }, () => synthOnce(dir)).sort((a, b) => a - b);
  console.log(`| ${count} | ${first.toFixed(0)} ms | ${repeats[2].toFixed(0)} ms |`);
  rmSync(dir, { recursive: true, force: true });
}
