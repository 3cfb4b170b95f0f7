/**
 * Request id, timing and the one JSON log line per request (Workers Logs indexes the fields).
 * Runs first, so it also sees the responses the error handler produced.
 */
import { createMiddleware } from 'hono/factory';
import { applyResponseHeaders } from './response-headers';
import { randomRequestId } from './request-id';
import type { AppEnv, LogSink } from './types';

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestContextOptions {
  /** Where log lines go. @default console.log */
  readonly log?: LogSink;
}

export function requestContext(options: RequestContextOptions = {}) {
  const log = options.log ?? ((line: string) => console.log(line));
  return createMiddleware<AppEnv>(async function requestContextMiddleware(c, next) {
    const startedAt = performance.now();
    const incoming = c.req.header('x-request-id');
    // An echoed id must be a plain token: no header injection, no log pollution.
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomRequestId();
    c.set('requestId', requestId);
    c.set('startedAt', startedAt);
    c.set('responseHeaders', { 'X-Request-Id': requestId });
    await next();
    applyResponseHeaders(c);
    const fault = c.get('fault');
    const config = c.get('config');
    const entry: Record<string, unknown> = {
      message: 'request',
      requestId,
      method: c.req.method,
      path: c.req.path.length > 200 ? `${c.req.path.slice(0, 200)}...` : c.req.path,
      status: c.res.status,
      durationMs: round(performance.now() - startedAt),
      cache: c.get('cacheStatus') ?? 'bypass',
      model: config?.name,
      version: config?.version,
      workerVersion: c.env?.CF_VERSION_METADATA?.id,
    };
    if (fault !== undefined) {
      const err = fault instanceof Error ? fault : new Error(String(fault));
      entry.error = err.message;
      entry.stack = err.stack;
    }
    log(JSON.stringify(entry));
  });
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
