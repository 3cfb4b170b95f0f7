/**
 * The one error type for a request that is refused with a status: a message that names the
 * problem and the fix, and any response headers the answer needs (Allow for 405,
 * WWW-Authenticate for 401). The request context answers it as `{"error": message}`.
 *
 * It lives beside the protocol (which throws most of them) so that protocol code never imports
 * from the HTTP layer; the HTTP layer imports it from here.
 */

export type RequestErrorStatus = 400 | 401 | 403 | 404 | 405 | 413 | 415 | 503;

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly status: RequestErrorStatus,
    message: string,
    readonly headers: Readonly<Record<string, string>> = NO_HEADERS,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): RequestError => new RequestError(400, message);

/**
 * Client text made safe to show in a message or log: anything outside printable ASCII (control
 * characters, right-to-left overrides, other invisible or look-alike code points) becomes "?",
 * and text longer than `max` characters is cut.
 */
export function printable(text: string, max: number): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

/** A client-supplied value made safe to quote in an error message: short, printable, in quotes. */
export function quote(value: unknown, max = 64): string {
  // Never serialize client structures: a deeply nested one could exhaust the stack.
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(printable(typeof value === 'string' ? value : String(value), max));
}
