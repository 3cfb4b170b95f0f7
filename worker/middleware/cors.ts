/**
 * CORS from MODEL_CONFIG.cors: nothing is allowed unless the origin is listed (or "*" is).
 * Preflights are answered here, before authentication (browsers send them without credentials).
 */
import { createMiddleware } from 'hono/factory';
import { httpError, quote } from './http-error';
import type { AppEnv } from './types';

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, Authorization, X-API-Key, X-Request-Id';
const EXPOSE_HEADERS = 'Server-Timing, X-Request-Id, Cache-Status';

export function cors() {
  return createMiddleware<AppEnv>(function corsMiddleware(c, next) {
    const origin = c.req.header('origin');
    const { allowOrigins, maxAgeSeconds } = c.get('config').cors;
    const allowed = origin !== undefined && (allowOrigins.includes('*') || allowOrigins.includes(origin));
    const allowValue = allowOrigins.includes('*') ? '*' : (origin ?? '');

    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method')) {
      if (!allowed) {
        throw httpError(403, `origin ${quote(origin)} is not allowed to call this model; add it to the deployment's cors.allowOrigins`);
      }
      return Promise.resolve(c.body(null, 204, {
        'Access-Control-Allow-Origin': allowValue,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': String(maxAgeSeconds),
        Vary: 'Origin',
      }));
    }
    if (allowed) {
      // Added to whatever answers, errors included (see response-headers.ts).
      const headers = c.get('responseHeaders');
      headers['Access-Control-Allow-Origin'] = allowValue;
      headers['Access-Control-Expose-Headers'] = EXPOSE_HEADERS;
      headers.Vary = 'Origin';
    }
    return next();
  });
}
