/**
 * Moves an artifact's weights blob out of the file into content-addressed shards (feature
 * "external-weights", docs/artifact-format.md): the Worker version uploads the small rest as its
 * model module and the shards as static assets, which it reads through its assets binding.
 */
import { createHash } from 'crypto';
import {
  ARTIFACT_PREAMBLE,
  ARTIFACT_VERSION_EXTENDED,
  ArtifactHeader,
  WeightShard,
} from '../../worker/runtime/artifact';
import { readArtifactHeader } from './artifact-header';

/** Workers static assets allow 25 MiB per file. */
export const MAX_SHARD_BYTES = 25 * 1024 * 1024;

export interface ShardedArtifact {
  /** the artifact without its blob, with the shard manifest in its header */
  readonly artifact: Uint8Array;
  /** the shards in blob order; each file is named by its sha256 */
  readonly shards: ReadonlyArray<WeightShard & { bytes: Uint8Array }>;
}

export function shardArtifactWeights(artifact: Uint8Array, maxShardBytes = MAX_SHARD_BYTES): ShardedArtifact {
  if (!(maxShardBytes > 0)) throw new RangeError('maxShardBytes must be positive');
  const { header, blobOffset } = readArtifactHeader(artifact);
  if (header.weights) return { artifact, shards: [] };
  const blob = artifact.subarray(blobOffset);
  const shards: Array<WeightShard & { bytes: Uint8Array }> = [];
  for (let offset = 0; offset < blob.byteLength; offset += maxShardBytes) {
    const bytes = blob.subarray(offset, Math.min(blob.byteLength, offset + maxShardBytes));
    shards.push({ sha256: createHash('sha256').update(bytes).digest('hex'), offset, length: bytes.byteLength, bytes });
  }
  const sharded: ArtifactHeader = {
    ...header,
    features: [...(header.features ?? []), 'external-weights'],
    weights: { bytes: blob.byteLength, shards: shards.map(({ sha256, offset, length }) => ({ sha256, offset, length })) },
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(sharded));
  const out = new Uint8Array(ARTIFACT_PREAMBLE + headerBytes.byteLength);
  out.set(artifact.subarray(0, 8));
  const outView = new DataView(out.buffer);
  outView.setUint32(8, ARTIFACT_VERSION_EXTENDED, true);
  outView.setUint32(12, headerBytes.byteLength, true);
  out.set(headerBytes, ARTIFACT_PREAMBLE);
  return { artifact: out, shards };
}
