/**
 * Reads a model's weights from the Worker version's static assets (artifact feature
 * "external-weights"): every shard is requested at once through the assets binding; the bodies
 * are read whole (`arrayBuffer()`, four times faster than a chunk-by-chunk stream copy in workerd)
 * at most READ_AT_ONCE at a time, so that no more than that many shard copies exist besides the
 * weights buffer; each is copied into its place and checked against its SHA-256 before the model
 * is built on it.
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
  const blob = new Uint8Array(manifest.bytes);
  const reading = readSlots(READ_AT_ONCE);
  await Promise.all(manifest.shards.map((shard) => loadShard(shard, binding.fetch(new Request(shardUrl(shard.sha256))), reading, blob)));
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

async function loadShard(shard: WeightShard, request: Promise<Response>, reading: () => Promise<() => void>, blob: Uint8Array): Promise<void> {
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
  const target = blob.subarray(shard.offset, shard.offset + shard.length);
  const release = await reading();
  let at: number;
  try {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > target.byteLength) throw new WeightsLoadError(`weights shard ${name} is longer than its ${shard.length} bytes; the version's assets do not match its model`);
    target.set(bytes);
    at = bytes.byteLength;
  } catch (e) {
    if (e instanceof WeightsLoadError) throw e;
    throw new WeightsLoadError(`weights shard ${name} could not be read (${(e as Error).message})`);
  } finally {
    release();
  }
  if (at !== target.byteLength) throw new WeightsLoadError(`weights shard ${name} has ${at} of its ${shard.length} bytes; the version's assets do not match its model`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', target));
  let hex = '';
  for (let i = 0; i < digest.length; i++) hex += digest[i].toString(16).padStart(2, '0');
  if (hex !== shard.sha256) throw new WeightsLoadError(`weights shard ${name} does not match its SHA-256; the version's assets do not match its model`);
}
