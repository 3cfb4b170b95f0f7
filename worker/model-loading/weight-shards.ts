/**
 * Reads a model's weights from the Worker version's static assets (artifact feature
 * "external-weights"): every shard is requested at once through the assets binding; the bodies
 * are read whole (`arrayBuffer()`, four times faster than a chunk-by-chunk stream copy in workerd)
 * at most READ_AT_ONCE at a time, so that no more than that many shard copies exist besides the
 * weights buffer; each is checked against its SHA-256 and copied into its place before the model
 * is built on it. Weights in one shard are that shard's body itself: no second buffer, no copy.
 */
import type { WeightShard, WeightsManifest } from '../runtime/artifact';

/** The binding the weights are read through: Workers' `assets` binding, or a service over a directory when served locally. */
export interface WeightsBinding {
  fetch(request: Request): Promise<Response>;
}

/** Shard bodies read at the same time: each is a transient copy of up to 25 MiB. */
export const READ_AT_ONCE = 2;

/** The name of that binding in the Worker's env. */
export const WEIGHTS_BINDING = 'MODEL_WEIGHTS';

/** The weights could not be read or did not match their hashes; the next request tries again. */
export class WeightsLoadError extends Error {
  override readonly name = 'WeightsLoadError';
}

/** Shards are requested by their hash; the host is never looked up (the binding answers). */
export function shardUrl(sha256: string): string {
  return `https://model-weights.invalid/${sha256}`;
}

/** The weights blob, assembled from its shards and verified. */
export async function loadWeightShards(manifest: WeightsManifest, binding: WeightsBinding | undefined): Promise<Uint8Array> {
  if (!binding || typeof binding.fetch !== 'function') {
    throw new WeightsLoadError(`the model's weights are static assets, but the Worker has no ${WEIGHTS_BINDING} binding; redeploy the version with its assets`);
  }
  const reading = readSlots(READ_AT_ONCE);
  const shards = manifest.shards;
  if (shards.length === 1 && shards[0].offset === 0 && shards[0].length === manifest.bytes) {
    return readShard(shards[0], binding.fetch(new Request(shardUrl(shards[0].sha256))), reading, (bytes) => bytes);
  }
  const blob = new Uint8Array(manifest.bytes);
  await Promise.all(
    shards.map((shard) =>
      readShard(shard, binding.fetch(new Request(shardUrl(shard.sha256))), reading, (bytes) => blob.set(bytes, shard.offset)),
    ),
  );
  return blob;
}

/** A limit on how many bodies are read at once: `acquire` resolves with the function that frees the slot. */
function readSlots(count: number): () => Promise<() => void> {
  let free = count;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return () => {
    if (free > 0) {
      free--;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => waiting.push(() => resolve(release)));
  };
}

/**
 * Reads one shard's body while holding a reading slot, checks its length and SHA-256, and hands
 * the verified bytes to `place` (which copies them into the weights, or keeps them) before the slot
 * is freed.
 */
async function readShard<T>(shard: WeightShard, request: Promise<Response>, reading: () => Promise<() => void>, place: (bytes: Uint8Array) => T): Promise<T> {
  const name = shard.sha256.slice(0, 12);
  let response: Response;
  try {
    response = await request;
  } catch (e) {
    throw new WeightsLoadError(`weights shard ${name} could not be read (${(e as Error).message})`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new WeightsLoadError(`weights shard ${name} answered ${response.status}; the version's assets are incomplete, redeploy it`);
  }
  const release = await reading();
  try {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw new WeightsLoadError(`weights shard ${name} could not be read (${(e as Error).message})`);
    }
    if (bytes.byteLength > shard.length) throw new WeightsLoadError(`weights shard ${name} is longer than its ${shard.length} bytes; the version's assets do not match its model`);
    if (bytes.byteLength < shard.length) throw new WeightsLoadError(`weights shard ${name} has ${bytes.byteLength} of its ${shard.length} bytes; the version's assets do not match its model`);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    let hex = '';
    for (let i = 0; i < digest.length; i++) hex += digest[i].toString(16).padStart(2, '0');
    if (hex !== shard.sha256) throw new WeightsLoadError(`weights shard ${name} does not match its SHA-256; the version's assets do not match its model`);
    return place(bytes);
  } finally {
    release();
  }
}
