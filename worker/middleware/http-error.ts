/**
 * The one error type the HTTP layer throws: Hono's HTTPException, answered by the app's onError
 * as `{"error": message}` with its status.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function httpError(status: ContentfulStatusCode, message: string, headers?: Record<string, string>): HTTPException {
  const ex = new HTTPException(status, { message });
  if (headers) (ex as HTTPException & { headers?: Record<string, string> }).headers = headers;
  return ex;
}

/** Extra response headers an error carries (Allow for 405, WWW-Authenticate for 401). */
export function errorHeaders(ex: HTTPException): Record<string, string> {
  return (ex as HTTPException & { headers?: Record<string, string> }).headers ?? {};
}

export const badRequest = (message: string) => httpError(400, message);

/** A client-supplied string made safe to quote in an error message: short, printable. */
export function quote(value: unknown, max = 64): string {
  // Never serialize client structures: a deeply nested one could exhaust the stack.
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const s = typeof value === 'string' ? value : String(value);
  const clean = s.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max)}...` : clean);
}
