/**
 * Per-inference median time of this runtime vs onnxruntime-web (WASM SIMD, one thread) vs
 * onnxruntime-node (native, one thread) on the reference models, batch 1 and 32. Outputs are
 * checked against onnxruntime-node before timing; the three engines are timed in interleaved rounds.
 * Models with megabytes of weights also get their batch-1 memory floor (bench/read-floor.ts).
 */
import { ortNodeEngine, ortWebEngine, ours, outputsDiff, type Canonical, type Engine, type LoadedModel } from './lib/engines';
import type { BenchPart, PartResult, TargetCheck } from './lib/report';
import { met, ms, ratio, type Table } from './lib/table';
import { cachedRowNotes, measureCachedRows, type CachedRow } from './cache-resident';
import { arithmeticFloorNotes, arithmeticFloorTargetText, measureArithmeticFloors, type ArithmeticFloor } from './arithmetic-floor';
import { measureReadFloors, readFloorNotes, readFloorTargetText, type ReadFloor } from './read-floor';
import { compareTimes, DEFAULT_TIMING, type TimingOptions } from './lib/timing';
import { referenceModels, type ReferenceModel } from './reference-models';
import { gemmProbeModel } from './large-models';

export const BATCHES = [1, 32];
/** The targets per inference: at most this many times onnxruntime-web's and onnxruntime-node's time. */
export const TARGET_VS_WEB = 0.6;
export const TARGET_VS_NODE = 2;

export interface InferenceRow {
  readonly model: string;
  readonly batch: number;
  /** median ms per inference, NaN when the engine could not run the model */
  readonly ours: number;
  readonly web: number;
  readonly node: number;
  /** max |ours - ort-node| and |ort-web - ort-node| over the outputs both give */
  readonly diffOurs: number;
  readonly diffWeb: number;
  /** ours agrees with ort-node within the model's tolerance */
  readonly agrees: boolean;
  readonly notes: readonly string[];
}

type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string };

async function attempt<T>(f: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0].slice(0, 120) };
  }
}

/** Rows of one model at each batch size: the three engines' outputs checked against ort-node, then timed. */
export async function measureModel(model: ReferenceModel, timing: TimingOptions, log: (l: string) => void, batches: readonly number[] = BATCHES): Promise<InferenceRow[]> {
  const engines: Engine[] = [ours, ortWebEngine(), ortNodeEngine()];
  const loaded: Attempt<LoadedModel>[] = [];
  for (const e of engines) loaded.push(await attempt(() => e.load(model.onnx)));
  const rows: InferenceRow[] = [];
  for (const batch of batches) {
    const feeds = model.feeds(batch);
    const notes: string[] = [];
    const results: Attempt<Record<string, Canonical>>[] = [];
    const bound = loaded.map((l) => (l.ok ? l.value.bind(feeds) : undefined));
    for (let i = 0; i < engines.length; i++) {
      const l = loaded[i];
      const b = bound[i];
      results.push(l.ok && b ? await attempt(() => b.result()) : { ok: false, reason: l.ok ? 'not bound' : l.reason });
      const r = results[i];
      if (!r.ok) notes.push(`${engines[i].name}: ${r.reason}`);
      else if (l.ok && l.value.note) notes.push(l.value.note);
    }
    const [oursR, webR, nodeR] = results;
    if (!nodeR.ok) throw new Error(`${model.name}: onnxruntime-node, the reference, cannot run it: ${nodeR.reason}`);
    let diffOurs = NaN;
    let diffWeb = NaN;
    let agrees = false;
    if (oursR.ok) {
      const d = outputsDiff(oursR.value, nodeR.value);
      diffOurs = d.maxAbs;
      agrees = d.problems.length === 0 && d.maxAbs <= model.tolerance;
      if (!agrees) notes.push(`ours DISAGREES with ort-node: ${d.problems.join('; ') || `max abs diff ${d.maxAbs} > ${model.tolerance}`}`);
    }
    if (webR.ok) {
      const d = outputsDiff(webR.value, nodeR.value);
      diffWeb = d.maxAbs;
      if (d.problems.length) notes.push(`ort-web differs from ort-node: ${d.problems.join('; ')}`);
    }
    const runnable = results.map((r, i) => (r.ok ? bound[i] : undefined));
    const fns = runnable.filter((b) => b !== undefined).map((b) => b!.run);
    const times = await compareTimes(fns, timing);
    const timeOf = (i: number) => (runnable[i] ? times[runnable.slice(0, i).filter(Boolean).length] : NaN);
    const row: InferenceRow = { model: model.name, batch, ours: timeOf(0), web: timeOf(1), node: timeOf(2), diffOurs, diffWeb, agrees, notes };
    log(`  ${model.name} batch ${batch}: ours ${ms(row.ours)}, ort-web ${ms(row.web)}, ort-node ${ms(row.node)}${notes.length ? ` (${notes.join('; ')})` : ''}`);
    rows.push(row);
  }
  for (const l of loaded) if (l.ok) await l.value.release();
  return rows;
}

