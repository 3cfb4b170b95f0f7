/**
 * Per-op time of one reference model through the runtime (wasm kernels): wraps each kernel's run
 * with a timer, runs many inferences, prints the median ms per op per inference.
 *
 *   npx ts-node --transpile-only bench/kernels/profile.ts kws 32   (dense, lenet, trees or kws)
 */
import { compileModel } from '../../lib/model-compiler';
import { installWasmKernels } from '../../lib/wasm-module';
import { readArtifact } from '../../worker/runtime/artifact';
import { findKernel, allKernels } from '../../worker/runtime/kernels/registry';
import { InferenceSession } from '../../worker/runtime/session';
import { generatedModels } from '../reference-models';

const [name = 'kws', batchArg = '32', runsArg = '300'] = process.argv.slice(2);
const model = generatedModels().find((m) => m.name === name);
if (!model) throw new Error(`unknown model ${name}: use one of ${generatedModels().map((m) => m.name).join(', ')}`);
installWasmKernels();
const graph = readArtifact(compileModel(model.onnx).artifact);
const times = new Map<string, number[]>();
const current = new Map<string, number>();
for (const n of graph.graph.nodes) {
  const k = findKernel(n.domain, n.op) as { run: (...a: unknown[]) => unknown; __wrapped?: boolean } | undefined;
  if (!k || k.__wrapped) continue;
  const run = k.run;
  k.__wrapped = true;
  k.run = (...a: unknown[]) => {
    const t = process.hrtime.bigint();
    const out = run.apply(k, a);
    const key = `${n.op} ${n.name || n.outputs[0]}`;
    current.set(key, (current.get(key) ?? 0) + Number(process.hrtime.bigint() - t) / 1e6);
    return out;
  };
}
const session = InferenceSession.create(graph, { kernels: allKernels });
const feeds = model.feeds(Number(batchArg));
for (let i = 0; i < 50; i++) session.run(feeds);
current.clear();
const totals: number[] = [];
for (let i = 0; i < Number(runsArg); i++) {
  current.clear();
  const t = process.hrtime.bigint();
  session.run(feeds);
  totals.push(Number(process.hrtime.bigint() - t) / 1e6);
  for (const [k, v] of current) (times.get(k) ?? times.set(k, []).get(k)!).push(v);
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
console.log(`${name} b${batchArg}: total ${med(totals).toFixed(4)} ms`);
for (const [k, v] of times) console.log(`  ${k.padEnd(28)} ${med(v).toFixed(4)}`);
