/**
 * Writing int64 outputs without making BigInts: storing `BigInt(n)` into a BigInt64Array allocates
 * a heap BigInt per element, so kernels on the inference path (ArgMax, classifier labels) write the
 * two 32-bit halves of each element through an Int32Array view of the same memory instead.
 * Little-endian machines only (every platform Workers run on); elsewhere `int64Words` returns null
 * and the caller keeps its BigInt path.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

const views = new WeakMap<BigInt64Array | BigUint64Array, Int32Array>();

/** The 32-bit words of `a` (element i is words 2i (low), 2i + 1 (high)), remembered per array. */
export function int64Words(a: BigInt64Array | BigUint64Array): Int32Array | null {
  if (!LITTLE_ENDIAN) return null;
  let w = views.get(a);
  if (w === undefined) {
    w = new Int32Array(a.buffer, a.byteOffset, a.length * 2);
    views.set(a, w);
  }
  return w;
}

/** Stores the integer `v` (a safe integer, may be negative) as element `i` of the int64 array whose words these are. */
export function setInt64(words: Int32Array, i: number, v: number): void {
  words[2 * i] = v | 0; // the low 32 bits (ToInt32 is v mod 2^32)
  words[2 * i + 1] = Math.floor(v / TWO_32);
}
