/**
 * Steady-state allocation per inference (the runtime should allocate nothing per request beyond
 * its outputs). For each reference model at batch 1 and 32, after warm-up:
 *  - JS heap bytes allocated per inference, from V8's sampling heap profiler (node:inspector,
 *    64-byte sampling interval, objects later collected by GC included, only samples under the
 *    measured loop counted);
 *  - of which the graph outputs: the same profiler over the copies the caller receives (a result
 *    record plus Tensor.clone of each output), measured on its own so that JIT inlining cannot blur
 *    the attribution; "other" is the difference;
 *  - off-heap bytes per inference: typed-array backing stores above V8's on-heap limit live outside
 *    the JS heap and the profiler does not see them, so they are read from
 *    process.memoryUsage().arrayBuffers around single runs (median growth), next to the outputs'
 *    own data bytes;
 *  - whether the WebAssembly kernels' linear memory grew during the measured runs.
 */
import { Session } from 'node:inspector/promises';
import * as path from 'path';
import { compileModel } from '../lib/model-compiler';
import { installWasmKernels } from '../lib/wasm-module';
import { readArtifact } from '../worker/runtime/artifact';
import { InferenceSession } from '../worker/runtime/session';
import { allKernels } from '../worker/runtime/kernels/registry';
import type { Tensor } from '../worker/runtime/tensor';
import { wasmKernels } from '../worker/runtime/wasm';
import type { BenchPart, PartResult } from './lib/report';
import { median } from './lib/stats';
import { bytes, type Table } from './lib/table';
import { referenceModels } from './reference-models';

/** "Small" per-inference allocation beyond the outputs, for the target row. */
export const OTHER_TARGET_BYTES = 1024;
export const SAMPLING_INTERVAL_BYTES = 64;
const BATCHES = [1, 32];
const REPO = path.join(__dirname, '..');

export interface FunctionBytes {
  /** "functionName (file:line)" of the frame that allocated (or the JIT frame it was inlined into) */
  readonly frame: string;
  readonly bytesPerRun: number;
}

export interface HeapSample {
  readonly bytesPerRun: number;
  /** allocating frames, largest first */
  readonly byFrame: readonly FunctionBytes[];
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** The loop whose frame marks the samples that belong to the measurement (named so it can be found). */
function measuredLoop(fn: () => unknown, runs: number): void {
  for (let i = 0; i < runs; i++) fn();
}

function frameLabel(f: ProfileNode['callFrame']): string {
  const file = f.url.startsWith('file://') ? f.url.slice(7) : f.url;
  const where = file ? ` (${path.relative(REPO, file) || file}:${f.lineNumber + 1})` : '';
  return `${f.functionName || '(anonymous)'}${where}`;
}

/**
 * JS heap bytes `fn` allocates per call, sampled by V8 over `runs` calls (objects that the GC has
 * already collected included). Each sample is scaled by V8 to an unbiased estimate of the bytes it
 * stands for, so figures well under the sampling interval are estimates, not exact counts.
 */
export async function sampleHeapAllocations(fn: () => unknown, runs: number, samplingInterval = SAMPLING_INTERVAL_BYTES): Promise<HeapSample> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    measuredLoop(fn, runs);
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
    await session.post('HeapProfiler.disable');
    const byFrame = new Map<string, number>();
    let total = 0;
    const walk = (node: ProfileNode, inside: boolean): void => {
      const here = inside || node.callFrame.functionName === measuredLoop.name;
      if (here && node.selfSize > 0) {
        total += node.selfSize;
        const label = frameLabel(node.callFrame);
        byFrame.set(label, (byFrame.get(label) ?? 0) + node.selfSize);
      }
      for (const child of node.children) walk(child, here);
    };
    walk(profile.head, false);
    return {
      bytesPerRun: total / runs,
      byFrame: [...byFrame].map(([frame, b]) => ({ frame, bytesPerRun: b / runs })).sort((a, b) => b.bytesPerRun - a.bytesPerRun),
    };
  } finally {
    session.disconnect();
  }
}

/** Median growth of ArrayBuffer backing-store bytes (off the JS heap) across single calls of `fn`. */
export function offHeapBytesPerRun(fn: () => unknown, runs: number): number {
  const deltas: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.memoryUsage().arrayBuffers;
    fn();
    deltas.push(Math.max(0, process.memoryUsage().arrayBuffers - before));
  }
  return median(deltas);
}

/** Something that runs one inference and returns the caller's output tensors (an InferenceSession bound to its feeds). */
export type Inference = () => Readonly<Record<string, Tensor>>;

export interface AllocationResult {
  readonly runs: number;
  /** JS heap bytes per inference */
  readonly totalBytes: number;
  /** of which the copies of the graph outputs handed to the caller */
  readonly outputBytes: number;
  /** totalBytes - outputBytes (never below 0) */
  readonly otherBytes: number;
  readonly topOther: readonly FunctionBytes[];
  /** typed-array backing stores allocated per inference outside the JS heap */
  readonly offHeapBytes: number;
  /** the outputs' data bytes (what the off-heap figure should be when only outputs are copied) */
  readonly outputDataBytes: number;
  /** the WebAssembly memory grew during the measured runs (undefined without wasm kernels) */
  readonly wasmGrew: boolean | undefined;
}

const OFF_HEAP_RUNS = 200;

