/**
 * The memory floor under the reference models at batch 1: a model with megabytes of weights reads
 * all of them once per call (each MatMul is then a GEMV), so no WebAssembly kernel can run it faster
 * than WebAssembly streams that many bytes in (bench/lib/read-bandwidth.ts): the weights kept in
 * the caches between calls (repeated passes). When the three engines' copies of the weights do not
 * fit the last-level cache together, the interleaved timing starts each engine's block of calls
 * with its weights out of the caches, so the floor is also stated for weights read after three
 * times the last-level cache of other data; the timing sits between the two. A floor
 * takes the fastest pass, what the core manages when nothing else competes for memory, so that it
 * is a true lower bound; the median shows the typical rate. Stated next to the inference table,
 * where it decides whether a target is reachable.
 */
import { compileModel } from '../lib/model-compiler';
import type { InferenceRow } from './inference';
import { coldReadBandwidth, lastLevelCacheBytes, readBandwidth, type ReadRate } from './lib/read-bandwidth';
import { ms, ratio } from './lib/table';
import type { ReferenceModel } from './reference-models';

/** Smaller weights stay in the core's caches: their read time is a few microseconds, no floor worth stating. */
const MIN_WEIGHT_BYTES = 1 << 20;

export interface ReadFloor {
  readonly model: string;
  readonly weightBytes: number;
  /** the weights read again and again (in the caches as far as they fit) */
  readonly rate: ReadRate;
  /** ms to stream the weights once at the fastest pass's rate */
  readonly ms: number;
  /** the same at the median pass's rate */
  readonly typicalMs: number;
  /** the last-level cache's size */
  readonly cacheBytes: number;
  /** the weights read after other data filled the caches: measured when the engines' copies do not fit the last-level cache together */
  readonly cold: ColdRead | null;
}

export interface ColdRead {
  readonly rate: ReadRate;
  readonly ms: number;
  readonly typicalMs: number;
  /** the data streamed before each pass */
  readonly evictBytes: number;
}

/** The engines the inference part interleaves, each with its own copy of the weights. */
const ENGINES = 3;

export function measureReadFloors(models: readonly ReferenceModel[], log: (l: string) => void): ReadFloor[] {
  const floors: ReadFloor[] = [];
  const cacheBytes = lastLevelCacheBytes();
  for (const model of models) {
    const weightBytes = compileModel(model.onnx).stats.weightBytes;
    if (weightBytes < MIN_WEIGHT_BYTES) continue;
    const rate = readBandwidth(weightBytes);
    const cold = ENGINES * weightBytes > cacheBytes ? coldRead(weightBytes, 3 * cacheBytes) : null;
    const floor: ReadFloor = { model: model.name, weightBytes, rate, ms: msAt(weightBytes, rate.bestGBps), typicalMs: msAt(weightBytes, rate.medianGBps), cacheBytes, cold };
    log(
      `  ${model.name}: ${mb(weightBytes)} of weights, streamed at up to ${gbps(rate.bestGBps)} (median ${gbps(rate.medianGBps)}): floor ${ms(floor.ms)} at batch 1` +
        (cold ? `; out of the caches up to ${gbps(cold.rate.bestGBps)} (median ${gbps(cold.rate.medianGBps)}): ${ms(cold.ms)}` : ''),
    );
    floors.push(floor);
  }
  return floors;
}

function coldRead(weightBytes: number, evictBytes: number): ColdRead {
  const rate = coldReadBandwidth(weightBytes, 21, evictBytes);
  return { rate, ms: msAt(weightBytes, rate.bestGBps), typicalMs: msAt(weightBytes, rate.medianGBps), evictBytes };
}

function msAt(bytes: number, gbPerS: number): number {
  return bytes / (gbPerS * 1e6);
}

/** The batch-1 row of the floor's model, if measured against ort-web. */
function batchOneRow(floor: ReadFloor, rows: readonly InferenceRow[]): InferenceRow | undefined {
  return rows.find((r) => r.model === floor.model && r.batch === 1 && Number.isFinite(r.web));
}