function diffText(d: number): string {
  return Number.isFinite(d) ? d.toExponential(1) : 'n/a';
}

/** Each distinct note once, with the batches it applies to. */
function groupedNotes(rows: readonly InferenceRow[]): string[] {
  const where = new Map<string, string[]>();
  for (const r of rows) for (const n of r.notes) where.set(`${r.model}: ${n}`, [...(where.get(`${r.model}: ${n}`) ?? []), String(r.batch)]);
  return [...where].map(([note, batches]) => {
    const [model, ...rest] = note.split(': ');
    return `- ${model} (batch ${batches.join(', ')}): ${rest.join(': ')}`;
  });
}

export function inferenceTable(rows: readonly InferenceRow[], floors: readonly ReadFloor[] = [], arithmetic: readonly ArithmeticFloor[] = [], cached: readonly CachedRow[] = []): Table {
  return {
    title: 'Per-inference median time (one thread)',
    headers: ['model', 'batch', 'ours', 'ort-web', 'ort-node', 'ours / ort-web', 'ours / ort-node', 'max abs diff ours vs ort-node', `≤ ${TARGET_VS_WEB}x ort-web`, `≤ ${TARGET_VS_NODE}x ort-node`],
    rows: rows.map((r) => [
      r.model, String(r.batch), ms(r.ours), ms(r.web), ms(r.node), ratio(r.ours / r.web), ratio(r.ours / r.node), diffText(r.diffOurs) + (r.agrees ? '' : ' (MISMATCH)'),
      met(Number.isFinite(r.web) && Number.isFinite(r.ours) ? r.agrees && r.ours <= TARGET_VS_WEB * r.web : undefined),
      met(Number.isFinite(r.ours) ? r.agrees && r.ours <= TARGET_VS_NODE * r.node : undefined),
    ]),
    notes: [
      'ours: compileModel -> readArtifact -> InferenceSession with the WebAssembly kernels installed. ort-web: onnxruntime-web',
      '(WASM SIMD, numThreads 1) in Node. ort-node: onnxruntime-node (CPU, intra-op 1, inter-op 1). Median per-call time over',
      `${DEFAULT_TIMING.rounds}-round interleaved blocks after warm-up; outputs checked against ort-node before timing.`,
      ...groupedNotes(rows),
      ...readFloorNotes(floors, rows, TARGET_VS_WEB),
      ...arithmeticFloorNotes(arithmetic, floors, rows, TARGET_VS_WEB),
      ...cachedRowNotes(cached),
    ],
  };
}

/** GFLOP/s of each engine's GEMM on a square 512 MatMul: the machine's one-core peak per engine. */
export interface GemmPeak {
  readonly ours: number;
  readonly web: number;
  readonly node: number;
}

const PROBE_TIMING: TimingOptions = { warmupMs: 200, blockMs: 20, rounds: 5 };
let gemmPeakCache: Promise<GemmPeak> | undefined;

