/**
 * Per-request response headers (X-Request-Id, X-Model-Version, CORS, and Cache-Status from the
 * request's cache status), collected in a plain object (the request state's `headers`) as the
 * request context and handler learn them.
 *
 * Why: building the answer in one `new Response(body, {headers: {...}})` is one call into the
 * runtime, while Hono's `c.json` plus a `c.res.headers.set` per header afterwards makes a
 * Headers object, copies it into the Response and crosses into the runtime once per header (~10%
 * of a small inference request in workerd). Inference answers with `respond`; any other response
 * (errors, 404, cache hits, preflights, metadata) gets the same headers from
 * `applyResponseHeaders`, which requestContext calls last, so every response carries them.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RequestState } from './types';

export type HeaderRecord = Record<string, string>;

/** An answer that already carries every per-request header, plus `extra` (Server-Timing, protocol headers). */
export function respond(
  state: RequestState,
  body: string | Uint8Array,
  contentType: string,
  extra?: Readonly<HeaderRecord>,
  status: ContentfulStatusCode = 200,
): Response {
  const headers: HeaderRecord = { 'Content-Type': contentType };
  const record = state.headers;
  for (const name in record) headers[name] = record[name];
  if (state.cacheStatus !== undefined) headers['Cache-Status'] = state.cacheStatus;
  if (extra !== undefined) for (const name in extra) headers[name] = extra[name];
  const res = new Response(body, { status, headers });
  state.completeResponse = res;
  return res;
}

/** Adds the record to a response that was not built by `respond` (Vary is appended, the rest set). */
export function applyResponseHeaders(res: Response, state: RequestState): void {
  if (res === state.completeResponse) return;
  const record = state.headers;
  const headers = res.headers;
  for (const name in record) {
    if (name === 'Vary') headers.append(name, record[name]);
    else headers.set(name, record[name]);
  }
  if (state.cacheStatus !== undefined) headers.set('Cache-Status', state.cacheStatus);
}
