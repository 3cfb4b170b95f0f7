/**
 * Per-request response headers (X-Request-Id, X-Model-Version, CORS, Cache-Status), collected in a
 * plain object as the middleware learn them, before the handler runs.
 *
 * Why: building the answer in one `new Response(body, {headers: {...}})` is one call into the
 * runtime, while Hono's `c.json` plus a `c.res.headers.set` per middleware afterwards makes a
 * Headers object, copies it into the Response and crosses into the runtime once per header (~10%
 * of a small inference request in workerd). Handlers on the hot path answer with `jsonResponse`;
 * any other response (errors, 404, cache hits, preflights) gets the same headers from
 * `applyResponseHeaders`, which requestContext calls last, so every response carries them.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './types';

export type HeaderRecord = Record<string, string>;

/** The request's header record (created by requestContext). */
export function responseHeaders(c: Context<AppEnv>): HeaderRecord {
  return c.get('responseHeaders');
}

/** A JSON answer that already carries every per-request header. */
export function jsonResponse(c: Context<AppEnv>, body: unknown, status: ContentfulStatusCode = 200, extra?: HeaderRecord): Response {
  const headers: HeaderRecord = { 'Content-Type': 'application/json' };
  const record = c.get('responseHeaders');
  for (const name in record) headers[name] = record[name];
  if (extra) for (const name in extra) headers[name] = extra[name];
  const res = new Response(JSON.stringify(body), { status, headers });
  c.set('completeResponse', res);
  return res;
}

/** Adds the record to a response that was not built by jsonResponse (Vary is appended, the rest set). */
export function applyResponseHeaders(c: Context<AppEnv>): void {
  const res = c.res;
  if (res === c.get('completeResponse')) return;
  const record = c.get('responseHeaders');
  const headers = res.headers;
  for (const name in record) {
    if (name === 'Vary') headers.append(name, record[name]);
    else headers.set(name, record[name]);
  }
}
