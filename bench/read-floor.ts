/**
 * The memory floor under the reference models at batch 1: a model with megabytes of weights reads
 * all of them once per call (each MatMul is then a GEMV), so no WebAssembly kernel can run it faster
 * than WebAssembly streams that many bytes in (bench/lib/read-bandwidth.ts). Two floors: the
 * weights kept in the caches between calls (repeated passes), and the weights out of the caches
 * (each pass after streaming three times the last-level cache of other data). The interleaved
 * timing sits between the two: the engines take turns in blocks of a few calls, each with its own
 * copy of the weights, so each block starts with the other engines' copies in the caches. A floor
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
  /** the weights read after other data filled the caches */
  readonly cold: ReadRate;
  readonly coldMs: number;
  readonly coldTypicalMs: number;
  /** the data streamed before each out-of-cache pass, and the last-level cache it clears */
  readonly evictBytes: number;
  readonly cacheBytes: number;
}

export function measureReadFloors(models: readonly ReferenceModel[], log: (l: string) => void): ReadFloor[] {
  const floors: ReadFloor[] = [];
  const cacheBytes = lastLevelCacheBytes();
  const evictBytes = 3 * cacheBytes;
  for (const model of models) {
    const weightBytes = compileModel(model.onnx).stats.weightBytes;
    if (weightBytes < MIN_WEIGHT_BYTES) continue;
    const rate = readBandwidth(weightBytes);
    const cold = coldReadBandwidth(weightBytes, 21, evictBytes);
    const floor: ReadFloor = {
      model: model.name, weightBytes, rate, ms: msAt(weightBytes, rate.bestGBps), typicalMs: msAt(weightBytes, rate.medianGBps),
      cold, coldMs: msAt(weightBytes, cold.bestGBps), coldTypicalMs: msAt(weightBytes, cold.medianGBps), evictBytes, cacheBytes,
    };
    log(
      `  ${model.name}: ${mb(weightBytes)} of weights, streamed at up to ${gbps(rate.bestGBps)} (median ${gbps(rate.medianGBps)}): floor ${ms(floor.ms)} at batch 1; ` +
        `out of the caches up to ${gbps(cold.bestGBps)} (median ${gbps(cold.medianGBps)}): ${ms(floor.coldMs)}`,
    );
    floors.push(floor);
  }
  return floors;
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
    const cold =
      ` Out of the caches (each pass after ${mib(f.evictBytes)} of other data, three times the ${mib(f.cacheBytes)} last-level cache) it streams at up to ` +
      `${gbps(f.cold.bestGBps)} (median ${gbps(f.cold.medianGBps)} over ${f.cold.passes} passes): ${ms(f.coldMs)}${vsWeb(f.coldMs, row)}, ${ms(f.coldTypicalMs)} at the median rate${vsWeb(f.coldTypicalMs, row)}.` +
      ` The interleaved timing above lies between the two: each of the three engines holds its own copy of the weights (${mb(3 * f.weightBytes)} in all, ` +
      `${3 * f.weightBytes > f.cacheBytes ? 'more than' : 'within'} the last-level cache), and each block of a few calls starts after the other engines' blocks.`;
    if (!row) return warm + cold;
    const engines =
      ` ort-web's own time is ${ratio(row.web / f.typicalMs)} the in-cache median pass and ${ratio(row.web / f.coldTypicalMs)} the out-of-cache one;` +
      ` ours is ${ratio(row.ours / f.typicalMs)} and ${ratio(row.ours / f.coldTypicalMs)}.`;
    const verdict =
      f.ms > targetVsWeb * row.web
        ? ` ${targetVsWeb}x ort-web is below even the in-cache floor: out of reach at this rate.`
        : f.coldMs > targetVsWeb * row.web
          ? ` ${targetVsWeb}x ort-web (${ms(targetVsWeb * row.web)}) is below the out-of-cache floor: reachable only while the weights stay in the caches.`
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
    if (f.coldMs > targetVsWeb * row.web) {
      return [`${f.model}/1 ${ratio(f.coldMs / row.web)} ort-web with its ${mb(f.weightBytes)} of weights out of the caches (up to ${gbps(f.cold.bestGBps)}), ${ratio(f.ms / row.web)} in them`];
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
