/**
 * Per-request response headers (X-Request-Id, X-Model-Version, CORS, Cache-Status), collected in a
 * plain object (the request state's `headers`) as the request context and handler learn them.
 *
 * Why: building the answer in one `new Response(body, {headers: {...}})` is one call into the
 * runtime, while Hono's `c.json` plus a `c.res.headers.set` per header afterwards makes a
 * Headers object, copies it into the Response and crosses into the runtime once per header (~10%
 * of a small inference request in workerd). Handlers on the hot path answer with `jsonResponse`;
 * any other response (errors, 404, cache hits, preflights) gets the same headers from
 * `applyResponseHeaders`, which requestContext calls last, so every response carries them.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RequestState } from './types';

export type HeaderRecord = Record<string, string>;

/** A JSON answer that already carries every per-request header, plus Server-Timing when given. */
export function jsonResponse(state: RequestState, body: unknown, status: ContentfulStatusCode = 200, serverTiming?: string): Response {
  const headers: HeaderRecord = { 'Content-Type': 'application/json' };
  const record = state.headers;
  for (const name in record) headers[name] = record[name];
  if (serverTiming !== undefined) headers['Server-Timing'] = serverTiming;
  const res = new Response(JSON.stringify(body), { status, headers });
  state.completeResponse = res;
  return res;
}

/** Adds the record to a response that was not built by jsonResponse (Vary is appended, the rest set). */
export function applyResponseHeaders(res: Response, state: RequestState): void {
  if (res === state.completeResponse) return;
  const record = state.headers;
  const headers = res.headers;
  for (const name in record) {
    if (name === 'Vary') headers.append(name, record[name]);
    else headers.set(name, record[name]);
  }
}
