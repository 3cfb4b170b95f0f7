/**
 * Request ids: random version-4 UUIDs, drawn from a pool of CSPRNG bytes.
 *
 * crypto.randomUUID() crosses into the runtime for every id, which measured ~5 µs per request in
 * workerd (several percent of a small inference request); one crypto.getRandomValues call fills the
 * bytes of 256 ids, and formatting them is a few string concatenations. The ids are as random as
 * randomUUID's (122 random bits from the same generator). The pool is filled on first use, never at
 * module scope, where Workers refuse to generate random values.
 */
const IDS_PER_FILL = 256;
const pool = new Uint8Array(IDS_PER_FILL * 16);
let used = IDS_PER_FILL;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function randomRequestId(): string {
  if (used === IDS_PER_FILL) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  const o = used++ * 16;
  const b = pool;
  return (
    HEX[b[o]] + HEX[b[o + 1]] + HEX[b[o + 2]] + HEX[b[o + 3]] + '-' +
    HEX[b[o + 4]] + HEX[b[o + 5]] + '-' +
    HEX[(b[o + 6] & 0x0f) | 0x40] + HEX[b[o + 7]] + '-' +
    HEX[(b[o + 8] & 0x3f) | 0x80] + HEX[b[o + 9]] + '-' +
    HEX[b[o + 10]] + HEX[b[o + 11]] + HEX[b[o + 12]] + HEX[b[o + 13]] + HEX[b[o + 14]] + HEX[b[o + 15]]
  );
}
