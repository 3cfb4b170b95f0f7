/** Protobuf wire-format pieces for fixtures that no encoder could build (too deep, too many entries). */

/** A protobuf varint. */
export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export const concat = (...parts: Array<Uint8Array | readonly number[]>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The tag and length that open a length-delimited field of `length` bytes. */
export const fieldHead = (no: number, length: number): number[] => [...varint((no << 3) | 2), ...varint(length)];

/** A length-delimited protobuf field. */
export const field = (no: number, bytes: Uint8Array): Uint8Array => concat(fieldHead(no, bytes.length), bytes);
