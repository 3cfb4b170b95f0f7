/**
 * The models whose weights the three engines cannot keep in the last-level cache together
 * (bench/read-floor.ts: each engine holds its own copy) timed again with each engine's weights in
 * the cache: ours and onnxruntime-web take turns in long blocks, and only the second half of each
 * block counts (bench/lib/timing.ts, compareCachedTimes). Set beside the interleaved rows, it shows
 * how much of a ratio is the caches rather than the kernels.
 */
import { ortWebEngine, ours, type BoundRun } from './lib/engines';
import { compareCachedTimes } from './lib/timing';
import { ms, ratio } from './lib/table';
import type { ReadFloor } from './read-floor';
import type { ReferenceModel } from './reference-models';

export interface CachedRow {
  readonly model: string;
  readonly batch: number;
  readonly ours: number;
  readonly web: number;
}

export async function measureCachedRows(models: readonly ReferenceModel[], floors: readonly ReadFloor[], batches: readonly number[], log: (l: string) => void): Promise<CachedRow[]> {
  const rows: CachedRow[] = [];
  for (const model of models.filter((m) => floors.some((f) => f.model === m.name && f.cold !== null))) {
    const loaded = [await ours.load(model.onnx), await ortWebEngine().load(model.onnx)];
    for (const batch of batches) {
      const bound: BoundRun[] = loaded.map((l) => l.bind(model.feeds(batch)));
      for (const b of bound) await b.result(); // ort-web settles which outputs it can return
      const [oursMs, webMs] = await compareCachedTimes(bound.map((b) => b.run));
      log(`  ${model.name} batch ${batch}, long turns (weights can stay in the cache): ours ${ms(oursMs)}, ort-web ${ms(webMs)} (${ratio(oursMs / webMs)})`);
      rows.push({ model: model.name, batch, ours: oursMs, web: webMs });
    }
    for (const l of loaded) await l.release();
  }
  return rows;
}

export function cachedRowNotes(rows: readonly CachedRow[]): string[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.map((model) => {
    const list = rows.filter((r) => r.model === model).map((r) => `batch ${r.batch} ours ${ms(r.ours)}, ort-web ${ms(r.web)} (${ratio(r.ours / r.web)})`);
    return (
      `- ${model} timed so that each engine's weights can stay in the cache between its calls (ours and ort-web taking turns in 200 ms blocks, 10 rounds, ` +
      `the second half of each block counted; bench/cache-resident.ts): ${list.join('; ')}. Other work on the machine still shares the cache.`
    );
  });
}
