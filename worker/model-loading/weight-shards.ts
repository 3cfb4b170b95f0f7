/**
 * Reads a model's weights from the Worker version's static assets (artifact feature
 * "external-weights"): every shard is requested at once through the assets binding, its body read
 * straight into a buffer of its length (read-body.ts: a BYOB reader, which workerd fills in one
 * call, with no buffer of its own in between), its length and checksum checked, and kept as it
 * is: the shard bodies are the weights, handed to `readArtifact` as WeightSegments. The compiler
 * cuts shards between tensors, so no buffer the size of the blob is made and nothing is copied. A
 * tensor larger than a shard fills a run of shards of its own, read into one buffer so that it too
 * is a view.
 *
 * The check is XXH32 (xxh32.ts, a third of SHA-256's cost) when the manifest records it;
 * manifests written before carry only the SHA-256, which is then computed. Either way the shard
 * was requested by its SHA-256, so a shard of another build is not found.
 */
import type { WeightShard, WeightsManifest } from '../runtime/artifact';
import type { WeightSegment, WeightSegments } from '../runtime/weight-segments';
import { fastXxh32 } from './xxh32-wasm';
import { xxh32Hex } from './xxh32';
import { sha256Hex } from '../http/hash';
import { readBodyInto, type BodyRead } from './read-body';

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

/**
 * The verified weights as segments of the blob, in blob order: each shard's body, read into a
 * buffer of its length, or, for a run of shards that holds one tensor (a tensor larger than a
 * shard, its shards marked `continues`), into one buffer for the run.
 */
export async function loadWeightShards(manifest: WeightsManifest, binding: WeightsBinding | undefined): Promise<WeightSegments> {
  if (!binding || typeof binding.fetch !== 'function') {
    throw new WeightsLoadError(`the model's weights are static assets, but the Worker has no ${WEIGHTS_BINDING} binding; redeploy the version with its assets`);
  }
  const shards = manifest.shards;
  const responses = shards.map((shard) => binding.fetch(new Request(shardUrl(shard.sha256))));
  const runs: Array<Promise<WeightSegment>> = [];
  for (let first = 0; first < shards.length; ) {
    let end = first + 1;
    while (end < shards.length && shards[end].continues) end++;
    runs.push(readRun(shards.slice(first, end), responses.slice(first, end)));
    first = end;
  }
  return Promise.all(runs);
}

/**
 * Reads the bodies of a run of shards (often one) into one buffer, in order, checking each; when
 * one fails, the bodies after it are cancelled unread.
 */
async function readRun(shards: readonly WeightShard[], requests: ReadonlyArray<Promise<Response>>): Promise<WeightSegment> {
  const offset = shards[0].offset;
  let buffer = new ArrayBuffer(shards.reduce((n, s) => n + s.length, 0));
  let i = 0;
  try {
    for (; i < shards.length; i++) {
      const shard = shards[i];
      const response = await responseOf(shard, requests[i]);
      const at = shard.offset - offset;
      let read: BodyRead;
      try {
        read = await readBodyInto(response, buffer, at, shard.length);
      } catch (e) {
        throw new WeightsLoadError(`weights shard ${nameOf(shard)} could not be read (${(e as Error).message})`);
      }
      buffer = read.buffer;
      checkLength(shard, read.bytesRead, read.fit === 'long');
      await checkContent(shard, new Uint8Array(buffer, at, shard.length));
    }
  } catch (e) {
    for (const rest of requests.slice(i + 1)) rest.then((r) => r.body?.cancel()).catch(() => {});
    throw e;
  }
  return { offset, bytes: new Uint8Array(buffer) };
}

const nameOf = (shard: WeightShard) => shard.sha256.slice(0, 12);

/** The shard's response once it answered 200. */
async function responseOf(shard: WeightShard, request: Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await request;
  } catch (e) {
    throw new WeightsLoadError(`weights shard ${nameOf(shard)} could not be read (${(e as Error).message})`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new WeightsLoadError(`weights shard ${nameOf(shard)} answered ${response.status}; the version's assets are incomplete, redeploy it`);
  }
  return response;
}

function checkLength(shard: WeightShard, bytesRead: number, longer: boolean): void {
  if (longer) throw new WeightsLoadError(`weights shard ${nameOf(shard)} is longer than its ${shard.length} bytes; the version's assets do not match its model, redeploy it`);
  if (bytesRead < shard.length) throw new WeightsLoadError(`weights shard ${nameOf(shard)} has ${bytesRead} of its ${shard.length} bytes; the version's assets do not match its model, redeploy it`);
}

/** XXH32 when the manifest records it, else (manifests written before) SHA-256. */
async function checkContent(shard: WeightShard, bytes: Uint8Array): Promise<void> {
  if (shard.xxh32 !== undefined) {
    if (xxh32Hex(fastXxh32(bytes)) !== shard.xxh32) throw new WeightsLoadError(`weights shard ${nameOf(shard)} does not match its XXH32 checksum; the version's assets do not match its model, redeploy it`);
  } else if ((await sha256Hex(bytes)) !== shard.sha256) {
    throw new WeightsLoadError(`weights shard ${nameOf(shard)} does not match its SHA-256; the version's assets do not match its model, redeploy it`);
  }
}
