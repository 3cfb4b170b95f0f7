/**
 * Runs one model through the runtime (wasm kernels) a given number of times, for counting
 * instructions with callgrind: counts do not depend on other load on the machine, so two kernel
 * builds compare reliably. The difference between two run counts (say 50 and 250) is the cost of
 * that many inferences without start-up and compilation. V8's --single-threaded --predictable make
 * the counts repeat to within a few thousand; --no-liftoff compiles wasm with TurboFan at once.
 * Bundle it first (valgrind runs plain JavaScript much faster than ts-node):
 *
 *   npx esbuild bench/kernels/instructions.ts --bundle --platform=node --outfile=/tmp/instructions.js
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
 *     node --no-liftoff --single-threaded --predictable /tmp/instructions.js \
 *     --model dense --batch 32 --runs 250 --wasm worker/wasm/kernels.wasm
 *
 * Models: dense, lenet (bench/kernels/models.ts), kws (bench/reference-models.ts), the example models
 * (models/<name>, digits-large among them). Prints a checksum
 * of the last output so that two builds can also be checked for bitwise-equal results.
 */
import { resolve } from 'path';
import { compileModel } from '../../lib/model-compiler';
import { loadKernelsModule } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';
import { useWasmKernels } from '../../worker/runtime/wasm';
import { benchModelWithFeeds } from './models';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const modelName = arg('--model', 'dense');
const batch = Number(arg('--batch', '32'));
const runs = Number(arg('--runs', '100'));
const wasmPath = arg('--wasm', 'worker/wasm/kernels.wasm');

useWasmKernels(loadKernelsModule(resolve(wasmPath)));
const { onnx, feeds } = benchModelWithFeeds(modelName, batch);
const graph = readArtifact(compileModel(onnx).artifact);
const session = InferenceSession.create(graph, { kernels: allKernels });
let out: Record<string, Tensor> = {};
for (let i = 0; i < runs; i++) out = session.run(feeds);
let hash = 0x811c9dc5;
for (const t of Object.values(out)) {
  const bytes = new Uint8Array((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, (t.data as Float32Array).byteLength);
  for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
}
console.log(`${modelName} b${batch} x${runs}: output fnv1a ${hash.toString(16)}`);
