/**
 * Micro-benchmark of the linalg/conv kernels through the runtime (compileModel -> readArtifact ->
 * InferenceSession) against onnxruntime-web (WASM SIMD, 1 thread) and onnxruntime-node (1 thread),
 * on the dense net and the LeNet-like CNN at batch 1 and 32. Median per inference, after warm-up.
 *
 *   npx ts-node --transpile-only bench/kernels/index.ts [--quick]
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { compareTimes, DEFAULT_TIMING } from '../lib/timing';
import { maxAbsDiff } from '../lib/stats';
import { benchModelWithFeeds, denseModel, lenetModel } from './models';

const quick = process.argv.includes('--quick');

/** Interleaved median ms per call (bench/lib/timing.ts); --quick trades precision for time. */
function interleavedMedians(engines: ReadonlyArray<() => unknown>): Promise<number[]> {
  return compareTimes(engines, quick ? { warmupMs: 200, blockMs: 3, rounds: 10 } : { ...DEFAULT_TIMING, rounds: 60 });
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortNode = require('onnxruntime-node');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortWeb = require('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.simd = true;

  const rows: string[][] = [['model', 'batch', 'ours wasm', 'ours JS', 'ort-web', 'ort-node', 'vs web', 'vs node', 'max |diff|']];
  for (const [key, model] of [['dense', denseModel()], ['lenet', lenetModel()]] as const) {
    const compiled = compileModel(model.onnx);
    const graph = readArtifact(compiled.artifact);
    const session = InferenceSession.create(graph, { kernels: allKernels });
    // executionProviders must name 'wasm': both packages share onnxruntime-common, where
    // onnxruntime-node's 'cpu' backend outranks onnxruntime-web's and would otherwise be chosen
    const webSession = await ortWeb.InferenceSession.create(model.onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    if (webSession.handler?.constructor?.name === 'OnnxruntimeSessionHandler') throw new Error('ort-web session runs on onnxruntime-node');
    const nodeSession = await ortNode.InferenceSession.create(model.onnx, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    for (const batch of [1, 32]) {
      const { feeds } = benchModelWithFeeds(key, batch);
      const { shape, data } = feeds[model.inputName] as Tensor<'float32'>;
      const webFeeds = { [model.inputName]: new ortWeb.Tensor('float32', data, shape) };
      const nodeFeeds = { [model.inputName]: new ortNode.Tensor('float32', data, shape) };

      // JavaScript fallback first, on its own (it is an order of magnitude slower)
      useWasmKernels(null);
      const [oursJs] = await interleavedMedians([() => session.run(feeds)]);
      const jsOut = session.run(feeds).Y.data as Float32Array;
      installWasmKernels();
      const [oursWasm, web, nodeMs] = await interleavedMedians(
[() => session.run(feeds), () => webSession.run(webFeeds), () => nodeSession.run(nodeFeeds)]);
      const wasmOut = session.run(feeds).Y.data as Float32Array;
      const ref = (await nodeSession.run(nodeFeeds)).Y.data as Float32Array;
      rows.push([
        model.name, String(batch), oursWasm.toFixed(4), oursJs.toFixed(4), web.toFixed(4), nodeMs.toFixed(4),
        `${(oursWasm / web).toFixed(2)}x`, `${(oursWasm / nodeMs).toFixed(2)}x`,
        Math.max(maxAbsDiff(wasmOut, ref), maxAbsDiff(jsOut, ref)).toExponential(1),
      ]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('  '));
  console.log('times: median ms per inference; "vs" = ours (wasm) / theirs (<= 1 beats it)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