/** Measures one inference function in steady state: warm-up, then `runs` sampled calls. */
export async function measureAllocation(infer: Inference, options: { runs: number; warmup?: number }): Promise<AllocationResult> {
  const { runs } = options;
  for (let i = 0; i < (options.warmup ?? WARMUP_MIN_RUNS); i++) infer();
  const sample = infer();
  const outputs = Object.entries(sample);
  const copyOutputs = () => {
    const result: Record<string, Tensor> = {};
    for (const [name, t] of outputs) result[name] = t.clone();
    return result;
  };
  for (let i = 0; i < 50; i++) copyOutputs();
  const memory = wasmKernels()?.exports.memory;
  const wasmBefore = memory?.buffer.byteLength;
  const total = await sampleHeapAllocations(infer, runs);
  const wasmGrew = memory ? memory.buffer.byteLength !== wasmBefore : undefined;
  const copies = await sampleHeapAllocations(copyOutputs, runs);
  const outputFrames = new Set(copies.byFrame.map((f) => f.frame));
  return {
    runs,
    totalBytes: total.bytesPerRun,
    outputBytes: copies.bytesPerRun,
    otherBytes: Math.max(0, total.bytesPerRun - copies.bytesPerRun),
    topOther: total.byFrame.filter((f) => !outputFrames.has(f.frame)),
    offHeapBytes: offHeapBytesPerRun(infer, Math.min(runs, OFF_HEAP_RUNS)),
    outputDataBytes: outputs.reduce((s, [, t]) => s + ((t.data as { byteLength?: number }).byteLength ?? 0), 0),
    wasmGrew,
  };
}

/**
 * Warm-up runs before measuring: steady state means after V8 has optimized the inference path.
 * Until then, baseline-compiled code boxes every float it computes (a HeapNumber per element in a
 * copy loop), which can take a thousand calls for kernels that run once or twice per inference.
 */
const WARMUP_MIN_RUNS = 50;
const WARMUP_MAX_RUNS = 2000;
const WARMUP_MS = 1500;

/** Warm-up run count for `infer`: about WARMUP_MS of inference, within [WARMUP_MIN_RUNS, WARMUP_MAX_RUNS]. */
function warmupRunsFor(perRunMs: number): number {
  return Math.max(WARMUP_MIN_RUNS, Math.min(WARMUP_MAX_RUNS, Math.floor(WARMUP_MS / perRunMs)));
}

/** Runs per case: about `budgetMs` of inference, between 100 and 1,000. */
function runsFor(infer: Inference, budgetMs = 1500): { runs: number; warmup: number } {
  const started = performance.now();
  let n = 0;
  while (n < 20 || performance.now() - started < 50) {
    infer();
    n++;
  }
  const perRun = (performance.now() - started) / n;
  return { runs: Math.max(100, Math.min(1000, Math.floor(budgetMs / perRun))), warmup: warmupRunsFor(perRun) };
}

const b = (n: number) => bytes(Math.round(n));

function topText(top: readonly FunctionBytes[]): string {
  const shown = top.filter((f) => f.bytesPerRun >= 1).slice(0, 3);
  return shown.length ? shown.map((f) => `${f.frame} ${b(f.bytesPerRun)}`).join('; ') : '-';
}

export const allocationPart: BenchPart = {
  name: 'allocation',
  title: 'Steady-state allocation',
  async run(log): Promise<PartResult> {
    installWasmKernels();
    const rows: string[][] = [];
    let worst = { other: 0, where: '' };
    let grew = false;
    for (const model of referenceModels()) {
      const session = InferenceSession.create(readArtifact(compileModel(model.onnx).artifact), { kernels: allKernels });
      for (const batch of BATCHES) {
        const feeds = model.feeds(batch);
        const infer: Inference = () => session.run(feeds);
        const r = await measureAllocation(infer, runsFor(infer));
        log(`${model.name} batch ${batch}: ${b(r.totalBytes)} per inference (${b(r.otherBytes)} beyond outputs) over ${r.runs} runs`);
        if (r.otherBytes > worst.other) worst = { other: r.otherBytes, where: `${model.name} batch ${batch}` };
        grew ||= r.wasmGrew === true;
        rows.push([
          model.name,
          String(batch),
          String(r.runs),
          b(r.totalBytes),
          b(r.outputBytes),
          b(r.otherBytes),
          topText(r.topOther),
          `${b(r.offHeapBytes)} / ${b(r.outputDataBytes)}`,
          r.wasmGrew === undefined ? 'n/a' : r.wasmGrew ? 'YES' : 'no',
        ]);
      }
    }
    const table: Table = {
      title: 'JS heap allocation per inference in steady state',
      headers: ['model', 'batch', 'runs', 'heap bytes / inference', 'of which outputs', 'other', 'top allocating frames (other)', 'off-heap / outputs data', 'wasm memory grew'],
      rows,
      notes: [
        `V8 sampling heap profiler (node:inspector, ${SAMPLING_INTERVAL_BYTES}-byte interval, collected objects included) over the runs shown, after about ${WARMUP_MS / 1000} s of warm-up runs (${WARMUP_MIN_RUNS} to ${WARMUP_MAX_RUNS}, so that V8 has optimized the inference path); figures are unbiased estimates.`,
        '"Of which outputs" is the same profiler over what the caller receives (a record plus Tensor.clone of each output); "other" is the rest: the session\'s per-run bookkeeping and any kernel temporaries.',
        'Frames are where V8 saw the allocation: a function inlined by the JIT is reported as its caller (often InferenceSession.run).',
        'Off-heap: typed-array backing stores above 64 bytes live outside the JS heap (median growth of process.memoryUsage().arrayBuffers per run), beside the outputs\' data bytes.',
      ],
    };
    return {
      tables: [table],
      targets: [
        {
          target: `Steady-state allocation beyond outputs < ${bytes(OTHER_TARGET_BYTES)} per inference, wasm memory stable`,
          measured: `worst ${b(worst.other)} beyond outputs${worst.where ? ` (${worst.where})` : ''}; wasm memory ${grew ? 'grew' : 'stable'}`,
          met: worst.other < OTHER_TARGET_BYTES && !grew,
        },
      ],
    };
  },
};
