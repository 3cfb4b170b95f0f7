/**
 * Writing int64 outputs without making BigInts: storing `BigInt(n)` into a BigInt64Array allocates
 * a heap BigInt per element, so kernels on the inference path (ArgMax, classifier labels) write the
 * two 32-bit halves of each element through an Int32Array view of the same memory instead.
 * Little-endian machines only (every platform Workers run on); elsewhere `int64Words` returns null
 * and the caller keeps its BigInt path.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

/** The 32-bit words of `a` (element i is words 2i (low), 2i + 1 (high)), a new view. */
export function int64Words(a: BigInt64Array | BigUint64Array): Int32Array | null {
  return LITTLE_ENDIAN ? new Int32Array(a.buffer, a.byteOffset, a.length * 2) : null;
}

/**
 * The words of the int64 array last asked for, kept in a node's plan: the node's output buffer is
 * the same array run after run, so steady-state runs make no view.
 */
export class Int64Words {
  private array: BigInt64Array | BigUint64Array | null = null;
  private words: Int32Array | null = null;

  of(a: BigInt64Array | BigUint64Array): Int32Array | null {
    if (a !== this.array) {
      this.array = a;
      this.words = int64Words(a);
    }
    return this.words;
  }
}

/** Stores the integer `v` (a safe integer, may be negative) as element `i` of the int64 array whose words these are. */
export function setInt64(words: Int32Array, i: number, v: number): void {
  words[2 * i] = v | 0; // the low 32 bits (ToInt32 is v mod 2^32)
  words[2 * i + 1] = Math.floor(v / TWO_32);
}
