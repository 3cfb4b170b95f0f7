/**
 * Moves an artifact's weights blob out of the file into content-addressed shards (feature
 * "external-weights", docs/artifact-format.md): the Worker version uploads the small rest as its
 * model module and the shards as static assets, which it reads through its assets binding. Shards
 * are cut between tensors (shard-cuts.ts; `continues` marks the shards of a tensor larger than one)
 * and carry the XXH32 the Worker checks their bodies with.
 */
import { createHash } from 'crypto';
import {
  ARTIFACT_PREAMBLE,
  ARTIFACT_VERSION_EXTENDED,
  ArtifactHeader,
  WeightShard,
} from '../../worker/runtime/artifact';
import { readArtifactHeader } from './artifact-header';
import { blobExtents, shardCuts } from './shard-cuts';
import { xxh32, xxh32Hex } from '../../worker/model-loading/xxh32';

/** Workers static assets allow 25 MiB per file. */
export const MAX_SHARD_BYTES = 25 * 1024 * 1024;

export interface ShardedArtifact {
  /** the artifact without its blob, with the shard manifest in its header */
  readonly artifact: Uint8Array;
  /** the shards in blob order; each file is named by its sha256 */
  readonly shards: ReadonlyArray<WeightShard & { bytes: Uint8Array }>;
}

export function shardArtifactWeights(artifact: Uint8Array, maxShardBytes = MAX_SHARD_BYTES): ShardedArtifact {
  const { header, blobOffset } = readArtifactHeader(artifact);
  if (header.weights) return { artifact, shards: [] };
  const blob = artifact.subarray(blobOffset);
  const cuts = shardCuts(blobExtents(header), blob.byteLength, maxShardBytes);
  const shards = cuts.map(({ offset, continuesTensor }, i): WeightShard & { bytes: Uint8Array } => {
    const bytes = blob.subarray(offset, i + 1 < cuts.length ? cuts[i + 1].offset : blob.byteLength);
    const shard = { sha256: createHash('sha256').update(bytes).digest('hex'), xxh32: xxh32Hex(xxh32(bytes)), offset, length: bytes.byteLength };
    return { ...shard, ...(continuesTensor ? { continues: true } : {}), bytes };
  });
  const sharded: ArtifactHeader = {
    ...header,
    features: [...(header.features ?? []), 'external-weights'],
    weights: { bytes: blob.byteLength, shards: shards.map(({ bytes, ...shard }) => shard) },
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
