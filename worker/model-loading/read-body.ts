/**
 * Reads a response body straight into a given place of a buffer (a BYOB reader: no buffer of its
 * own, so memory is touched once, where the bytes stay; several shards that hold one tensor go
 * into one buffer). A BYOB read transfers the buffer it fills, so the caller continues with the
 * one returned.
 */

/** What a body held, against the length expected. */
export type BodyFit = 'exact' | 'short' | 'long';

export interface BodyRead {
  /** the buffer, now holding the body at the place given (the one passed in is detached) */
  readonly buffer: ArrayBuffer;
  /** bytes of the body read into it */
  readonly bytesRead: number;
  readonly fit: BodyFit;
}

/** workerd's reader can be asked to fill a view in one call (`readAtLeast`); others fill it read by read. */
interface ByobReader {
  read(view: Uint8Array): Promise<{ value?: Uint8Array; done: boolean }>;
  readAtLeast?(minBytes: number, view: Uint8Array): Promise<{ value?: Uint8Array; done: boolean }>;
  cancel(): Promise<void>;
  releaseLock(): void;
}

/** Reads `response`'s body into `buffer` at `at`, expecting `length` bytes. */
export async function readBodyInto(response: Response, buffer: ArrayBuffer, at: number, length: number): Promise<BodyRead> {
  let reader: ByobReader;
  try {
    reader = response.body!.getReader({ mode: 'byob' }) as unknown as ByobReader;
  } catch {
    // A body that is not a byte stream: read it whole and copy it in.
    const bytes = new Uint8Array(await response.arrayBuffer());
    new Uint8Array(buffer, at, Math.min(length, bytes.byteLength)).set(bytes.subarray(0, length));
    return { buffer, bytesRead: Math.min(length, bytes.byteLength), fit: bytes.byteLength === length ? 'exact' : bytes.byteLength < length ? 'short' : 'long' };
  }
  let filled = 0;
  try {
    while (filled < length) {
      const view = new Uint8Array(buffer, at + filled, length - filled);
      const { value, done } = reader.readAtLeast ? await reader.readAtLeast(view.byteLength, view) : await reader.read(view);
      if (value) {
        buffer = value.buffer as ArrayBuffer;
        filled += value.byteLength;
      }
      if (done) return { buffer, bytesRead: filled, fit: 'short' };
    }
    // Filled: one more byte would mean the body is longer than expected.
    const more = await reader.read(new Uint8Array(1));
    if (!more.done) {
      await reader.cancel();
      return { buffer, bytesRead: filled, fit: 'long' };
    }
    return { buffer, bytesRead: filled, fit: 'exact' };
  } finally {
    reader.releaseLock();
  }
}
