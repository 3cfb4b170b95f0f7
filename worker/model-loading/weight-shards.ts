/**
 * Reads a model's weights from the Worker version's static assets (artifact feature
 * "external-weights"): every shard is requested at once through the assets binding, its body read
 * whole (`arrayBuffer()`, four times faster than a chunk-by-chunk stream copy in workerd), its
 * length and checksum checked, and kept as it is: the shard bodies are the weights, handed to
 * `readArtifact` as WeightSegments. The compiler cuts shards between tensors, so no buffer the size
 * of the blob is made and nothing is copied (but a tensor larger than a shard).
 *
 * The check is XXH32 (xxh32.ts), at memory speed, when the manifest records it; manifests written
 * before carry only the SHA-256, which is then computed. Either way the shard was requested by its
 * SHA-256, so a shard of another build is not found.
 */
import type { WeightShard, WeightsManifest } from '../runtime/artifact';
import type { WeightSegment, WeightSegments } from '../runtime/weight-segments';
import { fastXxh32 } from './xxh32-wasm';
import { xxh32Hex } from './xxh32';
import { sha256Hex } from '../http/hash';

/** The binding the weights are read through: Workers' `assets` binding, or a service over a directory when served locally. */
export interface WeightsBinding {
  fetch(request: Request): Promise<Response>;
}

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

/** The verified shard bodies at their offsets of the blob, in blob order. */
export async function loadWeightShards(manifest: WeightsManifest, binding: WeightsBinding | undefined): Promise<WeightSegments> {
  if (!binding || typeof binding.fetch !== 'function') {
    throw new WeightsLoadError(`the model's weights are static assets, but the Worker has no ${WEIGHTS_BINDING} binding; redeploy the version with its assets`);
  }
  return Promise.all(manifest.shards.map((shard) => readShard(shard, binding.fetch(new Request(shardUrl(shard.sha256))))));
}

/** Reads one shard's body and checks its length and checksum. */
async function readShard(shard: WeightShard, request: Promise<Response>): Promise<WeightSegment> {
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
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    throw new WeightsLoadError(`weights shard ${name} could not be read (${(e as Error).message})`);
  }
  if (bytes.byteLength > shard.length) throw new WeightsLoadError(`weights shard ${name} is longer than its ${shard.length} bytes; the version's assets do not match its model, redeploy it`);
  if (bytes.byteLength < shard.length) throw new WeightsLoadError(`weights shard ${name} has ${bytes.byteLength} of its ${shard.length} bytes; the version's assets do not match its model, redeploy it`);
  if (shard.xxh32 !== undefined) {
    if (xxh32Hex(fastXxh32(bytes)) !== shard.xxh32) throw new WeightsLoadError(`weights shard ${name} does not match its XXH32 checksum; the version's assets do not match its model, redeploy it`);
  } else if ((await sha256Hex(bytes)) !== shard.sha256) {
    throw new WeightsLoadError(`weights shard ${name} does not match its SHA-256; the version's assets do not match its model, redeploy it`);
  }
  return { offset: shard.offset, bytes };
}