/** " (0.44x ort-web's time)" after a time, when the row is there. */
function vsWeb(t: number, row: InferenceRow | undefined): string {
  return row ? ` (${ratio(t / row.web)} ort-web's time)` : '';
}

export function readFloorNotes(floors: readonly ReadFloor[], rows: readonly InferenceRow[], targetVsWeb: number): string[] {
  return floors.map((f) => {
    const row = batchOneRow(f, rows);
    const warm =
      `- memory floor, ${f.model} batch 1: each call reads all ${mb(f.weightBytes)} of weights. Kept in the caches between calls, WebAssembly streams ` +
      `a buffer that size at up to ${gbps(f.rate.bestGBps)} here (fastest of ${f.rate.passes} f32x4 sums over it, bench/kernels/read-bandwidth.as.ts; ` +
      `median ${gbps(f.rate.medianGBps)}), so no WebAssembly kernel runs it in less than ${ms(f.ms)}${vsWeb(f.ms, row)}; ${ms(f.typicalMs)} at the median rate${vsWeb(f.typicalMs, row)}.`;
    const c = f.cold;
    if (!c) return warm + (row && f.ms > targetVsWeb * row.web ? ` ${targetVsWeb}x ort-web is out of reach at this rate.` : '');
    const cold =
      ` But the three engines timed here each hold their own copy (${mb(ENGINES * f.weightBytes)} in all, more than the ${mib(f.cacheBytes)} last-level cache) and take turns ` +
      `in blocks of a few calls, so each block starts with its weights largely out of the caches. Read that way (each pass after ${mib(c.evictBytes)} of other data) ` +
      `they stream at up to ${gbps(c.rate.bestGBps)} (median ${gbps(c.rate.medianGBps)} over ${c.rate.passes} passes): ${ms(c.ms)}${vsWeb(c.ms, row)}, ${ms(c.typicalMs)} at the median rate${vsWeb(c.typicalMs, row)}.`;
    if (!row) return warm + cold;
    const engines =
      ` ort-web's own time is ${ratio(row.web / f.typicalMs)} the in-cache median pass and ${ratio(row.web / c.typicalMs)} the out-of-cache one;` +
      ` ours is ${ratio(row.ours / f.typicalMs)} and ${ratio(row.ours / c.typicalMs)}.`;
    const verdict =
      f.ms > targetVsWeb * row.web
        ? ` ${targetVsWeb}x ort-web is below even the in-cache floor: out of reach at this rate.`
        : c.ms > targetVsWeb * row.web
          ? ` ${targetVsWeb}x ort-web (${ms(targetVsWeb * row.web)}) is below the out-of-cache floor: within reach only while the weights stay in the caches.`
          : '';
    return warm + cold + engines + verdict;
  });
}

/** "; memory floor ..." for the target line when a floor puts the target out of reach, else ''. */
export function readFloorTargetText(floors: readonly ReadFloor[], rows: readonly InferenceRow[], targetVsWeb: number): string {
  const blocking = floors.flatMap((f) => {
    const row = batchOneRow(f, rows);
    if (!row) return [];
    if (f.ms > targetVsWeb * row.web) return [`${f.model}/1 ${ratio(f.ms / row.web)} ort-web (${mb(f.weightBytes)} of weights at up to ${gbps(f.rate.bestGBps)})`];
    if (f.cold && f.cold.ms > targetVsWeb * row.web) {
      return [`${f.model}/1 ${ratio(f.cold.ms / row.web)} ort-web with its ${mb(f.weightBytes)} of weights out of the caches (up to ${gbps(f.cold.rate.bestGBps)}), ${ratio(f.ms / row.web)} in them`];
    }
    return [];
  });
  return blocking.length ? `; memory floor: ${blocking.join(', ')}` : '';
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

function gbps(x: number): string {
  return `${x.toFixed(1)} GB/s`;
}
