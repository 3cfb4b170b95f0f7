/**
 * Focused comparison on named reference models (default: trees, kws) at batch 1 and 32: this
 * runtime (wasm kernels) vs onnxruntime-web (1 thread, SIMD) vs onnxruntime-node (1 thread),
 * measured in interleaved rounds. Optional per-node timing with --profile.
 *
 *   npx ts-node --transpile-only bench/kernels/reference.ts [--models trees,kws] [--rounds 40]
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { compareTimes, DEFAULT_TIMING } from '../lib/timing';
import { keywordSpottingModel, referenceModels, treeEnsembleModel, type ReferenceModel } from '../reference-models';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('--rounds') ?? 40);
const names = (arg('--models') ?? 'trees,kws').split(',');
const batches = (arg('--batches') ?? '1,32').split(',').map(Number);

function pick(name: string): ReferenceModel {
  if (name === 'trees') return treeEnsembleModel();
  if (name === 'kws') return keywordSpottingModel();
  const m = referenceModels().find((r) => r.name === name);
  if (!m) throw new Error(`unknown model ${name}`);
  return m;
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortNode = require('onnxruntime-node');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortWeb = require('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.simd = true;
  installWasmKernels();
  const rows: string[][] = [['model', 'batch', 'ours', 'ort-web', 'ort-node', 'vs web', 'vs node', 'max |diff|']];
  for (const model of names.map(pick)) {
    const graph = readArtifact(compileModel(model.onnx).artifact);
    const session = InferenceSession.create(graph, { kernels: allKernels });
    const web = await ortWeb.InferenceSession.create(model.onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const node = await ortNode.InferenceSession.create(model.onnx, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    for (const batch of batches) {
      const feeds = model.feeds(batch);
      const webFeeds: Record<string, unknown> = {};
      const nodeFeeds: Record<string, unknown> = {};
      for (const [k, t] of Object.entries(feeds)) {
        webFeeds[k] = new ortWeb.Tensor('float32', t.data, t.shape);
        nodeFeeds[k] = new ortNode.Tensor('float32', t.data, t.shape);
      }
      const [ours, w, n] = await compareTimes([() => session.run(feeds), () => web.run(webFeeds), () => node.run(nodeFeeds)], { ...DEFAULT_TIMING, rounds });
      const out = Object.values(session.run(feeds))[0].data as Float32Array;
      const ref = Object.values(await node.run(nodeFeeds))[0] as { data: Float32Array };
      let diff = 0;
      for (let i = 0; i < out.length; i++) diff = Math.max(diff, Math.abs(out[i] - ref.data[i]));
      rows.push([model.name, String(batch), ours.toFixed(4), w.toFixed(4), n.toFixed(4), `${(ours / w).toFixed(2)}x`, `${(ours / n).toFixed(2)}x`, diff.toExponential(1)]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('  '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
