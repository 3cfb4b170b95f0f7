/**
 * The larger reference models (bench/large-models.ts) through the three engines, as the inference
 * part does for the small ones, with the arithmetic rate each reaches. The machine's one-core
 * peak is stated as the GEMM rate of a square 512 MatMul in each engine (onnxruntime-node's is the
 * native AVX2 figure, onnxruntime-web's the 128-bit WebAssembly SIMD one). Few timed calls per
 * model: one call of the encoder at batch 8 takes seconds.
 */
import { TARGET_VS_NODE, TARGET_VS_WEB, measureGemmPeak, measureModel, type GemmPeak, type InferenceRow } from './inference';
import { largeModels, type LargeModel } from './large-models';
import type { BenchPart, PartResult, TargetCheck } from './lib/report';
import { simdCeilingGflops } from './lib/simd-ceiling';
import { met, ms, ratio, type Table } from './lib/table';
import type { TimingOptions } from './lib/timing';

/** Three warm-up calls (calibration), then one call per block over nine interleaved rounds: a median of five moved by 10-30% between runs on a busy host. */
export const LARGE_TIMING: TimingOptions = { warmupMs: 0, blockMs: 0, rounds: 9 };

const gflops = (flops: number, msPerCall: number): number => flops / (msPerCall * 1e6);
const rate = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

interface LargeRow extends InferenceRow {
  readonly flops: number;
}

export interface LargeResult {
  readonly rows: readonly LargeRow[];
  /** GFLOP/s of the GEMM probe per engine */
  readonly peak: GemmPeak;
  /** GFLOP/s of register-only f32x4 multiply-adds: what 128-bit WebAssembly SIMD can do here */
  readonly simdCeiling: number;
  readonly models: readonly LargeModel[];
}

export async function runLargeInference(log: (l: string) => void): Promise<LargeResult> {
  const peak = await measureGemmPeak(log);
  const simdCeiling = simdCeilingGflops();
  log(`  WebAssembly SIMD ceiling (register-only f32x4 multiply-adds): ${rate(simdCeiling)} GFLOP/s`);
  const models = largeModels();
  const rows: LargeRow[] = [];
  for (const model of models) {
    log(`  ${model.name}: ${(model.parameters / 1e6).toFixed(1)}M parameters, ${(model.flopsPerItem / 1e9).toFixed(2)} GFLOP per item, ${(model.onnx.length / 1e6).toFixed(1)} MB`);
    for (const row of await measureModel(model, LARGE_TIMING, log, model.batches)) rows.push({ ...row, flops: model.flopsPerItem * row.batch });
  }
  return { rows, peak, simdCeiling, models };
}

export function largeModelsTable(models: readonly LargeModel[]): Table {
  return {
    title: 'Larger reference models',
    headers: ['model', 'parameters', 'GFLOP per item', 'ONNX size', 'what'],
    rows: models.map((m) => [m.name, `${(m.parameters / 1e6).toFixed(2)}M`, (m.flopsPerItem / 1e9).toFixed(3), `${(m.onnx.length / 1e6).toFixed(1)} MB`, m.description]),
    notes: ['Generated at bench time by bench/large-models.ts with seeded weights; FLOPs are 2 x the multiply-adds of MatMul, Gemm and Conv.'],
  };
}

