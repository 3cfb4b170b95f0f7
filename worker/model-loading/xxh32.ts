/**
 * XXH32 with seed 0 (the 32-bit xxHash, github.com/Cyan4973/xxHash, doc/xxhash_spec.md): the check
 * a weights shard's body gets when the Worker reads it. The shard's SHA-256 is already its file
 * name, so a shard of another build is never found; this guards the bytes actually read against
 * truncation and corruption, for about a third of SHA-256's cost (docs/artifact-format.md).
 *
 * The work is the stripe loop: four 32-bit accumulators, one per 4-byte word of each 16-byte
 * stripe. It runs here in JavaScript (at synth, and in a Worker without the kernels module) or in
 * WebAssembly SIMD as four lanes of one i32x4 (worker/wasm/checksum.as.ts, xxh32-wasm.ts); both
 * hand their lanes to the same `finishXxh32`.
 */

const PRIME1 = 0x9e3779b1 | 0;
const PRIME2 = 0x85ebca77 | 0;
const PRIME3 = 0xc2b2ae3d | 0;
const PRIME4 = 0x27d4eb2f | 0;
const PRIME5 = 0x165667b1 | 0;

/** Folds whole 16-byte stripes of `bytes` into `lanes`. */
export type StripeLoop = (lanes: Int32Array, bytes: Uint8Array) => void;

/** The four accumulators before the first stripe (seed 0). */
export function startLanes(): Int32Array {
  return Int32Array.of((PRIME1 + PRIME2) | 0, PRIME2, 0, -PRIME1 | 0);
}

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/**
 * The stripe loop in JavaScript. Words are read as little-endian int32 through an Int32Array when
 * the bytes are 4-byte aligned (Workers and Node run little-endian), else through a DataView.
 */
export const jsStripes: StripeLoop = (lanes, bytes) => {
  const words = bytes.byteLength >> 4 << 2;
  let v1 = lanes[0];
  let v2 = lanes[1];
  let v3 = lanes[2];
  let v4 = lanes[3];
  if (bytes.byteOffset % 4 === 0) {
    const w = new Int32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i += 4) {
      v1 = Math.imul(rotl(v1 + Math.imul(w[i], PRIME2), 13), PRIME1);
      v2 = Math.imul(rotl(v2 + Math.imul(w[i + 1], PRIME2), 13), PRIME1);
      v3 = Math.imul(rotl(v3 + Math.imul(w[i + 2], PRIME2), 13), PRIME1);
      v4 = Math.imul(rotl(v4 + Math.imul(w[i + 3], PRIME2), 13), PRIME1);
    }
  } else {
    const d = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < words * 4; i += 16) {
      v1 = Math.imul(rotl(v1 + Math.imul(d.getInt32(i, true), PRIME2), 13), PRIME1);
      v2 = Math.imul(rotl(v2 + Math.imul(d.getInt32(i + 4, true), PRIME2), 13), PRIME1);
      v3 = Math.imul(rotl(v3 + Math.imul(d.getInt32(i + 8, true), PRIME2), 13), PRIME1);
      v4 = Math.imul(rotl(v4 + Math.imul(d.getInt32(i + 12, true), PRIME2), 13), PRIME1);
    }
  }
  lanes[0] = v1;
  lanes[1] = v2;
  lanes[2] = v3;
  lanes[3] = v4;
};

/** The hash of `bytes` from the lanes after its whole stripes: merge, the tail, the final mix. */
export function finishXxh32(lanes: Int32Array, bytes: Uint8Array): number {
  const length = bytes.byteLength;
  let h = length >= 16 ? rotl(lanes[0], 1) + rotl(lanes[1], 7) + rotl(lanes[2], 12) + rotl(lanes[3], 18) : PRIME5;
  h = (h + length) | 0;
  let i = length & ~15;
  for (; i + 4 <= length; i += 4) {
    const word = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h = Math.imul(rotl(h + Math.imul(word, PRIME3), 17), PRIME4);
  }
  for (; i < length; i++) h = Math.imul(rotl(h + Math.imul(bytes[i], PRIME5), 11), PRIME1);
  h ^= h >>> 15;
  h = Math.imul(h, PRIME2);
  h ^= h >>> 13;
  h = Math.imul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}

/** XXH32 (seed 0) of `bytes`, its stripes folded by `stripes` (JavaScript unless given). */
export function xxh32(bytes: Uint8Array, stripes: StripeLoop = jsStripes): number {
  const lanes = startLanes();
  stripes(lanes, bytes);
  return finishXxh32(lanes, bytes);
}

/** The 8 lowercase hex digits a manifest records. */
export function xxh32Hex(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}
