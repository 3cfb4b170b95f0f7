/**
 * Reads an inference request body as the Open Inference Protocol's clients send it:
 *  - JSON: `Content-Type: application/json` (or `+json`), or no Content-Type at all (the Triton
 *    client sends none);
 *  - the binary tensor data extension: any Content-Type (clients send application/octet-stream)
 *    with `Inference-Header-Content-Length: <n>`, the length of the JSON header at the start of
 *    the body; the tensors' bytes follow it.
 * Anything else is a 415 that says what to send.
 *
 * The cap (MODEL_CONFIG.limits.maxBodyBytes) covers the whole body, binary tensors included, and
 * holds whatever the framing: a Content-Length past the cap is refused before reading; with chunked
 * framing (Transfer-Encoding, even beside a Content-Length, which then says nothing) or no length
 * the body is read as a stream and cut off at the cap. Only a Content-Length alone, which the HTTP
 * layer enforces as the body's exact size, is read in one call (the chunk-by-chunk read measured
 * ~10% of a small request); its size is checked again after.
 */
import type { HonoRequest } from 'hono';
import { RequestError, badRequest, printable } from '../protocol/request-error';
import type { RequestBody } from '../protocol/request-body';
import { drain } from './drain';

const JSON_SUFFIX_TYPE = /^application\/[a-z0-9.+-]+\+json$/;
const DIGITS = /^\d{1,15}$/;
export const HEADER_LENGTH = 'inference-header-content-length';

/** The request body, or a RequestError (415, 413, 400) saying what to send instead. */
export async function readRequestBody(req: HonoRequest, limit: number): Promise<RequestBody> {
  const headerLength = req.header(HEADER_LENGTH);
  if (headerLength === undefined) checkJsonType(req.header('content-type'));
  const raw = req.raw;
  const declared = req.header('content-length');
  // A declared length past the limit is refused before reading; a smaller one is not trusted.
  if (declared !== undefined && DIGITS.test(declared) && Number(declared) > limit) {
    await drain(raw.body, limit);
    throw tooLarge(limit);
  }
  const framedByLength = declared !== undefined && DIGITS.test(declared) && req.header('transfer-encoding') === undefined;
  const bytes = framedByLength ? new Uint8Array(await raw.arrayBuffer()) : await readCapped(raw.body, limit);
  // A Request built in code can carry more than it declares; the cap holds all the same.
  if (bytes.length > limit) throw tooLarge(limit);
  if (bytes.length === 0) throw badRequest('the request body is empty; send a JSON object like {"inputs": [...]}');
  if (headerLength === undefined) return { bytes, jsonLength: bytes.length, binary: false };
  if (!DIGITS.test(headerLength)) {
    throw badRequest(`Inference-Header-Content-Length must be the byte length of the JSON header, a non-negative integer; got "${printable(headerLength, 32)}"`);
  }
  const jsonLength = Number(headerLength);
  if (jsonLength === 0 || jsonLength > bytes.length) {
    throw badRequest(
      `Inference-Header-Content-Length is ${jsonLength} but the body has ${bytes.length} bytes; it must give the length of the JSON header that starts the body (at least 1 byte, at most the body)`,
    );
  }
  return { bytes, jsonLength, binary: true };
}

function checkJsonType(declaredType: string | undefined): void {
  // Absent: the Open Inference Protocol does not require one, and the Triton client sends none.
  if (declaredType === undefined || declaredType === 'application/json') return;
  const type = declaredType.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || JSON_SUFFIX_TYPE.test(type)) return;
  const got = type ? ` (got "${printable(type, 64)}")` : '';
  if (type === 'application/octet-stream') {
    throw new RequestError(
      415,
      `a binary body needs the Inference-Header-Content-Length header (the byte length of the JSON header before the tensor bytes)${got}; or send JSON with "Content-Type: application/json"`,
    );
  }
  throw new RequestError(415, `send the request as JSON with "Content-Type: application/json", or binary tensors with Inference-Header-Content-Length${got}`);
}

export function tooLarge(limit: number): RequestError {
  return new RequestError(413, `the request body is larger than the ${limit} bytes this model accepts; send fewer rows per request`);
}

/** The whole body, or 413 as soon as more than `limit` bytes arrived (the rest is drained). */
async function readCapped(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await drain(stream, limit, reader);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