export function largeInferenceTable({ rows, peak, simdCeiling }: LargeResult): Table {
  return {
    title: 'Per-inference median time, larger models (one thread)',
    headers: ['model', 'batch', 'ours', 'ort-web', 'ort-node', 'ours / ort-web', 'ours / ort-node', 'GFLOP/s ours', 'ort-web', 'ort-node', 'ours / GEMM peak (ours)', 'max abs diff vs ort-node', `≤ ${TARGET_VS_WEB}x ort-web`, `≤ ${TARGET_VS_NODE}x ort-node`],
    rows: rows.map((r) => [
      r.model, String(r.batch), ms(r.ours), ms(r.web), ms(r.node), ratio(r.ours / r.web), ratio(r.ours / r.node),
      rate(gflops(r.flops, r.ours)), rate(gflops(r.flops, r.web)), rate(gflops(r.flops, r.node)),
      `${((gflops(r.flops, r.ours) / peak.ours) * 100).toFixed(0)}%`,
      (Number.isFinite(r.diffOurs) ? r.diffOurs.toExponential(1) : 'n/a') + (r.agrees ? '' : ' (MISMATCH)'),
      met(Number.isFinite(r.web) && Number.isFinite(r.ours) ? r.agrees && r.ours <= TARGET_VS_WEB * r.web : undefined),
      met(Number.isFinite(r.ours) ? r.agrees && r.ours <= TARGET_VS_NODE * r.node : undefined),
    ]),
    notes: [
      `One-core GEMM peak measured here (MatMul 512x512x512): ours ${rate(peak.ours)} GFLOP/s (WebAssembly SIMD), ort-web ${rate(peak.web)} GFLOP/s`,
      `(WebAssembly SIMD), ort-node ${rate(peak.node)} GFLOP/s (native); ort-node's figure stands for the machine's practical one-core peak`,
      `and ${ratio(peak.node / peak.web)} of ort-web's is the native-vs-128-bit-SIMD gap on this CPU. Ours' own GEMM is ${ratio(peak.node / peak.ours)} slower than`,
      `ort-node's, the floor for GEMM-bound models against ort-node with these kernels.`,
      `The arithmetic ceiling of 128-bit WebAssembly SIMD here (bench/kernels/simd-ceiling.as.ts: f32x4 multiply then add on registers,`,
      `no loads, twelve independent chains; best of 15 runs) is ${rate(simdCeiling)} GFLOP/s: ours' GEMM reaches ${((peak.ours / simdCeiling) * 100).toFixed(0)}% of it, and`,
      `ort-node's native GEMM (AVX2 with fused multiply-add, 8 lanes) runs ${ratio(peak.node / simdCeiling)} faster than any 128-bit WebAssembly code can here.`,
      `Engines as in the inference part; outputs checked against ort-node before timing; median of ${LARGE_TIMING.rounds} interleaved calls after 3 warm-up calls each.`,
      ...[...new Set(rows.flatMap((r) => r.notes.map((n) => `- ${r.model} (batch ${r.batch}): ${n}`)))],
    ],
  };
}

/** What the products alone of a row that misses the ort-web target take at the 128-bit SIMD ceiling, against ort-web's time. */
function arithmeticFloorText(r: LargeRow, simdCeiling: number): string {
  const floorMs = r.flops / (simdCeiling * 1e6);
  return `; ${r.model}/${r.batch}: its ${(r.flops / 1e9).toFixed(2)} GFLOP of matrix products alone take ${ms(floorMs)} at the 128-bit SIMD ceiling, ${ratio(floorMs / r.web)} of ort-web's ${ms(r.web)}, before any other op (ours runs ${ratio(r.ours / floorMs)} that floor)`;
}

export function largeTargets({ rows, peak, simdCeiling }: LargeResult): TargetCheck[] {
  const worst = (f: (r: LargeRow) => number) => rows.reduce((w, r) => (f(r) > w.v ? { v: f(r), at: `${r.model}/${r.batch}` } : w), { v: 0, at: '' });
  const web = worst((r) => r.ours / r.web);
  const node = worst((r) => r.ours / r.node);
  const agree = rows.every((r) => r.agrees);
  const missedWeb = rows.filter((r) => !(r.ours <= TARGET_VS_WEB * r.web));
  return [
    {
      target: `larger models: inference ≤ ${TARGET_VS_WEB}x ort-web`,
      measured: `worst ours/ort-web ${ratio(web.v)} (${web.at})${agree ? '' : '; outputs disagree'}${missedWeb.map((r) => arithmeticFloorText(r, simdCeiling)).join('')}`,
      met: agree && web.v <= TARGET_VS_WEB,
    },
    {
      target: `larger models: inference ≤ ${TARGET_VS_NODE}x ort-node`,
      measured: `worst ours/ort-node ${ratio(node.v)} (${node.at}); floor: ours' GEMM ${rate(peak.ours)} vs ort-node ${rate(peak.node)} GFLOP/s (${ratio(peak.node / peak.ours)}); 128-bit WebAssembly SIMD ceiling ${rate(simdCeiling)} GFLOP/s (${ratio(peak.node / simdCeiling)} below ort-node)`,
      met: agree && node.v <= TARGET_VS_NODE,
    },
  ];
}

export const largeInferencePart: BenchPart = {
  name: 'large',
  title: 'Inference, larger models',
  async run(log): Promise<PartResult> {
    const result = await runLargeInference(log);
    return { tables: [largeModelsTable(result.models), largeInferenceTable(result)], targets: largeTargets(result) };
  },
};
