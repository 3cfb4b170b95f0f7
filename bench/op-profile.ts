/**
 * Where one model's inference time goes, by operator type: runs the model through our session with
 * the WebAssembly kernels and a timing meter, and prints milliseconds per op type (and the slowest
 * nodes, with their shapes and GFLOP/s) per call.
 *
 *   npx ts-node --transpile-only bench/op-profile.ts encoder|mobilenet|audio|<file.onnx> [--batch N] [--runs N]
 */
import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { compileModel } from '../lib/model-compiler';
import { installWasmKernels } from '../lib/wasm-module';
import { readArtifact } from '../worker/runtime/artifact';
import type { Node } from '../worker/runtime/graph';
import type { RunMeter } from '../worker/runtime/run-meter';
import { InferenceSession } from '../worker/runtime/session';
import { allKernels } from '../worker/runtime/kernels/registry';
import { Tensor } from '../worker/runtime/tensor';
import { largeModels } from './large-models';
import { multiplyAddFlops } from './lib/model-flops';
import { referenceModels } from './reference-models';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { batch: { type: 'string' }, runs: { type: 'string' }, top: { type: 'string' } } });
const which = positionals[0] ?? 'encoder';
const batch = Number(values.batch ?? 1);
const runs = Number(values.runs ?? 5);

const known = [...largeModels(), ...referenceModels()].find((m) => m.name === which);
const onnx = known ? known.onnx : new Uint8Array(readFileSync(which));
installWasmKernels();
const session = InferenceSession.create(readArtifact(compileModel(onnx).artifact), { kernels: allKernels });
const feeds: Record<string, Tensor> = known
  ? known.feeds(batch)
  : Object.fromEntries(session.inputs.map((i) => {
      const shape = (i.shape ?? [batch]).map((d) => (typeof d === 'number' ? d : batch));
      const n = shape.reduce((a, b) => a * b, 1);
      return [i.name, new Tensor('float32', shape, Float32Array.from({ length: n }, (_, k) => Math.sin(k)))];
    }));

const byType = new Map<string, number>();
const byNode = new Map<Node, number>();
const shapes = new Map<Node, string>();
const flops = new Map<Node, number>();
let started = 0;
const meter: RunMeter = {
  beforeNode() { started = performance.now(); },
  afterNode(node, inputs, outputs) {
    const t = performance.now() - started;
    byType.set(node.op, (byType.get(node.op) ?? 0) + t);
    byNode.set(node, (byNode.get(node) ?? 0) + t);
    if (!shapes.has(node)) {
      shapes.set(node, `${inputs.map((x) => (x ? `[${x.shape.join(',')}]` : '-')).join(' ')} -> ${outputs.map((y) => `[${y.shape.join(',')}]`).join(' ')}`);
      flops.set(node, multiplyAddFlops(node.op, inputs, outputs));
    }
  },
  allocate() {},
  allocated() {},
  enterSubgraph() {},
  leaveSubgraph() {},
};
for (let i = 0; i < 2; i++) session.run(feeds);
const timed = InferenceSession.create(readArtifact(compileModel(onnx).artifact), { kernels: allKernels, meter });
for (let i = 0; i < 2; i++) timed.run(feeds);
byType.clear();
byNode.clear();
const t0 = performance.now();
for (let i = 0; i < runs; i++) timed.run(feeds);
const total = (performance.now() - t0) / runs;
const sumOps = [...byType.values()].reduce((a, b) => a + b, 0) / runs;
console.log(`${which} batch ${batch}: ${total.toFixed(2)} ms per call (${sumOps.toFixed(2)} ms inside kernels)`);
for (const [op, t] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`  ${op.padEnd(24)} ${(t / runs).toFixed(3).padStart(9)} ms  ${((100 * t) / runs / sumOps).toFixed(1).padStart(5)}%`);
console.log('slowest nodes:');
for (const [n, t] of [...byNode].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top ?? 12))) {
  const f = flops.get(n) ?? 0;
  const rate = f > 0 ? `${(f / (t / runs) / 1e6).toFixed(1).padStart(5)} GFLOP/s` : ''.padStart(13);
  console.log(`  ${(n.name || n.outputs[0]).padEnd(24)} ${n.op.padEnd(14)} ${(t / runs).toFixed(3)} ms ${rate}  ${shapes.get(n)}`);
}

