/**
 * Reads and discards a request body that will not be used (an oversized body before its 413, or
 * the body of a request refused before it was read: 401, 404, 405, 415), up to a cap.
 *
 * Why: a server that answers while the client is still sending makes many clients see a
 * connection reset instead of the answer, and workerd closes a keep-alive connection whose request
 * body was left unread, so the client's next request on it fails. Draining costs reading bytes the
 * client sends anyway; past the cap the stream is cancelled and the connection is given up.
 */

/** Bodies are drained up to the body limit plus this much, then cut off. */
export const DRAIN_CAP_BYTES = 32 * 1024 * 1024;

export async function drain(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
  open?: ReadableStreamDefaultReader<Uint8Array>,
): Promise<void> {
  if (!stream) return;
  const cap = limit + DRAIN_CAP_BYTES;
  let total = 0;
  try {
    const reader = open ?? stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > cap) break;
    }
    await reader.cancel();
  } catch {
    // The client went away, or the body was already taken: nothing left to drain.
  }
}

/** Drains the body of a request whose handler never read it (undefined when there is none). */
export function drainUnread(request: Request, limit: number): Promise<void> | undefined {
  if (request.body === null || request.bodyUsed) return undefined;
  return drain(request.body, limit);
}
