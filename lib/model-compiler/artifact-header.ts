/**
 * An artifact's JSON header read at build time, without loading its tensors (which may be in
 * shards elsewhere): for sharding, size accounting and the signature of a served model.
 */
import { ARTIFACT_PREAMBLE, type ArtifactHeader, alignUp } from '../../worker/runtime/artifact';

export interface ArtifactHeaderInfo {
  readonly header: ArtifactHeader;
  /** where the weights blob starts in the file (its end when the weights are in shards) */
  readonly blobOffset: number;
}

export function readArtifactHeader(artifact: Uint8Array): ArtifactHeaderInfo {
  const headerLength = new DataView(artifact.buffer, artifact.byteOffset, artifact.byteLength).getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(artifact.subarray(ARTIFACT_PREAMBLE, ARTIFACT_PREAMBLE + headerLength))) as ArtifactHeader;
  return { header, blobOffset: Math.min(artifact.byteLength, alignUp(ARTIFACT_PREAMBLE + headerLength)) };
}
