/**
 * Where an artifact's weights blob is cut into shards: between tensors, so that the Worker can
 * view every tensor inside the shard body that holds it and never assembles the blob
 * (worker/runtime/weight-segments.ts). Every extent a tensor occupies in the blob (its data, an
 * int8 tensor's scales, a `numbers` list) lies wholly inside one shard when it fits in one; a
 * larger one fills a run of shards of its own (cut every `maxShardBytes`), shared with no other
 * tensor, which the Worker reads into one buffer (worker/model-loading/weight-shards.ts), so that it
 * too is a view. Shards start at 64-byte offsets of the blob, as tensors do.
 */
import { ARTIFACT_ALIGNMENT, type ArtifactHeader, type AttributeJson, type GraphJson, type TensorJson } from '../../worker/runtime/artifact';
import { bytesPerElement } from '../../worker/runtime/tensor';

/** Bytes `[start, end)` of the blob. */
export interface BlobExtent {
  readonly start: number;
  readonly end: number;
}

/** Every extent of the blob the header's tensors occupy (subgraphs included), in any order. */
export function blobExtents(header: ArtifactHeader): BlobExtent[] {
  const extents: BlobExtent[] = [];
  const tensor = (t: TensorJson) => {
    if (t.dtype === 'string') return;
    if (t.int8) {
      extents.push({ start: t.offset, end: t.offset + t.length });
      extents.push({ start: t.int8.scales.offset, end: t.int8.scales.offset + t.int8.scales.length * 4 });
    } else {
      extents.push({ start: t.offset, end: t.offset + t.length * bytesPerElement(t.dtype) });
    }
  };
  const attribute = (a: AttributeJson) => {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return;
    if ('tensor' in a) tensor(a.tensor);
    else if ('tensors' in a) a.tensors.forEach(tensor);
    else if ('numbers' in a) tensor(a.numbers);
    else if ('graph' in a) graph(a.graph);
    else if ('graphs' in a) a.graphs.forEach(graph);
  };
  const graph = (g: GraphJson) => {
    for (const [, t] of g.initializers) tensor(t);
    for (const n of g.nodes) for (const a of Object.values(n.attributes ?? {})) attribute(a);
  };
  graph(header.graph);
  return extents;
}

/** Where a shard starts, and whether it continues a tensor from the shard before it. */
export interface ShardCut {
  readonly offset: number;
  readonly continuesTensor: boolean;
}

/**
 * Where shards start (the first at 0) for a blob of `blobBytes` whose tensors occupy `extents`: a
 * shard ends before the first extent that would take it past `maxShardBytes` (a multiple of 64),
 * and an extent larger than that starts a shard, is cut every `maxShardBytes`, and ends its last
 * shard.
 */
export function shardCuts(extents: readonly BlobExtent[], blobBytes: number, maxShardBytes: number): ShardCut[] {
  if (!(maxShardBytes > 0) || maxShardBytes % ARTIFACT_ALIGNMENT !== 0) {
    throw new RangeError(`maxShardBytes must be a positive multiple of ${ARTIFACT_ALIGNMENT} (shards start where tensors may), not ${maxShardBytes}`);
  }
  if (blobBytes === 0) return [];
  const cuts: ShardCut[] = [{ offset: 0, continuesTensor: false }];
  let start = 0;
  const cutAt = (offset: number, continuesTensor = false) => {
    start = offset;
    cuts.push({ offset, continuesTensor });
  };
  const cutBefore = (from: number) => {
    if (from > start && from % ARTIFACT_ALIGNMENT === 0) cutAt(from);
  };
  /** the end of the last extent larger than a shard: the next extent from there on starts a shard */
  let largeEnd = -1;
  const sorted = [...extents].filter((e) => e.end > e.start).sort((a, b) => a.start - b.start);
  for (const { start: from, end } of sorted) {
    if (largeEnd >= 0 && from >= largeEnd) {
      largeEnd = -1;
      cutBefore(from);
    }
    if (end <= start + maxShardBytes) continue;
    // Bytes no tensor uses (none in the compiler's blobs) never make a shard too long either.
    while (from - start > maxShardBytes) cutAt(start + maxShardBytes);
    cutBefore(from);
    while (end - start > maxShardBytes) cutAt(start + maxShardBytes, true);
    if (end - from > maxShardBytes) largeEnd = end;
  }
  while (blobBytes - start > maxShardBytes) cutAt(start + maxShardBytes);
  return cuts;
}
