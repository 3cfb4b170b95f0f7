/**
 * Wall-clock A/B of two or more builds of worker/wasm/kernels.wasm on one model, with
 * onnxruntime-node (1 thread) alongside as the yardstick. Rounds are interleaved: every round
 * installs each build in turn (rotating order), warms it up and times a block of inferences, so
 * load from other processes on a shared machine hits all builds alike. Prints the median block
 * time per build and its ratio to onnxruntime-node.
 *
 *   npx ts-node --transpile-only bench/kernels/compare-builds.ts --wasm /tmp/old.wasm,worker/wasm/kernels.wasm \
 *     [--model dense|lenet|kws|digits-large] [--batch 32] [--rounds 40] [--block 40]
 */
import { resolve } from 'path';
import { compileModel } from '../../lib/model-compiler';
import { loadKernelsModule } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { median } from '../lib/stats';
import { benchModelWithFeeds } from './models';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const builds = arg('--wasm', 'worker/wasm/kernels.wasm').split(',');
const modelName = arg('--model', 'dense');
const batch = Number(arg('--batch', '32'));
const rounds = Number(arg('--rounds', '40'));
const block = Number(arg('--block', String(batch === 1 ? 400 : 40)));


async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ortNode = require('onnxruntime-node');
  const { onnx, feeds } = benchModelWithFeeds(modelName, batch);
  const graph = readArtifact(compileModel(onnx).artifact);
  const session = InferenceSession.create(graph, { kernels: allKernels });
  const nodeSession = await ortNode.InferenceSession.create(onnx, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const [inputName, input] = Object.entries(feeds)[0];
  const nodeFeeds = { [inputName]: new ortNode.Tensor('float32', input.data as Float32Array, input.shape) };
  const modules = builds.map((path) => loadKernelsModule(resolve(path)));

  const engines: Array<{ name: string; prepare: () => void; run: () => unknown }> = [
    ...modules.map((module, i) => ({ name: builds[i], prepare: () => useWasmKernels(module), run: () => session.run(feeds) })),
    { name: 'onnxruntime-node', prepare: () => undefined, run: () => nodeSession.run(nodeFeeds) },
  ];
  const samples = engines.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < engines.length; j++) {
      const e = (round + j) % engines.length;
      const engine = engines[e];
      engine.prepare();
      for (let i = 0; i < Math.max(5, block >> 2); i++) await engine.run();
      const t = process.hrtime.bigint();
      for (let i = 0; i < block; i++) await engine.run();
      samples[e].push(Number(process.hrtime.bigint() - t) / 1e6 / block);
    }
  }
  const ort = median(samples[engines.length - 1]);
  console.log(`${modelName} b${batch}: median ms per inference over ${rounds} interleaved rounds of ${block}`);
  engines.forEach((engine, e) => {
    const ms = median(samples[e]);
    console.log(`  ${engine.name.padEnd(40)} ${ms.toFixed(4)} ms  ${(ms / ort).toFixed(2)}x onnxruntime-node`);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
