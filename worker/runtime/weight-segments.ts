/**
 * The weights blob as the reader sees it: a list of segments, each some bytes at an offset of the
 * blob. An artifact with its weights inside is one segment (the file's blob); an artifact with
 * external weights is one segment per shard, the verified shard bodies as they were read, so that
 * no buffer the size of the blob is ever made (a run of shards that holds one tensor larger than a
 * shard arrives as one segment). A tensor inside one segment is a view into it; a tensor that spans
 * segments (only in a manifest cut at fixed offsets, written before shards were cut between
 * tensors) is assembled into a buffer of its own.
 */
import { ModelError } from './errors';

/** `bytes` are the blob's bytes from `offset` on. */
export interface WeightSegment {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** The blob's segments in order, covering it from 0 without gaps or overlaps. */
export type WeightSegments = readonly WeightSegment[];

/** Where a range of the blob can be viewed: a buffer and the absolute byte offset in it. */
export interface BlobRange {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
}

/** The whole blob as one segment. */
export function wholeBlob(bytes: Uint8Array): WeightSegments {
  return [{ offset: 0, bytes }];
}

/** Checks that `segments` cover `[0, blobBytes)` in order, naming the first fault. */
export function checkSegments(segments: WeightSegments, blobBytes: number): void {
  let end = 0;
  for (const s of segments) {
    if (s.offset !== end) throw new ModelError(`artifact: the weights segments ${s.offset < end ? 'overlap' : 'leave a gap'} at byte ${Math.min(s.offset, end)} of the blob; pass every shard the manifest lists, in order`);
    end += s.bytes.byteLength;
  }
  if (end !== blobBytes) throw new ModelError(`artifact: the weights are ${end} bytes, the manifest says ${blobBytes}`);
}

/**
 * Bytes `[offset, offset + byteLength)` of the blob, `alignment`-aligned in their buffer: a view of
 * the segment that holds them when it can be, else a copy (a range over several segments, or one
 * at a misaligned address). Undefined when the range is outside the blob.
 */
export function blobRange(segments: WeightSegments, offset: number, byteLength: number, alignment: number): BlobRange | undefined {
  const end = offset + byteLength;
  const last = segments[segments.length - 1];
  if (!(offset >= 0) || last === undefined || end > last.offset + last.bytes.byteLength) return undefined;
  let i = segmentAt(segments, offset);
  const first = segments[i];
  const local = offset - first.offset;
  if (end <= first.offset + first.bytes.byteLength) {
    const byteOffset = first.bytes.byteOffset + local;
    if (byteOffset % alignment === 0) return { buffer: first.bytes.buffer, byteOffset };
    return { buffer: first.bytes.slice(local, local + byteLength).buffer, byteOffset: 0 };
  }
  const joined = new Uint8Array(byteLength);
  for (let at = offset; at < end; i++) {
    const s = segments[i];
    const piece = s.bytes.subarray(at - s.offset, Math.min(s.bytes.byteLength, end - s.offset));
    joined.set(piece, at - offset);
    at += piece.byteLength;
  }
  return { buffer: joined.buffer, byteOffset: 0 };
}

/** The index of the segment holding byte `offset` (segments are in order and cover the blob). */
function segmentAt(segments: WeightSegments, offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
