/**
 * The memory floor under the reference models at batch 1: a model with megabytes of weights reads
 * all of them once per call (each MatMul is then a GEMV), so no WebAssembly kernel can run it faster
 * than WebAssembly streams that many bytes in (bench/lib/read-bandwidth.ts). The floor takes the
 * fastest pass, what the core manages when nothing else competes for memory, so that it is a true
 * lower bound; the median shows the typical rate. Stated next to the inference table, where it
 * decides whether a target is reachable.
 */
import { compileModel } from '../lib/model-compiler';
import type { InferenceRow } from './inference';
import { readBandwidth, type ReadRate } from './lib/read-bandwidth';
import { ms, ratio } from './lib/table';
import type { ReferenceModel } from './reference-models';

/** Smaller weights stay in the core's caches: their read time is a few microseconds, no floor worth stating. */
const MIN_WEIGHT_BYTES = 1 << 20;

export interface ReadFloor {
  readonly model: string;
  readonly weightBytes: number;
  readonly rate: ReadRate;
  /** ms to stream the weights once at the fastest pass's rate */
  readonly ms: number;
  /** the same at the median pass's rate */
  readonly typicalMs: number;
}

export function measureReadFloors(models: readonly ReferenceModel[], log: (l: string) => void): ReadFloor[] {
  const floors: ReadFloor[] = [];
  for (const model of models) {
    const weightBytes = compileModel(model.onnx).stats.weightBytes;
    if (weightBytes < MIN_WEIGHT_BYTES) continue;
    const rate = readBandwidth(weightBytes);
    const floor = { model: model.name, weightBytes, rate, ms: weightBytes / (rate.bestGBps * 1e6), typicalMs: weightBytes / (rate.medianGBps * 1e6) };
    log(`  ${model.name}: ${mb(weightBytes)} of weights, streamed at up to ${gbps(rate.bestGBps)} (median ${gbps(rate.medianGBps)}): floor ${ms(floor.ms)} at batch 1`);
    floors.push(floor);
  }
  return floors;
}

/** The batch-1 row of the floor's model, if measured against ort-web. */
function batchOneRow(floor: ReadFloor, rows: readonly InferenceRow[]): InferenceRow | undefined {
  return rows.find((r) => r.model === floor.model && r.batch === 1 && Number.isFinite(r.web));
}

export function readFloorNotes(floors: readonly ReadFloor[], rows: readonly InferenceRow[], targetVsWeb: number): string[] {
  return floors.map((f) => {
    const row = batchOneRow(f, rows);
    const vsWeb = row ? f.ms / row.web : NaN;
    const verdict = !row ? '' : vsWeb > targetVsWeb ? `: ${ratio(vsWeb)} ort-web's time, so ${targetVsWeb}x is out of reach at this rate` : ` (${ratio(vsWeb)} ort-web's time)`;
    const typical = row ? ` At the median rate the read alone takes ${ms(f.typicalMs)} (${ratio(f.typicalMs / row.web)} ort-web's time).` : '';
    return (
      `- memory floor, ${f.model} batch 1: each call reads all ${mb(f.weightBytes)} of weights, and WebAssembly streams a buffer that size at ` +
      `up to ${gbps(f.rate.bestGBps)} here (fastest of ${f.rate.passes} f32x4 sums over it, bench/kernels/read-bandwidth.as.ts; median ${gbps(f.rate.medianGBps)}), ` +
      `so no WebAssembly kernel runs it in less than ${ms(f.ms)}${verdict}.${typical}`
    );
  });
}

/** "; memory floor ..." for the target line when a floor puts the target out of reach, else ''. */
export function readFloorTargetText(floors: readonly ReadFloor[], rows: readonly InferenceRow[], targetVsWeb: number): string {
  const blocking = floors.flatMap((f) => {
    const row = batchOneRow(f, rows);
    return row && f.ms / row.web > targetVsWeb ? [`${f.model}/1 ${ratio(f.ms / row.web)} ort-web (${mb(f.weightBytes)} of weights at up to ${gbps(f.rate.bestGBps)})`] : [];
  });
  return blocking.length ? `; memory floor: ${blocking.join(', ')}` : '';
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function gbps(x: number): string {
  return `${x.toFixed(1)} GB/s`;
}
