/**
 * An inference request body as read off the wire (see http/request-body.ts): the bytes, and where
 * the JSON ends and the binary tensor data (Inference-Header-Content-Length) begins.
 */
import { badRequest, printable } from './request-error';

export interface RequestBody {
  readonly bytes: Uint8Array;
  /** byte length of the JSON at the start of `bytes` (all of it without the binary extension) */
  readonly jsonLength: number;
  /** true when the request used the binary tensor data extension */
  readonly binary: boolean;
}

/** Stateless between calls (no `stream: true`), so one decoder serves every request. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The parsed JSON part of the body; 400 for bytes that are not UTF-8 JSON. */
export function parseJsonPart(body: RequestBody): unknown {
  const { bytes, jsonLength } = body;
  let text: string;
  try {
    text = UTF8.decode(jsonLength === bytes.length ? bytes : bytes.subarray(0, jsonLength));
  } catch {
    throw badRequest(
      body.binary
        ? 'the JSON header (the first Inference-Header-Content-Length bytes) is not valid UTF-8; check the header length'
        : 'the request body is not valid UTF-8',
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8's message quotes the client's text: only printable ASCII of it is shown.
    const reason = e instanceof SyntaxError ? printable(e.message, 200) : 'nested too deeply';
    throw badRequest(`malformed JSON${body.binary ? ' in the header before the binary data' : ''}: ${reason}`);
  }
}

/** The binary tensor data after the JSON (empty without the extension). */
export function binaryPart(body: RequestBody): Uint8Array {
  return body.bytes.subarray(body.jsonLength);
}