/** The GEMM probe through the three engines, measured once per run and shared by the parts that state it. */
export function measureGemmPeak(log: (l: string) => void): Promise<GemmPeak> {
  gemmPeakCache ??= (async () => {
    const probe = gemmProbeModel();
    const [p] = await measureModel(probe, PROBE_TIMING, log, probe.batches);
    const flops = probe.flopsPerItem * probe.batches[0];
    const peak = { ours: flops / (p.ours * 1e6), web: flops / (p.web * 1e6), node: flops / (p.node * 1e6) };
    log(`  GEMM ${probe.description}: ours ${peak.ours.toFixed(1)}, ort-web ${peak.web.toFixed(1)}, ort-node ${peak.node.toFixed(1)} GFLOP/s`);
    return peak;
  })();
  return gemmPeakCache;
}

/** What bounds the rows that miss the ort-node target: ours' GEMM against ort-node's native one. */
function nodeFloorText(peak: GemmPeak | undefined): string {
  if (!peak) return '';
  return `; floor: the missed rows are batch-32 matrix products, and ours' GEMM runs ${peak.ours.toFixed(1)} GFLOP/s against ort-node's ${peak.node.toFixed(1)} (${ratio(peak.node / peak.ours)} slower; 128-bit WebAssembly SIMD against native AVX2 with fused multiply-add, see the larger models' notes)`;
}

export function inferenceTargets(rows: readonly InferenceRow[], floors: readonly ReadFloor[] = [], arithmetic: readonly ArithmeticFloor[] = [], peak?: GemmPeak): TargetCheck[] {
  const withWeb = rows.filter((r) => Number.isFinite(r.web));
  const worstWeb = withWeb.reduce((w, r) => Math.max(w, r.ours / r.web), 0);
  const worstNode = rows.reduce((w, r) => Math.max(w, r.ours / r.node), 0);
  const missWeb = withWeb.filter((r) => !(r.ours <= TARGET_VS_WEB * r.web) || !r.agrees).map((r) => `${r.model}/${r.batch}`);
  const missNode = rows.filter((r) => !(r.ours <= TARGET_VS_NODE * r.node) || !r.agrees).map((r) => `${r.model}/${r.batch}`);
  const noWeb = rows.filter((r) => !Number.isFinite(r.web)).map((r) => `${r.model}/${r.batch}`);
  return [
    {
      target: `inference ≤ ${TARGET_VS_WEB}x ort-web on every reference model, batch 1 and 32`,
      measured: `worst ours/ort-web ${ratio(worstWeb)}${missWeb.length ? `; missed on ${missWeb.join(', ')}` : ''}${noWeb.length ? `; ort-web n/a on ${noWeb.join(', ')}` : ''}${readFloorTargetText(floors, rows, TARGET_VS_WEB)}${arithmeticFloorTargetText(arithmetic, floors, rows, TARGET_VS_WEB)}`,
      met: withWeb.length ? missWeb.length === 0 : undefined,
    },
    {
      target: `inference ≤ ${TARGET_VS_NODE}x ort-node`,
      measured: `worst ours/ort-node ${ratio(worstNode)}${missNode.length ? `; missed on ${missNode.join(', ')}${nodeFloorText(peak)}` : ''}`,
      met: rows.length ? missNode.length === 0 : undefined,
    },
  ];
}

export async function runInference(log: (l: string) => void, timing: TimingOptions = DEFAULT_TIMING, models = referenceModels()): Promise<InferenceRow[]> {
  const rows: InferenceRow[] = [];
  for (const model of models) rows.push(...(await measureModel(model, timing, log)));
  return rows;
}

export const inferencePart: BenchPart = {
  name: 'inference',
  title: 'Inference',
  async run(log): Promise<PartResult> {
    const models = referenceModels();
    const rows = await runInference(log, DEFAULT_TIMING, models);
    const floors = measureReadFloors(models, log);
    const arithmetic = measureArithmeticFloors(models, log);
    const cached = await measureCachedRows(models, floors, BATCHES, log);
    const missesNode = rows.some((r) => !(r.ours <= TARGET_VS_NODE * r.node));
    const peak = missesNode ? await measureGemmPeak(log) : undefined;
    return { tables: [inferenceTable(rows, floors, arithmetic, cached)], targets: inferenceTargets(rows, floors, arithmetic, peak) };
  },
};
