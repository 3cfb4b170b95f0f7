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
import { markConstantTensors } from '../../worker/runtime/kernels/linalg/constants';
import { InferenceSession } from '../../worker/runtime/session';
import { Tensor } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { denseModel, lenetModel, type BenchModel } from './models';

const quick = process.argv.includes('--quick');

/**
 * Median ms per call of each engine, measured in interleaved rounds (every round runs each engine
 * once, in rotating order) so that load from other processes on a shared machine hits all alike.
 */
async function interleavedMedians(engines: ReadonlyArray<() => unknown>, batch: number): Promise<number[]> {
  const budgetMs = (quick ? 400 : 3000) * engines.length;
  for (let i = 0; i < (batch === 1 ? 200 : 20); i++) for (const run of engines) await run();
  const samples = engines.map(() => [] as number[]);
  const start = process.hrtime.bigint();
  for (let round = 0; round < 20 || (Number(process.hrtime.bigint() - start) / 1e6 < budgetMs && round < 20000); round++) {
    for (let j = 0; j < engines.length; j++) {
      const e = (round + j) % engines.length;
      const t = process.hrtime.bigint();
      await engines[e]();
      samples[e].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return samples.map((xs) => xs.sort((a, b) => a - b)[xs.length >> 1]);
}

function input(model: BenchModel, batch: number): Float32Array {
  const shape = model.inputShape(batch);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s >>> 8) / (1 << 24);
  }
  return data;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortNode = require('onnxruntime-node');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortWeb = require('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.simd = true;

  const rows: string[][] = [['model', 'batch', 'ours wasm', 'ours JS', 'ort-web', 'ort-node', 'vs web', 'vs node', 'max |diff|']];
  for (const model of [denseModel(), lenetModel()]) {
    const compiled = compileModel(model.onnx);
    const graph = readArtifact(compiled.artifact);
    markConstantTensors(graph.graph.initializers.values());
    const session = InferenceSession.create(graph);
    // executionProviders must name 'wasm': both packages share onnxruntime-common, where
    // onnxruntime-node's 'cpu' backend outranks onnxruntime-web's and would otherwise be chosen
    const webSession = await ortWeb.InferenceSession.create(model.onnx, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    if (webSession.handler?.constructor?.name === 'OnnxruntimeSessionHandler') throw new Error('ort-web session runs on onnxruntime-node');
    const nodeSession = await ortNode.InferenceSession.create(model.onnx, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    for (const batch of [1, 32]) {
      const shape = model.inputShape(batch);
      const data = input(model, batch);
      const feeds = { [model.inputName]: new Tensor('float32', shape, data) };
      const webFeeds = { [model.inputName]: new ortWeb.Tensor('float32', data, shape) };
      const nodeFeeds = { [model.inputName]: new ortNode.Tensor('float32', data, shape) };

      // JavaScript fallback first, on its own (it is an order of magnitude slower)
      useWasmKernels(null);
      const [oursJs] = await interleavedMedians([() => session.run(feeds)], batch);
      const jsOut = session.run(feeds).Y.data as Float32Array;
      installWasmKernels();
      const [oursWasm, web, nodeMs] = await interleavedMedians(
        [() => session.run(feeds), () => webSession.run(webFeeds), () => nodeSession.run(nodeFeeds)],
        batch,
      );
      const wasmOut = session.run(feeds).Y.data as Float32Array;
      const ref = (await nodeSession.run(nodeFeeds)).Y.data as Float32Array;
      rows.push([
        model.name, String(batch), oursWasm.toFixed(4), oursJs.toFixed(4), web.toFixed(4), nodeMs.toFixed(4),
        `${(oursWasm / web).toFixed(2)}x`, `${(oursWasm / nodeMs).toFixed(2)}x`,
        Math.max(maxDiff(wasmOut, ref), maxDiff(jsOut, ref)).toExponential(1),
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
