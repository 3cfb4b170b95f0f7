/**
 * Cost of the first GEMM against a constant weight (which packs it into WebAssembly memory) per MB
 * of weights, against the same call once packed. Layers 1024x1024 (4 MB) stored [out, in] as
 * PyTorch exports them (transB), batch 1, each run in a fresh kernels instance.
 *
 *   npx ts-node --transpile-only bench/kernels/packing.ts [layers=4] [times=15]
 */
import { installWasmKernels } from '../../lib/wasm-module';
import { gemm, PackedWeights } from '../../worker/runtime/kernels/linalg/gemm';
import { median } from '../lib/stats';

const layers = Number(process.argv[2] ?? 4);
const times = Number(process.argv[3] ?? 15);
const width = 1024;


const weights = Array.from({ length: layers }, (_, l) => {
  const w = new Float32Array(width * width);
  for (let i = 0; i < w.length; i++) w[i] = ((i * 7 + l) % 13) / 13 - 0.5;
  return w;
});
/** one PackedWeights per layer, as a node's plan keeps it (it packs again for a new kernels instance) */
const packs = weights.map(() => new PackedWeights());
const x = new Float32Array(width).fill(0.25);
const y = new Float32Array(width);

function runAll(): void {
  weights.forEach((w, l) => gemm(1, width, width, x, 0, w, 0, y, 0, { transB: true, weights: packs[l] }));
}

const firsts: number[] = [];
const seconds: number[] = [];
for (let t = 0; t < times; t++) {
  installWasmKernels(); // a fresh instance: empty packed-weight cache, initial memory
  let s = performance.now();
  runAll();
  firsts.push(performance.now() - s);
  s = performance.now();
  runAll();
  seconds.push(performance.now() - s);
}
const mb = (layers * width * width * 4) / (1 << 20);
const first = median(firsts);
const steady = median(seconds);
console.log(`${layers} layers ${width}x${width} (${mb} MB): first ${first.toFixed(2)} ms (min ${Math.min(...firsts).toFixed(2)}), packed ${steady.toFixed(2)} ms`);
console.log(`packing ${((first - steady) / mb).toFixed(3)} ms/MB (median first - median packed)`);
