/**
 * The arithmetic floor under the reference models' batch of 32 (where each weight is used 32
 * times per read, so arithmetic rather than the read bounds the time): no
 * WebAssembly kernel does f32x4 multiplies and adds faster than the 128-bit SIMD ceiling measured
 * here (bench/lib/simd-ceiling.ts), and bitwise-reproducible results rule out fused multiply-adds.
 * Stated next to the inference table with the weights' out-of-cache read (bench/read-floor.ts),
 * which adds to the time as far as it does not overlap the arithmetic.
 */
import type { InferenceRow } from './inference';
import { modelFlops } from './lib/model-flops';
import { simdCeilingGflops } from './lib/simd-ceiling';
import { ms, ratio } from './lib/table';
import type { ReadFloor } from './read-floor';
import type { ReferenceModel } from './reference-models';

export const ARITHMETIC_FLOOR_BATCH = 32;

/** Models with less matrix arithmetic than this per call (tree ensembles, iris) have no such floor. */
const MIN_FLOPS = 1e6;

export interface ArithmeticFloor {
  readonly model: string;
  readonly batch: number;
  readonly flops: number;
  /** GFLOP/s of register-only f32x4 multiply-then-add here */
  readonly ceilingGflops: number;
  /** ms of the arithmetic at the ceiling */
  readonly ms: number;
}

/** The floor of every model with matrix arithmetic at batch 32. */
export function measureArithmeticFloors(models: readonly ReferenceModel[], log: (l: string) => void): ArithmeticFloor[] {
  const batch = ARITHMETIC_FLOOR_BATCH;
  const counted = models.map((model) => ({ model, flops: modelFlops(model.onnx, model.feeds(batch)) })).filter((c) => c.flops >= MIN_FLOPS);
  if (counted.length === 0) return [];
  const ceilingGflops = simdCeilingGflops();
  return counted.map(({ model, flops }) => {
    const floor = { model: model.name, batch, flops, ceilingGflops, ms: flops / (ceilingGflops * 1e6) };
    log(`  ${model.name} batch ${batch}: ${(flops / 1e6).toFixed(0)} MFLOP per call, at the SIMD ceiling (${ceilingGflops.toFixed(1)} GFLOP/s) ${ms(floor.ms)}`);
    return floor;
  });
}

/** A note for each floor of a model with megabytes of weights (read floor) or whose row misses the target. */
export function arithmeticFloorNotes(floors: readonly ArithmeticFloor[], readFloors: readonly ReadFloor[], rows: readonly InferenceRow[], targetVsWeb: number): string[] {
  const rowOf = (f: ArithmeticFloor) => rows.find((r) => r.model === f.model && r.batch === f.batch && Number.isFinite(r.web));
  const stated = floors.filter((f) => {
    const row = rowOf(f);
    return readFloors.some((r) => r.model === f.model) || (row !== undefined && row.ours > targetVsWeb * row.web);
  });
  return stated.map((f) => {
    const row = rowOf(f);
    const read = readFloors.find((r) => r.model === f.model);
    const vsWeb = (t: number) => (row ? ` (${ratio(t / row.web)} ort-web's time)` : '');
    const cold = read?.cold ?? null;
    const withRead = cold ? f.ms + cold.typicalMs : NaN;
    const readText = cold
      ? ` Reading the weights out of the caches at the median rate above, if that does not overlap the arithmetic, brings it to ${ms(withRead)}${vsWeb(withRead)}.`
      : '';
    const standing = row
      ? ` ort-web's own time is ${ratio(row.web / f.ms)} the arithmetic floor; ours is ${ratio(row.ours / f.ms)}${cold ? ` and ${ratio(row.ours / withRead)} the floor with the read` : ''}.` +
        (f.ms > targetVsWeb * row.web ? ` ${targetVsWeb}x ort-web is below the arithmetic floor: out of reach.` : cold && withRead > targetVsWeb * row.web ? ` ${targetVsWeb}x ort-web (${ms(targetVsWeb * row.web)}) is below the floor with the read.` : '')
      : '';
    return (
      `- arithmetic floor, ${f.model} batch ${f.batch}: ${(f.flops / 1e6).toFixed(0)} MFLOP per call (2 x the multiply-adds of its MatMuls), and 128-bit WebAssembly SIMD ` +
      `multiplies and adds at up to ${f.ceilingGflops.toFixed(1)} GFLOP/s here (bench/kernels/simd-ceiling.as.ts; no fused multiply-add, whose rounding would differ), ` +
      `so no WebAssembly kernel runs it in less than ${ms(f.ms)}${vsWeb(f.ms)}.${readText}${standing}`
    );
  });
}

/** "; arithmetic floor ..." for the target line when a floor (with the read, where stated) puts the target out of reach, else ''. */
export function arithmeticFloorTargetText(floors: readonly ArithmeticFloor[], readFloors: readonly ReadFloor[], rows: readonly InferenceRow[], targetVsWeb: number): string {
  const blocking = floors.flatMap((f) => {
    const row = rows.find((r) => r.model === f.model && r.batch === f.batch && Number.isFinite(r.web));
    if (!row) return [];
    const cold = readFloors.find((r) => r.model === f.model)?.cold ?? null;
    if (f.ms > targetVsWeb * row.web) return [`${f.model}/${f.batch} ${ratio(f.ms / row.web)} ort-web at the SIMD ceiling`];
    if (cold && f.ms + cold.typicalMs > targetVsWeb * row.web) {
      return [`${f.model}/${f.batch} ${ratio(f.ms / row.web)} ort-web at the SIMD ceiling, ${ratio((f.ms + cold.typicalMs) / row.web)} with its weights' read out of the caches`];
    }
    return [];
  });
  return blocking.length ? `; arithmetic floor: ${blocking.join(', ')}` : '';
}
